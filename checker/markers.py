"""Paid-content markers, scanned the way the CMS reads them.

The CMS (FastAdmin) replaces ``##paidbegin##``/``$$paidbegin$$`` with ``<paid>`` and
``##paidend##``/``$$paidend$$`` with ``</paid>`` by exact, case-sensitive replacement,
then hides each ``<paid>.*?</paid>`` span (non-greedy, dot matches newline). This module
reproduces that pairing so checks can say exactly what would be published.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

CANONICAL = {
    "##paidbegin##": ("begin", "#"),
    "##paidend##": ("end", "#"),
    "$$paidbegin$$": ("begin", "$"),
    "$$paidend$$": ("end", "$"),
    "##pagebreak##": ("pagebreak", "#"),
}
_CANONICAL_RE = regex.compile(r"##paidbegin##|##paidend##|\$\$paidbegin\$\$|\$\$paidend\$\$|##pagebreak##")
# Anything that looks like an attempt at a marker: sigils (half- or full-width), the word
# ``paid``/``page`` with ``begin``/``end``/``break`` in any case, spaces or line breaks inside.
_LOOSE_RE = regex.compile(
    r"[#＃$＄]{1,3}[ \t\u3000]*(?:p[ \t\u3000\n]*a[ \t\u3000\n]*i[ \t\u3000\n]*d"
    r"|p[ \t\u3000\n]*a[ \t\u3000\n]*g[ \t\u3000\n]*e)[ \t\u3000\n_\-]*"
    r"(?:b[ \t\u3000\n]*e[ \t\u3000\n]*g[ \t\u3000\n]*i[ \t\u3000\n]*n"
    r"|e[ \t\u3000\n]*n[ \t\u3000\n]*d"
    r"|b[ \t\u3000\n]*r[ \t\u3000\n]*e[ \t\u3000\n]*a[ \t\u3000\n]*k)"
    r"[ \t\u3000]*[#＃$＄]{0,3}"
    r"|(?<![#＃$＄\w])(?:paid[ _\-]?(?:begin|end))(?![\w])",
    regex.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Marker:
    start: int
    end: int
    kind: str  # begin | end | pagebreak
    style: str  # "#" or "$"
    text: str


@dataclass(frozen=True, slots=True)
class MarkerScan:
    markers: tuple[Marker, ...]
    spans: tuple[tuple[Marker, Marker], ...]  # hidden (begin, end) pairs, as the CMS pairs them
    unclosed: tuple[Marker, ...]  # a begin never closed: the paid part is published free
    stray_ends: tuple[Marker, ...]  # an end with no open begin
    nested: tuple[Marker, ...]  # a begin inside an open span
    misspelled: tuple[tuple[int, int, str, str], ...]  # (start, end, text, canonical form)

    @property
    def has_markers(self) -> bool:
        return bool(self.markers)


def canonical_form(text: str) -> str | None:
    """The canonical marker a misspelled one meant, or None if it cannot tell."""
    folded = regex.sub(r"[\s_\-]", "", text).lower().replace("＃", "#").replace("＄", "$")
    style = "$" if "$" in folded else "#"
    for word in ("paidbegin", "paidend", "pagebreak"):
        if word in folded:
            if word == "pagebreak":
                return "##pagebreak##"
            return f"{style * 2}{word}{style * 2}"
    return None


def scan_markers(text: str) -> MarkerScan:
    markers = [
        Marker(m.start(), m.end(), *CANONICAL[m.group()], m.group())
        for m in _CANONICAL_RE.finditer(text)
    ]
    taken = [(mk.start, mk.end) for mk in markers]
    misspelled = []
    if "aid" in text.lower() or "age" in text.lower():
        for m in _LOOSE_RE.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            canon = canonical_form(m.group())
            if canon is not None:
                misspelled.append((m.start(), m.end(), m.group(), canon))

    spans, unclosed, stray, nested = [], [], [], []
    open_begin: Marker | None = None
    for mk in markers:
        if mk.kind == "begin":
            if open_begin is None:
                open_begin = mk
            else:
                nested.append(mk)
        elif mk.kind == "end":
            if open_begin is None:
                stray.append(mk)
            else:
                spans.append((open_begin, mk))
                open_begin = None
    if open_begin is not None:
        unclosed.append(open_begin)
    return MarkerScan(tuple(markers), tuple(spans), tuple(unclosed), tuple(stray),
                      tuple(nested), tuple(misspelled))
