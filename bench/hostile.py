#!/usr/bin/env python3
"""Every rule over large adversarial drafts: which check is not near-linear in its input.

    python3 bench/hostile.py [--scale 1.0] [--cap 20] [--only NAME]

Each input (a long run of one character, many short lines, many headings, long Latin
runs, markers, backticks ...) is read the way ``check`` reads it, then every rule runs
over it alone, in process, timed in CPU seconds and stopped after ``--cap`` seconds (the
check is interrupted by a timer). Inputs refused by the reader (E010, E017 ...) are shown
as refused. Prints one line per input with its slowest rules; ``--scale`` multiplies
every size (2.0 doubles them: a near-linear check takes about twice as long).
"""

from __future__ import annotations

import argparse
import signal
import time
from pathlib import Path
from typing import Callable

from checker.checks import is_corpus, kind_module
from checker.config import Config
from checker.engine import load_selected
from checker.readers import read_bytes


def _inputs(scale: float) -> dict[str, tuple[str, Callable[[], str]]]:
    def n(k: int) -> int:
        return max(1, int(k * scale))

    return {
        "comma-line": ("txt", lambda: "，" * n(19_000)),
        "space-line": ("txt", lambda: "对" + " " * n(19_000) + "对"),
        "ideograph-line": ("txt", lambda: "对" * n(19_000)),
        "phrase-line": ("txt", lambda: "加强党的建设，" * n(2_700)),
        "headings-2": ("txt", lambda: "".join(f"（{'一二三四五六七八九十'[i % 10]}）标题\n"
                                            for i in range(n(20_000)))),
        "headings-1": ("txt", lambda: "".join(f"{'一二三四五六七八九十'[i % 10]}、标题\n"
                                            for i in range(n(20_000)))),
        "email-latin": ("txt", lambda: ("联系a@b.cn" + " abcdefghij" * 1_800 + "\n") * n(10)),
        "latin-then-at": ("txt", lambda: ("a" * 19_000 + "@\n") * n(10)),
        "dashes-then-at": ("txt", lambda: ("x@" + "a-" * 9_500 + "\n") * n(10)),
        "latin-comma": ("txt", lambda: ("中文,abc" * 2_000 + "\n") * n(10)),
        "paid-markers": ("txt", lambda: "##paidend##" * n(1_800)),
        "paid-lines": ("txt", lambda: "##paidbegin##\n##paidend##\n" * n(20_000)),
        "short-lines": ("txt", lambda: "是\n" * n(200_000)),
        "blank-lines": ("txt", lambda: "对\n" + " \n" * n(200_000)),
        "enumeration": ("txt", lambda: "一是加强学习，" * n(2_500)),
        "list-items": ("txt", lambda: "学习、" * n(6_000)),
        "quotes": ("txt", lambda: "“" * n(19_000)),
        "parens": ("txt", lambda: "（" * n(19_000)),
        "asterisks": ("txt", lambda: "*对" * n(9_000)),
        "x-runs": ("txt", lambda: "第X" * n(9_000)),
        "digits": ("txt", lambda: "1" * n(19_000)),
        "words": ("txt", lambda: "学习贯彻" * n(4_500)),
        "many-words": ("txt", lambda: ("学习贯彻落实不够到位。" * 50 + "\n") * n(400)),
        "backticks": ("md", lambda: "`" * n(8_000)),
        "backtick-runs": ("md", lambda: "".join("`" * (i % 50 + 1) + "a"
                                                for i in range(n(700))) + "\n"),
        "md-emphasis": ("md", lambda: "**a" * n(6_000)),
        "md-comments": ("md", lambda: "<!--" * n(4_000)),
        "md-fences": ("md", lambda: "```\n" * n(100_000)),
        "md-directives": ("md", lambda: "<!-- draftlint-disable P101 -->\n对\n" * n(20_000)),
    }


class _Stop(Exception):
    pass


def _alarm(_signum: int, _frame: object) -> None:
    raise _Stop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--cap", type=float, default=20.0, help="seconds per rule and input")
    parser.add_argument("--only", help="run only the inputs whose name contains this")
    parser.add_argument("--show", type=int, default=3, help="slowest rules shown per input")
    args = parser.parse_args()
    config = Config(Path.cwd()).with_values(select=("ALL",))
    _known, rules = load_selected(config)
    signal.signal(signal.SIGALRM, _alarm)
    for name, (fmt, make) in _inputs(args.scale).items():
        if args.only and args.only not in name:
            continue
        text = make()
        t0 = time.process_time()
        result = read_bytes(text.encode("utf-8"), f"{name}.{fmt}", fmt)
        read_time = time.process_time() - t0
        doc = result.document
        if doc is None:
            codes = ",".join(p.code for p in result.problems)
            print(f"{name:15} {len(text):>9,} chars  read {read_time:6.2f} s  refused ({codes})")
            continue
        costs: list[tuple[float, str]] = []
        for rule in rules:
            module = kind_module(rule.kind)
            if module is None or doc.format not in rule.formats:
                continue
            signal.setitimer(signal.ITIMER_REAL, args.cap)
            t0 = time.process_time()
            try:
                if is_corpus(rule.kind):
                    if hasattr(module, "fingerprint"):
                        module.fingerprint(doc, rule.options)
                else:
                    for _ in module.check(doc, rule.options):
                        pass
                label = rule.code
            except _Stop:
                label = rule.code + "(CAPPED)"
            except Exception as exc:  # noqa: BLE001 - a profiler reports, it does not stop
                label = f"{rule.code}({type(exc).__name__})"
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            costs.append((time.process_time() - t0, label))
        costs.sort(reverse=True)
        total = sum(c for c, _ in costs)
        top = "  ".join(f"{label} {c:.2f}" for c, label in costs[: args.show])
        print(f"{name:15} {len(text):>9,} chars  read {read_time:6.2f} s  rules {total:7.2f} s"
              f"  {top}", flush=True)


if __name__ == "__main__":
    main()
