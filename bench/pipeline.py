#!/usr/bin/env python3
"""The run path against a baseline commit, side by side in one run (issue 18's targets).

For each interpreter (``--baseline``: a venv with the old commit installed; ``--python``:
this one) it times whole ``python -m checker check`` processes, the two interleaved round
by round (the machine is shared: medians of ``--repeat`` rounds):

  cold         the corpus, default rules, an empty result cache (the run writes it)
  one draft    one typical draft, --no-cache (start-up, loading the rules, one check)
  warm, 1 ed.  the corpus again after the cold run, one draft edited (a sentence added to
               one paragraph; D201 is among the default rules), the edit undone after

  python3 bench/make_corpus.py -n 10000 -o /tmp/corpus/c10000
  python3 bench/pipeline.py --corpus /tmp/corpus/c10000 --baseline /tmp/old/.venv/bin/python

Standard library only.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def timed(python: str, args: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    proc = subprocess.run([python, "-m", "checker", "check", "-q", *args], cwd=cwd,
                          capture_output=True, text=True)
    took = time.perf_counter() - start
    if proc.returncode not in (0, 1) or "Traceback" in proc.stderr:
        raise SystemExit(f"{python} {args}: exit {proc.returncode}\n{proc.stderr[-2000:]}")
    return took


def one_round(python: str, corpus: Path, draft: Path, cache: Path) -> dict[str, float]:
    shutil.rmtree(cache, ignore_errors=True)
    out = {"cold": timed(python, ["--cache-dir", str(cache), str(corpus)], corpus.parent)}
    out["one draft"] = timed(python, ["--no-cache", str(draft)], corpus.parent)
    text = draft.read_text(encoding="utf-8")
    lines = text.split("\n")
    longest = max(range(len(lines)), key=lambda i: len(lines[i]))
    lines[longest] += "会后要把这次查摆出的问题逐条列入整改台账并按月报告进展情况。"
    try:
        draft.write_text("\n".join(lines), encoding="utf-8")
        out["warm, 1 edited"] = timed(python, ["--cache-dir", str(cache), str(corpus)],
                                      corpus.parent)
    finally:
        draft.write_text(text, encoding="utf-8")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--baseline", required=True, help="python of the baseline install")
    parser.add_argument("--python", default=sys.executable, help="python of this install")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    corpus = args.corpus.resolve()
    drafts = sorted(p for p in corpus.rglob("*") if p.suffix in (".txt", ".md"))
    draft = sorted(drafts, key=lambda p: p.stat().st_size)[len(drafts) // 2]  # median size
    runs: dict[str, list[dict[str, float]]] = {"baseline": [], "this": []}
    with tempfile.TemporaryDirectory(prefix="draftlint-bench-") as tmp:
        for n in range(args.repeat):
            for name, python in (("baseline", args.baseline), ("this", args.python)):
                got = one_round(python, corpus, draft, Path(tmp) / name)
                runs[name].append(got)
                print(f"round {n + 1} {name}: " + ", ".join(f"{k} {v:.2f} s"
                                                         for k, v in got.items()), flush=True)
    medians = {name: {k: statistics.median(r[k] for r in rounds) for k in rounds[0]}
               for name, rounds in runs.items()}
    print(f"\nmedians of {args.repeat} interleaved rounds, {len(drafts)} drafts, "
          f"one draft: {draft.name} ({draft.stat().st_size} bytes)")
    print(f"{'':16}{'baseline':>10}{'this':>10}{'ratio':>8}")
    for key in medians["this"]:
        old, new = medians["baseline"][key], medians["this"][key]
        print(f"{key:16}{old:>9.2f}s{new:>9.2f}s{new / old:>8.2f}")
    if args.json:
        args.json.write_text(json.dumps({"runs": runs, "medians": medians}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
