"""Parallel runs give the same output as serial ones; discovery and progress."""

from __future__ import annotations

import fnmatch
import io
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import given, strategies as st

from adoptkit import check, make_repo, shown
from checker import progress, runner
from checker.config import Config
from checker.engine import walk
from conftest import run_cli


@pytest.fixture(scope="module")
def big_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("big")
    make_repo(root, runner.MIN_PARALLEL_FILES + 40, every=7)
    return root


def test_cli_output_is_the_same_for_one_and_two_jobs(big_repo: Path) -> None:
    one = run_cli("check", "--no-cache", "-j", "1", "drafts", cwd=big_repo)
    two = run_cli("check", "--no-cache", "-j", "2", "drafts", cwd=big_repo)
    assert one.returncode == two.returncode == 1
    assert one.stdout == two.stdout
    assert one.stdout.count("P101") == 35


def test_the_pool_is_used_for_large_runs_only(big_repo: Path, monkeypatch) -> None:
    started = []

    class Spy(runner.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs) -> None:
            started.append(args)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(runner, "ProcessPoolExecutor", Spy)
    serial = check(big_repo, use_cache=False, jobs=1)
    assert started == []
    parallel = check(big_repo, use_cache=False, jobs=2)
    assert len(started) == 1
    assert shown(parallel) == shown(serial)
    assert [r.path for r in parallel.results] == [r.path for r in serial.results]


def test_small_runs_stay_in_process(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(runner, "ProcessPoolExecutor", None)  # would fail if used
    make_repo(tmp_path, 5)
    assert len(check(tmp_path, use_cache=False, jobs=8).diagnostics) == 2


def test_parallel_run_fills_the_cache(big_repo: Path) -> None:
    cold = check(big_repo, jobs=2)
    warm = check(big_repo, jobs=2)
    assert warm.cached == warm.files == runner.MIN_PARALLEL_FILES + 40
    assert shown(warm) == shown(cold)


def test_jobs_must_be_positive(tmp_path: Path) -> None:
    proc = run_cli("check", "-j", "0", ".", cwd=tmp_path)
    assert proc.returncode == 2 and "positive integer" in proc.stderr


# -- discovery -----------------------------------------------------------------------
def test_walk_skips_excluded_and_foreign_files(tmp_path: Path) -> None:
    for rel in ("a.txt", "b.md", "c.py", "sub/d.txt", "node_modules/e.txt", "old/f.txt",
                ".draftlint_cache/g.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x", encoding="utf-8")
    config = Config(tmp_path).with_values(extend_exclude=("old/",))
    found = [f.path.relative_to(tmp_path).as_posix() for f, _ in walk([tmp_path], config)]
    assert found == ["a.txt", "b.md", "sub/d.txt"]
    again = list(walk([tmp_path / "sub", tmp_path, tmp_path / "sub" / "d.txt"], config))
    assert len(again) == 3 and len({f.key for f, _ in again}) == 3


GLOB = st.text(alphabet="ab*?/.", min_size=1, max_size=6)
REL = st.lists(st.text(alphabet="ab.", min_size=1, max_size=3), min_size=1,
               max_size=4).map("/".join)


def matches_any(rel: str, globs: list[str]) -> bool:
    """The meaning of a glob list, spelled out with fnmatch: the model GlobSet must match."""
    parts = PurePosixPath(rel).parts
    for glob in globs:
        if fnmatch.fnmatchcase(rel, glob) or fnmatch.fnmatchcase(rel, glob.rstrip("/") + "/*"):
            return True
        if "/" not in glob and any(fnmatch.fnmatchcase(p, glob) for p in parts):
            return True
    return False


@given(globs=st.lists(GLOB, max_size=4), rel=REL)
def test_compiled_globs_match_like_matches_any(globs: list[str], rel: str) -> None:
    from checker.config import GlobSet

    assert GlobSet(globs).matches(rel) == matches_any(rel, globs)


# -- progress ------------------------------------------------------------------------
class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_only_on_a_terminal_outside_ci_and_hooks() -> None:
    assert progress.wanted(_Tty(), {})
    assert not progress.wanted(io.StringIO(), {})
    assert not progress.wanted(_Tty(), {"CI": "true"})
    assert not progress.wanted(_Tty(), {"PRE_COMMIT": "1"})


def test_progress_bar_draws_and_erases() -> None:
    stream = _Tty()
    bar = progress.Bar(stream, interval=0)
    total = progress.MIN_FILES
    for done in range(1, total + 1):
        bar(done, total)
    assert f"{total}/{total} files" in stream.getvalue()
    bar.close()
    assert stream.getvalue().endswith("\r")
    quiet = _Tty()
    small = progress.Bar(quiet, interval=0)
    small(1, 3)
    small.close()
    assert quiet.getvalue() == ""


def test_cli_prints_no_progress_when_not_a_terminal(big_repo: Path) -> None:
    proc = run_cli("check", "--no-cache", "drafts", cwd=big_repo)
    assert "files\r" not in proc.stderr and "[" not in proc.stderr
