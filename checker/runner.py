"""Checking many files: the result cache, the process pool and progress.

:func:`run_files` answers what it can from the cache (by stat, then by content hash),
checks the rest with :func:`checker.engine.check_path` (in this process, or in a pool
of forked workers when there is enough work to pay for it), stores the new results, runs
the cross-document stage once every file's fingerprints are known, and returns the results
in discovery order with the diagnostics sorted: the output does not depend on the number
of jobs or on what was cached.

Data flow of a cold pool run with a cross-document rule and others (two phases on one
pool; otherwise the fingerprints come with each file's check and the stage runs last)::

    workers: fingerprint every file ─┐     check every file with the other rules ──┐
    parent:                          └─ stage (match, render) ─── collect, cache ──┴─ sort

When the stage runs after the pool instead (every rule a cross-document one, or most
files answered by the cache), the pool's cores are free: the stage may use ``jobs``
processes, forking for its two largest steps (see :func:`checker.corpus.run_stage`).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sqlite3
import time
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from itertools import chain
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

from checker import cache as cachemod
from checker.config import Config
from checker.diagnostics import ORDER, Diagnostic
from checker.engine import (FileResult, RunResult, SourceFile, check_path, corpus_rules,
                            fingerprint_path)
from checker.packs import Rule
from checker.readers import Loaded, load

# Below this many files to check, a pool costs more (fork, pickling) than it saves.
MIN_PARALLEL_FILES = 200
Progress = Callable[[int, int], None]  # (files done, files to check)
# the cross-document stage: (path, extras) of each file with extras, in discovery order,
# and the processes it may use (1 while the workers check: the cores are busy)
Stage = Callable[[list[tuple[Path, Mapping[str, Any]]], int], list[Diagnostic]]
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


def _hash(key: str, config: Config) -> tuple[bytes | None, StatKey, Loaded]:
    """The cache's content hash and stat key of a file, and its bytes for the check to
    use: read once. (None, None, ...) if it cannot be read (the check reports it, E001;
    nothing is cached). A file over the size limit is hashed by its size (E004 again
    until it changes)."""
    loaded = load(key, config["max-file-size"])
    st = loaded.stat
    if loaded.data is not None:
        data = loaded.data
    elif st is not None and loaded.problem is not None and loaded.problem.code == "E004":
        data = b"too large: %d" % st.st_size
    else:
        return None, None, loaded
    return cachemod.digest(data), cachemod.stat_key(st, time.time()), loaded


def check_task(task: Task, rules: Sequence[Rule], config: Config,
               known: Mapping[str, Rule]) -> Outcome:
    """Hash the file (when caching) and, unless the hash is the cached one, check it."""
    index, path, key, expected, hashing = task
    dig = skey = loaded = None
    if hashing:
        dig, skey, loaded = _hash(key, config)
        if dig is not None and dig == expected:
            return index, None, dig, skey
    _doc, result = check_path(path, rules, config, known, loaded)
    return index, result, dig, skey


# (extras, failures of the fingerprints, the file's stat fields before it was read, or
# None): the first phase of a two-phase run (see run_files)
Prints = tuple[dict[str, Any], list[Diagnostic], StatKey]


def _stat(key: str) -> StatKey:
    """The stat fields the cache compares (None if the file cannot be stat'ed)."""
    try:
        st = os.stat(key)
    except OSError:
        return None
    return st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino


def fingerprint_task(task: Task, rules: Sequence[Rule], config: Config) -> Prints:
    """Only the CORPUS rules' fingerprints of the file, and its stat fields (the second
    phase compares them with its own: a file edited in between is not cached)."""
    seen = _stat(task[2])
    return (*fingerprint_path(task[1], rules, config), seen)


# the state of one forked worker process, set once when it starts: the configuration,
# the rules by code, and the rules each kind of task runs
_worker: tuple[Config, Mapping[str, Rule], dict[str, Sequence[Rule]]] | None = None


def _init_worker(rules: Sequence[Rule], config: Config, known: Mapping[str, Rule]) -> None:
    global _worker
    cross = corpus_rules(rules)
    _worker = (config, known, {"all": rules, "corpus": cross,
                               "rest": [r for r in rules if r not in cross]})
    gc.enable()  # the parent pauses it for the run (see engine.run); a worker frees as it goes


def _work(task: Task, rules: str = "all") -> tuple[int, bytes | None, bytes | None, StatKey]:
    """check_task in a worker; the result goes back in the cache's encoding (tuples, not
    dataclasses: cheaper for the parent to load, and ready to store)."""
    assert _worker is not None
    config, known, sets = _worker
    index, result, dig, skey = check_task(task, sets[rules], config, known)
    return index, None if result is None else cachemod.encode(result), dig, skey


def _fingerprint(task: Task) -> Prints:
    assert _worker is not None
    config, _known, sets = _worker
    return fingerprint_task(task, sets["corpus"], config)


COLLECT_EVERY = 100  # files checked in-process between two collections of young objects
# New rows are written in transactions of this many while the workers go on checking
# (the parent mostly waits for them), not all at the end of the run: on 10,000 drafts,
# 0.3 s of writing moved out of the serial tail. A crash keeps the batches written so far.
STORE_EVERY = 1000


def _workers(jobs: int, tasks: int) -> int:
    """Processes for ``tasks`` files: 0 (check in this process) unless a pool pays."""
    jobs = min(jobs, tasks)
    fork = "fork" in multiprocessing.get_all_start_methods()
    return jobs if jobs > 1 and tasks >= MIN_PARALLEL_FILES and fork else 0


def _execute(tasks: list[Task], rules: Sequence[Rule], config: Config,
             known: Mapping[str, Rule], workers: int,
             first: Callable[[list[Prints]], None] | None = None
             ) -> Iterator[tuple[Outcome, bytes | None]]:
    """Outcomes in task order, each with the result's encoding when it has one.

    With ``first`` (pool runs only) the work is in two phases: the workers fingerprint
    every file for the CORPUS rules, ``first`` gets those (in task order) and runs here
    while the workers go on to check the files with the other rules; the outcomes then
    carry no extras."""
    if not workers:
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
    chunk = max(1, min(16, len(tasks) // (workers * 8)))
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker,
                             initargs=(rules, config, known)) as pool:
        # map submits every chunk at once: the fingerprints are queued before the checks
        # (in larger chunks: a file takes a twentieth of the time to fingerprint)
        if first is not None:
            prints = pool.map(_fingerprint, tasks, chunksize=chunk * 8)
            outcomes = pool.map(partial(_work, rules="rest"), tasks, chunksize=chunk)
            first(list(prints))
        else:
            # only fingerprints to take (every rule a cross-document one): the first
            # phase's chunk size (on 10,000 drafts with D201 alone, chunks of 16 files kept
            # the workers waiting for the parent: 0.15 s longer)
            prints_only = len(corpus_rules(rules)) == len(rules)
            outcomes = pool.map(_work, tasks, chunksize=chunk * 8 if prints_only else chunk)
        for (index, path, *_), (_, payload, dig, skey) in zip(tasks, outcomes):
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
              progress: Progress | None = None, stage: Stage | None = None) -> RunResult:
    """Check ``files``; ``stage`` (the cross-document stage) runs once every file's
    extras are known: after the last file, or in a cold pool run as soon as the workers
    have fingerprinted every file (two phases, see :func:`_execute`), so that it runs
    while they check instead of after them with one core idle."""
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
            if _stat(f.key) == row.stat:
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

    staged: list[Diagnostic] | None = None
    early: dict[int, Prints] = {}  # two phases: each task's fingerprints, by file index

    def first(prints: list[Prints]) -> None:
        nonlocal staged
        early.update(zip((t[0] for t in tasks), prints))
        staged = stage(_collected(files, results, early), 1) if stage else []

    workers = _workers(jobs, len(tasks))
    # two phases pay when the stage has work to overlap: a cold run (no cached digest to
    # compare first) whose rules are not all cross-document ones
    cross = corpus_rules(rules)
    two_phase = bool(workers and stage and cross and len(cross) < len(rules)
                     and all(t[3] is None for t in tasks))
    if progress is not None and tasks:
        progress(0, len(tasks))  # drawn now: in two phases the first file takes a while
    outcomes = _execute(tasks, rules, config, by_code, workers, first if two_phase else None)
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
        elif i in early:  # checked without the CORPUS rules: add their part
            extras, failures, seen = early[i]
            if extras or failures:
                result = FileResult(result.path, (*result.diagnostics, *failures), extras)
                payload = None
            if seen is None or _stat(f.key) != seen:  # edited since the first phase
                dig = None  # read: not cached
        if result is not None:
            results[i] = result
            if cache is not None and dig is not None and cachemod.cacheable(result):
                fresh[f.key] = cachemod.Row(skey, dig, payload or cachemod.encode(result))
        if progress is not None:
            progress(done, len(tasks))
        if len(fresh) >= STORE_EVERY:
            store()
    store()
    if stage is not None and staged is None:  # the pool is done: its cores are free
        staged = stage(_collected(files, results, early), jobs)
    out.warnings += failed
    out.results = [r for r in results if r is not None]
    out.diagnostics = sorted(chain((d for r in out.results for d in r.diagnostics),
                                   staged or ()), key=ORDER)
    return out


def _collected(files: Sequence[SourceFile], results: Sequence[FileResult | None],
               early: Mapping[int, Prints]) -> list[tuple[Path, Mapping[str, Any]]]:
    """The stage's input: (path, extras) of each file with extras, in discovery order,
    from the results, or (two phases) from the fingerprints of the files being checked."""
    out = []
    for i, f in enumerate(files):
        r = results[i]
        if r is not None:
            if r.extras:
                out.append((Path(r.path), r.extras))
        elif i in early and early[i][0]:
            out.append((Path(f.path.as_posix()), early[i][0]))
    return out
