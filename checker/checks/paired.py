"""Kind ``paired-punctuation``: an opening mark without its closing mark in a paragraph.

GB/T 15834-2011 marks come in pairs: ``“”`` ``‘’`` ``《》`` ``（）`` ``【】``. A pair that
does not close within its paragraph is almost always a typing slip (``“学“``, a title
``《关于……`` cut short). Each pair in option ``pairs`` is matched on its own (nesting
inside a pair of another kind is not checked); every mark left unmatched is reported.

A paragraph is a line in .txt and .docx (the lines of a hard-wrapped draft joined, as
:mod:`checker.wrap` finds them for every check, and a page of a preview site joined to the
one before when it starts with the site's page counter: 2、…), and a run of non-blank lines
in Markdown (where a paragraph may wrap). Left silent on purpose:

* a quotation that runs over several paragraphs: GB/T 15834 4.1.3.3 puts an opening
  quote at the start of each paragraph and the closing quote only after the last one, so
  an unclosed ``“``/``‘`` at the start of a paragraph followed by a paragraph that starts
  with the same mark is correct;
* a list ordinal written with a closing parenthesis only: ``1）`` ``一）`` ``a）``;
* ``’`` used as an apostrophe between Latin letters (``People’s``).
"""

from __future__ import annotations

import functools
from bisect import bisect_right
from typing import Any, Iterator, Mapping

import regex

from checker.checks import Opt
from checker.model import Finding
from checker.document import Document

OPTIONS = {
    "pairs": Opt("list[str]", ("“”", "‘’", "《》", "（）", "【】"),
                 doc="the pairs to check, each a two-character string: opening, closing"),
}

_LEAD = " \t\u3000\u00a0"
_LIST_ORDINAL = regex.compile(r"[ \t\u3000\u00a0]*(?:>[ \t]*)?(?:[-*+][ \t]+)?"
                              r"(?:[0-9]{1,2}|[一二三四五六七八九十]{1,3}|[A-Za-z])）")


def _units(doc: Document) -> list[tuple[int, int]]:
    """(start, end) offsets of each paragraph."""
    out: list[tuple[int, int]] = []
    if doc.format != "md":  # the Document's paragraphs: lines, joined where hard-wrapped
        for b in doc.blocks:
            if out and b.continues:
                out[-1] = (out[-1][0], b.end)  # a preview site's next page: one paragraph
            else:
                out.append((b.start, b.end))
        return out
    run: tuple[int, int] | None = None
    for i, line in enumerate(doc.lines):
        start = doc.line_starts[i]
        if line.strip(_LEAD):
            run = (run[0] if run else start, start + len(line))
        elif run:
            out.append(run)
            run = None
    if run:
        out.append(run)
    return out


def _first_char(text: str, start: int, end: int) -> tuple[int, str]:
    i = start
    while i < end and text[i] in _LEAD:
        i += 1
    return i, text[i] if i < end else ""


def _context(text: str, pos: int, start: int, end: int, after: bool) -> str:
    """Up to ten characters of the mark's line, from the mark on or up to it."""
    if after:
        return text[pos:min(end, pos + 10)].split("\n", 1)[0]
    return text[max(start, pos - 9):pos + 1].rsplit("\n", 1)[-1]


@functools.lru_cache(maxsize=32)
def _marks(opening: str, closing: str) -> Any:
    return regex.compile(regex.escape(opening) + "|" + regex.escape(closing))


def _list_ordinal_ends(text: str, start: int, end: int) -> set[int]:
    """The ）of a list ordinal (1） 一） a）) at the start of any line of a paragraph."""
    out = set()
    line_start = start
    while line_start < end:
        ordinal = _LIST_ORDINAL.match(text, line_start, end)
        if ordinal:
            out.add(ordinal.end() - 1)
        nl = text.find("\n", line_start, end)
        line_start = end if nl == -1 else nl + 1
    return out


def check(doc: Document, options: Mapping[str, Any]) -> Iterator[Finding]:
    pairs = [p for p in options["pairs"] if len(p) == 2]
    if not pairs:
        return
    text = doc.text
    units = _units(doc)
    starts = [a for a, _ in units]
    # each pair's marks, found in one pass over the text, by paragraph
    marks: dict[int, list[tuple[int, list[tuple[int, str]]]]] = {}
    for p, (opening, closing) in enumerate(pairs):
        if opening not in text and closing not in text:
            continue
        for m in _marks(opening, closing).finditer(text):
            i = m.start()
            k = bisect_right(starts, i) - 1
            if k < 0 or i >= units[k][1]:
                continue
            found = marks.setdefault(k, [])
            if not found or found[-1][0] != p:
                found.append((p, []))
            found[-1][1].append((i, m.group()))
    for k in sorted(marks):
        start, end = units[k]
        skip_close: set[int] | None = None
        for p, found in marks[k]:
            opening, closing = pairs[p]
            stack: list[int] = []
            unmatched: list[tuple[int, str]] = []
            for i, ch in found:
                if ch == opening:
                    stack.append(i)
                elif ch == closing:
                    if skip_close is None:
                        skip_close = _list_ordinal_ends(text, start, end)
                    if i in skip_close:
                        continue
                    if (ch == "’" and 0 < i < len(text) - 1 and text[i - 1].isascii()
                            and text[i - 1].isalpha() and text[i + 1].isascii()
                            and text[i + 1].isalpha()):
                        continue
                    if stack:
                        stack.pop()
                    else:
                        unmatched.append((i, "close"))
            first_at, first = _first_char(text, start, end)
            for i in stack:
                if (opening in "“‘" and i == first_at and k + 1 < len(units)
                        and _first_char(text, *units[k + 1])[1] == opening):
                    continue  # a quotation continued in the next paragraph
                unmatched.append((i, "open"))
            for i, side in sorted(unmatched):
                yield Finding(i, i + 1, {
                    "mark": text[i], "open": opening, "close": closing,
                    "missing": closing if side == "open" else opening,
                    "side": "opening" if side == "open" else "closing",
                    "context": _context(text, i, start, end, side == "open"),
                })
