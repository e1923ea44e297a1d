"""Per-account rate limit: a sliding one-second window.

The API allows 5 requests per second per account and answers 429 beyond
(https://developers.activecampaign.com/reference/rate-limits). How the API counts the second is not
documented; the emulator chooses a sliding window over the last second.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque

from .clock import Clock


class RateLimiter:
    def __init__(self, clock: Clock = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._accepted: deque[float] = deque()

    @staticmethod
    def _background(now: float, rps: float) -> int:
        """Requests another client of the same account made in (now - 1, now].

        Modelled as evenly spaced points k / rps on the clock, so the connector sees a steady share
        of the window taken, like an integration polling in the background.
        """
        if rps <= 0:
            return 0
        return math.floor(now * rps) - math.floor((now - 1.0) * rps)

    def admit(self, limit: int | None, background_rps: float, now: float | None = None) -> tuple[bool, int]:
        """(accepted, remaining after this request). Rejected requests do not enter the window:
        whether a 429 counts against the limit is not documented; the emulator chooses no."""
        now = self._clock() if now is None else now
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
        now = self._clock() if now is None else now
        with self._lock:
            in_window = sum(1 for accepted_at in self._accepted if accepted_at > now - 1.0)
            return in_window + self._background(now, background_rps)

    def reset(self) -> None:
        with self._lock:
            self._accepted.clear()
