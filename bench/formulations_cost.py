"""What family N adds: every rule against ``--ignore N``, side by side in interleaved rounds.

    python bench/formulations_cost.py --draft ../shared/samples/003_3197f6daf3feb7e7.txt \
        --corpus /tmp/corpus/c10000 --rounds 3 --draft-rounds 10

Each round runs both variants (in alternating order) as whole ``draftlint`` processes: one
draft with ``--no-cache`` (load included), and the corpus cold (a fresh ``--cache-dir``).
It prints the median wall time and the median CPU time (user + system of the process and
its workers) of each, and N's share. On a shared machine the CPU time is the steadier
figure; both are printed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run(args: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the process tree) of one draftlint run."""
    before = os.times()
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "checker", *args], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - t
    after = os.times()
    return wall, (after.children_user - before.children_user) + (after.children_system - before.children_system)


def rounds(make_args, n: int) -> dict[str, list[tuple[float, float]]]:
    out: dict[str, list[tuple[float, float]]] = {"without N": [], "with N": []}
    for i in range(n):
        order = ["without N", "with N"] if i % 2 == 0 else ["with N", "without N"]
        for variant in order:
            out[variant].append(run(make_args(variant)))
    return out


def summary(results: dict[str, list[tuple[float, float]]]) -> dict[str, object]:
    med = {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v))
           for k, v in results.items()}
    (w0, c0), (w1, c1) = med["without N"], med["with N"]
    return {"median wall s": {k: round(v[0], 3) for k, v in med.items()},
            "median cpu s": {k: round(v[1], 3) for k, v in med.items()},
            "N adds wall": f"{w1 - w0:+.3f} s ({(w1 / w0 - 1) * 100:+.1f} %)",
            "N adds cpu": f"{c1 - c0:+.3f} s ({(c1 / c0 - 1) * 100:+.1f} %)",
            "rounds": len(results["with N"])}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--draft", type=Path)
    ap.add_argument("--corpus", type=Path)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--draft-rounds", type=int, default=10)
    args = ap.parse_args()
    report = {}
    if args.draft:
        report["one draft"] = summary(rounds(
            lambda v: ["check", "--no-cache", str(args.draft)] + (["--ignore", "N"] if v == "without N" else []),
            args.draft_rounds))
    if args.corpus:
        scratch = Path(tempfile.mkdtemp(prefix="n-cost-"))

        def corpus_args(variant: str) -> list[str]:
            cache = scratch / f"cache-{time.monotonic_ns()}"
            return (["check", "-q", "--cache-dir", str(cache), str(args.corpus)]
                    + (["--ignore", "N"] if variant == "without N" else []))

        try:
            report["corpus cold"] = summary(rounds(corpus_args, args.rounds))
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
