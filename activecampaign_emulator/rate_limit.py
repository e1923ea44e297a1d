"""Per-account rate limit: a sliding one-second window, shared with another client of the account.

The API allows 5 requests per second per account, shared by every key and integration of the account,
and answers 429 beyond (https://developers.activecampaign.com/reference/rate-limits). How the API
counts the second is not documented; the emulator chooses a sliding window over the last second.

Another client of the same account (`BackgroundTraffic`: a shop sync, a form tool) makes its calls at
fixed points of the clock and draws from the same window: each of its calls is admitted, and then
counts against the connector, or lost to a full window. `on_background_call` hears of every one.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from .clock import Clock

WINDOW_S = 1.0


@dataclass(frozen=True)
class BackgroundTraffic:
    """Another client of the account: `rps` calls per second on average, `burst` of them at once.

    Bursts fall every burst / rps seconds, at whole multiples of that period on the clock: burst 1 is
    evenly spaced calls (an integration polling); a larger burst is a batch job or a webhook fan-out.

    >>> BackgroundTraffic(rps=2, burst=4).calls_in(10.0, 14.0)
    [12.0, 12.0, 12.0, 12.0, 14.0, 14.0, 14.0, 14.0]
    """

    rps: float = 0.0
    burst: int = 1

    def calls_in(self, after: float, until: float) -> list[float]:
        """The times of its calls in (after, until]."""
        if self.rps <= 0 or until <= after:
            return []
        period = self.burst / self.rps
        first, last = math.floor(after / period) + 1, math.floor(until / period)
        return [index * period for index in range(first, last + 1) for _ in range(self.burst)]


BackgroundCallListener = Callable[[float, bool], None]  # (when, admitted)


class RateLimiter:
    def __init__(self, clock: Clock = time.monotonic, on_background_call: BackgroundCallListener | None = None) -> None:
        self._clock = clock
        self._on_background_call = on_background_call
        self._lock = threading.Lock()
        self._accepted: deque[float] = deque()  # every admitted call of the account, in time order
        # The other client's calls are played up to here. It starts a window back, as if it had been
        # running before the emulator: the first request already finds its share of the window taken.
        self._played_until = clock() - WINDOW_S

    def admit(self, limit: int | None, background: BackgroundTraffic, now: float | None = None) -> tuple[bool, int]:
        """(accepted, remaining after this request). Rejected requests do not enter the window:
        whether a 429 counts against the limit is not documented; the emulator chooses no."""
        with self._lock:
            now = self._clock() if now is None else now
            self._play(limit, background, now)
            if limit is None:
                self._accepted.append(now)
                return True, -1
            if len(self._accepted) >= limit:
                return False, 0
            self._accepted.append(now)
            return True, limit - len(self._accepted)

    def used(self, limit: int | None, background: BackgroundTraffic, now: float | None = None) -> int:
        """Calls in the current window, this client's and the other client's."""
        with self._lock:
            now = self._clock() if now is None else now
            self._play(limit, background, now)
            return len(self._accepted)

    def reset(self) -> None:
        with self._lock:
            self._accepted.clear()

    def _play(self, limit: int | None, background: BackgroundTraffic, now: float) -> None:
        """The other client's calls up to now, in order, each against the window as it was then."""
        for at in background.calls_in(self._played_until, now):
            self._forget_before(at)
            admitted = limit is None or len(self._accepted) < limit
            if admitted:
                self._accepted.append(at)
            if self._on_background_call is not None:
                self._on_background_call(at, admitted)
        self._played_until = max(self._played_until, now)
        self._forget_before(now)

    def _forget_before(self, now: float) -> None:
        while self._accepted and self._accepted[0] <= now - WINDOW_S:
            self._accepted.popleft()
