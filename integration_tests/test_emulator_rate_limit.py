"""The emulator's rate limit, on a manual clock: no test waits for a real second."""

from __future__ import annotations

from collections.abc import Callable

from activecampaign_emulator import Emulator, ManualClock
from activecampaign_emulator.rate_limit import RateLimiter
from integration_tests.emulator_client import api_session


def test_rate_limit_429(start_emulator: Callable[..., Emulator]) -> None:
    clock = ManualClock()
    emulator = start_emulator(rate_limit=3, retry_after=2, clock=clock)
    session = api_session(emulator)
    responses = [session.get(f"{emulator.url}/api/3/tags") for _ in range(6)]
    statuses = [r.status_code for r in responses]
    assert statuses.count(200) == 3 and statuses.count(429) == 3
    limited = next(r for r in responses if r.status_code == 429)
    assert limited.headers["Retry-After"] == "2"
    assert limited.headers["RateLimit-Limit"] == "3" and limited.headers["RateLimit-Remaining"] == "0"
    assert limited.json() == {"message": "Too Many Requests"}
    assert limited.headers["Content-Type"] == "application/json"
    assert emulator.stats.rate_limited == 3 and emulator.stats.by_status[429] == 3
    clock.advance(1.05)  # the window moves on; no real second passes
    emulator.set_options(ratelimit_headers=True)
    ok = [session.get(f"{emulator.url}/api/3/tags") for _ in range(3)]
    assert [r.headers["RateLimit-Remaining"] for r in ok] == ["2", "1", "0"]
    assert all(r.headers["RateLimit-Limit"] == "3" for r in ok)


def test_rate_limit_background_share() -> None:
    limiter = RateLimiter()
    # 3 background requests per second leave 2 of 5 to this client in any one-second window
    now = 100.5
    results = [limiter.admit(5, 3.0, now + i * 0.01)[0] for i in range(5)]
    assert results == [True, True, False, False, False]
    assert limiter.admit(5, 3.0, now + 1.2)[0] is True  # the window moved on


def test_rate_limit_background_over_http(start_emulator: Callable[..., Emulator]) -> None:
    # At 1000.0 s on the clock the background client made 4 of the last second's 5 requests.
    emulator = start_emulator(rate_limit=5, background_rps=4, clock=ManualClock(1000.0))
    session = api_session(emulator)
    statuses = [session.get(f"{emulator.url}/api/3/tags").status_code for _ in range(5)]
    assert statuses == [200, 429, 429, 429, 429]
