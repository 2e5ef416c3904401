"""Skeleton templates: what parts a kind of draft must have, as data (YAML).

One template a file. Shipped templates live in ``rules/templates/`` (package data
``checker.rules``, found like the rule packs); a drafts repo adds its own with the
``template-packs`` configuration key. A template::

    template: self-examination        # id, kebab-case: what `templates` in config names
    label: 对照检查材料                # how messages name it
    description: ...
    match: ['对照检查', '剖析材料']    # regexes searched in the title (or, with no title,
                                      # the first paragraph) to recognise the kind
    title: {required: true, about: ['范文点评']}  # about: regexes that, found after the
                                      # match in a title line, make it a text about the kind
                                      # (added to rules/templates/title-about.txt)
    opening: {required: true, ends: ['如下[：:。]$'], example: 现将有关情况报告如下：}
    other-parts: false                # true: parts the template does not list are normal
    parts:                            # in the required order
      - role: problems
        label: 存在的问题
        required: true
        patterns: ['问题$', '问题查摆']   # regexes searched in the part heading's words
    closing: {required: false, patterns: ['批评指正'], example: 以上……请批评指正。}

Loading is strict: an unknown key, a wrong type or an invalid regex is a
:class:`~checker.packs.ConfigError` naming the file, the template and the key.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping, Sequence

import regex

from checker.i18n import current_language, localized_text, tr
from checker.packs import NAME_RE, ConfigError, builtin_pack_dir, read_yaml

Pattern = Any  # regex.Pattern[str]

TOP_KEYS = {"template", "label", "description", "match", "title", "opening", "parts",
            "closing", "other-parts"}
PART_KEYS = {"role", "label", "required", "patterns", "docs"}
TITLE_KEYS = {"required", "about"}
OPENING_KEYS = {"required", "ends", "example"}
CLOSING_KEYS = {"required", "patterns", "example"}


@dataclass(frozen=True)
class Part:
    role: str
    label: str
    required: bool
    patterns: tuple[Pattern, ...]


@dataclass(frozen=True)
class Template:
    id: str
    label: str
    description: str
    match: tuple[Pattern, ...]
    parts: tuple[Part, ...]
    title_required: bool = True
    title_about: tuple[Pattern, ...] = ()
    opening_required: bool = True
    opening_ends: tuple[Pattern, ...] = ()
    opening_example: str = ""
    closing_required: bool = False
    closing_patterns: tuple[Pattern, ...] = ()
    closing_example: str = ""
    other_parts: bool = False
    source: str = ""

    def role_of(self, words: str) -> Part | None:
        """The part whose pattern matches the heading words best: the match ending
        last (Chinese puts the head noun last: 问题 / 原因分析 / 整改措施), then the
        longest, then the first listed."""
        best: tuple[int, int, int] | None = None
        found = None
        for index, part in enumerate(self.parts):
            for pattern in part.patterns:
                m = pattern.search(words)
                if m:
                    score = (m.end(), m.end() - m.start(), -index)
                    if best is None or score > best:
                        best, found = score, part
        return found

    def index(self, part: Part) -> int:
        return self.parts.index(part)


class _Where:
    def __init__(self, path: str, tid: str = "?") -> None:
        self.path, self.tid = path, tid

    def error(self, key: str, what: str) -> ConfigError:
        return ConfigError(tr("error.template", path=self.path, template=self.tid, key=key,
                              problem=what))


def _mapping(value: Any, keys: set[str], key: str, where: _Where) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise where.error(key, tr("error.expected-got", expected=tr("error.mapping"),
                                  value=repr(value)))
    unknown = sorted(set(value) - keys)
    if unknown:
        raise where.error(f"{key}.{unknown[0]}",
                          tr("error.unknown-key-known", known=", ".join(sorted(keys))))
    return value


def _str(value: Any, key: str, where: _Where, required: bool = True) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise where.error(key, tr("error.expected-got", expected=tr("error.nonempty-string"),
                                  value=repr(value)))
    return value.strip()


def _prose(value: Any, key: str, where: _Where) -> str:
    """An optional text for readers (``description``, a part's ``docs``): a string, or a
    mapping of zh-CN and en texts (:func:`checker.i18n.localized_text`); the current
    language's."""
    if value is None:
        return ""
    try:
        return localized_text(value, template=False)[current_language()]
    except ValueError as exc:
        raise where.error(key, str(exc)) from None


def _bool(value: Any, default: bool, key: str, where: _Where) -> bool:
    if value is None:
        return default
    if not isinstance(value, bool):
        raise where.error(key, tr("error.expected-got", expected=tr("error.bool"),
                                  value=repr(value)))
    return value


def _regexes(value: Any, key: str, where: _Where, required: bool) -> tuple[Pattern, ...]:
    if value is None and not required:
        return ()
    if isinstance(value, str) or not isinstance(value, list) or (required and not value):
        raise where.error(key, tr("error.expected-got", expected=tr("error.regex-list"),
                                  value=repr(value)))
    out = []
    for k, item in enumerate(value):
        if not isinstance(item, str):
            raise where.error(f"{key}[{k}]", tr(
                "error.expected-got", expected=tr("error.regex-string"), value=repr(item)))
        try:
            out.append(regex.compile(item, regex.V1))
        except regex.error as exc:
            raise where.error(f"{key}[{k}]",
                              tr("error.invalid-regex", pattern=item, error=exc)) from None
    return tuple(out)


def parse_template(data: Any, path: str) -> Template:
    where = _Where(path)
    if not isinstance(data, Mapping):
        raise ConfigError(tr("error.not-template", path=path))
    tid = data.get("template")
    if not isinstance(tid, str) or not NAME_RE.match(tid):
        raise where.error("template", tr("error.expected-got", expected=tr("error.template-id"),
                                         value=repr(tid)))
    where.tid = tid
    unknown = sorted(set(data) - TOP_KEYS)
    if unknown:
        raise where.error(unknown[0],
                          tr("error.unknown-key-known", known=", ".join(sorted(TOP_KEYS))))
    title = _mapping(data.get("title"), TITLE_KEYS, "title", where)
    opening = _mapping(data.get("opening"), OPENING_KEYS, "opening", where)
    closing = _mapping(data.get("closing"), CLOSING_KEYS, "closing", where)
    raw_parts = data.get("parts")
    if not isinstance(raw_parts, list) or not raw_parts:
        raise where.error("parts", tr("error.expected-got", expected=tr("error.parts-list"),
                                      value=repr(raw_parts)))
    parts = []
    roles: set[str] = set()
    for k, raw in enumerate(raw_parts):
        key = f"parts[{k}]"
        raw = _mapping(raw, PART_KEYS, key, where)
        role = raw.get("role")
        if not isinstance(role, str) or not NAME_RE.match(role):
            raise where.error(f"{key}.role", tr(
                "error.expected-got", expected=tr("error.role-name"), value=repr(role)))
        if role in roles:
            raise where.error(f"{key}.role", tr("error.role-twice", role=role))
        roles.add(role)
        _prose(raw.get("docs"), f"{key}.docs", where)
        parts.append(Part(role, _str(raw.get("label"), f"{key}.label", where),
                          _bool(raw.get("required"), True, f"{key}.required", where),
                          _regexes(raw.get("patterns"), f"{key}.patterns", where, True)))
    return Template(
        id=tid,
        label=_str(data.get("label"), "label", where),
        description=_prose(data.get("description"), "description", where),
        match=_regexes(data.get("match"), "match", where, True),
        parts=tuple(parts),
        title_required=_bool(title.get("required"), True, "title.required", where),
        title_about=shipped_about() + _regexes(title.get("about"), "title.about", where, False),
        opening_required=_bool(opening.get("required"), True, "opening.required", where),
        opening_ends=_regexes(opening.get("ends"), "opening.ends", where, False),
        opening_example=_str(opening.get("example"), "opening.example", where, required=False),
        closing_required=_bool(closing.get("required"), False, "closing.required", where),
        closing_patterns=_regexes(closing.get("patterns"), "closing.patterns", where,
                                  _bool(closing.get("required"), False, "closing.required", where)),
        closing_example=_str(closing.get("example"), "closing.example", where, required=False),
        other_parts=_bool(data.get("other-parts"), False, "other-parts", where),
        source=path,
    )


def load_template(path: Path) -> Template:
    return parse_template(read_yaml(path, "template"), str(path))


def builtin_template_files() -> list[Path]:
    return sorted((builtin_pack_dir() / "templates").glob("*.yaml"))


@lru_cache(maxsize=8)
def load_templates(extra: tuple[Path, ...] = ()) -> tuple[Template, ...]:
    """The user's templates (in the order given) then the shipped ones. A user template
    with the id of a shipped one replaces it; two user templates with one id are an error."""
    user: list[Template] = []
    for path in extra:
        t = load_template(path)
        clash = next((u for u in user if u.id == t.id), None)
        if clash:
            raise ConfigError(tr("error.template-twice", where=t.source, template=t.id,
                                 other=clash.source))
        user.append(t)
    ids = {t.id for t in user}
    shipped = [t for t in map(load_template, builtin_template_files()) if t.id not in ids]
    return (*user, *shipped)


def find(templates: Sequence[Template], name: str) -> Template | None:
    """A template by id or label."""
    return next((t for t in templates if name in (t.id, t.label)), None)


ABOUT_FILE = "title-about.txt"


@lru_cache(maxsize=1)
def shipped_about() -> tuple[Pattern, ...]:
    """The shipped regexes of ``rules/templates/title-about.txt``: what, after the kind in
    a title line, shows the line is about the kind (写作须知, 不能……, 的通知)."""
    text = (builtin_pack_dir() / "templates" / ABOUT_FILE).read_text(encoding="utf-8")
    lines = (raw.split("#", 1)[0].strip() for raw in text.splitlines())
    return tuple(regex.compile(line, regex.V1) for line in lines if line)


def _names_kind(template: Template, tail: str) -> bool:
    """Whether a title whose match of ``template`` is followed by ``tail`` names that
    kind rather than a guide, a comment or a notice about it: none of the template's
    ``title.about`` regexes is found in ``tail``. A name, a subtitle, a year, 范文 or the
    plans may follow (对照检查材料——张三, 2023年度述职报告：坚守初心 担当作为)."""
    return not any(p.search(tail) for p in template.title_about)


def recognise(templates: Sequence[Template], text: str, *,
              anywhere: bool = False) -> Template | None:
    """The template whose ``match`` pattern fits ``text`` (a title line) best: the match
    ending last wins (``……民主生活会对照检查材料`` is a 对照检查材料), then the first
    template listed. In a title the match must be what the title names: at its end, or
    followed only by what :func:`_names_kind` allows (not 述职报告写作说明, 对照检查不能
    “挤牙膏”, 关于报送……工作总结的通知). ``anywhere``: any match counts (an opening that
    announces the draft: ……现将对照检查情况报告如下：)."""
    text = text.strip(" \t\u3000")
    best: tuple[int, int] | None = None
    found = None
    for index, template in enumerate(templates):
        for pattern in template.match:
            for m in pattern.finditer(text):
                if not anywhere and not _names_kind(template, text[m.end():]):
                    continue
                if best is None or (m.end(), -index) > best:
                    best, found = (m.end(), -index), template
    return found
