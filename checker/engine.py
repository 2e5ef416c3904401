"""The engine: select rules, run their checks over each Document, stamp diagnostics.

Checks yield :class:`Finding` objects (offsets and message arguments); the engine turns
them into :class:`Diagnostic` objects with path, 1-based positions, code, rule name,
severity and message, drops findings in masked regions or switched off for the path,
and sorts them.
"""

from __future__ import annotations

import os
import string
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
        return string.Formatter().vformat(template, (), _Args(args))
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
    from checker.segment import with_config_terms

    return rules, with_config_terms(select_rules(rules, config), config)


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


def discover_files(paths: Iterable[Path], config: Config) -> Iterator[Path]:
    """Yield each file to check, once. Files named explicitly are checked whatever their extension; directories are walked
    for the configured extensions. Symlinked directories are not followed (no loops)."""
    exts = {e.lower() if e.startswith(".") else "." + e.lower() for e in config["extensions"]}
    seen: set[Path] = set()
    for path in paths:
        if not path.is_dir():
            if path.resolve() not in seen:
                seen.add(path.resolve())
                yield path
            continue
        for dirpath, dirnames, filenames in os.walk(path, onerror=None):
            base = Path(dirpath)
            dirnames[:] = sorted(d for d in dirnames if not config.is_excluded(base / d))
            for name in sorted(filenames):
                file = base / name
                if file.suffix.lower() in exts and not config.is_excluded(file):
                    if file.resolve() not in seen:
                        seen.add(file.resolve())
                        yield file


def check_file(path: Path, rules: Sequence[Rule], config: Config,
               known: Mapping[str, Rule]) -> tuple[Document | None, list[Diagnostic]]:
    """Read and check one file. ``rules`` are the selected rules, ``known`` all rules by
    code (input problems of a rule that is not selected are dropped)."""
    display = path.as_posix()
    result = read_path(path, display, config["max-file-size"])
    ignored = config.ignored_codes(path)
    active = [r for r in rules if not any(r.code.startswith(c) or r.name == c for c in ignored)]
    active_codes = {r.code for r in active}
    diags = [input_diagnostic(display, p, known) for p in result.problems
             if p.code in active_codes or p.code not in known]
    if result.document is not None:
        diags.extend(check_document(result.document, active))
    return result.document, diags


def run(paths: Sequence[Path], config: Config, rules: Sequence[Rule],
        known: Sequence[Rule]) -> RunResult:
    """Check every file under ``paths`` (which must exist) with the selected ``rules``."""
    by_code = {r.code: r for r in known}
    result = RunResult()
    cross = [r for r in rules if getattr(kind_module(r.kind), "CORPUS", False)]
    collected = []  # (path, fingerprints) for the cross-document stage
    for path in discover_files(paths, config):
        result.files += 1
        doc, diags = check_file(path, rules, config, by_code)
        result.diagnostics.extend(diags)
        if cross and doc is not None:
            from checker import corpus

            collected.append((path, corpus.collect(doc, cross)))
    if cross:
        from checker import corpus

        result.diagnostics.extend(corpus.run_stage(collected, cross, config))
    result.diagnostics.sort()
    return result
