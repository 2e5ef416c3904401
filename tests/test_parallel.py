"""Parallel runs give the same output as serial ones; discovery and progress."""

from __future__ import annotations

import fnmatch
import io
import os
import shutil
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import given, strategies as st

from adoptkit import check, make_repo, shown
from checker import cache as cachemod, progress, run as runmod
from checker.config import Config
from checker.discover import walk
from conftest import run_cli


@pytest.fixture(scope="module")
def big_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("big")
    make_repo(root, runmod.MIN_POOL_FILES + 40, every=7)
    return root


def test_cli_output_is_the_same_for_one_and_two_jobs(big_repo: Path) -> None:
    one = run_cli("check", "--no-cache", "-j", "1", "drafts", cwd=big_repo)
    two = run_cli("check", "--no-cache", "-j", "2", "drafts", cwd=big_repo)
    assert one.returncode == two.returncode == 1
    assert one.stdout == two.stdout
    assert one.stdout.count("P101") == 35


def test_the_pool_is_used_for_large_runs_only(big_repo: Path, monkeypatch) -> None:
    started = []

    class Spy(runmod.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs) -> None:
            started.append(args)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(runmod, "ProcessPoolExecutor", Spy)
    serial = check(big_repo, use_cache=False, jobs=1)
    assert started == []
    parallel = check(big_repo, use_cache=False, jobs=2)
    assert len(started) == 1
    assert shown(parallel) == shown(serial)
    assert [r.path for r in parallel.results] == [r.path for r in serial.results]


def test_small_runs_stay_in_process(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(runmod, "ProcessPoolExecutor", None)  # would fail if used
    make_repo(tmp_path, 5)
    assert len(check(tmp_path, use_cache=False, jobs=8).diagnostics) == 2


def test_parallel_run_fills_the_cache(big_repo: Path) -> None:
    cold = check(big_repo, jobs=2)
    warm = check(big_repo, jobs=2)
    assert warm.cached == warm.files == runmod.MIN_POOL_FILES + 40
    assert shown(warm) == shown(cold)


SHARED = ("在理论武装方面，自己满足于参加集中学习，个人自学的时间偏少，读原著学原文不够系统，"
          "对新思想新观点的理解停留在字面上，联系分管工作思考不深，运用理论指导实践的能力还有欠缺。")


@pytest.fixture(scope="module")
def copied_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Drafts with a ``**`` blank in every 7th, and the same paragraph in every 49th."""
    root = tmp_path_factory.mktemp("copied")
    paths = make_repo(root, runmod.MIN_POOL_FILES + 40, every=7)
    (root / ".draftlint.yaml").write_text("select: [P101, D201]\n", encoding="utf-8")
    for path in paths[::49]:  # 5 drafts, one in each batch of the stage's pool (and one more)
        path.write_text(path.read_text(encoding="utf-8") + SHARED + "\n", encoding="utf-8")
    return root


def test_a_pool_run_with_d201_is_the_serial_run(copied_repo: Path) -> None:
    files = runmod.MIN_POOL_FILES + 40
    shutil.rmtree(copied_repo / ".draftlint_cache", ignore_errors=True)
    serial = check(copied_repo, jobs=1)
    shutil.rmtree(copied_repo / ".draftlint_cache")
    pooled = check(copied_repo, jobs=2)
    assert shown(pooled) == shown(serial)
    codes = [d.code for d in pooled.diagnostics]
    assert codes.count("D201") == 5 and codes.count("P101") == 35
    # the rows it stored carry the fingerprints: a warm run matches from them alone
    warm = check(copied_repo, jobs=2)
    assert warm.cached == files and shown(warm) == shown(serial)


def test_a_run_over_one_draft_indexes_the_others_in_the_pool_alike(copied_repo: Path) -> None:
    """A pre-commit run over one draft (scope repo): the repo's 239 other drafts are
    fingerprinted into the index, in the pool with two jobs; the findings are those of
    one job, and of the index's next run."""
    from checker.config import load_file
    from checker.engine import load_selected

    config = load_file(copied_repo / ".draftlint.yaml").with_values(select=("D201",))
    known, selected = load_selected(config)
    draft = copied_repo / "drafts" / "d0049.txt"
    found = []
    for jobs, fresh in ((1, True), (2, True), (2, False)):
        if fresh:
            shutil.rmtree(copied_repo / ".draftlint_cache", ignore_errors=True)
        cache = cachemod.open_cache(config, selected, known,
                                    copied_repo / ".draftlint_cache")[0]
        try:
            result = runmod.run([draft], config, selected, known, jobs=jobs, cache=cache)
        finally:
            cache.close()
        found.append(shown(result))
    assert found[0] == found[1] == found[2]
    assert [d[3] for d in found[0]] == ["D201"]


def test_parallel_map_keeps_the_order_and_runs_in_workers() -> None:
    items = list(range(runmod.MIN_POOL_FILES))
    assert runmod.parallel_map(lambda n: n * n, items, 2) == [n * n for n in items]
    pids = set(runmod.parallel_map(lambda _: os.getpid(), items, 2))
    assert pids and os.getpid() not in pids
    assert set(runmod.parallel_map(lambda _: os.getpid(), items[:10], 2)) == {os.getpid()}


def test_a_failing_fingerprint_is_reported_alike_in_a_pool(copied_repo: Path,
                                                          monkeypatch) -> None:
    """A CORPUS rule that fails on one file: the same E900 whether the file was checked
    here or in a worker, and its row cached like any other (issue 21 item 9)."""
    from checker.checks import corpus_duplicate

    real = corpus_duplicate.fingerprint

    def fails_on_d0010(doc, options):
        if doc.path.endswith("d0010.txt"):
            raise RuntimeError("boom")
        return real(doc, options)

    monkeypatch.setattr(corpus_duplicate, "fingerprint", fails_on_d0010)  # workers fork it
    runs = []
    for jobs in (1, 2):
        shutil.rmtree(copied_repo / ".draftlint_cache", ignore_errors=True)
        cold = check(copied_repo, jobs=jobs)
        runs.append((shown(cold), check(copied_repo, jobs=jobs).cached))
    (serial, cached_serial), (pooled, cached_pooled) = runs
    assert pooled == serial
    assert [d[:4] for d in pooled if d[3] == "E900"] == [("d0010.txt", 1, 1, "E900")]
    assert cached_serial == cached_pooled == runmod.MIN_POOL_FILES + 40


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
