"""The library index's files and messages, without Spark (issue 22): a missing, foreign or
damaged index is a usage error (exit 2), never a traceback or a silent pass; the build's
rows and the audit's summary and errors, checked on plain data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.config import Config
from checker.dedup import Settings
from checker.library import layout
from checker.library.commands import d201_settings
from checker.packs import ConfigError
from dedupkit import FILLER_A, LEDGER, STAIRS

duckdb = pytest.importorskip("duckdb")

SETTINGS = d201_settings(Config(root=Path(".")))  # what D201 uses by default


def test_a_missing_or_incompatible_index_is_a_usage_error(tmp_path):
    from checker.library.lookup import LibraryIndex

    with pytest.raises(ConfigError, match="no library index here"):
        LibraryIndex(str(tmp_path), SETTINGS)
    (tmp_path / layout.MANIFEST).write_text('{"kind": "something else"}', encoding="utf-8")
    with pytest.raises(ConfigError, match="not a usable library index"):
        LibraryIndex(str(tmp_path), SETTINGS)
    manifest = layout.new_manifest(SETTINGS, drafts=1, fingerprints=1, buckets=1,
                                   generation=1, source="x")
    # an index of the second layout (buckets by hash mod B, no parts.json)
    assert layout.LAYOUT == 3
    (tmp_path / layout.MANIFEST).write_text(
        manifest.to_json().replace('"layout": 3', '"layout": 2'), encoding="utf-8")
    with pytest.raises(ConfigError, match="built with layout 2, fingerprint format 1; "
                                          "this draftlint reads layout 3"):
        LibraryIndex(str(tmp_path), SETTINGS)
    layout.write_manifest(str(tmp_path), manifest)
    with pytest.raises(ConfigError, match="other fingerprint settings"):
        LibraryIndex(str(tmp_path), Settings(k=9))
    with pytest.raises(ConfigError, match="has no gen-1/parts.json"):  # files deleted
        LibraryIndex(str(tmp_path), SETTINGS)


def test_the_summary_names_each_pair_once():
    from checker.library.commands import summary

    row = {"length": 60, "share": 0.95, "line": 3, "column": 4, "end_line": 3,
           "end_column": 70, "other_line": 5, "other_column": 1}
    rows = [{**row, "path": "a.txt", "other": "b.txt"}, {**row, "path": "b.txt", "other": "a.txt"},
            {**row, "path": "a.txt", "other": "c.txt", "line": 9},
            {**row, "path": "e.txt", "other": "d.txt"}]  # found from one side only
    assert summary(rows) == (
        "a.txt <-> b.txt: 1 copied passage\n"
        "    a.txt:3:4-3:70 = b.txt:5:1 (60 characters, 95% the same)\n"
        "a.txt <-> c.txt: 1 copied passage\n"
        "    a.txt:9:4-3:70 = c.txt:5:1 (60 characters, 95% the same)\n"
        "e.txt <-> d.txt: 1 copied passage\n"
        "    e.txt:3:4-3:70 = d.txt:5:1 (60 characters, 95% the same)\n"
        "3 copied passages between 3 pairs of drafts (5 drafts involved)\n")


def test_the_build_rows_place_each_fingerprint_as_the_embedded_path_does():
    """The line and column the build gives each fingerprint (one searchsorted a draft)
    are DraftPrint.position's, for a .docx too, whose lines are its paragraphs' numbers
    (empty paragraphs left out of the text)."""
    from docxkit import docx_bytes

    from checker.dedup import fingerprint
    from checker.library import spark_jobs
    from checker.readers import read_bytes

    data = docx_bytes(["", STAIRS + "。\n" + LEDGER + "。", "", FILLER_A])
    doc = read_bytes(data, "a.docx", "docx").document
    assert doc is not None and list(doc.source_map) != list(range(1, len(doc.source_map) + 1))
    print_ = fingerprint(doc.text, SETTINGS, doc.source_map)
    (row,) = spark_jobs.fingerprint_rows([("file:/lib/a.docx", data, "0" * 64)], "file:/lib",
                                         SETTINGS)
    assert row[1] == "a.docx" and len(row[8]) == len(print_.hashes) > 10
    assert list(zip(row[12].tolist(), row[13].tolist())) == [
        (p.line, p.column) for p in print_.postings("a.docx")]


def test_the_cause_of_a_spark_failure_is_its_most_telling_line():
    from checker.library.commands import _cause

    python = ("An exception was thrown from the Python worker:\nTraceback (most recent call "
              "last):\n  File \"x.py\", line 1, in f\n    import checker\nModuleNotFoundError: "
              "No module named 'checker'\n\n\tat org.apache.spark.X.y(X.scala:1)\n")
    assert _cause(python) == "ModuleNotFoundError: No module named 'checker'"
    task = ("An error occurred while calling o1.parquet.\n: org.apache.spark.SparkException: "
            "Job aborted due to stage failure: Task 0 in stage 0.0 failed 1 times, most recent "
            "failure: Lost task 0.0 in stage 0.0 (TID 0) (localhost executor driver): "
            "java.io.IOException: No space left on device\n\tat a.b(C.java:1)\nCaused by: "
            "java.io.IOException: other\n")
    assert _cause(task) == "java.io.IOException: No space left on device"
    assert _cause("py4j failed\nCaused by: java.lang.A: a\nCaused by: java.lang.B: b") == \
        "java.lang.B: b"
    stopped = ("An error occurred while calling o178.javaToPython.\n: org.apache.spark."
               "SparkException: Job 12 cancelled because SparkContext was shut down\n\tat a.b(C"
               ".scala:1)\n")
    assert _cause(stopped) == ("org.apache.spark.SparkException: Job 12 cancelled because "
                               "SparkContext was shut down")
    assert _cause("") == "?"


@pytest.mark.parametrize("parts", [
    "{not json", "[]", '{"fingerprints": 3}', '{"fingerprints": [["a.parquet", 1]]}',
    '{"fingerprints": [["a.parquet", "1", 2]]}', '{"fingerprints": [["a.parquet", 5, 2]]}',
    '{"fingerprints": [["../../elsewhere.parquet", 1, 2]]}',
    '{"fingerprints": [["sub/a.parquet", 1, 2]]}', '{"fingerprints": [[null, 1, 2]]}',
    '{"fingerprints": [["a.parquet", 0, 100], ["b.parquet", 50, 150]]}',  # overlapping
    "[" * 100_000 + "]" * 100_000,  # nested past Python's recursion limit
])
def test_a_damaged_list_of_files_is_a_usage_error(tmp_path, parts):
    from checker.library.lookup import LibraryIndex

    layout.write_manifest(str(tmp_path), layout.new_manifest(
        SETTINGS, drafts=1, fingerprints=1, buckets=1, generation=1, source="x"))
    (tmp_path / "gen-1").mkdir()
    (tmp_path / "gen-1" / layout.PARTS).write_text(parts, encoding="utf-8")
    with pytest.raises(ConfigError, match="parts.json: not a usable library index"):
        LibraryIndex(str(tmp_path), SETTINGS)


def test_the_list_of_files_is_read_in_key_order(tmp_path):
    rows = {"fingerprints": [["b.parquet", 10, 19], ["a.parquet", 0, 9]], "drafts": []}
    (tmp_path / layout.PARTS).write_text(json.dumps(rows), encoding="utf-8")
    assert layout.read_parts(str(tmp_path)) == {
        "fingerprints": [("a.parquet", 0, 9), ("b.parquet", 10, 19)], "drafts": []}
