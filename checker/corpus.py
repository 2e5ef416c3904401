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
from collections import Counter, defaultdict
from itertools import chain, islice
from pathlib import Path
from typing import Any, Iterable, Mapping, NamedTuple, Sequence

from checker import __version__
from checker.checks import kind_module
from checker.config import Config
from checker.diagnostics import ORDER, Diagnostic, Related, as_diagnostic
from checker.document import Document
from checker.packs import Rule

DB_NAME = "fingerprints.sqlite"
MAX_VERIFY = 6  # candidates verified per paragraph (bounds the worst case: dense clusters)
MAX_NEIGHBOURS = 4  # near copies kept per paragraph (enough to name and count)


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


def _prepare(docs: Sequence[DocPrint], threshold: float
             ) -> tuple[Groups, list[list[tuple[float, int]]], set[str]]:
    """Group the paragraphs by digest (verbatim copies) and find each group's near copies:
    (groups, neighbours: (similarity, group) per group, the checked paths)."""
    by_digest: dict[int, list[tuple[str, tuple]]] = defaultdict(list)
    for d in docs:
        path = d.path
        for p in d.paras:
            by_digest[p[DIGEST]].append((path, p))
    groups = list(by_digest.values())  # one group per distinct text
    neighbours: list[list[tuple[float, int]]] = [[] for _ in groups]
    checked = {d.path for d in docs if d.checked}
    if threshold < 1.0:
        probe = None
        if len(checked) < len(docs) // 2:  # a few files against the repo (pre-commit)
            probe = {r for r, g in enumerate(groups) if any(p in checked for p, _ in g)}
        if probe is None:
            _near(groups, neighbours, threshold)
        else:
            _near_few(groups, neighbours, threshold, probe)
    return groups, neighbours, checked


def _report(groups: Groups, neighbours: list[list[tuple[float, int]]], checked: set[str],
            max_related: int) -> list[tuple]:
    """The matches as plain tuples in :class:`Match` order (the stage reads 151,642 of
    them on the 10,000-draft benchmark corpus: no named tuple to build or to read)."""
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
        for sim, c in sorted(near, reverse=True):
            copies += len(groups[c])
            if len(cands) <= 2 * max_related:
                cands += [(-sim, *loc) for loc in first_members(c)]
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


def _near(groups: Groups, neighbours: list[list[tuple[float, int]]],
          threshold: float) -> None:
    """Prefix filtering, every group against every other, in one pass (each pair is found
    by the later of the two): fill ``neighbours`` with (similarity, group)."""
    feats = [frozenset(g[0][1][FEATURES]) for g in groups]
    rank = Counter(chain.from_iterable(feats)).__getitem__  # rarest clause hashes first
    postings: dict[int, list[int]] = {}
    get = postings.get
    # the prefix length for each set size
    longest = max(map(len, feats), default=0)
    keep = [n - math.ceil(threshold * n) + 1 for n in range(longest + 1)]
    for r, f in enumerate(feats):
        n = len(f)
        if not n:
            continue
        cands: set[int] = set()
        for h in sorted(f, key=rank)[:keep[n]]:
            plist = get(h)
            if plist is None:
                postings[h] = [r]
                continue
            if len(cands) < MAX_VERIFY:
                cands.update(plist[-MAX_VERIFY:])  # the most recent: nearest in the corpus
            plist.append(r)
        if not cands:
            continue
        mine = neighbours[r]
        lo, hi = threshold * n, n / threshold
        for c in islice(cands, MAX_VERIFY):
            other = feats[c]
            m = len(other)
            if lo <= m <= hi:
                inter = len(f & other)
                sim = inter / (n + m - inter)
                if sim >= threshold:
                    mine.append((sim, c))
                    theirs = neighbours[c]
                    if len(theirs) < MAX_NEIGHBOURS:
                        theirs.append((sim, r))
                    if len(mine) >= MAX_NEIGHBOURS:
                        break


def _near_few(groups: Groups, neighbours: list[list[tuple[float, int]]],
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
                found.append((sim, c))
        found.sort(key=lambda x: (-x[0], x[1]))
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
        doc = read_path(path, _display(path), config["max-file-size"]).document
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


def run_stage(collected: Sequence[tuple[Path, Mapping[str, DocPrint]]], rules: Sequence[Rule],
              config: Config) -> list[Diagnostic]:
    """Match the checked files' fingerprints (and the repo's, for scope ``repo``)."""
    out: list[Diagnostic] = []
    index: Index | None = None
    try:
        for rule in rules:
            docs = {d.path: d for path, prints in collected if (d := prints.get(rule.code))}
            files = {prints[rule.code].path: path for path, prints in collected
                     if rule.code in prints}
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
            groups, neighbours, checked = _prepare(corpus, rule.options["threshold"])
            out += _render(_report(groups, neighbours, checked, rule.options["max-related"]),
                           rule, files, config)
    finally:
        if index is not None:
            index.close()
    # in order already, so the engine's final sort is a cheap merge
    out.sort(key=ORDER)
    return out


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
        out.append(as_diagnostic((path, p[LINE], p[COLUMN], p[LINE], p[END_COLUMN],
                                 code, name, severity, message, rel, (),
                                 # the baseline's handle on the paragraph: its digest
                                 # (whole text, line-independent), not a copy of it
                                 f"paragraph {p[DIGEST]:016x}")))
    return out
