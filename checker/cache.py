"""The result cache: per-file results, so unchanged drafts are not checked again.

One SQLite database, ``results.sqlite``, and the cross-document stage's last output
(``stage-<settings>.bin``, see :meth:`ResultCache.stage`), in the cache directory
(``cache-dir``, default ``.draftlint_cache/`` at the configuration root; created with a
``.gitignore`` of ``*`` and a ``CACHEDIR.TAG``). A row holds one file's
:class:`~checker.engine.FileResult` under a *settings key*: a hash of the draftlint
version, the code and shipped packs on disk, the resolved configuration and the selected
rules. Any change to those starts a
fresh set of rows; rows of settings unused for 30 days are pruned.

Validity, as Ruff and git do it: a row stores the file's ``stat`` (mtime, ctime, size,
inode) and the BLAKE2 hash of its bytes. If the stat is unchanged the row is used
without opening the file; otherwise the file is read and hashed, and the row is still
used if the hash matches (a touched but unchanged file). A file modified within
:data:`RACY_SECONDS` of being read gets no stat shortcut (its next change could keep
the same stat), only the hash check.

Concurrency and crashes: WAL journal, a busy timeout, and every write in one
transaction, so two runs at once (two hooks) and a run killed mid-write leave a
consistent database. A database that cannot be opened is moved aside and rebuilt; if
that fails too, the run goes on without a cache and says so once on stderr.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import sqlite3
import sys
import time
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Mapping, Sequence

from checker import __version__
from checker.config import Config
from checker.diagnostics import Diagnostic, as_diagnostic
from checker.engine import FileResult
from checker.packs import ConfigError, Rule, builtin_pack_dir

DB_NAME = "results.sqlite"
SCHEMA_VERSION = 6
RACY_SECONDS = 2.0
PRUNE_AFTER_DAYS = 30
BUSY_TIMEOUT_MS = 30_000
PAGE_SIZE = 16_384
MARKER = "CACHEDIR.TAG"
MARKER_TEXT = ("Signature: 8a477f597d28d172789f06886806bc55\n"
               "# This directory is draftlint's cache (results and fingerprints); "
               "'draftlint clean' removes it.\n")
# Configuration keys that cannot change one file's result (they choose files or exit codes).
_NOT_IN_KEY = {"fail-on", "cache-dir", "exclude", "extend-exclude", "extensions"}


# -- keys ---------------------------------------------------------------------------
def code_fingerprint() -> str:
    """Size and mtime of every module and shipped pack: an edited checkout (same version
    number, different code) must not be answered from results of the old code."""
    h = hashlib.blake2b(__version__.encode(), digest_size=16)
    package = Path(__file__).resolve().parent
    for base, pattern in ((package, "*.py"), (builtin_pack_dir(), "*")):
        for path in sorted(base.rglob(pattern)):
            if "__pycache__" in path.parts or not path.is_file():
                continue
            st = path.stat()
            h.update(f"{path.relative_to(base)}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def settings_key(config: Config, rules: Sequence[Rule], known: Iterable[Rule]) -> str:
    """Hash of everything besides the file's bytes that decides its result."""
    values = {k: v for k, v in sorted(config.values.items()) if k not in _NOT_IN_KEY}
    data = {
        "schema": SCHEMA_VERSION,
        "python": list(sys.version_info[:2]),  # marshal's format is Python's own
        "code": code_fingerprint(),
        "root": str(config.resolved_root),
        "config": values,
        "rules": [(r.code, r.name, r.kind, int(r.severity), r.message, r.formats,
                   dict(r.raw_options)) for r in rules],
        "known": sorted(r.code for r in known),
    }
    blob = json.dumps(data, sort_keys=True, default=repr, ensure_ascii=False)
    return hashlib.blake2b(blob.encode(), digest_size=16).hexdigest()


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def stat_key(st: os.stat_result, now: float) -> tuple[int, int, int, int] | None:
    """The stat fields a row is valid for, or None when the file is too fresh to trust."""
    if now - st.st_mtime < RACY_SECONDS or now - st.st_ctime < RACY_SECONDS:
        return None
    return st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino


# -- payloads -----------------------------------------------------------------------
# Diagnostics go as plain tuples of their fields (pickle writes and reads a tuple in C; a
# named tuple would go through copyreg in Python) and come back as Diagnostic by
# tuple.__new__, also in C. Equal objects inside one payload (a path, a rule name, a
# severity, a shared Related) are stored once. Pickle, as black's cache: the cache
# directory must be writable only by the people who run draftlint. SCHEMA_VERSION
# changes whenever the shape of these payloads does.


def _pack(diagnostics: Iterable[Diagnostic]) -> list[tuple]:
    return list(map(tuple, diagnostics))


def _unpack(rows: Iterable[tuple]) -> tuple[Diagnostic, ...]:
    return tuple(map(as_diagnostic, rows))


def encode(result: FileResult) -> bytes:
    """One file's result: its diagnostics and the extras (a kind's NamedTuples) as they are."""
    return pickle.dumps((_pack(result.diagnostics), dict(result.extras)),
                        protocol=pickle.HIGHEST_PROTOCOL)


def decode(payload: bytes, path: str) -> FileResult:
    """The result of :func:`encode`, shown under ``path`` (the display path depends on the
    working directory, which may differ from the run that stored it)."""
    rows, extras = pickle.loads(payload)
    diags = _unpack(rows)
    if diags and diags[0].path != path:
        diags = tuple(d._replace(path=path) for d in diags)
    return FileResult(path, diags, extras)


def cacheable(result: FileResult) -> bool:
    """Unreadable files and rule failures (a timeout can pass next time) are not kept."""
    return not any(d.code in ("E001", "E900") for d in result.diagnostics)


# -- the database -------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Row:
    stat: tuple[int, int, int, int] | None
    digest: bytes
    payload: bytes


_SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    settings TEXT NOT NULL,
    path TEXT NOT NULL,
    mtime_ns INTEGER, ctime_ns INTEGER, size INTEGER, inode INTEGER,
    digest BLOB NOT NULL,
    payload BLOB NOT NULL,
    PRIMARY KEY (settings, path)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS settings (
    settings TEXT PRIMARY KEY,
    last_used INTEGER NOT NULL
) WITHOUT ROWID;
"""


def cache_dir(config: Config, override: Path | None = None) -> Path:
    """The cache directory: ``--cache-dir`` (relative to the cwd) or ``cache-dir``
    (relative to the configuration root). Never the root itself or above it."""
    directory = override.resolve() if override is not None else (
        config.resolved_root / config["cache-dir"]).resolve()
    if directory == config.resolved_root or directory in config.resolved_root.parents:
        raise ConfigError(f"cache-dir: {directory} is the project root or above it; the cache "
                          f"needs a directory of its own (default .draftlint_cache)")
    return directory


def prepare_dir(directory: Path) -> None:
    """Create the directory with a ``.gitignore`` and ``CACHEDIR.TAG`` (only when it is new
    or empty: never write into a directory of the user's)."""
    fresh = not directory.exists() or not any(directory.iterdir())
    directory.mkdir(parents=True, exist_ok=True)
    if fresh:
        for name, text in ((".gitignore", "# created by draftlint\n*\n"), (MARKER, MARKER_TEXT)):
            tmp = directory / f".{name}.{os.getpid()}.tmp"
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, directory / name)


class ResultCache:
    """Rows of one settings key. Use :meth:`open`; reads are cheap, :meth:`store` is one
    transaction."""

    def __init__(self, conn: sqlite3.Connection, settings: str, directory: Path) -> None:
        self._conn = conn
        self.settings = settings
        self.directory = directory
        used = conn.execute("SELECT last_used FROM settings WHERE settings = ?",
                            (settings,)).fetchone()
        self._last_used = used[0] if used else None
        self._pending: list[Callable[[], object]] = []
        self._waited: list[Callable[[], object]] = []

    @property
    def stale(self) -> bool:
        """True when this settings key's last use is not recorded for today (a warm run
        with nothing to write still stores once a day, so its rows are not pruned)."""
        return self._last_used != _today()

    @classmethod
    def open(cls, directory: Path, settings: str) -> "ResultCache":
        """Open (creating if needed) the database; raises sqlite3/OS errors."""
        prepare_dir(directory)
        path = directory / DB_NAME
        try:
            return cls(_connect(path), settings, directory)
        except sqlite3.OperationalError:  # locked, unwritable: not a broken file
            raise
        except sqlite3.DatabaseError:  # not a database / corrupt: move it aside, start over
            for suffix in ("", "-wal", "-shm"):
                aside = Path(str(path) + suffix)
                if aside.exists():
                    os.replace(aside, Path(f"{path}{suffix}.broken"))
            return cls(_connect(path), settings, directory)

    def lookup(self, keys: Sequence[str]) -> dict[str, Row]:
        """Rows for the given absolute paths (all rows of the settings when many)."""
        query = ("SELECT path, mtime_ns, ctime_ns, size, inode, digest, payload FROM results "
                 "WHERE settings = ?")
        if len(keys) > 200:
            rows = self._conn.execute(query, (self.settings,)).fetchall()
        else:
            rows = [r for key in keys
                    for r in self._conn.execute(query + " AND path = ?", (self.settings, key))]
        return {path: Row(None if m is None else (m, c, s, i), dig, payload)
                for path, m, c, s, i, dig, payload in rows}

    def store(self, rows: Mapping[str, Row]) -> None:
        """Write rows and this settings key's last use in one transaction; prune settings
        unused for :data:`PRUNE_AFTER_DAYS`."""
        today = _today()
        with self._conn:
            self._conn.execute("BEGIN IMMEDIATE")
            self._conn.executemany(
                "INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(self.settings, key, *(row.stat or (None,) * 4), row.digest, row.payload)
                 for key, row in rows.items()])
            if self.stale:
                self._conn.execute("INSERT OR REPLACE INTO settings VALUES (?, ?)",
                                   (self.settings, today))
                stale = [s for (s,) in self._conn.execute(
                    "SELECT settings FROM settings WHERE last_used < ?",
                    (today - PRUNE_AFTER_DAYS,))]
                for s in stale:
                    self._conn.execute("DELETE FROM results WHERE settings = ?", (s,))
                    self._conn.execute("DELETE FROM settings WHERE settings = ?", (s,))
                    with contextlib.suppress(OSError):
                        _stage_file(self.directory, s).unlink(missing_ok=True)
        self._last_used = today

    # The cross-document stage's output for these settings is a file of its own, not a
    # row: it is large (10,000 synthetic drafts: 28 MB), and a row that size made the
    # commit copy it twice (write-ahead log, then checkpoint) and wait for the disk,
    # 0.1-0.4 s. Written whole to a temporary file and renamed over the old one (a
    # reader sees the old output or the new, never a part); a header with the input's
    # key, the length and a CRC-32 turns a damaged file into a miss.
    def last_stage(self) -> tuple[str, bytes] | None:
        """The stage's last output for these settings and the key of its input (a digest
        of every file's fingerprints), or None (none stored, or a damaged file)."""
        try:
            data = _stage_file(self.directory, self.settings).read_bytes()
        except OSError:
            return None
        head, _, payload = data.partition(b"\n")
        fields = head.split(b" ")
        if len(fields) != 4:
            return None
        key = fields[1].decode("ascii", "replace")
        return (key, payload) if head == _stage_header(key, payload) else None

    def store_stage(self, key: str, payload: bytes) -> None:
        path = _stage_file(self.directory, self.settings)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            with open(tmp, "wb") as fh:
                fh.write(_stage_header(key, payload) + b"\n")
                fh.write(payload)
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)

    def after(self, wait: Callable[[], object]) -> None:
        """Call ``wait`` (a background writer's, see :func:`checker.spread.background`)
        before the cache is closed: the run's writes are done when it returns. The cache
        keeps it (and the data the writer read) until the cache itself is freed."""
        self._pending.append(wait)

    def close(self) -> None:
        try:
            while self._pending:
                wait = self._pending.pop(0)
                self._waited.append(wait)  # not freed here: see after()
                wait()
        finally:
            self._conn.close()


def _stage_file(directory: Path, settings: str) -> Path:
    return directory / f"stage-{settings}.bin"


def _stage_header(key: str, payload: bytes) -> bytes:
    return f"draftlint-stage {key} {len(payload)} {zlib.crc32(payload):08x}".encode()


def _today() -> int:
    return int(time.time() // 86400)


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        # a new file only (a page size is fixed once the file is written): a row holds a
        # result of a few KB (a draft's fingerprints, its diagnostics), one a page at
        # 4 KB; at 16 KB, writing 10,000 of them takes half the time (0.19 -> 0.08 s)
        conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        if conn.execute("PRAGMA journal_mode = WAL").fetchone()[0].lower() != "wal":
            raise sqlite3.DatabaseError("cannot switch the cache to WAL mode")
        conn.execute("PRAGMA synchronous = NORMAL")
        if conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
            conn.execute("BEGIN IMMEDIATE")
            if conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
                for table in ("results", "stages", "settings"):
                    conn.execute(f"DROP TABLE IF EXISTS {table}")
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
        conn.execute("SELECT count(*) FROM settings").fetchone()  # fails early if corrupt
    except BaseException:
        conn.close()
        raise
    return conn


def remove(directory: Path) -> bool:
    """``draftlint clean``: delete the cache directory if it is draftlint's (has the
    marker); otherwise delete only draftlint's database files. True if anything went."""
    import shutil

    if not directory.is_dir():
        return False
    if (directory / MARKER).is_file():
        shutil.rmtree(directory)
        return True
    gone = False
    for path in [*directory.glob(DB_NAME + "*"), *directory.glob("stage-*.bin")]:
        path.unlink()
        gone = True
    return gone


def open_cache(config: Config, rules: Sequence[Rule], known: Iterable[Rule],
               directory: Path) -> tuple[ResultCache | None, str | None]:
    """The cache for this run, or (None, why) when it cannot be used (read-only
    checkout, a locked or unwritable database): the run goes on without it."""
    try:
        return ResultCache.open(directory, settings_key(config, rules, known)), None
    except (OSError, sqlite3.Error) as exc:
        return None, f"result cache disabled ({directory}: {exc})"
