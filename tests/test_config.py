"""Configuration discovery and validation; rule-pack validation (exit code 2 on errors)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.config import discover, load_file
from checker.packs import ConfigError, load_pack
from conftest import run_cli

PAID = "标题\n##paidbegin##\n正文。\n"


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_yaml_config_found_from_checked_path_upward(tmp_path: Path) -> None:
    _write(tmp_path / ".draftlint.yaml", "ignore: [M101]\n")
    draft = _write(tmp_path / "a" / "b" / "x.txt", PAID)
    assert discover(draft).source == tmp_path / ".draftlint.yaml"
    assert run_cli("check", "--select", "M", str(draft)).returncode == 0


def test_pyproject_section(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", "[tool.draftlint]\nignore = ['M101']\n")
    draft = _write(tmp_path / "x.txt", PAID)
    assert run_cli("check", "--select", "M", str(draft)).returncode == 0


def test_pyproject_without_section_is_skipped(tmp_path: Path) -> None:
    _write(tmp_path / ".draftlint.yaml", "ignore: [M101]\n")
    _write(tmp_path / "sub" / "pyproject.toml", "[project]\nname = 'x'\n")
    draft = _write(tmp_path / "sub" / "x.txt", PAID)
    assert discover(draft).source == tmp_path / ".draftlint.yaml"


def test_explicit_config(tmp_path: Path) -> None:
    cfg = _write(tmp_path / "conf" / "lint.yaml", "ignore: [M]\n")
    draft = _write(tmp_path / "x.txt", PAID)
    assert run_cli("check", "--config", str(cfg), "--select", "P", str(draft)).returncode == 0
    nothing = run_cli("check", "--config", str(cfg), "--select", "M", str(draft))
    assert nothing.returncode == 2 and "no rule is selected" in nothing.stderr  # issue 21
    missing = run_cli("check", "--config", str(tmp_path / "none.yaml"), str(draft))
    assert missing.returncode == 2 and "not found" in missing.stderr


def test_per_file_ignores(tmp_path: Path) -> None:
    _write(tmp_path / ".draftlint.yaml", "per-file-ignores:\n  'legacy/*': [M101]\n")
    _write(tmp_path / "legacy" / "old.txt", PAID)
    _write(tmp_path / "new" / "new.txt", PAID)
    proc = run_cli("check", "--format", "json", "--select", "M", str(tmp_path))
    assert [Path(d["path"]).parent.name for d in json.loads(proc.stdout)] == ["new"]


def test_exclude_and_extensions(tmp_path: Path) -> None:
    _write(tmp_path / ".draftlint.yaml", "extend-exclude: ['drafts/skip']\nextensions: [.txt]\n")
    _write(tmp_path / "drafts" / "skip" / "a.txt", PAID)
    _write(tmp_path / "drafts" / "b.md", PAID)
    _write(tmp_path / "drafts" / "c.txt", PAID)
    proc = run_cli("check", "--format", "json", "--select", "M", str(tmp_path))
    assert [Path(d["path"]).name for d in json.loads(proc.stdout)] == ["c.txt"]


def test_rule_severity_override(tmp_path: Path) -> None:
    _write(tmp_path / ".draftlint.yaml", "rules:\n  M101: {severity: info}\n")
    draft = _write(tmp_path / "x.txt", PAID)
    proc = run_cli("check", "--format", "json", "--select", "M", str(draft))
    assert proc.returncode == 0
    assert json.loads(proc.stdout)[0]["severity"] == "info"


@pytest.mark.parametrize("text, words", [
    ("colour: red\n", ["unknown key 'colour'"]),
    ("ignore: M101\n", ["ignore", "expected list[str]"]),
    ("fail-on: never\n", ["fail-on"]),
    ("rules:\n  Q999: {severity: info}\n", ["Q999"]),
    ("rules:\n  M101: {severity: fatal}\n", ["M101", "severity"]),
    ("rules:\n  M101: {options: {defect: sideways}}\n", ["M101", "defect"]),
    ("select: [\n", ["not valid YAML"]),
])
def test_config_errors_exit_2_and_name_the_key(tmp_path: Path, text: str, words: list[str]) -> None:
    _write(tmp_path / ".draftlint.yaml", text)
    draft = _write(tmp_path / "x.txt", PAID)
    proc = run_cli("check", str(draft))
    assert proc.returncode == 2, proc.stdout
    assert "Traceback" not in proc.stderr
    assert ".draftlint.yaml" in proc.stderr or "rules:" in proc.stderr
    for word in words:
        assert word in proc.stderr


GOOD_RULE = """
pack: mine
rules:
  - code: X101
    name: no-foo
    kind: pattern
    severity: warning
    message: "found {match}"
    options: {pattern: '某单位'}
    docs: Our house style forbids the vague 某单位; name the unit.
    examples: {bad: ["某单位"], good: ["市委办公室"]}
"""


def test_user_pack_adds_a_rule(tmp_path: Path) -> None:
    _write(tmp_path / "house.yaml", GOOD_RULE)
    _write(tmp_path / ".draftlint.yaml", "packs: [house.yaml]\n")
    draft = _write(tmp_path / "x.txt", "标题\n请某单位配合。\n")
    proc = run_cli("check", "--select", "X", str(draft))
    assert proc.returncode == 1
    assert "x.txt:2:2: X101 found 某单位" in proc.stdout
    assert run_cli("explain", "X101", "--config", str(tmp_path / ".draftlint.yaml")).returncode == 0


def test_a_pattern_s_also_forms_are_searched_on_their_own(tmp_path: Path) -> None:
    """``also``: more patterns, each searched alone; their matches join the pattern's in
    text order, and one that starts inside a match kept before it is dropped."""
    rule = GOOD_RULE.replace("options: {pattern: '某单位'}",
                             "options: {pattern: '某单位', also: ['[^，。]{0,4}网站', '单位配合']}")
    _write(tmp_path / "house.yaml", rule)
    _write(tmp_path / ".draftlint.yaml", "packs: [house.yaml]\n")
    draft = _write(tmp_path / "x.txt", "标题\n请某单位配合，见第一范文网站。\n")
    proc = run_cli("check", "--select", "X", str(draft))
    assert [line for line in proc.stdout.splitlines() if "X101" in line] == [
        f"{draft}:2:2: X101 found 某单位", f"{draft}:2:9: X101 found 第一范文网站"]


@pytest.mark.parametrize("mutation, words", [
    (("kind: pattern", "kind: telepathy"), ["X101", "'kind'", "telepathy"]),
    (("options: {pattern: '某单位'}", "options: {pattern: '某单位', colour: 1}"), ["X101", "colour"]),
    (("options: {pattern: '某单位'}", "options: {pattern: '(某单位'}"), ["X101", "pattern", "invalid regular expression"]),
    (("options: {pattern: '某单位'}", "options: {pattern: 3}"), ["X101", "pattern"]),
    (("code: X101", "code: X1"), ["code"]),
    (("name: no-foo", "name: No_Foo"), ["X101", "name"]),
    (("severity: warning", "severity: loud"), ["X101", "severity"]),
    (("    docs: Our house style forbids the vague 某单位; name the unit.\n", ""), ["X101", "docs"]),
    (("code: X101", "code: M101"), ["M101", "already defined"]),
])
def test_invalid_pack_is_config_error(tmp_path: Path, mutation: tuple[str, str], words: list[str]) -> None:
    pack = _write(tmp_path / "house.yaml", GOOD_RULE.replace(*mutation))
    _write(tmp_path / ".draftlint.yaml", "packs: [house.yaml]\n")
    draft = _write(tmp_path / "x.txt", "标题\n正文。\n")
    proc = run_cli("check", str(draft))
    assert proc.returncode == 2, proc.stdout
    assert str(pack) in proc.stderr and "Traceback" not in proc.stderr
    for word in words:
        assert word in proc.stderr


def test_load_pack_unit(tmp_path: Path) -> None:
    pack = _write(tmp_path / "p.yaml", GOOD_RULE)
    (rule,) = load_pack(pack)
    assert rule.code == "X101" and rule.options["pattern"].search("某单位")
    with pytest.raises(ConfigError):
        load_pack(_write(tmp_path / "q.yaml", "rules: 3\n"))
    with pytest.raises(ConfigError):
        load_file(_write(tmp_path / ".draftlint.yaml", "- a list\n"))


def test_pathological_user_pattern_times_out(tmp_path: Path) -> None:
    slow = GOOD_RULE.replace("'某单位'", "'(a|aa)+$'")
    _write(tmp_path / "house.yaml", slow)
    _write(tmp_path / ".draftlint.yaml", "packs: [house.yaml]\n")
    draft = _write(tmp_path / "x.txt", "标题\n" + "a" * 64 + "!\n")
    proc = run_cli("check", "--select", "X", str(draft))
    assert proc.returncode == 1
    assert "E900" in proc.stdout and "timed out" in proc.stdout


@pytest.mark.parametrize("options", [
    "{pattern: '某(?P<w>单位)', group: w, also: ['第一范文网站']}",
    "{pattern: '某(?P<w>单位)', fix: '\\g<w>', also: ['第一范文网站']}",
])
def test_an_also_form_without_the_group_is_a_pack_error(tmp_path: Path,
                                                              options: str) -> None:
    """``group`` and ``fix`` name a group of ``pattern``; an ``also`` form without
    it loads, then each of its matches raises IndexError in the check (E900 on the draft,
    the rule's later findings lost). It should be an error of the pack, as it loads."""
    rule = GOOD_RULE.replace("options: {pattern: '某单位'}", f"options: {options}")
    _write(tmp_path / "house.yaml", rule)
    _write(tmp_path / ".draftlint.yaml", "packs: [house.yaml]\n")
    draft = _write(tmp_path / "x.txt", "标题\n请某单位配合，见第一范文网站。\n")
    proc = run_cli("check", "--select", "X", str(draft))
    assert "E900" not in proc.stdout
    assert proc.returncode == 2 and "also" in proc.stderr
