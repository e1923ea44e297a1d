"""The emulator's rate limit, on a manual clock: no test waits for a real second."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import requests

from activecampaign_emulator import Emulator, EmulatorOptions, ManualClock
from activecampaign_emulator.rate_limit import BackgroundTraffic, RateLimiter
from emulator_tests.emulator_client import api_session


def test_rate_limit_429(start_emulator: Callable[..., Emulator]) -> None:
    clock = ManualClock()
    emulator = start_emulator(rate_limit=3, retry_after=2, clock=clock)
    session = api_session(emulator)
    responses = [session.get(f"{emulator.url}/api/3/tags") for _ in range(6)]
    statuses = [r.status_code for r in responses]
    assert statuses.count(200) == 3 and statuses.count(429) == 3
    # By default only 429s carry RateLimit-*, as the API documents them (and as proxies that strip
    # them from successes leave them).
    assert all("RateLimit-Remaining" not in r.headers for r in responses if r.status_code == 200)
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


@pytest.mark.parametrize(
    "traffic, after, until, calls",
    [
        pytest.param(BackgroundTraffic(rps=0), 0.0, 10.0, [], id="none"),
        pytest.param(BackgroundTraffic(rps=2), 10.0, 11.5, [10.5, 11.0, 11.5], id="steady: every 1 / rps seconds"),
        pytest.param(BackgroundTraffic(rps=2, burst=4), 10.0, 14.0, [12.0] * 4 + [14.0] * 4, id="4 at once every 2 s"),
        pytest.param(BackgroundTraffic(rps=3, burst=3), 10.0, 10.5, [], id="none due in the span"),
    ],
)
def test_background_traffic_schedule(
    traffic: BackgroundTraffic, after: float, until: float, calls: list[float]
) -> None:
    assert traffic.calls_in(after, until) == calls


def test_rate_limit_background_share() -> None:
    # 3 calls per second of another client leave 2 of 5 to this client in any one-second window
    clock = ManualClock(100.5)
    limiter = RateLimiter(clock)
    steady = BackgroundTraffic(rps=3.0)
    results = [limiter.admit(5, steady, 100.5 + i * 0.01) for i in range(5)]
    assert results == [(True, 1), (True, 0), (False, 0), (False, 0), (False, 0)]
    assert limiter.admit(5, steady, 101.7)[0] is True  # the window moved on


def test_rate_limit_background_over_http(start_emulator: Callable[..., Emulator]) -> None:
    # At 1000.0 s on the clock the background client made 4 of the last second's 5 requests.
    emulator = start_emulator(rate_limit=5, background_rps=4, clock=ManualClock(1000.0))
    session = api_session(emulator)
    statuses = [session.get(f"{emulator.url}/api/3/tags").status_code for _ in range(5)]
    assert statuses == [200, 429, 429, 429, 429]


def test_the_other_client_loses_calls_to_a_window_the_connector_filled(
    start_emulator: Callable[..., Emulator],
) -> None:
    clock = ManualClock(1000.0)  # a burst of 4 other calls every 2 s, one at 1000.0
    emulator = start_emulator(rate_limit=5, background_rps=2, background_burst=4, ratelimit_headers=True, clock=clock)
    session = api_session(emulator)

    def statuses() -> list[int]:
        return [session.get(f"{emulator.url}/api/3/tags").status_code for _ in range(5)]

    clock.advance(0.5)
    assert statuses() == [200, 429, 429, 429, 429]  # the burst left one call
    clock.advance(1.0)
    assert statuses() == [200] * 5  # the burst has left the window: all five are ours
    clock.advance(0.5)
    emulator.rate_limiter.used(5, emulator.options.background)  # the next burst, at 1002.0, is played

    assert (emulator.stats.background_calls, emulator.stats.background_lost) == (8, 4)
    assert emulator.stats.background_log == [(1000.0, True)] * 4 + [(1002.0, False)] * 4
    assert emulator.stats.requests == 10  # the connector's requests only
    clock.advance(1.0)
    remaining = session.get(f"{emulator.url}/api/3/tags").headers["RateLimit-Remaining"]
    assert remaining == "4"  # the window holds only this request: the lost calls never counted


def test_background_calls_reported_by_the_admin_stats(start_emulator: Callable[..., Emulator]) -> None:
    clock = ManualClock(1000.0)
    emulator = start_emulator(rate_limit=5, background_rps=1, clock=clock)
    api_session(emulator).get(f"{emulator.url}/api/3/tags")
    clock.advance(2.0)
    api_session(emulator).get(f"{emulator.url}/api/3/tags")

    stats = requests.get(f"{emulator.url}/__emulator/stats?log=1", timeout=5).json()

    assert (stats["requests"], stats["background_calls"], stats["background_lost"]) == (2, 3, 0)
    assert stats["background_log"] == [[1000.0, True], [1001.0, True], [1002.0, True]]
    emulator.reset_stats()
    assert (emulator.stats.background_calls, emulator.stats.background_log) == (0, [])


@pytest.mark.parametrize(
    "options, message",
    [
        pytest.param({"background_rps": -1}, "background_rps must be >= 0", id="negative rate"),
        pytest.param({"background_burst": 0}, "background_burst must be >= 1", id="empty burst"),
    ],
)
def test_background_options_checked(options: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        EmulatorOptions(**options)
