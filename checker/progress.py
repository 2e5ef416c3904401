"""A one-line progress display on stderr for long runs.

Shown only when stderr is a terminal, the run has at least :data:`MIN_FILES` files to
check, and neither ``CI`` nor ``PRE_COMMIT`` (set by pre-commit for its hooks) is in
the environment: logs and hook output stay clean. Redrawn at most ten times a second
and erased at the end, so it never mixes with the diagnostics on stdout. Small enough
not to need tqdm or rich as a dependency.
"""

from __future__ import annotations

import os
import time
from typing import Mapping, TextIO

from checker.i18n import tr

MIN_FILES = 200
WIDTH = 30


def wanted(stream: TextIO, environ: Mapping[str, str] | None = None) -> bool:
    env = os.environ if environ is None else environ
    if env.get("CI") or env.get("PRE_COMMIT"):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class Bar:
    """Call with (done, total); :meth:`close` erases the line."""

    def __init__(self, stream: TextIO, interval: float = 0.1) -> None:
        self._stream = stream
        self._interval = interval
        self._last = 0.0
        self._shown = False

    def __call__(self, done: int, total: int) -> None:
        if total < MIN_FILES:
            return
        now = time.monotonic()
        if done < total and now - self._last < self._interval:
            return
        self._last = now
        filled = WIDTH * done // total
        counted = tr("progress.files", done=done, total=total)
        self._stream.write(f"\r[{'#' * filled}{'.' * (WIDTH - filled)}] {counted}")
        self._stream.flush()
        self._shown = True

    def close(self) -> None:
        if self._shown:
            self._stream.write("\r" + " " * (WIDTH + 30) + "\r")
            self._stream.flush()
            self._shown = False
