"""The benchmark's scoring (bench/bench.py): it checks every reported D201 pair with a
clause split of its own, which must agree with the rule's, and counts recall and false
pairs from the generator's manifest. Timings are never asserted."""

from __future__ import annotations

import importlib.util
import json
import zlib
from pathlib import Path

from checker.checks import corpus_duplicate
from checker.document import Document
from conftest import ROOT, run_cli

spec = importlib.util.spec_from_file_location("bench_script", ROOT / "bench" / "bench.py")
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)

PARA = ("一是在理论武装方面，自己满足于参加集中学习，个人自学的时间偏少；读原著学原文不够系统，"
        "对新思想新观点的理解停留在字面上：联系分管工作思考不深，运用理论指导实践的能力还有欠缺。")
OTHER = ("聚焦群众反映强烈的突出问题，建立问题清单和责任清单，逐项明确整改时限，整改一项销号一项，"
         "确保件件有着落、事事有回音，以整改实效取信于民。")


def test_clause_split_agrees_with_the_rule() -> None:
    (print_,) = corpus_duplicate.fingerprint(Document("a.txt", PARA), {"min-length": 60})
    clauses = bench.clause_set(PARA)
    assert len(clauses) == 7
    assert {zlib.crc32(c.encode()) for c in clauses} == set(print_[5])


def test_recall_and_false_pairs_are_scored_from_the_manifest(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(f"标题\n{PARA}\n", encoding="utf-8")
    (corpus / "b.txt").write_text(f"标题\n\n{PARA.replace('能力', '本领')}\n", encoding="utf-8")
    (corpus / "c.txt").write_text(f"标题\n{OTHER}\n", encoding="utf-8")
    manifest = tmp_path / "manifest.jsonl"
    rows = [{"file": "a.txt", "boilerplate": [{"id": 1, "line": 2}]},
            {"file": "b.txt", "boilerplate": [{"id": 1, "line": 3}]},
            {"file": "c.txt", "boilerplate": [{"id": 2, "line": 2}]}]  # used once: not planted
    manifest.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    proc = run_cli("check", "-q", "--no-cache", "--select", "D201", str(corpus))
    out = tmp_path / "out.txt"
    out.write_text(proc.stdout, encoding="utf-8")
    score = bench.score_draftlint(out, corpus, manifest, 0.7)
    assert score == {"diagnostics": 2, "planted": 2, "recall": 1.0, "false_pairs": 0,
                     "reported_not_planted": 0}
    # a pair below the threshold counts as false
    assert bench.score_draftlint(out, corpus, manifest, 0.9)["false_pairs"] == 2
