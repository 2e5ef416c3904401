"""Passages of one draft that also occur in other drafts (see :mod:`checker.dedup`).

The target's fingerprints that are neither stock phrases (in more drafts than
:meth:`Settings.stock_limit`) nor unique are looked up in the index; for each other draft
the matching pairs (target position, other position) are chained along their diagonal
(:func:`checker.dedup.chains.chain_ends`), bridging up to ``max_gap`` unmatched characters
with a drift of at most ``max_gap`` between the two sides (a changed word, a clause added
or dropped); each chain is a passage. When
the texts are at hand (``texts``), each passage is extended character by character to the
exact extent of the agreement and its share is counted on the characters; otherwise the
share is the part of the passage's fingerprints found in the other draft and the span is
that of the matched fingerprints (a few characters short at each end at most).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Callable, Collection, Iterable, NamedTuple

from checker.dedup.fingerprints import (DraftPrint, Normalised, Posting, Settings, kgram_hash,
                                        normalise)
from checker.dedup.chains import chain_ends
from checker.dedup.index import PrintIndex

Texts = Callable[[str], "str | None"]  # a draft's text by its id, when it can be had
MAX_PAIRS = 16  # a hash found more often than this in both drafts at once says nothing
TEXTS_KEPT = 16_384  # drafts whose normalised text is kept (about 20 KB each)


class Copy(NamedTuple):
    """A passage of the target draft that also occurs in ``other``. Offsets are source
    offsets (``end`` exclusive); lines and columns are 1-based; ``end_line``/``end_column``
    are the position of ``end`` (one past the last character)."""

    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int
    other: str
    other_start: int
    other_end: int
    other_line: int
    other_column: int
    length: int  # normalised characters (Han, letters, digits) of the target's passage
    share: float  # 0-1: how much of the passage the other draft holds


class Span(NamedTuple):
    """A chain of matching fingerprints between the target and ``other``: the target's
    fingerprint indices and normalised positions of its first and last pair, the other
    draft's postings there, how many distinct target fingerprints it matches and how many
    of the target's fingerprints in its span are stock."""

    first_i: int
    last_i: int
    t_first: int
    t_last: int
    o_first: Posting
    o_last: Posting
    matched: int
    common: int


@lru_cache(maxsize=TEXTS_KEPT)
def _normalised(text: str) -> Normalised:
    return normalise(text)


def find_copies(target: str, print_: DraftPrint, index: PrintIndex, settings: Settings,
                texts: Texts | None = None, among: Collection[str] | None = None
                ) -> list[Copy]:
    """Every passage of draft ``target`` (fingerprints ``print_``) of at least
    ``settings.min_length`` characters that also occurs in another draft of ``index``,
    one :class:`Copy` per passage and other draft, in text order. ``among``: only these
    other drafts can hold one."""
    import numpy as np

    if not len(print_.hashes) or (among is not None and not among):
        return []
    distinct = set(print_.hashes)
    limit = settings.stock_limit(index.draft_count())
    df = index.document_frequency(distinct)
    rare = {h for h, n in df.items() if n <= limit}
    if not rare:
        return []
    stock = [df.get(h, 0) > limit for h in print_.hashes]
    mine: dict[int, list[int]] = defaultdict(list)  # hash -> indices in print_
    for i, h in enumerate(print_.hashes):
        if h in rare:
            mine[h].append(i)
    theirs: dict[str, dict[int, list[Posting]]] = defaultdict(lambda: defaultdict(list))
    for row in (index.lookup(rare) if among is None else index.lookup(rare, among)):
        if row.draft != target:
            theirs[row.draft][row.hash].append(row)
    others = list(theirs)
    rows: list[Posting] = []
    cols: list[tuple[int, int, int, int]] = []  # (other, tp, op, ti)
    for n, other in enumerate(others):
        for h, found in theirs[other].items():
            if len(found) * len(mine[h]) <= MAX_PAIRS:
                for i in mine[h]:
                    for row in found:
                        rows.append(row)
                        cols.append((n, print_.positions[i], row.pos, i))
    if len(cols) < 2:
        return []
    pair, tp, op, ti = np.array(cols, dtype=np.int64).T
    stock_before = np.concatenate(([0], np.cumsum(stock, dtype=np.int64)))
    ends = chain_ends(pair, tp, op, ti, stock_before, settings)
    at, t_at, i_at = pair.tolist(), tp.tolist(), ti.tolist()
    spans = [(others[at[f]], Span(i_at[f], i_at[g], t_at[f], t_at[g], rows[f], rows[g], m, c))
             for f, g, m, c in zip(ends.first.tolist(), ends.last.tolist(),
                                   ends.matched.tolist(), ends.common.tolist())]
    return passages(target, print_, spans, settings, texts)


def passages(target: str, print_: DraftPrint, spans: Iterable[tuple[str, Span]],
             settings: Settings, texts: Texts | None) -> list[Copy]:
    """The copies the chains ``spans`` ((other draft, span)) of ``target`` mark, longest
    chain first, one per stretch of the target and other draft, in text order."""
    out: list[Copy] = []
    for other, span in sorted(spans, key=lambda s: (s[1].t_first - s[1].t_last,
                                                    s[1].t_first, s[0])):
        copy = _passage(target, print_, other, span, settings, texts)
        if copy is not None and not any(c.other == other and c.start < copy.end
                                         and copy.start < c.end for c in out):
            out.append(copy)
    out.sort(key=lambda c: (c.start, c.other))
    return out


def _passage(target: str, print_: DraftPrint, other: str, span: Span,
             settings: Settings, texts: Texts | None) -> Copy | None:
    """The passage a chain marks, or None when it is too short, too thin, or mostly the
    repo's stock text (its other fingerprints in more drafts than the stock limit)."""
    k = settings.k
    first_i, last_i, ts, t_last, o_first, o_last = span[:6]
    te = t_last + k  # normalised span, target side
    os_, oe = o_first.pos, o_last.pos + k
    own = last_i - first_i + 1 - span.common
    share = span.matched / own
    if span.common > own or share < settings.min_share \
            or te - ts + settings.window - 1 < settings.min_length:
        return None
    start, end = print_.starts[first_i], print_.ends[last_i]
    o_start, o_end = o_first.start, o_last.end
    o_line, o_column = o_first.line, o_first.column
    mine = texts(target) if texts else None
    theirs = texts(other) if texts and mine is not None else None
    if mine is not None and theirs is not None:
        a, b = _normalised(mine), _normalised(theirs)
        if kgram_hash(a.chars[ts:ts + k]) == print_.hashes[first_i] \
                and kgram_hash(b.chars[os_:os_ + k]) == o_first.hash:
            a_breaks = _breaks(mine)
            ts, te, os_, oe = _extend(a, b, a_breaks, _breaks(theirs),
                                      (ts, te, os_, oe), k + settings.window)
            ts, te, os_, oe = _trim(a_breaks, len(a.chars), (ts, te, os_, oe))
            if share < 1 or te - ts != oe - os_ or a.chars[ts:te] != b.chars[os_:oe]:
                share = _share(a.chars[ts:te], b.chars[os_:oe], share)
            start, end = a.offsets[ts], a.offsets[te - 1] + 1
            new_start, o_end = b.offsets[os_], b.offsets[oe - 1] + 1
            o_line += theirs.count("\n", o_start, new_start) if new_start >= o_start \
                else -theirs.count("\n", new_start, o_start)
            o_start = new_start
            o_column = o_start - theirs.rfind("\n", 0, o_start)
    # without the texts the span is that of the fingerprints, which may start and end
    # up to window - 1 characters inside the passage
    short = 0 if mine is not None and theirs is not None else settings.window - 1
    if te - ts + short < settings.min_length or share < settings.min_share:
        return None
    return Copy(start, end, *print_.position(start), *print_.position(end), other,
                o_start, o_end, o_line, o_column, te - ts, round(share, 4))


@lru_cache(maxsize=TEXTS_KEPT)
def _breaks(text: str) -> frozenset[int]:
    """The normalised offsets of ``text`` whose character is the first after a line break."""
    offsets = _normalised(text).offsets
    found = (bisect_right(offsets, m.start()) for m in re.finditer("\n", text))
    return frozenset(i for i in found if 0 < i < len(offsets))


def _extend(a: Normalised, b: Normalised, a_breaks: frozenset[int], b_breaks: frozenset[int],
            spans: tuple[int, int, int, int], most: int) -> tuple[int, int, int, int]:
    """The spans grown outwards while both texts agree, not across a line break (a
    shared heading or closing next to a passage is not part of it), and at most
    ``most`` characters a side: beyond that the fingerprints would have seen it."""
    ts, te, os_, oe = spans
    x, y = a.chars, b.chars
    n = 0
    while n < most and ts > 0 and os_ > 0 and x[ts - 1] == y[os_ - 1] \
            and ts not in a_breaks and os_ not in b_breaks:
        ts, os_, n = ts - 1, os_ - 1, n + 1
    n = 0
    while n < most and te < len(x) and oe < len(y) and x[te] == y[oe] \
            and te not in a_breaks and oe not in b_breaks:
        te, oe, n = te + 1, oe + 1, n + 1
    return ts, te, os_, oe


SHORT_LINE = 20  # normalised characters: a heading, a closing line


def _trim(breaks: frozenset[int], n: int, spans: tuple[int, int, int, int]
          ) -> tuple[int, int, int, int]:
    """The spans without a short whole line at either end (a heading such as 存在的问题
    that both drafts have before the passage, a shared closing line after it)."""
    ts, te, os_, oe = spans
    inside = sorted(b for b in breaks if ts < b < te)
    while inside and (ts == 0 or ts in breaks) and inside[0] - ts <= SHORT_LINE:
        os_ += inside[0] - ts
        ts = inside.pop(0)
    while inside and (te == n or te in breaks) and te - inside[-1] <= SHORT_LINE:
        oe -= te - inside[-1]
        te = inside.pop()
    return ts, te, os_, oe


def _share(mine: str, theirs: str, fallback: float) -> float:
    """The share of ``mine`` that ``theirs`` holds, counted on characters."""
    if not mine or len(mine) * len(theirs) > 4_000_000:
        return fallback
    blocks = SequenceMatcher(None, mine, theirs, autojunk=False).get_matching_blocks()
    return sum(b.size for b in blocks) / len(mine)
