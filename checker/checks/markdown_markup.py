"""Kind ``markdown-markup``: Markdown syntax left in a .txt or .docx draft.

Text pasted from a web page or a Markdown editor into a plain draft keeps its markup, and
a .txt or .docx prints it as is. Two forms, each reported once, at the markup's own
column, with a fix that deletes the marks and keeps the words:

* heading marks: ``#`` … ``######`` and a space at the start of a line (``## 二、会议召开``).
  The lines are those :func:`checker.ordinals.parse_blocks` reads as headings (or the
  title), so what is reported is what the outline takes for a heading;
* a strong-emphasis pair ``**学习研讨**`` (:func:`emphasis_pairs`). In plain text a
  ``**`` is far more often a blank or a word a site masked (``**镇**村``, ``李**``,
  ``对**村4组部分群众争夺**堰塘``: P101's), so a pair counts only where a Markdown label
  sits: two characters or more, no ``*`` inside, delimiters that open and close the way
  CommonMark's do, and either a colon right after it (``**学习研讨**：``) or a line (or
  list item, ``1. ``, ``- ``) that opens with it and no word glued after it
  (``2.**会议基本信息**(如适用)``). P101 leaves these pairs alone.

``__strong__`` is not taken: no draft read had it, and ``20__年…任__镇`` is a blank (P112).
In Markdown drafts all of this is syntax (the rule's formats are txt and docx).
Message arguments: ``match`` (the pair, or the heading line, shortened) and ``marks``.
"""

from __future__ import annotations

import unicodedata
from typing import Any, Iterator, Mapping

import regex

from checker.document import Document
from checker.model import Edit, Finding
from checker.ordinals import MD_HEADING

OPTIONS: dict[str, Any] = {}

SHOWN = 14  # characters of the heading line or the pair a message quotes

_PAIR_RUN = regex.compile(r"(?<![*\\])\*\*(?!\*)")
_COLON_AFTER = regex.compile(r"[ \t]*[：:]")
# what may stand before a label on its line: indentation, a list bullet or an ordinal
# (1. 1、 一、 （一） (1)), or, in a page collapsed into one line, an ordinal 7. after a
# sentence end (…的主要议题。4.**讨论要点**)
_LEAD = regex.compile(
    r"(?:^[ \t\u3000]*(?:(?:[-+*>]|[0-9]{1,2}[.．、)）]|[（(]?[一二三四五六七八九十]{1,3}[、）)]"
    r"|[（(][0-9]{1,2}[）)])[ \t\u3000]*)?"
    r"|(?:^|[。；;！!？?）)\s])[0-9]{1,2}[.．][ \t]*)$")


def _punct(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "PS"


def _opens(line: str, a: int) -> bool:
    """CommonMark's left-flanking run: a non-space after, and a punctuation mark after
    only when white space or punctuation is before (``不忘**、牢记**`` does not open)."""
    after = line[a + 2] if a + 2 < len(line) else " "
    before = line[a - 1] if a else " "
    return not after.isspace() and (not _punct(after) or before.isspace() or _punct(before))


def _closes(line: str, c: int) -> bool:
    before = line[c - 1] if c else " "
    after = line[c + 2] if c + 2 < len(line) else " "
    return not before.isspace() and (not _punct(before) or after.isspace() or _punct(after))


def _label(line: str, a: int, c: int) -> bool:
    """The pair ``line[a:c+2]`` sits where Markdown puts a bold label."""
    if c - a - 2 < 2:
        return False  # **镇**村: a masked place, not a label
    if _COLON_AFTER.match(line, c + 2):
        return True
    after = line[c + 2] if c + 2 < len(line) else " "
    return not after.isalnum() and bool(_LEAD.search(line[:a]))


def emphasis_pairs(line: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each ``**…**`` label pair in one line of a plain draft, left to
    right (offsets in ``line``; the delimiters are ``line[start:start+2]`` and
    ``line[end-2:end]``)."""
    if "**" not in line:
        return
    runs = [m.start() for m in _PAIR_RUN.finditer(line)]
    k = 0
    while k + 1 < len(runs):
        a, c = runs[k], runs[k + 1]
        if _opens(line, a) and _closes(line, c) and _label(line, a, c):
            yield a, c + 2
            k += 2
        else:
            k += 1


def _shown(text: str) -> str:
    return text if len(text) <= SHOWN else text[:SHOWN] + "…"


def check(doc: Document, options: Mapping[str, Any]) -> Iterator[Finding]:
    for b in doc.blocks:
        if b.kind in ("title", "heading"):
            m = MD_HEADING.match(b.text)
            if m:
                yield Finding(b.start, b.start + m.end(),
                              {"match": _shown(b.text), "marks": m.group(1)},
                              fix=(Edit(b.start, b.start + m.end(), ""),))
    if "**" not in doc.text:
        return
    for index, line in enumerate(doc.lines):
        base = doc.line_starts[index]
        for a, e in emphasis_pairs(line):
            start, end = base + a, base + e
            yield Finding(start, end, {"match": _shown(line[a:e]), "marks": "**"},
                          fix=(Edit(start, start + 2, ""), Edit(end - 2, end, "")))
