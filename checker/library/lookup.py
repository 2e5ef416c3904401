"""Checking drafts against the library: the index read with DuckDB (embedded, no Spark, no
server), answering the three questions of :class:`checker.dedup.PrintIndex`."""

from __future__ import annotations

import os
from bisect import bisect_right
from typing import Any, Callable, Collection, Iterable

from checker.config import Config
from checker.dedup import Copy, DraftPrint, Posting, Settings, Texts, find_copies
from checker.i18n import tr
from checker.library import layout
from checker.packs import ConfigError


class LibraryIndex:
    """A library index on disk as a :class:`checker.dedup.PrintIndex`. Each question is a
    point lookup, one query: DuckDB opens only the files whose range of keys can hold one
    asked for (``parts.json``), and in them reads only the row groups whose min/max
    statistics can hold one (each table is sorted by its key). A posting names its library
    draft by a key (:func:`draft_key`: its ``draft_id``), which ``text(key)`` reads the
    same way, and :meth:`paths` turns into paths, for the drafts of the copies found only
    (:meth:`copies`)."""

    def __init__(self, index: str, settings: Settings) -> None:
        duckdb = _duckdb()
        self.manifest = layout.read_manifest(index)
        shown = os.path.relpath(index)
        self._where = index if shown.startswith("..") else shown
        layout.check_compatible(self.manifest, settings, os.path.join(index, layout.MANIFEST))
        self._data = os.path.join(index, self.manifest.data)
        parts = layout.read_parts(self._data)
        if parts is None or set(parts) != set(layout.TABLES):
            raise ConfigError(tr("library.no-data", index=index,
                                 part=f"{self.manifest.data}/{layout.PARTS}"))
        # per table: the files' lowest keys (sorted), and each file's path and highest key
        self._parts = {t: ([lo for _, lo, _ in rows],
                           [(os.path.join(self._data, t, name), hi) for name, _, hi in rows])
                       for t, rows in parts.items()}
        self._error = duckdb.Error
        # a draft's texts are read one query each, several from one drafts file: each
        # file's footer parsed once
        self._db = duckdb.connect(":memory:")
        self._db.execute("SET parquet_metadata_cache = true")
        self._texts: dict[str, str | None] = {}  # by key
        self._paths: dict[int, str] = {}  # by draft_id

    def _read(self, select: str, table: str, keys: Iterable[int]) -> list[tuple]:
        """``select`` (columns) of the rows of ``table`` whose key is one of ``keys``: one
        query over the files whose range can hold one (``parts.json``), the keys a list of
        constants that DuckDB checks against each row group's min/max statistics."""
        wanted = sorted(set(keys))
        lows, files = self._parts[table]
        named: dict[str, None] = {}
        for k in wanted:
            at = bisect_right(lows, k) - 1
            if at >= 0 and k <= files[at][1]:
                named[files[at][0]] = None
        if not named:
            return []
        sql = (f"SELECT {select} FROM read_parquet([{', '.join(map(_literal, named))}]) "
               f"WHERE {layout.TABLES[table]} IN ({', '.join(map(str, wanted))})")
        try:
            return self._db.execute(sql).fetchall()
        except self._error as exc:
            raise ConfigError(tr("library.unreadable", index=self._where,
                                 reason=str(exc).splitlines()[0])) from None

    def lookup(self, hashes: Iterable[int], drafts: Collection[str] | None = None
               ) -> list[Posting]:
        """The postings of ``hashes``, each naming its draft by :func:`draft_key` (its
        number, not its path: resolving the path of every draft a posting names cost more
        than the rest of the lookup, and only the few drafts that end up in a copy need it,
        :meth:`paths`)."""
        rows = self._read("hash, draft_id, pos, start, \"end\", line, \"column\"",
                          "fingerprints", hashes)
        rows.sort()  # the same order every time, whichever file DuckDB read first
        found = [Posting(h, f"{KEY}{d}", *rest) for h, d, *rest in rows]
        return found if drafts is None else [p for p in found if p.draft in drafts]

    def paths(self, keys: Iterable[str]) -> dict[str, str]:
        """The path of each library draft of ``keys`` (as :meth:`lookup` names them)."""
        keys = set(keys)
        missing = sorted({_number(k) for k in keys} - self._paths.keys())
        self._paths.update(self._read("draft_id, path", "drafts", missing))
        return {k: self._paths[_number(k)] for k in keys}

    def copies(self, target: str, print_: DraftPrint, settings: Settings, texts: Texts
               ) -> list[Copy]:
        """:func:`checker.dedup.find_copies` of the draft ``target`` (its path as the
        library would hold it) over this index, each ``other`` the library draft's path;
        the library's own copy of ``target`` is left out, as find_copies leaves out the
        target. ``texts`` is asked for ``target`` and for the keys of :meth:`lookup`."""
        me = draft_key(target)
        found = find_copies(me, print_, self, settings,
                            lambda d: texts(target) if d == me else texts(d))
        paths = self.paths(c.other for c in found)
        return sorted((c._replace(other=paths[c.other]) for c in found),
                      key=lambda c: (c.start, c.other))  # find_copies' order, by path

    def document_frequency(self, hashes: Iterable[int]) -> dict[int, int]:
        return dict(self._read("hash, df", "frequencies", hashes))

    def draft_count(self) -> int:
        return self.manifest.drafts

    def text(self, key: str) -> str | None:
        """The text of the library draft ``key`` (:func:`draft_key`), read by its number."""
        if key not in self._texts:
            rows = self._read("draft_id, path, text", "drafts", [_number(key)])
            self._paths.update((number, path) for number, path, _ in rows)
            self._texts[key] = next((text for _, _, text in rows), None)
        return self._texts[key]

    def label(self, path: str) -> str:
        """How a library draft is named in a diagnostic: its path inside the index folder."""
        return os.path.join(self._where, path)

    def close(self) -> None:
        self._db.close()


def _duckdb() -> Any:
    """DuckDB's engine module. From DuckDB 1.4 on it is ``_duckdb``, which the ``duckdb``
    package wraps in half a second of pure-Python imports a hook does not need (the same
    connect, execute, fetchall and Error); before 1.4 it is ``duckdb`` itself."""
    try:
        import _duckdb as duckdb
    except ImportError:
        try:
            import duckdb
        except ImportError:
            raise ConfigError(tr("library.duckdb-missing")) from None
    return duckdb


KEY = "\0"  # a library draft's key: this and its draft_id (no path holds a NUL)


def draft_key(path: str) -> str:
    """How :meth:`LibraryIndex.lookup` names the library draft at ``path``."""
    return f"{KEY}{layout.draft_id(path)}"


def _number(key: str) -> int:
    """The draft_id in a library draft's key."""
    return int(key[len(KEY):])


def _literal(path: str) -> str:
    """``path`` as an SQL string literal."""
    return "'" + path.replace("'", "''") + "'"


def open_library(config: Config, settings: Settings) -> LibraryIndex | None:
    """The library index the configuration names (``library:`` or ``--library``), opened
    for D201; None when it names none."""
    if config["library"] is None:
        return None
    return LibraryIndex(str(config.root / config["library"]), settings)


def library_copies(library: LibraryIndex, display: str, own: str, print_: DraftPrint,
                   settings: Settings, text: Callable[[str], str | None]) -> list[Copy]:
    """The passages of a checked draft found in the library, each ``other`` named as the
    library draft inside the index folder; the library's copy of this very draft (its path
    ``own`` relative to the configuration root) is left out."""
    def texts(draft: str) -> str | None:
        return text(display) if draft == own else library.text(draft)

    label = library.label
    return [c._replace(other=label(c.other))
            for c in library.copies(own, print_, settings, texts)]
