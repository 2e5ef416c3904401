"""The fingerprint index: what :func:`checker.dedup.find_copies` asks of the other drafts.

:class:`PrintIndex` is the protocol (three questions); :class:`MemoryIndex` answers them
from :class:`~checker.dedup.fingerprints.DraftPrint` objects held in memory (``--no-cache``,
tests, small runs). The SQLite store and the DuckDB/Parquet library implement the same three
methods over a table of :class:`~checker.dedup.fingerprints.Posting` rows.
"""

from __future__ import annotations

from typing import Any, Collection, Iterable, Mapping, Protocol

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


class MemoryIndex:
    """An in-memory :class:`PrintIndex`: postings sorted by hash in numpy arrays, built
    on the first question after the last :meth:`add`."""

    def __init__(self, prints: Mapping[str, DraftPrint] | None = None) -> None:
        self._prints: dict[str, DraftPrint] = dict(prints or {})
        self._built: tuple[Any, ...] | None = None

    def add(self, draft: str, print_: DraftPrint) -> None:
        """Index ``print_`` as draft ``draft`` (replacing an earlier print of that id)."""
        self._prints[draft] = print_
        self._built = None

    def prints(self) -> Mapping[str, DraftPrint]:
        return self._prints

    def _build(self) -> tuple[Any, ...]:
        import numpy as np

        if self._built is not None:
            return self._built
        names = list(self._prints)
        cols = [self._prints[n] for n in names]

        def column(name: str) -> Any:
            parts = [np.frombuffer(getattr(p, name), dtype=np.int64) for p in cols
                     if len(p.hashes)]
            return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)

        hashes = column("hashes")
        owner = np.repeat(np.arange(len(cols), dtype=np.int64),
                          [len(p.hashes) for p in cols]) if cols else np.zeros(0, np.int64)
        order = np.argsort(hashes, kind="stable")
        hashes, owner = hashes[order], owner[order]
        positions, starts, ends = (column(c)[order] for c in ("positions", "starts", "ends"))
        # distinct (hash, draft) pairs, counted per hash: the document frequency
        first = np.ones(len(hashes), dtype=bool)
        first[1:] = (hashes[1:] != hashes[:-1]) | (owner[1:] != owner[:-1])
        uniq, counts = np.unique(hashes[first], return_counts=True)
        self._built = (names, hashes, owner, positions, starts, ends, uniq, counts)
        return self._built

    def lookup(self, hashes: Iterable[int], drafts: Collection[str] | None = None
               ) -> list[Posting]:
        import numpy as np

        names, all_hashes, owner, positions, starts, ends = self._build()[:6]
        wanted = np.unique(np.fromiter(hashes, dtype=np.int64))
        lo = np.searchsorted(all_hashes, wanted, "left")
        hi = np.searchsorted(all_hashes, wanted, "right")
        sizes = hi - lo
        at = np.repeat(lo - np.cumsum(sizes) + sizes, sizes) + np.arange(int(sizes.sum()))
        if drafts is not None:
            ids = self._ids()
            keep = np.fromiter((ids[d] for d in drafts if d in ids), dtype=np.int64)
            at = at[np.isin(owner[at], keep)]
        out: list[Posting] = []
        for h, o, p, s, e in zip(all_hashes[at].tolist(), owner[at].tolist(),
                                 positions[at].tolist(), starts[at].tolist(), ends[at].tolist()):
            name = names[o]
            out.append(Posting(h, name, p, s, e, *self._prints[name].position(s)))
        return out

    def _ids(self) -> dict[str, int]:
        built = self._build()
        if len(built) == 8:  # the draft ids by name, made once per build
            self._built = built = (*built, {name: i for i, name in enumerate(built[0])})
        return built[8]

    def neighbours(self, limit: int, least: int = 2) -> dict[str, set[str]]:
        """For each draft, the drafts it shares at least ``least`` fingerprints with that
        are in no more than ``limit`` drafts (the only ones :func:`find_copies` can report
        a passage with): a filter computed for all drafts at once."""
        import numpy as np

        names, hashes, owner, _, _, _, uniq, counts = self._build()[:8]
        first = np.ones(len(hashes), dtype=bool)
        first[1:] = (hashes[1:] != hashes[:-1]) | (owner[1:] != owner[:-1])
        h, o = hashes[first], owner[first]  # distinct (hash, draft), by hash
        df = counts[np.searchsorted(uniq, h)]
        keep = (df >= 2) & (df <= limit)
        h, o, df = h[keep], o[keep], df[keep]
        pairs = []
        # hashes held by g drafts: each such group of g consecutive rows gives g*(g-1) pairs
        starts = np.flatnonzero(np.concatenate(([True], h[1:] != h[:-1]))) if len(h) else h
        sizes = np.diff(np.append(starts, len(h)))
        for g in np.unique(sizes).tolist():
            rows = starts[sizes == g]
            block = o[rows[:, None] + np.arange(g)]  # one row of g drafts per hash
            a = np.repeat(block, g, axis=1).ravel()
            b = np.tile(block, (1, g)).ravel()
            pairs.append((a * len(names) + b)[a != b])
        out: dict[str, set[str]] = {}
        if not pairs:
            return out
        keys, n = np.unique(np.concatenate(pairs), return_counts=True)
        keys = keys[n >= least]
        for a, b in zip((keys // len(names)).tolist(), (keys % len(names)).tolist()):
            out.setdefault(names[a], set()).add(names[b])
        return out

    def document_frequency(self, hashes: Iterable[int]) -> dict[int, int]:
        import numpy as np

        uniq, counts = self._build()[6:8]
        wanted = np.unique(np.fromiter(hashes, dtype=np.int64))
        at = np.searchsorted(uniq, wanted)
        at = np.minimum(at, max(len(uniq) - 1, 0))
        found = (uniq[at] == wanted) if len(uniq) else np.zeros(len(wanted), dtype=bool)
        return dict(zip(wanted[found].tolist(), counts[at[found]].tolist()))

    def draft_count(self) -> int:
        return len(self._prints)
