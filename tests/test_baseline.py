"""Baselines: record today's findings, report only new ones, robust to edits above them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, run_cli

LEGACY = FIXTURES / "adoption" / "legacy.txt"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / ".draftlint.yaml").write_text("select: [P101, M101, E]\n", encoding="utf-8")
    (tmp_path / "drafts").mkdir()
    shutil.copy(LEGACY, tmp_path / "drafts" / "legacy.txt")
    (tmp_path / "drafts" / "other.txt").write_text("对照检查材料\n按照**要求，报告如下：\n",
                                                   encoding="utf-8")
    return tmp_path


def _write(repo: Path) -> dict:
    proc = run_cli("check", "--write-baseline", "baseline.json", "drafts", cwd=repo)
    assert proc.returncode == 0, proc.stderr
    assert "Wrote 4 findings in 2 files" in proc.stderr
    assert proc.stdout == ""
    return json.loads((repo / "baseline.json").read_text(encoding="utf-8"))


def test_baseline_file_format(repo: Path) -> None:
    data = _write(repo)
    assert data["version"] == 1
    assert [(f["path"], f["code"], f["count"]) for f in data["findings"]] == [
        ("drafts/legacy.txt", "P101", 3), ("drafts/other.txt", "P101", 1)]
    assert all(len(f["fingerprint"]) == 16 for f in data["findings"])
    assert "'**'" in data["findings"][0]["message"]


def test_baseline_hides_recorded_findings(repo: Path) -> None:
    _write(repo)
    proc = run_cli("check", "--baseline", "baseline.json", "drafts", cwd=repo)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "All checks passed" in proc.stdout
    assert "4 findings in the baseline not shown" in proc.stderr


def test_baseline_survives_edits_above_a_finding(repo: Path) -> None:
    _write(repo)
    legacy = repo / "drafts" / "legacy.txt"
    lines = legacy.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1:1] = ["（此稿已经支部书记审阅。）\n", "\n"]  # two lines above every finding
    lines[2] = "　　" + lines[2]  # and the finding's own line indented
    legacy.write_text("".join(lines), encoding="utf-8")
    proc = run_cli("check", "--baseline", "baseline.json", "drafts", cwd=repo)
    assert proc.returncode == 0, proc.stdout
    assert "P101" not in proc.stdout


def test_new_findings_are_still_reported(repo: Path) -> None:
    _write(repo)
    legacy = repo / "drafts" / "legacy.txt"
    text = legacy.read_text(encoding="utf-8")
    legacy.write_text(text + "四、其他\n请**同志补充材料。##paidbegin##\n", encoding="utf-8")
    proc = run_cli("check", "--baseline", "baseline.json", "drafts", cwd=repo)
    assert proc.returncode == 1
    first, second = proc.stdout.splitlines()[:2]
    assert first.startswith("drafts/legacy.txt:11:2: P101 '**'")
    assert second.startswith("drafts/legacy.txt:11:11: M101 ")
    assert "Found 2 problems" in proc.stdout


def test_fixed_findings_are_counted_as_gone(repo: Path) -> None:
    _write(repo)
    (repo / "drafts" / "other.txt").write_text("对照检查材料\n按照通知要求，报告如下：\n",
                                               encoding="utf-8")
    proc = run_cli("check", "--baseline", "baseline.json", "drafts", cwd=repo)
    assert proc.returncode == 0
    assert "1 recorded finding gone" in proc.stderr


def test_baseline_paths_are_relative_to_the_root(repo: Path) -> None:
    _write(repo)
    proc = run_cli("check", "--baseline", str(repo / "baseline.json"), str(repo / "drafts"),
                   cwd=FIXTURES)
    assert proc.returncode == 0, proc.stdout


def test_same_text_in_another_file_is_not_covered(repo: Path) -> None:
    _write(repo)
    shutil.copy(repo / "drafts" / "other.txt", repo / "drafts" / "copy.txt")
    proc = run_cli("check", "--baseline", "baseline.json", "drafts", cwd=repo)
    assert proc.returncode == 1
    assert proc.stdout.startswith("drafts/copy.txt:2:3: P101")


@pytest.mark.parametrize("content, message", [
    (None, "no such file"),
    ("{not json", "cannot read it"),
    ('{"version": 7, "findings": []}', "not a draftlint baseline of version 1"),
    ('{"version": 1, "findings": [{"path": "a"}]}', "findings[0]: expected path"),
])
def test_bad_baseline_is_a_usage_error(repo: Path, content: str | None, message: str) -> None:
    if content is not None:
        (repo / "baseline.json").write_text(content, encoding="utf-8")
    proc = run_cli("check", "--baseline", "baseline.json", "drafts", cwd=repo)
    assert proc.returncode == 2
    assert message in proc.stderr


def test_baseline_options_exclude_each_other(repo: Path) -> None:
    proc = run_cli("check", "--baseline", "a.json", "--write-baseline", "b.json", "drafts",
                   cwd=repo)
    assert proc.returncode == 2
