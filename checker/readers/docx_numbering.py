"""Word automatic numbering (``numbering.xml``): the number Word shows before a paragraph.

A numbered paragraph has ``w:numPr`` (directly or through its style): a list instance
``numId`` and a level ``ilvl``. The instance points to an abstract definition whose levels
give a start value, a number format (``decimal``, ``chineseCounting`` …) and a text
template (``%1、``, ``（%1）``, ``%1.%2``). Counters are kept per abstract definition, as
Word does: a list continues after other paragraphs, a deeper level restarts when a
shallower one advances, and a list instance with ``w:startOverride`` restarts its level
the first time it is used.

:meth:`Numbering.next` returns the rendered number (``一、``), ``None`` for bullets and
unnumbered levels (not an ordinal), or ``""`` when the number cannot be derived (an
unknown format, a missing definition): the reader then leaves the text alone, so no
numbering check sees a number that Word may not show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import regex

from checker.ordinals import int_to_cn

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def wval(el: Any, path: str) -> str | None:
    """``w:val`` of the child at ``path`` (``w:``-prefixed tags separated by ``/``)."""
    node = el
    for tag in path.split("/"):
        if node is None:
            return None
        node = node.find(W + tag)
    return None if node is None else node.get(W + "val")


def _int(value: str | None, default: int | None = None) -> int | None:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_PAREN = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇"
_STOP = "⒈⒉⒊⒋⒌⒍⒎⒏⒐⒑⒒⒓⒔⒕⒖⒗⒘⒙⒚⒛"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"
_LEGAL = dict(zip("零一二三四五六七八九十", "零壹贰叁肆伍陆柒捌玖拾"))


def _roman(n: int) -> str:
    out = ""
    for value, sym in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"),
                       (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"),
                       (4, "iv"), (1, "i")):
        while n >= value:
            out, n = out + sym, n - value
    return out


def format_number(n: int, fmt: str) -> str | None:
    """``n`` in Word's number format ``fmt``; None when it cannot be rendered."""
    if n < 0:
        return None
    if fmt in ("decimal", "decimalHalfWidth"):
        return str(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting",
               "taiwaneseCounting", "taiwaneseCountingThousand") and 0 < n < 100:
        return int_to_cn(n)
    if fmt == "chineseLegalSimplified" and 0 < n < 100:
        return "".join(_LEGAL[c] for c in int_to_cn(n))
    if fmt in ("ideographDigital", "taiwaneseDigital"):
        return "".join("〇一二三四五六七八九"[int(d)] for d in str(n))
    if fmt == "ideographTraditional" and 0 < n <= len(_TIANGAN):
        return _TIANGAN[n - 1]
    if fmt == "ideographZodiac" and 0 < n <= len(_DIZHI):
        return _DIZHI[n - 1]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 0 < n <= 20:
        return _CIRCLED[n - 1]
    if fmt == "decimalEnclosedParen" and 0 < n <= 20:
        return _PAREN[n - 1]
    if fmt == "decimalEnclosedFullstop" and 0 < n <= 20:
        return _STOP[n - 1]
    if fmt in ("lowerLetter", "upperLetter") and n > 0:
        s = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return s if fmt == "lowerLetter" else s.upper()
    if fmt in ("lowerRoman", "upperRoman") and 0 < n < 4000:
        return _roman(n) if fmt == "lowerRoman" else _roman(n).upper()
    return None


@dataclass
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    legal: bool = False
    style: str | None = None


def _level(lvl: Any) -> Level:
    return Level(start=_int(wval(lvl, "start"), 1) or 0,
                 fmt=wval(lvl, "numFmt") or "decimal",
                 text=wval(lvl, "lvlText") if lvl.find(W + "lvlText") is not None else "",
                 legal=lvl.find(W + "isLgl") is not None and wval(lvl, "isLgl") not in ("0", "false"),
                 style=wval(lvl, "pStyle"))


@dataclass
class Numbering:
    abstract: dict[str, dict[int, Level]] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)  # abstractNumId -> numStyleLink
    nums: dict[str, tuple[str, dict[int, Level | int]]] = field(default_factory=dict)
    style_num: dict[str, str] = field(default_factory=dict)  # styleId -> numId (style links)
    counters: dict[str, list[int | None]] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)

    @classmethod
    def parse(cls, root: Any, style_num: dict[str, str]) -> "Numbering":
        out = cls(style_num=style_num)
        if root is None:
            return out
        for ab in root.iterfind(W + "abstractNum"):
            aid = ab.get(W + "abstractNumId") or ""
            out.abstract[aid] = {(_int(lvl.get(W + "ilvl"), 0) or 0): _level(lvl)
                                 for lvl in ab.iterfind(W + "lvl")}
            link = wval(ab, "numStyleLink")
            if link:
                out.links[aid] = link
        for num in root.iterfind(W + "num"):
            overrides: dict[int, Level | int] = {}
            for ov in num.iterfind(W + "lvlOverride"):
                ilvl = _int(ov.get(W + "ilvl"), 0) or 0
                lvl = ov.find(W + "lvl")
                if lvl is not None:
                    overrides[ilvl] = _level(lvl)
                elif (start := _int(wval(ov, "startOverride"))) is not None:
                    overrides[ilvl] = start
            out.nums[num.get(W + "numId") or ""] = (wval(num, "abstractNumId") or "", overrides)
        return out

    def _levels(self, num_id: str) -> tuple[str, dict[int, Level]] | None:
        if num_id not in self.nums:
            return None
        aid, overrides = self.nums[num_id]
        for _ in range(3):  # follow numStyleLink -> style -> numId -> abstractNum
            if aid in self.links and self.style_num.get(self.links[aid]) in self.nums:
                aid = self.nums[self.style_num[self.links[aid]]][0]
        if aid not in self.abstract:
            return None
        levels = dict(self.abstract[aid])
        for ilvl, ov in overrides.items():
            if isinstance(ov, Level):
                levels[ilvl] = ov
            elif ilvl in levels:
                base = levels[ilvl]
                levels[ilvl] = Level(ov, base.fmt, base.text, base.legal, base.style)
        return aid, levels

    def level_of_style(self, num_id: str, style_id: str) -> int:
        found = self._levels(num_id)
        if found:
            for ilvl, lvl in found[1].items():
                if lvl.style == style_id:
                    return ilvl
        return 0

    def next(self, num_id: str, ilvl: int) -> str | None:
        """Advance the list and return the number text Word shows (see module doc)."""
        found = self._levels(num_id)
        if found is None or not 0 <= ilvl <= 8:
            return ""
        aid, levels = found
        counters = self.counters.setdefault(aid, [None] * 9)
        if num_id not in self.used:
            self.used.add(num_id)
            for ilvl_o in self.nums[num_id][1]:
                if 0 <= ilvl_o <= 8:
                    counters[ilvl_o] = None
        lvl = levels.get(ilvl)
        if lvl is None:
            return ""
        current = counters[ilvl]
        counters[ilvl] = lvl.start if current is None else current + 1
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = None
        if lvl.fmt in ("bullet", "none") or not lvl.text:
            return None
        failed = False

        def render(m: regex.Match) -> str:
            nonlocal failed
            k = int(m.group(1)) - 1
            ref = levels.get(k)
            if ref is None or k > ilvl:
                failed = True
                return ""
            value = counters[k] if counters[k] is not None else ref.start
            fmt = "decimal" if lvl.legal and k < ilvl else ref.fmt
            shown = format_number(value, fmt)
            if shown is None:
                failed = True
                return ""
            return shown

        text = regex.sub(r"%([1-9])", render, lvl.text)
        return "" if failed else text
