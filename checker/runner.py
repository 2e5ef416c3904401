"""Checking many files: the result cache, the process pool and progress.

:func:`run_files` answers what it can from the cache (by stat, then by content hash),
checks the rest with :func:`checker.engine.check_path` (in this process, or in a pool
of forked workers when there is enough work to pay for it), stores the new results, and
returns them in discovery order with the diagnostics sorted: the output does not depend
on the number of jobs or on what was cached.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sqlite3
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping, Sequence

from checker import cache as cachemod
from checker.config import Config
from checker.diagnostics import ORDER
from checker.engine import FileResult, RunResult, SourceFile, check_path
from checker.packs import Rule

# Below this many files to check, a pool costs more (fork, pickling) than it saves.
MIN_PARALLEL_FILES = 200
Progress = Callable[[int, int], None]  # (files done, files to check)
# (index, display path, absolute path, digest the cache holds or None, hash the bytes?)
Task = tuple[int, Path, str, bytes | None, bool]
StatKey = tuple[int, int, int, int] | None
# (index, result or None when the bytes match the cached digest, digest, stat key)
Outcome = tuple[int, FileResult | None, bytes | None, StatKey]


def default_jobs() -> int:
    """CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def check_task(task: Task, rules: Sequence[Rule], config: Config,
               known: Mapping[str, Rule]) -> Outcome:
    """Hash the file (when caching) and, unless the hash is the cached one, check it."""
    index, path, key, expected, hashing = task
    dig = skey = None
    if hashing:
        try:
            st = os.stat(key)
            now = time.time()
            if st.st_size > config["max-file-size"]:
                data = b"too large: %d" % st.st_size
            else:
                with open(key, "rb") as fh:
                    data = fh.read()
            dig, skey = cachemod.digest(data), cachemod.stat_key(st, now)
        except OSError:
            dig = None  # the check reports it (E001); nothing is cached
        if dig is not None and dig == expected:
            return index, None, dig, skey
    _doc, result = check_path(path, rules, config, known)
    return index, result, dig, skey


_worker: tuple[Sequence[Rule], Config, Mapping[str, Rule]] | None = None


def _init_worker(rules: Sequence[Rule], config: Config, known: Mapping[str, Rule]) -> None:
    global _worker  # the state of one forked worker process, set once when it starts
    _worker = (rules, config, known)
    gc.enable()  # the parent pauses it for the run (see engine.run); a worker frees as it goes


def _work(task: Task) -> tuple[int, bytes | None, bytes | None, StatKey]:
    """check_task in a worker; the result goes back in the cache's encoding (tuples, not
    dataclasses: cheaper for the parent to load, and ready to store)."""
    assert _worker is not None
    index, result, dig, skey = check_task(task, *_worker)
    return index, None if result is None else cachemod.encode(result), dig, skey


COLLECT_EVERY = 100  # files checked in-process between two collections of young objects
# New rows are written in transactions of this many while the workers go on checking
# (the parent mostly waits for them), not all at the end of the run: on 10,000 drafts,
# 0.3 s of writing moved out of the serial tail. A crash keeps the batches written so far.
STORE_EVERY = 1000


def _execute(tasks: list[Task], rules: Sequence[Rule], config: Config,
             known: Mapping[str, Rule], jobs: int) -> Iterator[tuple[Outcome, bytes | None]]:
    """Outcomes in task order, each with the result's encoding when it has one."""
    jobs = min(jobs, len(tasks))
    fork = "fork" in multiprocessing.get_all_start_methods()
    if jobs <= 1 or len(tasks) < MIN_PARALLEL_FILES or not fork:
        for n, task in enumerate(tasks, 1):
            yield check_task(task, rules, config, known), None
            if n % COLLECT_EVERY == 0:
                # the run pauses the cyclic collector (engine.run), but checking a file
                # leaves reference cycles behind (a Document's cached parts): collect the
                # young objects now and then, or 10,000 drafts in one process pass 1 GB
                gc.collect(0)
        return
    # fork: the workers inherit the loaded rules (compiled patterns) instead of unpickling
    # them; initargs are not pickled with the fork start method.
    context = multiprocessing.get_context("fork")
    # chunks of at most 16 files (about 0.1 s of work): at the end of a run one worker
    # waits for the other's last chunk, so smaller chunks leave less idle time (64 files
    # left up to 0.35 s); sending a chunk costs far less
    chunk = max(1, min(16, len(tasks) // (jobs * 8)))
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_init_worker,
                             initargs=(rules, config, known)) as pool:
        for (index, path, *_), (_, payload, dig, skey) in zip(
                tasks, pool.map(_work, tasks, chunksize=chunk)):
            result = None if payload is None else cachemod.decode(payload, path.as_posix())
            yield (index, result, dig, skey), payload


def _load(row: cachemod.Row, f: SourceFile) -> FileResult | None:
    """The cached result, or None if the row cannot be loaded (e.g. a pickled class of
    a check that has changed): then the file is checked again."""
    try:
        return cachemod.decode(row.payload, f.path.as_posix())
    except Exception:
        return None


def run_files(files: Sequence[SourceFile], config: Config, rules: Sequence[Rule],
              known: Iterable[Rule], *, jobs: int = 1,
              cache: cachemod.ResultCache | None = None,
              progress: Progress | None = None) -> RunResult:
    by_code = {r.code: r for r in known}
    results: list[FileResult | None] = [None] * len(files)
    out = RunResult(files=len(files))
    rows: dict[str, cachemod.Row] = {}
    if cache is not None:
        try:
            rows = cache.lookup([f.key for f in files])
        except sqlite3.Error as exc:
            out.warnings.append(f"result cache disabled (cannot read it: {exc})")
            cache = None

    tasks: list[Task] = []
    for i, f in enumerate(files):
        row = rows.get(f.key)
        if row is not None and row.stat is not None:
            try:
                st = os.stat(f.key)
            except OSError:
                st = None
            if st and (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino) == row.stat:
                results[i] = _load(row, f)
                if results[i] is not None:
                    continue
        tasks.append((i, f.path, f.key, row.digest if row else None, cache is not None))
    out.cached = len(files) - len(tasks)

    fresh: dict[str, cachemod.Row] = {}
    failed: list[str] = []

    def store() -> None:
        """Write the rows gathered so far, one transaction (see STORE_EVERY)."""
        if cache is not None and not failed and (fresh or cache.stale):
            try:
                cache.store(fresh)
            except sqlite3.Error as exc:
                failed.append(f"result cache not updated ({exc})")
        fresh.clear()

    outcomes = _execute(tasks, rules, config, by_code, jobs)
    for done, ((i, result, dig, skey), payload) in enumerate(outcomes, 1):
        f = files[i]
        if result is None:  # same bytes as cached: reuse, and record the new stat
            row = rows[f.key]
            results[i] = _load(row, f)
            if results[i] is not None:
                out.cached += 1
                if skey != row.stat:
                    fresh[f.key] = cachemod.Row(skey, row.digest, row.payload)
            else:  # a row that no longer loads: check the file here
                (_, result, dig, skey), payload = check_task(
                    (i, f.path, f.key, None, True), rules, config, by_code), None
        if result is not None:
            results[i] = result
            if cache is not None and dig is not None and cachemod.cacheable(result):
                fresh[f.key] = cachemod.Row(skey, dig, payload or cachemod.encode(result))
        if progress is not None:
            progress(done, len(tasks))
        if len(fresh) >= STORE_EVERY:
            store()
    store()
    out.warnings += failed
    out.results = [r for r in results if r is not None]
    out.diagnostics = sorted((d for r in out.results for d in r.diagnostics), key=ORDER)
    return out
