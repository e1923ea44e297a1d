"""The connector on an account another client uses too: through main.py against the emulator, whose
other client draws from the same one-second window (real time: the connector runs in its own process)."""

import time
from collections.abc import Callable

from activecampaign_emulator import Emulator
from integration_tests.conftest import emulator_config
from testing.connector_runner import ConnectorInputs, configured_catalog, run_main

SHARED = "The account's rate limit is shared with other clients; syncing at 2 requests per second."


def test_given_another_client_at_3_rps_when_read_then_the_connector_keeps_to_the_2_left_and_says_so_once(
    start_emulator: Callable[..., Emulator], discovered_catalog, inputs: ConnectorInputs
) -> None:
    emulator = start_emulator(
        rate_limit=5, background_rps=3, ratelimit_headers=True, clock=time.monotonic, sleep=time.sleep
    )
    catalog = configured_catalog({"contacts": "full_refresh", "tags": "full_refresh"}, discovered_catalog)

    run = run_main(inputs.args("read", emulator_config(emulator), catalog))

    assert run.exit_code == 0, run.error_messages()
    assert sorted(record["id"] for record in run.records("contacts")) == sorted(
        int(row["id"]) for row in emulator.dataset.rows("contacts")
    )
    assert [log for log in run.logs() if log.startswith("The account's rate limit")] == [SHARED]
    assert emulator.stats.background_calls > 0
