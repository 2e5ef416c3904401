"""The SQLite fingerprint index (checker.printstore): the same answers as the in-memory
index, refreshed incrementally, safe to read back."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from checker.dedup import MemoryIndex, Settings, find_copies, fingerprint
from checker.printstore import StoredIndex, refresh
from tests.dedupkit import FILLER_A, FILLER_B, FILLER_C, LEDGER, OPENING_B, STAIRS, draft

SETTINGS = Settings()
TEXTS = {"a.txt": draft(FILLER_A, "群众工作方面。" + STAIRS + "，居民多次反映。"),
         "b.txt": draft("为民服务方面，有的事情办得不够细。比如" + STAIRS + "，教训深刻。",
                        FILLER_B, opening=OPENING_B),
         "c.txt": draft(FILLER_C, LEDGER),
         "d/e.txt": draft(LEDGER + "。", FILLER_B)}


def stored(tmp_path: Path) -> StoredIndex:
    conn = sqlite3.connect(tmp_path / "db.sqlite", isolation_level=None)
    return StoredIndex(conn, SETTINGS.key(), lambda draft: draft)


def repo(tmp_path: Path) -> list[tuple[str, Path]]:
    out = []
    for name, text in TEXTS.items():
        path = tmp_path / "repo" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        out.append((name, path))
    return out


def make(path: Path) -> object:
    return fingerprint(path.read_text(encoding="utf-8"), SETTINGS)


def test_stored_index_answers_as_the_memory_index(tmp_path: Path) -> None:
    prints = {name: fingerprint(text, SETTINGS) for name, text in TEXTS.items()}
    memory = MemoryIndex(prints)
    index = stored(tmp_path)
    refresh(index, repo(tmp_path), prints, make)
    hashes = {h for p in prints.values() for h in p.hashes}
    assert index.draft_count() == memory.draft_count() == 4
    assert index.document_frequency(hashes) == memory.document_frequency(hashes)
    assert sorted(index.lookup(hashes)) == sorted(memory.lookup(hashes))
    for target in ("b.txt", "d/e.txt"):
        assert find_copies(target, prints[target], index, SETTINGS) == \
            find_copies(target, prints[target], memory, SETTINGS) != []
    bulk = StoredIndex(sqlite3.connect(tmp_path / "bulk.sqlite", isolation_level=None),
                       SETTINGS.key(), lambda draft: draft)
    bulk.replace([(name, (1, 1), p) for name, p in prints.items()], bulk=True)
    assert sorted(bulk.lookup(hashes)) == sorted(memory.lookup(hashes))
    assert bulk.document_frequency(hashes) == memory.document_frequency(hashes)
    names = {r[0] for r in bulk._conn.execute("SELECT name FROM sqlite_master")}
    assert {"postings_by_hash", "postings_by_draft"} <= names


def test_refresh_fingerprints_only_what_changed_and_drops_what_went(tmp_path: Path) -> None:
    files = repo(tmp_path)
    index = stored(tmp_path)
    made: list[str] = []

    def counting(path: Path) -> object:
        made.append(path.name)
        return make(path)

    refresh(index, files, {}, counting)
    assert sorted(made) == ["a.txt", "b.txt", "c.txt", "e.txt"]
    made.clear()
    refresh(index, files, {}, counting)
    assert made == []  # nothing changed: nothing read
    e = fingerprint(TEXTS["d/e.txt"], SETTINGS)
    assert "c.txt" in {c.other for c in find_copies("d/e.txt", e, index, SETTINGS)}
    (tmp_path / "repo" / "c.txt").write_text(FILLER_C, encoding="utf-8")
    os.utime(tmp_path / "repo" / "c.txt", ns=(1, 1))
    refresh(index, files[:3], {}, counting)  # d/e.txt is gone from the repo
    assert made == ["c.txt"]
    assert sorted(index.known()) == ["a.txt", "b.txt", "c.txt"]
    assert "c.txt" not in {c.other for c in find_copies("d/e.txt", e, index, SETTINGS)}
    # the document frequencies followed the change and the drop, hash by hash
    now = {name: make(path) for name, path in files[:3]}
    hashes = {h for p in (*now.values(), e) for h in p.hashes}
    assert index.document_frequency(hashes) == MemoryIndex(now).document_frequency(hashes)


def test_damaged_rows_match_nothing(tmp_path: Path) -> None:
    prints = {name: fingerprint(text, SETTINGS) for name, text in TEXTS.items()}
    index = stored(tmp_path)
    refresh(index, repo(tmp_path), prints, make)
    conn = sqlite3.connect(tmp_path / "db.sqlite")
    with conn:
        conn.execute("UPDATE postings SET line = 'garbage', start = x'00'")
    conn.close()
    assert index.lookup({h for p in prints.values() for h in p.hashes}) == []
    assert find_copies("b.txt", prints["b.txt"], index, SETTINGS) == []
