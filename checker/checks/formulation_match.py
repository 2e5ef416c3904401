"""Finding formulations and their near misses in a text (family N).

One pass of the index's automaton (:mod:`checker.checks.formulation_index`) finds the
exact forms and the anchors: the two halves of every formulation of four or more
characters. One edit leaves at least one half whole, so a near miss is looked for only
where a half occurs, and only the other half is compared: one character substituted by a
homophone (a reading in common, from the shipped pinyin table) or a look-alike (the pack's
``lookalikes``), or one character dropped or inserted inside a formulation of six or more.
Never every formulation at every position. A quotation's clause next to a whole one is
compared with the clause the quotation has there.

Precision: an edit on a character that belongs to a correct formulation or look-alike
found in the text stays silent (新时期 next to 新时代); so do a dropped or inserted
particle (的, 和 …) or punctuation, an edit at the edge of the formulation unless the
readings agree with tones, and a form quoted as an example of a wrong one
(把“…”写成 / 误写为 …).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import regex

from checker.checks.formulation_index import MIN_INDEL, SOFT, Index, Unit, han
from checker.checks.formulation_pack import ITEM_BREAK

#: words that show a form is cited as a wrong example
CITED_BEFORE = regex.compile(r"(?:写成|写作|误写为|错写为|误作|误为|错为|误用|不能写|不应写|"
                             r"不要写|不宜写|不是|而非|并非|更正为|改为|勘误)[^。！？\n]{0,4}$")
CITED_AFTER = regex.compile(r"^[”’」』]?[^。！？\n]{0,3}(?:是错误|系错误|有误|错误|不规范|不准确|"
                            r"应为|应作|应改为|为误|之误)")
CLAUSE_EDGE = frozenset("，、；：。！？“”‘’「」『』\n")
SENTENCE_END = regex.compile(r"[。！？!?\n]")


@dataclass(frozen=True, slots=True)
class Hit:
    """A finding of the scan: ``what`` is exact, near, wrong, spun or clause-missing."""

    start: int
    end: int
    what: str
    formulation: int
    how: str = ""  # homophone | lookalike | dropped | inserted | synonym | wrong
    canonical: str = ""  # the correct text for this span
    fix: str | None = None  # a safe replacement for the span
    clause: int = -1


def _edits(right: str, seen: str, max_drop: int) -> list[tuple[str, int, int]]:
    """The single edits that turn ``right`` into the start of ``seen``: ``(op, k, n)``
    with op ``sub`` (at k), ``insert`` (one at k) or ``drop`` (n characters at k); none
    when ``seen`` starts with ``right`` or differs by more."""
    limit = min(len(right), len(seen))
    k = 0
    while k < limit and right[k] == seen[k]:
        k += 1
    n = len(right)
    if k == n:
        return []
    out = []
    if len(seen) >= n and seen[k + 1:n] == right[k + 1:]:
        out.append(("sub", k, 1))
    if len(seen) > n and seen[k + 1:n + 1] == right[k:]:
        out.append(("insert", k, 1))
    for drop in range(1, max_drop + 1):
        if k + drop < n and seen[k:n - drop] == right[k + drop:]:
            out.append(("drop", k, drop))
    return out


def _cited(text: str, start: int, end: int) -> bool:
    """The span is quoted as an example of a wrong form (把“…”写成“…”, “…”是错误的)."""
    before = text[max(0, start - 14):start]
    after = text[end:end + 12]
    quoted = before.endswith(("“", "‘", "「", "『", "\"")) or after.startswith(("”", "’", "」", "』", "\""))
    if not quoted:
        return False
    return bool(CITED_BEFORE.search(before.rstrip("“‘「『\"")) or CITED_AFTER.search(after))


def sentence(text: str, start: int, end: int) -> tuple[int, int]:
    left = max((m.end() for m in SENTENCE_END.finditer(text, max(0, start - 300), start)),
               default=max(0, start - 300))
    m = SENTENCE_END.search(text, end, end + 300)
    return left, m.start() if m else min(len(text), end + 300)


class Scan:
    """Every N finding in one text, computed once for the three N rules."""

    def __init__(self, index: Index, text: str) -> None:
        self.index, self.text = index, text
        self.exact: list[Hit] = []
        self.near: list[Hit] = []
        self._ok: list[tuple[int, int]] = []
        self.clauses: list[Hit] = []
        anchored = self._find_exact()
        self._find_near(anchored)

    def _find_exact(self) -> list[tuple[int, int, Any, Any]]:
        """The exact forms; returns the anchor hits that may lead to a near miss (the
        character next to the anchor is one the other half may have there)."""
        text = self.text
        anchored = []
        for last, (size, values, after, before) in self.index.automaton.iter(text):
            start, end = last + 1 - size, last + 1
            if after is not None and (text[end:end + 1] in after[0] or text[end + 1:end + 2] in after[1]):
                anchored.append((start, end, after, None))
            if before is not None and start > 0 and (
                    text[start - 1] in before[0] or text[start - 2:start - 1] in before[1]):
                anchored.append((start, end, None, before))
            for what, i, u in values:
                if what in ("exact", "ok", "clause"):
                    self._ok.append((start, end))
                if what == "exact":
                    self.exact.append(Hit(start, end, "exact", i))
                elif what == "clause" and self._aligned(start, end):
                    self.clauses.append(Hit(start, end, "clause", i,
                                            clause=self.index.clause_units[u].clause))
                elif what in ("wrong", "spun") and not _cited(self.text, start, end):
                    canonical = self.index.pack.formulations[i].text
                    how = "wrong" if what == "wrong" else "synonym"
                    self.near.append(Hit(start, end, "near", i, how, canonical))
        self._missing_clauses()
        return anchored

    def _missing_clauses(self) -> None:
        """Compare the clause after each whole clause of a quotation (and the one before
        the first) with the clause the quotation has there: a clause left out, or one
        with up to a third of its characters changed, is a damaged quotation."""
        text = self.text
        whole = {(h.start, h.formulation) for h in self.clauses}
        ends = {(h.end, h.formulation) for h in self.clauses}
        chained = {(h.start, h.formulation) for h in self.clauses
                   if (h.start - 1, h.formulation) in ends
                   or any((h.end + 1, h.formulation) == w for w in whole)}
        for h in self.clauses:
            parts = self.index.clauses[h.formulation]
            for step in (1, -1):
                want = h.clause + step
                if not 0 <= want < len(parts):
                    continue
                start, end = _neighbour(text, h.start, h.end, step)
                seen = text[start:end]
                if start == end or seen == parts[want]:
                    continue
                if step == 1 and want + 1 < len(parts) and seen == parts[want + 1]:
                    lo, hi = h.start, end
                    how, canonical = "dropped", _stretch(self.index.pack.formulations[
                        h.formulation].text, parts, h.clause, want + 1)
                    self.near.append(Hit(lo, hi, "clause-missing", h.formulation, how,
                                         canonical, clause=want, fix=None))
                    continue
                if (start, h.formulation) in whole or not self._quoting(h, chained):
                    continue
                if _distance(seen, parts[want]) <= max(1, len(parts[want]) // 3):
                    self.near.append(Hit(start, end, "clause", h.formulation, "changed",
                                         parts[want], clause=want))

    def _aligned(self, start: int, end: int) -> bool:
        """A clause found whole is one only between clause breaks (他对党忠诚 is not)."""
        text = self.text
        return ((start == 0 or text[start - 1] in CLAUSE_EDGE)
                and (end == len(text) or text[end] in CLAUSE_EDGE))

    @staticmethod
    def _quoting(h: Hit, chained: set[tuple[int, int]]) -> bool:
        """A whole clause shows a quotation when it is long or next to another whole one:
        alone, four characters such as 积极工作 are ordinary prose."""
        return h.end - h.start >= 8 or (h.start, h.formulation) in chained

    def _covered(self, pos: int) -> bool:
        return any(a <= pos < b for a, b in self._ok)

    def _find_near(self, anchored: list[tuple[int, int, Any, Any]]) -> None:
        seen: set[tuple[int, int, int]] = set()
        text = self.text
        units = self.index.units
        for start, end, after, before in anchored:
            found = []
            if after is not None:
                for u, other, near, far in after[2]:
                    if not text.startswith(other, end) and (text.startswith(near, end) or text.find(
                            far, end + len(near) - 1, end + len(other) + 1) != -1):
                        found.append(self._near(units[u], start, 0))
            if before is not None:
                for u, other, near, far in before[2]:
                    if not text.endswith(other, 0, start) and (text.endswith(near, 0, start) or text.find(
                            far, max(0, start - len(other) - 1), start - len(near) + 1) != -1):
                        found.append(self._near(units[u], start, 1))
            for hit in found:
                if hit is not None and (hit.start, hit.end, hit.formulation) not in seen:
                    seen.add((hit.start, hit.end, hit.formulation))
                    self.near.append(hit)
        self.near = _best(self.near)
        self.near.sort(key=lambda h: h.start)

    def _near(self, unit: Unit, at: int, side: int) -> Hit | None:
        text, u = self.text, unit.text
        n, half = len(u), len(u) // 2
        if side == 0:  # the left half is whole at ``at``: compare what follows it
            rest = u[half:]
            seen = text[at + half:at + half + len(rest) + 1]
        else:  # the right half is whole at ``at``: compare what precedes it, reversed
            rest = u[:half][::-1]
            seen = text[max(0, at - len(rest) - 1):at][::-1]
        for op, k, size in _edits(rest, seen, 1):
            grow = {"sub": 0, "insert": 1, "drop": -size}[op]
            if side == 0:
                pos, start = half + k, at
            else:
                pos = half - k if op == "insert" else half - k - size
                start = at - half - grow
            end = start + n + grow
            if start < 0 or end > len(text):
                continue
            hit = self._judge(unit, op, pos, size, start, end)
            if hit is not None:
                return hit
        return None

    def _judge(self, unit: Unit, op: str, pos: int, size: int, start: int, end: int) -> Hit | None:
        text, u, n = self.text, unit.text, len(unit.text)
        fix = None
        if op == "sub":
            wrong_at = start + pos
            # at the edge of a short formulation the rest may be another word: readings
            # must agree with tones there
            how = self.index.confusion(u[pos], text[wrong_at], pos in (0, n - 1) and n < MIN_INDEL)
            if not how or self._covered(wrong_at):
                return None
            if how == "homophone" and n >= 6:
                fix = u
        elif n < MIN_INDEL:
            return None
        elif op == "drop":
            lost = u[pos:pos + size]
            if pos == 0 or pos + size >= n or all(c in SOFT for c in lost) or any(
                    c in SOFT for c in lost[:1] + lost[-1:]):
                return None
            if self._covered(start + pos - 1) and self._covered(start + pos):
                return None
            how = "dropped"
        else:
            added = text[start + pos]
            if pos == 0 or pos >= n or added in SOFT or not han(added) or self._covered(start + pos):
                return None
            how = "inserted"
        if _cited(text, start, end):
            return None
        return Hit(start, end, "near", unit.formulation, how, u, fix)


def _best(hits: list[Hit]) -> list[Hit]:
    """Overlapping near misses: keep the one of the longest formulation."""
    hits.sort(key=lambda h: (-(h.end - h.start), h.start))
    kept: list[Hit] = []
    for h in hits:
        if not any(h.start < k.end and k.start < h.end for k in kept):
            kept.append(h)
    kept.sort(key=lambda h: h.start)
    return kept


def _neighbour(text: str, start: int, end: int, step: int) -> tuple[int, int]:
    """The clause next to ``text[start:end]`` (after it: step 1, before it: -1), within
    the sentence; an empty span when there is none."""
    if step == 1:
        if end >= len(text) or text[end] not in "，、；：":
            return end, end
        stop = ITEM_BREAK.search(text, end + 1, end + 60)
        limit = SENTENCE_END.search(text, end + 1, end + 60)
        right = min(m.start() for m in (stop, limit) if m) if (stop or limit) else end + 1
        return end + 1, right
    if start == 0 or text[start - 1] not in "，、；：":
        return start, start
    left = start - 1
    while left > 0 and start - left < 60 and not ITEM_BREAK.match(text, left - 1) \
            and not SENTENCE_END.match(text, left - 1) and text[left - 1] not in "“‘":
        left -= 1
    return left, start - 1


def _stretch(quote: str, parts: list[str], first: int, last: int) -> str:
    """The quotation from clause ``first`` to clause ``last`` with its punctuation."""
    at = quote.find(parts[first])
    end = quote.find(parts[last], at) + len(parts[last])
    return quote[at:end]


def _distance(a: str, b: str) -> int:
    """Levenshtein distance of two short strings."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]
