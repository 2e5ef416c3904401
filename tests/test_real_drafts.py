"""The scoring of the real-draft study (bench/real_drafts.py): precision over annotated
findings of default-on rules, recall over annotated blanks, unannotated findings listed,
annotations that no longer fit their text caught. The study texts themselves live outside
the repository; these tests use texts of their own."""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

from conftest import ROOT

spec = importlib.util.spec_from_file_location("real_drafts", ROOT / "bench" / "real_drafts.py")
real_drafts = importlib.util.module_from_spec(spec)
spec.loader.exec_module(real_drafts)


def finding(source: str, line: int, column: int, code: str) -> dict:
    return {"path": f"/study/{source}.txt", "line": line, "column": column, "code": code,
            "message": "m"}


def test_precision_recall_and_unannotated() -> None:
    blanks = {("01", 1, 3): "P103", ("01", 2, 1): "P103", ("02", 5, 7): "L106"}
    legit = {("02", 1, 1): "P111"}
    findings = [finding("01", 1, 3, "P103"), finding("02", 1, 1, "P111"),
                finding("02", 9, 9, "P101"),  # at a place nobody annotated
                finding("01", 2, 1, "S209"),  # another family: not counted for P
                finding("01", 2, 1, "M113")]  # off by default: not counted
    rows, unannotated = real_drafts.score(findings, ["P", "L"], blanks, legit)
    assert (rows["P"]["true"], rows["P"]["false"], rows["P"]["blanks"]) == (1, 1, 2)
    assert rows["P"]["precision"] == 0.5 and rows["P"]["recall"] == 0.5
    assert rows["L"]["recall"] == 0.0 and math.isnan(rows["L"]["precision"])
    assert [u.split(" ")[0] for u in unannotated] == ["02:9:9"]


def test_annotations_must_fit_their_text(tmp_path: Path) -> None:
    (tmp_path / "01.txt").write_text("标题\n按照 x 区委\n", encoding="utf-8")
    assert real_drafts.check_positions(tmp_path, [("01", 2, 4)]) == []
    problems = real_drafts.check_positions(tmp_path, [("01", 2, 40), ("01", 9, 1), ("02", 1, 1)])
    assert len(problems) == 3


def test_shipped_annotations_load() -> None:
    families, validation, blanks, legit = real_drafts.load_annotations(
        ROOT / "docs" / "real-drafts" / "annotations.yaml")
    assert families == ["P", "L"] and validation
    assert all(code[0] in "PL" for code in [*blanks.values(), *legit.values()])
    assert not set(blanks) & set(legit)
