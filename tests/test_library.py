"""The library index (issue 22): the real Spark job in local mode builds and audits a small
library, and the results equal the embedded path's (checker.dedup over a MemoryIndex) on the
same drafts; DuckDB lookups answer as the MemoryIndex does."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from checker.config import Config
from checker.dedup import MemoryIndex, find_copies, fingerprint
from checker.library import layout
from checker.library.commands import d201_settings
from checker.readers import read_path
from dedupkit import FILLER_A, FILLER_B, FILLER_C, LEDGER, OPENING_B, STAIRS, STOCK, VISITS, \
    draft, near  # noqa: F401

pyspark = pytest.importorskip("pyspark")
duckdb = pytest.importorskip("duckdb")
if shutil.which("java") is None:  # pragma: no cover - CI and the workspace have Java 17
    pytest.skip("Spark needs Java", allow_module_level=True)

SETTINGS = d201_settings(Config(root=Path(".")))  # what D201 uses by default
# a folder of drafts (e.g. 10,000 of bench/make_corpus.py): the equality test below runs on
# it; too slow for the suite (about 10 minutes on 2 cores), so it is skipped unless set
EQUALITY_CORPUS = os.environ.get("DRAFTLINT_LIBRARY_EQUALITY_CORPUS")

LIBRARY = {
    # (甲 repeats its ledger sentence: a fingerprint twice in one draft counts once)
    "2023/甲-对照检查材料.txt": draft(STAIRS + "。" + FILLER_A, LEDGER + "。", STOCK,
                                  LEDGER + "。"),
    "2023/乙-发言提纲.md": draft(FILLER_B + near(STAIRS) + "。", STOCK, opening=OPENING_B),
    "2024/丙-剖析材料.txt": draft(FILLER_C, VISITS + "。" + LEDGER + "。"),
    "2024/丁.txt": draft(FILLER_A + STOCK, FILLER_B),
    "2024/戊-无关.txt": draft("这份材料只谈本单位的档案数字化进度，与其他材料没有相同的段落。"),
    "notes/坏文件.txt": "",  # empty: an E diagnostic in a check, no fingerprints here
}


def write_library(root: Path, drafts: dict[str, str]) -> None:
    for rel, text in drafts.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def embedded(root: Path) -> tuple[MemoryIndex, dict[str, str]]:
    """What the embedded path makes of the drafts under ``root``: the same reader, the same
    fingerprint function, an in-memory index."""
    index, texts = MemoryIndex(), {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        doc = read_path(path, rel, 10_000_000).document
        if doc is None:
            continue
        texts[rel] = doc.text
        index.add(rel, fingerprint(doc.text, SETTINGS, doc.source_map or ()))
    return index, texts


def embedded_audit(index: MemoryIndex, texts: dict[str, str], settings=SETTINGS) -> list[dict]:
    rows = [{"path": rel, **c._asdict()} for rel, print_ in index.prints().items()
            for c in find_copies(rel, print_, index, settings, texts.get)]
    return sorted(rows, key=lambda r: (r["path"], r["start"], r["other"]))


def index_rows(index: str) -> set[tuple]:
    manifest = layout.read_manifest(index)
    data = os.path.join(index, manifest.data)
    return set(duckdb.sql(
        f"SELECT p.hash, d.path, p.pos, p.start, p.\"end\", p.line, p.\"column\" "
        f"FROM read_parquet('{data}/fingerprints/*.parquet') p "
        f"JOIN read_parquet('{data}/drafts/*.parquet') d USING (draft_id)").fetchall())


def memory_rows(index: MemoryIndex) -> set[tuple]:
    return {tuple(p) for rel, pr in index.prints().items() for p in pr.postings(rel)}


@pytest.fixture(scope="module")
def spark_jobs():
    from checker.library import spark_jobs

    spark = spark_jobs.session("local[2]", "draftlint tests")
    yield spark_jobs
    spark.stop()


@pytest.fixture(scope="module")
def built(tmp_path_factory, spark_jobs):
    root = tmp_path_factory.mktemp("library")
    write_library(root / "src", LIBRARY)
    index = str(root / "index")
    manifest = spark_jobs.build(str(root / "src"), index, SETTINGS, master="local[2]",
                                buckets=4)
    return root, index, manifest


def test_the_index_holds_the_embedded_fingerprints(built):
    root, index, manifest = built
    memory, _ = embedded(root / "src")
    assert manifest.drafts == memory.draft_count() == 5  # the empty file is no draft
    assert manifest.fingerprints == len(memory_rows(memory))
    assert index_rows(index) == memory_rows(memory)
    parts = layout.read_parts(os.path.join(index, manifest.data))  # a key range a file
    assert (len(parts["fingerprints"]), len(parts["drafts"])) == (4, 1)
    for table, files in parts.items():
        keys = [[k for (k,) in duckdb.sql(f"SELECT {layout.TABLES[table]} FROM read_parquet("
                                          f"'{index}/{manifest.data}/{table}/{name}')").fetchall()]
                for name, _, _ in files]
        assert [(k[0], k[-1]) for k in keys] == [(lo, hi) for _, lo, hi in files]
        assert sum(keys, []) == sorted(sum(keys, []))
        assert all(a[2] < b[1] for a, b in zip(files, files[1:]))  # the ranges do not meet


def test_the_audit_equals_the_embedded_matching(built, spark_jobs):
    root, index, _ = built
    memory, texts = embedded(root / "src")
    expected = embedded_audit(memory, texts)
    found = spark_jobs.audit(index, master="local[2]")
    assert found == expected
    pairs = {(r["path"], r["other"]) for r in found}
    # the ledger passage, copied verbatim, from both sides
    assert pairs >= {("2023/甲-对照检查材料.txt", "2024/丙-剖析材料.txt"),
                     ("2024/丙-剖析材料.txt", "2023/甲-对照检查材料.txt")}


# a pair of drafts sharing a passage that is mostly stock text (STOCKED: in four drafts)
# between two short sentences only the pair holds
STOCKED = STOCK + "全面贯彻落实党的二十大精神，推动全面从严治党向纵深发展，以实际行动践行初心使命。"
PAIR_OPEN, PAIR_CLOSE = "今年二月支部党员大会通报了整改台账里的七项问题，", "这一点在年底述职时已向党委作了专门说明。"
MOSTLY_STOCK = {
    "甲.txt": draft(FILLER_A, PAIR_OPEN + STOCKED + PAIR_CLOSE),
    "乙.txt": draft(FILLER_C, PAIR_OPEN + STOCKED + PAIR_CLOSE, opening=OPENING_B),
    "丙.txt": draft(FILLER_B + STOCKED),
    "丁.txt": draft(VISITS + "。" + STOCKED),
}


def test_the_audit_discounts_stock_text_as_the_embedded_matching_does(tmp_path, spark_jobs):
    """With a stock limit of two drafts the passage 甲 and 乙 share is mostly stock text and
    no copy, in the Spark audit as in the embedded path (the audit once knew only the rare
    hashes' frequencies, took the others for rare, and kept it)."""
    write_library(tmp_path / "src", MOSTLY_STOCK)
    # a gap as long as STOCKED and a low share: the two sentences chain across it into one
    # passage, which only the stock fingerprints' frequencies tell apart from a copy
    tight = dataclasses.replace(SETTINGS, max_drafts=2, max_draft_share=0.0, max_gap=120,
                                min_share=0.2)
    index = str(tmp_path / "index")
    spark_jobs.build(str(tmp_path / "src"), index, tight, master="local[2]", buckets=2)
    memory, texts = embedded(tmp_path / "src")
    expected = embedded_audit(memory, texts, tight)
    pair = {"甲.txt", "乙.txt"}
    loose = dataclasses.replace(tight, max_drafts=20)
    assert any({r["path"], r["other"]} == pair for r in embedded_audit(memory, texts, loose))
    assert not any({r["path"], r["other"]} == pair for r in expected)
    assert spark_jobs.audit(index, master="local[2]") == expected


def test_an_update_equals_a_fresh_build(tmp_path, built, spark_jobs):
    _, index, _ = built
    updated = tmp_path / "index"
    shutil.copytree(index, updated)
    src = tmp_path / "src"
    changed = dict(LIBRARY)
    changed["2024/丁.txt"] = draft(FILLER_C + VISITS + "。")  # changed: now copies 丙
    del changed["2024/戊-无关.txt"]  # removed
    changed["2025/己.txt"] = draft(LEDGER + "，" + FILLER_B, FILLER_B)  # added (repeats)
    write_library(src, changed)
    manifest = spark_jobs.build(str(src), str(updated), SETTINGS, master="local[2]")
    assert manifest.generation == 2 and manifest.drafts == 5
    assert not (updated / "gen-1").exists()  # the old generation is gone
    memory, texts = embedded(src)
    assert index_rows(str(updated)) == memory_rows(memory)
    assert spark_jobs.audit(str(updated), master="local[2]") == embedded_audit(memory, texts)
    from checker.library.lookup import LibraryIndex

    hashes = sorted({h for p in memory.prints().values() for h in p.hashes})
    assert LibraryIndex(str(updated), SETTINGS).document_frequency(hashes) == \
        memory.document_frequency(hashes)  # kept and new drafts each count a hash once


def test_duckdb_answers_as_the_memory_index(built):
    from checker.library.lookup import LibraryIndex, draft_key

    root, index, _ = built
    memory, texts = embedded(root / "src")
    library = LibraryIndex(index, SETTINGS)
    target = "2023/甲-对照检查材料.txt"
    print_ = memory.prints()[target]
    hashes = list(print_.hashes)
    found = library.lookup(hashes)
    paths = library.paths(p.draft for p in found)
    assert sorted(p._replace(draft=paths[p.draft]) for p in found) == sorted(memory.lookup(hashes))
    assert library.document_frequency(hashes) == memory.document_frequency(hashes)
    assert library.draft_count() == memory.draft_count()
    assert library.text(draft_key("2024/丙-剖析材料.txt")) == texts["2024/丙-剖析材料.txt"]
    got = library.copies(target, print_, SETTINGS,
                         lambda p: texts[target] if p == target else library.text(p))
    assert got == find_copies(target, print_, memory, SETTINGS, texts.get)
    others = {c.other for c in got}  # the library's own copy of the target is left out
    assert "2024/丙-剖析材料.txt" in others and target not in others


def test_only_the_drafts_of_the_copies_found_are_named(built):
    """A posting names its library draft by its number; paths are read for the drafts of
    the copies found only (at 100,000 drafts one draft's rare hashes are in thousands)."""
    from checker.library.lookup import KEY, LibraryIndex

    _, index, _ = built
    library = LibraryIndex(index, SETTINGS)
    # a passage of 丙, and a clause of 甲's and 丁's too short to be a copy
    text = draft(FILLER_A[:24] + "，这一条别的材料都没有写到。", VISITS + "。",
                 opening="本人把近期工作中的不足逐条写在下面，供大家批评。")
    print_ = fingerprint(text, SETTINGS)
    holders = {p.draft for p in library.lookup(print_.hashes)}
    named, read = [], library._read
    assert all(d.startswith(KEY) for d in holders)

    def counted(select, table, keys):  # the draft numbers whose paths are read
        named.extend(keys if "path" in select else ())
        return read(select, table, keys)

    library._read = counted
    got = library.copies("new.txt", print_, SETTINGS,
                         lambda p: text if p == "new.txt" else library.text(p))
    assert [c.other for c in got] == ["2024/丙-剖析材料.txt"]
    assert len(named) == 1 < len(holders) == 3


def draftlint(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("draftlint")
    return subprocess.run([str(exe), *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600)


def test_the_cli_builds_and_audits(tmp_path, built, capsys, monkeypatch):
    """``draftlint library build|audit`` through checker.cli.main, in this process: the
    Spark session the module started is reused (a new JVM per command costs 10-20 s)."""
    from checker.cli import main

    root, _, _ = built
    monkeypatch.chdir(tmp_path)
    assert main(["library", "build", str(root / "src"), "--out", "idx", "--buckets", "2",
                 "--master", "local[2]"]) == 0
    assert capsys.readouterr().out == "idx: 5 drafts, %d fingerprints (generation 1)\n" % \
        layout.read_manifest(str(tmp_path / "idx")).fingerprints
    # the index is where the command was run (not where Spark's JVM happened to start)
    assert len(layout.read_parts(str(tmp_path / "idx" / "gen-1"))["fingerprints"]) == 2
    assert main(["library", "audit", "idx", "--format", "json", "--master", "local[2]"]) == 1
    memory, texts = embedded(root / "src")
    assert json.loads(capsys.readouterr().out) == embedded_audit(memory, texts)


def test_the_installed_command_builds_whatever_python3_is_on_path(tmp_path):
    """Spark's local workers run the command's own Python (its numpy, pyarrow and
    draftlint), not the first python3 on PATH: here /usr/bin's, which has none of them."""
    write_library(tmp_path / "src", {k: LIBRARY[k] for k in sorted(LIBRARY)[:2]})
    env = {**os.environ, "PATH": "/usr/bin:/bin"}
    env.pop("PYSPARK_PYTHON", None)
    exe = Path(sys.executable).with_name("draftlint")
    done = subprocess.run([str(exe), "library", "build", "src", "--out", "idx", "--master",
                           "local[1]", "--buckets", "2"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=600, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    assert layout.read_manifest(str(tmp_path / "idx")).drafts == 2


def test_a_failed_spark_job_is_one_line_and_exit_2(tmp_path):
    """A job that fails in Spark (here its workers' Python cannot start) ends with exit 2
    and one line saying why, not a Python traceback."""
    write_library(tmp_path / "src", {k: LIBRARY[k] for k in sorted(LIBRARY)[:2]})
    env = {**os.environ, "PYSPARK_PYTHON": str(tmp_path / "no-such-python")}
    exe = Path(sys.executable).with_name("draftlint")
    done = subprocess.run([str(exe), "library", "build", "src", "--out", "idx", "--master",
                           "local[1]"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=600, env=env)
    last = done.stderr.strip().splitlines()[-1]
    assert done.returncode == 2, done.stderr[-2000:]
    assert last.startswith("draftlint") and "Cannot run program" in last \
        and "no-such-python" in last, last
    assert "Traceback (most recent call last)" not in done.stderr
    assert "\tat " not in done.stderr and " ERROR " not in done.stderr  # Spark's log is off


def test_the_cli_refuses_a_missing_index_and_source(tmp_path):
    missing = draftlint("library", "audit", "nowhere", cwd=tmp_path)
    assert missing.returncode == 2
    assert "nowhere: no library index here" in missing.stderr
    source = draftlint("library", "build", "nosuch", "--out", "idx", cwd=tmp_path)
    assert source.returncode == 2 and "nosuch: no such directory" in source.stderr
    assert "Traceback" not in missing.stderr + source.stderr


def test_check_reports_a_passage_found_in_the_library(tmp_path, built):
    """``draftlint check --library``: the installed CLI, DuckDB only (no Spark in the
    check); the library's copy of the checked draft itself is left out."""
    _, index, _ = built
    repo = tmp_path / "repo"
    lead = "财务报销流程上，我对下属科室的票据审核抽查频次偏低，发现问题后跟踪整改不够持续。"
    mine = draft(lead + LEDGER + "。", opening="本人结合近期分管的几项工作，把问题摆出来如下。")
    write_library(repo, {"new.txt": mine, "2024/丁.txt": LIBRARY["2024/丁.txt"]})
    out = draftlint("check", "--no-cache", "--select", "D201", "--format", "json",
                    "--library", index, "new.txt", "2024/丁.txt", cwd=repo)
    assert out.returncode == 1, out.stderr
    found = json.loads(out.stdout)
    column = len("（一）" + lead) + 1
    new = [d for d in found if d["path"] == "new.txt"]
    assert [(d["code"], d["line"], d["column"], d["end_line"], d["end_column"]) for d in new] \
        == [("D201", 3, column, 3, column + len(LEDGER))]
    assert os.path.join(index, "2023/甲-对照检查材料.txt") in new[0]["message"]
    # 丁 shares its opening and a paragraph with other library drafts, never with its own
    # published copy
    own = [d for d in found if d["path"] == "2024/丁.txt"]
    assert own and not any("丁.txt" in d["message"] for d in own)


def test_check_refuses_a_library_it_cannot_use(tmp_path, built):
    _, index, _ = built
    (tmp_path / "a.txt").write_text(draft(FILLER_A), encoding="utf-8")
    missing = draftlint("check", "--library", "nowhere", "a.txt", cwd=tmp_path)
    assert missing.returncode == 2 and "nowhere: no library index here" in missing.stderr
    unselected = draftlint("check", "--select", "P", "--library", index, "a.txt", cwd=tmp_path)
    assert unselected.returncode == 2 and "D201, which is not selected" in unselected.stderr
    other = tmp_path / ".draftlint.yaml"
    other.write_text("rules:\n  D201: {options: {extra-terms: [政治理论学习]}}\n", encoding="utf-8")
    moved = draftlint("check", "--library", index, "a.txt", cwd=tmp_path)
    assert moved.returncode == 2 and "other fingerprint settings" in moved.stderr
    other.unlink()
    old = tmp_path / "old-index"  # an index of the previous layout: rebuild, never a pass
    old.mkdir()
    (old / layout.MANIFEST).write_text(Path(index, layout.MANIFEST).read_text(
        encoding="utf-8").replace('"layout": 3', '"layout": 2'), encoding="utf-8")
    stale = draftlint("check", "--library", "old-index", "a.txt", cwd=tmp_path)
    assert stale.returncode == 2, stale.stderr
    assert "old-index/manifest.json: the index was built with layout 2" in stale.stderr
    assert "rebuild it with 'draftlint library build'" in stale.stderr
    assert "Traceback" not in stale.stderr


def differing_rows(index: str, memory: MemoryIndex) -> tuple[int, int]:
    """(rows only in the index, rows only in the memory index), compared in DuckDB: the
    fingerprints of a large library do not fit in a Python set."""
    import pyarrow as pa

    columns: dict[str, list] = {c: [] for c in ("hash", "path", "pos", "start", "end",
                                                "line", "column")}
    for rel, print_ in memory.prints().items():
        for posting in print_.postings(rel):
            for name, value in zip(columns, posting):
                columns[name].append(value)
    db = duckdb.connect()
    db.register("memory", pa.table(columns))
    data = os.path.join(index, layout.read_manifest(index).data)
    db.execute(f"CREATE VIEW library AS SELECT p.hash, d.path, p.pos, p.start, p.\"end\", "
               f"p.line, p.\"column\" FROM read_parquet('{data}/fingerprints/*.parquet') p "
               f"JOIN read_parquet('{data}/drafts/*.parquet') d USING (draft_id)")
    extra = db.execute("SELECT count(*) FROM (FROM library EXCEPT ALL FROM memory)").fetchone()
    missing = db.execute("SELECT count(*) FROM (FROM memory EXCEPT ALL FROM library)").fetchone()
    return extra[0], missing[0]


@pytest.mark.skipif(not EQUALITY_CORPUS, reason="DRAFTLINT_LIBRARY_EQUALITY_CORPUS names no "
                    "folder of drafts (see bench/README.md)")
def test_a_large_library_equals_the_embedded_path(tmp_path, spark_jobs):
    """Spark's index and audit of every draft under DRAFTLINT_LIBRARY_EQUALITY_CORPUS equal,
    row for row and passage for passage, what the embedded path finds (the same reader,
    fingerprints and matcher over a MemoryIndex); DuckDB's lookups of some of the drafts
    find the passages the memory index finds."""
    from checker.library.lookup import LibraryIndex

    source, index = Path(str(EQUALITY_CORPUS)), str(tmp_path / "index")
    manifest = spark_jobs.build(str(source), index, SETTINGS, master="local[2]")
    memory, texts = embedded(source)
    assert manifest.drafts == memory.draft_count() > 0
    assert differing_rows(index, memory) == (0, 0)
    expected = embedded_audit(memory, texts)
    found = spark_jobs.audit(index, master="local[2]")
    print(f"{manifest.drafts} drafts, {manifest.fingerprints} fingerprints, "
          f"{len(found)} passages found by the audit, {len(expected)} by the embedded path")
    assert found == expected
    library = LibraryIndex(index, SETTINGS)
    for rel in sorted(texts)[::max(1, len(texts) // 20)]:
        print_ = memory.prints()[rel]
        mine = lambda p, rel=rel: texts[rel] if p == rel else library.text(p)  # noqa: E731
        assert library.copies(rel, print_, SETTINGS, mine) == \
            find_copies(rel, print_, memory, SETTINGS, texts.get), rel
    library.close()
