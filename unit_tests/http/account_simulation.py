"""The connector's workers, its rate-share policy and the emulator's account window on one manual clock.

Each worker acquires a call from the policy (waiting what it says), its request reaches the account's
window ``delivery_s`` later (the time between leaving the budget and reaching the server), the answer
comes ``latency_s`` after that, and the worker starts its next request; after a 429 it first waits
Retry-After + 1 s, as the connector's error handler does. Another client of the account plays its
calls against the same window (the emulator's ``BackgroundTraffic``). Events happen in time order,
so a test sees what the account would: whose calls got in, which were lost, which answers were 429.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from airbyte_cdk.sources.streams.call_rate import CallRateLimitHit

from activecampaign_emulator import ManualClock
from activecampaign_emulator.rate_limit import WINDOW_S, BackgroundTraffic, RateLimiter
from source_activecampaign.http.rate_share import AccountShareCallRatePolicy, Answer

LIMIT = 5
RETRY_AFTER_S = 1.0
ALONE = BackgroundTraffic()


@dataclass
class AccountRun:
    """What the account saw: our requests' arrival times and statuses, the other client's calls."""

    arrivals: list[tuple[float, int]] = field(default_factory=list)  # (when, 200 or 429)
    other_calls: list[tuple[float, bool]] = field(default_factory=list)  # (when, admitted)

    @property
    def rate_limited(self) -> list[float]:
        return [at for at, status in self.arrivals if status == 429]

    def other_calls_through(self) -> float:
        """The other client's calls admitted, of those made between our first and last request."""
        first, last = self.arrivals[0][0], self.arrivals[-1][0]
        during = [admitted for at, admitted in self.other_calls if first <= at <= last]
        return sum(during) / len(during)

    def most_in_a_window(self) -> int:
        """The most of our requests that reached the account within one window."""
        times = sorted(at for at, _ in self.arrivals)
        return max(sum(1 for other in times if at - WINDOW_S < other <= at) for at in times)


def run_account(
    policy_for: Callable[[ManualClock], AccountShareCallRatePolicy],
    seconds: float,
    workers: int = 5,
    other_client: BackgroundTraffic = ALONE,
    headers_on_successes: bool = True,
    delivery_s: Sequence[float] = (0.0,),
    latency_s: float = 0.2,
) -> AccountRun:
    """Runs the workers for ``seconds``; each request takes the next of ``delivery_s`` in turn."""
    clock = ManualClock(start=100.0)
    run = AccountRun()
    window = RateLimiter(clock, on_background_call=lambda at, admitted: run.other_calls.append((at, admitted)))
    policy = policy_for(clock)
    end = clock() + seconds
    # (when, order, what, when our request left, what the window had left after it)
    events: list[tuple[float, int, str, float, int]] = []
    order = 0

    def at(when: float, what: str, sent_at: float = 0.0, remaining: int = 0) -> None:
        nonlocal order
        order += 1
        heapq.heappush(events, (when, order, what, sent_at, remaining))

    for _ in range(workers):  # every worker offers its first request at once
        at(clock(), "acquire")
    deliveries = 0
    while events:
        when, _, what, sent_at, remaining = heapq.heappop(events)
        clock.advance(when - clock())
        if what == "acquire" and when < end:
            try:
                policy.try_acquire(None, weight=1)
            except CallRateLimitHit as hit:
                at(when + hit.time_to_wait.total_seconds(), "acquire")
                continue
            at(when + delivery_s[deliveries % len(delivery_s)], "arrive", sent_at=when)
            deliveries += 1
        elif what in ("200", "429"):
            if what == "200":
                answer = Answer(remaining=remaining, limit=LIMIT) if headers_on_successes else Answer()
                policy.observe(answer, sent_at=sent_at)
                at(when, "acquire")
            else:
                answer = Answer(remaining=0, limit=LIMIT, rate_limited=True, retry_after_s=RETRY_AFTER_S, success=False)
                policy.observe(answer, sent_at=sent_at)
                at(when + RETRY_AFTER_S + 1.0, "acquire")
        elif what == "arrive":
            admitted, remaining = window.admit(LIMIT, other_client)
            run.arrivals.append((when, 200 if admitted else 429))
            at(when + latency_s, "200" if admitted else "429", sent_at=sent_at, remaining=remaining)
    return run
