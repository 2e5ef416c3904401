"""Kind ``halfwidth-punctuation``: ASCII punctuation typed inside Chinese text.

GB/T 15834-2011 wants full-width marks in Chinese text: ``，。：；？！（）``. A draft
typed with the wrong input mode has ``不够,实际``, ``报告如下:`` or ``(一)``. The check is
conservative: a mark is reported only when its context is unmistakably Chinese, so
numbers (``3.14``, ``1,000``, ``10:30``), file names (``报告.docx``), URLs, e-mail
addresses, Markdown link targets (``](附件(一).md)``) and English text stay silent.

Single marks (``, . : ; ? !`` in option ``marks``) are reported when

* the character before is a Chinese character (for ``, : ; ? !`` also a full-width
  closing mark such as ``”`` or ``）``), and
* the next character after any ASCII spaces is a Chinese character, a full-width opening
  mark, for ``, : ; ? !`` also another full-width mark (``精神,，``: fixed, then T104
  removes the doubled comma), or the end of the line; for ``, : ;`` after a Chinese character also an ASCII
  letter or digit (``时间:2023年``). For ``.`` only a Chinese character or the line end.
* ``,`` and ``;`` are also reported between an ASCII letter or digit and a Chinese
  character (``推动5G,加快``).

The separator of a heading ordinal (``一.`` ``一,``) is left to the structure rules: its
right form is ``一、``, not ``一。``.

Parentheses (``(`` and ``)`` in ``marks``) are reported as a pair when the text between
them contains a Chinese character (``(一)``, ``(党组)``), not ``(1)`` or ``(GDP)``. Each
finding carries a fix: the full-width mark (spaces typed after a comma, ``不够, 实际``,
are removed with it); a pair's fix changes only its two marks.
"""

from __future__ import annotations

import bisect
from typing import Any, Iterator, Mapping

import regex

from checker.checks import Opt
from checker.model import Edit, Finding
from checker.document import Document

FULL = {",": "，", ".": "。", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}

OPTIONS = {
    "marks": Opt("str", ",.:;?!", doc="which ASCII marks to report, from , . : ; ? ! ( )"),
}

_HAN = regex.compile(r"\p{Han}")
_CLOSE = "”’）》】」』〉"
_OPEN = "“‘（《【「『〈"
_FULL_MARKS = "，。、；：？！…—"
# Spans never looked at: URLs (also with Chinese host names), e-mail addresses, HTML
# entities and Markdown link targets (a file name there must not change).
_SKIP = regex.compile(
    r"(?:(?<![A-Za-z0-9+.\-])[A-Za-z][A-Za-z0-9+.\-]*://|(?<![A-Za-z0-9.\-])www\.)[^\s<>\"“”‘’（）《》【】，。；！？、]*"
    # (an address starts where its run of address characters starts: tried from every
    # letter of a long Latin run, the search was quadratic)
    r"|(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+"
    r"|&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"  # HTML entities
    # a Markdown link or image target, also with one level of parentheses inside
    r"|(?<=\])\((?:[^()\n]|\([^()\n]*\))*\)"
)
_SKIP_NEEDS = ("://", "www.", "@", "&", "](")  # each alternative of _SKIP holds one
_SINGLE = regex.compile(r"[,.:;?!]")
_PAREN = regex.compile(r"[()]")


def _skipped(skip: list[tuple[int, int]], offset: int) -> bool:
    """Whether ``offset`` lies in one of the sorted, non-overlapping ``skip`` spans."""
    k = bisect.bisect_right(skip, (offset, float("inf"))) - 1
    return k >= 0 and skip[k][0] <= offset < skip[k][1]


def _is_han(ch: str) -> bool:
    return bool(ch) and _HAN.match(ch) is not None


def _context(text: str, start: int, end: int, line_start: int, line_end: int) -> str:
    a = max(line_start, start - 3)
    b = min(line_end, end + 3)
    return text[a:b]


def _single(doc: Document, marks: str, skip: list[tuple[int, int]],
            ordinal_seps: set[int]) -> Iterator[Finding]:
    text = doc.text
    for index, line in enumerate(doc.lines):
        if not any(m in line for m in marks):
            continue
        base = doc.line_starts[index]
        n = len(line)
        for m in _SINGLE.finditer(line):
            mark = m.group()
            i = m.start()
            if mark not in marks or i == 0 or base + i in ordinal_seps:
                continue
            if _skipped(skip, base + i):
                continue
            left = line[i - 1]
            j = i + 1
            while j < n and line[j] in " \t":
                j += 1
            right = line[j] if j < n else ""
            if mark == ".":
                ok = _is_han(left) and (right == "" or _is_han(right))
            else:
                left_cn = _is_han(left) or left in _CLOSE
                ok = left_cn and (right == "" or _is_han(right) or right in _OPEN
                                  or right in _FULL_MARKS)
                if not ok and mark in ",:;" and _is_han(left):
                    ok = right.isascii() and right.isalnum()
                if not ok and mark in ",;" and left.isascii() and left.isalnum():
                    ok = _is_han(right)
            if not ok:
                continue
            end = i + 1 if right == "" else j  # spaces after the mark go with it
            yield Finding(
                base + i, base + end,
                {"mark": mark, "full": FULL[mark],
                 "context": _context(text, base + i, base + i + 1, base, base + n)},
                fix=(Edit(base + i, base + end, FULL[mark]),),
            )


def _pairs(doc: Document, skip: list[tuple[int, int]]) -> Iterator[Finding]:
    for index, line in enumerate(doc.lines):
        if "(" not in line or ")" not in line:
            continue
        base = doc.line_starts[index]
        stack: list[int] = []
        found: list[tuple[int, int]] = []
        for m in _PAREN.finditer(line):
            if m.group() == "(":
                stack.append(m.start())
            elif stack:
                found.append((stack.pop(), m.start()))
        for i, j in sorted(found):
            if _skipped(skip, base + i) or _skipped(skip, base + j):
                continue
            if not _HAN.search(line, i + 1, j):
                continue
            inner = line[i + 1:j]
            shown = inner if len(inner) <= 12 else inner[:11] + "…"
            yield Finding(
                base + i, base + j + 1,
                {"match": f"({shown})", "full": f"（{shown}）"},
                fix=(Edit(base + i, base + i + 1, "（"), Edit(base + j, base + j + 1, "）")),
            )


def check(doc: Document, options: Mapping[str, Any]) -> Iterator[Finding]:
    marks = options["marks"]
    if not any(m in doc.text for m in marks):
        return
    skip = [m.span() for m in _SKIP.finditer(doc.text)] if any(
        s in doc.text for s in _SKIP_NEEDS) else []
    single = "".join(m for m in marks if m in ",.:;?!")
    if single:
        seps = {h.body_start - 1 for h in doc.headings if h.level in (1, 3)}
        yield from _single(doc, single, skip, seps)
    if "(" in marks or ")" in marks:
        # A heading ordinal such as (一) is the structure family's (S105/S106 report the
        # style of a whole level once): not reported again here.
        ordinals = {doc.text.find("(", h.start, h.body_start) for h in doc.headings
                    if h.style.startswith("(")}
        yield from (f for f in _pairs(doc, skip) if f.start not in ordinals)
