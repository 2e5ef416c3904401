"""The cross-document stage split over forked children when the pool is done: the same
output as in one process, and a child that fails is never fatal."""

from __future__ import annotations

import marshal
import os
import random
import shutil
import signal
import threading
import time
from itertools import accumulate
from pathlib import Path
from typing import Iterator

import pytest

from adoptkit import age, config_of, shown
from checker import cache as cachemod, corpus, runner, spread as spreadmod
from checker.engine import RunResult, load_selected, run
from checker.spread import background, spread, stream
from conftest import run_cli

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="forking is POSIX-only")
PARENT = os.getpid()


def square_all(part: list[int]) -> bytes:
    return marshal.dumps(([n * n for n in part], os.getpid()))


def test_each_other_part_is_done_in_a_child_and_answers_come_in_order() -> None:
    mine, theirs = spread(lambda part: sum(part), square_all, [[1, 2], [3], [4, 5]])
    assert mine == 3
    answers = [marshal.loads(t) for t in theirs]
    assert [a[0] for a in answers] == [[9], [16, 25]]
    pids = {a[1] for a in answers}
    assert PARENT not in pids and len(pids) == 2


@pytest.mark.parametrize("memfd", [True, False])
def test_a_large_answer_comes_through_whole(memfd: bool, monkeypatch) -> None:
    """In a memfd, or an unlinked temporary file where the system has none."""
    if not memfd:
        monkeypatch.delattr(os, "memfd_create", raising=False)
    blob = random.Random(4).randbytes(5_000_000)  # far more than a pipe holds
    _, theirs = spread(lambda part: None, lambda part: blob[part:], [0, 7, 9])
    assert theirs == [blob[7:], blob[9:]]


def test_children_are_reaped_by_the_next_fork_or_a_background_wait(monkeypatch) -> None:
    """A child that has given its answer is not waited for then (its exit takes a while);
    no thread waits for it either (forking with threads alive is unsafe): the next fork
    reaps the exited ones, a background writer's wait all of them."""
    children = forked(monkeypatch)
    spread(lambda part: None, square_all, [[1], [2], [3]])
    assert len(children) == 2
    assert background(lambda: None)()
    assert not any(_alive(pid) for pid in children)
    assert threading.active_count() == 1


def test_a_failing_take_stops_every_child_and_closes_its_files(monkeypatch) -> None:
    def take(piece: bytes) -> None:
        raise ValueError("a bug in take")

    fds = len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else None
    children = forked(monkeypatch)
    with pytest.raises(ValueError):
        stream(lambda part: None, squares_in_pieces, [[0], [1, 2], [3]], take)
    assert len(children) == 2 and not any(_alive(pid) for pid in children)
    if fds is not None:
        assert len(os.listdir("/proc/self/fd")) == fds


def forked(monkeypatch) -> list[int]:
    """The pids of the children spread forks from now on (recorded as they are forked)."""
    pids: list[int] = []
    real = spreadmod._fork

    def fork(remote, part):
        child = real(remote, part)
        if child is not None:
            pids.append(child[0])
        return child

    monkeypatch.setattr(spreadmod, "_fork", fork)
    return pids


def _alive(pid: int) -> bool:
    """True while ``pid`` exists, a zombie included (gone once reaped)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def squares_in_pieces(part: list[int]) -> Iterator[bytes]:
    for n in part:
        yield marshal.dumps((n * n, os.getpid()))


def dies_after_one_piece(part: list[int]) -> Iterator[bytes]:
    for k, n in enumerate(part):
        if k == 1 and os.getpid() != PARENT:
            os.kill(os.getpid(), signal.SIGKILL)
        yield marshal.dumps((n * n, os.getpid()))


def test_pieces_are_taken_in_order_as_they_come() -> None:
    taken: list[int] = []

    def take(piece: bytes) -> int:
        n, pid = marshal.loads(piece)
        assert pid != PARENT
        taken.append(n)
        return n

    mine, theirs = stream(lambda part: sum(part), squares_in_pieces, [[1], [2, 3], [4, 5, 6]],
                          take)
    assert mine == 1 and theirs == [[4, 9], [16, 25, 36]] and taken == [4, 9, 16, 25, 36]


def test_a_child_that_dies_midway_has_its_whole_part_done_here() -> None:
    mine, theirs = stream(lambda part: None, dies_after_one_piece, [[0], [2, 3, 4], [5]],
                          lambda piece: marshal.loads(piece))
    assert [[n for n, _ in part] for part in theirs] == [[4, 9, 16], [25]]
    assert {pid for _, pid in theirs[0]} == {PARENT}  # redone here, whole
    assert {pid for _, pid in theirs[1]} != {PARENT}


def fails_in_a_child(part: int) -> bytes:
    if os.getpid() != PARENT:
        raise RuntimeError("a bug that shows only in the child")
    return b"done here %d" % part


def dies_in_a_child(part: int) -> bytes:
    if os.getpid() != PARENT:
        os.kill(os.getpid(), signal.SIGKILL)
    return b"done here %d" % part


def exits_in_a_child(part: int) -> bytes:
    if os.getpid() != PARENT:
        raise SystemExit(0)  # a clean-looking exit, but no answer: not taken
    return b"done here %d" % part


@pytest.mark.parametrize("remote", [fails_in_a_child, dies_in_a_child, exits_in_a_child])
def test_a_child_that_fails_or_dies_has_its_part_done_here(remote) -> None:
    mine, theirs = spread(lambda part: part, remote, [1, 2, 3])
    assert (mine, theirs) == (1, [b"done here 2", b"done here 3"])


def test_no_fork_no_child(monkeypatch) -> None:
    monkeypatch.delattr(os, "fork")
    assert spread(lambda part: part, fails_in_a_child, [1, 2]) == (1, [b"done here 2"])


def test_children_are_stopped_when_this_part_fails() -> None:
    def sleeps(part: int) -> bytes:
        signal.pause()  # until killed
        return b""

    def fails(part: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        spread(fails, sleeps, [1, 2, 3])
    with pytest.raises(ChildProcessError):  # reaped: no child left behind
        os.waitpid(-1, os.WNOHANG)


def test_a_background_job_runs_in_a_child_and_is_waited_for(tmp_path: Path) -> None:
    out = tmp_path / "pid"

    def job() -> None:
        time.sleep(0.2)
        out.write_text(str(os.getpid()))

    wait = background(job)
    assert not out.exists()  # this process went on
    assert wait() is True
    assert int(out.read_text()) != PARENT


def test_a_failing_background_job_is_reported_by_its_wait() -> None:
    def job() -> None:
        raise OSError("disk full")

    assert background(job)() is False


def test_without_fork_a_background_job_runs_at_once(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delattr(os, "fork")
    out = tmp_path / "pid"
    wait = background(lambda: out.write_text(str(os.getpid())))
    assert int(out.read_text()) == PARENT and wait() is True


def test_closing_the_cache_waits_for_its_background_writers(dup_repo: Path) -> None:
    config = config_of(dup_repo)
    known, selected = load_selected(config)
    results = cachemod.open_cache(config, selected, known, cachemod.cache_dir(config))[0]
    out = dup_repo / "written"

    def job() -> None:
        time.sleep(0.3)
        out.write_text("done")

    results.after(background(job))
    assert not out.exists()
    results.close()
    assert out.read_text() == "done"
    out.unlink()


# -- the stage ----------------------------------------------------------------------------
CLAUSES = ["在理论武装方面自己满足于参加集中学习", "个人自学的时间偏少", "读原著学原文不够系统",
           "对新思想新观点的理解停留在字面上", "联系分管工作思考不深", "运用理论指导实践的能力还有欠缺",
           "在担当作为方面工作标准不够高", "遇到矛盾问题有时绕着走", "抓落实的韧劲还不足",
           "在作风建设方面深入基层调研不够", "听取群众意见的渠道不多", "解决实际问题的办法不多"]


@pytest.fixture(scope="module")
def dup_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Drafts whose paragraphs are drawn from a few, with clauses swapped: many groups
    of verbatim copies and of near copies, as in a real drafts repo."""
    root = tmp_path_factory.mktemp("dups")
    (root / "drafts").mkdir()
    (root / ".draftlint.yaml").write_text("select: [D201]\n", encoding="utf-8")
    rng = random.Random(7)
    paths = []
    for i in range(runner.MIN_PARALLEL_FILES + 40):
        lines = ["2023年度专题民主生活会对照检查材料"]
        for _ in range(6):
            clauses = rng.sample(CLAUSES, 8)
            if rng.random() < 0.5:
                clauses[rng.randrange(8)] = f"第{rng.randrange(40)}项整改措施还没有完全落实"
            lines.append("，".join(clauses) + "。")
        path = root / "drafts" / f"d{i:04d}.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    age(*paths)
    return root


def check(root: Path, *, use_cache: bool = True, jobs: int = 1) -> RunResult:
    """One run over the whole repo (so the stage's output is cached, see
    engine._cross_document)."""
    config = config_of(root)
    known, selected = load_selected(config)
    results = cachemod.open_cache(config, selected, known, cachemod.cache_dir(config))[0] \
        if use_cache else None
    try:
        return run([root], config, selected, known, jobs=jobs, cache=results)
    finally:
        if results is not None:
            results.close()


def test_the_split_stage_reports_what_one_process_reports(dup_repo: Path, monkeypatch) -> None:
    serial = check(dup_repo, use_cache=False, jobs=1)
    assert len(serial.diagnostics) > 300  # enough to split
    calls: list[int] = []
    real, real_stream = spreadmod.spread, spreadmod.stream

    def counted(local, remote, parts):
        calls.append(len(parts))
        return real(local, remote, parts)

    def counted_stream(local, remote, parts, take):
        calls.append(len(parts))
        return real_stream(local, remote, parts, take)

    monkeypatch.setattr(corpus, "spread", counted)
    monkeypatch.setattr(corpus, "stream", counted_stream)
    monkeypatch.setattr(corpus, "SPREAD_MIN", 10)
    shutil.rmtree(dup_repo / ".draftlint_cache", ignore_errors=True)
    cold = check(dup_repo, jobs=2)
    assert calls == [2, 2]  # the verification, then the diagnostics
    assert shown(cold) == shown(serial)
    assert cold.diagnostics == serial.diagnostics
    # the stored output (one chunk from this process, a chunk a piece from the child,
    # written by a background writer that closing the cache waited for) is read back whole
    calls.clear()
    warm = check(dup_repo, jobs=2)
    assert calls == [] and warm.cached == warm.files
    assert warm.diagnostics == serial.diagnostics
    # three parts: the same again
    shutil.rmtree(dup_repo / ".draftlint_cache")
    assert check(dup_repo, jobs=3).diagnostics == serial.diagnostics
    assert calls == [3, 3]


def test_a_stage_below_the_split_size_stays_in_one_process(dup_repo: Path,
                                                           monkeypatch) -> None:
    monkeypatch.setattr(corpus, "spread", None)  # would fail if used
    monkeypatch.setattr(corpus, "stream", None)
    assert check(dup_repo, use_cache=False, jobs=2).diagnostics


def test_cli_d201_alone_is_the_same_for_one_and_two_jobs(dup_repo: Path) -> None:
    """Through the installed CLI (the stage is below the split size here: the split
    itself is compared above)."""
    one = run_cli("check", "--no-cache", "-j", "1", "drafts", cwd=dup_repo)
    two = run_cli("check", "-j", "2", ".", cwd=dup_repo)
    assert one.returncode == two.returncode == 1
    assert one.stdout == two.stdout and one.stdout.count("D201") > 300


def test_runs_cut_by_cost_and_weigh_the_local_part() -> None:
    cost = list(range(1, 101))  # a hundred items of one unit each: running totals
    assert [(r.start, r.stop) for r in corpus._runs(range(100), 2, cost)] == [(0, 49), (49, 100)]
    assert [(r.start, r.stop) for r in corpus._runs(range(100), 3, cost)] == [
        (0, 33), (33, 66), (66, 100)]
    # the part done here weighs 1.2 times a child's: 1.2 / 2.2 of the items
    assert [(r.start, r.stop) for r in corpus._runs(range(100), 2, cost, 1.2)] == [
        (0, 54), (54, 100)]
    # uneven costs: the cut falls where half of the total is reached
    heavy = list(accumulate([10] * 5 + [1] * 50))
    assert [(r.start, r.stop) for r in corpus._runs(range(55), 2, heavy)] == [(0, 4), (4, 55)]
    assert corpus._runs(range(7), 1, list(range(1, 8))) == [range(7)]
