"""Per-account rate limit: a sliding one-second window (reference §8, INF)."""

from __future__ import annotations

import math
import threading
import time
from collections import deque


class RateLimiter:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._accepted: deque[float] = deque()

    @staticmethod
    def _background(now: float, rps: float) -> int:
        """Requests another client of the same account made in (now - 1, now].

        Modelled as evenly spaced points k / rps on the monotonic clock, so the connector sees a
        steady share of the window taken, like an integration polling in the background.
        """
        if rps <= 0:
            return 0
        return math.floor(now * rps) - math.floor((now - 1.0) * rps)

    def admit(self, limit: int | None, background_rps: float, now: float | None = None) -> tuple[bool, int]:
        """(accepted, remaining after this request). Rejected requests do not enter the window:
        the docs do not say whether a 429 counts against the limit; the emulator chose no (INF)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            window = self._accepted
            while window and window[0] <= now - 1.0:
                window.popleft()
            if limit is None:
                window.append(now)
                return True, -1
            used = len(window) + self._background(now, background_rps)
            if used >= limit:
                return False, 0
            window.append(now)
            return True, max(0, limit - used - 1)

    def used(self, background_rps: float, now: float | None = None) -> int:
        """Requests in the current window, this client's and the background client's."""
        now = time.monotonic() if now is None else now
        with self._lock:
            return sum(1 for t in self._accepted if t > now - 1.0) + self._background(now, background_rps)

    def reset(self) -> None:
        with self._lock:
            self._accepted.clear()
