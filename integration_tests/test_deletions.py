"""Deletions through main.py against the emulator: contacts (with the rows the app deletes with them),
deals and a tag taken off a contact, deleted between syncs. The sync whose deletion check is due emits
exactly the deleted ids, each as a record with `_ab_cdc_deleted_at`, and no live one; the syncs
before it and after it emit none; a check cut short emits none, and the next one emits them all."""

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from activecampaign_emulator import Emulator
from integration_tests.conftest import emulator_config
from testing.connector_runner import ConnectorInputs, ConnectorRun, configured_catalog, run_main, run_main_until_killed

STREAMS = {"contacts": "incremental", "deals": "incremental", "contact_tags": "incremental"}
COLLECTIONS = {"contacts": "contacts", "deals": "deals", "contact_tags": "contactTags"}
DELETED_AT = "_ab_cdc_deleted_at"
API_KEY = "ac-deletions-test-key-7d2e9c4b1a08f356"


@pytest.fixture()
def emulator() -> Iterator[Emulator]:
    with Emulator(contacts=300, seed=23, api_key=API_KEY, data_until="now") as running:
        yield running


def _catalog(emulator: Emulator, inputs: ConnectorInputs) -> dict[str, Any]:
    run = run_main(inputs.args("discover", emulator_config(emulator)))
    assert run.exit_code == 0, run.stderr[-2000:]
    return configured_catalog(STREAMS, run.of_type("CATALOG")[0]["catalog"])


def _read(emulator: Emulator, inputs: ConnectorInputs, catalog: dict[str, Any], state: Any = None) -> ConnectorRun:
    emulator.reset_stats()
    run = run_main(inputs.args("read", emulator_config(emulator), catalog, state))
    assert run.exit_code == 0, run.error_messages() or run.stderr[-3000:]
    return run


def _deletions(run: ConnectorRun) -> dict[str, list[Any]]:
    found = {
        stream: sorted(record["id"] for record in run.records(stream) if record.get(DELETED_AT)) for stream in STREAMS
    }
    for stream in STREAMS:
        for record in run.records(stream):
            if record.get(DELETED_AT):
                assert set(record) == {"id", DELETED_AT}, record
    return found


def _live(emulator: Emulator, stream: str) -> set[int]:
    return {int(row["id"]) for row in emulator.dataset.rows(COLLECTIONS[stream])}


def _due(run: ConnectorRun) -> list[dict[str, Any]]:
    """The run's final states with every stream's last deletion check eight days ago."""
    eight_days_ago = (datetime.now(timezone.utc) - timedelta(days=8)).isoformat(timespec="seconds")
    states = run.final_states()
    for state in states:
        state["stream"]["stream_state"]["last_deletions_check"] = eight_days_ago
    return states


def _delete(emulator: Emulator, contacts: int, deals: int, single_tags: int) -> dict[str, list[int]]:
    """Deletes contacts (their tags go with them), deals and tags of other contacts; returns every id gone."""
    dataset = emulator.dataset
    gone = dataset.delete("contacts", dataset.pick_ids("contacts", contacts))
    deleted_deals = dataset.delete("deals", dataset.pick_ids("deals", deals))["deals"]
    single = dataset.delete("contactTags", dataset.pick_ids("contactTags", single_tags))["contactTags"]
    return {
        "contacts": sorted(int(row_id) for row_id in gone["contacts"]),
        "deals": sorted(int(row_id) for row_id in deleted_deals),
        "contact_tags": sorted(int(row_id) for row_id in gone["contactTags"] + single),
    }


def test_given_deletions_between_syncs_when_the_check_is_due_then_exactly_the_deleted_ids_and_then_none(
    emulator: Emulator, inputs: ConnectorInputs
) -> None:
    catalog = _catalog(emulator, inputs)
    first = _read(emulator, inputs, catalog)
    assert _deletions(first) == {stream: [] for stream in STREAMS}
    deleted = _delete(emulator, contacts=4, deals=3, single_tags=2)
    assert all(deleted.values()) and len(deleted["contact_tags"]) > 2

    # Not due (checked at the first sync): nothing yet.
    not_due = _read(emulator, inputs, catalog, first.final_states())
    assert _deletions(not_due) == {stream: [] for stream in STREAMS}

    # Due, while the key's user lost access to half of the pipelines: their deals come as restricted
    # rows, which are still deals.
    emulator.set_options(deals_access="pipeline-partial")
    due = _read(emulator, inputs, catalog, _due(not_due))

    assert _deletions(due) == deleted
    for stream in STREAMS:
        assert not set(_deletions(due)[stream]) & _live(emulator, stream), stream
    assert any(record.get("isDisabled") for record in due.records("deals"))

    after = _read(emulator, inputs, catalog, due.final_states())
    assert _deletions(after) == {stream: [] for stream in STREAMS}


def test_given_a_check_cut_short_then_it_emits_none_and_the_next_check_emits_them_all(
    emulator: Emulator, inputs: ConnectorInputs
) -> None:
    emulator.set_options(latency_ms=30)
    streams = ["contacts", "contact_tags"]
    catalog = _catalog(emulator, inputs)
    catalog["streams"] = [entry for entry in catalog["streams"] if entry["stream"]["name"] in streams]
    first = _read(emulator, inputs, catalog)
    deleted = _delete(emulator, contacts=3, deals=0, single_tags=2)
    due_state = _due(first)
    checked_before = {state["stream"]["stream_state"]["last_deletions_check"] for state in due_state}

    # Killed while the check re-reads the contacts pages (four id ranges of 300 contacts, with their
    # tags), once the first range is done and its state is out.
    deletions: list[dict[str, Any]] = []
    states = run_main_until_killed(
        inputs.args("read", emulator_config(emulator), catalog, due_state),
        lambda run: len(run.states) >= 1,
        on_message=lambda message: deletions.extend(
            [message] if message["type"] == "RECORD" and DELETED_AT in message["record"]["data"] else []
        ),
    ).states

    assert deletions == []
    assert states and {state["stream"]["stream_state"]["last_deletions_check"] for state in states} <= checked_before
    saved = {state["stream"]["stream_descriptor"]["name"]: state for state in [*due_state, *states]}
    resumed = _read(emulator, inputs, catalog, list(saved.values()))

    assert {stream: ids for stream, ids in _deletions(resumed).items() if stream in streams} == {
        stream: deleted[stream] for stream in streams
    }
