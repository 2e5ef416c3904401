"""The result cache: ONE SQLite database, ``results.sqlite``, safe to load.

It lives in the cache directory (``cache-dir``, default ``.draftlint_cache/`` at the
configuration root), created with a ``.gitignore`` of ``*`` (as Ruff's) and a
``CACHEDIR.TAG``. A cache directory that git tracks is not trusted: it could come from
anyone's commit, so the run goes on without it and says so on stderr.

Table ``results`` holds one row per (settings, file): the file's ``stat`` fields, the
BLAKE2 hash of its bytes and its :class:`~checker.model.FileResult` as JSON with a hash of
that JSON; table ``kept`` holds the bytes a result carries (a draft's fingerprints, see
:class:`~checker.model.Stored`) beside its row, read only when the cross-document stage
needs them. The *settings* key hashes the draftlint version, the code and shipped packs on
disk, the resolved configuration and the selected rules: any change to those starts a
fresh set of rows; rows of settings unused for 30 days are pruned.

Nothing read from the database is code: rows are plain columns and JSON, checked for
shape on the way in. A row whose JSON does not load, has the wrong shape or does not
match its hash is a miss (the file is checked again and the row rewritten); a database
SQLite cannot read (truncated, overwritten, damaged pages) is moved aside and rebuilt.
Either way the run reports what the files hold: a damaged cache costs time, never
findings.

Validity, as Ruff and git do it: if the stat is unchanged the row is used without opening
the file; otherwise the file is read and hashed, and the row is still used if the hash
matches. A file modified within :data:`RACY_SECONDS` of being read gets no stat shortcut.
WAL journal, a busy timeout and one transaction per write make two runs at once and a
run killed mid-write safe.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from checker import __version__
from checker.config import Config
from checker.i18n import current_language
from checker.model import Diagnostic, Edit, FileResult, Related, Severity, Stored, digest
from checker.cachedir import MARKER, prepare_dir, tracked_by_git
from checker.packs import Rule, builtin_pack_dir

DB_NAME = "results.sqlite"
SCHEMA_VERSION = 8
RACY_SECONDS = 2.0
PRUNE_AFTER_DAYS = 30
BUSY_TIMEOUT_MS = 30_000
# Configuration keys that cannot change one file's result (they choose files or exit codes).
_NOT_IN_KEY = {"fail-on", "cache-dir", "exclude", "extend-exclude", "extensions"}
StatKey = tuple[int, int, int, int]


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
        "code": code_fingerprint(),
        "root": str(config.resolved_root),
        "config": values,
        "rules": [(r.code, r.name, r.kind, int(r.severity), r.message, r.formats,
                   dict(r.raw_options)) for r in rules],
        "known": sorted(r.code for r in known),
        "data": {key: [_file_digest(config.root / p) for p in config[key]]
                 for key in DATA_FILE_KEYS},
        "language": current_language(),  # messages and the checks' words are in it
    }
    blob = json.dumps(data, sort_keys=True, default=repr, ensure_ascii=False)
    return hashlib.blake2b(blob.encode(), digest_size=16).hexdigest()


# configuration keys naming data files whose contents decide results (rule packs are in the
# key through their rules; these are read by the kinds themselves)
DATA_FILE_KEYS = ("template-packs", "formulation-packs")


def _file_digest(path: Path) -> str:
    try:
        with open(path, "rb") as handle:
            return digest(handle.read(MAX_DATA_FILE))
    except OSError:
        return "unreadable"


MAX_DATA_FILE = 50_000_000


def stat_key(st: os.stat_result, now: float) -> StatKey | None:
    """The stat fields a row is valid for, or None when the file is too fresh to trust."""
    if now - st.st_mtime < RACY_SECONDS or now - st.st_ctime < RACY_SECONDS:
        return None
    return st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino


# -- rows as JSON -------------------------------------------------------------------
def encode(result: FileResult) -> tuple[str, dict[str, tuple[str, bytes]]]:
    """One file's result as JSON: its diagnostics without the path (a row is shown under
    the path of the run that reads it) and the extras, those that are bytes as their
    digest (``{"kept": digest}``); and those bytes with their digest, by rule code."""
    kept = {code: (digest(v), v) for code, v in result.extras.items() if isinstance(v, bytes)}
    extras = {code: {"kept": kept[code][0]} if code in kept else v
              for code, v in result.extras.items()}
    return json.dumps([[[d.line, d.column, d.end_line, d.end_column, d.code, d.rule,
                         int(d.severity), d.message, [list(r) for r in d.related],
                         [list(e) for e in d.fix], d.snippet] for d in result.diagnostics],
                       extras], ensure_ascii=False, separators=(",", ":")), kept


def decode(body: str, path: str, key: str) -> FileResult:
    """The result of :func:`encode`, shown under ``path`` (``key``: the file's row), with
    a :class:`Stored` for each extra kept as bytes. Raises (ValueError, TypeError,
    KeyError) on anything that is not what :func:`encode` writes."""
    rows, extras = json.loads(body)
    if not isinstance(rows, list) or not isinstance(extras, dict):
        raise ValueError("not a result")
    extras = {code: Stored(key, code, str(v["kept"])) if isinstance(v, dict) else v
              for code, v in extras.items()}
    diags = []
    for line, col, end_line, end_col, code, rule, sev, message, related, fix, snippet in rows:
        if not all(type(v) is int for v in (line, col, end_line, end_col)) or not all(
                type(v) is str for v in (code, rule, message, snippet)):
            raise ValueError("not a diagnostic")
        diags.append(Diagnostic(
            path, line, col, end_line, end_col, code, rule, Severity(sev), message,
            tuple(Related(str(m), int(ln), int(c), p if p is None else str(p))
                  for m, ln, c, p in related),
            tuple(Edit(int(a), int(b), str(r)) for a, b, r in fix), snippet))
    return FileResult(path, tuple(diags), extras)


def cacheable(result: FileResult) -> bool:
    """Unreadable files are not kept (a file that cannot be read may be readable next
    time; its bytes were not hashed). A rule failure or a timeout (E900) is kept like any
    other result: the same bytes and settings fail the same way, and checking them again
    on every run would cost the time limit each time."""
    return not any(d.code == "E001" for d in result.diagnostics)


def remove(directory: Path) -> bool:
    """``draftlint clean``: delete the cache directory if it is draftlint's (has the
    marker); otherwise delete only draftlint's database files. True if anything went."""
    if not directory.is_dir():
        return False
    if (directory / MARKER).is_file():
        shutil.rmtree(directory)
        return True
    gone = False
    for path in directory.glob(DB_NAME + "*"):
        path.unlink()
        gone = True
    return gone


# -- the database -------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Row:
    stat: StatKey | None
    digest: str
    body: str  # the result's JSON (see encode)
    # bytes to keep beside it, with their digest, by name (None: leave those kept)
    kept: Mapping[str, tuple[str, bytes]] | None = None


_SCHEMA = """
CREATE TABLE results (
    settings TEXT NOT NULL,
    path TEXT NOT NULL,
    mtime_ns INTEGER, ctime_ns INTEGER, size INTEGER, inode INTEGER,
    digest TEXT NOT NULL,
    body TEXT NOT NULL,
    checksum TEXT NOT NULL,
    PRIMARY KEY (settings, path)
) WITHOUT ROWID;
CREATE TABLE kept (
    settings TEXT NOT NULL,
    path TEXT NOT NULL,
    name TEXT NOT NULL,
    digest TEXT NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (settings, path, name)
);
CREATE TABLE settings (
    settings TEXT PRIMARY KEY,
    last_used INTEGER NOT NULL
) WITHOUT ROWID;
"""


def _checksum(settings: str, path: str, dig: str, body: str) -> str:
    data = "\0".join((settings, path, dig, body)).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _damaged(exc: sqlite3.Error) -> bool:
    """A database SQLite cannot read (not locked or unwritable: those pass)."""
    return isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError)


class ResultCache:
    """Rows of one settings key. Use :func:`open_cache`."""

    def __init__(self, directory: Path, settings: str) -> None:
        self.directory = directory
        self.path = directory / DB_NAME
        self.settings = settings
        self.warnings: list[str] = []
        try:
            self._conn = _connect(self.path)
        except sqlite3.Error as exc:
            if not _damaged(exc):
                raise
            self._conn = self._rebuild()

    def _rebuild(self) -> sqlite3.Connection:
        """Move a damaged database aside (``.broken``) and start an empty one."""
        for suffix in ("", "-wal", "-shm"):
            aside = Path(f"{self.path}{suffix}")
            if aside.exists():
                os.replace(aside, Path(f"{self.path}{suffix}.broken"))
        return _connect(self.path)

    def _recover(self, exc: sqlite3.Error, what: str) -> None:
        """After an error: rebuild a damaged database (a locked or unwritable one is left
        as it is); either way the run goes on, and says so."""
        if _damaged(exc):
            self._conn.close()
            self._conn = self._rebuild()
            self.warnings.append(f"result cache {self.path} was damaged ({exc}); rebuilt")
        else:
            self.warnings.append(f"result cache not {what} ({exc})")

    def lookup(self, keys: Sequence[str]) -> dict[str, Row]:
        """Rows for the given absolute paths whose checksum holds."""
        rows = self._select("SELECT path, mtime_ns, ctime_ns, size, inode, digest, body, "
                            "checksum FROM results WHERE settings = ?", " AND path = ?",
                            [(key,) for key in keys])
        out = {}
        for path, m, c, s, i, dig, body, checksum in rows:
            if (type(path) is str and type(dig) is str and type(body) is str
                    and checksum == _checksum(self.settings, path, dig, body)):
                stat = (m, c, s, i) if all(type(v) is int for v in (m, c, s, i)) else None
                out[path] = Row(stat, dig, body)
        return out

    def store(self, rows: Mapping[str, Row]) -> None:
        """Write rows and this settings key's last use in one transaction; prune settings
        unused for :data:`PRUNE_AFTER_DAYS`."""
        today = int(time.time() // 86400)
        try:
            with self._conn:
                self._conn.execute("BEGIN IMMEDIATE")
                self._conn.executemany(
                    "INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [(self.settings, key, *(row.stat or (None,) * 4), row.digest, row.body,
                      _checksum(self.settings, key, row.digest, row.body))
                     for key, row in rows.items()])
                self._conn.executemany(
                    "DELETE FROM kept WHERE settings = ? AND path = ?",
                    [(self.settings, key) for key, row in rows.items() if row.kept is not None])
                self._conn.executemany("INSERT INTO kept VALUES (?, ?, ?, ?, ?)", [
                    (self.settings, key, name, dig, data)
                    for key, row in rows.items() for name, (dig, data) in (row.kept or {}).items()])
                self._conn.execute("INSERT OR REPLACE INTO settings VALUES (?, ?)",
                                   (self.settings, today))
                for (old,) in self._conn.execute(
                        "SELECT settings FROM settings WHERE last_used < ?",
                        (today - PRUNE_AFTER_DAYS,)).fetchall():
                    self._conn.execute("DELETE FROM results WHERE settings = ?", (old,))
                    self._conn.execute("DELETE FROM kept WHERE settings = ?", (old,))
                    self._conn.execute("DELETE FROM settings WHERE settings = ?", (old,))
        except sqlite3.Error as exc:
            self._recover(exc, "updated")

    def read_kept(self, wanted: Sequence[Stored]) -> dict[Stored, bytes]:
        """The kept bytes of ``wanted`` whose digest holds (a missing or damaged one is
        left out: the caller makes it again)."""
        names = {(w.key, w.name): w for w in wanted}
        rows = self._select("SELECT path, name, digest, data FROM kept WHERE settings = ?",
                            " AND path = ? AND name = ?", list(names))
        out = {}
        for path, name, dig, data in rows:
            w = names.get((path, name))
            if w is not None and dig == w.digest and type(data) is bytes \
                    and digest(data) == dig:
                out[w] = data
        return out

    def _select(self, query: str, where: str, keys: Sequence[tuple]) -> list[tuple]:
        """The rows of ``query`` (of this settings key) for ``keys``: one query per key
        (``where`` with the key's values), or for many keys, every row of the settings key
        (the caller keeps those it asked for). A read that fails is no rows."""
        try:
            if len(keys) > 200:
                return self._conn.execute(query, (self.settings,)).fetchall()
            return [r for key in keys
                    for r in self._conn.execute(query + where, (self.settings, *key))]
        except sqlite3.Error as exc:
            self._recover(exc, "read")
            return []

    @property
    def connection(self) -> sqlite3.Connection:
        """The open database, for the fingerprint index of the cross-document stage."""
        return self._conn

    def close(self) -> None:
        self._conn.close()


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if conn.execute("PRAGMA journal_mode = WAL").fetchone()[0].lower() != "wal":
            raise sqlite3.DatabaseError("cannot switch the cache to WAL mode")
        conn.execute("PRAGMA synchronous = NORMAL")
        if conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
            conn.execute("BEGIN IMMEDIATE")
            if conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
                for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = "
                                             "'table'").fetchall():
                    conn.execute(f'DROP TABLE IF EXISTS "{table}"')
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
        conn.execute("SELECT count(*) FROM settings").fetchone()  # fails early if damaged
    except BaseException:
        conn.close()
        raise
    return conn


def open_cache(config: Config, rules: Sequence[Rule], known: Iterable[Rule],
               directory: Path) -> tuple[ResultCache | None, str | None]:
    """The cache for this run, or (None, why) when it cannot or must not be used (a
    directory git tracks, a read-only checkout, a locked database): the run goes on
    without it."""
    if tracked_by_git(directory):
        return None, (f"result cache not used: git tracks files in {directory}, so its "
                      f"content is not trusted (untrack it: git rm -r --cached {directory})")
    try:
        prepare_dir(directory)
        return ResultCache(directory, settings_key(config, rules, known)), None
    except (OSError, sqlite3.Error) as exc:
        return None, f"result cache disabled ({directory}: {exc})"


def load_row(row: Row, path: str, key: str) -> FileResult | None:
    """A row's result shown under ``path`` (``key``: its file), or None when it does not
    load."""
    try:
        return decode(row.body, path, key)
    except (ValueError, TypeError, KeyError, AttributeError):
        return None

