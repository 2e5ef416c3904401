#!/usr/bin/env python3
"""The library index at scale (issue 22): build and audit N synthetic drafts with Spark
(local[2]), check one draft against the index through the CLI, and fingerprint the same
drafts on the embedded path (a pool of 2 processes) for comparison.

Prints one JSON object: wall times, the index's size on disk, the peak memory of each
command's process tree (the driver, the JVM and Spark's Python workers, sampled every
0.2 s), and the per-draft costs the projection in docs/library.md starts from.

Usage:
  python bench/make_corpus.py -n 100000 -o /tmp/corpus/c100000
  python bench/bench_library.py /tmp/corpus/c100000 --index /tmp/library-index
  python bench/bench_library.py /tmp/corpus/c100000 --index /tmp/library-index --query-only
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from bench_adoption import timed  # noqa: E402 (bench/ is on sys.path when run as a script)

EXE = Path(sys.executable).with_name("draftlint")


def measured(cmd: list[str]) -> dict[str, float]:
    """Wall time and peak memory of the process tree (bench_adoption's sampler); a build
    or an audit that fails stops the benchmark (a check may exit 1: findings)."""
    wall, peak_kb, _ = timed(cmd, ok=(0, 1) if "check" in cmd else (0,))
    return {"seconds": round(wall, 2), "peak_mb": round(peak_kb / 1024)}


def _fingerprint(paths: list[str]) -> int:
    from checker.dedup import Settings, fingerprint
    from checker.readers import read_path

    settings, count = Settings(), 0
    for path in paths:
        doc = read_path(Path(path), path, 10_000_000).document
        if doc is not None:
            count += len(fingerprint(doc.text, settings, doc.source_map or ()).hashes)
    return count


def embedded_fingerprinting(source: Path, jobs: int) -> float:
    """Seconds to read and fingerprint every draft with the embedded path's functions, in
    a pool of ``jobs`` processes (the parallelism local[2] has)."""
    paths = sorted(str(p) for p in source.rglob("*.txt"))
    chunks = [paths[i:i + 500] for i in range(0, len(paths), 500)]
    start = time.perf_counter()
    with ProcessPoolExecutor(jobs) as pool:
        list(pool.map(_fingerprint, chunks))
    return round(time.perf_counter() - start, 2)


def library_lookup(index: str, path: Path) -> dict[str, object]:
    """In this process: seconds to open the index and find one draft's passages in it
    (DuckDB's import, the three point lookups and the texts read), without the CLI."""
    from checker.dedup import fingerprint
    from checker.library import layout
    from checker.library.lookup import LibraryIndex
    from checker.readers import read_path

    settings = layout.settings_from(layout.read_manifest(index).settings)
    doc = read_path(path, str(path), 10_000_000).document
    assert doc is not None
    print_ = fingerprint(doc.text, settings, doc.source_map or ())
    start = time.perf_counter()
    library = LibraryIndex(index, settings)
    found = library.copies(str(path), print_, settings,
                           lambda p: doc.text if p == str(path) else library.text(p))
    library.close()
    return {"seconds": round(time.perf_counter() - start, 3), "passages": len(found)}


def size_mb(path: str) -> float:
    return round(sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file()) / 2**20, 1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("source", type=Path, help="folder of drafts (bench/make_corpus.py)")
    ap.add_argument("--index", default="/tmp/draftlint-library-index")
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--rounds", type=int, default=5, help="rounds of the one-draft check")
    ap.add_argument("--no-audit", action="store_true", help="build and query only")
    ap.add_argument("--query-only", action="store_true",
                    help="keep the index at --index: time the one-draft check (and the audit)")
    args = ap.parse_args()
    drafts = sum(1 for _ in args.source.rglob("*.txt"))
    out: dict[str, object] = {"drafts": drafts, "master": args.master}
    if not args.query_only:
        shutil.rmtree(args.index, ignore_errors=True)
        out["embedded_fingerprinting_seconds"] = embedded_fingerprinting(args.source, 2)
        out["build"] = measured([str(EXE), "library", "build", str(args.source), "--out",
                                 args.index, "--master", args.master])
        out["build_over_embedded"] = round(out["build"]["seconds"]  # type: ignore[index]
                                           / out["embedded_fingerprinting_seconds"], 2)
        out["build_ms_per_draft"] = round(1000 * out["build"]["seconds"] / drafts, 3)  # type: ignore[index]
    out["index_mb"] = size_mb(args.index)
    out["index_bytes_per_draft"] = round(out["index_mb"] * 2**20 / drafts)  # type: ignore[operator]
    manifest = json.loads(Path(args.index, "manifest.json").read_text(encoding="utf-8"))
    out["fingerprints"] = manifest["fingerprints"]
    one = sorted(args.source.rglob("*.txt"))[drafts // 2]
    for name, extra in (("one_draft_check_seconds", ["--library", args.index]),
                        ("one_draft_check_without_library_seconds", [])):
        times = [measured([str(EXE), "check", "--no-cache", "--select", "D201", *extra,
                           str(one)])["seconds"] for _ in range(args.rounds)]
        out[name] = {"median": statistics.median(times), "all": times}
    out["lookup_in_process"] = library_lookup(args.index, one)
    print(json.dumps(out, indent=2), flush=True)
    if not args.no_audit:
        audit = measured([str(EXE), "library", "audit", args.index, "--format", "json",
                          "-o", "/tmp/draftlint-library-audit.json", "--master", args.master])
        found = json.loads(Path("/tmp/draftlint-library-audit.json").read_text(encoding="utf-8"))
        print(json.dumps({"audit": audit, "audit_passages": len(found),
                          "audit_ms_per_draft": round(1000 * audit["seconds"] / drafts, 3)},
                         indent=2))


if __name__ == "__main__":
    main()
