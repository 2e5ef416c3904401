"""The cross-document stage: near-duplicate paragraphs between files (kind corpus-duplicate).

Two parts, so per-file work can run anywhere (a worker process) and only small data
travels:

1. :func:`collect` (where a file is checked): the pure per-document
   ``fingerprint(doc, options)`` of each cross-document rule, wrapped in a :class:`DocPrint`.
2. :func:`run_stage` (once, at the end of the run): adds the fingerprints of the rest of the
   repo (from the on-disk index, re-reading only files whose size or mtime changed),
   matches everything with :func:`match` and stamps diagnostics for the checked files.

Matching never compares all pairs: verbatim copies are grouped by digest (one dict pass),
and near copies are found with prefix filtering over the clause-hash sets, the exact
candidate filter of set-similarity joins: with the hashes of each paragraph ordered from
rarest to commonest, two paragraphs whose Jaccard index reaches ``t`` share at least one
of their first ``n - ceil(t*n) + 1`` hashes. Only paragraphs sharing such a prefix hash are
verified, at most :data:`MAX_VERIFY` per paragraph.

The search keeps a state (:class:`NearState`: each group's prefix and verified pairs),
stored with the stage's output in the result cache. A later run over other fingerprints
(a paragraph reworded, a draft added) starts from it and redoes only the groups the
edits reach (:func:`_search_again`); its answer is the whole search's, which the tests
check on random repos and edits.

The index lives in ``<cache-dir>/fingerprints.sqlite`` (``cache-dir`` is relative to the
configuration root, ``.draftlint_cache`` by default): fingerprints keyed by a hash of
themselves *and* of the fingerprint settings and draftlint version, plus a table of
path -> (mtime, size, key). Keying by the fingerprints rather than the whole text means an
edit that leaves every compared paragraph as it was (a new short line, a fixed heading)
leaves the key, and so the cached output of the stage, as it was. WAL mode and one
transaction per run make two runs at once safe; a cache that cannot be opened is skipped,
never fatal. Delete the file to clear it.
"""

from __future__ import annotations

import hashlib
import marshal
import math
import os
import sqlite3
import sys
from bisect import bisect_left
from collections import Counter, defaultdict
from itertools import accumulate, chain
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, NamedTuple, Sequence

from checker import __version__
from checker.cache import PAGE_SIZE
from checker.checks import kind_module
from checker.config import Config
from checker.diagnostics import (ORDER, Diagnostic, Related, as_diagnostic, decode_diagnostics,
                                 encode_diagnostics)
from checker.document import Document
from checker.packs import Rule
from checker.spread import spread, stream

DB_NAME = "fingerprints.sqlite"
MAX_VERIFY = 6  # candidates verified per paragraph (bounds the worst case: dense clusters)
MAX_NEIGHBOURS = 4  # near copies kept per paragraph (enough to name and count)
# Below this many groups to verify or diagnostics to make, a step is not split over the
# idle cores (see run_stage): a fork and its answer cost more than they save.
SPREAD_MIN = 20_000
# The verification's part done here, against each forked child's: a child is slower at
# first, it copies each page of the search's data it touches (copy-on-write). With equal
# parts the main process waited 0.08-0.10 s for the child on the 10,000-draft benchmark
# corpus; at 1.2 (55 % here with two parts) 0.01-0.02 s.
LOCAL_SHARE = 1.2
# The diagnostics' part done here, against each child's: this process also decodes the
# children's pieces as they come, and encodes its own part (for the cache) when the
# output will be stored. Measured on the benchmark corpus, both ended together at 0.95
# without the cache and 0.75 with it (interleaved rounds: 4.68 s at 0.75, 4.74 s at 0.8).
DECODING_SHARE = 0.95
ENCODING_SHARE = 0.75
# A child's part of the diagnostics comes in this many pieces: this process decodes one
# while the child makes the next, and only the last one's decoding (0.01 s on 10,000
# drafts) is left once the child is done. In one piece it was 0.14 s.
PIECES = 8


class DocPrint:
    """The fingerprints of one file for one rule. Pickled (to travel from a worker, or
    into the result cache) the paragraphs go as one marshal blob, unpacked only when
    :attr:`paras` is first read: a warm run whose stage output is cached never reads them.
    The blob is kept once unpacked: a two-phase run caches the results after its stage has
    read them all, and pickling the blob again costs nothing."""

    __slots__ = ("path", "key", "checked", "_paras", "_blob")

    def __init__(self, path: str, key: str, paras: tuple | bytes, checked: bool = True) -> None:
        self.path = path  # display path
        self.key = key  # cache key: hash of the fingerprints and their settings
        self.checked = checked  # False: context from the repo, not reported on
        self._paras = paras  # tuple[ParaPrint, ...], or its marshal blob
        self._blob = paras if type(paras) is bytes else None

    @property
    def paras(self) -> tuple:
        paras = self._paras
        if type(paras) is bytes:
            try:
                paras = marshal.loads(paras)
            except (ValueError, EOFError, TypeError):  # a damaged cache row: not compared
                paras = ()
            self._paras = paras
        return paras

    @property
    def blob(self) -> bytes:
        """The paragraphs' marshal blob (the form they travel and are stored in)."""
        if self._blob is None:
            self._blob = marshal.dumps(self._paras)
        return self._blob

    def __reduce__(self) -> tuple:
        return (DocPrint, (self.path, self.key, self.blob, self.checked))

    def __repr__(self) -> str:
        return f"DocPrint({self.path!r}, {self.key!r}, checked={self.checked})"


def signature(rule: Rule) -> str:
    """The fingerprint settings of ``rule`` (part of each fingerprint's key). Asked for
    each file: kept for the last rules asked about (with the rule, so that its id is not
    another's while kept)."""
    hit = _SIGNATURES.get(id(rule))
    if hit is not None and hit[0] is rule:
        return hit[1]
    if len(_SIGNATURES) >= 64:
        _SIGNATURES.clear()
    sig = _signature(rule)
    _SIGNATURES[id(rule)] = (rule, sig)
    return sig


_SIGNATURES: dict[int, tuple[Rule, str]] = {}


def _signature(rule: Rule) -> str:
    module = kind_module(rule.kind)
    opts = {k: v for k, v in sorted(rule.options.items())
            if k in getattr(module, "FINGERPRINT_OPTIONS", ("min-length",))}
    return (f"draftlint {__version__}|{rule.kind} v{getattr(module, 'VERSION', 0)}|"
            f"py{sys.version_info[0]}.{sys.version_info[1]}|{opts!r}")


def _key(sig: str, blob: bytes) -> str:
    """The key of a file's fingerprints: a hash of the settings and of the fingerprints'
    marshal blob (the form a DocPrint travels in, so it is made once)."""
    return hashlib.blake2b(sig.encode("utf-8", "surrogatepass") + b"\x00" + blob,
                           digest_size=16).hexdigest()


def collect(doc: Document, rules: Sequence[Rule]) -> dict[str, DocPrint]:
    """Per-document part: {rule code: DocPrint}. Pure; cheap; safe in a worker process."""
    return {rule.code: _docprint(doc, rule, signature(rule)) for rule in rules}


def _docprint(doc: Document, rule: Rule, sig: str, checked: bool = True) -> DocPrint:
    """The fingerprints of ``doc`` for ``rule`` (``sig``: its :func:`signature`)."""
    blob = marshal.dumps(tuple(kind_module(rule.kind).fingerprint(doc, rule.options)))
    return DocPrint(doc.path, _key(sig, blob), blob, checked)


# -- the on-disk index ---------------------------------------------------------------------
class Index:
    """Fingerprint index in SQLite. Every method degrades to a no-op if the DB fails."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.con: sqlite3.Connection | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            con = sqlite3.connect(str(path), timeout=30, isolation_level=None)
            con.execute(f"PRAGMA page_size = {PAGE_SIZE}")  # a new file: see cache._connect
            con.execute("PRAGMA journal_mode=WAL")
            con.execute("PRAGMA synchronous=NORMAL")
            con.execute("CREATE TABLE IF NOT EXISTS prints (key TEXT PRIMARY KEY, data BLOB)")
            con.execute("CREATE TABLE IF NOT EXISTS files (path TEXT, sig TEXT, mtime_ns "
                        "INTEGER, size INTEGER, key TEXT, PRIMARY KEY (path, sig))")
            con.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT)")
            row = con.execute("SELECT value FROM meta WHERE name='version'").fetchone()
            if row is None or row[0] != __version__:  # another version: start afresh
                with con:
                    con.execute("BEGIN IMMEDIATE")  # re-read under the write lock: a
                    row = con.execute(  # concurrent run may have just done it
                        "SELECT value FROM meta WHERE name='version'").fetchone()
                    if row is not None and row[0] == __version__:
                        self.con = con
                        return
                    con.execute("DELETE FROM prints")
                    con.execute("DELETE FROM files")
                    con.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)",
                                (__version__,))
            self.con = con
        except (sqlite3.Error, OSError):
            self.con = None

    def files(self, sig: str) -> dict[str, tuple[int, int, str]]:
        if self.con is None:
            return {}
        try:
            return {p: (m, s, k) for p, m, s, k in self.con.execute(
                "SELECT path, mtime_ns, size, key FROM files WHERE sig=?", (sig,))}
        except sqlite3.Error:
            return {}

    def prints(self, keys: Iterable[str]) -> dict[str, tuple]:
        if self.con is None:
            return {}
        out: dict[str, tuple] = {}
        keys = list(keys)
        try:
            for i in range(0, len(keys), 500):
                chunk = keys[i:i + 500]
                q = "SELECT key, data FROM prints WHERE key IN (%s)" % ",".join("?" * len(chunk))
                for key, data in self.con.execute(q, chunk):
                    out[key] = tuple(map(tuple, marshal.loads(data)))
        except (sqlite3.Error, ValueError, EOFError, TypeError):
            return {}
        return out

    def store(self, sig: str, rows: Sequence[tuple[str, int, int, str, bytes]]) -> None:
        """rows: (relative path, mtime_ns, size, key, the paragraphs' marshal blob), one
        transaction."""
        if self.con is None or not rows:
            return
        try:
            with self.con:
                self.con.execute("BEGIN IMMEDIATE")
                self.con.executemany("INSERT OR REPLACE INTO prints VALUES (?, ?)",
                                     [(k, blob) for _, _, _, k, blob in rows])
                self.con.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?)",
                                     [(p, sig, m, s, k) for p, m, s, k, _ in rows])
        except sqlite3.Error:
            pass

    def close(self) -> None:
        if self.con is not None:
            self.con.close()


def index_path(config: Config) -> Path:
    return (config.root / config["cache-dir"] / DB_NAME).resolve()


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
            neighbours = _neighbours(_search(groups, threshold)[2], len(groups))
    return groups, neighbours, checked


def _report(groups: Groups, neighbours: Neighbours, checked: set[str],
            max_related: int, only: Iterable[int] | None = None) -> list[tuple]:
    """The matches of the groups (``only``: of these groups) as plain tuples in
    :class:`Match` order (the stage reads 151,642 of them on the 10,000-draft benchmark
    corpus: no named tuple to build or to read)."""
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
    for r, members in enumerate(groups) if only is None else ((r, groups[r]) for r in only):
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
# That is what lets the next run redo only what an edit changed (:func:`_search_again`).


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


def _search(groups: Groups, threshold: float, parts: int = 1
            ) -> tuple[dict[int, int], list[tuple[int, ...]], dict[int, tuple]]:
    """The near-copy search over every group: (buckets, each group's prefix, {group: its
    verified pairs (similarity, earlier group)}). The prefixes and their posting lists
    in one pass, then each group's candidates and their verification, in ``parts`` side
    by side (:func:`checker.spread.spread`) when there are enough groups."""
    feats = [g[0][1][FEATURES] for g in groups]
    buckets = _buckets(feats)
    order = _order(buckets)
    keep = _keep(threshold, max(map(len, feats), default=0))
    prefixes = [tuple(sorted(f, key=order)[:keep[len(f)]]) for f in feats]
    postings: dict[int, list[int]] = defaultdict(list)
    for r, prefix in enumerate(prefixes):
        for h in prefix:
            postings[h].append(r)
    sets = _Sets(feats)  # made where the verification needs them (see _Sets)

    def verify(part: range) -> dict[int, tuple]:
        found = {}
        for r in part:
            cands = _candidates(r, prefixes[r], postings)
            if cands:
                mine = _verify(sets[r], cands, sets, threshold)
                if mine:
                    found[r] = mine
        return found

    size = len(groups)
    if parts < 2 or size < SPREAD_MIN:
        return buckets, prefixes, verify(range(size))
    found, others = spread(verify, lambda part: marshal.dumps(verify(part)),
                           _runs(range(size), parts, range(1, size + 1), LOCAL_SHARE))
    for data in others:  # later parts: later groups, so the order is kept
        found.update(marshal.loads(data))
    return buckets, prefixes, found


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


def _neighbours(found: Mapping[int, tuple], size: int,
                only: Iterable[int] | None = None) -> Neighbours:
    """Each group's best MAX_NEIGHBOURS pairs, both ways, as (-similarity, group): best
    first, then the earlier group (``only``: for these groups; the others stay empty)."""
    edges: Neighbours = [[] for _ in range(size)]
    if only is None:
        for r, mine in found.items():
            here = edges[r]
            for sim, c in mine:
                here.append((-sim, c))
                edges[c].append((-sim, r))
    else:
        want = set(only)
        for r, mine in found.items():
            if r in want:
                edges[r] += [(-sim, c) for sim, c in mine]
            for sim, c in mine:
                if c in want:
                    edges[c].append((-sim, r))
    for r, e in enumerate(edges):
        if len(e) > 1:
            e.sort()
            del e[MAX_NEIGHBOURS:]
    return edges


class NearState(NamedTuple):
    """What a run keeps of its near-copy search, so that the next one redoes only what the
    edits in between changed (:func:`_search_again`). Groups are named by digest."""

    files: dict[str, tuple[str, tuple[int, ...]]]  # path -> (DocPrint key, its digests)
    digests: list[int]  # the groups, in order
    prefixes: list[tuple[int, ...]]  # each group's prefix
    found: dict[int, tuple[tuple[float, int], ...]]  # group -> its verified pairs
    buckets: dict[int, int]  # clause hash -> rarity (see _buckets)


def _files(docs: Sequence[DocPrint]) -> dict[str, tuple[str, tuple[int, ...]]]:
    return {d.path: (d.key, tuple([p[DIGEST] for p in d.paras])) for d in docs}


def _state(docs: Sequence[DocPrint], groups: Groups, buckets: dict[int, int],
           prefixes: list[tuple[int, ...]], found: Mapping[int, tuple]) -> NearState:
    digests = [g[0][1][DIGEST] for g in groups]
    return NearState(_files(docs), digests, prefixes,
                     {digests[r]: tuple([(s, digests[c]) for s, c in mine])
                      for r, mine in found.items()}, buckets)


class _Sets(dict):
    """The groups' hash sets, each made when first needed: in a split verification each
    process makes those it reads (made before the fork, the 101,713 sets of the benchmark
    corpus took 0.1 s with a core idle, and the child copied the pages of those it read)."""

    def __init__(self, feats: Sequence[Sequence[int]]) -> None:
        super().__init__()
        self.feats = feats

    def __missing__(self, r: int) -> frozenset:
        s = self[r] = frozenset(self.feats[r])
        return s


def _search_again(groups: Groups, docs: Sequence[DocPrint], threshold: float,
                  prev: NearState) -> tuple[Neighbours, list[int], set[int], NearState] | None:
    """The near-copy search of :func:`_search`, redone only where the edits since ``prev``
    reach: (neighbours of the groups to report again, those groups, the digests whose
    earlier diagnostics are stale, the new state). None: too much changed to pay.

    A group's verified pairs depend on its prefix, on the groups just before it in the
    posting lists of its prefix hashes, and on their relative order. An edit touches the
    groups with a paragraph in an edited file (their members and place change), the
    groups it creates or removes, and the groups whose prefix a change of rarity moves;
    only the posting lists of those groups' prefix hashes change, and only a group whose
    window in one of them changed, or holds a changed group, is verified again. The
    groups to report again are those whose members, pairs or near copies' members
    changed; everything else keeps its pairs and its diagnostics."""
    files = _files(docs)
    old_files = prev.files
    edited = [p for p, v in files.items() if old_files.get(p) != v]
    edited += [p for p in old_files if p not in files]
    if len(edited) > max(8, len(files) // 8):
        return None  # a large change: the whole search costs less
    touched: set[int] = set()  # digests of groups with a paragraph in an edited file
    for p in edited:
        touched.update(files.get(p, ("", ()))[1])
        touched.update(old_files.get(p, ("", ()))[1])
    digests = [g[0][1][DIGEST] for g in groups]
    index = {d: r for r, d in enumerate(digests)}
    old_digests, old_prefixes = prev.digests, prev.prefixes
    old_index = {d: i for i, d in enumerate(old_digests)}
    feats = [g[0][1][FEATURES] for g in groups]
    buckets = _buckets(feats)
    old_buckets = prev.buckets
    rerank = {h for h, b in buckets.items() if old_buckets.get(h) != b}
    order = _order(buckets)
    keep = _keep(threshold, max(map(len, feats), default=0))
    prefixes: list[tuple[int, ...]] = []
    changed: set[int] = set()  # groups whose prefix or place may differ
    for r, f in enumerate(feats):
        d = digests[r]
        i = old_index.get(d)
        if i is None or d in touched:
            prefix = tuple(sorted(f, key=order)[:keep[len(f)]])
            changed.add(r)
        else:
            prefix = old_prefixes[i]
            if rerank and not rerank.isdisjoint(f):
                new = tuple(sorted(f, key=order)[:keep[len(f)]])
                if new != prefix:
                    prefix = new
                    changed.add(r)
        prefixes.append(prefix)
    vanished = {d for d in old_digests if d not in index}
    # the groups whose place in a posting list may differ, by new and by old index
    moved = changed.union(index[d] for d in touched if d in index)
    moved_before = {old_index[d] for d in touched.union(vanished, (digests[r] for r in changed))
                    if d in old_index}
    postings: dict[int, list[int]] = defaultdict(list)
    for r, prefix in enumerate(prefixes):
        for h in prefix:
            postings[h].append(r)
    # a group verifies the MAX_VERIFY groups before it in each of its posting lists: it is
    # verified again when a moved group is among those now (the ones after a moved group),
    # or was before. The other groups keep their lists and their order, so "before" is
    # found among them by old index.
    dirty = set(moved)
    for r in moved:
        for h in prefixes[r]:
            plist = postings[h]
            j = bisect_left(plist, r)
            dirty.update(plist[j + 1:j + 1 + MAX_VERIFY])
    for i in moved_before:
        # the first group after i (in the old order) that kept its place: the unmoved
        # members of a list after i are those from it on (in the new order)
        k = i + 1
        while k < len(old_digests) and (index.get(old_digests[k], -1) in moved
                                        or old_digests[k] not in index):
            k += 1
        start = index[old_digests[k]] if k < len(old_digests) else len(groups)
        for h in old_prefixes[i]:
            plist = postings.get(h)
            if plist:
                j = bisect_left(plist, start)
                left = MAX_VERIFY
                while left and j < len(plist):
                    if plist[j] not in moved:
                        dirty.add(plist[j])
                        left -= 1
                    j += 1
    sets = _Sets(feats)
    found = dict(prev.found)
    ends: set[int] = set()  # groups whose pairs changed (digests)
    for d in vanished:
        ends.update(c for _, c in found.pop(d, ()))
    for r in dirty:
        cands = _candidates(r, prefixes[r], postings)
        mine = _verify(sets[r], cands, sets, threshold) if cands else ()
        d = digests[r]
        new = tuple([(s, digests[c]) for s, c in mine])
        old = found.get(d, ())
        if new != old:
            ends.add(d)
            ends.update(c for _, c in old)
            ends.update(c for _, c in new)
        if new:
            found[d] = new
        else:
            found.pop(d, None)
    # to report again: the touched groups, those whose pairs changed, and those with a
    # touched group among their near copies (its members, so their counts, changed)
    present = touched.intersection(index)
    pointing: dict[int, list[tuple[float, int]]] = defaultdict(list)  # pairs, reversed
    for d, mine in found.items():
        for s, c in mine:
            pointing[c].append((s, d))
    again_d = present.union(d for d in ends if d in index)
    for d in present:
        again_d.update(c for _, c in found.get(d, ()))
        again_d.update(c for _, c in pointing.get(d, ()))
    again = {index[d] for d in again_d}
    pairs = {index[d]: tuple([(s, index[c]) for s, c in found.get(d, ())]) for d in again_d}
    for c in again_d:
        for s, d in pointing.get(c, ()):
            if d not in again_d:
                pairs.setdefault(index[d], []).append((s, index[c]))
    neighbours = _neighbours(pairs, len(groups), again)
    stale = vanished | again_d
    return (neighbours, sorted(again), stale,
            NearState(files, digests, prefixes, found, buckets))


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


# -- the stage ---------------------------------------------------------------------------------
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


def _context(rule: Rule, config: Config, checked: Mapping[str, DocPrint],
             checked_files: Mapping[str, Path], index: Index) -> list[DocPrint]:
    """Fingerprints of the repo's other drafts: from the index when size and mtime match,
    else read and fingerprinted (and stored)."""
    from checker.engine import discover_files
    from checker.readers import read_path

    sig = signature(rule)
    root = os.path.abspath(config.root)
    done = {os.path.abspath(p) for p in checked_files.values()}
    known = index.files(sig)
    wanted: dict[str, tuple[str, str]] = {}  # rel -> (display, key)
    fresh: list[DocPrint] = []
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
            wanted[rel] = (_display(path), hit[2])
            continue
        doc = read_path(path, _display(path), config["max-file-size"], controls=False).document
        if doc is None:
            continue
        try:
            d = _docprint(doc, rule, sig, checked=False)
        except Exception:  # as context it is left out; checked, it gets an E900
            continue
        fresh.append(d)
        rows.append((rel, st.st_mtime_ns, st.st_size, d.key, d.blob))
    cached = index.prints(k for _, k in wanted.values())
    for rel, (display, key) in wanted.items():
        if key in cached:
            fresh.append(DocPrint(display, key, cached[key], checked=False))
    index.store(sig, rows)
    return fresh


class Output(NamedTuple):
    """What the stage found (:func:`run_stage`): store it with :func:`pack`, read it with
    :meth:`diagnostics`."""

    # the runs of diagnostics, each with its encoding when the stage has it already (a
    # child's, or this process's part of a split step whose output will be stored)
    made: list[tuple[list[Diagnostic], bytes | None]]
    states: dict[str, NearState]  # the search state of each rule that searched every file
    # the stage's working data (the groups, their near copies), kept as long as the
    # output: freed as the stage returns, it cost the main process 0.1 s on 10,000 drafts
    # before it printed. A split stage's output is held by its background writer's wait,
    # which the cache keeps; the command line never frees the cache (checker.cli._exit).
    working: list[Any]
    split: bool  # the diagnostics were split over children (the stage ran after the pool)

    def diagnostics(self) -> list[Diagnostic]:
        """All of them, in runs in ORDER (the engine sorts every diagnostic at the end)."""
        return [d for run, _ in self.made for d in run]


class Stored:
    """The stage's stored output (:func:`pack`): its diagnostics, and the search states
    a run over another input starts from. Raises if the payload does not decode."""

    def __init__(self, payload: bytes) -> None:
        self._chunks, self._states = marshal.loads(payload)
        if type(self._chunks) is not tuple:
            raise ValueError("not a stage payload")
        self._decoded: tuple[Diagnostic, ...] | None = None

    def diagnostics(self) -> tuple[Diagnostic, ...]:
        """Every diagnostic; each chunk in ORDER, not the whole (the engine sorts)."""
        if self._decoded is None:
            self._decoded = tuple(chain.from_iterable(map(decode_diagnostics, self._chunks)))
        return self._decoded

    def state(self, code: str) -> NearState | None:
        state = marshal.loads(self._states).get(code)
        return None if state is None else NearState(*state)

    def kept(self, code: str, stale: set[int]) -> list[Diagnostic]:
        """The stored diagnostics of rule ``code`` but those of the ``stale`` groups."""
        gone = {f"paragraph {d:016x}" for d in stale}
        return [d for d in self.diagnostics() if d.code == code and d.snippet not in gone]


def pack(output: Output) -> bytes:
    """The stage's output as stored: read back with :class:`Stored`. The diagnostics go
    in chunks, one a run: those already encoded as they are."""
    return marshal.dumps((tuple(encode_diagnostics(run) if blob is None else blob
                                for run, blob in output.made if run),
                          # version 2: no table of shared objects (its hashing cost
                          # 0.1 s on 10,000 drafts; the state shares little)
                          marshal.dumps({code: tuple(s) for code, s in output.states.items()},
                                        2)))


def run_stage(collected: Sequence[tuple[Path, Mapping[str, DocPrint]]], rules: Sequence[Rule],
              config: Config, previous: Stored | None = None, parts: int = 1,
              keep: bool = False) -> Output:
    """Match the checked files' fingerprints (and the repo's, for scope ``repo``). With
    ``previous`` (the stored output of a run over other fingerprints), a rule whose
    state it holds redoes only what changed since (:func:`_search_again`). With ``parts``
    above 1 (cores that would idle otherwise), the large steps are split over forked
    children (:func:`checker.spread.spread`); the output is the same. ``keep``: the
    output will be stored (:func:`pack`): keep the search state, and encode the part of
    a split step done here."""
    made: list[tuple[list[Diagnostic], bytes | None]] = []
    states: dict[str, NearState] = {}
    working: list[Any] = []
    split = False
    index: Index | None = None
    try:
        for rule in rules:
            docs: dict[str, DocPrint] = {}  # display path -> fingerprints
            files: dict[str, Path] = {}  # display path -> path
            for path, prints in collected:
                d = prints.get(rule.code)
                if d is not None:
                    display = path.as_posix()
                    if d.path != display:  # from a cached row stored by a run elsewhere
                        d = DocPrint(display, d.key, d.blob, d.checked)
                    docs[display] = d
                    files[display] = path
            sig = signature(rule)
            corpus = list(docs.values())
            # the index serves repo scope: without a configuration file (no repo root)
            # or with scope paths nothing would ever read it, so it is not written
            if rule.options["scope"] == "repo" and config.source is not None:
                if index is None:
                    index = Index(index_path(config))
                rows = []
                root = os.path.abspath(config.root)
                for display, path in files.items():
                    try:
                        st = path.stat()
                    except OSError:
                        continue
                    rows.append((_rel(path, root), st.st_mtime_ns, st.st_size,
                                 docs[display].key, docs[display].blob))
                index.store(sig, rows)
                corpus += _context(rule, config, docs, files, index)
            todo, kept, state = _matches(corpus, rule, previous, parts, keep)
            made.append((kept, None))
            runs = _diagnose(todo, rule, files, config, parts, keep)
            split = split or len(runs) > 1
            made += runs
            working.append(todo)
            if state is not None:
                states[rule.code] = state
    finally:
        if index is not None:
            index.close()
    return Output(made, states, working, split)


# what to report: the arguments of _report but max_related (groups, neighbours, checked
# paths, the groups to report or None for all)
Todo = tuple[Groups, Neighbours, set, Sequence[int] | None]


def _matches(corpus: Sequence[DocPrint], rule: Rule, previous: Stored | None,
             parts: int, keep: bool) -> tuple[Todo, list[Diagnostic], NearState | None]:
    """What to report, the stored diagnostics that still hold, and the search state to
    keep (with ``keep``, when every file is checked: the whole search, or only what
    changed since ``previous``). The state is made here, before the diagnostics are
    split over children: made later (in a background writer, by a child), every page of
    the search's data it reads was copied first, and it took 0.26 s instead of 0.07."""
    threshold = rule.options["threshold"]
    if threshold >= 1.0 or not all(d.checked for d in corpus):
        return (*_prepare(corpus, threshold), None), [], None
    groups = _group(corpus)
    checked = {d.path for d in corpus}
    if previous is not None:
        try:
            state = previous.state(rule.code)
            again = state and _search_again(groups, corpus, threshold, state)
            if again:
                neighbours, only, stale, state = again
                return ((groups, neighbours, checked, only),
                        previous.kept(rule.code, stale), state)
        except Exception:  # a stored state that does not fit: search afresh
            pass
    buckets, prefixes, found = _search(groups, threshold, parts)
    return ((groups, _neighbours(found, len(groups)), checked, None), [],
            _state(corpus, groups, buckets, prefixes, found) if keep else None)


def _diagnose(todo: Todo, rule: Rule, files: Mapping[str, Path], config: Config,
              parts: int, keep: bool = False) -> list[tuple[list[Diagnostic], bytes | None]]:
    """The diagnostics of the matches of :func:`_report`, in runs each in ORDER, each with
    its encoding or None. Split (``parts`` above 1 and enough work): runs of groups of
    about equal cost, one done here, the others in forked children, which give theirs in
    PIECES encoded pieces that this process decodes as they come, while the children
    make the next. With ``keep`` (the output will be stored) the part done here is
    encoded here too, and the children's pieces are kept as they came."""
    groups, neighbours, checked, only = todo
    most = rule.options["max-related"]

    def diagnose(part: Sequence[int] | None) -> list[Diagnostic]:
        out = _render(_report(groups, neighbours, checked, most, part), rule, files, config)
        out.sort(key=ORDER)
        return out

    def here(part: Sequence[int]) -> tuple[list[Diagnostic], bytes | None]:
        out = diagnose(part)
        return out, encode_diagnostics(out) if keep else None

    def pieces(part: Sequence[int]) -> Iterator[bytes]:
        n = len(part)
        for k in range(PIECES):
            piece = part[k * n // PIECES:(k + 1) * n // PIECES]
            if len(piece):
                yield encode_diagnostics(diagnose(piece))

    def take(piece: bytes) -> tuple[list[Diagnostic], bytes | None]:
        return list(decode_diagnostics(piece)), piece if keep else None

    chosen = range(len(groups)) if only is None else only
    if parts < 2 or len(chosen) < 2:
        return [(diagnose(only), None)]
    # a group's cost, measured on the benchmark corpus: a unit a member reported, two a
    # near copy (the candidates to sort, the related locations to make)
    weights = list(accumulate(
        (len(groups[r]) if len(groups[r]) > 1 or neighbours[r] else 0) + 2 * len(neighbours[r])
        for r in chosen))
    if weights[-1] < SPREAD_MIN:
        return [(diagnose(only), None)]
    mine, theirs = stream(here, pieces, _runs(chosen, parts, weights,
                                              ENCODING_SHARE if keep else DECODING_SHARE), take)
    return [mine, *chain.from_iterable(theirs)]


def _runs(items: Sequence[int], parts: int, cost: Sequence[int], local: float = 1.0
          ) -> list[Sequence[int]]:
    """``items`` cut into ``parts`` runs of about equal cost (``cost``: the running total
    of the items' costs, item by item); the first run (done here, see
    :func:`checker.spread.spread`) weighs ``local`` times as much as each other."""
    unit = cost[-1] / (local + parts - 1)
    cuts = [0, *(bisect_left(cost, unit * (local + k)) for k in range(parts - 1)), len(items)]
    return [items[a:b] for a, b in zip(cuts, cuts[1:])]


def _render(matches: Iterable[tuple], rule: Rule, files: Mapping[str, Path],
            config: Config) -> list[Diagnostic]:
    """The diagnostics of ``rule`` for the matches of :func:`_report`."""
    from checker.engine import render, rules_for

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
        out.append(as_diagnostic((path, p[LINE], p[COLUMN], p[LINE], p[END_COLUMN],
                                 code, name, severity, message, rel, (), snippet)))
    return out
