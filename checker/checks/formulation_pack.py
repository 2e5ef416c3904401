"""Formulation packs: the data of family N, loaded strictly.

A formulation pack is a YAML mapping with ``sources`` (key -> ``{title, date}``),
``formulations`` (a list of entries), and optionally ``synonyms`` (lists of words that
"spinning" software swaps for each other) and ``lookalikes`` (strings of characters of
similar shape). The shipped pack is ``rules/formulations/canon.yaml``; a team adds its own
with the configuration key ``formulation-packs``. An entry::

    - text: 不忘初心、牢记使命      # or texts: [...] sharing the other keys; an item of
      source: dz2022                 # texts may itself be a mapping with its own keys
      kind: slogan                   # term | slogan | organ | title | quotation
      since: 2017-10-24              # optional, YYYY-MM-DD
      until: 2021-11-11              # optional: no longer holds from this day
      replaced-by: 十个明确          # optional: what holds after ``until``
      replaced-in: jueyi2021         # optional: the source that replaced it
      look-alikes: [新时期]          # optional: correct strings that must stay silent
      wrong: [...]                   # optional: known wrong forms (near misses)
      quiet-when: '十九大'           # optional regex: a superseded use in such a
                                     # sentence is historical and stays silent

Any mistake is a :class:`~checker.packs.ConfigError` naming the file and the key.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping

import regex

from checker.i18n import tr
from checker.packs import ConfigError, builtin_pack_dir, read_yaml

KINDS = ("term", "slogan", "organ", "title", "quotation")
ENTRY_KEYS = {"text", "texts", "source", "kind", "since", "until", "replaced-by",
              "replaced-in", "look-alikes", "wrong", "quiet-when"}
TOP_KEYS = {"sources", "formulations", "synonyms", "lookalikes"}
#: the separators that end an item of a list formulation or a clause of a quotation
ITEM_BREAK = regex.compile(r"[、，；：。]")


@dataclass(frozen=True, slots=True)
class Formulation:
    text: str
    source: str  # "title (date)"
    kind: str = "term"
    since: dt.date | None = None
    until: dt.date | None = None
    replaced_by: str = ""
    replaced_in: str = ""  # the source that replaced it, "title, date"
    quiet_when: Any = None  # a compiled regex or None
    where: str = ""  # file and entry, for messages about the pack itself


@dataclass(frozen=True, slots=True)
class Pack:
    formulations: tuple[Formulation, ...]
    look_alikes: frozenset[str]  # correct strings that are not formulations themselves
    wrong: tuple[tuple[str, int], ...]  # (a known wrong form, index of its formulation)
    synonyms: tuple[tuple[str, ...], ...]
    lookalikes: tuple[str, ...]


def shipped_pack() -> Path:
    return builtin_pack_dir() / "formulations" / "canon.yaml"


def _date(value: Any, where: str, key: str) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ConfigError(tr("formulation.date", where=where, key=key, value=value))


def _strings(value: Any, where: str, key: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, list) or not all(
            isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(tr("formulation.strings", where=where, key=key))
    return [v.strip() for v in value]


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or len(value.strip()) < 2:
        raise ConfigError(tr("formulation.text", where=where, value=value))
    return value.strip()


class _Reader:
    """Collects the entries of one or more files into one :class:`Pack`."""

    def __init__(self) -> None:
        self.formulations: list[Formulation] = []
        self.look_alikes: set[str] = set()
        self.wrong: list[tuple[str, int]] = []
        self.synonyms: list[tuple[str, ...]] = []
        self.lookalikes: list[str] = []

    def read(self, path: Path) -> None:
        where = str(path)
        data = read_yaml(path, "formulation pack")
        if not isinstance(data, Mapping) or not isinstance(data.get("formulations"), list):
            raise ConfigError(tr("formulation.not-pack", where=where))
        unknown = sorted(set(data) - TOP_KEYS)
        if unknown:
            raise ConfigError(tr("formulation.unknown-top-key", where=where, key=unknown[0],
                                 known=", ".join(sorted(TOP_KEYS))))
        sources = self._sources(data.get("sources") or {}, where)
        for i, group in enumerate(data.get("synonyms") or []):
            self.synonyms.append(tuple(_strings(group, f"{where}: synonyms[{i}]", "synonyms")))
        for i, group in enumerate(data.get("lookalikes") or []):
            if not isinstance(group, str) or len(group) < 2:
                raise ConfigError(tr("formulation.lookalike", where=where, index=i))
            self.lookalikes.append(group)
        for i, entry in enumerate(data["formulations"]):
            self._entry(entry, f"{where}: formulations[{i}]", sources)

    @staticmethod
    def _sources(raw: Any, where: str) -> dict[str, str]:
        if not isinstance(raw, Mapping):
            raise ConfigError(tr("formulation.sources", where=where))
        out = {}
        for key, value in raw.items():
            here = f"{where}: sources.{key}"
            if not isinstance(value, Mapping) or not isinstance(value.get("title"), str):
                raise ConfigError(tr("formulation.source-entry", where=here))
            date = _date(value.get("date"), here, "date")
            if date is None:
                raise ConfigError(tr("formulation.source-date", where=here))
            out[str(key)] = f"《{value['title']}》，{date.isoformat()}"
        return out

    def _entry(self, entry: Any, where: str, sources: Mapping[str, str]) -> None:
        if not isinstance(entry, Mapping):
            raise ConfigError(tr("formulation.entry", where=where))
        unknown = sorted(set(entry) - ENTRY_KEYS)
        if unknown:
            raise ConfigError(tr("formulation.unknown-key", where=where, key=unknown[0]))
        if ("text" in entry) == ("texts" in entry):
            raise ConfigError(tr("formulation.text-or-texts", where=where))
        items = [entry["text"]] if "text" in entry else entry["texts"]
        if not isinstance(items, list) or not items:
            raise ConfigError(tr("formulation.texts", where=where))
        shared = {k: v for k, v in entry.items() if k not in ("text", "texts")}
        for j, item in enumerate(items):
            here = where if "text" in entry else f"{where}.texts[{j}]"
            if isinstance(item, Mapping):
                unknown = sorted(set(item) - (ENTRY_KEYS - {"texts"}))
                if unknown or "text" not in item:
                    raise ConfigError(tr("formulation.item-unknown", where=here, key=unknown[0])
                                      if unknown else tr("formulation.item", where=here))
                self._one({**shared, **item}, here, sources)
            else:
                self._one({**shared, "text": item}, here, sources)

    def _one(self, entry: Mapping[str, Any], where: str, sources: Mapping[str, str]) -> None:
        text = _text(entry["text"], where)
        source = entry.get("source")
        if source not in sources:
            raise ConfigError(tr("formulation.source", where=where, source=source,
                                 known=", ".join(sorted(sources)) or tr("error.none")))
        kind = entry.get("kind", "term")
        if kind not in KINDS:
            raise ConfigError(tr("formulation.kind", where=where, known=", ".join(KINDS), kind=kind))
        since, until = _date(entry.get("since"), where, "since"), _date(entry.get("until"), where, "until")
        if since and until and until <= since:
            raise ConfigError(tr("formulation.until", where=where))
        replaced = entry.get("replaced-by", "")
        if not isinstance(replaced, str) or (replaced and until is None):
            raise ConfigError(tr("formulation.replaced-by", where=where))
        replaced_in = entry.get("replaced-in")
        if replaced_in is not None and (replaced_in not in sources or until is None):
            raise ConfigError(tr("formulation.replaced-in", where=where, value=replaced_in))
        quiet = entry.get("quiet-when")
        if quiet is not None:
            try:
                quiet = regex.compile(str(quiet))
            except regex.error as exc:
                raise ConfigError(tr("formulation.quiet-when", where=where, error=exc)) from None
        formulation = Formulation(text, sources[source], kind, since, until, replaced,
                                  sources.get(replaced_in, ""), quiet, where)
        index = len(self.formulations)
        self.formulations.append(formulation)
        self.look_alikes.update(_strings(entry.get("look-alikes"), where, "look-alikes"))
        self.wrong.extend((w, index) for w in _strings(entry.get("wrong"), where, "wrong"))
        if kind != "quotation" and "、" in text and until is None:  # so is each item
            for part in ITEM_BREAK.split(text):
                part = part.strip("“”")
                if len(part) >= 4 and part != text:
                    self.formulations.append(Formulation(part, formulation.source, kind,
                                                         since, None, "", "", None, where))

    def pack(self) -> Pack:
        seen: dict[str, Formulation] = {}
        for f in self.formulations:  # one entry per text: the first (an explicit one wins)
            seen.setdefault(f.text, f)
        return Pack(tuple(seen.values()), frozenset(self.look_alikes - set(seen)),
                    tuple((w, self._renumber(i, seen)) for w, i in self.wrong),
                    tuple(self.synonyms), tuple(self.lookalikes))

    def _renumber(self, index: int, seen: Mapping[str, Formulation]) -> int:
        return list(seen).index(self.formulations[index].text)


def load_pack(extra: Iterable[Path] = ()) -> Pack:
    """The shipped pack, then the team's packs (``formulation-packs``)."""
    reader = _Reader()
    for path in (shipped_pack(), *extra):
        reader.read(path)
    return reader.pack()
