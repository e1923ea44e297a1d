"""The emulator's sense of time: real by default, a manual clock in tests.

The rate limiter's one-second window, the request log's timestamps, the latency option and the
"slow" fault all read `clock()` and wait with `sleep()`; both come from the Emulator's constructor,
so a test can move time on by hand instead of waiting for it.

    clock = ManualClock()
    emulator = Emulator(contacts=50, clock=clock, sleep=clock.sleep)
    ...                      # five requests admitted, the sixth gets 429
    clock.advance(1.0)       # the window has moved on: no real second passed
"""

from __future__ import annotations

import threading
from collections.abc import Callable

Clock = Callable[[], float]  # seconds on a monotonic scale, like time.monotonic
Sleep = Callable[[float], None]  # waits that many seconds, like time.sleep


class ManualClock:
    """Seconds that move only when told to: by advance(), or by sleep(), which returns at once.

    Thread-safe, since the emulator's request threads sleep on it concurrently; `sleeps` lists every
    sleep asked for, in order."""

    def __init__(self, start: float = 1000.0) -> None:
        self._lock = threading.Lock()
        self._now = start
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += seconds

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self._now += seconds
