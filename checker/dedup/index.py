"""The fingerprint index: what :func:`checker.dedup.find_copies` asks of the other drafts.

:class:`PrintIndex` is the protocol (three questions); :class:`MemoryIndex` answers them
from :class:`~checker.dedup.fingerprints.DraftPrint` objects held in memory (``--no-cache``,
tests, small runs). The SQLite store and the DuckDB/Parquet library implement the same three
methods over a table of :class:`~checker.dedup.fingerprints.Posting` rows.
"""

from __future__ import annotations

from typing import Any, Collection, Iterable, Mapping, NamedTuple, Protocol

from checker.dedup.fingerprints import DraftPrint, Posting


class PrintIndex(Protocol):
    """What passage matching needs to know about the drafts of a repo (or a library)."""

    def lookup(self, hashes: Iterable[int], drafts: Collection[str] | None = None
               ) -> Iterable[Posting]:
        """Every posting (draft, position, span, line, column) of each of ``hashes``
        (only in ``drafts``, when given)."""
        ...

    def document_frequency(self, hashes: Iterable[int]) -> Mapping[int, int]:
        """For each of ``hashes`` present, the number of distinct drafts holding it."""
        ...

    def draft_count(self) -> int:
        """The number of drafts indexed."""
        ...


class Columns(NamedTuple):
    """A :class:`MemoryIndex` as arrays: one row per posting, sorted by hash."""

    names: list[str]  # the drafts, by their number
    hashes: Any
    owner: Any  # the draft's number
    positions: Any
    starts: Any
    ends: Any
    order: Any  # the row's index among all fingerprints, draft after draft in text order
    offsets: Any  # offsets[n]: that index of draft n's first fingerprint
    uniq: Any  # the distinct hashes ...
    counts: Any  # ... and the number of drafts holding each
    df: Any  # each row's: the number of drafts holding its hash
    ids: dict[str, int]  # the drafts' numbers by name


class MemoryIndex:
    """An in-memory :class:`PrintIndex`: postings sorted by hash in numpy arrays, built
    on the first question after the last :meth:`add`."""

    def __init__(self, prints: Mapping[str, DraftPrint] | None = None) -> None:
        self._prints: dict[str, DraftPrint] = dict(prints or {})
        self._only: Any = None  # see restrict()
        self._every: Any = None  # every fingerprint's hash, draft after draft
        self._built: Columns | None = None

    def add(self, draft: str, print_: DraftPrint) -> None:
        """Index ``print_`` as draft ``draft`` (replacing an earlier print of that id)."""
        self._prints[draft] = print_
        self._built = self._every = None

    def restrict(self, only: Any) -> "MemoryIndex":
        """An index of the same drafts that holds every posting of the hashes ``only``
        (distinct, sorted, int64) and no other: its answers hold for those hashes (a warm
        run's few). Not to be added to."""
        part = MemoryIndex()
        part._prints, part._only, part._every = self._prints, only, self._hashes()
        return part

    def _hashes(self) -> Any:
        import numpy as np

        if self._every is None:
            parts = [np.frombuffer(p.hashes, dtype=np.int64) for p in self._prints.values()
                     if len(p.hashes)]
            self._every = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
        return self._every

    def prints(self) -> Mapping[str, DraftPrint]:
        return self._prints

    def columns(self) -> Columns:
        """The postings of every draft as numpy arrays sorted by hash (built once after
        the last :meth:`add`)."""
        import numpy as np

        if self._built is not None:
            return self._built
        names = list(self._prints)
        cols = [self._prints[n] for n in names]

        def column(name: str) -> Any:
            parts = [np.frombuffer(c, dtype=np.int64 if c.itemsize == 8 else np.int32)
                     for c in (getattr(p, name) for p in cols) if len(c)]
            return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)

        sizes = np.array([len(p.hashes) for p in cols], dtype=np.int64)
        offsets = np.concatenate(([0], np.cumsum(sizes)))
        hashes = self._hashes()
        owner = np.repeat(np.arange(len(cols), dtype=np.int64), sizes)
        if self._only is None:
            order = np.argsort(hashes, kind="stable")
            at = order
        else:  # only the drafts that own a row are read
            kept = np.flatnonzero(member(hashes, self._only))
            order = kept[np.argsort(hashes[kept], kind="stable")]
            used = np.unique(owner[order])
            cols = [cols[d] for d in used.tolist()]
            base = np.zeros(len(sizes), dtype=np.int64)
            base[used] = np.cumsum(sizes[used]) - sizes[used]
            at = order - offsets[owner[order]] + base[owner[order]]
        hashes, owner = hashes[order], owner[order]
        positions, starts, ends = (column(c)[at] for c in ("positions", "starts", "ends"))
        # distinct (hash, draft) pairs, counted per hash: the document frequency
        first = np.ones(len(hashes), dtype=bool)
        first[1:] = (hashes[1:] != hashes[:-1]) | (owner[1:] != owner[:-1])
        new = np.ones(len(hashes), dtype=bool)  # the first row of each hash
        new[1:] = hashes[1:] != hashes[:-1]
        runs = np.flatnonzero(new)
        uniq = hashes[runs]
        counts = np.add.reduceat(first.astype(np.int64), runs) if len(runs) else owner[:0]
        df = np.repeat(counts, np.diff(np.append(runs, len(hashes))))
        self._built = Columns(names, hashes, owner, positions, starts, ends, order, offsets,
                              uniq, counts, df, {name: i for i, name in enumerate(names)})
        return self._built

    def distinct(self, drafts: Iterable[str], without: Any = None) -> Any:
        """The distinct hashes (sorted, int64) of the prints of ``drafts`` (those indexed),
        but those among ``without`` (sorted, int64) when given."""
        import numpy as np

        parts = [np.frombuffer(self._prints[d].hashes, dtype=np.int64) for d in drafts
                 if d in self._prints]
        held = np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)
        return held if without is None else held[~np.isin(held, without)]  # few: no table

    def holding(self, hashes: Any, drafts: Collection[str] | None = None) -> Any:
        """For each fingerprint of every draft (draft after draft, in text order): is its
        hash among ``hashes`` (distinct, sorted, int64); only in ``drafts``, when given
        (False in the others)."""
        import numpy as np

        at, parts, size = [], [], 0
        for name, print_ in self._prints.items():
            if drafts is None or name in drafts:
                at.append(np.arange(size, size + len(print_.hashes)))
                parts.append(np.frombuffer(print_.hashes, dtype=np.int64))
            size += len(print_.hashes)
        out = np.zeros(size, dtype=bool)
        if parts:
            out[np.concatenate(at)] = member(np.concatenate(parts), hashes)
        return out

    def lookup(self, hashes: Iterable[int], drafts: Collection[str] | None = None
               ) -> list[Posting]:
        import numpy as np

        c = self.columns()
        wanted = np.unique(np.fromiter(hashes, dtype=np.int64))
        lo = np.searchsorted(c.hashes, wanted, "left")
        hi = np.searchsorted(c.hashes, wanted, "right")
        sizes = hi - lo
        at = np.repeat(lo - np.cumsum(sizes) + sizes, sizes) + np.arange(int(sizes.sum()))
        if drafts is not None:
            keep = np.fromiter((c.ids[d] for d in drafts if d in c.ids), dtype=np.int64)
            at = at[np.isin(c.owner[at], keep)]
        return [self.posting(i) for i in at.tolist()]

    def posting(self, row: int) -> Posting:
        """The posting in row ``row`` of :meth:`columns`."""
        c = self.columns()
        name, start = c.names[int(c.owner[row])], int(c.starts[row])
        return Posting(int(c.hashes[row]), name, int(c.positions[row]), start,
                       int(c.ends[row]), *self._prints[name].position(start))

    def holders(self, hashes: Iterable[int], limit: int | None = None) -> set[str]:
        """The drafts holding any of ``hashes`` (of those in at most ``limit`` drafts,
        when given)."""
        import numpy as np

        c = self.columns()
        wanted = np.unique(np.fromiter(hashes, dtype=np.int64))
        if limit is not None:
            at = np.minimum(np.searchsorted(c.uniq, wanted), max(len(c.uniq) - 1, 0))
            wanted = wanted[(c.counts[at] <= limit)] if len(c.uniq) else wanted[:0]
        lo = np.searchsorted(c.hashes, wanted, "left")
        hi = np.searchsorted(c.hashes, wanted, "right")
        sizes = hi - lo
        at = np.repeat(lo - np.cumsum(sizes) + sizes, sizes) + np.arange(int(sizes.sum()))
        return {c.names[o] for o in np.unique(c.owner[at]).tolist()}

    def document_frequency(self, hashes: Iterable[int]) -> dict[int, int]:
        import numpy as np

        c = self.columns()
        wanted = np.unique(np.fromiter(hashes, dtype=np.int64))
        at = np.searchsorted(c.uniq, wanted)
        at = np.minimum(at, max(len(c.uniq) - 1, 0))
        found = (c.uniq[at] == wanted) if len(c.uniq) else np.zeros(len(wanted), dtype=bool)
        return dict(zip(wanted[found].tolist(), c.counts[at[found]].tolist()))

    def draft_count(self) -> int:
        return len(self._prints)


def member(values: Any, wanted: Any) -> Any:
    """For each of ``values`` (int64): is it among ``wanted`` (distinct, sorted, int64).
    A table of the low 24 bits passes few values on to the exact search (much faster
    than ``numpy.isin`` on millions of fingerprints)."""
    import numpy as np

    out = np.zeros(len(values), dtype=bool)
    if not len(wanted) or not len(values):
        return out
    low = (1 << 24) - 1
    table = np.zeros(low + 1, dtype=bool)
    table[wanted & low] = True
    maybe = np.flatnonzero(table[values & low])
    at = np.minimum(np.searchsorted(wanted, values[maybe]), len(wanted) - 1)
    out[maybe[wanted[at] == values[maybe]]] = True
    return out
