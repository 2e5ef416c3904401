#!/usr/bin/env python3
"""Where the per-file time goes: reading, the Document's parsed views, and each rule.

    python3 bench/rule_costs.py /tmp/corpus/c1000 [--limit 500]

Reads each draft once (timed in CPU seconds of this process, so other load on the
machine does not count), then runs every selected rule over it (timed per rule,
in process, no cache), and prints the rules by total time with their share of the run.
A rule's time includes the Document properties it is the first to build (``blocks``,
``markers`` ...), so the first rule that needs them is charged for them: the table shows
what a pipeline costs, not only what each rule's own code does.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

from checker.checks import kind_module
from checker.config import discover
from checker.engine import load_selected
from checker.readers import read_path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--limit", type=int, default=1000)
    args = parser.parse_args()
    config = discover(args.corpus)
    _known, selected = load_selected(config.with_values(select=("ALL",)))
    files = sorted(args.corpus.glob("*.txt"))[: args.limit]
    cost: Counter[str] = Counter()
    read_time = 0.0
    nbytes = 0
    for path in files:
        t0 = time.process_time()
        doc = read_path(path, path.as_posix(), config["max-file-size"]).document
        read_time += time.process_time() - t0
        if doc is None:
            continue
        nbytes += len(doc.text.encode())
        for rule in selected:
            module = kind_module(rule.kind)
            if module is None or doc.format not in rule.formats:
                continue
            t0 = time.process_time()
            if getattr(module, "CORPUS", False):
                if hasattr(module, "fingerprint"):
                    module.fingerprint(doc, rule.options)
            else:
                for _ in module.check(doc, rule.options):
                    pass
            cost[f"{rule.code} {rule.name} ({rule.kind})"] += time.process_time() - t0
    total = read_time + sum(cost.values())
    n = len(files)
    print(f"{n} files, {nbytes / 1e6:.1f} MB, {len(selected)} rules: {total:.2f} s "
          f"({1000 * total / n:.2f} ms a file)")
    print(f"{'ms/file':>8} {'share':>6}  what")
    print(f"{1000 * read_time / n:8.3f} {read_time / total:6.1%}  read + decode")
    for name, seconds in cost.most_common():
        print(f"{1000 * seconds / n:8.3f} {seconds / total:6.1%}  {name}")


if __name__ == "__main__":
    main()
