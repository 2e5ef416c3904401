"""Helpers for the hostile-input tests: run a function in a forked child under a generous
time limit that only a hang (or quadratic work on a large input) trips. Nothing is timed
otherwise: the limit is far above what the linear code needs on a loaded machine."""

from __future__ import annotations

import os
import pickle
import select
import signal
import time
from typing import Any, Callable

HANG = float(os.environ.get("HOSTILE_HANG", "60"))  # seconds; the linear code needs well
# under a second for every input here (HOSTILE_HANG=10 to see the old code fail sooner)


class Hung(AssertionError):
    pass


def bounded(fn: Callable[..., Any], *args: Any, timeout: float = HANG) -> Any:
    """``fn(*args)`` in a forked child; its result (pickled back), or :class:`Hung` when
    it is still running after ``timeout`` seconds (the child is killed)."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read_fd)
        try:
            payload = pickle.dumps(("ok", fn(*args)))
        except BaseException as exc:  # noqa: BLE001 - handed to the parent
            payload = pickle.dumps(("error", repr(exc)))
        with os.fdopen(write_fd, "wb") as out:
            out.write(payload)
        os._exit(0)
    os.close(write_fd)
    deadline = time.monotonic() + timeout
    chunks: list[bytes] = []
    with os.fdopen(read_fd, "rb", buffering=0) as pipe:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([pipe], [], [], left)[0]:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                raise Hung(f"{getattr(fn, '__name__', fn)} still running after {timeout:.0f} s")
            chunk = pipe.read(1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    os.waitpid(pid, 0)
    status, value = pickle.loads(b"".join(chunks))
    if status == "error":
        raise AssertionError(f"the child raised {value}")
    return value
