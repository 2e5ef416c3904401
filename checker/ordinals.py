"""Heading ordinals of GB/T 9704-2012 and the block structure of a draft.

Levels: 1 ``一、``  2 ``（一）``  3 ``1.``  4 ``（1）``. Variants (half-width brackets,
``1．``, ``1、``, ``一，``, ``（一）、``) are recognised with their exact ``style`` (the ordinal
with its number replaced by ``N``) so that checks can report a level whose siblings mix
styles, or a level written in a style the standard does not use.

Inline enumerations (``一是……二是……``, ``第一，……第二，……``) are found by
:func:`enumerations`; they may sit in one paragraph or one item a paragraph.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator, Mapping, NamedTuple, Sequence

import regex

from checker import wrap
from checker.notes import is_private_note

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
CN_NUM = "[零〇一二三四五六七八九十]{1,3}"

# The style GB/T 9704-2012 gives each level (``N`` stands for the number). Level 3 is
# written with a full stop, half- or full-width.
STANDARD_STYLES: dict[int, tuple[str, ...]] = {
    1: ("N、",), 2: ("（N）",), 3: ("N.", "N．"), 4: ("（N）",),
}


def cn_to_int(s: str) -> int | None:
    """Chinese numeral up to 九十九 → int (``十一`` → 11, ``二十三`` → 23)."""
    if not s:
        return None
    if "十" in s:
        head, _, tail = s.partition("十")
        if "十" in tail or len(head) > 1 or len(tail) > 1:
            return None
        tens = CN_DIGITS.get(head, -1) if head else 1
        ones = CN_DIGITS.get(tail, -1) if tail else 0
        if tens < 1 or ones < 0 or (tail and ones == 0):
            return None
        return tens * 10 + ones
    if len(s) == 1:
        value = CN_DIGITS.get(s)
        return value if value else None
    return None


def int_to_cn(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def render_ordinal(level: int, number: int, style: str) -> str:
    """The ordinal ``number`` written in ``style`` (``（N）`` + 3 → ``（三）``)."""
    return style.replace("N", str(number) if level >= 3 else int_to_cn(number), 1)


# One alternative per level. Group "n<level>" is the number, "l<level>" the whole ordinal.
_HEADING = regex.compile(
    rf"""^(?:
      (?P<l1>(?P<n1>{CN_NUM})(?P<s1>[、，,．.])(?![、，,．.]))
    | (?P<l2>(?P<o2>[（(])(?P<n2>{CN_NUM})(?P<c2>[）)])[、，.．]?)
    | (?P<l3>(?P<n3>[0-9]{{1,2}})(?P<s3>[.．、])(?![ \t]*[0-9０-９]))  # not 24. 3 亿元
    | (?P<l4>(?P<o4>[（(])(?P<n4>[0-9]{{1,2}})(?P<c4>[）)])[、，.．]?)
    )""",
    regex.VERBOSE,
)
# A Markdown heading's marks and their space (group 1: the marks), in every format (a .txt
# pasted from a Markdown editor keeps them). A line of only # and spaces (# # #, a
# separator) is no heading.
MD_HEADING = regex.compile(r"^(#{1,6})[ \t]+(?![# \t]*$)")
_NUMBER = regex.compile(r"[0-9零〇一二三四五六七八九十]+")
# A line that holds only paid/page markers (or a misspelled attempt at one): not prose.
_MARKER_LINE = regex.compile(
    r"^(?:[#＃$＄]{1,3}[ \t\u3000]*(?:paid|page)[ \t\u3000_\-]*(?:begin|end|break)"
    r"[ \t\u3000]*[#＃$＄]{0,3}[ \t\u3000]*)+$", regex.IGNORECASE)
_WS = " \t\u3000\u00a0"
PAGE_MIN = 60  # characters of the paragraph a page counter follows (preview pages hold ~300)
_SENTENCE_END = "。！？!?；;"
# the organ that signs a draft, on a line of its own: 中共……街道第三社区委员会第二支部
_SIGNATURE = regex.compile(r"^[^，。；：！？,;:!?\s]{2,40}(?:委员会|支部|总支|党组|党委|党工委|办公室|"
                           r"政府|人大常委会|局|厅|院|中心|公司|学校|街道|社区)$")
_DATE = regex.compile(r"^(?:[0-9]{4}|[〇零一二三四五六七八九]{4})年[0-9一二三四五六七八九十]{1,3}月"
                      r"(?:[0-9一二三四五六七八九十]{1,3}日)?$")


class Ordinal(NamedTuple):
    level: int
    number: int
    style: str
    length: int


def parse_ordinal(line: str) -> Ordinal | None:
    """The heading ordinal at the start of ``line``: (level, number, style, length)."""
    m = _HEADING.match(line)
    if not m:
        return None
    for level in (1, 2, 3, 4):
        whole = m.group(f"l{level}")
        if whole:
            num_text = m.group(f"n{level}")
            number = int(num_text) if level >= 3 else cn_to_int(num_text)
            if not number:
                return None
            if level == 1 and whole[-1] in "，,.．" and not _heading_like(line[len(whole):]):
                return None  # "一，" or "一." opening a sentence is not a heading
            style = _NUMBER.sub("N", whole, count=1)
            return Ordinal(level, number, style, len(whole))
    return None  # pragma: no cover


def _heading_like(rest: str) -> bool:
    return (bool(rest) and rest[0] not in "，、。；：,;:" and not rest[0].isdigit()
            and rest[0] not in CN_DIGITS and rest[0] != "十")


class Enumeration(NamedTuple):
    """An inline enumeration item: ``一是`` (style ``N是``) or ``第一，`` (style ``第N``)."""

    start: int  # offset of the item's ordinal in the text given to :func:`enumerations`
    end: int
    number: int
    style: str


_ENUM = regex.compile(  # an item opens a clause, or follows 因为/主要是/即 … (因为一是……二是……)
    rf"(?:^|(?<=[，。；：！？,;:!?])|(?<=因为|由于|主要是|具体是|表现在|体现在|即))[{_WS}]*"
    rf"(?:(?P<n>{CN_NUM})是(?![否非])(?!(?P=n))|第(?P<m>{CN_NUM})(?=[，、,：:]))")


def enumerations(text: str) -> Iterator[Enumeration]:
    """Inline enumeration items in ``text`` (one paragraph, or a heading's body)."""
    if "是" not in text and "第" not in text:  # every item holds one (most paragraphs neither)
        return
    for m in _ENUM.finditer(text):
        group = "n" if m.group("n") else "m"
        number = cn_to_int(m.group(group))
        if number:
            start = m.start(group) - (1 if group == "m" else 0)
            end = m.end()
            yield Enumeration(start, end, number, "N是" if group == "n" else "第N")


def looks_like_title(text: str) -> bool:
    """A short line without sentence punctuation: a title, subtitle, author or date."""
    return (len(text) <= 60 and not any(c in text for c in _SENTENCE_END)
            and text[-1] not in "，、：,:")


def is_short_label(text: str) -> bool:
    """A short line under a title or after a closing: ``——在……上的发言``, a name, a
    date, the organ that signs (``中共……街道第三社区委员会第二支部``)."""
    return looks_like_title(text) and (text.startswith(("——", "—", "--", "（", "("))
                                       or len(text) <= 12 or bool(_DATE.match(text))
                                       or bool(_SIGNATURE.search(text)))


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph of the draft: a non-empty line (drafts keep one paragraph per
    line), or the lines of a paragraph of a hard-wrapped draft, joined (``joins``).

    ``kind`` is ``title`` (the title and short lines right under it), ``heading``,
    ``paragraph``, ``marker`` (a line holding only paid/page markers) or ``note`` (a
    private note to the writing team, see :mod:`checker.notes`). For headings
    ``level`` is the GB/T 9704 level (1 ``一、``, 2 ``（一）``, 3 ``1.``, 4 ``（1）``),
    ``ordinal`` the number it carries (0: a Markdown heading without one) and ``style``
    the exact form of the ordinal with ``N`` for the number (e.g. ``（N）`` against
    ``(N)``). ``start``/``end`` are offsets of the stripped text; ``body_start`` is where
    the text after the ordinal (and a Markdown ``#`` prefix) begins; ``md_level`` is the
    number of ``#`` of a Markdown heading (0 otherwise).

    In a .docx, a paragraph with a Word heading style but no ordinal is a ``heading``
    with ``ordinal`` 0 and ``style`` ``""`` (a heading without a number, which numbering
    checks skip); its ``level`` is the Word level, at most 4.
    """

    index: int  # 0-based line index
    start: int
    end: int
    kind: str
    text: str
    level: int = 0
    ordinal: int = 0
    style: str = ""
    body_start: int = 0
    md_level: int = 0
    # a paragraph of a hard-wrapped draft spans several lines (see checker/wrap.py):
    # (offset in ``text``, offset in the file) where each further line begins
    joins: tuple[tuple[int, int], ...] = ()
    # a paragraph that goes on with the sentence of the block before: the next page of a
    # preview site, after its page counter (2、 in mid-sentence; see _page_counter)
    continues: bool = False

    def offset(self, k: int) -> int:
        """The file offset of offset ``k`` in ``text``."""
        base, at = self.start, 0
        for pos, where in self.joins:
            if k < pos:
                break
            base, at = where, pos
        return base + k - at


def parse_blocks(lines: Sequence[str], line_starts: Sequence[int], fmt: str,
                 front_matter: Mapping[str, Any]) -> Iterator[Block]:
    """One :class:`Block` per non-empty line, or per paragraph of a hard-wrapped draft
    (its lines joined: see :mod:`checker.wrap`). The first line is the title only when it
    looks like one (short, no sentence punctuation); the lines right under it that look
    like one too (a subtitle, the author, a date, a 内部资料 note above the title) are
    title lines as well. Lines holding only paid markers are ``marker`` blocks, private
    notes to the team (:mod:`checker.notes`) ``note`` blocks. In Markdown, ``#`` headings
    are headings: their level is that
    of their ordinal, else the number of ``#`` minus one (``##`` is a part); a ``# `` heading
    before the body is the title, also when the front matter has a ``title`` too. A .txt or
    .docx draft pasted from a Markdown editor is read the same way (``## 二、会议召开`` is
    the part 二、; L109 reports the marks), so its numbering is judged as in the .md copy."""
    state = "start"  # start -> title -> body
    md_doc = fmt == "md"
    has_front_title = md_doc and isinstance(front_matter.get("title"), str)
    if has_front_title:
        state = "title"

    def starts_block(text: str) -> bool:
        return (parse_ordinal(text) is not None or bool(_MARKER_LINE.match(text))
                or bool(MD_HEADING.match(text)) or is_private_note(text)
                or bool(_DATE.match(text)))  # a signature's date: never a wrapped line's rest

    previous: Block | None = None
    for index, start, end, stripped, joins in wrap.logical_lines(
            lines, line_starts, _WS, starts_block):
        if _MARKER_LINE.match(stripped):
            yield Block(index, start, end, "marker", stripped, body_start=start, joins=joins)
            continue
        if is_private_note(stripped):
            yield Block(index, start, end, "note", stripped, body_start=start, joins=joins)
            continue
        md = MD_HEADING.match(stripped)
        hashes = len(md.group(1)) if md else 0
        body = stripped[md.end():] if md else stripped
        body_start = start + (md.end() if md else 0)
        parsed = parse_ordinal(body) if body else None
        counter = parsed is not None and _page_counter(parsed, previous)
        if counter:
            parsed = None
        if parsed is None and body and state != "body" and looks_like_title(body) and (
                state == "start" or not md or hashes == 1):
            state = "title"
            yield Block(index, start, end, "title", stripped, body_start=body_start,
                        joins=joins)
            continue
        state = "body"
        if parsed is not None:
            previous = Block(index, start, end, "heading", stripped, parsed.level,
                             parsed.number, parsed.style, body_start + parsed.length, hashes,
                             joins)
        elif md and body:
            previous = Block(index, start, end, "heading", stripped, min(4, max(1, hashes - 1)),
                             body_start=body_start, md_level=hashes, joins=joins)
        else:
            previous = Block(index, start, end, "paragraph", stripped, body_start=body_start,
                             joins=joins, continues=counter)
        yield previous


def _page_counter(parsed: Ordinal, previous: "Block | None") -> bool:
    """A 2、 3、 … that a document-preview site put at the start of each page of text, in
    mid-sentence: it follows a long paragraph (or the page before, read as a heading: 1、
    and its whole text) that ends without sentence punctuation, so it is no heading (the
    paragraph before is cut off)."""
    return (parsed.level == 3 and parsed.style == "N、" and parsed.number >= 2
            and previous is not None and previous.kind in ("paragraph", "heading")
            and len(previous.text) >= PAGE_MIN and wrap.ends_open(previous.text))
