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
  sits (:func:`_label`): two characters or more, no white space inside the delimiters, at
  the start of a line or list item, or after an ordinal (``1. **学习研讨**：``,
  ``2.**会议基本信息**(如适用)``, ``…议题。4.**讨论要点**``), with no word glued after
  it. A colon after the pair does not make it a label anywhere else: in
  ``根据**县委**：要求`` the ``**`` are masks. P101 leaves the label pairs to this rule
  (also when this rule is off: see the rules' docs).

``__strong__`` is not taken: no draft read had it, and ``20__年…任__镇`` is a blank (P112).
In Markdown drafts all of this is syntax (the rule's formats are txt and docx).
Message arguments: ``match`` (the pair, or the heading line, shortened) and ``marks``.
"""

from __future__ import annotations

from typing import Any, Iterator, Mapping

import regex

from checker.document import Document
from checker.model import Edit, Finding
from checker.ordinals import MD_HEADING

OPTIONS: dict[str, Any] = {}

SHOWN = 14  # characters of the heading line or the pair a message quotes

_PAIR_RUN = regex.compile(r"(?<![*\\])\*\*(?!\*)")
# where Markdown puts a bold label: at a line start, after indentation, a list bullet or an
# ordinal (1. 1、 一、 （一） (1)); or, in a page collapsed into one line, after an ordinal
# 1. to 99. (要素:1.**会议标题**, …议题。4.**讨论要点**, …安排等5.**落款**)
_LEAD = regex.compile(
    r"(?:^[ \t\u3000]*(?:(?:[-+*>]|[0-9]{1,2}[.．、)）]|[（(]?[一二三四五六七八九十]{1,3}[、）)]"
    r"|[（(][0-9]{1,2}[）)])[ \t\u3000]*)?"
    r"|(?<![0-9A-Za-z.．])[0-9]{1,2}[.．][ \t]*)$")


def _label(line: str, a: int, c: int) -> bool:
    """The pair ``line[a:c+2]`` is a bold label: two characters or more, no white space
    inside either delimiter, at a label's place (:data:`_LEAD`) and no word glued after.
    (At that place a space or a punctuation mark is before the opener and, with no word
    after, one is after the closer, so this is CommonMark's flanking rule there.)"""
    if c - a - 2 < 2:
        return False  # **镇**：, 1. **镇**，: a masked place, not a label
    if line[a + 2].isspace() or line[c - 1].isspace():
        return False  # ** 学习研讨**, **学习研讨 **: no emphasis in Markdown either
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
        if _label(line, a, c):
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
