"""The engine: select rules, run their checks over each Document, stamp diagnostics.

Checks yield :class:`Finding` objects (offsets and message arguments); the engine turns
them into :class:`Diagnostic` objects with path, 1-based positions, code, rule name,
severity and message, drops findings in masked regions or switched off for the path,
and sorts them.
"""

from __future__ import annotations

import errno
import gc
import hashlib
import os
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from types import MappingProxyType
from typing import Any, Iterable, Iterator, Mapping, Sequence

from checker.checks import kind_module, kind_traits
from checker.config import Config
from checker.diagnostics import ORDER, Diagnostic, Finding, Severity
from checker.document import Document
from checker.packs import ConfigError, Rule, load_rules, selector_names
from checker.readers import InputProblem, Loaded, os_problem, read_path

# Directories deeper than this below a checked path are not entered (E011).
MAX_DEPTH = 64


class _Args(dict):
    """Message arguments: a missing one prints as ``{name}`` instead of raising."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render(template: str, args: Mapping[str, Any]) -> str:
    try:
        return template.format_map(_Args(args))
    except (ValueError, IndexError, KeyError, AttributeError):
        return template


def _matches(rule: Rule, selector: str) -> bool:
    """``selector`` (a code, code prefix, rule name or ``ALL``) names ``rule``."""
    return selector_names(selector, rule.code, rule.name)


def _selects(rule: Rule, selector: str) -> bool:
    """Selection: a rule that is off by default (a repo policy) is only switched on by its
    exact code or name, never by a prefix or ``ALL``."""
    return selector in (rule.code, rule.name) if not rule.enabled else _matches(rule, selector)


def select_rules(rules: Sequence[Rule], config: Config) -> tuple[Rule, ...]:
    """Ruff's model: ``select`` replaces the default set, ``extend-select`` adds,
    ``ignore`` removes; selectors are codes, code prefixes, rule names or ``ALL``."""
    for key in ("select", "extend-select", "ignore"):
        for selector in config[key] or ():
            if not any(_matches(r, selector) for r in rules):
                raise ConfigError(f"{key}: '{selector}' matches no rule (see 'draftlint rules')")
    select = config["select"]
    chosen = [r for r in rules if (any(_selects(r, s) for s in select) if select is not None
                                   else r.enabled)]
    chosen += [r for r in rules if r not in chosen
               and any(_selects(r, s) for s in config["extend-select"])]
    chosen = [r for r in chosen if not any(_matches(r, s) for s in config["ignore"])]
    overrides = config["rules"]
    out = []
    for rule in chosen:
        setting = overrides.get(rule.code) or overrides.get(rule.name)
        if setting is not None:
            where = f"{config.source or 'configuration'}: rules.{rule.code}"
            if not isinstance(setting, dict) or set(setting) - {"severity", "options"}:
                raise ConfigError(f"{where}: expected a mapping with 'severity' and/or 'options'")
            rule = rule.with_overrides(setting.get("severity"), setting.get("options"), where)
        out.append(rule)
    unknown = [k for k in overrides if not any(k in (r.code, r.name) for r in rules)]
    if unknown:
        raise ConfigError(f"rules: '{unknown[0]}' is not a rule code or name")
    return tuple(sorted(out, key=lambda r: r.code))


def load_selected(config: Config) -> tuple[tuple[Rule, ...], tuple[Rule, ...]]:
    """(all known rules, the selected ones) for this configuration."""
    packs = [(config.root / p) for p in config["packs"]]
    rules = load_rules(packs)
    return rules, bind_config(select_rules(rules, config), config)


def bind_config(rules: Sequence[Rule], config: Config) -> tuple[Rule, ...]:
    """Let kinds that take settings from the configuration (a module-level
    ``configure(options, config)``) bind them once, before any file is checked."""
    out = []
    for rule in rules:
        module = kind_module(rule.kind)
        hook = getattr(module, "configure", None) if module else None
        if hook is not None:
            rule = replace(rule, options=MappingProxyType(hook(rule.options, config)))
        out.append(rule)
    return tuple(out)


def is_secret(rule: Rule) -> bool:
    """A rule whose matched text must never be printed or stored (leaks)."""
    return kind_traits(rule.kind)[1] or bool(rule.options.get("mask"))


def stamp(doc: Document, rule: Rule, finding: Finding, secret: bool = False) -> Diagnostic:
    line, col = doc.position(finding.start)
    end_line, end_col = doc.position(max(finding.end, finding.start))
    display_line = doc.source_map[line - 1] if doc.source_map else line
    display_end = doc.source_map[end_line - 1] if doc.source_map else end_line
    snippet = doc.text[finding.start:finding.end][:200]
    if secret:  # still matches a baseline entry, never shows the secret
        snippet = "sha256:" + hashlib.sha256(snippet.encode("utf-8")).hexdigest()[:32]
    return Diagnostic(
        doc.path, display_line, col, display_end, end_col, rule.code, rule.name,
        rule.severity, render(rule.message, finding.args), finding.related,
        finding.fix if rule.fixable else (),
        snippet,
    )


def input_diagnostic(path: str, problem: InputProblem, by_code: Mapping[str, Rule]) -> Diagnostic:
    rule = by_code.get(problem.code)
    name = rule.name if rule else "input"
    severity = rule.severity if rule else Severity.ERROR
    return Diagnostic(path, problem.line, problem.column, problem.line, problem.column,
                      problem.code, name, severity, problem.message)


def check_document(doc: Document, rules: Sequence[Rule]) -> list[Diagnostic]:
    """Run every rule over one Document. A rule that fails becomes an E900 diagnostic."""
    out: list[Diagnostic] = []
    for rule in rules:
        if rule.kind == "input" or doc.format not in rule.formats:
            continue
        module = kind_module(rule.kind)
        if module is None or kind_traits(rule.kind)[0]:
            continue
        secret = is_secret(rule)
        try:
            for finding in module.check(doc, rule.options):
                if doc.masked and doc.is_masked(finding.start):
                    continue
                if doc.markup and doc.is_markup(finding.start, finding.end):
                    continue
                if doc.suppressions and doc.is_suppressed(
                        rule.code, rule.name, doc.position(finding.start)[0]):
                    continue
                out.append(stamp(doc, rule, finding, secret))
        except Exception as exc:  # a bug in a check must not stop the run
            out.append(rule_failed(doc.path, rule, exc))
    return out


def rule_failed(path: str, rule: Rule, exc: Exception) -> Diagnostic:
    """E900 for a rule that raised (or whose pattern timed out) on one file."""
    if isinstance(exc, TimeoutError):
        what = "timed out on this file; its pattern may be too slow"
    else:
        what = f"failed on this file: {type(exc).__name__}: {exc}"
    return Diagnostic(path, 1, 1, 1, 1, "E900", "rule-failed", Severity.ERROR,
                      f"rule {rule.code} ({rule.name}) {what}")


@dataclass(frozen=True)
class FileResult:
    """What checking one file yields: the unit of work of the process pool and of the
    result cache.

    ``extras`` maps the code of each CORPUS rule active for the file to the per-document
    data its kind's ``fingerprint(doc, options)`` returned; the cross-document stage
    matches those over all files. Extras travel between processes and are stored in the
    result cache (so a warm run need not read unchanged files): they must be picklable
    values, best small plain data (tuples, NamedTuples, ints, bytes, str).
    """

    path: str
    diagnostics: tuple[Diagnostic, ...] = ()
    extras: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class RunResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: int = 0
    results: list[FileResult] = field(default_factory=list)  # one per file, discovery order
    cached: int = 0  # files answered by the result cache without checking
    warnings: list[str] = field(default_factory=list)  # e.g. the cache could not be used


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A file to check: ``path`` as the user named it (diagnostics show it) and ``key``,
    its absolute path (identity for de-duplication and in the result cache)."""

    path: Path
    key: str


def walk(paths: Iterable[Path], config: Config,
         max_depth: int = MAX_DEPTH) -> Iterator[tuple[SourceFile, InputProblem | None]]:
    """Yield ``(file, None)`` for each file to check, once, and ``(path, problem)`` for
    what cannot be walked (an unreadable directory, a symbolic-link loop, nesting deeper
    than ``max_depth``). Files named explicitly are checked whatever their extension;
    directories are walked for the configured extensions in sorted order, iteratively (no
    recursion limit), without following symlinked directories (no loops). Exclusion globs
    match strings built as the walk descends, and absolute paths are resolved once per
    argument: discovery is part of every warm run, so it must not touch each file twice."""
    exts = {e.lower() if e.startswith(".") else "." + e.lower() for e in config["extensions"]}
    excluded = config.exclusion.matches
    seen: set[str] = set()
    for path in paths:
        if not path.is_dir():
            key = _real(path)
            if key not in seen:
                seen.add(key)
                yield SourceFile(path, key), None
            continue
        rel_top = config.relative(path)
        stack = [(path, _real(path), "" if rel_top == "." else rel_top + "/", 0)]
        while stack:
            directory, abs_dir, rel_dir, depth = stack.pop()
            try:
                with os.scandir(directory) as it:
                    entries = sorted(it, key=lambda e: e.name)
            except OSError as exc:
                yield SourceFile(directory, abs_dir), os_problem(exc, "directory")
                continue
            subdirs: list[str] = []
            for entry in entries:
                name = entry.name
                try:
                    is_dir = entry.is_dir(follow_symlinks=False)
                except OSError:
                    is_dir = False
                if is_dir:
                    if not (excluded(rel_dir + name) or excluded(name)):
                        subdirs.append(name)
                    continue
                if os.path.splitext(name)[1].lower() not in exts:
                    continue
                if excluded(rel_dir + name) or excluded(name):
                    continue
                item = directory / name
                key = os.path.join(abs_dir, name)
                if entry.is_symlink():
                    if _is_loop(item):
                        yield SourceFile(item, key), InputProblem(
                            "E012", "symbolic link loop: the link never reaches a file; not "
                                    "checked (fix or remove the link)")
                        continue
                    key = _real(item)
                if key not in seen:
                    seen.add(key)
                    yield SourceFile(item, key), None
            if subdirs and depth >= max_depth:
                yield SourceFile(directory, abs_dir), InputProblem(
                    "E011", f"directory nesting deeper than {max_depth} levels; "
                            f"{len(subdirs)} subdirector{'y' if len(subdirs) == 1 else 'ies'} "
                            f"below here not checked")
                continue
            stack.extend((directory / d, os.path.join(abs_dir, d), f"{rel_dir}{d}/", depth + 1)
                         for d in reversed(subdirs))


def _real(path: Path) -> str:
    return os.path.realpath(path)  # never raises on a symlink loop (Path.resolve does in 3.11)


def _is_loop(path: Path) -> bool:
    try:
        os.stat(path)
    except OSError as exc:
        return exc.errno == errno.ELOOP
    return False


def discover_files(paths: Iterable[Path], config: Config) -> Iterator[Path]:
    """Each file to check, once (see :func:`walk`; walking problems are left out)."""
    return (f.path for f, problem in walk(paths, config) if problem is None)


def rules_for(path: Path, rules: Sequence[Rule], config: Config) -> list[Rule]:
    """The selected rules less those the configuration's per-file-ignores drop for ``path``."""
    ignored = config.ignored_codes(path)
    if not ignored:
        return list(rules)
    return [r for r in rules if not any(_matches(r, c) for c in ignored)]


def corpus_rules(rules: Sequence[Rule]) -> list[Rule]:
    """The rules whose kind works across documents (``CORPUS = True``)."""
    return [r for r in rules if kind_traits(r.kind)[0]]


def corpus_extras(doc: Document, rules: Sequence[Rule]) -> tuple[dict[str, Any], list[Diagnostic]]:
    """Per-document data of the CORPUS rules among ``rules``: {code: fingerprints}. It
    travels with the file's result (through worker processes and the result cache) to the
    cross-document stage at the end of :func:`run`."""
    extras: dict[str, Any] = {}
    failures: list[Diagnostic] = []
    for rule in corpus_rules(rules):
        if doc.format not in rule.formats:
            continue
        from checker import corpus

        try:
            extras.update(corpus.collect(doc, [rule]))
        except Exception as exc:  # as in check_document: one failing rule must not stop the run
            failures.append(rule_failed(doc.path, rule, exc))
    return extras, failures


def fingerprint_path(path: Path, rules: Sequence[Rule], config: Config
                     ) -> tuple[dict[str, Any], list[Diagnostic]]:
    """Only the CORPUS rules' part of :func:`check_path` (its ``extras``, and a failure
    of a fingerprint as a diagnostic): the first phase of a two-phase pool run, see
    :mod:`checker.runner`. A file that cannot be read has none (the check reports it)."""
    doc = read_path(path, path.as_posix(), config["max-file-size"], controls=False).document
    if doc is None:
        return {}, []
    return corpus_extras(doc, rules_for(path, corpus_rules(rules), config))


def check_path(path: Path, rules: Sequence[Rule], config: Config,
               known: Mapping[str, Rule], loaded: Loaded | None = None
               ) -> tuple[Document | None, FileResult]:
    """Read and check one file. ``rules`` are the selected rules, ``known`` all rules by
    code (input problems of a rule that is not selected are dropped); ``loaded``: the
    file's bytes if they were already read (see :func:`checker.readers.load`)."""
    display = path.as_posix()
    active = rules_for(path, rules, config)
    active_codes = {r.code for r in active}

    def reported(code: str) -> bool:  # an input problem: if its rule is on, or not a rule
        return code in active_codes or code not in known

    result = read_path(path, display, config["max-file-size"], loaded,
                       controls=reported("E013"))
    diags = [input_diagnostic(display, p, known) for p in result.problems if reported(p.code)]
    extras: dict[str, Any] = {}
    doc = result.document
    if doc is not None:
        diags.extend(check_document(doc, active))
        if doc.suppressions and reported("E014"):
            diags.extend(_unknown_selectors(display, doc, known))
        extras, failures = corpus_extras(doc, active)
        diags.extend(failures)
    return doc, FileResult(display, tuple(diags), extras)


def _unknown_selectors(display: str, doc: Document, known: Mapping[str, Rule]) -> list[Diagnostic]:
    """E014 for a suppression comment naming a code or rule that does not exist."""
    out = []
    rules = list(known.values())
    for sup in doc.suppressions:
        for sel in sup.selectors:
            if not any(_matches(r, sel) for r in rules):
                out.append(input_diagnostic(display, InputProblem(
                    "E014", f"suppression comment names '{sel}', which matches no rule (see "
                            f"'draftlint rules'); nothing is suppressed by it",
                    sup.line, sup.column), known))
    return out


def check_file(path: Path, rules: Sequence[Rule], config: Config,
               known: Mapping[str, Rule]) -> tuple[Document | None, list[Diagnostic]]:
    """:func:`check_path` returning the Document and the diagnostics."""
    doc, result = check_path(path, rules, config, known)
    return doc, list(result.diagnostics)


def run(paths: Sequence[Path], config: Config, rules: Sequence[Rule],
        known: Sequence[Rule], **options: Any) -> RunResult:
    """Check every file under ``paths`` (which must exist) with the selected ``rules``.
    ``options`` (jobs, cache, progress) are those of :func:`checker.runner.run_files`."""
    # The run builds hundreds of thousands of objects that live until it ends (diagnostics
    # loaded from the cache or sent by the workers, fingerprints, the stage's matches) and
    # makes no reference cycles in bulk; the cyclic collector would walk them all again
    # and again and find nothing (on 10,000 drafts, half of a warm run). Paused for the
    # run, and what the run returns is frozen (kept out of later collections; reference
    # counting still frees it); worker processes turn it back on.
    paused = gc.isenabled()
    gc.disable()
    try:
        return _run(paths, config, rules, known, **options)
    finally:
        if paused:
            gc.freeze()
            gc.enable()


def _run(paths: Sequence[Path], config: Config, rules: Sequence[Rule],
         known: Sequence[Rule], **options: Any) -> RunResult:
    from checker.runner import run_files

    by_code = {r.code: r for r in known}
    selected = {r.code for r in rules}
    files: list[SourceFile] = []
    problems: list[Diagnostic] = []
    for source, problem in walk(paths, config):
        if problem is None:
            files.append(source)
        elif problem.code in selected or problem.code not in by_code:
            problems.append(input_diagnostic(source.path.as_posix(), problem, by_code))
    cross = corpus_rules(rules)
    stage = partial(_cross_document, paths, cross=cross, config=config,
                    cache=options.get("cache")) if cross else None
    result = run_files(files, config, rules, known, stage=stage, **options)
    if problems:
        result.diagnostics = sorted([*result.diagnostics, *problems], key=ORDER)
    return result


def _cross_document(paths: Sequence[Path], collected: list[tuple[Path, Mapping[str, Any]]],
                    parts: int, cross: Sequence[Rule], config: Config, cache: Any
                    ) -> list[Diagnostic]:
    """The cross-document stage over every file's fingerprints (``collected``: (path,
    extras) of each file that has some, in discovery order; ``parts``: the processes it
    may run in, see :func:`checker.corpus.run_stage`). Its output is kept in the
    result cache, keyed by the fingerprints of all files (the settings are the cache's
    own key): a warm run over an unchanged repo does not match again. Not when a
    repo-scoped rule also reads files outside this run (a pre-commit run on a few files):
    those files could have changed without changing the key."""
    from checker import corpus

    root = str(config.resolved_root)
    whole_repo = config.source is None or any(_real(p) == root for p in paths)
    keyed = cache is not None and (whole_repo or all(
        r.options.get("scope") != "repo" for r in cross))
    key = ""
    previous = None
    if keyed:
        h = hashlib.blake2b(digest_size=16)
        for path, prints in sorted(collected, key=lambda c: str(c[0])):
            h.update(str(path).encode("utf-8", "surrogatepass"))
            for code in sorted(prints):
                h.update(f"\0{code}\0{prints[code].key}\n".encode())
        key = h.hexdigest()
        try:
            last = cache.last_stage()
            if last is not None:
                stored = corpus.Stored(last[1])
                if last[0] == key:
                    return list(stored.diagnostics())
                previous = stored  # another input: the stage starts from its state
        except Exception:  # sqlite3.Error, a damaged payload: an unusable cache only costs time
            pass
    found = corpus.run_stage(collected, cross, config, previous, parts, keep=keyed)
    if keyed:
        def store() -> None:
            try:
                cache.store_stage(key, corpus.pack(found))
            except Exception:  # not stored: the next run matches again
                pass

        if found.split:  # a large stage split after the pool: write it on
            from checker.spread import background  # a free core while the output is printed

            cache.after(background(store))
        else:
            store()
    return found.diagnostics()
