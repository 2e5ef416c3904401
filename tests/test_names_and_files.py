"""Issue 21 items 3 and 4: names and files that cannot take the tool over, and excluded
files that stay excluded when named."""

from __future__ import annotations

import json
import os
import sys
import threading
from pathlib import Path

import pytest
import yaml

from checker import scaffold
from checker.formatters.text import printable
from tests.conftest import ROOT, run_cli

BAD = "学习心得体会\n\n学习不够深入,需要加强。\n"
FIXED = "学习心得体会\n\n学习不够深入，需要加强。\n"
POSIX = pytest.mark.skipif(sys.platform == "win32", reason="FIFOs and /dev need POSIX")


def _hooks_entry() -> str:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    return hooks[0]["entry"]


def test_shipped_hook_entry_ends_the_options() -> None:
    entry = _hooks_entry().split()
    assert entry[:2] == ["draftlint", "check"] and entry[-1] == "--"
    assert "--force-exclude" in entry


def test_init_hook_entry_ends_the_options(tmp_path: Path) -> None:
    scaffold.init(tmp_path)
    config = yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    entry = config["repos"][0]["hooks"][0]["entry"].split()
    assert entry[-1] == "--" and "--force-exclude" in entry and "check" in entry


def test_a_file_named_like_an_option_is_a_path_after_the_entry(tmp_path: Path) -> None:
    """What pre-commit runs: the entry, then the staged names."""
    victim = tmp_path / "对照检查材料.txt"
    victim.write_text(BAD, encoding="utf-8")
    hostile = tmp_path / "--write-baseline=对照检查材料.txt"
    hostile.write_text(BAD, encoding="utf-8")
    entry = _hooks_entry().split()[2:]  # the options after "draftlint check"
    proc = run_cli("check", "--no-cache", *entry, hostile.name, victim.name, cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert victim.read_text(encoding="utf-8") == BAD  # not overwritten with a baseline
    assert f"{hostile.name}:3:7: T101" in proc.stdout


@POSIX
def test_newline_in_a_file_name_cannot_forge_a_line(tmp_path: Path) -> None:
    name = "a\nfake.txt:1:1: M101 forged.txt"
    (tmp_path / name).write_text(BAD, encoding="utf-8")
    proc = run_cli("check", name, "--no-cache", "-q", cwd=tmp_path)
    lines = proc.stdout.splitlines()
    assert lines == ["a\\nfake.txt:1:1: M101 forged.txt:3:7: T101 half-width ',' in Chinese "
                     "text '够深入,需要加'; use the full-width '，'"]
    stats = run_cli("check", name, "--no-cache", "--file-statistics", cwd=tmp_path).stdout
    assert "a\\nfake.txt" in stats and "\nfake.txt" not in stats
    assert printable("x\x1b[31my\u2028") == "x\\x1b[31my\\u2028"


@POSIX
@pytest.mark.parametrize("option", ["--fix", "--diff"])
def test_fix_and_diff_do_not_open_a_fifo(tmp_path: Path, option: str) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    (tmp_path / "a.txt").write_text(BAD, encoding="utf-8")
    holder: list = []
    worker = threading.Thread(target=lambda: holder.append(
        run_cli("check", option, "pipe.txt", "a.txt", "--no-cache", cwd=tmp_path)), daemon=True)
    worker.start()
    worker.join(60)
    if worker.is_alive():  # unblock the hung child so the test run can go on
        with open(fifo, "wb"):
            pass
        worker.join(30)
        pytest.fail(f"{option} hung on a FIFO")
    proc = holder[0]
    if option == "--fix":
        assert "pipe.txt:1:1: E001" in proc.stdout
        assert "pipe.txt" not in proc.stderr  # reported once, by the check run
        assert (tmp_path / "a.txt").read_text(encoding="utf-8") == FIXED
    else:  # the diff of the others, and the unread file named: a gate never skips it
        assert "+++ a.txt" in proc.stdout
        assert "pipe.txt: not fixed: E001" in proc.stderr
    assert proc.returncode == 1


@POSIX
def test_diff_fails_on_a_file_it_could_not_read(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    proc = run_cli("check", "--diff", "pipe.txt", "--no-cache", cwd=tmp_path)
    assert proc.stdout == ""
    assert "pipe.txt: not fixed: E001 cannot read file" in proc.stderr
    assert proc.returncode == 1


@POSIX
@pytest.mark.parametrize("option", ["--fix", "--diff"])
def test_fix_and_diff_do_not_read_a_device(tmp_path: Path, option: str) -> None:
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    proc = run_cli("check", option, "zero.txt", "--no-cache", cwd=tmp_path)
    assert proc.returncode in (0, 1), proc.stderr
    if option == "--fix":
        assert "zero.txt:1:1: E001" in proc.stdout


@POSIX
def test_fix_never_writes_through_a_link_out_of_the_tree(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    secret_file = outside / "notes.txt"
    secret_file.write_text(BAD, encoding="utf-8")
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / ".draftlint.yaml").write_text("fail-on: error\n", encoding="utf-8")
    (tree / "link.txt").symlink_to(secret_file)
    (tree / "own.txt").write_text(BAD, encoding="utf-8")
    proc = run_cli("check", "--fix", ".", "--no-cache", cwd=tree)
    assert secret_file.read_text(encoding="utf-8") == BAD
    assert "link.txt: not written: it is a link to a file outside the checked tree" in proc.stderr
    assert (tree / "own.txt").read_text(encoding="utf-8") == FIXED
    # a link to a file inside the tree is fixed (its target changes, the link stays)
    (tree / "link.txt").unlink()
    (tree / "sub").mkdir()
    (tree / "sub" / "inner.txt").write_text(BAD, encoding="utf-8")
    (tree / "inner-link.txt").symlink_to(tree / "sub" / "inner.txt")
    run_cli("check", "--fix", "inner-link.txt", "--no-cache", cwd=tree)
    assert (tree / "inner-link.txt").is_symlink()
    assert (tree / "sub" / "inner.txt").read_text(encoding="utf-8") == FIXED


@POSIX
@pytest.mark.parametrize("key", ["packs", "template-packs"])
def test_a_pack_must_be_a_regular_file(tmp_path: Path, key: str) -> None:
    (tmp_path / "a.txt").write_text(BAD, encoding="utf-8")
    (tmp_path / ".draftlint.yaml").write_text(f"{key}: [/dev/zero]\n", encoding="utf-8")
    proc = run_cli("check", "a.txt", "--no-cache", cwd=tmp_path)
    assert proc.returncode == 2 and "/dev/zero" in proc.stderr
    assert "not a regular file" in proc.stderr and "Traceback" not in proc.stderr


@POSIX
def test_config_must_be_a_regular_file(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(BAD, encoding="utf-8")
    proc = run_cli("check", "--config", "/dev/zero", "a.txt", "--no-cache", cwd=tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


# -- item 4: excluded stays excluded -----------------------------------------------------
@pytest.fixture
def excluding(tmp_path: Path) -> Path:
    (tmp_path / ".draftlint.yaml").write_text('extend-exclude: ["archive", "old-*.txt"]\n',
                                              encoding="utf-8")
    (tmp_path / "archive").mkdir()
    (tmp_path / "archive" / "旧稿.txt").write_text(BAD, encoding="utf-8")
    (tmp_path / "old-1.txt").write_text(BAD, encoding="utf-8")
    (tmp_path / "new.txt").write_text(BAD, encoding="utf-8")
    return tmp_path


def _paths(proc) -> set[str]:
    return {d["path"] for d in json.loads(proc.stdout)}


def test_force_exclude_skips_excluded_files_named_explicitly(excluding: Path) -> None:
    named = ("archive/旧稿.txt", "old-1.txt", "new.txt")
    plain = run_cli("check", "--format", "json", *named, "--no-cache", cwd=excluding)
    assert _paths(plain) == set(named)  # named explicitly: checked, as before
    forced = run_cli("check", "--format", "json", "--force-exclude", *named, "--no-cache",
                     cwd=excluding)
    assert _paths(forced) == {"new.txt"}


def test_force_exclude_as_a_config_key(excluding: Path) -> None:
    with open(excluding / ".draftlint.yaml", "a", encoding="utf-8") as fh:
        fh.write("force-exclude: true\n")
    proc = run_cli("check", "--format", "json", "archive/旧稿.txt", "new.txt", "--no-cache",
                   cwd=excluding)
    assert _paths(proc) == {"new.txt"}
    only = run_cli("check", "archive/旧稿.txt", "--no-cache", cwd=excluding)
    assert only.returncode == 0, only.stdout


def test_the_hook_entry_skips_excluded_files(excluding: Path) -> None:
    entry = _hooks_entry().split()[2:]
    proc = run_cli("check", "--format", "json", "--no-cache", *entry, "archive/旧稿.txt",
                   "old-1.txt", "new.txt", cwd=excluding)
    assert _paths(proc) == {"new.txt"}
