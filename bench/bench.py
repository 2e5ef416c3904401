#!/usr/bin/env python3
"""draftlint benchmark: duplicated phrasing (D family) and the cross-document stage.

One command (from the repository root, with draftlint installed in the running Python):

    python bench/bench.py --seeds ../shared/samples --jscpd /tmp/peers/node_modules/.bin/jscpd

It makes the corpora if they are missing (bench/make_corpus.py: 1,000 and 10,000 drafts),
then times whole processes side by side, ``--repeat`` runs each, and prints medians:

a. one typical draft through the CLI: all rules, rules that need no segmentation, and
   ``python -c "import jieba; jieba.initialize()"`` for comparison;
b. the full check (default rules) of 1,000 and 10,000 drafts, cold (no cache directory)
   and warm (cache left by the previous run); and a pre-commit run (one file against the
   whole repo, scope repo) cold and warm;
c. D201 against jscpd and MinHash/LSH: see bench/bench_passages.py;
d. the within-draft D rules on 10,000 drafts against the time jieba needs to segment the
   whole corpus (measured throughput on a 2 MB slice, extrapolated).

Times are wall-clock medians; the machine is shared and noisy, so compare ratios of runs
made side by side, not figures from different days. Results also go to ``--json``.
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

HERE = Path(__file__).resolve().parent


def timed(cmd: list[str], repeat: int, setup=None, cwd: Path | None = None,
          stdout_to: Path | None = None) -> tuple[float, list[float]]:
    runs = []
    for _ in range(repeat):
        if setup:
            setup()
        out = open(stdout_to, "wb") if stdout_to else subprocess.DEVNULL
        t = time.perf_counter()
        subprocess.run(cmd, stdout=out, stderr=subprocess.DEVNULL, cwd=cwd)
        runs.append(time.perf_counter() - t)
        if stdout_to:
            out.close()
    return statistics.median(runs), runs


def ensure_corpus(root: Path, n: int, seeds: str | None) -> Path:
    out = root / f"c{n}"
    if not (root / f"c{n}.manifest.jsonl").is_file():
        cmd = [sys.executable, str(HERE / "make_corpus.py"), "-n", str(n), "-o", str(out)]
        if seeds:
            cmd += ["--seeds", seeds]
        subprocess.run(cmd, check=True)
    return out


def draftlint() -> list[str]:
    exe = shutil.which("draftlint", path=str(Path(sys.executable).parent))
    return [exe] if exe else [sys.executable, "-m", "checker"]


def typical_draft(corpus: Path) -> Path:
    files = sorted(corpus.glob("*.txt"), key=lambda p: p.stat().st_size)
    return files[len(files) // 2]


def segment_share(corpus: Path) -> dict:
    """In-process: how much of the corpus the D1 rules hand to jieba, and what each costs."""
    import checker.checks.overused_word as ow
    import checker.checks.repeated_word as rw
    import checker.segment as seg
    from checker.checks import kind_module
    from checker.packs import load_rules
    from checker.readers import read_path

    stats = {"chars": 0, "jieba_s": 0.0}
    real = seg.cut

    def cut(text: str, extra: tuple = ()) -> list:
        t = time.perf_counter()
        out = real(text, extra)
        stats["jieba_s"] += time.perf_counter() - t
        stats["chars"] += len(text)
        return out

    rw.cut = ow.cut = cut
    seg.tokenizer(())  # start-up is measured separately
    docs = [read_path(p, str(p), 10**8).document for p in sorted(corpus.glob("*.txt"))]
    total = sum(len(d.text) for d in docs)
    per_rule = {}
    for rule in (r for r in load_rules() if r.code.startswith("D1")):
        module = kind_module(rule.kind)
        t = time.perf_counter()
        for d in docs:
            list(module.check(d, rule.options))
        per_rule[rule.code] = round(time.perf_counter() - t, 2)
    t = time.perf_counter()
    for d in docs:
        real(d.text)
    whole = time.perf_counter() - t
    return {"docs": len(docs), "chars": total, "segmented_chars": stats["chars"],
            "segmented_share": round(stats["chars"] / total, 3),
            "jieba_s_in_D1": round(stats["jieba_s"], 2), "D1_check_s": per_rule,
            "segment_everything_s": round(whole, 2)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus-root", default=os.path.join(tempfile.gettempdir(), "draftlint-bench"))
    ap.add_argument("--seeds", help="sample drafts the corpora are made from")
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", help="write the figures here as JSON")
    ap.add_argument("--segment-share", action="store_true",
                    help="only measure (in-process) how much text the D1 rules segment")
    a = ap.parse_args()
    if a.segment_share:
        corpus = ensure_corpus(Path(a.corpus_root), min(a.sizes), a.seeds)
        print(json.dumps(segment_share(corpus)))
        return 0

    root = Path(a.corpus_root)
    root.mkdir(parents=True, exist_ok=True)
    corpora = {n: ensure_corpus(root, n, a.seeds) for n in a.sizes}
    dl = draftlint()
    res: dict = {"python": sys.version.split()[0], "repeat": a.repeat, "cpus": os.cpu_count()}

    def show(label: str, median: float, runs: list[float]) -> None:
        print(f"{label:<58} {median:7.2f} s   ({', '.join(f'{r:.2f}' for r in runs)})", flush=True)
        res[label] = {"median": round(median, 3), "runs": [round(r, 3) for r in runs]}

    # (a) one typical draft
    small = corpora[min(corpora)]
    draft = typical_draft(small)
    res["typical_draft"] = {"path": draft.name, "bytes": draft.stat().st_size}
    scratch = Path(tempfile.mkdtemp())
    one = scratch / draft.name
    shutil.copy(draft, one)
    jieba_cmd = [sys.executable, "-c", "import jieba; jieba.initialize()"]
    show("jieba start-up (import + initialize)", *timed(jieba_cmd, a.repeat))
    show("one draft, all rules (--select ALL)",
         *timed([*dl, "check", "--no-cache", "-q", "--select", "ALL", str(one)], a.repeat, cwd=scratch))
    show("one draft, all rules, result cache warm",
         *timed([*dl, "check", "-q", "--select", "ALL", str(one)], a.repeat, cwd=scratch))
    show("one draft, default rules",
         *timed([*dl, "check", "--no-cache", "-q", str(one)], a.repeat, cwd=scratch))
    show("one draft, no D rules (--ignore D)",
         *timed([*dl, "check", "--no-cache", "-q", "--ignore", "D", str(one)], a.repeat, cwd=scratch))
    show("one draft, D1 rules only",
         *timed([*dl, "check", "--no-cache", "-q", "--select", "D1", str(one)], a.repeat, cwd=scratch))
    res["ratio_all_rules_to_jieba"] = round(
        res["one draft, all rules (--select ALL)"]["median"]
        / res["jieba start-up (import + initialize)"]["median"], 2)

    # (b) full check, cold and warm; pre-commit run
    for n, corpus in corpora.items():
        cfg = corpus / ".draftlint.yaml"
        cfg.write_text("# benchmark corpus: the drafts repo\n", encoding="utf-8")
        cache = corpus / ".draftlint_cache"

        def clear() -> None:
            shutil.rmtree(cache, ignore_errors=True)

        show(f"full check, {n} drafts, cold",
             *timed([*dl, "check", "-q", "--statistics", str(corpus)], a.repeat, setup=clear))
        show(f"full check, {n} drafts, warm",
             *timed([*dl, "check", "-q", "--statistics", str(corpus)], a.repeat))
        one_file = sorted(corpus.glob("*.txt"))[1]
        show(f"pre-commit: 1 file vs {n}-draft repo (D201), cold",
             *timed([*dl, "check", "-q", "--select", "D201", str(one_file)], a.repeat, setup=clear))
        show(f"pre-commit: 1 file vs {n}-draft repo (D201), warm index",
             *timed([*dl, "check", "-q", "--select", "D201", str(one_file)], a.repeat))
        cfg.unlink()
        clear()

    # (c) D201 against jscpd and MinHash/LSH: bench/bench_passages.py
    n = max(corpora)
    corpus = corpora[n]

    # (d) within-draft D rules against segmenting everything
    show(f"D1 rules only, {n} drafts",
         *timed([*dl, "check", "--no-cache", "-q", "--statistics", "--select", "D1", str(corpus)], a.repeat))
    import jieba
    import logging

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    texts, size = [], 0
    for p in sorted(corpus.glob("*.txt")):
        texts.append(p.read_text(encoding="utf-8"))
        size += len(texts[-1].encode())
        if size > 2_000_000:
            break
    t = time.perf_counter()
    for text in texts:
        jieba.lcut(text)
    rate = size / 1e6 / (time.perf_counter() - t)
    total = sum(p.stat().st_size for p in corpus.glob("*.txt")) / 1e6
    res["jieba_MB_per_s"] = round(rate, 2)
    res["segment_whole_corpus_s (estimate)"] = round(total / rate, 1)
    print(f"{'jieba precise mode':<58} {rate:7.2f} MB/s -> whole {total:.0f} MB corpus "
          f"{total / rate:.0f} s", flush=True)
    if a.json:
        Path(a.json).write_text(json.dumps(res, ensure_ascii=False, indent=2), encoding="utf-8")
    shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
