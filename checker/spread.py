"""Work split over forked children, for a serial step that would leave cores idle.

The cross-document stage runs in the main process. In a cold two-phase run it overlaps
the workers' checks; but when every selected rule is a cross-document one (``--select
D201``, a CI gate on duplicates), the pool has finished by then and the stage would run
on one core while the others idle. :func:`spread` runs one part of such a step here
and each other part in a forked child, which inherits the step's data (no pickling of
the input) and sends back only its answer, as bytes in a file (see _answer_file).

A child that cannot be forked, fails or dies is not fatal: its part is done here, so the
answer never depends on the split. Forking is POSIX-only; elsewhere every part is done
here, in order.
"""

from __future__ import annotations

import os
import signal
import tempfile
import threading
from typing import Any, Callable, Sequence, TypeVar

Part = TypeVar("Part")

# a forked child: its pid, the file of its answer, and the read end of the pipe on which
# it says it is done (one byte, then it exits; nothing if it failed or died)
Child = tuple[int, int, int]


def spread(local: Callable[[Part], Any], remote: Callable[[Part], bytes],
           parts: Sequence[Part]) -> tuple[Any, list[bytes]]:
    """(``local(parts[0])`` done here, ``[remote(p) for p in parts[1:]]`` each done in a
    forked child, or here if that fails). ``remote`` must return bytes and have no
    effect outside the child: the child's memory is its own and is thrown away."""
    children: list[Child | None] = []
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


def _fork(remote: Callable[[Part], bytes], part: Part) -> Child | None:
    """A child computing ``remote(part)``; None: no child (do the part here)."""
    if not hasattr(os, "fork"):
        return None
    try:
        answer = _answer_file()
    except OSError:
        return None
    done, said = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        for fd in (answer, done, said):
            os.close(fd)
        return None
    if pid == 0:  # the child: never returns, never runs the parent's exit handlers
        status = 1
        try:
            os.close(done)
            data = memoryview(remote(part))
            while data:
                data = data[os.write(answer, data):]
            os.write(said, b"\1")
            status = 0
        finally:
            os._exit(status)
    os.close(said)
    return pid, answer, done


def _answer_file() -> int:
    """A file for a child's answer: in memory (memfd) where the system has that, else an
    unlinked temporary file. Not a pipe: a pipe holds 64 KB, so a child giving 12 MB
    (the diagnostics of 10,000 drafts) waited for this process to read each piece."""
    if hasattr(os, "memfd_create"):
        return os.memfd_create("draftlint-answer", os.MFD_CLOEXEC)
    fd, name = tempfile.mkstemp(prefix="draftlint-answer-")
    os.unlink(name)
    return fd


def _collect(pid: int, answer: int, done: int) -> bytes | None:
    """The child's answer as soon as it says it is done (its exit, which unmaps a copy of
    this process's memory, took 0.03-0.05 s on 10,000 drafts: it is waited for by a thread
    meanwhile); None if it failed or died."""
    try:
        if os.read(done, 1) != b"\1":
            os.waitpid(pid, 0)
            return None
        threading.Thread(target=os.waitpid, args=(pid, 0), daemon=True).start()
        size = os.fstat(answer).st_size
        chunks = []
        while size > 0 and (chunk := os.pread(answer, size, sum(map(len, chunks)))):
            chunks.append(chunk)
            size -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(answer)
        os.close(done)


def _stop(pid: int, answer: int, done: int) -> None:
    os.close(answer)
    os.close(done)
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:  # already gone
        pass
    os.waitpid(pid, 0)
