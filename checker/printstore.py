"""The fingerprint index of D201, kept in the result cache's SQLite database.

:class:`StoredIndex` answers the three questions of :class:`checker.dedup.PrintIndex`
(postings of some hashes, their document frequency, the number of drafts) from two
tables of the cache's database (:mod:`checker.cache`), so that a run over one changed
draft compares it with every draft of the repo without reading the others:

``print_drafts``
    one row per draft and fingerprint settings: its path relative to the configuration
    root, and the ``stat`` fields (mtime, size) its fingerprints were made from;
``postings``
    one row per fingerprint: (hash, draft, position in the normalised text, source start
    and end offsets, line, column), with an index on the hash;
``frequencies``
    one row per settings key and hash: the number of drafts holding it (its document
    frequency), kept up to date as drafts are replaced or dropped, so that a hash held by
    thousands of drafts costs one row to look up.

:func:`refresh` keeps it current incrementally: only drafts whose stat changed are
fingerprinted again, drafts gone from the repo are dropped. Plain integer and text
columns: nothing read back can run code. A row that makes no sense (a damaged value)
is a posting that matches nothing, never a crash.
"""

from __future__ import annotations

import os
import sqlite3
from bisect import bisect_right
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping, Sequence

from checker.dedup import DraftPrint, Posting
from checker.model import Pool

_TABLES = (
    "CREATE TABLE IF NOT EXISTS print_drafts (id INTEGER PRIMARY KEY, settings TEXT NOT NULL, "
    "draft TEXT NOT NULL, mtime_ns INTEGER, size INTEGER, UNIQUE (settings, draft))",
    "CREATE TABLE IF NOT EXISTS postings (hash INTEGER NOT NULL, draft INTEGER NOT NULL, "
    "pos INTEGER, start INTEGER, stop INTEGER, line INTEGER, col INTEGER)",
    "CREATE TABLE IF NOT EXISTS frequencies (settings TEXT NOT NULL, hash INTEGER NOT NULL, "
    "drafts INTEGER NOT NULL, PRIMARY KEY (settings, hash)) WITHOUT ROWID",
)
_INDEXES = (
    "CREATE INDEX IF NOT EXISTS postings_by_hash ON postings (hash)",
    "CREATE INDEX IF NOT EXISTS postings_by_draft ON postings (draft)",
)
CHUNK = 500  # hashes per query (SQLite limits the parameters of one statement)
# lookup says CROSS JOIN so that SQLite looks the hashes up in postings_by_hash first:
# with a plain JOIN its planner started from the drafts of the settings and read every
# posting of every draft (3.4 s a query against 0.01 s on 10,000 drafts).
Stat = tuple[int, int]  # (mtime_ns, size)


class StoredIndex:
    """The drafts of one fingerprint ``settings`` key in ``conn``; ``display`` turns a
    stored draft (its path relative to the configuration root) into the path the run
    shows (:attr:`Posting.draft`)."""

    def __init__(self, conn: sqlite3.Connection, settings: str,
                 display: Callable[[str], str]) -> None:
        self._conn = conn
        self.settings = settings
        self._display = display
        with conn:
            for statement in (*_TABLES, *_INDEXES):
                conn.execute(statement)

    def known(self) -> dict[str, Stat]:
        """Each stored draft and the stat its fingerprints were made from."""
        return {d: (m, s) for d, m, s in self._conn.execute(
            "SELECT draft, mtime_ns, size FROM print_drafts WHERE settings = ?",
            (self.settings,))}

    def replace(self, drafts: Sequence[tuple[str, Stat, DraftPrint]], bulk: bool = False
                ) -> None:
        """Store the fingerprints of ``drafts`` ((draft, stat, print)), replacing theirs,
        in one transaction, and add them to the document frequencies (in hash order, one
        row a hash). ``bulk`` (most of the index is new): the hash index is dropped and
        made again after the rows are in, which takes half the time."""
        with self._conn:
            self._conn.execute("BEGIN IMMEDIATE")
            if bulk:
                self._conn.execute("DROP INDEX IF EXISTS postings_by_hash")
            for draft, (mtime, size), print_ in drafts:
                self._delete(draft)
                cur = self._conn.execute(
                    "INSERT INTO print_drafts (settings, draft, mtime_ns, size) "
                    "VALUES (?, ?, ?, ?)", (self.settings, draft, mtime, size))
                self._conn.executemany("INSERT INTO postings VALUES (?, ?, ?, ?, ?, ?, ?)",
                                       _rows(cur.lastrowid, print_))
            self._conn.executemany(
                "INSERT INTO frequencies VALUES (?, ?, ?) ON CONFLICT (settings, hash) "
                "DO UPDATE SET drafts = drafts + excluded.drafts",
                ((self.settings, h, n) for h, n in _counts(p for _, _, p in drafts)))
            for statement in _INDEXES:
                self._conn.execute(statement)

    def drop(self, drafts: Iterable[str]) -> None:
        """Forget ``drafts`` (gone from the repo)."""
        with self._conn:
            self._conn.execute("BEGIN IMMEDIATE")
            for draft in drafts:
                self._delete(draft)

    def _delete(self, draft: str) -> None:
        found = self._conn.execute("SELECT id FROM print_drafts WHERE settings = ? AND "
                                   "draft = ?", (self.settings, draft)).fetchone()
        if found is not None:
            self._conn.execute(
                "UPDATE frequencies SET drafts = drafts - 1 WHERE settings = ? AND hash IN "
                "(SELECT DISTINCT hash FROM postings WHERE draft = ?)", (self.settings, *found))
            self._conn.execute("DELETE FROM postings WHERE draft = ?", found)
            self._conn.execute("DELETE FROM print_drafts WHERE id = ?", found)

    def _chunks(self, hashes: Iterable[int]) -> Iterator[list[int]]:
        wanted = sorted({int(h) for h in hashes})
        for i in range(0, len(wanted), CHUNK):
            yield wanted[i:i + CHUNK]

    def lookup(self, hashes: Iterable[int]) -> list[Posting]:
        out = []
        names: dict[str, str] = {}
        for chunk in self._chunks(hashes):
            marks = ",".join("?" * len(chunk))
            for h, draft, pos, start, stop, line, col in self._conn.execute(
                    "SELECT p.hash, d.draft, p.pos, p.start, p.stop, p.line, p.col FROM "
                    f"postings p CROSS JOIN print_drafts d ON d.id = p.draft WHERE d.settings = ? "
                    f"AND p.hash IN ({marks})", (self.settings, *chunk)):
                if not all(type(v) is int for v in (h, pos, start, stop, line, col)):
                    continue  # a damaged row matches nothing
                if draft not in names:
                    names[draft] = self._display(draft)
                out.append(Posting(h, names[draft], pos, start, stop, line, col))
        return out

    def document_frequency(self, hashes: Iterable[int]) -> dict[int, int]:
        out: dict[int, int] = {}
        for chunk in self._chunks(hashes):
            marks = ",".join("?" * len(chunk))
            out.update((h, n) for h, n in self._conn.execute(
                f"SELECT hash, drafts FROM frequencies WHERE settings = ? AND hash IN ({marks}) "
                "AND drafts > 0", (self.settings, *chunk)) if type(h) is int and type(n) is int)
        return out

    def draft_count(self) -> int:
        return self._conn.execute("SELECT count(*) FROM print_drafts WHERE settings = ?",
                                  (self.settings,)).fetchone()[0]


def _counts(prints: Iterable[DraftPrint]) -> Iterator[tuple[int, int]]:
    """Each hash of ``prints`` and the number of them holding it, in hash order."""
    import numpy as np

    parts = [np.unique(np.frombuffer(p.hashes, dtype=np.int64)) for p in prints]
    if not parts:
        return iter(())
    hashes, counts = np.unique(np.concatenate(parts), return_counts=True)
    return zip(hashes.tolist(), counts.tolist())


def _rows(draft: int, print_: DraftPrint) -> list[tuple[int, ...]]:
    """The postings of one draft as table rows."""
    starts = print_.line_starts
    shown = print_.lines
    out = []
    for h, pos, start, end in zip(print_.hashes, print_.positions, print_.starts, print_.ends):
        i = bisect_right(starts, start) - 1
        out.append((h, draft, pos, start, end, shown[i] if shown else i + 1,
                    start - starts[i] + 1))
    return out


def refresh(index: StoredIndex, repo: Sequence[tuple[str, Path]],
            current: Mapping[str, DraftPrint],
            make: Callable[[Path], DraftPrint | None], many: Pool = map) -> None:
    """Bring the index up to date with ``repo`` ((draft, path) of every draft of the repo
    now): ``current`` holds the fingerprints this run has already made (the checked
    drafts); the other drafts are fingerprinted with ``make`` (over them all with
    ``many``, a ``map``) only when their stat is not the stored one; stored drafts no
    longer in the repo, or that changed and can no longer be fingerprinted (binary now,
    too large), are dropped."""
    known = index.known()
    stale = []
    for draft, path in repo:
        try:
            st = os.stat(path)
        except OSError:
            continue
        stat = (st.st_mtime_ns, st.st_size)
        if known.get(draft) != stat:
            stale.append((draft, path, stat))
    unmade = [path for draft, path, _ in stale if draft not in current]
    made = dict(zip(unmade, many(make, unmade)))
    fresh = [(draft, stat, print_) for draft, path, stat in stale
             if (print_ := current.get(draft) or made.get(path)) is not None]
    index.replace(fresh, bulk=len(fresh) > len(known))
    present = {draft for draft, _ in repo}
    unreadable = {draft for draft, _, _ in stale} - {draft for draft, _, _ in fresh}
    index.drop(d for d in known if d not in present or d in unreadable)
