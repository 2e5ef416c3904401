"""Kind ``whitespace``: invisible characters an editor removes by hand.

One kind, option ``defect`` picks the problem, so each has its own code:

``trailing``
    spaces, tabs, U+3000 or U+00A0 at the end of a line (also a line of only
    whitespace). In Markdown two or more ASCII spaces after text are a hard line break
    and are left alone. Fix: delete them.
``blank-lines``
    more than ``max-blank-lines`` blank (or whitespace-only) lines in a row. Reported on
    the first line over the limit. Fix: delete the extra lines.
``indentation``
    paragraphs of one draft indented differently (two U+3000, none, U+00A0, ASCII
    spaces …). The most common indentation is the draft's style; every line using
    another is reported. No report when no style is the clear majority (a tie), for an
    unindented title (titles are centred, not indented), for a salutation on its own line
    (同志们：, flush left by convention), for lines holding only paid/page-break markers,
    nor for a short paragraph line without sentence punctuation (30 characters or fewer;
    or up to 10 before a colon): a table cell, a signature or date pushed right, an
    attachment's title, an addressee (区人大常委会：), a label (讨论议题：); those lines do
    not count towards the majority.
``between-chinese``
    a space between two Chinese characters in a sentence (``学习 贯彻``). Only lines
    with sentence punctuation (``，。；``) are looked at, so a title, a signature or a
    list of names (``张三 李四``, ``王  五`` padded to align) stays silent, and so do the
    spaces of a quoted list of keywords (主题为“理想 责任 忠诚”) or of a quoted name
    of two parallel halves (开展“先锋张浦 乐居如意”书记项目), of a chapter or
    section number before its title (第一节 入党申请书) and of a heading spaced out
    character by character (目 录), and a run of spaces left to write a number in
    (因事请假      名). Not fixed
    automatically: the space may separate two names.

Regions the reader masked (Markdown front matter, code, comments) are neither blank
lines nor trailing whitespace.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Iterator, Mapping

import regex

from checker.checks import Opt
from checker.model import Edit, Finding
from checker.document import Document
from checker.i18n import tr
from checker.outline import IMPRINT, SENTENCE_END
from checker.segment import fixed_terms

DEFECTS = ("trailing", "blank-lines", "indentation", "between-chinese")

OPTIONS = {
    "defect": Opt("str", required=True, choices=DEFECTS, doc="which whitespace problem to report"),
    "max-blank-lines": Opt("int", 2, doc="blank-lines: how many blank lines in a row are fine"),
}

WS = " \t\u3000\u00a0"
_NAMES = {" ": "words.ascii-space", "\t": "words.tab", "\u3000": "words.full-width-space",
          "\u00a0": "words.no-break-space"}  # catalogue keys: counted, and "-kind" alone
_MARKER_LINE = regex.compile(r"(?:[ \t\u3000\u00a0]*(?:##|\$\$)(?:paidbegin|paidend|pagebreak)"
                             r"(?:##|\$\$))+[ \t\u3000\u00a0]*")
_BETWEEN = regex.compile(r"(?<=\p{Han})[ \t\u3000\u00a0]+(?=\p{Han})")
# the number of a chapter or section before its title (第一节 入党申请书), and a heading
# spaced out character by character (目 录): spaces a table of contents keeps
_NUMBERED = regex.compile(r"第[一二三四五六七八九十百零〇\d]{1,4}(?:章|节|篇|条|讲|课|部分|单元)$")
_SPACED_OUT = regex.compile(r"(?<!\p{Han})(?<!(?<!\p{Han})\p{Han}[ \t\u3000]+)\p{Han}[ \t\u3000]+\p{Han}"
                             r"(?!\p{Han})(?![ \t\u3000]+\p{Han}(?!\p{Han}))")  # exactly two, alone
# a run of spaces left to write a number in (因事请假      名, 生产总值 亿元, 或有 人，): a
# blank, not a slip; the forms before a unit that ends the clause are P114's (keep them as
# rules/placeholders.yaml has them)
_FILL_IN = regex.compile(r"[ \t\u3000\u00a0]{3,}[名人个位次件项户天家所元]"
                         r"|[ \t\u3000\u00a0]+(?:亿元|万元|千元|元|名|个百分点|人次|万人|户|%|％)"
                         r"(?=[，。；、,.;）)]|$)|(?<=有)[ \t\u3000\u00a0]+人(?=[，。；,;）)])")
# a salutation on a line of its own, flush left by convention (同志们： 各位代表：)
_SALUTATION = regex.compile(r"[^，。；：:]{0,18}(?:同志|同学|老师|朋友|代表|委员|领导|来宾|嘉宾"
                             r"|党员|干部|职工|乡亲|家长)们?[：:]")  # the whole line
# a short line without sentence punctuation, not a heading: a table cell, a signature or
# date pushed right, an attachment's title, and up to ten characters before a colon, an
# addressee or a label (区人大常委会： 讨论议题：); laid out, not indented like the
# paragraphs, and no vote on their indentation (a longer lead-in, 要做到以下几点：, is one)
_CLAUSE = regex.compile(r"[，,；;]")
_LAYOUT_LINE = regex.compile(r"[^，。；！？：,;!?:]{1,30}|[^，。；！？：,;!?:]{1,10}[：:]")
# a quoted list of three or more keywords, a space between each (主题为“理想 责任 忠诚”)
_KEYWORDS = regex.compile(r"[“‘「『](?:\p{Han}{1,6}[ \u3000]){2,}\p{Han}{1,6}[”’」』]")
# a quoted name or slogan of two parallel halves (开展“先锋张浦 乐居如意”书记项目)
_TWO_PART = regex.compile(r"[“‘「『](\p{Han}{2,})[ \u3000](\p{Han}{2,})[”’」』]")
TWO_PART_MAX = 20  # characters between the quotation marks


def describe(indent: str) -> str:
    """``'\\u3000\\u3000'`` -> ``2 full-width spaces (U+3000)``."""
    if not indent:
        return tr("words.no-indentation")
    if len(set(indent)) == 1:
        return tr(_NAMES[indent[0]], n=len(indent))
    return tr("words.mixed-whitespace",
              kinds=" + ".join(tr(_NAMES[c] + "-kind") for c in indent))


def _two_part_name(m: regex.Match[str]) -> bool:
    """A quotation of two halves of the same length, two characters or more each, with
    one space between, short, and no fixed term across the space: a project's name or a
    slogan (“先锋张浦 乐居如意”), not a stray space (“两个 确立”, or a PDF's line break
    inside “持之以恒正 风肃纪”)."""
    first, second = m.group(1), m.group(2)
    if len(first) != len(second) or len(first) + len(second) + 1 > TWO_PART_MAX:
        return False
    joined, cut = first + second, len(first)
    for term in fixed_terms():
        i = joined.find(term, max(0, cut - len(term) + 1))
        if -1 < i < cut:
            return False
    return True


def _masked(doc: Document, offset: int) -> bool:
    return bool(doc.masked) and doc.is_masked(offset)


def _is_blank(doc: Document, index: int) -> bool:
    line = doc.lines[index]
    return not line.strip(WS) and not _masked(doc, doc.line_starts[index])


def _real_lines(doc: Document) -> int:
    """Number of lines, not counting the empty string after a final newline."""
    n = len(doc.lines)
    return n - 1 if n > 1 and doc.lines[-1] == "" else n


def _trailing(doc: Document) -> Iterator[Finding]:
    for index, line in enumerate(doc.lines):
        if not line or line[-1] not in WS:
            continue
        base = doc.line_starts[index]
        i = len(line)
        while i > 0 and line[i - 1] in WS and not _masked(doc, base + i - 1):
            i -= 1
        if i == len(line):
            continue
        run = line[i:]
        if doc.format == "md" and i > 0 and len(run) >= 2 and set(run) == {" "}:
            continue  # Markdown hard line break
        yield Finding(base + i, base + len(line), {"whitespace": describe(run)},
                      fix=(Edit(base + i, base + len(line), ""),))


def _blank_lines(doc: Document, limit: int) -> Iterator[Finding]:
    total = _real_lines(doc)
    index = 0
    while index < total:
        if not _is_blank(doc, index):
            index += 1
            continue
        first = index
        while index < total and _is_blank(doc, index):
            index += 1
        count = index - first
        if count > limit:
            start = doc.line_starts[first + limit]
            end = doc.line_starts[index] if index < len(doc.line_starts) else len(doc.text)
            yield Finding(start, end, {"count": count, "max": limit},
                          fix=(Edit(start, end, ""),))


def _indentation(doc: Document) -> Iterator[Finding]:
    """The body paragraphs and each level of headings are judged apart (一、 flush left
    over indented paragraphs is a layout); a level without a clear majority of its own
    is judged against the whole draft's."""
    groups: dict[int, list[tuple[int, str]]] = {}  # 0: the body; n: headings of level n
    for block in doc.blocks:
        line = doc.lines[block.index]
        indent = line[: len(line) - len(line.lstrip(WS))]
        if block.kind == "title" and not indent or _SALUTATION.fullmatch(block.text) \
                or block.kind == "paragraph" and (_LAYOUT_LINE.fullmatch(block.text)
                                                  or IMPRINT.search(block.text)):
            continue
        if _MARKER_LINE.fullmatch(line):
            continue
        # an item that is a whole sentence with a clause in it (一、加强值班值守，严格执
        # 行领导带班制度。) is a paragraph; a heading's own title (（一）做好准备。) is not
        heading = block.kind == "heading" and not (
            SENTENCE_END.search(block.text) and _CLAUSE.search(block.text))
        level = (block.level or 1) if heading else 0
        groups.setdefault(level, []).append((block.index, indent))
    everything = _majority([s for styles in groups.values() for s in styles])
    for level, styles in sorted(groups.items()):
        if len({indent for _, indent in styles}) < 2:
            continue  # all alike (a level of headings flush left, say)
        major = _majority(styles) or (everything if level else None)
        if major is None:
            continue
        style, count, total = major
        for index, indent in styles:
            if indent != style:
                start = doc.line_starts[index]
                yield Finding(start, start + len(indent), {
                    "style": describe(indent), "majority": describe(style),
                    "count": count, "total": total})


def _majority(styles: list[tuple[int, str]]) -> tuple[str, int, int] | None:
    """The indentation most of ``styles`` share (with its count and theirs), or None when
    they all agree or none is ahead."""
    counts = Counter(indent for _, indent in styles).most_common()
    if len(counts) < 2 or counts[0][1] == counts[1][1]:
        return None
    return counts[0][0], counts[0][1], len(styles)


def _between(doc: Document) -> Iterator[Finding]:
    for index, line in enumerate(doc.lines):
        if not any(p in line for p in "，。；"):
            continue
        body = line.lstrip(WS)  # the indentation has no Han character before it
        if not any(c in body for c in WS):
            continue
        base = doc.line_starts[index]
        # spans whose inner spaces are layout: a quoted keyword list, a spaced-out heading
        layout = [m.span() for p in (_KEYWORDS, _SPACED_OUT) for m in p.finditer(line)]
        layout += [m.span() for m in _TWO_PART.finditer(line) if _two_part_name(m)]
        for m in _BETWEEN.finditer(line):
            a, b = m.span()
            if any(x < a and b < y for x, y in layout) \
                    or _NUMBERED.search(line, max(0, a - 8), a) \
                    or _FILL_IN.match(line, a):
                continue
            yield Finding(base + a, base + b, {
                "context": line[max(0, a - 3):b + 3], "whitespace": describe(m.group())})


def check(doc: Document, options: Mapping[str, Any]) -> Iterator[Finding]:
    defect = options["defect"]
    if defect == "trailing":
        yield from _trailing(doc)
    elif defect == "blank-lines":
        yield from _blank_lines(doc, max(0, options["max-blank-lines"]))
    elif defect == "indentation":
        yield from _indentation(doc)
    elif defect == "between-chinese":
        yield from _between(doc)
