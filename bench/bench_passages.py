#!/usr/bin/env python3
"""D201 (passages copied between drafts) against jscpd and a MinHash/LSH baseline.

One command (from the repository root, draftlint and datasketch installed in the running
Python; jscpd from ``npm i jscpd@5.3.3``):

    python bench/bench_passages.py --corpus /tmp/corpus/c10000 \\
        --jscpd /tmp/peers/node_modules/.bin/jscpd --json /tmp/passages.json

In one run, side by side: ``draftlint check --select D201`` cold (a fresh cache
directory), jscpd (token windows, its defaults), and MinHash/LSH (datasketch, 64
permutations, threshold 0.5) over the same shingles as D201 (its winnowed k-gram hashes),
one MinHash per paragraph. For each: wall time, recall per kind of the planted passage
copies of at least ``--min-chars`` characters (manifest ``passages``, from
bench/make_corpus.py; a pair counts as found when the tool reports the two drafts
together), and false pairs: reported pairs of drafts whose reported text is not shared
(its normalised characters matched in the other draft below half, checked with difflib).
Pairs that are real shared text but not planted (the generator draws every draft from
five samples) are counted apart as "shared, not planted".
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

Pair = frozenset  # two draft file names
VERIFY_MOST = 20_000  # pairs of paragraphs MinHash/LSH reports that are checked on the text


def truth(manifest: Path, min_chars: int) -> tuple[dict[Pair, str], set[Pair]]:
    """{pair: kind} of the planted passage copies of at least ``min_chars`` characters,
    and every pair the generator planted on purpose (passages of any length, drafts
    sharing a boilerplate paragraph): reporting those is never false."""
    rows = [json.loads(line) for line in manifest.read_text(encoding="utf-8").splitlines()]
    source: dict[int, tuple[str, dict]] = {}
    for row in rows:
        for p in row.get("passages", ()):
            if p["role"] == "source":
                source[p["passage"]] = (row["file"], p)
    want: dict[Pair, str] = {}
    planted: set[Pair] = set()
    for row in rows:
        for p in row.get("passages", ()):
            if p["role"] == "copy" and p["passage"] in source:
                src, sp = source[p["passage"]]
                pair = Pair((src, row["file"]))
                planted.add(pair)
                if sp["length"] >= min_chars:
                    want[pair] = p["kind"]
    shared = defaultdict(set)
    for row in rows:
        for b in row["boilerplate"]:
            shared[b["id"]].add(row["file"])
    for files in shared.values():
        planted.update(Pair((a, b)) for a in files for b in files if a != b)
    return want, planted


def _norm(text: str) -> str:
    return "".join(c for c in text if c.isalnum())


def _lines(corpus: Path, name: str, cache: dict[str, list[str]]) -> list[str]:
    if name not in cache:
        cache[name] = (corpus / name).read_text(encoding="utf-8").split("\n")
    return cache[name]


def shared_text(corpus: Path, a: str, span: tuple[int, int, int, int], b: str, b_line: int,
                cache: dict[str, list[str]]) -> bool:
    """Is the text of ``a`` at ``span`` (1-based line, column, end line, end column) held
    by ``b`` around ``b_line``? (half its normalised characters matched)"""
    la, lb = _lines(corpus, a, cache), _lines(corpus, b, cache)
    l1, c1, l2, c2 = span
    if l1 == l2:
        text = la[l1 - 1][c1 - 1:c2 - 1]
    else:
        text = "\n".join([la[l1 - 1][c1 - 1:], *la[l1:l2 - 1], la[l2 - 1][:c2 - 1]])
    mine = _norm(text)
    # the other draft may put blank lines between its paragraphs: twice the lines
    theirs = _norm("\n".join(lb[max(0, b_line - 2):b_line + max(2, 2 * (l2 - l1) + 3)]))
    if not mine:
        return False
    blocks = SequenceMatcher(None, mine, theirs, autojunk=False).get_matching_blocks()
    return sum(x.size for x in blocks) >= len(mine) / 2


def score(found: dict[Pair, bool], want: dict[Pair, str], planted: set[Pair]) -> dict[str, Any]:
    """Recall per kind and false pairs. ``found``: reported pair -> its text is shared."""
    per_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for pair, kind in want.items():
        per_kind[kind][1] += 1
        per_kind[kind][0] += pair in found
    hit = sum(h for h, _ in per_kind.values())
    total = sum(n for _, n in per_kind.values())
    return {
        "recall": {k: round(h / n, 4) for k, (h, n) in sorted(per_kind.items())},
        "recall_all": round(hit / total, 4) if total else None,
        "found": {k: f"{h}/{n}" for k, (h, n) in sorted(per_kind.items())},
        "pairs": len(found),
        "false_pairs": sum(1 for p, ok in found.items() if p not in planted and not ok),
        "shared_not_planted": sum(1 for p, ok in found.items() if p not in planted and ok),
    }


def d201_pairs(sarif: Path, corpus: Path) -> dict[Pair, bool]:
    data = json.loads(sarif.read_text(encoding="utf-8"))
    cache: dict[str, list[str]] = {}
    out: dict[Pair, bool] = {}
    for result in data["runs"][0]["results"]:
        loc = result["locations"][0]["physicalLocation"]
        a = Path(loc["artifactLocation"]["uri"]).name
        r = loc["region"]
        span = (r["startLine"], r["startColumn"], r["endLine"], r["endColumn"])
        for rel in result.get("relatedLocations", ()):
            other = rel["physicalLocation"]
            b = Path(other["artifactLocation"]["uri"]).name
            pair = Pair((a, b))
            ok = shared_text(corpus, a, span, b, other["region"]["startLine"], cache)
            out[pair] = out.get(pair, False) or ok
    return out


def jscpd_pairs(report: Path, corpus: Path) -> dict[Pair, bool]:
    data = json.loads(report.read_text(encoding="utf-8"))
    cache: dict[str, list[str]] = {}
    out: dict[Pair, bool] = {}
    for dup in data.get("duplicates", []):
        f, s = dup["firstFile"], dup["secondFile"]
        a, b = Path(f["name"]).name, Path(s["name"]).name
        if a == b:
            continue
        span = (f["start"], 1, f["end"] + 1, 1)
        ok = shared_text(corpus, a, span, b, s["start"], cache)
        out[Pair((a, b))] = out.get(Pair((a, b)), False) or ok
    return out


def minhash_pairs(corpus: Path) -> tuple[dict[Pair, bool], float]:
    """MinHash/LSH over D201's shingles, one MinHash per paragraph; its wall time."""
    import numpy as np
    from datasketch import MinHash, MinHashLSH

    from checker.dedup import Settings, fingerprint

    start = time.perf_counter()
    settings = Settings()
    lsh = MinHashLSH(threshold=0.5, num_perm=64)
    first = MinHash(num_perm=64)  # its permutations, made once: each MinHash would draw its own
    perms, scheme = first.permutations, first.scheme
    keys: list[tuple[tuple[str, int], Any]] = []
    for path in sorted(corpus.glob("*.txt")):
        fp = fingerprint(path.read_text(encoding="utf-8"), settings)
        by_line: dict[int, list[int]] = defaultdict(list)
        for h, s in zip(fp.hashes, fp.starts):
            by_line[fp.position(s)[0]].append(h & 0xFFFFFFFF)
        for line, hashes in by_line.items():
            if len(hashes) < 5:
                continue
            m = MinHash(num_perm=64, hashfunc=int, permutations=perms, scheme=scheme)
            m.update_batch(np.array(hashes, dtype=np.uint64))
            key = (path.name, line)
            lsh.insert(key, m, check_duplication=False)
            keys.append((key, m))
    pairs: set[tuple[tuple[str, int], tuple[str, int]]] = set()
    for key, m in keys:
        for other in lsh.query(m):
            if other[0] != key[0]:
                pairs.add((key, other))
    elapsed = time.perf_counter() - start
    cache: dict[str, list[str]] = {}
    out: dict[Pair, bool] = {}
    by_pair: dict[Pair, tuple[str, int, str, int]] = {}
    for (a, la), (b, lb) in pairs:
        by_pair.setdefault(Pair((a, b)), (a, la, b, lb))
    for pair, (a, la, b, lb) in by_pair.items():
        # paragraphs shared by hundreds of drafts give millions of pairs: past
        # VERIFY_MOST they are counted, not checked (shared_not_planted then counts them)
        if len(by_pair) > VERIFY_MOST:
            out[pair] = True
            continue
        n = len(_lines(corpus, a, cache)[la - 1]) + 1
        out[pair] = shared_text(corpus, a, (la, 1, la, n), b, lb, cache)
    return out, elapsed


def timed(cmd: list[str], stdout: Path | None = None) -> float:
    start = time.perf_counter()
    with open(stdout, "wb") if stdout else open("/dev/null", "wb") as out:
        subprocess.run(cmd, stdout=out, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", required=True, type=Path)
    ap.add_argument("--jscpd", help="the jscpd executable (npm i jscpd@5.3.3)")
    ap.add_argument("--min-chars", type=int, default=50)
    ap.add_argument("--no-minhash", action="store_true")
    ap.add_argument("--json", type=Path)
    a = ap.parse_args()
    corpus = a.corpus.resolve()
    want, planted = truth(corpus.with_name(corpus.name + ".manifest.jsonl"), a.min_chars)
    print(f"{len(want)} planted passage pairs of {a.min_chars}+ characters:",
          dict(Counter(want.values())), flush=True)
    res: dict[str, Any] = {"drafts": len(list(corpus.glob("*.txt")))}
    scratch = Path(tempfile.mkdtemp(prefix="bench-passages-"))
    try:
        dl = [sys.executable, "-m", "checker", "check", "-q", "--select", "D201",
              "--format", "sarif", "--cache-dir", str(scratch / "cache"), str(corpus)]
        res["D201_seconds"] = round(timed(dl, scratch / "d201.sarif"), 2)
        res["D201"] = score(d201_pairs(scratch / "d201.sarif", corpus), want, planted)
        print("D201:", res["D201_seconds"], "s", res["D201"], flush=True)
        if a.jscpd:
            res["jscpd_seconds"] = round(timed(
                [a.jscpd, "--no-gitignore", "-s", "-r", "json", "-o", str(scratch / "jscpd"),
                 str(corpus)]), 2)
            res["jscpd"] = score(jscpd_pairs(scratch / "jscpd" / "jscpd-report.json", corpus),
                                 want, planted)
            res["D201_to_jscpd"] = round(res["D201_seconds"] / res["jscpd_seconds"], 2)
            print("jscpd:", res["jscpd_seconds"], "s", res["jscpd"], flush=True)
        if not a.no_minhash:
            found, seconds = minhash_pairs(corpus)
            res["minhash_seconds"] = round(seconds, 2)
            res["minhash"] = score(found, want, planted)
            print("MinHash/LSH:", res["minhash_seconds"], "s", res["minhash"], flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if a.json:
        a.json.write_text(json.dumps(res, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
