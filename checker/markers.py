"""Paid-content markers, scanned the way the CMS reads them.

This is the one place that knows how the CMS (the FastAdmin ``cms`` addon) treats the
markers. It does, in this order::

    str_replace(['##paidbegin##', '##paidend##'], ['<paid>', '</paid>'], content)
    str_replace(['$$paidbegin$$', '$$paidend$$'], ['<paid>', '</paid>'], content)
    preg_replace('/<paid>(.*?)<\\/paid>/is', PAY_BOX, content)     # for readers who have not paid
    explode('##pagebreak##', content)                                # pages

so markers are found by exact, case-sensitive, left-to-right replacement, one marker
string after the other (:func:`_recognised` reproduces that, overlaps included); both
styles become the same tag, so ``##``/``$$`` pairs cross freely; and each ``<paid>`` is
closed by the *first* ``</paid>`` after it (non-greedy), never by its "own" one.

Anything that looks like an attempt at a marker but is not byte-for-byte one the CMS
replaces (``##paidbegin#``, ``＃＃paidbegin＃＃``, ``##PaidBegin##``, ``##paid begin##``,
``##paid`` + line break + ``begin##``, ``##paidbegain##``) is a :class:`Misspelling`: it
is shown to readers as text and the span it meant is not hidden.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

import regex

# The CMS's replacement order. Pagebreaks are split after the paid spans are hidden.
CANONICAL: dict[str, tuple[str, str]] = {
    "##paidbegin##": ("begin", "#"),
    "##paidend##": ("end", "#"),
    "$$paidbegin$$": ("begin", "$"),
    "$$paidend$$": ("end", "$"),
    "##pagebreak##": ("pagebreak", "#"),
}
WORDS = ("paidbegin", "paidend", "pagebreak")
SIGILS = "#$"

# Full-width ASCII (U+FF01..FF5E) to ASCII, ideographic and zero-width spaces to a space:
# a one-to-one translation, so offsets in the folded text are offsets in the original.
_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FOLD.update({0x3000: 0x20, 0x200B: 0x20, 0x200C: 0x20, 0x200D: 0x20, 0x2060: 0x20,
              0xFEFF: 0x20, 0x00A0: 0x20})

# A candidate marker in the folded text: optional sigils, a run of Latin letters that may
# be split by spaces, ``_``/``-`` or one line break, optional sigils. Whether it really is
# an attempt at a marker is decided in :func:`_misspellings` (edit distance to a marker
# word, sigils present).
_GAP = r"(?:[ \t]{1,3}|[ \t]{0,3}\n[ \t]{0,3}|[_\-]{1,2})"
_LOOSE = regex.compile(
    rf"(?P<pre>[#$]{{1,4}})?(?P<sp1>[ \t]{{0,3}})"
    rf"(?<![A-Za-z])(?P<word>[A-Za-z]{{1,12}}(?:{_GAP}[A-Za-z]{{1,12}}){{0,4}})(?![A-Za-z])"
    rf"(?P<sp2>[ \t]{{0,3}})(?P<post>[#$]{{1,4}})?"
)
_HINT = regex.compile(r"(?i)p[\s_\-]*a[\s_\-]*[ig]")
# The loose scan reads only Latin letters, sigils, blanks, ``_``, ``-`` and line breaks,
# so of the fold it needs only the characters that become one of those (full-width
# letters, ＃＄＿－, odd spaces); a draft seldom has one, and then nothing is translated.
_FOLD_SCAN = {cp: to for cp, to in _FOLD.items()
              if chr(to).isalpha() or chr(to) in SIGILS + " \t_-"}
# the ideographic space (indentation: dozens a draft) is looked for on its own, so that
# the scan for the others finds nothing in most drafts instead of a match per paragraph;
# re, not regex: re tests a character against a class of 60 in one bitmap lookup, ten
# times faster here
_FOLD_SCAN_NEEDED = re.compile("[" + "".join(
    re.escape(chr(cp)) for cp in _FOLD_SCAN if cp != 0x3000) + "]")
_LETTER = regex.compile(r"[A-Za-z]")
_NOT_LETTER = regex.compile(r"[^A-Za-z]")
_SIGIL = regex.compile(r"[#$]")
_SIGIL_AT_END = regex.compile(r"[#$]$")
_SPACE = regex.compile(r"\s")
_LOOSE_REACH = 7  # a candidate starts at most this far before its first letter (sigils, blanks)


@dataclass(frozen=True, slots=True)
class Marker:
    """A marker the CMS recognises."""

    start: int
    end: int
    kind: str  # begin | end | pagebreak
    style: str  # "#" or "$"
    text: str


@dataclass(frozen=True, slots=True)
class Nesting:
    """A begin inside an open span (nested, or crossed ``##``/``$$`` pairs).

    The CMS hides ``opener``..``closer`` (the first end after ``opener``); ``marker`` is
    hidden with it. ``orphan`` is the end that was meant to close ``marker``: the text
    between ``closer`` and ``orphan`` is published free and ``orphan`` shows as a stray
    ``</paid>``. ``orphan`` is None when no end follows (the extra begin is redundant).
    """

    marker: Marker
    opener: Marker
    closer: Marker
    orphan: Marker | None


@dataclass(frozen=True, slots=True)
class Misspelling:
    """Text meant as a marker that the CMS does not replace exactly.

    ``recognised`` is true when an exact marker sits inside it with extra sigils around
    (``###paidbegin##``): the CMS replaces the inner marker and the extra ``#`` shows.
    """

    start: int
    end: int
    text: str
    canonical: str
    recognised: bool = False


@dataclass(frozen=True, slots=True)
class MarkerScan:
    markers: tuple[Marker, ...]  # every recognised marker, in text order (pagebreaks too)
    spans: tuple[tuple[Marker, Marker], ...]  # hidden (begin, end) pairs, as the CMS pairs them
    unclosed: tuple[Marker, ...]  # begins never closed: the paid part is published free
    stray_ends: tuple[Marker, ...]  # ends with no open begin (orphans of nesting excluded)
    nested: tuple[Nesting, ...]  # begins inside an open span
    misspelled: tuple[Misspelling, ...]

    @property
    def paid_markers(self) -> tuple[Marker, ...]:
        return tuple(m for m in self.markers if m.kind != "pagebreak")

    @property
    def pagebreaks(self) -> tuple[Marker, ...]:
        return tuple(m for m in self.markers if m.kind == "pagebreak")

    def hidden(self, offset: int) -> bool:
        """Whether the character at ``offset`` is inside a hidden span."""
        return any(b.start <= offset < e.end for b, e in self.spans)


def fold(text: str) -> str:
    """Full-width ASCII to ASCII and odd spaces to spaces, keeping every offset."""
    return text.translate(_FOLD)


def _distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, or ``limit + 1`` once it is certainly above ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > limit:
            return limit + 1
        prev = cur
    return prev[-1]


def canonical_form(text: str) -> str | None:
    """The exact marker a misspelled one meant, or None if it cannot tell.

    Letters are compared after folding case, full-width forms, spaces, line breaks,
    ``_`` and ``-`` away; up to two typing errors are forgiven when sigils frame the word
    on both sides, one with sigils on one side, none for a bare word.
    """
    folded = fold(text)
    sigils = [c for c in folded if c in SIGILS]
    word = _NOT_LETTER.sub("", folded).lower()
    pre = bool(_SIGIL.match(folded))
    post = bool(_SIGIL_AT_END.search(folded))
    limit = 2 if (pre and post) else 1 if (pre or post) else 0
    if not word:
        return None
    scored = sorted((_distance(word, w, limit), w) for w in WORDS)
    best, target = scored[0]
    if best > limit or (len(scored) > 1 and scored[1][0] == best):
        return None
    if best and len(word) < 5:
        return None
    if target == "pagebreak":
        return "##pagebreak##"
    style = "$" if sigils and all(c == "$" for c in sigils) else "#"
    return f"{style * 2}{target}{style * 2}"


class _Spans:
    """Disjoint spans, kept sorted, with a logarithmic overlap test (a scan of every span
    taken so far made a line of thousands of markers quadratic)."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        k = bisect.bisect_left(self.starts, end)  # spans starting before ``end``
        return k > 0 and self.ends[k - 1] > start

    def add(self, start: int, end: int) -> None:
        k = bisect.bisect_left(self.starts, start)
        self.starts.insert(k, start)
        self.ends.insert(k, end)


def _recognised(text: str) -> list[Marker]:
    """The markers the CMS replaces: each marker string in turn, left to right,
    never inside text an earlier replacement already took."""
    taken = _Spans()
    found: list[Marker] = []
    for marker, (kind, style) in CANONICAL.items():
        pos = text.find(marker)
        while pos != -1:
            end = pos + len(marker)
            if taken.overlaps(pos, end):
                pos = text.find(marker, pos + 1)
                continue
            taken.add(pos, end)
            found.append(Marker(pos, end, kind, style, marker))
            pos = text.find(marker, end)
    return sorted(found, key=lambda m: m.start)


def _misspellings(text: str, markers: list[Marker]) -> list[Misspelling]:
    if not any(c in text for c in "pPｐＰ"):  # every misspelling has a p (paid, page)
        return []
    folded = text
    needed = set(_FOLD_SCAN_NEEDED.findall(text))  # one or two kinds at most, if any
    if "\u3000" in text and 0x3000 in _FOLD_SCAN:
        needed.add("\u3000")
    for c in needed:
        folded = folded.replace(c, chr(_FOLD_SCAN[ord(c)]))
    if not _HINT.search(folded):
        return []
    # Blank the recognised markers so the loose scan never re-reads them.
    pieces, at = [], 0
    for mk in markers:
        pieces += (folded[at:mk.start], "\0" * (mk.end - mk.start))
        at = mk.end
    blanked = "".join(pieces) + folded[at:]
    out: list[Misspelling] = []
    pos = 0
    # every candidate holds a letter: start each search just before the next one
    while (letter := _LETTER.search(blanked, pos)) is not None and (
            m := _LOOSE.search(blanked, max(pos, letter.start() - _LOOSE_REACH))) is not None:
        pre, post = m.group("pre") or "", m.group("post") or ""
        start = m.start() if pre else m.start("word")
        end = m.end() if post else m.end("word")
        found = text[start:end]
        canon = canonical_form(folded[start:end])
        # A bare word (no sigils) counts only when compact: ``paidbegin``, ``paid_end``.
        if canon is None or (not pre and not post and _SPACE.search(found)):
            pos = m.end("word")  # its trailing sigils may open the next candidate
            continue
        out.append(Misspelling(start, end, found, canon))
        pos = end
    # Exact markers with extra sigils glued to them (``###paidbegin##``): the CMS replaces
    # the marker inside and the extra sigils show as text.
    claimed = _Spans()
    for x in out:
        claimed.add(x.start, x.end)

    def free(i: int) -> bool:
        return blanked[i] in SIGILS and not claimed.overlaps(i, i + 1)

    for mk in markers:
        s, e = mk.start, mk.end
        while s > 0 and free(s - 1):
            s -= 1
        while e < len(blanked) and free(e):
            e += 1
        if (s, e) != (mk.start, mk.end):
            out.append(Misspelling(s, e, text[s:e], mk.text, recognised=True))
    return sorted(out, key=lambda x: x.start)


def _pair(markers: list[Marker]) -> tuple[list[tuple[Marker, Marker]], list[Marker],
                                          list[Marker], list[Nesting]]:
    """Pair begins and ends as ``<paid>(.*?)</paid>`` does: each span runs from the first
    open begin to the first end after it; begins in between are hidden with it, and the
    ends that follow that span (before any new begin) are the ones meant to close them."""
    spans: list[tuple[Marker, Marker]] = []
    stray: list[Marker] = []
    nested: list[Nesting] = []
    pending: list[Marker] = []  # begins since the last end; pending[0] opens the span
    waiting: list[tuple[Marker, Marker, Marker]] = []  # (nested begin, opener, closer)
    for mk in markers:
        if mk.kind == "begin":
            nested.extend(Nesting(b, o, c, None) for b, o, c in waiting)
            waiting = []
            pending.append(mk)
        elif mk.kind == "end":
            if pending:
                spans.append((pending[0], mk))
                waiting = [(b, pending[0], mk) for b in pending[1:]]
                pending = []
            elif waiting:
                b, o, c = waiting.pop(0)
                nested.append(Nesting(b, o, c, mk))
            else:
                stray.append(mk)
    nested.extend(Nesting(b, o, c, None) for b, o, c in waiting)
    nested.sort(key=lambda n: n.marker.start)
    return spans, pending, stray, nested


def scan_markers(text: str) -> MarkerScan:
    markers = _recognised(text) if ("paid" in text or "pagebreak" in text) else []
    spans, unclosed, stray, nested = _pair([m for m in markers if m.kind != "pagebreak"])
    return MarkerScan(tuple(markers), tuple(spans), tuple(unclosed), tuple(stray),
                      tuple(nested), tuple(_misspellings(text, markers)))
