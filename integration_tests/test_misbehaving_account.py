"""An account that misbehaves, through the real entrypoint (`python main.py`) against the emulator: a
good key refused now and then, and 200 answers whose body is not what they say. Each sync exits 0
with every id delivered. The retries wait for real (the CDK's backoff, 1 s and up)."""

from collections.abc import Callable
from typing import Any

import pytest

from activecampaign_emulator import Emulator
from integration_tests.conftest import emulator_config
from integration_tests.emulator_expectations import STREAM_COLLECTIONS
from testing.connector_runner import ConnectorInputs, ConnectorRun, configured_catalog, run_main

# Contacts and deals in several sequences read side by side, and three one-page collections: about
# 60 requests at 3,000 contacts.
STREAMS = {name: "full_refresh" for name in ("contacts", "deals", "tags", "lists", "notes")}


CONTACTS = 3000  # a fresh account per test: its seeded draws refuse or spoil the same requests each run


def _read(emulator: Emulator, discovered: dict[str, Any], inputs: ConnectorInputs) -> ConnectorRun:
    return run_main(inputs.args("read", emulator_config(emulator), configured_catalog(STREAMS, discovered)))


def _assert_every_id_delivered(run: ConnectorRun, emulator: Emulator) -> None:
    assert run.exit_code == 0, run.error_messages()
    for stream in STREAMS:
        delivered = sorted(record["id"] for record in run.records(stream))
        expected = sorted(int(row["id"]) for row in emulator.dataset.rows(STREAM_COLLECTIONS[stream]))
        assert delivered == expected, f"{stream}: {len(delivered)} of {len(expected)} ids delivered"


def _retries(run: ConnectorRun, cause: str) -> list[str]:
    return [log for log in run.logs() if log.startswith("Caught retryable error") and cause in log]


@pytest.mark.parametrize("forbidden_body", ["json", "empty"])
def test_given_5_percent_of_requests_refuse_the_good_key_when_read_then_each_is_retried_and_every_id_delivered(
    start_emulator: Callable[..., Emulator],
    discovered_catalog: dict[str, Any],
    inputs: ConnectorInputs,
    forbidden_body: str,
) -> None:
    emulator = start_emulator(contacts=CONTACTS, forbidden_rate=0.05, forbidden_body=forbidden_body)

    run = _read(emulator, discovered_catalog, inputs)

    _assert_every_id_delivered(run, emulator)
    refused = emulator.stats.by_status[403]
    assert refused >= 2, "the emulator's draws refused fewer requests than the test needs"
    assert len(_retries(run, "taken for an intermittent refusal")) == refused


@pytest.mark.parametrize("odd_body", ["html", "empty", "truncated"])
def test_given_10_percent_of_200s_carry_an_odd_body_when_read_then_each_is_retried_and_every_id_delivered(
    start_emulator: Callable[..., Emulator], discovered_catalog: dict[str, Any], inputs: ConnectorInputs, odd_body: str
) -> None:
    emulator = start_emulator(contacts=CONTACTS, odd_body_rate=0.1, odd_bodies=[odd_body])

    run = _read(emulator, discovered_catalog, inputs)

    _assert_every_id_delivered(run, emulator)
    assert len(_retries(run, "The body is not JSON")) >= 2
