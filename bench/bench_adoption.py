#!/usr/bin/env python3
"""Whole-repo benchmark for issue 6: result cache, parallel runs, peak memory.

For each corpus size (default 1,000 and 10,000 drafts) it times, as whole processes,
median of --repeat runs, with autocorrect (a Rust punctuation linter) side by side:

  cold            empty result cache (the run writes it), --jobs 1 and --jobs 2
  cold, no cache  --no-cache, --jobs 1 and --jobs 2 (the checking alone)
  warm            nothing changed since the last run
  warm, 1 changed one draft edited: a new short line with a placeholder, no compared
                  paragraph touched (the edit is undone afterwards)
  warm, 1 reworded one paragraph of one draft reworded: the cross-document stage
                  must match the whole repo again

Peak memory is the largest sum of RSS over the process tree (draftlint and its
workers), sampled every 50 ms from /proc. CPU is user+sys of the process and its
workers (robust when other jobs load the machine; wall time is not), load the 1-minute
load average after the runs. Standard library only; Linux.

  python3 bench/bench_adoption.py --corpus-root /tmp/corpus \\
      --autocorrect /tmp/peers/node_modules/.bin/autocorrect

Corpora are made with make_corpus.py (bench/ or ../shared/bench/) when missing.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
GENERATORS = [HERE / "make_corpus.py", HERE.parent.parent / "shared" / "bench" / "make_corpus.py",
              Path("/work/shared/bench/make_corpus.py")]


def _children(pid: int) -> list[int] | None:
    """Child pids from /proc/PID/task/*/children (None where the kernel lacks it)."""
    out: list[int] = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children", "rb") as fh:
                out += [int(c) for c in fh.read().split()]
    except FileNotFoundError:
        return out if not os.path.exists(f"/proc/{pid}") else None
    except OSError:
        return out
    return out


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
    except (OSError, IndexError, ValueError):
        return 0


def tree_rss_kb(pid: int) -> int:
    """Sum of the resident memory of ``pid`` and its descendants."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        kids = _children(p)
        if kids is None:
            return _tree_rss_scan(pid)
        total += _rss_kb(p)
        todo.extend(kids)
    return total


def _tree_rss_scan(pid: int) -> int:
    """The same by scanning all of /proc (kernels without task/*/children)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read().rsplit(b")", 1)[1].split()
            with open(f"/proc/{entry}/statm", "rb") as fh:
                pages = int(fh.read().split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(int(stat[1]), []).append(int(entry))
        rss[int(entry)] = pages * os.sysconf("SC_PAGE_SIZE") // 1024
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo.extend(children.get(p, ()))
    return total


def timed(cmd: list[str], cwd: Path | None = None, ok: tuple[int, ...] = (0, 1)
          ) -> tuple[float, int, float]:
    """(wall seconds, peak tree RSS in KB, CPU seconds of the process and its workers);
    stops the benchmark when the command exits with a code not in ``ok`` (a check exits 1
    on findings; a build or an audit only 0)."""
    peak = 0
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss_kb(proc.pid))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode not in ok:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {err.decode()[-2000:]}")
    return wall, peak, cpu


def median_run(label: str, cmd: list[str], repeat: int, before=None, after=None) -> dict:
    walls, peaks, cpus = [], [], []
    for _ in range(repeat):
        if before:
            before()
        wall, peak, cpu = timed(cmd)
        if after:
            after()
        walls.append(wall)
        peaks.append(peak)
        cpus.append(cpu)
    row = {"case": label, "wall_s": round(statistics.median(walls), 3),
           "cpu_s": round(statistics.median(cpus), 3), "runs": [round(w, 2) for w in walls],
           "peak_mb": round(max(peaks) / 1024, 1), "load": round(os.getloadavg()[0], 2),
           "cmd": " ".join(cmd)}
    print(f"  {label:<32} {row['wall_s']:>7.2f} s wall {row['cpu_s']:>7.2f} s CPU  "
          f"peak {row['peak_mb']:>6.1f} MB  load {row['load']:.1f}  runs {row['runs']}",
          flush=True)
    return row


def corpus(root: Path, n: int) -> Path:
    out = root / f"c{n}"
    if not out.is_dir():
        gen = next((g for g in GENERATORS if g.is_file()), None)
        if gen is None:
            raise SystemExit("make_corpus.py not found; give --corpus-root with c1000/c10000")
        subprocess.run([sys.executable, str(gen), "-n", str(n), "-o", str(out)], check=True)
    return out


def bench_size(path: Path, draftlint: list[str], autocorrect: str | None, repeat: int) -> list[dict]:
    cache = Path(tempfile.mkdtemp(prefix="draftlint-bench-cache-"))
    base = [*draftlint, "check", str(path), "-q", "--cache-dir", str(cache)]
    drafts = sorted(path.glob("*.txt"))
    changed = drafts[len(drafts) // 2]
    original = changed.read_bytes()

    def clear() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    def edit() -> None:  # a new finding in one draft: a blank left in a new last line
        changed.write_bytes(original + "\n请**同志补充。\n".encode())

    def reword() -> None:  # one compared paragraph reworded: the D201 stage matches again
        lines = original.decode("utf-8").split("\n")
        i = next(i for i, line in enumerate(lines) if len(line) >= 80)
        lines[i] = "并持续改进，" + lines[i]
        changed.write_bytes("\n".join(lines).encode("utf-8"))

    def undo() -> None:
        changed.write_bytes(original)

    rows = []
    for jobs in (1, 2):
        rows.append(median_run(f"cold, no cache, jobs {jobs}",
                               [*draftlint, "check", str(path), "-q", "--no-cache", "-j",
                                str(jobs)], repeat))
    for jobs in (1, 2):
        rows.append(median_run(f"cold (writes cache), jobs {jobs}", [*base, "-j", str(jobs)],
                               repeat, before=clear))
    timed(base)  # warm it, then let the racy window pass so stat shortcuts apply
    time.sleep(2.5)
    timed(base)
    rows.append(median_run("warm, no change", base, repeat))
    # one changed draft; undo and re-warm between repetitions
    rows.append(median_run("warm, 1 draft changed", base, repeat, before=edit,
                           after=lambda: (undo(), timed(base))))
    rows.append(median_run("warm, 1 paragraph reworded", base, repeat, before=reword,
                           after=lambda: (undo(), timed(base))))
    undo()
    if autocorrect:
        rows.append(median_run("autocorrect --lint", [autocorrect, "--lint", str(path)], repeat))
    clear()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus-root", type=Path, default=Path("/tmp/corpus"))
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--draftlint", default=str(Path(sys.executable).parent / "draftlint"))
    parser.add_argument("--autocorrect", help="path of autocorrect (npm i autocorrect-node@2.14.0)")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args()
    version = subprocess.run([args.draftlint, "--version"], capture_output=True, text=True)
    rules = subprocess.run([args.draftlint, "rules"], capture_output=True, text=True).stdout
    print(f"{version.stdout.strip()}, {len(rules.splitlines())} rules known; "
          f"{os.cpu_count()} CPUs; Python {sys.version.split()[0]}", flush=True)
    results = {}
    for n in args.sizes:
        path = corpus(args.corpus_root, n)
        size = sum(p.stat().st_size for p in path.glob("*.txt"))
        print(f"{n} drafts, {size / 1e6:.0f} MB: {path}", flush=True)
        results[n] = bench_size(path, [args.draftlint], args.autocorrect, args.repeat)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
