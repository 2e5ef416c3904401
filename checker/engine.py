"""The engine: select rules, run their checks over one Document, stamp diagnostics.

Checks yield :class:`Finding` objects (offsets and message arguments); the engine turns
them into :class:`Diagnostic` objects with path, 1-based positions, code, rule name,
severity and message, drops findings in masked regions or switched off for the path,
and sorts them.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping, Sequence

from checker.checks import is_corpus, kind_module
from checker.config import Config
from checker.deadline import RuleClock, RuleTimeout
from checker.model import Diagnostic, FileResult, Finding, Severity
from checker.document import Document
from checker.i18n import tr
from checker.masking import Secrets, hide, is_secret, secret_rules
from checker.packs import ConfigError, Rule, load_rules, selector_names
from checker.readers import InputProblem, Loaded, read_path

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
                raise ConfigError(tr("error.selector", key=_origin(config, key, selector),
                                     selector=selector))
    for glob, codes in (config["per-file-ignores"] or {}).items():
        for selector in codes:
            if not any(_matches(r, selector) for r in rules):
                raise ConfigError(tr("error.selector-per-file", where=config.source, glob=glob,
                                     selector=selector))
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
                raise ConfigError(tr("error.rule-setting", where=where))
            rule = rule.with_overrides(setting.get("severity"), setting.get("options"), where)
        out.append(rule)
    unknown = [k for k in overrides if not any(k in (r.code, r.name) for r in rules)]
    if unknown:
        raise ConfigError(tr("error.not-a-rule", where=config.source or "configuration",
                             key=unknown[0]))
    if not out:
        raise ConfigError(tr("error.nothing-selected"))
    return tuple(sorted(out, key=lambda r: r.code))


def _origin(config: Config, key: str, selector: str) -> str:
    """Where a selector comes from: the configuration file's key, or the option."""
    if config.source is not None and selector in (config.file_values.get(key) or ()):
        return tr("error.origin-key", where=config.source, key=key)
    return f"--{key}"


def load_selected(config: Config) -> tuple[tuple[Rule, ...], tuple[Rule, ...]]:
    """(all known rules, the selected ones) for this configuration."""
    packs = [(config.root / p) for p in config["packs"]]
    rules = load_rules(packs)
    return rules, bind_config(select_rules(rules, config), config)


def bind_config(rules: Sequence[Rule], config: Config) -> tuple[Rule, ...]:
    """Validate the selected rules' options (a mistake is a ConfigError here, not an
    E900 on every file), and let kinds that take settings from the configuration (a
    module-level ``configure(options, config)``) bind them once, before any file is
    checked."""
    out = []
    for rule in rules:
        dict(rule.options)  # a shipped rule's are validated when first read
        module = kind_module(rule.kind)
        hook = getattr(module, "configure", None) if module else None
        if hook is not None:
            rule = replace(rule, options=MappingProxyType(hook(rule.options, config)))
        out.append(rule)
    return tuple(out)


def stamp(doc: Document, rule: Rule, finding: Finding, secret: bool = False,
          secrets: Secrets | None = None) -> Diagnostic:
    """The Diagnostic of one finding; with ``secrets`` (those of the document), every
    quotation of a secret in its message, related messages and snippet is masked."""
    line, col = doc.position(finding.start)
    end_line, end_col = doc.position(max(finding.end, finding.start))
    display_line = doc.source_map[line - 1] if doc.source_map else line
    display_end = doc.source_map[end_line - 1] if doc.source_map else end_line
    snippet = doc.text[finding.start:finding.end][:200]
    args, related = finding.args, finding.related
    if secret:  # still matches a baseline entry (by its length), never shows the secret
        snippet = hide(snippet)
    elif secrets is not None:
        snippet = secrets.snippet(finding.start, finding.start + len(snippet))
    if secrets is not None:
        args, related = secrets.args(args), secrets.related(related)
    return Diagnostic(
        doc.path, display_line, col, display_end, end_col, rule.code, rule.name,
        rule.severity, render(rule.message, args), related,
        finding.fix if rule.fixable else (),
        snippet,
    )


def input_diagnostic(path: str, problem: InputProblem, by_code: Mapping[str, Rule]) -> Diagnostic:
    rule = by_code.get(problem.code)
    name = rule.name if rule else "input"
    severity = rule.severity if rule else Severity.ERROR
    return Diagnostic(path, problem.line, problem.column, problem.line, problem.column,
                      problem.code, name, severity, problem.message)


def check_document(doc: Document, rules: Sequence[Rule],
                   secrets: Secrets | None = None) -> list[Diagnostic]:
    """Run every rule over one Document. A rule that fails becomes an E900 diagnostic.
    ``secrets``: the document's, masked in what the diagnostics quote."""
    out: list[Diagnostic] = []
    with RuleClock() as clock:  # E900 for a rule that runs over the time limit
        for rule in rules:
            if not _per_document(rule) or doc.format not in rule.formats:
                continue
            module = kind_module(rule.kind)
            if module is None:
                continue
            secret = is_secret(rule)
            try:
                clock.start()
                for finding in module.check(doc, rule.options):
                    if doc.masked and doc.is_masked(finding.start):
                        continue
                    if doc.markup and doc.is_markup(finding.start, finding.end):
                        continue
                    if doc.suppressions and doc.is_suppressed(
                            rule.code, rule.name, doc.position(finding.start)[0]):
                        continue
                    out.append(stamp(doc, rule, finding, secret, secrets))
                clock.stop()
            except Exception as exc:  # a bug in a check must not stop the run
                clock.stop()
                out.append(rule_failed(doc.path, rule, exc))
    return out


def _per_document(rule: Rule) -> bool:
    """A rule that check_document runs: neither an input problem nor cross-document."""
    return rule.kind != "input" and not is_corpus(rule.kind)


def rule_failed(path: str, rule: Rule, exc: Exception) -> Diagnostic:
    """E900 for a rule that raised (or whose pattern timed out) on one file."""
    if isinstance(exc, RuleTimeout):
        message = tr("input.rule-over-time", code=rule.code, name=rule.name, limit=exc.limit)
    elif isinstance(exc, TimeoutError):
        message = tr("input.rule-timed-out", code=rule.code, name=rule.name)
    else:
        message = tr("input.rule-failed", code=rule.code, name=rule.name,
                     reason=f"{type(exc).__name__}: {exc}")
    return Diagnostic(path, 1, 1, 1, 1, "E900", "rule-failed", Severity.ERROR, message)


def rules_for(path: Path, rules: Sequence[Rule], config: Config) -> list[Rule]:
    """The selected rules less those the configuration's per-file-ignores drop for ``path``."""
    ignored = config.ignored_codes(path)
    if not ignored:
        return list(rules)
    return [r for r in rules if not any(_matches(r, c) for c in ignored)]


def corpus_rules(rules: Sequence[Rule]) -> list[Rule]:
    """The rules whose kind works across documents (``CORPUS = True``)."""
    return [r for r in rules if is_corpus(r.kind)]


def corpus_extras(doc: Document, rules: Sequence[Rule]) -> tuple[dict[str, Any], list[Diagnostic]]:
    """Per-document data of the cross-document rules among ``rules``: {code: its kind's
    ``fingerprint(doc, options)``}. It travels with the file's result (through worker
    processes and the result cache) to the cross-document stage (see :mod:`checker.run`)."""
    extras: dict[str, Any] = {}
    failures: list[Diagnostic] = []
    for rule in corpus_rules(rules):
        if doc.format not in rule.formats:
            continue
        try:
            extras[rule.code] = kind_module(rule.kind).fingerprint(doc, rule.options)
        except Exception as exc:  # as in check_document: one failing rule must not stop the run
            failures.append(rule_failed(doc.path, rule, exc))
    return extras, failures


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
        secrets = None
        if any(_per_document(r) for r in active):
            # the passages a cross-document rule reports quote no text: nothing to mask
            secrets = Secrets.find(doc, secret_rules(active, known.values()),
                                   config["secret-prefix"])
        diags.extend(check_document(doc, active, secrets))
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
                    "E014", tr("input.unknown-selector", selector=sel), sup.line, sup.column),
                    known))
    return out


def check_file(path: Path, rules: Sequence[Rule], config: Config,
               known: Mapping[str, Rule]) -> tuple[Document | None, list[Diagnostic]]:
    """:func:`check_path` returning the Document and the diagnostics."""
    doc, result = check_path(path, rules, config, known)
    return doc, list(result.diagnostics)
