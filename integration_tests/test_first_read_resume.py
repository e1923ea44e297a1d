"""A first sync of contacts killed with SIGKILL at several points and resumed from the last state it
emitted, as a platform does after a worker restart: through main.py against the emulator, with the
requests of the resumed sync counted. Nothing may be lost, and the resumed sync is a first read in
id ranges again, not a read of update-time windows from 2000 (which cost 144 requests where a
first read costs 53, on 5,000 contacts)."""

from collections.abc import Iterator
from typing import Any

import pytest

from activecampaign_emulator import Emulator
from tools.connector_runner import ConnectorInputs, configured_catalog, run_main, run_main_until_killed

API_KEY = "ac-resume-test-key-4c1d9e2b7a56f083"


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    # 2,000 contacts: four id ranges of 500.
    with Emulator(contacts=2000, seed=11, api_key=API_KEY) as running:
        running.set_options(latency_ms=20)
        yield running


@pytest.fixture(scope="module")
def catalog(emulator: Emulator) -> dict[str, Any]:
    config = ConnectorInputs().write("config.json", {"api_url": emulator.url, "api_key": API_KEY})
    return run_main(["discover", "--config", str(config)]).of_type("CATALOG")[0]["catalog"]


def _read_args(inputs: ConnectorInputs, emulator: Emulator, catalog: dict[str, Any], stream: str) -> list[str]:
    return [
        "read",
        "--config",
        str(inputs.write("config.json", {"api_url": emulator.url, "api_key": API_KEY})),
        "--catalog",
        str(inputs.write("catalog.json", configured_catalog({stream: "incremental"}, catalog))),
    ]


def _resumed_read(inputs: ConnectorInputs, emulator: Emulator, args: list[str], state: Any):
    """The resumed sync and the requests it made, less the 429s its first second may get: the emulator's
    rate limit still counts the killed sync's last requests, which the new process cannot know of."""
    emulator.reset_stats()
    state_args = ["--state", str(inputs.write("state.json", [state]))] if state is not None else []
    run = run_main([*args, *state_args])
    assert run.exit_code == 0, run.error_messages()
    return run, [entry for entry in emulator.stats.log if entry.status != 429]


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
