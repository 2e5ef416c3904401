"""Matching fingerprints chained into passages, for many pairs of drafts at once (numpy).

The input is one row per matching pair of fingerprints: which (target, other) drafts the
pair belongs to (``pair``, any integer naming the two), the fingerprint's position in the
target's and the other's normalised text (``tp``, ``op``) and its index among the
target's fingerprints (``ti``). Chaining, as :func:`chain_ends` does it:

1. **runs**: the pairs on one exact diagonal (``op - tp``) of one pair of drafts, each
   within ``max_gap + k`` characters of the one before (a verbatim stretch);
2. **links**: each run is linked to the nearest run before it in the target (among the
   :data:`LOOK_BACK` before it in target order) that ends at most ``max_gap + k``
   characters before it on both sides, with a drift of at most ``max_gap`` between the
   two sides (a changed word, a clause added or dropped): the smallest drift wins, then
   the nearest;
3. **chains**: the runs linked together; a chain of at least two pairs is a candidate
   passage, kept when it is long enough (``min_length`` with the winnowing window), its
   share of the target's fingerprints in its span is at least ``min_share`` and no more of
   them are stock phrases than are not.

Every step is a sort or an array operation: the Python loop is only over the kept chains.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from checker.dedup.fingerprints import Settings

LOOK_BACK = 4  # runs before a run (in target order) that may be its predecessor


class Ends(NamedTuple):
    """The kept chains, one entry per chain in each array: the row (of the input) of the
    chain's first and last pair in the target, its number of distinct target
    fingerprints, and how many of the target's fingerprints in its span are stock."""

    first: Any
    last: Any
    matched: Any
    common: Any


def chain_ends(pair: Any, tp: Any, op: Any, ti: Any, stock_before: Any,
               settings: Settings) -> Ends:
    """The chains of the matching pairs (see the module's docstring). ``stock_before[g]``:
    how many stock fingerprints come before the target fingerprint whose global index is
    ``ti`` (a prefix sum), so the stock ones of a span are a difference."""
    import numpy as np

    empty = np.zeros(0, dtype=np.int64)
    if len(pair) < 2:
        return Ends(empty, empty, empty, empty)
    reach = settings.max_gap + settings.k
    diag = op - tp
    order = sort_order(pair, diag, tp)
    p, d, t, o = pair[order], diag[order], tp[order], op[order]
    new_run = np.ones(len(p), dtype=bool)
    new_run[1:] = (p[1:] != p[:-1]) | (d[1:] != d[:-1]) | (t[1:] - t[:-1] > reach)
    starts = np.flatnonzero(new_run)
    ends = np.append(starts[1:], len(p)) - 1
    root = _link(p[starts], t[starts], t[ends], o[starts], o[ends], settings)
    run_of = np.cumsum(new_run) - 1
    chain = root[run_of]  # per sorted row
    by_chain = sort_order(chain, t, o)
    c, rows, tt = chain[by_chain], order[by_chain], t[by_chain]
    first_at = np.flatnonzero(np.concatenate(([True], c[1:] != c[:-1])))
    last_at = np.append(first_at[1:], len(c)) - 1
    new_t = np.concatenate(([True], (c[1:] != c[:-1]) | (tt[1:] != tt[:-1])))
    matched = np.add.reduceat(new_t.astype(np.int64), first_at)
    first, last = rows[first_at], rows[last_at]
    span = tp[last] + settings.k - tp[first] + settings.window - 1
    common = stock_before[ti[last] + 1] - stock_before[ti[first]]
    own = ti[last] - ti[first] + 1 - common
    keep = (last_at > first_at) & (span >= settings.min_length) & (common <= own) \
        & (matched >= settings.min_share * np.maximum(own, 1))
    return Ends(first[keep], last[keep], matched[keep], common[keep])


def _link(pair: Any, start: Any, end: Any, o_start: Any, o_end: Any,
          settings: Settings) -> Any:
    """For each run, the index of the first run of its chain."""
    import numpy as np

    reach = settings.max_gap + settings.k
    n = len(pair)
    order = sort_order(pair, start, end, o_start)
    p, s, e, os_, oe = pair[order], start[order], end[order], o_start[order], o_end[order]
    best = np.full(n, -1, dtype=np.int64)
    best_cost = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
    for lag in range(1, LOOK_BACK + 1):
        if lag >= n:
            break
        dt = s[lag:] - e[:-lag]
        do = os_[lag:] - oe[:-lag]
        drift = np.abs(dt - do)
        ok = (p[lag:] == p[:-lag]) & (dt > 0) & (dt <= reach) & (do > 0) & (do <= reach) \
            & (drift <= settings.max_gap)
        cost = drift * (4 * reach) + dt  # smallest drift first, then the nearest
        better = ok & (cost < best_cost[lag:])
        idx = np.flatnonzero(better) + lag
        best[idx] = idx - lag
        best_cost[idx] = cost[better]
    parent = np.where(best >= 0, best, np.arange(n))
    while True:  # pointer jumping: links point backwards, so this ends
        up = parent[parent]
        if np.array_equal(up, parent):
            break
        parent = up
    root_sorted = parent
    root = np.empty(n, dtype=np.int64)
    root[order] = order[root_sorted]
    return root


def sort_order(*keys: Any) -> Any:
    """The order that sorts the rows by ``keys`` (integer arrays; the first decides
    first): one sort of a packed 63-bit key when their ranges fit, else a lexsort."""
    import numpy as np

    if not len(keys[0]):
        return np.zeros(0, dtype=np.int64)
    low = [int(k.min()) for k in keys]
    bits = [(int(k.max()) - lo).bit_length() for k, lo in zip(keys, low)]
    if sum(bits) > 63:
        return np.lexsort(keys[::-1])
    packed = np.zeros(len(keys[0]), dtype=np.int64)
    for k, lo, b in zip(keys, low, bits):
        packed <<= b
        packed |= k - lo
    return np.argsort(packed)  # the keys of two rows differ: any sort gives one order
