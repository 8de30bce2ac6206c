"""Where the local service's time comes from.

The service reads two clocks: the wall clock (epoch seconds: CreatedAt,
UpdatedAt, session expiry, result retention, ClientToken idempotency) and a
monotonic clock (seconds: a statement's Duration).  Both are injectable, so
that expiry is tested by moving time forward, never by sleeping: pass a
:class:`ManualClock` as both.

Waits on threads (long polling, cancel retries, shutdown) always use real
time: they wait for other threads, not for a date.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

__all__ = ["Clock", "ManualClock", "monotonic_clock", "wall_clock"]

#: A clock: a callable returning seconds (epoch seconds for the wall clock).
Clock = Callable[[], float]

wall_clock: Clock = time.time
monotonic_clock: Clock = time.monotonic


class ManualClock:
    """A clock that moves only when told to: ``clock()`` returns the current time.

    ``start`` is the first reading (epoch seconds; default: now).  Safe to
    read from worker threads while a test advances it.
    """

    def __init__(self, start: float | None = None) -> None:
        self._now = time.time() if start is None else float(start)
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> float:
        """Move the clock ``seconds`` forward (never back); returns the new time."""
        if seconds < 0:
            raise ValueError(f"a clock only moves forward, not by {seconds!r} seconds")
        with self._lock:
            self._now += seconds
            return self._now
