"""The passages of every draft of a :class:`MemoryIndex` at once (see :mod:`checker.dedup`).

:func:`find_all_copies` gives, for each target draft, what :func:`find_copies` gives for
it alone, but makes the matching pairs of all the drafts in a few array operations: the
postings of each rare hash (in at least two and at most ``stock_limit`` drafts) are paired
across drafts (both ways: each draft is a target), a hash found more than
:data:`~checker.dedup.passages.MAX_PAIRS` times over the two drafts is left out as there,
and the pairs are chained by :func:`~checker.dedup.chains.chain_ends` in blocks of
targets. Only the kept chains reach Python, where :func:`~checker.dedup.passages.passages`
turns them into copies with the texts.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Collection, Iterator

from checker.dedup.chains import chain_ends
from checker.dedup.fingerprints import Settings
from checker.dedup.index import Columns, MemoryIndex
from checker.dedup.passages import MAX_PAIRS, Copy, Span, Texts, passages

BLOCK_PAIRS = 4_000_000  # matching pairs chained at once (bounds the memory)


def find_all_copies(index: MemoryIndex, settings: Settings, texts: Texts | None = None,
                    targets: Collection[str] | None = None,
                    others: Collection[str] | None = None,
                    stock: Any = None) -> dict[str, list[Copy]]:
    """The copies of each draft of ``index`` (only of ``targets``, when given) in any
    other draft of it (only in ``others``, when given), as
    :func:`~checker.dedup.find_copies` reports them; drafts with none are left out.
    ``stock``: the hashes held by more drafts than the stock limit, for an index of only
    some hashes (:meth:`MemoryIndex.restrict`), which cannot count the others."""
    import numpy as np

    c = index.columns()
    limit = settings.stock_limit(index.draft_count())
    df = c.df
    stock_at = np.zeros(int(c.offsets[-1]), dtype=bool)  # each fingerprint, draft by draft
    stock_at[c.order] = df > limit
    if stock is not None:
        stock_at |= index.holding(stock, targets)
    stock_before = np.concatenate(([0], np.cumsum(stock_at, dtype=np.int64)))
    wanted, among = (None if names is None else _mask(c, names) for names in (targets, others))
    x, y = _pairs(c, (df >= 2) & (df <= limit), wanted, among)
    found: dict[str, list[tuple[str, Span]]] = defaultdict(list)
    n = len(c.names)
    for rows in _blocks(c.owner[x], len(c.names), BLOCK_PAIRS):
        tx, ty = x[rows], y[rows]
        tgt, oth = c.owner[tx], c.owner[ty]
        tp, gi = c.positions[tx], c.order[tx]
        ends = chain_ends(tgt * n + oth, tp, c.positions[ty], gi, stock_before, settings)
        first, last = ends.first, ends.last
        base = c.offsets[tgt[first]]
        for t, o, fi, li, ft, lt, fy, ly, m, s in zip(
                tgt[first].tolist(), oth[first].tolist(), (gi[first] - base).tolist(),
                (gi[last] - base).tolist(), tp[first].tolist(), tp[last].tolist(),
                ty[first].tolist(), ty[last].tolist(), ends.matched.tolist(),
                ends.common.tolist()):
            found[c.names[t]].append((c.names[o], Span(fi, li, ft, lt, index.posting(fy),
                                                       index.posting(ly), m, s)))
    prints = index.prints()
    out = {}
    for target in sorted(found):
        copies = passages(target, prints[target], found[target], settings, texts)
        if copies:
            out[target] = copies
    return out


def _mask(c: Columns, names: Collection[str]) -> Any:
    """True for the drafts ``names``, by number."""
    import numpy as np

    out = np.zeros(len(c.names), dtype=bool)
    out[[c.ids[t] for t in names if t in c.ids]] = True
    return out


def _pairs(c: Columns, rare: Any, wanted: Any, among: Any) -> tuple[Any, Any]:
    """The rows (target, other) of every pair of postings of one rare hash in two drafts
    (the target among ``wanted`` and the other among ``among``, when given)."""
    import numpy as np

    rows = np.flatnonzero(rare)
    h, o = c.hashes[rows], c.owner[rows]
    # occurrences of each (hash, draft): rows of one hash are in draft order
    new = np.ones(len(rows), dtype=bool)
    new[1:] = (h[1:] != h[:-1]) | (o[1:] != o[:-1])
    ids = np.cumsum(new) - 1
    occurrences = np.bincount(ids)[ids] if len(ids) else ids
    starts = np.ones(len(rows), dtype=bool)
    starts[1:] = h[1:] != h[:-1]
    group = np.cumsum(starts) - 1  # each row's hash, numbered
    first = np.flatnonzero(starts)
    sizes = np.diff(np.append(first, len(rows)))
    x = np.flatnonzero(wanted[o]) if wanted is not None else np.arange(len(rows))
    reps = sizes[group[x]]  # each target row against every row of its hash
    before = np.repeat(np.cumsum(reps) - reps, reps)
    y = np.repeat(first[group[x]], reps) + np.arange(int(reps.sum())) - before
    x = np.repeat(x, reps)
    ok = (o[x] != o[y]) & (occurrences[x] * occurrences[y] <= MAX_PAIRS)
    if among is not None:
        ok &= among[o[y]]
    return rows[x[ok]], rows[y[ok]]


def _blocks(owner: Any, drafts: int, most: int) -> Iterator[Any]:
    """The indices of ``owner`` (draft numbers below ``drafts``) in blocks of whole
    drafts, about ``most`` indices a block."""
    import numpy as np

    per_draft = np.cumsum(np.bincount(owner, minlength=drafts))
    lo = 0
    while lo < drafts:
        done = int(per_draft[lo - 1]) if lo else 0
        hi = max(lo + 1, int(np.searchsorted(per_draft, done + most, "right")))
        yield np.flatnonzero((owner >= lo) & (owner < hi))
        lo = hi
