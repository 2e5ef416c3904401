"""CPU time (user + sys) of one ``draftlint check`` of one draft, against a baseline.

The pre-commit hook checks one draft per commit: this is the latency writers feel. Each
round runs every command once, in turn (interleaved: the machine is shared); the figure is
the median over the rounds of the child's user + system CPU time, which load on the
machine changes far less than wall time. One unmeasured run of each first writes the
bytecode and jieba's plain table. ``PYTHONDONTWRITEBYTECODE`` is removed from the
children's environment (with it set, an editable install compiles every module on every
run).

    python bench/one_draft.py ../shared/samples/000_1f642dbdb643cef6.txt \\
        --draftlint /tmp/baseline/.venv/bin/draftlint --draftlint .venv/bin/draftlint --rounds 15
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess


def cpu_seconds(command: list[str], env: dict[str, str]) -> float:
    """User + system CPU time of one run of ``command`` (its output discarded)."""
    before = os.times()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                   check=False)
    after = os.times()
    return (after.children_user - before.children_user) + (
        after.children_system - before.children_system)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("draft")
    parser.add_argument("--draftlint", action="append", required=True,
                        help="a draftlint executable (give it once per installation)")
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    commands = [[exe, "check", "--no-cache", args.draft] for exe in args.draftlint]
    for command in commands:
        cpu_seconds(command, env)
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(args.rounds):
        for command, out in zip(commands, times):
            out.append(cpu_seconds(command, env))
    for exe, out in zip(args.draftlint, times):
        print(f"{statistics.median(out):.3f} s CPU median of {len(out)} "
              f"(min {min(out):.3f}, max {max(out):.3f})  {exe}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
