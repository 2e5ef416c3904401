"""The installed ``draftlint`` command, end to end, as a subprocess."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from conftest import FIXTURES, draftlint_exe, run_cli

BAD = FIXTURES / "markers" / "unclosed.txt"
CLEAN = FIXTURES / "markers" / "closed.txt"


def test_exit_1_on_findings_and_concise_format() -> None:
    proc = run_cli("check", "--select", "M", str(BAD))
    assert proc.returncode == 1
    first = proc.stdout.splitlines()[0]
    assert first.startswith(f"{BAD.as_posix()}:4:1: M101 ")
    assert "published free" in first
    assert "Found 1 problem" in proc.stdout


def test_exit_0_when_clean() -> None:
    proc = run_cli("check", "--select", "M", str(CLEAN))
    assert proc.returncode == 0, proc.stdout
    assert "All checks passed" in proc.stdout


def test_quiet_prints_no_summary() -> None:
    proc = run_cli("check", "--quiet", "--select", "M", str(CLEAN))
    assert proc.returncode == 0 and proc.stdout == ""


def test_ignore_by_code_and_prefix() -> None:
    assert run_cli("check", "--select", "M", "--ignore", "M101", str(BAD)).returncode == 0
    assert run_cli("check", "--select", "M,P", "--ignore", "M", str(BAD)).returncode == 0


def test_select_by_rule_name() -> None:
    proc = run_cli("check", "--select", "paid-unclosed", str(BAD))
    assert proc.returncode == 1 and "M101" in proc.stdout


def test_fail_on_error_lets_warnings_pass(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")  # E005 is a warning
    assert run_cli("check", str(empty)).returncode == 1
    proc = run_cli("check", "--fail-on", "error", str(empty))
    assert proc.returncode == 0 and "E005" in proc.stdout


def test_unknown_selector_is_usage_error() -> None:
    proc = run_cli("check", "--select", "Z999", str(BAD))
    assert proc.returncode == 2
    assert "Z999" in proc.stderr and "Traceback" not in proc.stderr


def test_missing_path_is_usage_error(tmp_path: Path) -> None:
    proc = run_cli("check", str(tmp_path / "nope"))
    assert proc.returncode == 2
    assert "no such file or directory" in proc.stderr and "Traceback" not in proc.stderr


def test_bad_flag_is_usage_error() -> None:
    proc = run_cli("check", "--format", "xml", str(BAD))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_statistics() -> None:
    proc = run_cli("check", "--statistics", "--select", "M", str(BAD))
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[0].split() == ["1", "M101", "paid-unclosed", "(error)"]


def test_show_source_caret() -> None:
    proc = run_cli("check", "--show-source", "--select", "M101", str(BAD))
    lines = proc.stdout.splitlines()
    assert lines[1] == "   4 | ##paidbegin##"
    assert lines[2] == "     | " + "^" * len("##paidbegin##")


def test_show_source_counts_wide_characters(tmp_path: Path) -> None:
    draft = tmp_path / "a.txt"
    draft.write_text("标题\n按照**市委要求。\n", encoding="utf-8")
    proc = run_cli("check", "--show-source", "--select", "P101", str(draft))
    assert proc.stdout.splitlines()[2] == "     | " + "  " * 2 + "^^"


def test_directory_walk_uses_extensions(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("标题\n##paidbegin##\n正文。\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text("##paidbegin##\n", encoding="utf-8")
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / "c.txt").write_text("##paidbegin##\n", encoding="utf-8")
    proc = run_cli("check", "--format", "json", "--select", "M101", str(tmp_path))
    assert [Path(d["path"]).name for d in json.loads(proc.stdout)] == ["a.txt"]


def test_explicit_file_checked_whatever_its_extension(tmp_path: Path) -> None:
    draft = tmp_path / "draft.text2"
    draft.write_text("标题\n##paidbegin##\n", encoding="utf-8")
    assert run_cli("check", "--select", "M101", str(draft)).returncode == 1


def test_rules_lists_every_rule() -> None:
    proc = run_cli("rules", "--format", "json")
    assert proc.returncode == 0
    codes = {r["code"] for r in json.loads(proc.stdout)}
    assert {"M101", "P101", "E001"} <= codes


def test_explain() -> None:
    proc = run_cli("explain", "M101")
    assert proc.returncode == 0
    assert proc.stdout.startswith("M101 (paid-unclosed)")
    assert "Fails:" in proc.stdout and "Passes:" in proc.stdout
    assert run_cli("explain", "paid-unclosed").stdout == proc.stdout
    bad = run_cli("explain", "X000")
    assert bad.returncode == 2 and "unknown rule" in bad.stderr


def test_packs_found_from_another_directory(tmp_path: Path) -> None:
    """The installed package finds its shipped packs wherever it runs."""
    draft = tmp_path / "a.txt"
    draft.write_text("标题\n##paidbegin##\n", encoding="utf-8")
    proc = run_cli("check", "--select", "M101", "a.txt", cwd=tmp_path)
    assert proc.returncode == 1 and "a.txt:2:1: M101" in proc.stdout


def test_python_dash_m(tmp_path: Path) -> None:
    import subprocess

    proc = subprocess.run([sys.executable, "-m", "checker", "--version"], capture_output=True,
                          text=True, cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout.startswith("draftlint ")


def _many_findings(root: Path, files: int = 40, lines: int = 30) -> int:
    """Drafts with one unclosed paid marker on each of ``lines`` lines: the findings."""
    for i in range(files):
        body = "".join(f"第{n}段正文##paidbegin##\n" for n in range(lines))
        (root / f"d{i:02d}.txt").write_text("标题\n" + body, encoding="utf-8")
    return files * lines


def test_the_command_writes_all_its_output_before_it_leaves(tmp_path: Path) -> None:
    """``check`` ends the process without the interpreter's teardown (cli._exit): far
    more output than a pipe holds still comes through whole, with the exit status, and
    the cache it wrote serves the next run; from both entry points."""
    import os
    import subprocess

    count = _many_findings(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # buffered, as usual
    for command in ([*draftlint_exe(), "check"], [sys.executable, "-m", "checker", "check"]):
        runs = [subprocess.run([*command, "--select", "M101", "."], cwd=tmp_path, env=env,
                               capture_output=True, text=True, encoding="utf-8", timeout=300)
                for _ in range(2)]
        for proc in runs:
            assert proc.returncode == 1, proc.stderr
            assert len(proc.stdout.encode()) > 1 << 16
            assert proc.stdout.count(": M101 ") == count
            assert proc.stdout.endswith(f"Found {count} problems in 40 files checked.\n")
        assert runs[0].stdout == runs[1].stdout
    assert (tmp_path / ".draftlint_cache" / "results.sqlite").is_file()


def test_main_returns_to_its_caller(tmp_path: Path, capsys) -> None:
    """In a caller's process (a test, an editor plugin) main() returns its status."""
    from checker.cli import main

    count = _many_findings(tmp_path, files=2, lines=3)
    assert main(["check", "-q", "--no-cache", "--select", "M101", str(tmp_path)]) == 1
    assert capsys.readouterr().out.count(": M101 ") == count
