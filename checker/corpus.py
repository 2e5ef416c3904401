"""The cross-document stage: near-duplicate paragraphs between files (kind corpus-duplicate).

Two parts, so per-file work can run anywhere (a worker process) and only small data
travels:

1. where a file is checked, the engine calls the kind's pure
   ``fingerprint(doc, options)`` and the result travels with the file's result;
2. :func:`run_stage` (once, at the end of the run) adds the fingerprints of the rest of
   the repo (scope ``repo``: from the index, re-reading only files whose size or mtime
   changed), matches everything with :func:`match` and stamps diagnostics for the checked
   files.

Matching never compares all pairs: verbatim copies are grouped by digest (one dict pass),
and near copies are found with prefix filtering over the clause-hash sets, the exact
candidate filter of set-similarity joins: with the hashes of each paragraph ordered from
rarest to commonest, two paragraphs whose Jaccard index reaches ``t`` share at least one
of their first ``n - ceil(t*n) + 1`` hashes. Only paragraphs sharing such a prefix hash are
verified, at most :data:`MAX_VERIFY` per paragraph.

The index is a table of the result cache's database (:mod:`checker.cache`): per file, its
size, mtime and fingerprints as JSON, under the fingerprint settings and draftlint
version. Without a cache (``--no-cache``) the repo's other drafts are read every run.
"""

from __future__ import annotations

import json
import math
import os
import sqlite3
import sys
from bisect import bisect_left
from collections import Counter, defaultdict
from itertools import chain
from pathlib import Path
from typing import Any, Iterable, Mapping, NamedTuple, Sequence

from checker import __version__
from checker.checks import kind_module
from checker.config import Config
from checker.discover import discover_files
from checker.document import Document
from checker.engine import render, rules_for
from checker.model import ORDER, Diagnostic, Related
from checker.packs import Rule
from checker import readers

MAX_VERIFY = 6  # candidates verified per paragraph (bounds the worst case: dense clusters)
MAX_NEIGHBOURS = 4  # near copies kept per paragraph (enough to name and count)


class DocPrint(NamedTuple):
    """The fingerprints of one file for one rule (tuples in the kind's ParaPrint layout)."""

    path: str  # display path
    paras: tuple[tuple, ...]
    checked: bool = True  # False: context from the repo, not reported on


def signature(rule: Rule) -> str:
    """The fingerprint settings of ``rule``: stored fingerprints are kept under it."""
    module = kind_module(rule.kind)
    opts = {k: v for k, v in sorted(rule.options.items())
            if k in getattr(module, "FINGERPRINT_OPTIONS", ("min-length",))}
    return (f"draftlint {__version__}|{rule.kind} v{getattr(module, 'VERSION', 0)}|"
            f"py{sys.version_info[0]}.{sys.version_info[1]}|{opts!r}")


def paragraphs(data: Any) -> tuple[tuple, ...]:
    """Fingerprints as the kind made them, from a worker, a cache row's JSON or the index:
    tuples of (line, column, end column, length, digest, clause hashes). Raises
    (TypeError, ValueError) on anything else."""
    out = []
    for line, col, end, length, dig, feats in data:
        if not all(type(v) is int for v in (line, col, end, length, dig)):
            raise ValueError("not a fingerprint")
        out.append((line, col, end, length, dig, tuple(int(h) for h in feats)))
    return tuple(out)


def fingerprints(doc: Document, rule: Rule) -> tuple[tuple, ...]:
    return paragraphs(kind_module(rule.kind).fingerprint(doc, rule.options))


# -- the index -----------------------------------------------------------------------------
_INDEX_SCHEMA = ("CREATE TABLE IF NOT EXISTS paragraph_prints (path TEXT NOT NULL, "
                 "sig TEXT NOT NULL, mtime_ns INTEGER, size INTEGER, data TEXT NOT NULL, "
                 "PRIMARY KEY (path, sig)) WITHOUT ROWID")


class Index:
    """Stored fingerprints of the repo's drafts: path -> (mtime, size, fingerprints), in
    the result cache's database. Every method degrades to a no-op if the database fails."""

    def __init__(self, conn: sqlite3.Connection | None) -> None:
        self.con = conn
        if conn is not None:
            try:
                conn.execute(_INDEX_SCHEMA)
            except sqlite3.Error:
                self.con = None

    def files(self, sig: str) -> dict[str, tuple[int, int, str]]:
        if self.con is None:
            return {}
        try:
            return {p: (m, s, d) for p, m, s, d in self.con.execute(
                "SELECT path, mtime_ns, size, data FROM paragraph_prints WHERE sig = ?",
                (sig,))}
        except sqlite3.Error:
            return {}

    def store(self, sig: str, rows: Sequence[tuple[str, int, int, tuple]]) -> None:
        """rows: (relative path, mtime_ns, size, fingerprints), one transaction."""
        if self.con is None or not rows:
            return
        try:
            with self.con:
                self.con.execute("BEGIN IMMEDIATE")
                self.con.executemany(
                    "INSERT OR REPLACE INTO paragraph_prints VALUES (?, ?, ?, ?, ?)",
                    [(p, sig, m, s, json.dumps(d)) for p, m, s, d in rows])
        except sqlite3.Error:
            pass


# -- matching --------------------------------------------------------------------------------
class Match(NamedTuple):
    """One paragraph of a checked file that has copies elsewhere."""

    path: str
    para: Any  # ParaPrint
    others: tuple[tuple[float, str, int, int], ...]  # (similarity, path, line, column), best first
    copies: int  # paragraphs in other files found to be copies
    capped: bool = False  # near copies stopped at MAX_NEIGHBOURS: there may be more


LINE, COLUMN, END_COLUMN, LENGTH, DIGEST, FEATURES = range(6)  # ParaPrint fields


def match(docs: Sequence[DocPrint], threshold: float,
          max_related: int = 3) -> list[Match]:
    """Paragraphs of the checked documents with a verbatim or near copy in another file."""
    return [Match._make(m) for m in _report(*_prepare(docs, threshold), max_related)]


Groups = list  # one list of (path, ParaPrint) per distinct text, in order of first use
Neighbours = list  # per group: up to MAX_NEIGHBOURS (-similarity, group), best first


def _group(docs: Sequence[DocPrint]) -> Groups:
    """The paragraphs by digest (verbatim copies), in order of first use."""
    by_digest: dict[int, list[tuple[str, tuple]]] = defaultdict(list)
    for d in docs:
        path = d.path
        for p in d.paras:
            by_digest[p[DIGEST]].append((path, p))
    return list(by_digest.values())


def _prepare(docs: Sequence[DocPrint], threshold: float
             ) -> tuple[Groups, Neighbours, set[str]]:
    """Group the paragraphs by digest and find each group's near copies:
    (groups, neighbours, the checked paths)."""
    groups = _group(docs)
    checked = {d.path for d in docs if d.checked}
    neighbours: Neighbours = [[] for _ in groups]
    if threshold < 1.0:
        if len(checked) < len(docs) // 2:  # a few files against the repo (pre-commit)
            probe = {r for r, g in enumerate(groups) if any(p in checked for p, _ in g)}
            _near_few(groups, neighbours, threshold, probe)
        else:
            neighbours = _neighbours(_search(groups, threshold), len(groups))
    return groups, neighbours, checked


def _report(groups: Groups, neighbours: Neighbours, checked: set[str],
            max_related: int) -> list[tuple]:
    """The matches of the groups as plain tuples in :class:`Match` order."""
    head: dict[int, list[tuple[str, int, int]]] = {}  # group -> first members, sorted

    def first_members(g: int) -> list[tuple[str, int, int]]:
        if g not in head:
            members = groups[g]
            if len(members) == 1:
                path, p = members[0]
                head[g] = [(path, p[LINE], p[COLUMN])]
            else:
                head[g] = sorted((path, p[LINE], p[COLUMN]) for path, p in members)[
                    : max_related + 1]
        return head[g]

    out: list[tuple] = []
    append = out.append
    for r, members in enumerate(groups):
        near = neighbours[r]
        if len(members) == 1:
            if not near or members[0][0] not in checked:
                continue
            own = None
        else:
            paths = [path for path, _ in members]
            distinct = set(paths)
            if (not near and len(distinct) < 2) or checked.isdisjoint(distinct):
                continue  # copies inside one file only: the within-draft rule's business
            own = Counter(paths) if len(distinct) < len(paths) else None  # None: 1 each
        # (-similarity, path, line, column): a plain sort puts the best first, then by place
        cands = [(-1.0, *loc) for loc in first_members(r)]
        copies = 0
        for nsim, c in near:  # best first
            copies += len(groups[c])
            if len(cands) <= 2 * max_related:
                cands += [(nsim, *loc) for loc in first_members(c)]
        cands.sort()
        top = tuple((-s, p, ln, col) for s, p, ln, col in cands[:max_related])
        top_paths = {c[1] for c in top}
        capped = len(near) >= MAX_NEIGHBOURS
        mine: dict[str, tuple] = {}  # a path among the best: the others, listed once
        for path, para in members:
            if path not in checked:
                continue
            if path in top_paths:  # its own copy is among the best: list the others
                others = mine.get(path)
                if others is None:
                    others = mine[path] = tuple((-s, p, ln, col) for s, p, ln, col in cands
                                                if p != path)[:max_related]
                if not others:
                    continue
            else:
                others = top  # one shared tuple: the stage renders it once
            append((path, para, others, len(members) - (own[path] if own else 1) + copies,
                    capped))
    return out


# -- near copies ----------------------------------------------------------------------------
# Prefix filtering over the clause-hash sets: with the hashes of every paragraph in one
# global order, rarest first, two paragraphs whose Jaccard index reaches t share one of
# their first n - ceil(t*n) + 1 hashes (their prefixes). Each group verifies the groups
# that came before it in the posting lists of its prefix hashes, the nearest first, at
# most MAX_VERIFY: the corpus's copies come in clusters of up to 1,291 near copies, and an
# uncapped join found 9.6 M pairs there in 116 s. A group's near copies are its verified
# pairs, both ways, the best MAX_NEIGHBOURS kept.
#
# Every choice depends only on the content of the groups and their relative order (first
# use: path, then line), never on when a group was processed, and the "rarest first" order
# ranks a hash by the bit length of its count, so that one edit seldom moves a prefix.
#


def _buckets(feats: Iterable[Sequence[int]]) -> dict[int, int]:
    """The rarity of every clause hash: the bit length of the number of groups using it."""
    return {h: c.bit_length() for h, c in Counter(chain.from_iterable(feats)).items()}


def _order(buckets: Mapping[int, int]) -> Any:
    """The sort key of the global order: rarest bucket first, then by hash value."""
    return {h: b << 64 | h for h, b in buckets.items()}.__getitem__


def _keep(threshold: float, longest: int) -> list[int]:
    """The prefix length for each set size."""
    return [n - math.ceil(threshold * n) + 1 for n in range(longest + 1)]


def _verify(f: frozenset, cands: Iterable[int], sets: Any, threshold: float
            ) -> tuple[tuple[float, int], ...]:
    """The candidates (the MAX_VERIFY nearest: latest first) that are near copies of f,
    at most MAX_NEIGHBOURS (``sets``: each group's hash set, by group)."""
    n = len(f)
    lo, hi = threshold * n, n / threshold
    out = []
    for c in sorted(cands, reverse=True)[:MAX_VERIFY]:
        other = sets[c]
        m = len(other)
        if lo <= m <= hi:
            inter = len(f & other)
            sim = inter / (n + m - inter)
            if sim >= threshold:
                out.append((sim, c))
                if len(out) >= MAX_NEIGHBOURS:
                    break
    return tuple(out)


def _search(groups: Groups, threshold: float) -> dict[int, tuple]:
    """The near-copy search over every group: {group: its verified pairs (similarity,
    earlier group)}."""
    feats = [g[0][1][FEATURES] for g in groups]
    order = _order(_buckets(feats))
    keep = _keep(threshold, max(map(len, feats), default=0))
    prefixes = [tuple(sorted(f, key=order)[:keep[len(f)]]) for f in feats]
    postings: dict[int, list[int]] = defaultdict(list)
    for r, prefix in enumerate(prefixes):
        for h in prefix:
            postings[h].append(r)
    sets = [frozenset(f) for f in feats]
    found = {}
    for r in range(len(groups)):
        cands = _candidates(r, prefixes[r], postings)
        if cands:
            mine = _verify(sets[r], cands, sets, threshold)
            if mine:
                found[r] = mine
    return found


def _candidates(r: int, prefix: Sequence[int], postings: Mapping[int, list[int]]) -> set[int]:
    """The groups group ``r`` verifies: in the posting list of each hash of its prefix in
    turn, the MAX_VERIFY latest before it (the nearest in the corpus), until there are
    MAX_VERIFY."""
    cands: set[int] = set()
    for h in prefix:
        plist = postings[h]
        if len(plist) > 1 and len(cands) < MAX_VERIFY:
            j = bisect_left(plist, r)
            cands.update(plist[max(0, j - MAX_VERIFY):j])
    return cands


def _neighbours(found: Mapping[int, tuple], size: int) -> Neighbours:
    """Each group's best MAX_NEIGHBOURS pairs, both ways, as (-similarity, group): best
    first, then the earlier group."""
    edges: Neighbours = [[] for _ in range(size)]
    for r, mine in found.items():
        here = edges[r]
        for sim, c in mine:
            here.append((-sim, c))
            edges[c].append((-sim, r))
    for r, e in enumerate(edges):
        if len(e) > 1:
            e.sort()
            del e[MAX_NEIGHBOURS:]
    return edges


def _near_few(groups: Groups, neighbours: Neighbours,
              threshold: float, probe: set[int]) -> None:
    """A few groups (the checked files of a pre-commit run) against all the others.

    Whatever the order of its hashes, a set A with Jaccard >= t to B shares with B one of
    its first ``|A| - ceil(t*|A|) + 1`` hashes; so one C-level disjointness test per group
    finds every candidate, without building the index of the whole repo."""
    ceil = math.ceil
    prefixes = {}
    for r in probe:
        f = groups[r][0][1][FEATURES]
        if f:
            prefixes[r] = frozenset(sorted(f)[: len(f) - ceil(threshold * len(f)) + 1])
    owners: dict[int, list[int]] = defaultdict(list)  # prefix hash -> probing groups
    for r, prefix in prefixes.items():
        for h in prefix:
            owners[h].append(r)
    tokens = frozenset(owners)
    pairs: dict[int, set[int]] = defaultdict(set)
    for c, g in enumerate(groups):
        other = g[0][1][FEATURES]
        if tokens.isdisjoint(other):
            continue
        for h in tokens.intersection(other):
            for r in owners[h]:
                if r != c:
                    pairs[r].add(c)
    for r, cands in pairs.items():
        f = frozenset(groups[r][0][1][FEATURES])
        n = len(f)
        found = []
        for c in cands:
            other = groups[c][0][1][FEATURES]
            if not threshold * n <= len(other) <= n / threshold:
                continue
            inter = len(f.intersection(other))
            sim = inter / (n + len(other) - inter)
            if sim >= threshold:
                found.append((-sim, c))
        found.sort()
        neighbours[r].extend(found[:MAX_NEIGHBOURS])


# -- the stage -----------------------------------------------------------------------------
def _rel(path: Path, root: str) -> str:
    """Path relative to the configuration root, for the index (no symlink resolution:
    cheap, and stable for a given checkout)."""
    return Path(os.path.relpath(os.path.abspath(path), root)).as_posix()


def _display(path: Path) -> str:
    try:
        rel = os.path.relpath(path)
        return Path(rel).as_posix() if not rel.startswith("..") else path.as_posix()
    except ValueError:
        return path.as_posix()


def _context(rule: Rule, config: Config, checked_files: Mapping[str, Path],
             index: Index) -> list[DocPrint]:
    """Fingerprints of the repo's other drafts: from the index when size and mtime match,
    else read and fingerprinted (and stored)."""
    sig = signature(rule)
    root = os.path.abspath(config.root)
    done = {os.path.abspath(p) for p in checked_files.values()}
    known = index.files(sig)
    out: list[DocPrint] = []
    rows = []
    for path in discover_files([config.root], config):
        full = os.path.abspath(path)
        if full in done:
            continue
        rel = Path(os.path.relpath(full, root)).as_posix()
        try:
            st = path.stat()
        except OSError:
            continue
        hit = known.get(rel)
        if hit and hit[0] == st.st_mtime_ns and hit[1] == st.st_size:
            try:
                out.append(DocPrint(_display(path), paragraphs(json.loads(hit[2])), False))
                continue
            except (ValueError, TypeError):  # a damaged row: fingerprinted again
                pass
        doc = readers.read_path(path, _display(path), config["max-file-size"],
                                 controls=False).document
        if doc is None:
            continue
        try:
            paras = fingerprints(doc, rule)
        except Exception:  # as context it is left out; checked, it gets an E900
            continue
        out.append(DocPrint(_display(path), paras, False))
        rows.append((rel, st.st_mtime_ns, st.st_size, paras))
    index.store(sig, rows)
    return out


def run_stage(collected: Sequence[tuple[Path, Mapping[str, Any]]], rules: Sequence[Rule],
              config: Config, conn: sqlite3.Connection | None = None) -> list[Diagnostic]:
    """Match the checked files' fingerprints (and the repo's, for scope ``repo``; ``conn``:
    the result cache's database, which holds the index)."""
    out: list[Diagnostic] = []
    for rule in rules:
        docs: list[DocPrint] = []
        files: dict[str, Path] = {}  # display path -> path
        for path, prints in collected:
            data = prints.get(rule.code)
            if data is not None:
                display = path.as_posix()
                docs.append(DocPrint(display, paragraphs(data)))
                files[display] = path
        # the index serves repo scope: without a configuration file (no repo root) nothing
        # would ever read it
        if rule.options["scope"] == "repo" and config.source is not None:
            index = Index(conn)
            rows = []
            root = os.path.abspath(config.root)
            for d in docs:
                try:
                    st = files[d.path].stat()
                except OSError:
                    continue
                rows.append((_rel(files[d.path], root), st.st_mtime_ns, st.st_size, d.paras))
            index.store(signature(rule), rows)
            docs += _context(rule, config, files, index)
        found = _render(_report(*_prepare(docs, rule.options["threshold"]),
                                rule.options["max-related"]), rule, files, config)
        out += sorted(found, key=ORDER)
    return out


def _render(matches: Iterable[tuple], rule: Rule, files: Mapping[str, Path],
            config: Config) -> list[Diagnostic]:
    """The diagnostics of ``rule`` for the matches of :func:`_report`."""
    out: list[Diagnostic] = []
    ignored: dict[str, bool] = {}
    per_file = bool(config["per-file-ignores"])
    shared: dict[tuple, Related] = {}  # Related objects are immutable: share them
    labels: dict[float, str] = {}  # one label string per similarity
    # the copies of one paragraph share their 'others' tuple (see _report): one related
    # tuple for all of them, and one message for each count of copies (keyed by the
    # tuple's id; the matches keep the tuples alive)
    related: dict[int, tuple[Related, ...]] = {}
    rendered: dict[tuple[int, int, bool], str] = {}
    code, name, severity = rule.code, rule.name, rule.severity
    digest, snippet = None, ""

    def related_of(other: tuple) -> Related:
        rel = shared.get(other)
        if rel is None:
            s, p, ln, col = other
            label = labels.get(s)
            if label is None:
                label = labels[s] = f"similar paragraph ({s:.0%})"
            rel = shared[other] = Related(label, ln, col, p)
        return rel

    for path, p, others, copies, capped in matches:
        if per_file:
            if path not in ignored:
                ignored[path] = not rules_for(files[path], [rule], config)
            if ignored[path]:
                continue
        key = (id(others), copies, capped)
        message = rendered.get(key)
        if message is None:
            sim, opath, oline, _ = others[0]
            more = copies - 1
            args = {"other": f"{opath}:{oline}", "similarity": f"{sim:.0%}",
                    "copies": copies,
                    "more": (f" (and {'at least ' if capped else ''}{more} more "
                             f"cop{'ies' if more > 1 else 'y'})" if more else ""),
                    "kind": "a verbatim copy of" if sim >= 1.0 else f"{sim:.0%} similar to"}
            message = rendered[key] = render(rule.message, args)
        rel = related.get(key[0])
        if rel is None:
            rel = related[key[0]] = tuple(map(related_of, others))
        # the baseline's handle on the paragraph: its digest (whole text, line-independent),
        # not a copy of it; one string for the copies of a paragraph (they come together)
        if p[DIGEST] != digest:
            digest = p[DIGEST]
            snippet = f"paragraph {digest:016x}"
        out.append(Diagnostic(path, p[LINE], p[COLUMN], p[LINE], p[END_COLUMN],
                              code, name, severity, message, rel, (), snippet))
    return out
