"""The engine: select rules, run their checks over each Document, stamp diagnostics.

Checks yield :class:`Finding` objects (offsets and message arguments); the engine turns
them into :class:`Diagnostic` objects with path, 1-based positions, code, rule name,
severity and message, drops findings in masked regions or switched off for the path,
and sorts them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Sequence

from checker.checks import kind_module
from checker.config import Config
from checker.diagnostics import Diagnostic, Finding, Severity
from checker.document import Document
from checker.packs import ConfigError, Rule, load_rules
from checker.readers import InputProblem, read_path


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
    return selector == "ALL" or rule.code.startswith(selector) or rule.name == selector


def select_rules(rules: Sequence[Rule], config: Config) -> tuple[Rule, ...]:
    """Ruff's model: ``select`` replaces the default set, ``extend-select`` adds,
    ``ignore`` removes; selectors are codes, code prefixes, rule names or ``ALL``."""
    for key in ("select", "extend-select", "ignore"):
        for selector in config[key] or ():
            if not any(_matches(r, selector) for r in rules):
                raise ConfigError(f"{key}: '{selector}' matches no rule (see 'draftlint rules')")
    select = config["select"]
    chosen = [r for r in rules if (any(_matches(r, s) for s in select) if select is not None
                                   else r.enabled)]
    chosen += [r for r in rules if r not in chosen
               and any(_matches(r, s) for s in config["extend-select"])]
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
    return rules, select_rules(rules, config)


def stamp(doc: Document, rule: Rule, finding: Finding) -> Diagnostic:
    line, col = doc.position(finding.start)
    end_line, end_col = doc.position(max(finding.end, finding.start))
    display_line = doc.source_map[line - 1] if doc.source_map else line
    display_end = doc.source_map[end_line - 1] if doc.source_map else end_line
    return Diagnostic(
        doc.path, display_line, col, display_end, end_col, rule.code, rule.name,
        rule.severity, render(rule.message, finding.args), finding.related, finding.fix,
        doc.text[finding.start:finding.end][:200],
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
        if module is None or getattr(module, "CORPUS", False):
            continue
        try:
            for finding in module.check(doc, rule.options):
                if doc.masked and doc.is_masked(finding.start):
                    continue
                out.append(stamp(doc, rule, finding))
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


def walk(paths: Iterable[Path], config: Config) -> Iterator[SourceFile]:
    """Yield each file to check, once. Files named explicitly are checked whatever their
    extension; directories are walked for the configured extensions, in sorted order.
    Symlinked directories are not followed (no loops). Paths are resolved once per
    argument, not per file: discovery is part of every warm run."""
    exts = {e.lower() if e.startswith(".") else "." + e.lower() for e in config["extensions"]}
    excluded = config.exclusion.matches
    seen: set[str] = set()
    for path in paths:
        if not path.is_dir():
            key = str(path.resolve())
            if key not in seen:
                seen.add(key)
                yield SourceFile(path, key)
            continue
        top, top_abs = os.fspath(path), str(path.resolve())
        rel_top = config.relative(path)
        prefix = "" if rel_top == "." else rel_top + "/"
        for dirpath, dirnames, filenames in os.walk(path):
            sub = dirpath[len(top):].lstrip(os.sep)
            rel_dir = prefix + sub.replace(os.sep, "/") + "/" if sub else prefix
            dirnames[:] = sorted(d for d in dirnames
                                 if not (excluded(rel_dir + d) or excluded(d)))
            abs_dir = os.path.join(top_abs, sub) if sub else top_abs
            base = Path(dirpath)
            for name in sorted(filenames):
                if os.path.splitext(name)[1].lower() not in exts:
                    continue
                if excluded(rel_dir + name) or excluded(name):
                    continue
                key = os.path.join(abs_dir, name)
                if key not in seen:
                    seen.add(key)
                    yield SourceFile(base / name, key)


def discover_files(paths: Iterable[Path], config: Config) -> Iterator[Path]:
    """The paths :func:`walk` yields."""
    return (f.path for f in walk(paths, config))


def active_rules(path: Path, rules: Sequence[Rule], config: Config) -> list[Rule]:
    """``rules`` minus those per-file-ignores switch off for ``path``."""
    ignored = config.ignored_codes(path)
    if not ignored:
        return list(rules)
    return [r for r in rules if not any(r.code.startswith(c) or r.name == c for c in ignored)]


def corpus_extras(doc: Document, rules: Sequence[Rule]) -> tuple[dict[str, Any], list[Diagnostic]]:
    """Per-document data of the CORPUS rules among ``rules``: {code: fingerprint}."""
    extras: dict[str, Any] = {}
    failures: list[Diagnostic] = []
    for rule in rules:
        module = kind_module(rule.kind)
        if (module is None or not getattr(module, "CORPUS", False)
                or doc.format not in rule.formats or not hasattr(module, "fingerprint")):
            continue
        try:
            extras[rule.code] = module.fingerprint(doc, rule.options)
        except Exception as exc:  # as in check_document: one failing rule must not stop the run
            failures.append(rule_failed(doc.path, rule, exc))
    return extras, failures


def check_path(path: Path, rules: Sequence[Rule], config: Config,
               known: Mapping[str, Rule]) -> tuple[Document | None, FileResult]:
    """Read and check one file. ``rules`` are the selected rules, ``known`` all rules by
    code (input problems of a rule that is not selected are dropped)."""
    display = path.as_posix()
    result = read_path(path, display, config["max-file-size"])
    active = active_rules(path, rules, config)
    active_codes = {r.code for r in active}
    diags = [input_diagnostic(display, p, known) for p in result.problems
             if p.code in active_codes or p.code not in known]
    extras: dict[str, Any] = {}
    if result.document is not None:
        diags.extend(check_document(result.document, active))
        extras, failures = corpus_extras(result.document, active)
        diags.extend(failures)
    return result.document, FileResult(display, tuple(diags), extras)


def check_file(path: Path, rules: Sequence[Rule], config: Config,
               known: Mapping[str, Rule]) -> tuple[Document | None, list[Diagnostic]]:
    """:func:`check_path` returning the Document and the diagnostics."""
    doc, result = check_path(path, rules, config, known)
    return doc, list(result.diagnostics)


def run(paths: Sequence[Path], config: Config, rules: Sequence[Rule],
        known: Sequence[Rule], **options: Any) -> RunResult:
    """Check every file under ``paths`` (which must exist) with the selected ``rules``.
    ``options`` (jobs, cache, progress) are those of :func:`checker.runner.run_files`."""
    from checker.runner import run_files

    return run_files(list(walk(paths, config)), config, rules, known, **options)
