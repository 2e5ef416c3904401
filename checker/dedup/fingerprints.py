"""Normalisation and winnowed fingerprints of one draft (see :mod:`checker.dedup`).

Pure functions of the text and the :class:`Settings`: the same text gives the same
:class:`DraftPrint` in every process and on every machine (a polynomial hash of the
k-gram's code points modulo 2**64 with the splitmix64 finaliser; no salted ``hash()``).
"""

from __future__ import annotations

import re
import sys
from array import array
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import accumulate
from typing import Any, Iterator, NamedTuple, Sequence

from checker.segment import shipped_terms  # the one reader of rules/fixed_terms.txt

FORMAT = 1  # bump when the fingerprints of a text change: part of Settings.key()

# text that never takes part in a passage: paid-content markers, and ordinals at the start
# of a line or a clause (一、 （一） 1. 第一， 一是); they are blanked (offsets kept) before
# the letters, digits and Han characters are gathered
_ORDINAL = (r"(?:[（(][一二三四五六七八九十百\d]{1,3}[)）]|[一二三四五六七八九十百]{1,3}[、.．]"
            r"|\d{1,3}[、.．](?!\d)|第[一二三四五六七八九十]{1,3}[，、,：:]|[一二三四五六七八九十]是)")
_DROPPED = re.compile(r"(?=[#＃$（(一二三四五六七八九十百第\d])(?:[#＃$]{1,2}\s*paid\s*(?:begin|end)\s*"
                      r"[#＃$]{0,2}|(?<![^，。；：！？、,;:!?\s）)])" + _ORDINAL + ")", re.IGNORECASE)
# fullwidth ASCII letters and digits, and ASCII capitals, fold to lowercase ASCII
_FOLD = {**{c: c + 32 for c in range(0x41, 0x5B)},
         **{c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)},
         **{c: c - 0xFEE0 + 32 for c in range(0xFF21, 0xFF3B)},
         **{c: c - 0xFEE0 for c in range(0xFF41, 0xFF5B)}}

_BASE = 0x100000001B3  # the multiplier of the polynomial hash (odd)
_MASK64 = (1 << 64) - 1


@dataclass(frozen=True)
class Settings:
    """What fingerprints and passages depend on. Plain data: ship it to a Spark executor
    as it is. :meth:`key` names the fingerprint-relevant part (for cache keys)."""

    k: int = 8  # k-gram length, in normalised characters
    window: int = 8  # winnowing window, in k-grams: a match of k + window - 1 is always seen
    min_length: int = 40  # shortest passage reported, in normalised characters
    max_gap: int = 30  # unmatched normalised characters bridged inside one passage
    min_share: float = 0.4  # lowest share of the passage's fingerprints found in the other
    max_drafts: int = 20  # a fingerprint in more drafts than this ...
    max_draft_share: float = 0.002  # ... and than this share of the drafts is a stock phrase
    fixed_terms: tuple[str, ...] = field(default_factory=shipped_terms)

    def key(self) -> str:
        """The settings that change a draft's fingerprints, as one string."""
        return f"dedup{FORMAT}|k{self.k}|w{self.window}|{'/'.join(sorted(self.fixed_terms))}"

    def with_terms(self, extra: Sequence[str]) -> "Settings":
        """These settings with ``extra`` fixed terms added to the shipped ones."""
        return replace(self, fixed_terms=tuple(dict.fromkeys((*self.fixed_terms, *extra))))

    def stock_limit(self, drafts: int) -> int:
        """The most drafts a fingerprint may be in and still mark a copy."""
        return max(self.max_drafts, int(self.max_draft_share * drafts))


class Normalised(NamedTuple):
    """The kept characters of a text and, for each, its offset in the text."""

    chars: str
    offsets: array  # offsets[i] is the source offset of chars[i] (4-byte ints)


@lru_cache(maxsize=1)
def _tables() -> tuple[Any, Any]:
    """For each code point of the Basic Multilingual Plane: is it kept (a letter, a digit,
    a Han character: ``str.isalnum``), and what it folds to."""
    import numpy as np

    kept = np.array([chr(c).isalnum() for c in range(0x10000)], dtype=bool)
    kept[0xD800:0xE000] = False
    fold = np.arange(0x10000, dtype=np.uint32)
    for c, to in _FOLD.items():
        fold[c] = to
    return kept, fold


def _normalised(text: str) -> tuple[Any, Any]:
    """(code points, source offsets) of the kept characters of ``text``, numpy arrays."""
    import numpy as np

    kept_table, fold = _tables()
    blanked = _DROPPED.sub(lambda m: " " * len(m.group()), text)
    codes = np.frombuffer(blanked.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    kept = kept_table[np.minimum(codes, 0xFFFF)]
    astral = np.flatnonzero(codes > 0xFFFF)
    for i in astral.tolist():  # rare: outside the BMP, ask str itself
        kept[i] = blanked[i].isalnum()
    offsets = np.flatnonzero(kept)
    codes = codes[offsets]
    return np.where(codes <= 0xFFFF, fold[np.minimum(codes, 0xFFFF)], codes), offsets


def _chars(codes: Any) -> str:
    return codes.astype("<u4").tobytes().decode("utf-32-le", "surrogatepass") if len(codes) else ""


def normalise(text: str) -> Normalised:
    """Han characters, letters and digits of ``text`` (case and width folded), without
    punctuation, whitespace, ordinals and paid markers, with a map back to offsets."""
    import numpy as np

    codes, offsets = _normalised(text)
    return Normalised(_chars(codes), array("i", offsets.astype(np.int32).tobytes()))


@lru_cache(maxsize=8)
def _terms_pattern(terms: tuple[str, ...]) -> "re.Pattern[str] | None":
    folded = sorted({normalise(t).chars for t in terms} - {""}, key=lambda t: (-len(t), t))
    return re.compile("|".join(map(re.escape, folded))) if folded else None


class Posting(NamedTuple):
    """One fingerprint of one draft, as an index stores it (one row)."""

    hash: int
    draft: str  # the draft's id: its path as the run displays it
    pos: int  # offset of the k-gram in the normalised text
    start: int  # source offsets of the k-gram's first character ...
    end: int  # ... and one past its last
    line: int  # 1-based display line of start
    column: int  # 1-based column of start


@dataclass(frozen=True)
class DraftPrint:
    """The selected fingerprints of one draft, in text order, column by column (each an
    ``array`` of plain ints: ``'q'``, but for the columns :meth:`unpack` reads back as 4
    bytes, ``'i'``; :meth:`pack` gives them as bytes). ``line_starts`` are the
    source offsets where lines begin; ``lines`` the display number of each line (a .docx
    paragraph's number) or empty for 1, 2, 3 …"""

    hashes: array
    positions: array
    starts: array
    ends: array
    length: int  # normalised characters in the draft
    line_starts: array
    lines: array = field(default_factory=lambda: array("q"))

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (display line, column) of a source offset."""
        i = bisect_right(self.line_starts, offset) - 1
        return (self.lines[i] if self.lines else i + 1), offset - self.line_starts[i] + 1

    def postings(self, draft: str) -> Iterator[Posting]:
        """The rows of this draft in an index."""
        position = self.position
        for h, p, s, e in zip(self.hashes, self.positions, self.starts, self.ends):
            yield Posting(h, draft, p, s, e, *position(s))

    def pack(self) -> bytes:
        """The print as bytes (little-endian columns: hashes as 8 bytes, the rest as 4),
        for the result cache; :meth:`unpack` reads it back."""
        head = array("q", [FORMAT, len(self.hashes), len(self.line_starts), len(self.lines),
                           self.length])
        body = b"".join(_le(col, code) for col, code in (
            (head, "q"), (self.hashes, "q"), (self.positions, "i"), (self.starts, "i"),
            (self.ends, "i"), (self.line_starts, "i"), (self.lines, "i")))
        return body

    @classmethod
    def unpack(cls, data: bytes) -> "DraftPrint":
        """The inverse of :meth:`pack`; raises ValueError on anything else."""
        if not isinstance(data, bytes) or len(data) < 40:
            raise ValueError("not a packed print")
        fmt, n, n_lines, n_shown, length = _col(data, 0, 5, "q")
        if fmt != FORMAT or min(n, n_lines, n_shown, length) < 0 or not n_lines \
                or len(data) != 40 + 20 * n + 4 * (n_lines + n_shown):
            raise ValueError("not a packed print of this format")
        rest = _col(data, 40 + 8 * n, 3 * n + n_lines + n_shown, "i")  # one conversion
        edges = [0, *accumulate((n, n, n, n_lines, n_shown))]
        cols = [rest[i:j] for i, j in zip(edges, edges[1:])]
        return cls(_col(data, 40, n, "q"), cols[0], cols[1], cols[2], length, cols[3],
                   cols[4])


def _le(col: array, code: str) -> bytes:
    """``col`` as little-endian signed integers of ``code``'s size (q: 8 bytes, i: 4);
    OverflowError for a value that does not fit."""
    import numpy as np

    values = np.asarray(col, dtype=np.int64)
    if code == "i" and len(values) and (values.min() < -2**31 or values.max() >= 2**31):
        raise OverflowError("a value does not fit in 4 bytes")
    return values.astype("<i8" if code == "q" else "<i4").tobytes()


def _col(data: bytes, at: int, size: int, code: str) -> array:
    """The inverse of :func:`_le`: an array of ``code`` (q: 8 bytes, i: 4)."""
    out = array(code if array(code).itemsize == (8 if code == "q" else 4) else "q")
    if out.typecode != code:  # a platform whose C int is not 4 bytes
        import numpy as np

        little = np.frombuffer(data, dtype="<i8" if code == "q" else "<i4", count=size,
                               offset=at)
        return array("q", little.astype(np.int64).tobytes())
    out.frombytes(data[at:at + size * out.itemsize])
    if sys.byteorder == "big":
        out.byteswap()
    return out


def kgram_hash(chars: str) -> int:
    """The hash :func:`fingerprint` gives the normalised k-gram ``chars`` (pure Python)."""
    h = 0
    for c in chars:
        h = (h * _BASE + ord(c)) & _MASK64
    h ^= h >> 30
    h = (h * 0xBF58476D1CE4E5B9) & _MASK64
    h ^= h >> 27
    h = (h * 0x94D049BB133111EB) & _MASK64
    h ^= h >> 31
    return h >> 1


def _line_starts(text: str) -> array:
    starts = array("q", [0])
    starts.extend(m.end() for m in re.finditer("\n", text))
    return starts


def fingerprint(text: str, settings: Settings, lines: Sequence[int] = ()) -> DraftPrint:
    """The winnowed fingerprints of ``text`` (Schleimer, Wilkerson, Aiken 2003): the hash
    of every k-gram of the normalised text, then the smallest hash of each window of
    ``settings.window`` consecutive k-grams (the rightmost on a tie), each position once.
    K-grams that overlap a fixed term are never selected. ``lines``: the display number
    of each line, when not 1, 2, 3 … (a .docx paragraph's number)."""
    import numpy as np

    codes, offsets = _normalised(text)
    k, w, n = settings.k, settings.window, len(codes)
    line_starts = _line_starts(text)
    empty = DraftPrint(array("q"), array("q"), array("q"), array("q"), n, line_starts,
                       array("q", lines))
    if n < k:
        return empty
    codes = codes.astype(np.uint64)
    m = n - k + 1
    h = np.zeros(m, dtype=np.uint64)
    base = np.uint64(_BASE)
    for j in range(k):
        h = h * base + codes[j:j + m]
    h ^= h >> np.uint64(30)  # the splitmix64 finaliser: every bit depends on every bit
    h *= np.uint64(0xBF58476D1CE4E5B9)
    h ^= h >> np.uint64(27)
    h *= np.uint64(0x94D049BB133111EB)
    h ^= h >> np.uint64(31)
    h >>= np.uint64(1)  # 63 bits: a signed 64-bit column holds it
    stock = np.zeros(m, dtype=bool)
    pattern = _terms_pattern(tuple(settings.fixed_terms))
    if pattern is not None:
        for t in pattern.finditer(_chars(codes)):  # k-grams overlapping the term
            stock[max(0, t.start() - k + 1):t.end()] = True
        h[stock] = np.uint64(_MASK64 >> 1)  # the largest: chosen only where all are stock
    width = min(w, m)
    windows = np.lib.stride_tricks.sliding_window_view(h, width)[:, ::-1]
    chosen = np.arange(width - 1, m) - windows.argmin(axis=1)  # non-decreasing
    chosen = chosen[np.concatenate(([True], chosen[1:] != chosen[:-1]))]
    chosen = chosen[~stock[chosen]]
    return DraftPrint(array("q", h[chosen].astype(np.int64).tobytes()),
                      array("q", chosen.astype(np.int64).tobytes()),
                      array("q", offsets[chosen].tobytes()),
                      array("q", (offsets[chosen + k - 1] + 1).tobytes()),
                      n, line_starts, array("q", lines))
