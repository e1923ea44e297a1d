"""Faults, random errors, latency, the request log and concurrency, on injected time."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable

import pytest
import requests

from activecampaign_emulator import Emulator, Fault, ManualClock
from emulator_tests.emulator_client import api_session, get


def test_fault_status_and_matching(start_emulator: Callable[..., Emulator]) -> None:
    emulator = start_emulator()
    emulator.faults.add(
        Fault(
            "status",
            path_pattern=r"/deals$",
            times=2,
            status=503,
            body={"message": "busy"},
            headers={"Retry-After": "1"},
        )
    )
    assert get(emulator, "contacts").status_code == 200  # pattern does not match
    for _ in range(2):
        r = get(emulator, "deals")
        assert r.status_code == 503 and r.json() == {"message": "busy"} and r.headers["Retry-After"] == "1"
    assert get(emulator, "deals").status_code == 200
    emulator.faults.add(Fault("status", status=500))
    emulator.faults.clear()
    assert get(emulator, "deals").status_code == 200


def test_fault_html_empty_truncated(start_emulator: Callable[..., Emulator]) -> None:
    emulator = start_emulator()
    emulator.faults.add(Fault("html"))
    r = get(emulator, "contacts")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/html")
    emulator.faults.add(Fault("empty"))
    r = get(emulator, "contacts")
    assert r.status_code == 200 and r.content == b"" and r.headers["Content-Type"] == "application/json"
    full = get(emulator, "contacts").content
    emulator.faults.add(Fault("truncated"))
    r = get(emulator, "contacts")
    assert r.status_code == 200 and r.content == full[: len(full) // 2]
    with pytest.raises(ValueError):
        r.json()


def test_fault_reset(start_emulator: Callable[..., Emulator]) -> None:
    emulator = start_emulator()
    emulator.faults.add(Fault("reset"))
    with pytest.raises(requests.exceptions.ConnectionError):
        get(emulator, "contacts")
    assert get(emulator, "contacts").status_code == 200
    assert [entry.status for entry in emulator.stats.log] == [0, 200]


def test_fault_slow_waits_before_answering(start_emulator: Callable[..., Emulator]) -> None:
    clock = ManualClock()
    emulator = start_emulator(clock=clock)
    emulator.faults.add(Fault("slow", delay_s=0.6))
    assert get(emulator, "contacts").status_code == 200
    entry = emulator.stats.log[-1]
    assert clock.sleeps == [0.6] and entry.finished_at - entry.started_at == pytest.approx(0.6)


def test_fault_slow_makes_a_client_time_out(start_emulator: Callable[..., Emulator]) -> None:
    answer = threading.Event()  # the slow request is held until the client has given up
    emulator = start_emulator(sleep=lambda seconds: answer.wait(10))
    emulator.faults.add(Fault("slow", delay_s=30))
    try:
        with pytest.raises(requests.exceptions.Timeout):
            api_session(emulator).get(f"{emulator.url}/api/3/contacts", timeout=0.2)
    finally:
        answer.set()


def test_error_rate(start_emulator: Callable[..., Emulator]) -> None:
    emulator = start_emulator(error_rate=1.0)
    statuses = {get(emulator, "tags").status_code for _ in range(12)}
    assert statuses <= {500, 502, 503, 504} and len(statuses) > 1
    assert emulator.stats.server_errors == 12
    emulator.set_options(error_rate=0.0)
    assert get(emulator, "tags").status_code == 200


@pytest.mark.parametrize(
    "forbidden_body, body, content_type",
    [
        pytest.param("json", b'{"message":"Forbidden"}', "application/json", id="as a bad key: JSON"),
        pytest.param("empty", b"", None, id="as a bad key: empty, no Content-Type"),
    ],
)
def test_forbidden_rate_refuses_the_good_key_as_a_bad_one_is_refused(
    start_emulator: Callable[..., Emulator], forbidden_body: str, body: bytes, content_type: str | None
) -> None:
    emulator = start_emulator(forbidden_rate=1.0, forbidden_body=forbidden_body)
    refused = get(emulator, "tags")
    bad_key = requests.get(f"{emulator.url}/api/3/tags", headers={"Api-Token": "not-the-key"}, timeout=10)

    for response in (refused, bad_key):
        assert (response.status_code, response.content, response.headers.get("Content-Type")) == (
            403,
            body,
            content_type,
        )
    emulator.set_options(forbidden_rate=0.0)
    assert get(emulator, "tags").status_code == 200


def test_forbidden_rate_refuses_that_share_of_requests(start_emulator: Callable[..., Emulator]) -> None:
    emulator = start_emulator(forbidden_rate=0.05)
    statuses = [get(emulator, "tags").status_code for _ in range(400)]

    assert set(statuses) == {200, 403} and 10 <= statuses.count(403) <= 30  # 20 expected, seeded


@pytest.mark.parametrize(
    "kind, check",
    [
        pytest.param("html", lambda r, full: r.headers["Content-Type"].startswith("text/html"), id="an HTML page"),
        pytest.param("empty", lambda r, full: r.content == b"", id="an empty body"),
        pytest.param("truncated", lambda r, full: r.content == full[: len(full) // 2], id="the JSON cut short"),
    ],
)
def test_odd_body_rate_answers_200_with_a_body_that_is_not_what_it_says(
    start_emulator: Callable[..., Emulator], kind: str, check: Callable[[requests.Response, bytes], bool]
) -> None:
    emulator = start_emulator()
    full = get(emulator, "tags").content
    emulator.set_options(odd_body_rate=1.0, odd_bodies=[kind])

    odd = get(emulator, "tags")

    assert odd.status_code == 200 and check(odd, full)


def test_odd_body_rate_draws_each_kind(start_emulator: Callable[..., Emulator]) -> None:
    emulator = start_emulator()
    full = get(emulator, "tags").content
    emulator.set_options(odd_body_rate=0.5)
    bodies = [get(emulator, "tags") for _ in range(60)]

    kinds = {
        "whole" if r.content == full else "html" if r.content.startswith(b"<") else "empty" if not r.content else "cut"
        for r in bodies
    }
    assert kinds == {"whole", "html", "empty", "cut"} and all(r.status_code == 200 for r in bodies)


@pytest.mark.parametrize(
    "options, message",
    [
        pytest.param({"forbidden_rate": 1.5}, "forbidden_rate must be within [0, 1]", id="a share above 1"),
        pytest.param({"odd_body_rate": -0.1}, "odd_body_rate must be within [0, 1]", id="a negative share"),
        pytest.param({"odd_bodies": ["xml"]}, "odd_bodies must be some of", id="an unknown kind"),
        pytest.param({"odd_bodies": []}, "odd_bodies must be some of", id="no kind"),
    ],
)
def test_misbehaviour_options_checked(start_emulator: Callable[..., Emulator], options: dict, message: str) -> None:
    emulator = start_emulator()
    with pytest.raises(ValueError, match=re.escape(message)):
        emulator.set_options(**options)


def test_stats_log_and_latency(start_emulator: Callable[..., Emulator]) -> None:
    clock = ManualClock()
    emulator = start_emulator(latency_ms=150, clock=clock)
    get(emulator, "contacts?limit=5")
    entry = emulator.stats.log[-1]
    assert entry.method == "GET" and entry.path == "/api/3/contacts" and entry.query == {"limit": ["5"]}
    assert entry.status == 200 and clock.sleeps == [0.15]
    assert entry.started_at == 1000.0 and entry.finished_at == pytest.approx(1000.15)
    assert entry.headers["Api-Token"] == "***"
    assert emulator.stats.by_path["/api/3/contacts"] == 1 and emulator.stats.requests == 1
    emulator.reset_stats()
    assert emulator.stats.requests == 0 and emulator.stats.log == []


def test_requests_are_served_side_by_side(start_emulator: Callable[..., Emulator]) -> None:
    # Each request's latency waits until all four are in flight: served one at a time, the first
    # would wait alone, the barrier would break and the requests would fail.
    all_in_flight = threading.Barrier(4)
    emulator = start_emulator(latency_ms=1, sleep=lambda seconds: all_in_flight.wait(timeout=10))
    statuses: list[int] = []
    threads = [threading.Thread(target=lambda: statuses.append(get(emulator, "tags").status_code)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 4 and emulator.stats.max_in_flight == 4


def test_options_at_runtime_and_stop(start_emulator: Callable[..., Emulator]) -> None:
    emulator = start_emulator()
    with pytest.raises(ValueError):
        emulator.set_options(no_such_option=1)
    with pytest.raises(ValueError):
        emulator.set_options(deals_access="sometimes")
    assert emulator.set_options(forbidden_resources=["forms"]).forbidden_resources == frozenset({"forms"})
    session = api_session(emulator)
    assert session.get(f"{emulator.url}/api/3/tags").status_code == 200  # a pooled keep-alive connection
    emulator.stop()
    with pytest.raises(requests.exceptions.ConnectionError):
        session.get(f"{emulator.url}/api/3/tags", timeout=2)
