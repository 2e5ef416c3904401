"""Work split over forked children, for a serial step that would leave cores idle.

The cross-document stage runs in the main process. In a cold two-phase run it overlaps
the workers' checks; but when every selected rule is a cross-document one (``--select
D201``, a CI gate on duplicates), the pool has finished by then and the stage would run
on one core while the others idle. :func:`spread` runs one part of such a step here
and each other part in a forked child, which inherits the step's data (no pickling of
the input) and sends back only its answer, as bytes through a pipe.

A child that cannot be forked, fails or dies is not fatal: its part is done here, so the
answer never depends on the split. Forking is POSIX-only; elsewhere every part is done
here, in order.
"""

from __future__ import annotations

import os
import signal
from typing import Any, Callable, Sequence, TypeVar

Part = TypeVar("Part")


def spread(local: Callable[[Part], Any], remote: Callable[[Part], bytes],
           parts: Sequence[Part]) -> tuple[Any, list[bytes]]:
    """(``local(parts[0])`` done here, ``[remote(p) for p in parts[1:]]`` each done in a
    forked child, or here if that fails). ``remote`` must return bytes and have no
    effect outside the child: the child's memory is its own and is thrown away."""
    children: list[tuple[int, int] | None] = []
    try:
        for part in parts[1:]:
            children.append(_fork(remote, part))
        mine = local(parts[0])
    except BaseException:  # an interrupt, a bug: no child outlives the step
        for child in children:
            if child is not None:
                _stop(*child)
        raise
    answers = []
    for part, child in zip(parts[1:], children):
        data = _collect(*child) if child is not None else None
        answers.append(remote(part) if data is None else data)
    return mine, answers


def background(job: Callable[[], object]) -> Callable[[], bool]:
    """Run ``job()`` in a forked child while this process goes on; returns the function
    that waits for it (True: it finished). ``job`` must have no effect this process
    relies on but what it writes to disk. Without a child (no fork), it runs here, now."""
    def run(_: None) -> bytes:
        job()
        return b""  # the answer is what the job wrote

    child = _fork(run, None)
    if child is None:
        job()
        return lambda: True

    # ``job`` (and what it reads) lives as long as ``wait``, so the caller decides when it
    # is freed: freed while the child runs, its objects' pages would be copied
    # (copy-on-write) on both sides
    def wait(_job: object = job) -> bool:
        return _collect(*child) is not None

    return wait


def _fork(remote: Callable[[Part], bytes], part: Part) -> tuple[int, int] | None:
    """(pid, read end of its pipe) of a child computing ``remote(part)``; None: no child."""
    if not hasattr(os, "fork"):
        return None
    read, write = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return None
    if pid == 0:  # the child: never returns, never runs the parent's exit handlers
        status = 1
        try:
            os.close(read)
            data = memoryview(remote(part))
            while data:
                data = data[os.write(write, data):]
            status = 0
        finally:
            os._exit(status)
    os.close(write)
    return pid, read


def _collect(pid: int, read: int) -> bytes | None:
    """The child's answer; None if it failed (or was killed) before giving all of it."""
    chunks = []
    try:
        while chunk := os.read(read, 1 << 20):
            chunks.append(chunk)
    finally:
        os.close(read)
        _, status = os.waitpid(pid, 0)
    return b"".join(chunks) if status == 0 else None


def _stop(pid: int, read: int) -> None:
    os.close(read)
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:  # already gone
        pass
    os.waitpid(pid, 0)
