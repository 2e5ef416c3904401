"""The engine: select rules, run their checks over each Document, stamp diagnostics.

Checks yield :class:`Finding` objects (offsets and message arguments); the engine turns
them into :class:`Diagnostic` objects with path, 1-based positions, code, rule name,
severity and message, drops findings in masked regions or switched off for the path,
and sorts them.
"""

from __future__ import annotations

import errno
import hashlib
import os
import string
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, Iterable, Iterator, Mapping, Sequence

from checker.checks import kind_module
from checker.config import Config
from checker.diagnostics import Diagnostic, Finding, Severity
from checker.document import Document
from checker.packs import ConfigError, Rule, load_rules
from checker.readers import InputProblem, os_problem, read_path

# Directories deeper than this below a checked path are not entered (E011).
MAX_DEPTH = 64


class _Args(dict):
    """Message arguments: a missing one prints as ``{name}`` instead of raising."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render(template: str, args: Mapping[str, Any]) -> str:
    try:
        return string.Formatter().vformat(template, (), _Args(args))
    except (ValueError, IndexError, KeyError, AttributeError):
        return template


def _matches(rule: Rule, selector: str) -> bool:
    """``selector`` (a code, code prefix, rule name or ``ALL``) names ``rule``."""
    return selector == "ALL" or rule.code.startswith(selector) or rule.name == selector


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
    module = kind_module(rule.kind)
    return bool(getattr(module, "SECRET", False) or rule.options.get("mask"))


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
        if module is None or getattr(module, "CORPUS", False):
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
        except TimeoutError:
            out.append(Diagnostic(doc.path, 1, 1, 1, 1, "E900", "rule-failed", Severity.ERROR,
                                  f"rule {rule.code} ({rule.name}) timed out on this file; "
                                  f"its pattern may be too slow"))
        except Exception as exc:  # a bug in a check must not stop the run
            out.append(Diagnostic(doc.path, 1, 1, 1, 1, "E900", "rule-failed", Severity.ERROR,
                                  f"rule {rule.code} ({rule.name}) failed on this file: "
                                  f"{type(exc).__name__}: {exc}"))
    return out


@dataclass
class RunResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: int = 0


def _real(path: Path) -> str:
    return os.path.realpath(path)  # never raises on a symlink loop (Path.resolve does in 3.11)


def walk(paths: Iterable[Path], config: Config,
         max_depth: int = MAX_DEPTH) -> Iterator[tuple[Path, InputProblem | None]]:
    """Yield ``(file, None)`` for each file to check, once, and ``(path, problem)`` for
    what cannot be walked (an unreadable directory, a symbolic-link loop, nesting deeper
    than ``max_depth``). Files named explicitly are checked whatever their extension;
    directories are walked for the configured extensions, iteratively (no recursion
    limit), without following symlinked directories (no loops)."""
    exts = {e.lower() if e.startswith(".") else "." + e.lower() for e in config["extensions"]}
    seen: set[str] = set()
    for path in paths:
        if not path.is_dir():
            real = _real(path)
            if real not in seen:
                seen.add(real)
                yield path, None
            continue
        stack: list[tuple[Path, int]] = [(path, 0)]
        while stack:
            directory, depth = stack.pop()
            try:
                with os.scandir(directory) as it:
                    entries = sorted(it, key=lambda e: e.name)
            except OSError as exc:
                yield directory, os_problem(exc, "directory")
                continue
            subdirs: list[Path] = []
            for entry in entries:
                item = directory / entry.name
                try:
                    is_dir = entry.is_dir(follow_symlinks=False)
                except OSError:
                    is_dir = False
                if is_dir:
                    if not config.is_excluded(item):
                        subdirs.append(item)
                    continue
                if item.suffix.lower() not in exts or config.is_excluded(item):
                    continue
                if entry.is_symlink() and _is_loop(item):
                    yield item, InputProblem("E012", "symbolic link loop: the link never reaches "
                                                     "a file; not checked (fix or remove the link)")
                    continue
                real = _real(item)
                if real not in seen:
                    seen.add(real)
                    yield item, None
            if subdirs and depth >= max_depth:
                yield directory, InputProblem(
                    "E011", f"directory nesting deeper than {max_depth} levels; "
                            f"{len(subdirs)} subdirector{'y' if len(subdirs) == 1 else 'ies'} "
                            f"below here not checked")
                continue
            stack.extend((d, depth + 1) for d in reversed(subdirs))


def _is_loop(path: Path) -> bool:
    try:
        os.stat(path)
    except OSError as exc:
        return exc.errno == errno.ELOOP
    return False


def discover_files(paths: Iterable[Path], config: Config) -> Iterator[Path]:
    """Each file to check, once (see :func:`walk`; walking problems are left out)."""
    for path, problem in walk(paths, config):
        if problem is None:
            yield path


def rules_for(path: Path, rules: Sequence[Rule], config: Config) -> list[Rule]:
    """The selected rules less those the configuration's per-file-ignores drop for ``path``."""
    ignored = config.ignored_codes(path)
    return [r for r in rules if not any(_matches(r, c) for c in ignored)]


def check_file(path: Path, rules: Sequence[Rule], config: Config,
               known: Mapping[str, Rule]) -> tuple[Document | None, list[Diagnostic]]:
    """Read and check one file. ``rules`` are the selected rules, ``known`` all rules by
    code (input problems of a rule that is not selected are dropped)."""
    display = path.as_posix()
    result = read_path(path, display, config["max-file-size"])
    active = rules_for(path, rules, config)
    active_codes = {r.code for r in active}
    diags = [input_diagnostic(display, p, known) for p in result.problems
             if p.code in active_codes or p.code not in known]
    doc = result.document
    if doc is not None:
        diags.extend(check_document(doc, active))
        if doc.suppressions and ("E014" in active_codes or "E014" not in known):
            diags.extend(_unknown_selectors(display, doc, known))
    return doc, diags


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


def run(paths: Sequence[Path], config: Config, rules: Sequence[Rule],
        known: Sequence[Rule]) -> RunResult:
    """Check every file under ``paths`` (which must exist) with the selected ``rules``."""
    by_code = {r.code: r for r in known}
    result = RunResult()
    for path, problem in walk(paths, config):
        if problem is not None:
            if problem.code in {r.code for r in rules} or problem.code not in by_code:
                result.diagnostics.append(input_diagnostic(path.as_posix(), problem, by_code))
            continue
        result.files += 1
        _doc, diags = check_file(path, rules, config, by_code)
        result.diagnostics.extend(diags)
    result.diagnostics.sort()
    return result
