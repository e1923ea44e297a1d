"""Contact child streams read from the contacts pages, through main.py against the emulator: exact
rows with whole sideloads, with capped ones, and incremental reads with and without
contact_children_from_changed_contacts."""

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from activecampaign_emulator import Emulator
from integration_tests.conftest import emulator_config
from integration_tests.emulator_expectations import STREAM_COLLECTIONS, expected_records
from testing.connector_runner import ConnectorInputs, ConnectorRun, configured_catalog, cursor_state, run_main
from testing.emulator_fixtures import SAMPLE_CONFIG

CHILDREN = ["contact_tags", "contact_lists", "custom_field_values", "contact_automations", "account_contacts"]


def _read(
    emulator: Emulator,
    inputs: ConnectorInputs,
    discovered: dict[str, Any],
    streams: dict[str, str],
    state: list[dict[str, Any]] | None = None,
    **config: Any,
) -> ConnectorRun:
    emulator.reset_stats()
    args = [
        "read",
        "--config",
        str(inputs.write("config.json", emulator_config(emulator, **config))),
        "--catalog",
        str(inputs.write("catalog.json", configured_catalog(streams, discovered))),
    ]
    if state is not None:
        args += ["--state", str(inputs.write("state.json", state))]
    run = run_main(args)
    assert run.exit_code == 0, run.error_messages() or run.stderr[-3000:]
    return run


def _assert_exact(run: ConnectorRun, emulator: Emulator, streams: list[str]) -> None:
    for stream in streams:
        records = run.records(stream)
        assert len(records) == len({record["id"] for record in records}), f"{stream}: duplicate ids"
        expected = expected_records(emulator, stream, synced_with=streams)
        assert sorted(records, key=lambda r: r["id"]) == sorted(expected, key=lambda r: r["id"]), stream


def _requests(emulator: Emulator, path: str) -> int:
    return emulator.stats.by_path.get(f"/api/3/{path}", 0)


def test_given_every_sideload_capped_when_full_refresh_then_each_child_reads_its_collection_and_every_row_arrives_once(
    emulator: Emulator, discovered_catalog: dict[str, Any], inputs: ConnectorInputs
) -> None:
    streams = ["contacts", *CHILDREN]
    emulator.set_options(sideload_cap=3)
    try:
        run = _read(emulator, inputs, discovered_catalog, dict.fromkeys(streams, "full_refresh"))
    finally:
        emulator.set_options(sideload_cap=None)

    _assert_exact(run, emulator, streams)
    # Dense children miss rows of many contacts: their collection is read. A sparse one (about one
    # contact in ten has an account) misses few: those contacts' own lists are read.
    for stream in CHILDREN:
        kind = STREAM_COLLECTIONS[stream]
        own_lists = sum(
            1 for entry in emulator.stats.log if entry.path.endswith(f"/{kind}") and entry.path.count("/") == 5
        )
        fell_back = any(line.startswith(f"{stream}: ActiveCampaign left out") for line in run.logs("WARN"))
        assert (_requests(emulator, kind) >= 1) == fell_back and (fell_back or own_lists >= 1), stream
    assert any(line.startswith("contact_tags: ActiveCampaign left out") for line in run.logs("WARN"))


@pytest.fixture()
def one_page_emulator() -> Iterator[Emulator]:
    """Fewer than 100 contact ids: the first read is one range of one page."""
    with Emulator(contacts=60, seed=7, api_key=SAMPLE_CONFIG["api_key"]) as running:
        assert max(int(row["id"]) for row in running.dataset.rows("contacts")) < 100
        yield running


def test_given_a_few_rows_left_out_of_a_sideload_when_read_then_each_contacts_own_list_fills_them(
    one_page_emulator: Emulator, discovered_catalog: dict[str, Any], inputs: ConnectorInputs
) -> None:
    # One page of contacts; the cap leaves out its last 4 tags, of at most 4 contacts.
    tags = one_page_emulator.dataset.rows("contactTags")
    one_page_emulator.set_options(sideload_cap=len(tags) - 4)
    left_out_contacts = {str(row["contact"]) for row in tags[-4:]}

    run = _read(
        one_page_emulator, inputs, discovered_catalog, {"contacts": "full_refresh", "contact_tags": "full_refresh"}
    )

    _assert_exact(run, one_page_emulator, ["contacts", "contact_tags"])
    own_lists = {
        entry.path.split("/")[-2] for entry in one_page_emulator.stats.log if entry.path.endswith("/contactTags")
    }
    assert own_lists == left_out_contacts
    assert _requests(one_page_emulator, "contactTags") == 0


def _instant(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _stream_state(run: ConnectorRun, stream: str) -> dict[str, Any]:
    return next(
        s["stream"]["stream_state"] for s in run.final_states() if s["stream"]["stream_descriptor"]["name"] == stream
    )


@pytest.fixture()
def recent_emulator() -> Iterator[Emulator]:
    """An account synced often: its data runs up to now."""
    with Emulator(contacts=150, seed=11, api_key=SAMPLE_CONFIG["api_key"], data_until="now") as running:
        yield running


def test_given_changes_when_incremental_with_the_option_off_and_on_then_each_emits_what_it_promises(
    recent_emulator: Emulator, discovered_catalog: dict[str, Any], inputs: ConnectorInputs
) -> None:
    emulator = recent_emulator
    streams = {"contacts": "incremental", "contact_tags": "incremental", "contact_lists": "incremental"}
    first = _read(emulator, inputs, discovered_catalog, streams)
    _assert_exact(first, emulator, list(streams))
    assert _requests(emulator, "contactTags") == _requests(emulator, "contactLists") == 0
    saved = first.final_states()

    # A tag added to contact X, whose update time moves with it (what the option bets on), and a tag
    # added to contact Y, whose update time does not.
    tagged_x = emulator.dataset.insert("contactTags")[0]
    contact_x = next(row["contact"] for row in emulator.dataset.rows("contactTags") if row["id"] == tagged_x)
    emulator.dataset.touch("contacts", ids=[contact_x])
    tagged_y = emulator.dataset.insert("contactTags")[0]

    # Off: every row changed since the state (less a day), from the contacts pages, which cost fewer
    # requests than the two collections.
    off = _read(emulator, inputs, discovered_catalog, streams, saved)
    floor = _instant(_stream_state(first, "contact_tags")["updated_timestamp"]) - timedelta(days=1)
    assert {int(tagged_x), int(tagged_y)} <= {record["id"] for record in off.records("contact_tags")}
    assert sorted(record["id"] for record in off.records("contact_tags")) == sorted(
        record["id"]
        for record in expected_records(emulator, "contact_tags")
        if _instant(record["updated_timestamp"]) >= floor
    )
    assert _requests(emulator, "contactTags") == _requests(emulator, "contactLists") == 0
    child_pages = [e for e in emulator.stats.log if e.path == "/api/3/contacts" and "include" in e.query]
    assert {tuple(e.query["include"]) for e in child_pages} == {("contactLists,contactTags",)}
    assert set(_stream_state(off, "contact_tags")["state"]) == {"updated_timestamp"}

    # On: only the changed contacts' pages; the tag of Y waits for the next full read.
    on = _read(emulator, inputs, discovered_catalog, streams, saved, contact_children_from_changed_contacts=True)
    emitted = {record["id"] for record in on.records("contact_tags")}
    assert int(tagged_x) in emitted and int(tagged_y) not in emitted
    assert _requests(emulator, "contactTags") == _requests(emulator, "contactLists") == 0
    child_pages = [e for e in emulator.stats.log if e.path == "/api/3/contacts" and "include" in e.query]
    assert len(child_pages) == 1 and child_pages[0].query["include"] == ["contactLists,contactTags"]
    on_state = _stream_state(on, "contact_tags")
    assert set(cursor_state(on_state)) == {"updated_timestamp", "last_reconciliation"}

    # A week later by the state's clock: the full read catches Y's tag, and every other row.
    week_old = (datetime.now(timezone.utc) - timedelta(days=8)).strftime("%Y-%m-%dT%H:%M:%S+0000")
    stale = [
        {**s, "stream": {**s["stream"], "stream_state": {**on_state, "last_reconciliation": week_old}}}
        if s["stream"]["stream_descriptor"]["name"] == "contact_tags"
        else s
        for s in on.final_states()
    ]
    full = _read(emulator, inputs, discovered_catalog, streams, stale, contact_children_from_changed_contacts=True)
    _assert_exact(full, emulator, ["contact_tags"])
    assert _instant(_stream_state(full, "contact_tags")["last_reconciliation"]) > datetime.now(
        timezone.utc
    ) - timedelta(minutes=10)


def test_given_a_state_when_a_child_reads_its_collection_or_the_pages_then_it_emits_the_same_rows(
    recent_emulator: Emulator, discovered_catalog: dict[str, Any], inputs: ConnectorInputs
) -> None:
    emulator = recent_emulator
    alone = {"account_contacts": "incremental"}
    beside = {"account_contacts": "incremental", "contact_lists": "incremental"}
    saved = _read(emulator, inputs, discovered_catalog, beside).final_states()
    emulator.dataset.insert("accountContacts")
    emulator.dataset.touch("accountContacts", count=3)

    # Alone, account links (few contacts have one) read their collection; beside list memberships
    # (most contacts have one), the contacts pages, which cost fewer requests.
    from_collection = _read(emulator, inputs, discovered_catalog, alone, saved)
    assert _requests(emulator, "accountContacts") >= 1
    from_pages = _read(emulator, inputs, discovered_catalog, beside, saved)
    assert _requests(emulator, "accountContacts") == 0

    emitted = sorted(record["id"] for record in from_pages.records("account_contacts"))
    assert emitted == sorted(record["id"] for record in from_collection.records("account_contacts"))
    assert len(emitted) >= 4
    pages_state, collection_state = (_stream_state(run, "account_contacts") for run in (from_pages, from_collection))
    assert cursor_state(pages_state)["state"] == cursor_state(collection_state)
    assert pages_state["emitted_ids"] == collection_state["emitted_ids"]
