"""The cross-document stage (kind corpus-duplicate, D201): passages copied between drafts.

Two parts, so per-file work can run anywhere (a worker process) and only small data
travels:

1. the kind's ``fingerprint`` (:mod:`checker.checks.corpus_duplicate`), where a file is
   checked: the draft's winnowed fingerprints, packed as bytes (kept beside the file's
   cached result, which names them by a :class:`~checker.model.Stored`, read only when the
   stage has to match);
2. :func:`run_stage`, once at the end of the run: every checked draft's passages found in
   another draft (:func:`checker.dedup.find_copies`) become one diagnostic per passage,
   naming the draft with the longest copy and its line, the others as related locations.

With scope ``repo`` and a configuration file the other drafts of the repo are compared
too, through the fingerprint index in the result cache's database
(:mod:`checker.printstore`: refreshed incrementally, so a pre-commit run over one draft
reads no other); when every draft of the repo is checked in the run, the matching itself
runs in memory (:class:`checker.dedup.MemoryIndex`), in batches of drafts in the run's
pool when there are many. The texts of the drafts that share
a passage are read again to mark its exact extent.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from checker import printstore, stagestore
from checker.checks.corpus_duplicate import settings
from checker.config import Config
from checker.dedup import (Copy, DraftPrint, MemoryIndex, PrintIndex, find_all_copies,
                           find_copies, normalise)
from checker.dedup import fingerprint as _print
from checker.dedup.passages import TEXTS_KEPT
from checker.model import Diagnostic, Pool, Related, Stored, digest
from checker.packs import Rule


Fetch = Callable[[Sequence[Stored]], Mapping[Stored, bytes]]  # the cache's kept bytes


def _display(path: Path) -> str:
    """The path as the run shows it: relative to the working directory when inside it."""
    try:
        rel = os.path.relpath(path)
        return Path(rel).as_posix() if not rel.startswith("..") else path.as_posix()
    except ValueError:
        return path.as_posix()


def _reader(config: Config) -> Callable[[str], "str | None"]:
    """A draft's text by its display path (None when it cannot be read)."""
    from checker import readers

    def read(display: str) -> str | None:
        doc = readers.read_path(Path(display), display, config["max-file-size"],
                                controls=False).document
        return None if doc is None else doc.text

    return read


def _print_of(path: Path, rule: Rule, config: Config) -> DraftPrint | None:
    """A repo draft's print, read from disk (None when it cannot be read)."""
    from checker import readers

    doc = readers.read_path(path, _display(path), config["max-file-size"], controls=False).document
    if doc is None:
        return None
    try:
        return _print(doc.text, settings(rule.options), doc.source_map or ())
    except Exception:  # as context it is left out; checked, it gets an E900
        return None


def run_stage(collected: Sequence[tuple[Path, Mapping[str, Any]]], rules: Sequence[Rule],
              config: Config, many: Pool, conn: sqlite3.Connection | None = None,
              key: str | None = None, fetch: Fetch | None = None) -> list[Diagnostic]:
    """The diagnostics of the corpus-duplicate ``rules`` for the checked files
    (``collected``: each file's path and per-file data by rule code, the print's bytes or
    the :class:`Stored` that ``fetch`` reads; ``conn``: the result cache's database,
    which holds the repo's fingerprint index and, under ``key`` (the cache's settings),
    what the stage found last time; ``many``: :func:`checker.run.parallel_map` with the
    run's jobs, for the prints of the repo's other drafts and the matching)."""
    out: list[Diagnostic] = []
    for rule in rules:
        data: dict[str, bytes | Stored] = {}
        files: dict[str, Path] = {}  # display path -> path
        for path, extras in collected:
            value = extras.get(rule.code)
            if isinstance(value, (bytes, Stored)):
                data[path.as_posix()] = value
                files[path.as_posix()] = path
        kept = None
        if conn is not None and key is not None and config["library"] is None:
            digests = {d: v.digest if isinstance(v, Stored) else digest(v)
                       for d, v in data.items()}
            kept = (conn, f"{key}|{rule.code}", digests,
                    stagestore.load(conn, f"{key}|{rule.code}"))
            same = _unchanged(kept, settings(rule.options), files)
            if same is not None:  # the drafts of last time, unchanged: what it found
                out += sorted(same, key=_order)
                continue
        prints = _prints(data, files, fetch, rule, config)
        if kept is not None:
            kept = (kept[0], kept[1], {d: kept[2][d] for d in prints}, kept[3])
        index: PrintIndex = MemoryIndex(prints)
        if rule.options["scope"] == "repo" and config.source is not None:
            index = _repo_index(rule, config, prints, files, conn, index, many)
        if not isinstance(index, MemoryIndex):
            kept = None
        out += sorted(_diagnostics(rule, config, prints, files, index, many, kept),
                      key=_order)
    return out


def _prints(data: Mapping[str, bytes | Stored], files: dict[str, Path], fetch: Fetch | None,
            rule: Rule, config: Config) -> dict[str, DraftPrint]:
    """The prints in ``data``, the kept ones read with ``fetch``; one the cache no longer
    holds intact is made again from its file, and a file that cannot be read is left out
    (of ``files`` too)."""
    stored = [v for v in data.values() if isinstance(v, Stored)]
    read = fetch(stored) if stored and fetch is not None else {}
    prints: dict[str, DraftPrint] = {}
    for display, value in data.items():
        print_ = None
        try:
            raw = read.get(value) if isinstance(value, Stored) else value
            if raw is not None:
                print_ = DraftPrint.unpack(raw)
        except ValueError:
            pass
        if print_ is None and isinstance(value, Stored):
            print_ = _print_of(files[display], rule, config)
        if print_ is None:
            del files[display]
        else:
            prints[display] = print_
    return prints


def _unchanged(kept: Kept, conf: Any, files: Mapping[str, Path]) -> list[Diagnostic] | None:
    """The kept diagnostics when the drafts are those the stage matched last time, with
    the same prints (so the same stock limit): nothing to match, nothing to unpack."""
    _conn, _key, digests, last = kept
    if last is None or last[0].drafts != digests \
            or last[0].limit != conf.stock_limit(len(digests)):
        return None
    return [d for display in files for d in last[1].diagnostics.get(display, ())]


def _order(d: Diagnostic) -> tuple:
    return d[:6]


def _repo_index(rule: Rule, config: Config, prints: dict[str, DraftPrint],
                files: dict[str, Path], conn: sqlite3.Connection | None,
                memory: PrintIndex, many: Pool) -> PrintIndex:
    """The index of every draft of the repo: the store in ``conn`` brought up to date (the
    checked drafts named by their display path), or in memory when every draft is checked
    or there is no store."""
    from checker.discover import discover_files

    rel = _relative_to(config.root)
    by_rel = {rel(p): d for d, p in files.items()}
    repo = [(rel(p), p) for p in discover_files([config.root], config)]
    paths = dict(repo)

    def shown(draft: str) -> str:  # only for the drafts a diagnostic names
        return by_rel.get(draft) or (_display(paths[draft]) if draft in paths else draft)

    if all(draft in by_rel for draft, _ in repo):
        # every draft is checked: matched in memory, and the store is not written (its
        # rows cost more to write than the whole check; a run over some drafts brings
        # it up to date by stat when it needs it)
        return memory
    def make(path: Path) -> DraftPrint | None:
        return _print_of(path, rule, config)

    if conn is not None:
        try:
            store = printstore.StoredIndex(conn, settings(rule.options).key(), shown)
            printstore.refresh(store, repo, {r: prints[d] for r, d in by_rel.items()},
                               make, many)
            return store
        except sqlite3.Error:
            pass
    extra = MemoryIndex(prints)
    others = [(draft, path) for draft, path in repo if draft not in by_rel]
    for (draft, _), print_ in zip(others, many(make, [path for _, path in others])):
        if print_ is not None:
            extra.add(shown(draft), print_)
    return extra


def _relative_to(root: Path) -> Callable[[Path], str]:
    """A path's name relative to ``root`` (with /), as the fingerprint store keys it."""
    top = os.path.abspath(root)
    prefix = top.rstrip(os.sep) + os.sep

    def rel(path: Path) -> str:
        full = os.path.abspath(path)
        name = full[len(prefix):] if full.startswith(prefix) else os.path.relpath(full, top)
        return name.replace(os.sep, "/")

    return rel


# database, key, print digests, what the stage kept last time
Kept = tuple[sqlite3.Connection, str, Mapping[str, str], "Last"]


def _diagnostics(rule: Rule, config: Config, prints: Mapping[str, DraftPrint],
                 files: Mapping[str, Path], index: PrintIndex, many: Pool,
                 kept: Kept | None = None) -> list[Diagnostic]:
    from checker.library.lookup import library_copies, open_library

    conf = settings(rule.options)
    library = open_library(config, conf)  # --library / library: also compared, when set
    if index.draft_count() < 2 and library is None:
        return []
    text = lru_cache(maxsize=TEXTS_KEPT)(_reader(config))  # each draft read once
    every, reused, state = None, {}, None
    if isinstance(index, MemoryIndex):  # all at once, again only where something changed
        every, reused, state = _match_all(index, conf, text, prints, many,
                                          kept if library is None else None)
    rel = _relative_to(config.root)
    out: list[Diagnostic] = []
    made: dict[str, tuple[list[Diagnostic], set[str]]] = {}
    for display, print_ in prints.items():
        if display in reused:
            out += reused[display]
            continue
        found: list[Copy] = []
        if every is not None:
            found = list(every.get(display, ()))
        elif index.draft_count() >= 2:
            found = find_copies(display, print_, index, conf, text)
        if library is not None:
            found += library_copies(library, display, rel(files[display]), print_, conf,
                                    text)
        made[display] = (_report(rule, config, files[display], display, found, text),
                         {c.other for c in found})
        out += made[display][0]
    if library is not None:
        library.close()
    if kept is not None and library is None and isinstance(index, MemoryIndex):
        _keep(kept, index, conf, made, state)
    return out


Last = tuple[stagestore.State, stagestore.Kept] | None  # what the stage kept last time


def _match_all(index: MemoryIndex, conf: Any, text: Any, prints: Mapping[str, DraftPrint],
               many: Pool, kept: Kept | None
               ) -> tuple[dict[str, list[Copy]], dict[str, list[Diagnostic]],
                          stagestore.State | None]:
    """The copies of the drafts to match (in batches of targets, in the pool when there
    are many), the kept diagnostics of the others, and the state to keep (None after a
    full match: :func:`_keep` makes it from the whole index)."""
    limit = conf.stock_limit(index.draft_count())
    if kept is not None and kept[3] is not None:
        _conn, _key, digests, (state, last) = kept
        found = stagestore.affected(state, last, digests, limit, index)
        if found is not None:  # the maybe ones that share a passage with a changed draft
            stock = found.stock()
            targets = found.sure | set(find_all_copies(found.index, conf, text, found.maybe,
                                                       found.changed, stock))
            reused = {d: last.diagnostics.get(d, []) for d in prints if d not in targets}
            part = index.restrict(index.distinct(targets, stock))  # their rare hashes
            return find_all_copies(part, conf, text, targets, None, stock), reused, found.state
    every: dict[str, list[Copy]] = {}
    for batch in many(lambda names: find_all_copies(index, conf, text, names), sorted(prints),
                      batched=True):
        every.update(batch)
    return every, {}, None


def _keep(kept: Kept, index: MemoryIndex, conf: Any,
          made: Mapping[str, tuple[list[Diagnostic], set[str]]],
          state: stagestore.State | None) -> None:
    """Keep what this run matched, for the next run (``kept``: with what was kept
    before; ``state``: the state a run over some drafts found, None after a full one)."""
    conn, key, digests, last = kept
    if not made and last is not None and last[0].drafts == digests:
        return  # nothing changed: what is kept holds
    if state is None:
        state = stagestore.full(conf.stock_limit(index.draft_count()), digests, index)
        stagestore.forget(conn, key)
        last = None
    gone = set(last[0].drafts) - set(digests) if last is not None else set()
    stagestore.save(conn, key, state, made, gone)


def _report(rule: Rule, config: Config, path: Path, display: str, found: Sequence[Copy],
            text: Any) -> list[Diagnostic]:
    """One diagnostic per passage of ``display`` (its copies ``found``)."""
    from checker.engine import render, rules_for

    if not found or not rules_for(path, [rule], config):  # per-file-ignores
        return []
    out = []
    most = rule.options["max-related"]
    for group in _passages(found):
        group.sort(key=lambda c: (-c.length, -c.share, c.other, c.other_line))
        first, last = min(group, key=lambda c: c.start), max(group, key=lambda c: c.end)
        best = group[0]
        message = render(rule.message, {"other": f"{best.other}:{best.other_line}",
                                        "length": best.length, "share": f"{best.share:.0%}"})
        related = tuple(Related(f"{c.share:.0%}", c.other_line, c.other_column, c.other)
                        for c in group[:most])
        out.append(Diagnostic(display, first.line, first.column, last.end_line,
                              last.end_column, rule.code, rule.name, rule.severity,
                              message, related, (), _handle(text(display), first.start, last.end)))
    return out


def _handle(text: str | None, start: int, end: int) -> str:
    """The baseline's handle on a passage: a digest of its normalised text (the same
    wherever the passage moves in the draft)."""
    chars = normalise(text[start:end]).chars if text is not None else f"{start}:{end}"
    return "passage " + hashlib.blake2b(chars.encode("utf-8", "surrogatepass"),
                                        digest_size=8).hexdigest()


def _passages(found: Sequence[Copy]) -> list[list[Copy]]:
    """The copies grouped by overlapping spans of the target (one passage, many drafts)."""
    groups: list[list[Copy]] = []
    end = -1
    for copy in sorted(found, key=lambda c: (c.start, c.end)):
        if groups and copy.start < end:
            groups[-1].append(copy)
            end = max(end, copy.end)
        else:
            groups.append([copy])
            end = copy.end
    return groups
