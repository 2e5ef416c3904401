"""Heading ordinals of GB/T 9704-2012 and the block structure of a draft.

Levels: 1 ``一、``  2 ``（一）``  3 ``1.``  4 ``（1）``. Variants (half-width brackets,
``1．``, ``1、``) are recognised with their exact ``style`` so that checks can report a
level whose siblings mix styles.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

import regex

if TYPE_CHECKING:  # pragma: no cover
    from checker.document import Block, Document

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
CN_NUM = "[零〇一二三四五六七八九十]{1,3}"


def cn_to_int(s: str) -> int | None:
    """Chinese numeral up to 九十九 → int (``十一`` → 11, ``二十三`` → 23)."""
    if not s:
        return None
    if "十" in s:
        head, _, tail = s.partition("十")
        if "十" in tail:
            return None
        tens = CN_DIGITS.get(head, -1) if head else 1
        ones = CN_DIGITS.get(tail, -1) if tail else 0
        if tens < 1 or ones < 0:
            return None
        return tens * 10 + ones
    if len(s) == 1:
        return CN_DIGITS.get(s)
    return None


def int_to_cn(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


# One regex per level. Group "num" is the number, the whole match is the ordinal.
_HEADING = regex.compile(
    rf"""^(?:
      (?P<l1>(?P<n1>{CN_NUM})(?P<s1>[、，,．.]))
    | (?P<l2>(?P<o2>[（(])(?P<n2>{CN_NUM})(?P<c2>[）)])[、，]?)
    | (?P<l3>(?P<n3>[0-9]{{1,2}})(?P<s3>[.．、])(?![0-9]))
    | (?P<l4>(?P<o4>[（(])(?P<n4>[0-9]{{1,2}})(?P<c4>[）)]))
    )""",
    regex.VERBOSE,
)
_MD_HEADING = regex.compile(r"^#{1,6}[ \t]+")
_WS = " \t\u3000\u00a0"


def parse_ordinal(line: str) -> tuple[int, int, str, int] | None:
    """Return (level, number, style, length) of a heading ordinal at the line start."""
    m = _HEADING.match(line)
    if not m:
        return None
    for level in (1, 2, 3, 4):
        if m.group(f"l{level}"):
            num_text = m.group(f"n{level}")
            number = int(num_text) if level >= 3 else cn_to_int(num_text)
            if number is None:
                return None
            whole = m.group(f"l{level}")
            style = regex.sub(r"[0-9零〇一二三四五六七八九十]+", "N", whole)
            return level, number, style, len(whole)
    return None  # pragma: no cover


def parse_blocks(doc: "Document") -> Iterator["Block"]:
    from checker.document import Block

    seen_text = False
    for index, raw in enumerate(doc.lines):
        stripped = raw.strip(_WS)
        if not stripped:
            continue
        lead = len(raw) - len(raw.lstrip(_WS))
        start = doc.line_starts[index] + lead
        end = start + len(stripped)
        body = stripped
        md = _MD_HEADING.match(body) if doc.format == "md" else None
        md_len = md.end() if md else 0
        parsed = parse_ordinal(body[md_len:])
        if not seen_text and parsed is None and doc.format != "md" or (md and not seen_text and parsed is None):
            seen_text = True
            yield Block(index, start, end, "title", stripped, body_start=start + md_len)
            continue
        seen_text = True
        if parsed is not None:
            level, number, style, length = parsed
            yield Block(index, start, end, "heading", stripped, level, number, style,
                        start + md_len + length)
        else:
            yield Block(index, start, end, "paragraph", stripped, body_start=start)
