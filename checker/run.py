"""One run, one way: discover → read → cache lookup → check → cross-document stage.

This is the only module that knows the result cache, the process pool and the
cross-document stage; :mod:`checker.engine` checks one document, :mod:`checker.cache`
stores results, :mod:`checker.copies` matches the fingerprints of many documents.

1. **discover** (:func:`checker.discover.walk`): each file once, in a stable order.
2. **cache lookup**: a file whose stat, or else whose content hash, is the one a row of
   the cache holds for these settings is answered by that row and not checked.
3. **check**: the other files are read and checked (:func:`checker.engine.check_path`), in
   this process or, when there are at least :data:`MIN_POOL_FILES` of them and more than
   one job, in a pool of worker processes; new results go into the cache.
4. **cross-document stage**: the fingerprints every file's result carries are matched
   across files (D201).
5. The diagnostics are sorted by place: the output does not depend on the number of jobs
   or on what was cached.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, Sequence

from checker import cache as cachemod
from checker.config import Config
from checker.discover import SourceFile, walk
from checker.engine import check_path, corpus_rules, input_diagnostic
from checker.model import ORDER, Diagnostic, FileResult, RunResult
from checker.packs import Rule
from checker.readers import load

MIN_POOL_FILES = 200  # fewer files to check than this: one process (a pool costs more)
Progress = Callable[[int, int], None]  # (files done, files to check)
# (index in the run's files, the file, the digest its cached row holds or None)
Task = tuple[int, SourceFile, str | None]
# (index, the result or None when the bytes are those of the cached row, digest, stat)
Outcome = tuple[int, FileResult | None, str | None, cachemod.StatKey | None]


def default_jobs() -> int:
    """CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def run(paths: Sequence[Path], config: Config, rules: Sequence[Rule], known: Sequence[Rule],
        *, jobs: int = 1, cache: cachemod.ResultCache | None = None,
        progress: Progress | None = None) -> RunResult:
    """Check every file under ``paths`` (which must exist) with the selected ``rules``;
    ``known``: every rule (an input problem of a rule not selected is dropped)."""
    by_code = {r.code: r for r in known}
    files: list[SourceFile] = []
    diagnostics: list[Diagnostic] = []
    for source, problem in walk(paths, config):
        if problem is None:
            files.append(source)
        elif problem.code in {r.code for r in rules} or problem.code not in by_code:
            diagnostics.append(input_diagnostic(source.path.as_posix(), problem, by_code))

    cross = corpus_rules(rules)
    if cross and len(files) < 2 and not _compared_beyond(cross, config):
        # one file and nothing to compare it with: no fingerprints to make (numpy is not
        # even loaded), and no cache rows written (they would lack them)
        rules, cross, cache = [r for r in rules if r not in cross], [], None
    out = RunResult(files=len(files))
    results: list[FileResult | None] = [None] * len(files)
    rows = cache.lookup([f.key for f in files]) if cache is not None else {}
    tasks: list[Task] = []
    for i, f in enumerate(files):
        row = rows.get(f.key)
        if row is not None and row.stat is not None and _stat(f.key) == row.stat:
            results[i] = cachemod.load_row(row, f.path.as_posix(), f.key)
        if results[i] is None:
            tasks.append((i, f, row.digest if row else None))

    out.cached = len(files) - len(tasks)
    fresh: dict[str, cachemod.Row] = {}
    for done, (i, result, dig, stat) in enumerate(
            _check(tasks, rules, config, by_code, jobs, cache is not None), 1):
        f = files[i]
        checked = result is not None
        if not checked:  # the bytes of the cached row: use it, with the new stat
            row = rows[f.key]
            result = cachemod.load_row(row, f.path.as_posix(), f.key)
            if result is None:  # the row does not load: check the file here
                i, result, dig, stat = check_task((i, f, None), rules, config, by_code, True)
                checked = True
            else:
                out.cached += 1
                if stat != row.stat:
                    fresh[f.key] = cachemod.Row(stat, row.digest, row.body)
        if checked and result is not None and dig is not None and cachemod.cacheable(result):
            fresh[f.key] = cachemod.Row(stat, dig, *cachemod.encode(result))
        results[i] = result
        if progress is not None:
            progress(done, len(tasks))
    if cache is not None:
        if fresh:
            cache.store(fresh)
        out.warnings += cache.warnings
    out.results = [r for r in results if r is not None]
    diagnostics += (d for r in out.results for d in r.diagnostics)
    if cross:
        diagnostics += _cross_document(out.results, cross, config, cache, jobs)
    out.diagnostics = sorted(diagnostics, key=ORDER)
    return out


def _compared_beyond(cross: Sequence[Rule], config: Config) -> bool:
    """Whether the cross-document ``cross`` rules compare the checked files with drafts
    not checked: the repo's (scope repo, with a configuration file) or a library's."""
    return config["library"] is not None or (
        config.source is not None and any(r.options["scope"] == "repo" for r in cross))


def _cross_document(results: Sequence[FileResult], cross: Sequence[Rule], config: Config,
                    cache: cachemod.ResultCache | None, jobs: int) -> list[Diagnostic]:
    """The cross-document stage over the fingerprints of every checked file (and, for
    scope ``repo``, of the repo's other drafts, kept in the cache's database; those not
    indexed yet are fingerprinted in the pool)."""
    from checker import copies

    def many(fn: Callable[[Any], Any], items: list[Any], batched: bool = False) -> list[Any]:
        return parallel_map(fn, items, jobs, batched)

    collected = [(Path(r.path), r.extras) for r in results if r.extras]
    if cache is None:
        return copies.run_stage(collected, cross, config, many)
    return copies.run_stage(collected, cross, config, many, cache.connection, cache.settings,
                            cache.read_kept)


def _stat(key: str) -> cachemod.StatKey | None:
    """The stat fields the cache compares (None if the file cannot be stat'ed)."""
    try:
        st = os.stat(key)
    except OSError:
        return None
    return st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino


def check_task(task: Task, rules: Sequence[Rule], config: Config,
               known: Mapping[str, Rule], hashing: bool) -> Outcome:
    """Read the file once; when caching, hash it, and unless the hash is the cached one,
    check it. A file that cannot be read has no digest (it is not cached)."""
    index, f, expected = task
    loaded = load(f.key, config["max-file-size"])
    dig = stat = None
    if hashing and loaded.stat is not None:
        if loaded.data is not None:
            dig = cachemod.digest(loaded.data)
        elif loaded.problem is not None and loaded.problem.code == "E004":
            dig = cachemod.digest(b"too large: %d" % loaded.stat.st_size)
        if dig is not None:
            stat = cachemod.stat_key(loaded.stat, time.time())
            if dig == expected:
                return index, None, dig, stat
    _doc, result = check_path(f.path, rules, config, known, loaded)
    return index, result, dig, stat


# the function the pool's workers apply (set before they are forked: they inherit it)
_apply: Callable[[Any], Any] | None = None


def _pooled(item: Any) -> Any:
    assert _apply is not None
    return _apply(item)


def _use_pool(jobs: int, items: int) -> bool:
    """Whether ``items`` are worth a pool of ``jobs`` forked processes."""
    return jobs >= 2 and items >= MIN_POOL_FILES \
        and "fork" in multiprocessing.get_all_start_methods()


def _in_pool(fn: Callable[[Any], Any], items: list[Any], jobs: int, chunk: int
             ) -> Iterator[Any]:
    """``fn`` over ``items``, in order, in a pool of ``jobs`` forked processes (they
    inherit ``fn`` and what it holds, the loaded rules for one: only the items and the
    results are pickled)."""
    global _apply
    _apply = fn
    try:
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            yield from pool.map(_pooled, items, chunksize=chunk)
    finally:
        _apply = None


def parallel_map(fn: Callable[[Any], Any], items: list[Any], jobs: int,
                 batched: bool = False) -> list[Any]:
    """``[fn(item) for item in items]``, in the pool when there are at least
    :data:`MIN_POOL_FILES` items. ``batched``: ``fn`` takes a list of items, and is given
    all of them at once here, or two batches a worker in the pool."""
    if not _use_pool(jobs, len(items)):
        return [fn(items)] if batched else [fn(item) for item in items]
    if batched:
        return list(_in_pool(fn, [items[i::2 * jobs] for i in range(2 * jobs)], jobs, 1))
    return list(_in_pool(fn, items, jobs, _chunk(len(items), jobs)))


def _check(tasks: list[Task], rules: Sequence[Rule], config: Config,
           known: Mapping[str, Rule], jobs: int, hashing: bool) -> Iterator[Outcome]:
    """The outcomes of ``tasks``, in order: here, or in the pool when there are enough
    files (streamed: the caller reports progress as they come)."""
    work = partial(check_task, rules=rules, config=config, known=known, hashing=hashing)
    workers = min(jobs, len(tasks))
    if not _use_pool(workers, len(tasks)):
        return map(work, tasks)
    return _in_pool(work, tasks, workers, _chunk(len(tasks), workers))


def _chunk(items: int, workers: int) -> int:
    """Items a worker takes at a time: about eight chunks a worker, at most 16 items."""
    return max(1, min(16, items // (workers * 8)))
