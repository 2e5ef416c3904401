"""Rule packs: YAML files that say what to look for. Loaded strictly (a shipped rule's options when
first read: the tests read them all), then frozen.

A pack is a mapping with ``pack`` (its name), an optional ``description`` and
``rules``: a list of rule entries::

    - code: P101              # family letter + 3 digits
      name: placeholder-asterisks   # kebab-case, unique
      kind: pattern           # a check kind from checker.checks.KINDS
      severity: error         # error | warning | info
      message: "..."          # str.format template over the finding's arguments:
                              # a string (every language) or {zh-CN: "...", en: "..."}
      enabled: true           # in the default selection (default true)
      formats: [txt, docx]    # only for these formats (default: all)
      options: {...}          # validated against the kind's OPTIONS
      docs: "..."             # what it finds and why it matters (string or mapping)
      examples: {bad: [...], good: [...]}

Any mistake is a :class:`ConfigError` naming the file, the rule and the key.
"""

from __future__ import annotations

import importlib.resources
import os
import stat
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, Iterable, Iterator, Mapping

import regex
import yaml

from checker.yamlsafe import AliasBomb, load_yaml  # noqa: F401 - one safe loader

from checker.checks import KINDS, Opt, kind_module
from checker.i18n import current_language, localized_text, tr
from checker.model import Severity

CODE_RE = regex.compile(r"^[A-Z][0-9]{3}$")
NAME_RE = regex.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
FORMATS = ("txt", "md", "docx")
RULE_KEYS = {"code", "name", "kind", "severity", "message", "enabled", "formats", "options",
             "docs", "examples", "fixable"}


_SENTENCE_END = regex.compile(r"(?<!\b(?:e\.g|i\.e|etc|cf))[.!?](?=\s|$)|[。！？](?![”’）)])")


def first_sentence(text: str) -> str:
    """The first sentence of ``text``'s first paragraph, its lines joined."""
    paragraph = text.strip().split("\n\n", 1)[0]
    lines = [line.strip() for line in paragraph.splitlines()]
    joined = ""
    for line in lines:
        glue = "" if not joined or _is_wide(joined[-1]) and _is_wide(line[:1]) else " "
        joined += glue + line
    found = _SENTENCE_END.search(joined)
    return joined[:found.end()] if found else joined


def _is_wide(ch: str) -> bool:
    return bool(ch) and ord(ch) >= 0x2E80


def selector_names(selector: str, code: str, name: str) -> bool:
    """A selector (a code, a code prefix, a rule name or ``ALL``) names the rule ``code``
    / ``name``: the one meaning shared by select, ignore, per-file-ignores and
    suppression comments."""
    return selector == "ALL" or code.startswith(selector) or name == selector


class ConfigError(Exception):
    """A configuration or rule-pack error: reported to the user, exit code 2."""


@dataclass(frozen=True)
class Rule:
    """A rule; ``message`` and ``docs`` are in the language it was loaded for, and
    ``messages``/``docs_texts`` hold every language's."""
    code: str
    name: str
    kind: str
    severity: Severity
    message: str
    options: Mapping[str, Any]
    docs: str
    examples: Mapping[str, tuple[str, ...]]
    enabled: bool = True
    formats: tuple[str, ...] = FORMATS
    fixable: bool = False
    unsafe_fix: bool = False  # its fix may change words: applied only with --unsafe-fixes
    source: str = ""
    raw_options: Mapping[str, Any] = field(default_factory=dict)
    messages: Mapping[str, str] = field(default_factory=dict)
    docs_texts: Mapping[str, str] = field(default_factory=dict)

    @property
    def summary(self) -> str:
        """The first sentence of the docs, whole (a sentence may run over lines)."""
        return first_sentence(self.docs)

    def with_overrides(self, severity: str | None, options: Mapping[str, Any] | None,
                       where: str) -> "Rule":
        """A copy with a user's severity and options (validated like a pack's)."""
        sev = self.severity if severity is None else _severity(severity, where, self.code)
        opts = self.options
        raw = self.raw_options
        if options:
            raw = {**self.raw_options, **options}
            opts = validate_options(self.kind, raw, where, self.code)
        return replace(self, severity=sev, options=opts, raw_options=raw)


def builtin_pack_dir() -> Path:
    """Where the shipped packs live: package data when installed, ``rules/`` in a checkout."""
    try:
        res = importlib.resources.files("checker.rules")
        path = Path(str(res))
        if path.is_dir() and any(path.glob("*.yaml")):
            return path
    except (ModuleNotFoundError, TypeError):
        pass
    return Path(__file__).resolve().parent.parent / "rules"


def builtin_packs() -> list[Path]:
    return sorted(builtin_pack_dir().glob("*.yaml"))


def _severity(value: Any, where: str, code: str) -> Severity:
    try:
        return Severity.parse(str(value))
    except KeyError:
        raise ConfigError(tr("error.rule-key", where=where, code=code, key="severity",
                             problem=tr("error.expected-got", expected=tr("error.severity"),
                                        value=repr(value)))) from None


def _check_type(opt: Opt, value: Any, where: str, code: str, key: str) -> Any:
    def bad(expected: str) -> ConfigError:
        got = f"{type(value).__name__} {value!r}"
        return ConfigError(tr("error.rule-option", where=where, code=code, key=key,
                              problem=tr("error.expected-got", expected=expected, value=got)))

    def compile_re(pattern: Any) -> Any:
        if not isinstance(pattern, str):
            raise bad(tr("error.regex-string"))
        try:
            return regex.compile(pattern, regex.V1)
        except regex.error as exc:
            raise ConfigError(tr("error.rule-option", where=where, code=code, key=key,
                                 problem=tr("error.invalid-regex", pattern=pattern,
                                            error=exc))) from None

    t = opt.type
    if t == "any":
        return value
    if t == "str":
        if not isinstance(value, str):
            raise bad(tr("error.string"))
        if opt.choices and value not in opt.choices:
            raise bad(tr("error.one-of", choices=", ".join(opt.choices)))
        return value
    if t == "bool":
        if not isinstance(value, bool):
            raise bad(tr("error.bool"))
        return value
    if t == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise bad(tr("error.integer"))
        return value
    if t == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise bad(tr("error.number"))
        return float(value)
    if t == "regex":
        return compile_re(value)
    if t in ("list[str]", "list[regex]"):
        if isinstance(value, str) or not isinstance(value, (list, tuple)):
            raise bad(tr("error.list"))
        if t == "list[regex]":
            return tuple(compile_re(v) for v in value)
        if not all(isinstance(v, str) for v in value):
            raise bad(tr("error.string-list"))
        return tuple(value)
    if t == "dict":
        if not isinstance(value, dict):
            raise bad(tr("error.mapping"))
        return MappingProxyType(dict(value))
    raise AssertionError(f"unknown option type {t}")  # a bug in a check module


def validate_options(kind: str, raw: Mapping[str, Any] | None, where: str,
                     code: str) -> Mapping[str, Any]:
    module = kind_module(kind)
    spec: Mapping[str, Opt] = getattr(module, "OPTIONS", {}) if module else {}
    raw = raw or {}
    if not isinstance(raw, Mapping):
        raise ConfigError(tr("error.rule-key", where=where, code=code, key="options",
                             problem=tr("error.expected", expected=tr("error.mapping"))))
    unknown = sorted(set(raw) - set(spec))
    if unknown:
        known = ", ".join(sorted(spec)) or tr("error.none")
        raise ConfigError(tr("error.rule", where=where, code=code,
                             problem=tr("error.unknown-option", option=unknown[0], kind=kind,
                                        known=known)))
    out: dict[str, Any] = {}
    for key, opt in spec.items():
        if key in raw:
            out[key] = _check_type(opt, raw[key], where, code, key)
        elif opt.required:
            raise ConfigError(tr("error.rule", where=where, code=code,
                                 problem=tr("error.option-required", option=key, kind=kind)))
        else:
            out[key] = opt.default
    problem = getattr(module, "check_options", lambda _options: None)(out)
    if problem is not None:  # what no one option shows: a group a regex lacks
        raise ConfigError(tr("error.rule", where=where, code=code, problem=problem))
    return MappingProxyType(out)


class _Deferred(Mapping[str, Any]):
    """A shipped rule's options, validated (:func:`validate_options`) on first use: a run
    that selects a few rules imports only their kinds and compiles only their patterns.
    The tests validate every shipped rule; a user's pack is validated as it loads."""

    def __init__(self, kind: str, raw: Mapping[str, Any], where: str, code: str) -> None:
        self._args = (kind, raw, where, code)
        self._options: Mapping[str, Any] | None = None

    def _done(self) -> Mapping[str, Any]:
        if self._options is None:
            self._options = validate_options(*self._args)
        return self._options

    def __getitem__(self, key: str) -> Any:
        return self._done()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._done())

    def __len__(self) -> int:
        return len(self._done())


def _texts(entry: Mapping[str, Any], key: str, where: str, code: str) -> Mapping[str, str]:
    """A rule's ``message`` or ``docs``: one text per language."""
    try:
        return localized_text(entry.get(key), template=key == "message")
    except ValueError as exc:
        raise ConfigError(tr("error.rule-key", where=where, code=code, key=key,
                             problem=exc)) from None


def _rule(entry: Any, where: str, index: int, language: str, shipped: bool) -> Rule:
    if not isinstance(entry, Mapping):
        raise ConfigError(tr("error.entry", where=where, index=index,
                             problem=tr("error.expected", expected=tr("error.mapping"))))
    code = entry.get("code")
    if not isinstance(code, str) or not CODE_RE.match(code):
        raise ConfigError(tr("error.entry-key", where=where, index=index, key="code",
                             problem=tr("error.expected-got", expected=tr("error.code"),
                                        value=repr(code))))
    unknown = sorted(set(entry) - RULE_KEYS)
    if unknown:
        raise ConfigError(tr("error.rule", where=where, code=code,
                             problem=tr("error.unknown-key", key=unknown[0])))
    for key in ("name", "kind", "severity"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise ConfigError(tr("error.rule", where=where, code=code,
                                 problem=tr("error.key-required", key=key)))
    name, kind = entry["name"], entry["kind"]
    if not NAME_RE.match(name):
        raise ConfigError(tr("error.rule-key", where=where, code=code, key="name",
                             problem=tr("error.expected-got", expected=tr("error.kebab-case"),
                                        value=repr(name))))
    if kind not in KINDS:
        raise ConfigError(tr("error.rule-key", where=where, code=code, key="kind",
                             problem=tr("error.unknown-kind", kind=kind,
                                        known=", ".join(sorted(KINDS)))))
    examples = entry.get("examples") or {}
    if not isinstance(examples, Mapping) or set(examples) - {"bad", "good"}:
        raise ConfigError(tr("error.rule-key", where=where, code=code, key="examples",
                             problem=tr("error.expected", expected=tr("error.examples"))))
    ex = {}
    for k in ("bad", "good"):
        items = examples.get(k) or []
        if isinstance(items, str):
            items = [items]
        if not all(isinstance(i, str) for i in items):
            raise ConfigError(tr("error.rule-key", where=where, code=code, key=f"examples.{k}",
                                 problem=tr("error.expected", expected=tr("error.strings"))))
        ex[k] = tuple(items)
    formats = entry.get("formats", list(FORMATS))
    if not isinstance(formats, list) or set(formats) - set(FORMATS):
        raise ConfigError(tr("error.rule-key", where=where, code=code, key="formats",
                             problem=tr("error.expected", expected=tr(
                                 "error.formats", formats=", ".join(FORMATS)))))
    for key in ("enabled", "fixable"):
        if key in entry and not isinstance(entry[key], bool) \
                and not (key == "fixable" and entry[key] == "unsafe"):
            expected = tr("error.bool-or-unsafe" if key == "fixable" else "error.bool")
            raise ConfigError(tr("error.rule-key", where=where, code=code, key=key,
                                 problem=tr("error.expected", expected=expected)))
    raw_opts = entry.get("options") or {}
    if not isinstance(raw_opts, Mapping):
        raise ConfigError(tr("error.rule-key", where=where, code=code, key="options",
                             problem=tr("error.expected", expected=tr("error.mapping"))))
    messages = _texts(entry, "message", where, code)
    docs = _texts(entry, "docs", where, code)
    return Rule(
        code=code, name=name, kind=kind,
        severity=_severity(entry["severity"], where, code),
        message=messages[language],
        options=(_Deferred if shipped else validate_options)(kind, raw_opts, where, code),
        docs=docs[language],
        examples=MappingProxyType(ex),
        enabled=entry.get("enabled", True),
        formats=tuple(formats),
        fixable=bool(entry.get("fixable", False)),
        unsafe_fix=entry.get("fixable") == "unsafe",
        source=where,
        raw_options=MappingProxyType(dict(raw_opts)),
        messages=messages,
        docs_texts=docs,
    )


def require_regular_file(path: Path, what: str) -> None:
    """A ConfigError unless ``path`` is a regular file (a FIFO would block, a device such
    as /dev/zero would be read forever)."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise ConfigError(tr("error.cannot-read", path=path, what=tr(f"error.what.{what}"),
                             reason=exc.strerror or exc)) from None
    if not stat.S_ISREG(st.st_mode):
        raise ConfigError(tr("error.cannot-read", path=path, what=tr(f"error.what.{what}"),
                             reason=tr("error.not-regular")))


def read_yaml(path: Path, what: str) -> Any:
    """A YAML file's data (:func:`load_yaml`); a ConfigError naming the file otherwise."""
    require_regular_file(path, what)
    try:
        return load_yaml(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(tr("error.cannot-read", path=path, what=tr(f"error.what.{what}"),
                             reason=exc.strerror or exc)) from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(tr("error.not-yaml", path=path, error=exc)) from None


def load_pack(path: Path, language: str | None = None, shipped: bool = False) -> list[Rule]:
    """The rules of one pack, speaking ``language`` (default: the current one);
    ``shipped``: one of :func:`builtin_packs`, its options validated on first use."""
    language = language or current_language()
    where = str(path)
    data = read_yaml(path, "rule pack")
    if not isinstance(data, Mapping) or not isinstance(data.get("rules"), list):
        raise ConfigError(tr("error.not-pack", where=where))
    unknown = sorted(set(data) - {"pack", "description", "rules"})
    if unknown:
        raise ConfigError(tr("error.unknown-top-key", where=where, key=unknown[0]))
    return [_rule(entry, where, i, language, shipped) for i, entry in enumerate(data["rules"])]


def load_rules(extra: Iterable[Path] = (), language: str | None = None) -> tuple[Rule, ...]:
    """All rules from the shipped packs, then the user's packs; codes and names unique;
    messages and docs in ``language`` (default: the current one)."""
    rules: list[Rule] = []
    by_code: dict[str, Rule] = {}
    by_name: dict[str, Rule] = {}
    shipped = builtin_packs()
    for path in [*shipped, *extra]:
        for rule in load_pack(path, language, path in shipped):
            for table, key in ((by_code, rule.code), (by_name, rule.name)):
                if key in table:
                    raise ConfigError(tr("error.defined-twice", where=rule.source,
                                         code=rule.code, key=key, other=table[key].source))
                table[key] = rule
            rules.append(rule)
    return tuple(sorted(rules, key=lambda r: r.code))
