"""Checking drafts against the library: the index read with DuckDB (embedded, no Spark, no
server), answering the three questions of :class:`checker.dedup.PrintIndex`."""

from __future__ import annotations

import os
from typing import Callable, Collection, Iterable

from checker.config import Config
from checker.dedup import Copy, DraftPrint, Posting, Settings, find_copies
from checker.i18n import tr
from checker.library import layout
from checker.packs import ConfigError


class LibraryIndex:
    """A library index on disk as a :class:`checker.dedup.PrintIndex`. Each question is one
    DuckDB query over the Parquet files of the current generation; ``text(path)`` gives a
    library draft's text (to extend a passage to its exact extent)."""

    def __init__(self, index: str, settings: Settings) -> None:
        try:
            import duckdb
        except ImportError:
            raise ConfigError(tr("library.duckdb-missing")) from None
        self.manifest = layout.read_manifest(index)
        shown = os.path.relpath(index)
        self._where = index if shown.startswith("..") else shown
        layout.check_compatible(self.manifest, settings, os.path.join(index, layout.MANIFEST))
        data = os.path.join(index, self.manifest.data)
        self._prints = os.path.join(data, "fingerprints", "*", "*.parquet")
        self._drafts = os.path.join(data, "drafts", "*.parquet")
        self._db = duckdb.connect(":memory:")
        self._texts: dict[str, str | None] = {}
        try:
            self._db.execute(f"CREATE VIEW prints AS SELECT * FROM read_parquet("
                             f"'{_quoted(self._prints)}', hive_partitioning = true)")
            self._db.execute(f"CREATE VIEW drafts AS SELECT * FROM read_parquet("
                             f"'{_quoted(self._drafts)}')")
        except duckdb.Error as exc:
            raise ConfigError(tr("library.unreadable", index=index, reason=exc)) from None

    def _with_hashes(self, hashes: Iterable[int]) -> None:
        import pyarrow as pa

        wanted = pa.table({"hash": pa.array(sorted(set(hashes)), type=pa.int64())})
        self._db.register("wanted", wanted)

    def lookup(self, hashes: Iterable[int], drafts: Collection[str] | None = None
               ) -> list[Posting]:
        self._with_hashes(hashes)
        rows = self._db.execute(
            "SELECT p.hash, d.path, p.pos, p.start, p.\"end\", p.line, p.\"column\" "
            "FROM prints p JOIN wanted w ON p.hash = w.hash "
            "JOIN drafts d ON p.draft_id = d.draft_id").fetchall()
        if drafts is not None:
            rows = [row for row in rows if row[1] in drafts]
        return [Posting(*row) for row in rows]

    def document_frequency(self, hashes: Iterable[int]) -> dict[int, int]:
        self._with_hashes(hashes)
        rows = self._db.execute(
            "SELECT p.hash, count(DISTINCT p.draft_id) FROM prints p "
            "JOIN wanted w ON p.hash = w.hash GROUP BY p.hash").fetchall()
        return dict(rows)

    def draft_count(self) -> int:
        return self.manifest.drafts

    def text(self, path: str) -> str | None:
        if path not in self._texts:
            rows = self._db.execute("SELECT text FROM drafts WHERE path = ?", [path]).fetchall()
            self._texts[path] = rows[0][0] if rows else None
        return self._texts[path]

    def label(self, path: str) -> str:
        """How a library draft is named in a diagnostic: its path inside the index folder."""
        return os.path.join(self._where, path)

    def close(self) -> None:
        self._db.close()


def _quoted(path: str) -> str:
    return path.replace("'", "''")


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
    def texts(path: str) -> str | None:
        return text(display) if path == display else library.text(path)

    label = library.label
    return [c._replace(other=label(c.other))
            for c in find_copies(display, print_, library, settings, texts) if c.other != own]
