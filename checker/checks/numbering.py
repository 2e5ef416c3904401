"""Kind ``numbering``: heading ordinals and inline enumerations, one defect per rule.

``defect`` chooses what a rule reports:

* ``sequence``: a heading ordinal that does not follow its previous sibling (skip,
  repeat, wrong restart under a new parent, first child not 一/1);
* ``enumeration``: the same for ``一是……二是……`` and ``第一，第二，`` inside a section (a
  list nested after a colon in an item, up to its sentence's end, is its own sequence);
* ``lost-numeral``: a paragraph starting ``是……`` where ``一是``/``二是`` … belongs;
* ``level``: a heading whose parent level is missing although its part uses it
  (``（一）`` before any ``一、``; ``1.`` right under ``一、`` in a part that also has
  ``（一）``); a part that skips the level throughout is not reported;
* ``mixed-style``: one level written in two styles (``（一）`` and ``(一)``);
* ``nonstandard-style``: one level written throughout in a style GB/T 9704 does not use;
* ``missing-ordinal``: a heading-like line or a paragraph without ordinal exactly where
  its siblings' numbering has a gap of one.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Iterator, Mapping, NamedTuple, Sequence

import regex

from checker.checks import Opt
from checker.model import Edit, Finding
from checker.document import Block, Document
from checker.i18n import tr
from checker.ordinals import MD_HEADING, STANDARD_STYLES, int_to_cn, render_ordinal
from checker.outline import SENTENCE_END, Item, Outline, pasted_twice


DEFECTS = ("sequence", "enumeration", "lost-numeral", "level", "mixed-style",
           "nonstandard-style", "missing-ordinal")

OPTIONS = {
    "defect": Opt("str", required=True, choices=DEFECTS, doc="which numbering problem to report"),
}


def check(doc: Document, options: Mapping[str, Any]) -> Iterator[Finding]:
    outline = doc.outline
    defect = options["defect"]
    if defect in ("sequence", "missing-ordinal"):
        for kind, finding in outline.memo("numbering.headings", _headings).findings:
            if kind == defect:
                yield finding
    if defect in ("enumeration", "lost-numeral", "missing-ordinal"):
        for kind, finding in outline.memo("numbering.enumerations",
                                          lambda o: list(_enumerations(o))):
            if kind == defect:
                yield finding
    elif defect == "level":
        yield from _levels(outline)
    elif defect in ("mixed-style", "nonstandard-style"):
        yield from _styles(outline, defect)


def _ord_start(outline: Outline, i: int) -> int:
    """Offset of a heading's ordinal (after a Markdown ``#`` prefix)."""
    b = outline.blocks[i]
    m = MD_HEADING.match(b.text) if b.md_level else None
    return b.start + (m.end() if m else 0)


def _label(outline: Outline, i: int, width: int = 12) -> str:
    """A heading as an editor recognises it: its ordinal and its own words."""
    b = outline.blocks[i]
    if b.kind != "heading":
        text = b.text
    else:
        text = outline.heading_title(i)
        text = outline.doc.text[_ord_start(outline, i):b.body_start] + text
    return text if len(text) <= width else text[:width] + "…"


def _heading_like(text: str, siblings_end_with_stop: bool) -> bool:
    core = text.rstrip("。") if siblings_end_with_stop else text
    return (len(text) <= 30 and not any(c in core for c in "。！？；：;:!?")
            and text[-1] not in "、，,")


def _opens_level(outline: Outline, j: int, lv: int) -> bool:
    nxt = outline.next_content(j)
    return nxt is not None and outline.blocks[nxt].kind == "heading" and (
        outline.blocks[nxt].level > lv)


class _Headings(NamedTuple):
    findings: list[tuple[str, Finding]]
    parent: dict[int, int]  # block -> parent block (-1: none), headings and stand-ins
    level: dict[int, int]  # block -> level, headings and stand-ins


def _parents(level: dict[int, int]) -> dict[int, int]:
    parent: dict[int, int] = {}
    stack: list[int] = []
    for i in sorted(level):
        while stack and level[stack[-1]] >= level[i]:
            stack.pop()
        parent[i] = stack[-1] if stack else -1
        stack.append(i)
    return parent


def _headings(outline: Outline) -> _Headings:
    """Heading sequences, level by level from the top. A heading-like line that fills a
    gap of one (S107) stands in for the missing heading from then on, so that the
    headings under it are counted under it and not under the part before it."""
    blocks = outline.blocks
    level = {i: blocks[i].level for i in outline.headings}
    number = {i: blocks[i].ordinal for i in outline.headings}
    standins: set[int] = set()
    findings: list[tuple[str, Finding]] = []
    for lv in sorted({blocks[i].level for i in outline.headings}):
        parent = _parents(level)
        members = [i for i in sorted(level) if level[i] == lv and number[i] and i not in standins]
        stop: dict[tuple[int, int], bool] = {}
        for i in members:
            key = (parent[i], lv)
            stop[key] = stop.get(key, False) or (blocks[i].text.endswith("。")
                                                 and not outline.has_inline_body(i))
        last: dict[tuple[int, int], int] = {}  # (parent, level) -> previous sibling
        for i in members:
            b = blocks[i]
            key = (parent[i], lv)
            prev = last.get(key)
            last[key] = i
            expected = number[prev] + 1 if prev is not None else 1
            if b.ordinal == expected or pasted_twice(blocks, i):
                continue  # in order, or the heading above pasted again (D101's)
            want = render_ordinal(lv, expected, b.style)
            found = render_ordinal(lv, b.ordinal, b.style)
            if b.ordinal == expected + 1:
                lo = prev if prev is not None else parent[i]
                gap = [j for j in range(lo + 1, i) if blocks[j].kind == "paragraph"
                       and j not in level and _heading_like(blocks[j].text, stop[key])]
                if len(gap) > 1:  # prefer a line with subheadings right under it
                    gap = [j for j in gap if _opens_level(outline, j, lv)]
                if len(gap) == 1:
                    j = gap[0]
                    standins.add(j)
                    level[j], number[j] = lv, expected
                    where = (tr("words.after", label=_label(outline, prev)) if prev is not None
                             else tr("words.first-of-level"))
                    findings.append(("missing-ordinal", Finding(
                        blocks[j].start, blocks[j].end,
                        {"expected": want, "found": _label(outline, j), "context": where,
                         "next": found})))
                    continue
            if prev is not None:
                where = tr("words.after", label=_label(outline, prev))
                again = b.ordinal == number[prev]
            elif parent[i] >= 0:
                where, again = tr("words.first-under", label=_label(outline, parent[i])), False
            else:
                where, again = tr("words.first-of-level"), False
            findings.append(("sequence", Finding(_ord_start(outline, i), b.body_start, {
                "expected": want, "found": tr("words.again", found=found) if again else found,
                "context": where,
                "heading": _label(outline, i)})))
    return _Headings(findings, _parents(level), level)


def _enumerations(outline: Outline) -> Iterator[tuple[str, Finding]]:
    """Each section's lists. A list interrupted by subheadings (三、 → 一是…（1）（2）…
    二是…) goes on in the subsection: when a section's first item continues the list of
    an enclosing section (二是 after its 一是), it is counted there."""
    blocks = outline.blocks
    for style in ("N是", "第N"):
        scopes: list[tuple[int, list[Item | None]]] = []  # (heading level, [last item])
        for section in outline.sections:
            level = blocks[section.heading].level if section.heading >= 0 else 0
            while scopes and scopes[-1][0] >= level:
                scopes.pop()
            items = [it for it in section.items if it.style == style]
            first = next((it for it in items if it.number), None)
            state: list[Item | None] = [None]
            if first is not None and first.number > 1 and first.at_block_start:
                outer = next((st for _, st in reversed(scopes)
                              if st[0] is not None and st[0].number == first.number - 1), None)
                if outer is not None:
                    state = outer  # the enclosing list goes on here
            scopes.append((level, state))
            if items and any(it.number for it in items):
                out: list[tuple[str, Finding]] = []
                state[0] = _sequence(outline, items, style, state[0], out)
                yield from out


def _enum_text(number: int, style: str) -> str:
    return style.replace("N", int_to_cn(number))


def _sequence(outline: Outline, items: list[Item], style: str, prev: Item | None,
              out: list[tuple[str, Finding]]) -> Item | None:
    """Check one list (``prev``: the item before it, if it continues a list); append the
    findings to ``out`` and return the last item."""
    blocks = outline.blocks
    following: list[Item | None] = [None] * len(items)  # the next numbered item
    upcoming: Item | None = None
    for k in range(len(items) - 1, -1, -1):
        following[k] = upcoming
        if items[k].number:
            upcoming = items[k]
    skip = 0  # items up to here belong to an inner list already checked
    for k, it in enumerate(items):
        if k < skip:
            continue
        prev_n = prev.number if prev else 0
        if it.number == 0:  # a paragraph starting 是……
            nxt = following[k]
            if nxt is not None and nxt.number == prev_n + 2:
                want = _enum_text(prev_n + 1, style)
                text = blocks[it.block].text
                out.append(("lost-numeral", Finding(it.start, it.end, {
                    "expected": want, "found": text[:8] + ("…" if len(text) > 8 else ""),
                    "context": (tr("words.after", label=_enum_text(prev_n, style)) if prev_n
                                else tr("words.list-start")),
                    "next": _enum_text(nxt.number, style)},
                    fix=(Edit(it.start, it.start, want[:-1]),))))
                prev = Item(it.block, it.start, it.end, prev_n + 1, style, True)
            continue
        if it.number == 1 and prev is not None:
            skip = _inner_list(outline, items, k, prev, following)
            if skip > k:  # its own sequence; the outer list goes on after it
                _sequence(outline, items[k:skip], style, None, out)
                continue
        if it.number == prev_n + 1 or it.number == 1:
            prev = it
            continue
        want = _enum_text(prev_n + 1, style)
        found = outline.doc.text[it.start:it.end]  # as written
        if (prev is not None and it.number == prev_n + 2 and it.at_block_start
                and prev.at_block_start):
            gap = [j for j in range(prev.block + 1, it.block) if blocks[j].kind == "paragraph"]
            if len(gap) == 1:
                j = gap[0]
                text = blocks[j].text
                out.append(("missing-ordinal", Finding(blocks[j].start, blocks[j].start + 1, {
                    "expected": want, "found": text[:8] + ("…" if len(text) > 8 else ""),
                    "context": tr("words.after", label=_enum_text(prev_n, style)),
                    "next": found})))
                prev = it
                continue
        if prev is None:
            context = tr("words.list-start")
        else:
            context = tr("words.after", label=_enum_text(prev_n, style))
            if it.number <= prev_n:
                found = tr("words.again" if it.number == prev_n else "words.going-back",
                           found=found)
        out.append(("enumeration", Finding(it.start, it.end, {
            "expected": want, "found": found, "context": context})))
        prev = it
    return prev


def _inner_list(outline: Outline, items: list[Item], k: int, outer: Item,
                following: list[Item | None]) -> int:
    """The end (exclusive index) of a list nested in an item of the outer list: it opens
    after a colon with ``items[k]`` (一是), has at least two items before the sentence's
    end mark, and the next item after it continues the outer list, not the inner one
    (一是甲。……有2家：一是A；二是B。二是乙。). ``k`` when there is none."""
    text, block = outline.doc.text, outline.blocks[items[k].block]
    if not text[block.start:items[k].start].rstrip().endswith(("：", ":")):
        return k
    m = SENTENCE_END.search(text, items[k].end, block.end)  # the inner list ends
    stop = m.start() if m else block.end
    end = k + 1
    while end < len(items) and items[end].block == items[k].block and items[end].start < stop:
        end += 1
    after = following[end - 1]
    if end - k < 2 or after is None or after.number != outer.number + 1:
        return k
    return k if after.number == items[end - 1].number + 1 else end


def _levels_below(heads: _Headings) -> dict[int, set[int]]:
    """For each heading (and -1, the draft), the levels of the headings under it."""
    below: dict[int, set[int]] = {}
    for i, lv in heads.level.items():
        p = heads.parent[i]
        while True:
            below.setdefault(p, set()).add(lv)
            if p < 0:
                break
            p = heads.parent[p]
    return below


def _levels(outline: Outline) -> Iterator[Finding]:
    """A heading whose parent level is missing where its own part uses that level: a
    part may skip a level throughout (层次序数可以越级使用: 二、 then 1. while 一、 has
    （一）), but not for some of its children only (二、 → 1. … （一） → 1.), nor put
    （一） before the first 一、."""
    blocks = outline.blocks
    heads = outline.memo("numbering.headings", _headings)
    below = _levels_below(heads)
    first_of: dict[int, Block] = {}
    for j in outline.headings:
        first_of.setdefault(blocks[j].level, blocks[j])
    # sub-items of an enumeration item (一是…… then （1）（2）) hang from the item
    item_starts = {it.block for sec in outline.sections for it in sec.items
                   if it.at_block_start and it.number and blocks[it.block].kind == "paragraph"}
    before_of = _before_same_level(blocks, outline.headings)
    reported: set[tuple[int, int]] = set()
    for i in outline.headings:
        b = blocks[i]
        if not b.ordinal or b.level == 1:
            continue
        parent = heads.parent[i]
        if (parent, b.level) in reported:
            continue
        before = before_of[i]
        if before is not None and before > parent and before in item_starts:
            reported.add((parent, b.level))
            continue
        top = heads.level[parent] if parent >= 0 else 0
        missing = [lv for lv in range(top + 1, b.level) if lv in below[parent]]
        if not missing or (parent, b.level) in reported:
            continue
        reported.add((parent, b.level))
        lv = missing[0]
        want = render_ordinal(lv, 1, first_of[lv].style or STANDARD_STYLES[lv][0])
        found = render_ordinal(b.level, b.ordinal, b.style)
        if parent >= 0:
            where = tr("words.directly-under", label=_label(outline, parent))
            scope = tr("words.in-this-section")
        else:
            where, scope = tr("words.before-level-1"), tr("words.in-this-draft")
        yield Finding(_ord_start(outline, i), b.body_start, {
            "found": found, "level": b.level, "where": where, "expected": want,
            "missing": lv, "scope": scope})


def _before_same_level(blocks: Sequence[Block], headings: Sequence[int]) -> dict[int, int | None]:
    """For each heading, the last block before it that is neither a marker line nor a
    heading of its own level (one pass: a backward search from each heading was quadratic
    in a run of sibling headings)."""
    heading_set = set(headings)
    last: dict[int, int | None] = {blocks[j].level: None for j in headings}
    out: dict[int, int | None] = {}
    for j, block in enumerate(blocks):
        if j in heading_set:
            out[j] = last[block.level]
        if block.kind == "marker":
            continue
        own = block.level if block.kind == "heading" else None
        for lv in last:
            if lv != own:
                last[lv] = j
    return out


def _styles(outline: Outline, defect: str) -> Iterator[Finding]:
    blocks = outline.blocks
    by_level: dict[int, list[int]] = {}
    for i in outline.headings:
        if blocks[i].ordinal:
            by_level.setdefault(blocks[i].level, []).append(i)
    for level, members in sorted(by_level.items()):
        counts = Counter(blocks[i].style for i in members)
        standard = STANDARD_STYLES[level]
        if len(counts) > 1 and defect == "mixed-style":
            std_used = [s for s, _ in counts.most_common() if s in standard]
            expected = std_used[0] if std_used else counts.most_common(1)[0][0]
            others = counts[expected]
            for i in members:
                b = blocks[i]
                if b.style == expected:
                    continue
                want = render_ordinal(level, b.ordinal, expected)
                yield Finding(_ord_start(outline, i), b.body_start, {
                    "expected": want, "found": render_ordinal(level, b.ordinal, b.style),
                    "level": level, "count": others},
                    fix=(Edit(_ord_start(outline, i), b.body_start, want),))
        elif len(counts) == 1 and defect == "nonstandard-style":
            (style,) = counts
            if style in standard:
                continue
            for i in members:  # each heading, with its own fix (as --fix sees them)
                b = blocks[i]
                want = render_ordinal(level, b.ordinal, standard[0])
                yield Finding(_ord_start(outline, i), b.body_start, {
                    "expected": want, "found": render_ordinal(level, b.ordinal, style),
                    "level": level, "count": len(members)},
                    fix=(Edit(_ord_start(outline, i), b.body_start, want),))
