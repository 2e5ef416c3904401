"""The index of the N rules: one Aho-Corasick automaton (pyahocorasick) per pack.

Its keys are every formulation, every correct look-alike, every known wrong form, every
"spun" form (an inner word of a formulation of six or more characters swapped for a
near-synonym from the pack's ``synonyms``), the clauses of the quotations, and the two
halves of every formulation of four or more characters (the anchors of near misses, see
:mod:`checker.checks.formulation_match`). Built once per process, in a few milliseconds.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Iterator

import ahocorasick

from checker.checks.formulation_pack import ITEM_BREAK, Pack
from checker.checks.formulation_pinyin import readings

#: particles and punctuation whose loss or addition is style, not a damaged formulation
SOFT = frozenset("的地得了着之和与及并、，；：。“”‘’《》（）() \t\u3000")
#: a character dropped from or added to a shorter formulation is too often another word
#: (廉政建设 is not 政治建设 less a character; 创新发展 is not 创新性发展)
MIN_INDEL = 6


@dataclass(frozen=True, slots=True)
class Unit:
    """What near misses are looked for: a formulation, or a clause of a quotation."""

    text: str
    formulation: int  # index into Pack.formulations
    clause: int = -1  # clause number within a quotation, -1 otherwise


class Index:
    """The automaton and tables of one pack, built once and shared by the N rules."""

    def __init__(self, pack: Pack, directory: str) -> None:
        self.pack, self.directory = pack, directory
        self.units: list[Unit] = []  # what the anchors lead to
        self.clauses: dict[int, list[str]] = {}  # quotation -> its clauses
        self.clause_units: list[Unit] = []
        for i, f in enumerate(pack.formulations):
            if f.kind == "quotation":
                parts = [p for p in ITEM_BREAK.split(f.text) if p]
                self.clauses[i] = parts
                self.clause_units.extend(Unit(p, i, n) for n, p in enumerate(parts) if len(p) >= 4)
            elif len(f.text) >= 4:
                self.units.append(Unit(f.text, i))
        self.shape = {ch: group for group in pack.lookalikes for ch in group}
        exact, anchors = self._exact(), self._anchors()
        self.automaton = ahocorasick.Automaton()
        for key in exact.keys() | anchors.keys():
            after, before = anchors.get(key, (None, None))
            self.automaton.add_word(key, (len(key), tuple(exact.get(key, ())), after, before))
        self.automaton.make_automaton()

    def _exact(self) -> dict[str, list[tuple[str, int, int]]]:
        table: dict[str, list[tuple[str, int, int]]] = {}
        correct = {f.text for f in self.pack.formulations} | set(self.pack.look_alikes)
        for i, f in enumerate(self.pack.formulations):
            table.setdefault(f.text, []).append(("exact", i, -1))
        for text in self.pack.look_alikes:
            table.setdefault(text, []).append(("ok", -1, -1))
        for u, unit in enumerate(self.clause_units):
            table.setdefault(unit.text, []).append(("clause", unit.formulation, u))
        for text, i in self.pack.wrong:
            table.setdefault(text, []).append(("wrong", i, -1))
        for i, f in enumerate(self.pack.formulations):
            if f.kind == "quotation":
                continue
            for spun in self._spun(f.text):
                if spun not in correct:
                    table.setdefault(spun, []).append(("spun", i, -1))
        return table

    def _spun(self, text: str) -> Iterator[str]:
        """``text`` with one inner word swapped for a near-synonym (six characters or more)."""
        if len(text) < 6:
            return
        for group in self.pack.synonyms:
            for word in group:
                at = text.find(word, 2)
                while at != -1 and at + len(word) <= len(text) - 2:
                    for other in group:
                        if other != word:
                            yield text[:at] + other + text[at + len(word):]
                    at = text.find(word, at + 1)

    def _anchors(self) -> dict[str, tuple[Any, Any]]:
        """Each half of a unit -> (size, after, before): the units it is the left half of
        (their other half follows it) and the right half of (it precedes).

        Each side is ``(first, second, entries)``: with one edit, the character next to
        the anchor is in ``first`` or the one after it is in ``second`` (two set lookups
        that reject most anchor hits); an entry is (unit, other half, near part, far
        part): the other half's part next to the anchor stays in place, or its far part
        stays within one character of its place."""
        sides: dict[str, tuple[list, list]] = {}
        for u, unit in enumerate(self.units):
            t = unit.text
            half = len(t) // 2
            left, right = t[:half], t[half:]
            cut = len(right) // 2 or 1
            sides.setdefault(left, ([], []))[0].append(
                (u, right, right[:cut], right[cut:], len(t), right))
            cut = len(left) // 2 or 1
            sides.setdefault(right, ([], []))[1].append(
                (u, left, left[len(left) - cut:], left[:len(left) - cut], len(t), left[::-1]))
        return {anchor: (_side(after), _side(before)) for anchor, (after, before) in sides.items()}

    # -- characters ---------------------------------------------------------------------
    @functools.cached_property
    def readings(self) -> dict[str, frozenset[str]]:
        return readings(self.directory)

    def confusion(self, right: str, wrong: str, edge: bool) -> str:
        """``homophone``, ``lookalike`` or "" for ``wrong`` written for ``right``."""
        if right in SOFT or wrong in SOFT or not han(wrong):
            return ""
        if wrong in self.shape.get(right, ""):
            return "lookalike"
        a, b = self.readings.get(right, frozenset()), self.readings.get(wrong, frozenset())
        if a & b:
            return "homophone"
        if not edge and {r[:-1] for r in a} & {r[:-1] for r in b}:
            return "homophone"
        return ""


def _side(entries: list[tuple[int, str, str, str, int, str]]
          ) -> tuple[frozenset[str], frozenset[str], tuple[tuple[int, str, str, str], ...]] | None:
    """One side of an anchor (see :meth:`Index._anchors`); ``away`` is the other half
    read away from the anchor."""
    if not entries:
        return None
    first, second = set(), set()
    for _u, _other, _near, _far, n, away in entries:
        first.add(away[0])
        second.add(away[1:2])
        if n >= MIN_INDEL:  # a character dropped or inserted next to the anchor
            first.add(away[1:2])
            second.add(away[0])
    rows = tuple((u, other, near, far) for u, other, near, far, _n, _away in entries)
    return frozenset(first), frozenset(second), rows


def han(ch: str) -> bool:
    """A CJK unified ideograph."""
    return "\u4e00" <= ch <= "\u9fff"
