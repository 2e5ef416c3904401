"""The passage benchmark's scoring (bench/bench_passages.py) and the planted passages of
bench/make_corpus.py: the truth comes from the manifest, and every reported pair is
checked against the two drafts' text. Timings are never asserted."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

from conftest import ROOT, run_cli

spec = importlib.util.spec_from_file_location("bench_passages", ROOT / "bench" / "bench_passages.py")
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)

PASSAGE = ("在推进老旧小区改造中，我牵头协调的加装电梯项目因前期入户调查不细，三个单元的"
           "居民意见没有统一就仓促开工，导致工程停滞两个多月")
OTHER = ("聚焦群众反映强烈的突出问题，建立问题清单和责任清单，逐项明确整改时限，整改一项销号一项，"
         "确保件件有着落、事事有回音，以整改实效取信于民。")


def test_recall_and_false_pairs_are_scored_from_the_manifest(tmp_path: Path) -> None:
    corpus = tmp_path / "c3"
    corpus.mkdir()
    (corpus / "a.txt").write_text(f"标题甲\n今年以来工作有进步。{PASSAGE}。\n", encoding="utf-8")
    (corpus / "b.txt").write_text(f"标题乙\n\n比如{PASSAGE}，教训深刻。\n", encoding="utf-8")
    (corpus / "c.txt").write_text(f"标题丙\n{OTHER}\n", encoding="utf-8")
    rows = [{"file": "a.txt", "boilerplate": [], "passages": [
                {"passage": 0, "role": "source", "kind": "verbatim", "length": len(PASSAGE),
                 "line": 2, "col": 11}]},
            {"file": "b.txt", "boilerplate": [], "passages": [
                {"passage": 0, "role": "copy", "kind": "verbatim", "length": len(PASSAGE),
                 "line": 3, "col": 3}]},
            {"file": "c.txt", "boilerplate": []}]
    (tmp_path / "c3.manifest.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows),
                                                encoding="utf-8")
    want, planted = bench.truth(tmp_path / "c3.manifest.jsonl", 50)
    assert want == {frozenset(("a.txt", "b.txt")): "verbatim"}
    proc = run_cli("check", "-q", "--no-cache", "--select", "D201", "--format", "sarif",
                   str(corpus))
    (tmp_path / "out.sarif").write_text(proc.stdout, encoding="utf-8")
    found = bench.d201_pairs(tmp_path / "out.sarif", corpus)
    assert found == {frozenset(("a.txt", "b.txt")): True}
    result = bench.score(found, want, planted)
    assert (result["recall"], result["false_pairs"]) == ({"verbatim": 1.0}, 0)
    # a pair whose text is not shared is false; one shared but not planted is apart
    wrong = {frozenset(("a.txt", "c.txt")): False, frozenset(("b.txt", "c.txt")): True}
    result = bench.score(wrong, want, planted)
    assert (result["recall"], result["false_pairs"], result["shared_not_planted"]) == (
        {"verbatim": 0.0}, 1, 1)


def test_shared_text_reads_the_reported_span(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(f"标题\n甲乙丙丁。{PASSAGE}\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text(f"另一个标题\n{PASSAGE[:30]}\n{PASSAGE[30:]}\n", encoding="utf-8")
    cache: dict = {}
    span = (2, 6, 2, 6 + len(PASSAGE))
    assert bench.shared_text(tmp_path, "a.txt", span, "b.txt", 2, cache)
    assert not bench.shared_text(tmp_path, "a.txt", (2, 1, 2, 5), "b.txt", 2, cache)


def test_the_generator_plants_passages_with_their_truth(tmp_path: Path, samples: Path) -> None:
    import subprocess

    out = tmp_path / "c60"
    subprocess.run([sys.executable, str(ROOT / "bench" / "make_corpus.py"), "-n", "60", "-o",
                    str(out), "--seeds", str(samples)], check=True, capture_output=True,
                   timeout=120)
    rows = [json.loads(line) for line in
            (tmp_path / "c60.manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    marks = [(r["file"], p) for r in rows for p in r.get("passages", ())]
    assert {p["role"] for _, p in marks} == {"source", "copy"}
    for name, p in marks:  # each mark points at the planted text
        line = (out / name).read_text(encoding="utf-8").split("\n")[p["line"] - 1]
        assert len(line) >= p["col"] - 1 + p.get("length", 0) or p.get("part")
