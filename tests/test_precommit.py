"""The pre-commit hook, end to end: a drafts repo installs it and a commit is blocked.

The project's working tree is snapshotted into a temporary git repository (what
``pre-commit try-repo`` does), referenced from the drafts repo's
``.pre-commit-config.yaml`` at that commit, and installed as a git hook. pre-commit then
builds the hook's own virtualenv with pip, as it does for users (this needs the package
registry, and takes a little while: one environment for the module).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

GIT = shutil.which("git")
pytestmark = pytest.mark.skipif(GIT is None, reason="git is not installed")

ENV = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
       "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid",
       "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}

CLEAN = "学习心得\n按照要求，现将有关情况报告如下：\n正文写完了。\n"
UNCLOSED = "学习心得\n按照要求，现将有关情况报告如下：\n##paidbegin##\n付费内容。\n"


def git(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([GIT, *args], cwd=cwd, env=ENV, capture_output=True, text=True,
                          timeout=600)


def _project_files() -> list[str]:
    listed = git(ROOT, "ls-files", "-co", "--exclude-standard")
    if listed.returncode == 0 and listed.stdout.strip():
        return [f for f in listed.stdout.splitlines() if (ROOT / f).is_file()]
    skip = {".git", ".venv", "build", "dist", "__pycache__", ".pytest_cache", ".draftlint_cache"}
    return [str(p.relative_to(ROOT)) for p in ROOT.rglob("*")
            if p.is_file() and not skip & set(p.relative_to(ROOT).parts)]


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A snapshot of the project's working tree as a git repo; returns (path, sha)."""
    snap = tmp_path_factory.mktemp("draftlint-snapshot")
    for rel in _project_files():
        (snap / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, snap / rel)
    assert (snap / ".pre-commit-hooks.yaml").is_file()
    git(snap, "init", "-q")
    git(snap, "add", "-A")
    assert git(snap, "commit", "-q", "-m", "snapshot").returncode == 0
    return snap, git(snap, "rev-parse", "HEAD").stdout.strip()


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def test_hook_blocks_unclosed_marker_and_lets_clean_draft_through(
        tmp_path: Path, hook_repo: tuple[Path, str], pre_commit_home: Path) -> None:
    snap, sha = hook_repo
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    git(drafts, "init", "-q")
    (drafts / ".pre-commit-config.yaml").write_text(
        f"repos:\n- repo: {snap.as_posix()}\n  rev: {sha}\n  hooks:\n  - id: draftlint\n",
        encoding="utf-8")
    env = {**ENV, "PRE_COMMIT_HOME": str(pre_commit_home)}
    pc = [sys.executable, "-m", "pre_commit"]
    inst = subprocess.run([*pc, "install"], cwd=drafts, env=env, capture_output=True, text=True)
    assert inst.returncode == 0, inst.stdout + inst.stderr

    (drafts / "good.txt").write_text(CLEAN, encoding="utf-8")
    git(drafts, "add", "good.txt", ".pre-commit-config.yaml")
    ok = subprocess.run([GIT, "commit", "-m", "clean draft"], cwd=drafts, env=env,
                        capture_output=True, text=True, timeout=900)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "draftlint" in ok.stdout + ok.stderr and "Passed" in ok.stdout + ok.stderr

    (drafts / "paid.txt").write_text(UNCLOSED, encoding="utf-8")
    git(drafts, "add", "paid.txt")
    blocked = subprocess.run([GIT, "commit", "-m", "leaks the paid part"], cwd=drafts, env=env,
                             capture_output=True, text=True, timeout=900)
    out = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, out
    assert "paid.txt:3:1: M101" in out
    assert "good.txt:" not in out
    log = git(drafts, "log", "--format=%s").stdout.splitlines()
    assert log == ["clean draft"]


def test_hook_takes_hostile_names_as_paths_and_skips_excluded_files(
        tmp_path: Path, hook_repo: tuple[Path, str], pre_commit_home: Path) -> None:
    """Issue 21 items 3 and 4 through pre-commit itself: a staged file named like an
    option stays a path (today's hook would overwrite 对照检查材料.txt with a baseline), and a
    staged file under extend-exclude is not checked."""
    snap, sha = hook_repo
    drafts = tmp_path / "drafts"
    (drafts / "archive").mkdir(parents=True)
    git(drafts, "init", "-q")
    (drafts / ".pre-commit-config.yaml").write_text(
        f"repos:\n- repo: {snap.as_posix()}\n  rev: {sha}\n  hooks:\n  - id: draftlint\n",
        encoding="utf-8")
    (drafts / ".draftlint.yaml").write_text("extend-exclude: [archive]\n", encoding="utf-8")
    (drafts / "对照检查材料.txt").write_text(CLEAN, encoding="utf-8")
    (drafts / "--write-baseline=对照检查材料.txt").write_text(CLEAN, encoding="utf-8")
    (drafts / "archive" / "old.txt").write_text(UNCLOSED, encoding="utf-8")
    env = {**ENV, "PRE_COMMIT_HOME": str(pre_commit_home)}
    git(drafts, "add", "-A")
    proc = subprocess.run([sys.executable, "-m", "pre_commit", "run", "--all-files"],
                          cwd=drafts, env=env, capture_output=True, text=True, timeout=900)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert (drafts / "对照检查材料.txt").read_text(encoding="utf-8") == CLEAN
    assert "old.txt" not in out
