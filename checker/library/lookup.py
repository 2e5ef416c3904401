"""Checking drafts against the library: the index read with DuckDB (embedded, no Spark, no
server), answering the three questions of :class:`checker.dedup.PrintIndex`."""

from __future__ import annotations

import os
from typing import Any, Callable, Collection, Iterable

from checker.config import Config
from checker.dedup import Copy, DraftPrint, Posting, Settings, Texts, find_copies
from checker.i18n import tr
from checker.library import layout
from checker.packs import ConfigError


class LibraryIndex:
    """A library index on disk as a :class:`checker.dedup.PrintIndex`. Each question is a
    point lookup: DuckDB reads only the bucket files of the hashes asked for, and in them
    only the row groups whose min/max statistics can hold one (the rows are sorted by
    hash). A posting names its library draft by a key (:func:`draft_key`: its ``draft_id``),
    which ``text(key)`` reads the same way, and :meth:`paths` turns into paths, for the
    drafts of the copies found only (:meth:`copies`)."""

    def __init__(self, index: str, settings: Settings) -> None:
        duckdb = _duckdb()
        self.manifest = layout.read_manifest(index)
        shown = os.path.relpath(index)
        self._where = index if shown.startswith("..") else shown
        layout.check_compatible(self.manifest, settings, os.path.join(index, layout.MANIFEST))
        self._data = os.path.join(index, self.manifest.data)
        if not os.path.isdir(os.path.join(self._data, "drafts")):
            raise ConfigError(tr("library.no-data", index=index,
                                 folder=f"{self.manifest.data}/drafts"))
        self._error = duckdb.Error
        self._db = duckdb.connect(":memory:")
        self._texts: dict[str, str | None] = {}  # by key
        self._paths: dict[int, str] = {}  # by draft_id

    def _read(self, select: str, parts: list[tuple[list[str], list[int]]], key: str
              ) -> list[tuple]:
        """``select`` (columns) from each part's Parquet files where ``key`` is one of the
        part's integers, all parts in one UNION ALL query: a short IN list of constants,
        which DuckDB checks against each row group's min/max statistics."""
        queries = [f"SELECT {select} FROM read_parquet([{', '.join(_literal(f) for f in files)}]"
                   f") WHERE {key} IN ({', '.join(map(str, values))})"
                   for files, values in parts if files and values]
        if not queries:
            return []
        try:
            return self._db.execute(" UNION ALL ".join(queries)).fetchall()
        except self._error as exc:
            raise ConfigError(tr("library.unreadable", index=self._where,
                                 reason=str(exc).splitlines()[0])) from None

    def _by_bucket(self, table: str, hashes: Iterable[int]) -> list[tuple[list[str], list[int]]]:
        """The hashes grouped by bucket, each group with its bucket's files in ``table``."""
        groups: dict[int, list[int]] = {}
        for h in sorted(set(hashes)):
            groups.setdefault(layout.bucket_of(h, self.manifest.buckets), []).append(h)
        return [(self._files(os.path.join(table, f"bucket={b}")), wanted)
                for b, wanted in sorted(groups.items())]

    def _files(self, folder: str) -> list[str]:
        """The Parquet files of ``folder`` in the current generation (none: a bucket no
        fingerprint fell into)."""
        where = os.path.join(self._data, folder)
        try:
            return [os.path.join(where, f) for f in sorted(os.listdir(where))
                    if f.endswith(".parquet")]
        except FileNotFoundError:
            return []

    def lookup(self, hashes: Iterable[int], drafts: Collection[str] | None = None
               ) -> list[Posting]:
        """The postings of ``hashes``, each naming its draft by :func:`draft_key` (its
        number, not its path: resolving the path of every draft a posting names cost more
        than the rest of the lookup, and only the few drafts that end up in a copy need it,
        :meth:`paths`)."""
        rows = self._read("hash, draft_id, pos, start, \"end\", line, \"column\"",
                          self._by_bucket("fingerprints", hashes), "hash")
        found = [Posting(h, f"{KEY}{d}", *rest) for h, d, *rest in rows]
        return found if drafts is None else [p for p in found if p.draft in drafts]

    def paths(self, keys: Iterable[str]) -> dict[str, str]:
        """The path of each library draft of ``keys`` (as :meth:`lookup` names them)."""
        keys = set(keys)
        missing = sorted({_number(k) for k in keys} - self._paths.keys())
        self._paths.update(self._read("draft_id, path", [(self._files("drafts"), missing)],
                                      "draft_id"))
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
        return dict(self._read("hash, df", self._by_bucket("frequencies", hashes), "hash"))

    def draft_count(self) -> int:
        return self.manifest.drafts

    def text(self, key: str) -> str | None:
        """The text of the library draft ``key`` (:func:`draft_key`), read by its number."""
        if key not in self._texts:
            rows = self._read("draft_id, path, text", [(self._files("drafts"), [_number(key)])],
                              "draft_id")
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
