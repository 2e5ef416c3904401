"""Issue 21 item 2: no silent pass. Each mistake is exit 2 with a message naming the file
and the key (or the option)."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.packs import load_yaml
from tests.conftest import run_cli

DRAFT = "关于学习的心得体会\n\n学习不够深入,需要加强。\n"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "a.txt").write_text(DRAFT, encoding="utf-8")
    return tmp_path


def _fails(repo: Path, *args: str, names: tuple[str, ...]) -> None:
    proc = run_cli(*args, cwd=repo)
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    for name in names:
        assert name in proc.stderr, (name, proc.stderr)


def test_unparsable_pyproject_is_an_error(repo: Path) -> None:
    (repo / "pyproject.toml").write_text("[tool.draftlint]\nselect = [\"P\"\n", encoding="utf-8")
    _fails(repo, "check", "a.txt", "--no-cache", names=("pyproject.toml", "TOML"))


def test_empty_selection_on_the_command_line(repo: Path) -> None:
    _fails(repo, "check", "a.txt", "--select", "", "--no-cache", names=("--select",))


def test_empty_selection_in_the_config_file(repo: Path) -> None:
    (repo / ".draftlint.yaml").write_text("select: []\n", encoding="utf-8")
    _fails(repo, "check", "a.txt", "--no-cache", names=(".draftlint.yaml", "select"))


def test_ignoring_everything_is_an_error(repo: Path) -> None:
    _fails(repo, "check", "a.txt", "--select", "T101", "--ignore", "T", "--no-cache",
           names=("no rule is selected",))


@pytest.mark.parametrize("value", ["0", "-5"])
def test_size_must_be_positive_in_the_config(repo: Path, value: str) -> None:
    (repo / ".draftlint.yaml").write_text(f"max-file-size: {value}\n", encoding="utf-8")
    _fails(repo, "check", "a.txt", "--no-cache", names=(".draftlint.yaml", "max-file-size"))


@pytest.mark.parametrize("value", ["0", "-5"])
def test_size_must_be_positive_on_the_command_line(repo: Path, value: str) -> None:
    _fails(repo, "check", "a.txt", f"--max-file-size={value}", "--no-cache",
           names=("--max-file-size",))


def test_unknown_code_in_the_config_names_the_file(repo: Path) -> None:
    (repo / ".draftlint.yaml").write_text("ignore: [Q999]\n", encoding="utf-8")
    _fails(repo, "check", "a.txt", "--no-cache", names=(".draftlint.yaml", "ignore", "Q999"))


def test_unknown_code_on_the_command_line_names_the_option(repo: Path) -> None:
    _fails(repo, "check", "a.txt", "--ignore", "Q999", "--no-cache", names=("--ignore", "Q999"))


def test_unknown_code_in_per_file_ignores_names_the_file(repo: Path) -> None:
    (repo / ".draftlint.yaml").write_text('per-file-ignores:\n  "*.txt": [Q999]\n',
                                          encoding="utf-8")
    _fails(repo, "check", "a.txt", "--no-cache",
           names=(".draftlint.yaml", "per-file-ignores", "Q999"))


def test_duplicate_key_in_the_config(repo: Path) -> None:
    (repo / ".draftlint.yaml").write_text("ignore: [T101]\nfail-on: error\nignore: [P]\n",
                                          encoding="utf-8")
    _fails(repo, "check", "a.txt", "--no-cache", names=(".draftlint.yaml", "duplicate key 'ignore'"))


def test_duplicate_key_in_a_pack(repo: Path) -> None:
    (repo / "house.yaml").write_text(
        "pack: house\nrules:\n  - code: X101\n    name: vague-unit\n    kind: pattern\n"
        "    severity: warning\n    severity: error\n    message: m\n"
        "    options: {pattern: '某单位'}\n    docs: d\n", encoding="utf-8")
    (repo / ".draftlint.yaml").write_text("packs: [house.yaml]\n", encoding="utf-8")
    _fails(repo, "check", "a.txt", "--no-cache", names=("house.yaml", "duplicate key 'severity'"))


def test_yaml_merge_keys_are_not_duplicates() -> None:
    assert load_yaml("x: &x {a: 1}\ny:\n  <<: *x\n  b: 2\n")["y"] == {"a": 1, "b": 2}


@pytest.mark.parametrize("option", ["--statistics", "--file-statistics"])
@pytest.mark.parametrize("fmt", ["json", "sarif", "github"])
def test_statistics_refuse_a_machine_format(repo: Path, option: str, fmt: str) -> None:
    _fails(repo, "check", "a.txt", option, "--format", fmt, "--no-cache", names=(option, fmt))


def test_clean_with_a_missing_path_fails_like_check(repo: Path) -> None:
    _fails(repo, "clean", "no-such-dir", names=("no-such-dir",))
    check = run_cli("check", "no-such-dir", cwd=repo)
    assert check.returncode == 2
