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
import struct
import tempfile
from typing import Any, Callable, Iterable, Sequence, TypeVar

Part = TypeVar("Part")
Taken = TypeVar("Taken")

# a forked child: its pid, the file of its answer, and the read end of the pipe on which
# it says what it has written there
Child = tuple[int, int, int]


def spread(local: Callable[[Part], Any], remote: Callable[[Part], bytes],
           parts: Sequence[Part]) -> tuple[Any, list[bytes]]:
    """(``local(parts[0])`` done here, ``[remote(p) for p in parts[1:]]`` each done in a
    forked child, or here if that fails). ``remote`` must return bytes and have no
    effect outside the child: the child's memory is its own and is thrown away."""
    mine, answers = stream(local, lambda part: (remote(part),), parts, _same)
    return mine, [answer for (answer,) in answers]


def _same(piece: bytes) -> bytes:
    return piece


def stream(local: Callable[[Part], Any], remote: Callable[[Part], Iterable[bytes]],
           parts: Sequence[Part], take: Callable[[bytes], Taken]
           ) -> tuple[Any, list[list[Taken]]]:
    """:func:`spread` for answers in pieces: each child gives the pieces of
    ``remote(part)`` as it makes them, and once ``local(parts[0])`` is done here, this
    process takes each piece (``take(piece)``, pure) as it comes, while the children make
    the next. (local's answer, [the taken pieces of each other part]). A child that fails
    or dies has its part done here (what was taken of it is dropped)."""
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
    try:
        for k, part in enumerate(parts[1:]):
            child, children[k] = children[k], None  # _collect ends it, whatever happens
            taken = _collect(*child, take) if child is not None else None
            answers.append([take(piece) for piece in remote(part)] if taken is None else taken)
    except BaseException:  # an interrupt, a failing take: no child outlives the step
        for child in children:
            if child is not None:
                _stop(*child)
        raise
    return mine, answers


def background(job: Callable[[], object]) -> Callable[[], bool]:
    """Run ``job()`` in a forked child while this process goes on; returns the function
    that waits for it (True: it finished). ``job`` must have no effect this process
    relies on but what it writes to disk. Without a child (no fork), it runs here, now."""
    def run(_: None) -> Iterable[bytes]:
        job()
        return ()  # the answer is what the job wrote

    child = _fork(run, None)
    if child is None:
        job()
        return lambda: True

    # ``job`` (and what it reads) lives as long as ``wait``, so the caller decides when it
    # is freed: freed while the child runs, its objects' pages would be copied
    # (copy-on-write) on both sides
    def wait(_job: object = job) -> bool:
        done = _collect(*child, _same) is not None
        _reap(wait=True)  # the step's children are gone by now: none is left a zombie
        return done

    return wait


def _fork(remote: Callable[[Part], Iterable[bytes]], part: Part) -> Child | None:
    """A child computing the pieces of ``remote(part)``; None: no child (do the part
    here)."""
    if not hasattr(os, "fork"):
        return None
    _reap()
    opened: list[int] = []
    try:
        opened.append(_answer_file())
        opened += os.pipe()
        pid = os.fork()
    except OSError:
        for fd in opened:
            os.close(fd)
        return None
    answer, said, say = opened
    if pid == 0:  # the child: never returns, never runs the parent's exit handlers
        status = 1
        try:
            os.close(said)
            for piece in remote(part):
                data = memoryview(piece)
                while data:
                    data = data[os.write(answer, data):]
                os.write(say, _PIECE.pack(len(piece)))
            os.write(say, _PIECE.pack(_DONE))
            status = 0
        finally:
            os._exit(status)
    os.close(say)
    return pid, answer, said


# what a child says on its pipe: the length of each piece it has written to its answer
# file, then _DONE (nothing more if it failed or died)
_PIECE = struct.Struct("<Q")
_DONE = (1 << 64) - 1


def _answer_file() -> int:
    """A file for a child's answer: in memory (memfd) where the system has that, else an
    unlinked temporary file. Not a pipe: a pipe holds 64 KB, so a child giving 12 MB
    (the diagnostics of 10,000 drafts) waited for this process to read each piece."""
    if hasattr(os, "memfd_create"):
        try:
            return os.memfd_create("draftlint-answer", os.MFD_CLOEXEC)
        except OSError:  # not in this kernel or sandbox: a temporary file will do
            pass
    fd, name = tempfile.mkstemp(prefix="draftlint-answer-")
    try:
        os.unlink(name)
    except OSError:
        os.close(fd)
        raise
    return fd


def _collect(pid: int, answer: int, said: int, take: Callable[[bytes], Taken]
             ) -> list[Taken] | None:
    """The child's pieces, each taken as soon as the child says it is there; None if the
    child failed or died. Once it is done it is not waited for (its exit unmaps a copy of
    this process's memory: 0.03-0.05 s on 10,000 drafts): it is reaped later (_reap).
    If ``take`` raises, the child is stopped."""
    try:
        taken = []
        offset = 0
        while (size := _said(said)) is not None:
            if size == _DONE:
                _UNREAPED.append(pid)
                return taken
            chunks = []
            while size > 0 and (chunk := os.pread(answer, size, offset)):
                chunks.append(chunk)
                offset += len(chunk)
                size -= len(chunk)
            if size:  # less than it said: not an answer to trust
                break
            taken.append(take(b"".join(chunks)))
    except BaseException:
        _end(pid)
        raise
    finally:
        os.close(answer)
        os.close(said)
    _end(pid)
    return None


# children whose answers were taken but whose exit was not waited for
_UNREAPED: list[int] = []


def _reap(wait: bool = False) -> None:
    """Reap the children in _UNREAPED that have exited (``wait``: all of them)."""
    for pid in list(_UNREAPED):
        try:
            done, _ = os.waitpid(pid, 0 if wait else os.WNOHANG)
        except ChildProcessError:  # reaped elsewhere
            done = pid
        if done:
            _UNREAPED.remove(pid)


def _said(said: int) -> int | None:
    """The next number the child says; None at the end of the pipe (the child is gone)."""
    data = b""
    while len(data) < _PIECE.size:
        more = os.read(said, _PIECE.size - len(data))
        if not more:
            return None
        data += more
    return _PIECE.unpack(data)[0]


def _stop(pid: int, answer: int, said: int) -> None:
    os.close(answer)
    os.close(said)
    _end(pid)


def _end(pid: int) -> None:
    """Kill the child if it still runs, and reap it."""
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:  # already gone
        pass
    os.waitpid(pid, 0)
