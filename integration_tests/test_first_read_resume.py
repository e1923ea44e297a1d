"""A first sync killed with SIGKILL at several points and resumed from the last state it emitted, as a
platform does after a worker restart: through main.py against the emulator, with the requests of the
resumed sync counted. Nothing may be lost.

Contacts: the resumed sync is a first read in id ranges again, not a read of update-time windows from
2000 (which cost 144 requests where a first read costs 53, on 5,000 contacts). Deals: the resumed
sync reads the deals updated since the lower bound of the first window of creation time the killed
sync had not finished (less a day), in the incremental reads' 90-day windows of mdate."""

from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from activecampaign_emulator import Emulator
from testing.connector_runner import ConnectorInputs, configured_catalog, cursor_state, run_main, run_main_until_killed

API_KEY = "ac-resume-test-key-4c1d9e2b7a56f083"


def _running_emulator(contacts: int) -> Iterator[Emulator]:
    with Emulator(contacts=contacts, seed=11, api_key=API_KEY) as running:
        running.set_options(latency_ms=20)
        yield running


def _discovered_catalog(emulator: Emulator) -> dict[str, Any]:
    config = ConnectorInputs().write("config.json", {"api_url": emulator.url, "api_key": API_KEY})
    return run_main(["discover", "--config", str(config)]).of_type("CATALOG")[0]["catalog"]


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    # 2,000 contacts: four id ranges of 500.
    yield from _running_emulator(2_000)


@pytest.fixture(scope="module")
def catalog(emulator: Emulator) -> dict[str, Any]:
    return _discovered_catalog(emulator)


def _read_args(inputs: ConnectorInputs, emulator: Emulator, catalog: dict[str, Any], stream: str) -> list[str]:
    return [
        "read",
        "--config",
        str(inputs.write("config.json", {"api_url": emulator.url, "api_key": API_KEY})),
        "--catalog",
        str(inputs.write("catalog.json", configured_catalog({stream: "incremental"}, catalog))),
    ]


def _resumed_read(inputs: ConnectorInputs, emulator: Emulator, args: list[str], state: Any):
    """The resumed sync and the requests it made, less the 429s its first second may get (the emulator's
    rate limit still counts the killed sync's last requests, which the new process cannot know of) and
    less a request of the killed sync that the emulator answered only after it was killed."""
    emulator.reset_stats()
    started = emulator.clock()
    state_args = ["--state", str(inputs.write("state.json", [state]))] if state is not None else []
    run = run_main([*args, *state_args])
    assert run.exit_code == 0, run.error_messages()
    return run, [entry for entry in emulator.stats.log if entry.status != 429 and entry.started_at >= started]


def _all_ids(emulator: Emulator, resource: str) -> set[int]:
    return {int(row["id"]) for row in emulator.dataset.rows(resource)}


@pytest.mark.parametrize(
    "kill_after_states, kill_after_records",
    [
        pytest.param(10**9, 150, id="before any state"),
        pytest.param(1, 10**9, id="after the first range"),
        pytest.param(10**9, 1_800, id="late, after 90% of the records"),
    ],
)
def test_contacts_killed_midway_start_over_with_a_first_read_not_a_windowed_one(
    emulator: Emulator,
    catalog: dict[str, Any],
    inputs: ConnectorInputs,
    kill_after_states: int,
    kill_after_records: int,
) -> None:
    args = _read_args(inputs, emulator, catalog, "contacts")
    emulator.reset_stats()
    run_main(args)
    full_requests = emulator.stats.requests
    _, states = run_main_until_killed(
        args, lambda records, states: len(states) >= kill_after_states or len(records) >= kill_after_records
    )
    state = states[-1] if states else None

    resumed, log = _resumed_read(inputs, emulator, args, state)

    assert {record["id"] for record in resumed.records("contacts")} == _all_ids(emulator, "contacts")
    # The id ranges again (the newest contact first, then keyset pages), as many requests as a first read:
    # which ranges were done cannot be told to a reader of time windows.
    assert log[0].query == {"orders[id]": ["DESC"], "limit": ["1"]}
    assert len(log) == full_requests
    if state is not None:
        assert any("The first sync of stream 'contacts' was interrupted" in warning for warning in resumed.logs("WARN"))


@pytest.fixture(scope="module")
def deals_emulator() -> Iterator[Emulator]:
    # 20,000 contacts, 5,000 deals: two windows of creation time.
    yield from _running_emulator(20_000)


@pytest.fixture(scope="module")
def deals_catalog(deals_emulator: Emulator) -> dict[str, Any]:
    return _discovered_catalog(deals_emulator)


def _pages(count: int) -> int:
    """Offset pages of 100 to read `count` rows: the last one short, or empty after a full one."""
    return count // 100 + 1


def _mdates(emulator: Emulator) -> dict[int, datetime]:
    return {int(row["id"]): datetime.fromisoformat(row["mdate"]) for row in emulator.dataset.rows("deals")}


def _windowed_read_from(start: datetime, mdates: Mapping[int, datetime]) -> tuple[set[int], int]:
    """What an incremental read of deals from `start` must read and what it costs: 90-day windows of mdate
    from `start` to now, each offset-paged."""
    wanted = {deal for deal, mdate in mdates.items() if mdate >= start}
    requests, now = 0, datetime.now(timezone.utc)
    while start < now:
        end = start + timedelta(days=90)
        requests += _pages(sum(1 for mdate in mdates.values() if start <= mdate < end))
        start = end
    return wanted, requests


def _first_unfinished_window_start(state: Mapping[str, Any]) -> str:
    windows = sorted(
        state["stream"]["stream_state"]["states"],
        key=lambda window: datetime.fromisoformat(window["partition"]["created_after"]),
    )
    unfinished = [w for w in windows if w["cursor"]["mdate"] == "2000-01-01T00:00:00+0000"]
    return (
        str(unfinished[0]["partition"]["created_after"])
        if unfinished
        else str(windows[-1]["partition"]["created_after"])
    )


def test_deals_killed_before_any_state_start_over_with_a_first_read_in_creation_windows(
    deals_emulator: Emulator, deals_catalog: dict[str, Any], inputs: ConnectorInputs
) -> None:
    args = _read_args(inputs, deals_emulator, deals_catalog, "deals")
    _, states = run_main_until_killed(args, lambda records, states: len(records) >= 500)
    assert states == []

    resumed, log = _resumed_read(inputs, deals_emulator, args, None)

    assert {record["id"] for record in resumed.records("deals")} == _all_ids(deals_emulator, "deals")
    # One request for the total, one for the deal at offset 2,500, two for the windows' totals, and each
    # window of 2,500 deals in 26 pages.
    assert [entry.query.get("offset") for entry in log[:2]] == [["0"], ["2500"]]
    assert len(log) == 4 + 2 * _pages(2_500)
    assert cursor_state(resumed.final_states()[0]["stream"]["stream_state"])["state"] == {
        "mdate": max(_mdates(deals_emulator).values()).strftime("%Y-%m-%dT%H:%M:%S%z")
    }


def test_deals_killed_after_a_window_closed_resume_from_the_first_window_not_finished(
    deals_emulator: Emulator, deals_catalog: dict[str, Any], inputs: ConnectorInputs
) -> None:
    args = _read_args(inputs, deals_emulator, deals_catalog, "deals")
    killed_ids, states = run_main_until_killed(args, lambda records, states: len(states) >= 1)
    resume_from = _first_unfinished_window_start(states[-1])

    resumed, log = _resumed_read(inputs, deals_emulator, args, states[-1])

    mdates = _mdates(deals_emulator)
    wanted, requests = _windowed_read_from(datetime.fromisoformat(resume_from) - timedelta(days=1), mdates)
    assert {record["id"] for record in resumed.records("deals")} == wanted
    assert wanted | killed_ids == _all_ids(deals_emulator, "deals")
    first_window = min(log, key=lambda entry: datetime.fromisoformat(entry.query["filters[updated_after]"][0]))
    assert first_window.query["filters[updated_after]"] == [
        (datetime.fromisoformat(resume_from) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S%z")
    ]
    assert len(log) == requests
    assert cursor_state(resumed.final_states()[0]["stream"]["stream_state"]) == {
        "mdate": max(mdates.values()).strftime("%Y-%m-%dT%H:%M:%S%z")
    }
    assert any("The first sync of stream 'deals' was interrupted" in line for line in resumed.logs("INFO"))
