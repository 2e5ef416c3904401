"""Output formats through the installed CLI: JSON contract, SARIF schema, GitHub commands."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from conftest import FIXTURES, run_cli

SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
BAD = FIXTURES / "markers" / "unclosed.txt"
KEYS = ["path", "line", "column", "end_line", "end_column", "code", "rule", "severity", "message"]


def test_json_contract() -> None:
    proc = run_cli("check", "--format", "json", str(BAD))
    assert proc.returncode == 1, proc.stderr
    items = json.loads(proc.stdout)
    assert items, "expected findings"
    for item in items:
        assert list(item) == KEYS
        assert item["severity"] in ("error", "warning", "info")
        assert item["line"] >= 1 and item["column"] >= 1
    unclosed = [i for i in items if i["code"] == "M101"]
    assert unclosed[0]["line"] == 4 and unclosed[0]["column"] == 1
    assert unclosed[0]["end_column"] == 1 + len("##paidbegin##")
    assert unclosed[0]["rule"] == "paid-unclosed"


def test_json_clean_is_empty_array(tmp_path: Path) -> None:
    clean = tmp_path / "a.txt"
    clean.write_text("标题\n正文。\n", encoding="utf-8")
    proc = run_cli("check", "--format", "json", "--select", "M", str(clean))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == []


@pytest.mark.parametrize("path", [BAD, FIXTURES / "markers" / "closed.txt"])
def test_sarif_validates_against_official_schema(path: Path) -> None:
    proc = run_cli("check", "--format", "sarif", str(path))
    assert proc.returncode in (0, 1), proc.stderr
    log = json.loads(proc.stdout)
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(log, schema, cls=jsonschema.Draft4Validator)
    run = log["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    rules = run["tool"]["driver"]["rules"]
    assert any(r["id"] == "M101" for r in rules)
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_sarif_rejects_broken_log() -> None:
    """The schema check can fail: a log missing its version is invalid."""
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"runs": []}, schema, cls=jsonschema.Draft4Validator)


def test_github_workflow_commands() -> None:
    proc = run_cli("check", "--format", "github", "--select", "M101", str(BAD))
    assert proc.returncode == 1
    line = proc.stdout.splitlines()[0]
    assert line.startswith(f"::error file={BAD.as_posix()},line=4,col=1,")
    assert "::M101 " in line
