"""Kind ``asterisks``: ``*`` and ``**`` left as blanks (``**市委``, ``从*发展需要``).

In plain text and .docx every run of ``*``/``＊`` is a candidate, except a line made
only of asterisks (a separator), a ``*`` bullet at the start of a line (``* 项目``, or ``*时间：…`` on two or more
lines: a list that lost its spaces), a ``*`` between
two digits or Latin letters (``3*4``, a formula) and whatever ``allow`` covers.

In plain text and .docx, the two ``**`` of a bold label pasted from a Markdown editor
(``1. **学习研讨**：``, see :func:`checker.checks.markdown_markup.emphasis_pairs`) are
markup, not blanks: L109 reports them, and a masked name (``李**``, ``***同志``) is still
a candidate.

In Markdown ``*`` is syntax, so on top of that the runs are paired the way emphasis is
(CommonMark, simplified): a run may open when the next character is not white space and
close when the previous one is not; a closer takes asterisks from the nearest openers;
``**bold**``, ``*emphasis*`` and ``***both***`` pair up and stay silent. List bullets,
thematic breaks (``* * *``), escaped ``\\*`` and inline code are skipped. What is left
unpaired is a literal asterisk on the page: a blank. ``＊`` (full width) is never syntax.

Option ``run`` chooses the form a rule reports: ``multiple`` (``**``, ``***`` …) or
``single`` (a lone ``*``). Message arguments: ``match``, ``context``.
"""

from __future__ import annotations

from typing import Any, Iterator, Mapping

import regex

from checker.checks import Opt
from checker.checks.markdown_markup import emphasis_pairs
from checker.checks.placeholder import context
from checker.model import Finding
from checker.document import Document

OPTIONS = {
    "run": Opt("str", "multiple", choices=("multiple", "single"),
               doc="report runs of two or more asterisks, or lone ones"),
    "allow": Opt("list[regex]", (), doc="a run covered by a match of one of these is dropped"),
    "context": Opt("int", 3, doc="characters of context on each side in {context}"),
}

_RUN = regex.compile(r"(?<!\\)\*+|＊+")
_SEPARATOR = regex.compile(r"^[ \t\u3000]*(?:[*＊][ \t\u3000]*){3,}$")
_BULLET = regex.compile(r"^[ \t\u3000]*[*＊][ \t\u3000]+")
# "*会议时间：…" on two or more lines: a list whose bullets lost their space (text copied
# from a web page), not blanks
_TIGHT_BULLET = regex.compile(r"^[ \t\u3000]*[*＊](?=[^*＊\s][^：:\n]{0,15}[：:])")
_MD_BULLET = regex.compile(r"^[ \t]*(?:>[ \t]?)*\*[ \t]+")
_CODE_SPAN = regex.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")
_FORMULA = regex.compile(r"[0-9A-Za-z][ \t]?$")
_FORMULA_AFTER = regex.compile(r"^[ \t]?[0-9A-Za-z]")


def _candidates(line: str, markdown: bool, tight_list: bool) -> list[tuple[int, int]]:
    """(start, end) of asterisk runs in one line that are not syntax, bullets or formulas."""
    if _SEPARATOR.match(line):
        return []
    skip_to = 0
    m = (_MD_BULLET if markdown else _BULLET).match(line)
    if not m and tight_list:
        m = _TIGHT_BULLET.match(line)
    if m:
        skip_to = m.end()
    code = [c.span() for c in _CODE_SPAN.finditer(line)] if markdown else []
    runs = []
    for r in _RUN.finditer(line, pos=skip_to):
        if any(a <= r.start() < b for a, b in code):
            continue
        # (the two characters each side decide: searching the whole prefix of the line
        # for each run was quadratic in a line of asterisks)
        if (len(r.group()) == 1 and _FORMULA.search(line[max(0, r.start() - 2):r.start()])
                and _FORMULA_AFTER.match(line[r.end():r.end() + 2])):
            continue
        runs.append(r.span())
    if not markdown:
        label = {p for a, e in emphasis_pairs(line) for p in (a, e - 2)}
        return [r for r in runs if r[0] not in label] if label else runs
    return _unpaired(line, runs)


def _unpaired(line: str, runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The runs emphasis does not consume (CommonMark delimiter matching, simplified)."""
    left = {i: e - s for i, (s, e) in enumerate(runs)}
    stack: list[int] = []
    for i, (s, e) in enumerate(runs):
        if line[s] == "＊":
            continue
        can_close = s > 0 and not line[s - 1].isspace()
        can_open = e < len(line) and not line[e].isspace()
        while can_close and left[i] and stack:
            j = stack[-1]
            take = 2 if left[i] >= 2 and left[j] >= 2 else 1
            left[i] -= take
            left[j] -= take
            if not left[j]:
                stack.pop()
        if can_open and left[i]:
            stack.append(i)
    return [runs[i] for i in range(len(runs)) if left[i]]


def check(doc: Document, options: Mapping[str, Any]) -> Iterator[Finding]:
    if "*" not in doc.text and "＊" not in doc.text:
        return
    markdown = doc.format == "md"
    allowed = [a.span() for p in options["allow"] for a in p.finditer(doc.text, timeout=2.0)]
    want_multiple = options["run"] == "multiple"
    tight_list = sum(1 for line in doc.lines if _TIGHT_BULLET.match(line)) >= 2
    for index, line in enumerate(doc.lines):
        if "*" not in line and "＊" not in line:
            continue
        base = doc.line_starts[index]
        for s, e in _candidates(line, markdown, tight_list):
            if (e - s > 1) != want_multiple:
                continue
            start, end = base + s, base + e
            if any(a <= start and end <= b for a, b in allowed):
                continue
            yield Finding(start, end, {"match": doc.text[start:end],
                                       "context": context(doc, start, end, options["context"])})
