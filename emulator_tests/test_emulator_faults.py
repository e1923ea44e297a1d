"""Faults, random errors, latency, the request log and concurrency, on injected time."""

from __future__ import annotations

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
