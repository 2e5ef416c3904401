"""A time limit for each rule on each document (E900), built-in checks included.

Pack patterns stop their regular-expression searches after ``REGEX_TIMEOUT`` (see
:mod:`checker.checks.pattern`); a built-in check is Python code, which nothing stops.
:class:`RuleClock` arms one interval timer for the rules of a document and its handler
raises :class:`RuleTimeout` inside the rule that has used more than
:data:`RULE_TIME_LIMIT` seconds of CPU; the engine turns that into E900 for that rule on
that file, and the other rules still run. CPU time, not wall time (``ITIMER_PROF``): a
machine loaded by other work must not turn a slow run into an E900. Arming costs two
system calls a document, not two a rule.

Only in the main thread of a process (where Python delivers signals), and only where
``setitimer`` exists; elsewhere the clock does nothing.
"""

from __future__ import annotations

import signal
import threading
import time
from types import FrameType, TracebackType
from typing import Any

# Seconds of CPU one rule may use on one document. Every built-in check is near-linear and needs
# well under a second on the largest draft the readers accept (bench/hostile.py); the
# limit is far above that, so a loaded machine does not turn a slow run into an E900.
RULE_TIME_LIMIT = 10.0
_TICK = 0.25  # seconds between two looks at the running rule


class RuleTimeout(TimeoutError):
    """A rule ran longer than the limit (``limit`` seconds of CPU) on one document."""

    def __init__(self, limit: float) -> None:
        super().__init__(f"ran over {limit:g} s of CPU on this file")
        self.limit = limit


class RuleClock:
    """``with RuleClock() as clock:`` then ``clock.start()`` / ``clock.stop()`` around
    each rule."""

    def __init__(self, limit: float | None = None) -> None:
        self.limit = RULE_TIME_LIMIT if limit is None else limit
        self.started: float | None = None
        self._armed = False
        self._previous: Any = None

    def __enter__(self) -> "RuleClock":
        if (self.limit > 0 and hasattr(signal, "setitimer")
                and threading.current_thread() is threading.main_thread()
                and signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)):
            tick = min(_TICK, self.limit)
            self._previous = signal.signal(signal.SIGPROF, self._alarm)
            signal.setitimer(signal.ITIMER_PROF, tick, tick)
            self._armed = True
        return self

    def __exit__(self, _type: type[BaseException] | None, _value: BaseException | None,
                 _tb: TracebackType | None) -> None:
        self.started = None
        if self._armed:
            signal.setitimer(signal.ITIMER_PROF, 0)
            signal.signal(signal.SIGPROF, self._previous)
            self._armed = False

    def start(self) -> None:
        self.started = time.process_time()

    def stop(self) -> None:
        self.started = None

    def _alarm(self, _signum: int, _frame: FrameType | None) -> None:
        started = self.started
        if started is not None and time.process_time() - started > self.limit:
            self.started = None
            raise RuleTimeout(self.limit)
