"""The connector through its real entrypoint (`python main.py`) against the emulator."""

from typing import Any

import jsonschema
import pytest

from activecampaign_emulator import Emulator
from integration_tests.conftest import emulator_config
from integration_tests.emulator_expectations import (
    CUSTOM_OBJECT_STREAMS,
    STREAM_COLLECTIONS,
    custom_object_rows,
    expected_records,
)
from testing.connector_runner import (
    ConnectorInputs,
    ConnectorRun,
    configured_catalog,
    cursor_state,
    run_main,
    sync_modes,
)


def _read(
    emulator: Emulator,
    inputs: ConnectorInputs,
    streams: dict[str, str],
    discovered: dict[str, Any],
    state: Any = None,
    **config_overrides: Any,
) -> ConnectorRun:
    config = emulator_config(emulator, **config_overrides)
    return run_main(inputs.args("read", config, configured_catalog(streams, discovered), state))


def _ids(records: list[dict[str, Any]]) -> list[int]:
    return sorted(record["id"] for record in records)


def _key(stream: str) -> str:
    return "name" if stream == "site_tracking_domains" else "id"


def test_discover_lists_the_streams_with_their_keys_and_cursors(discovered_catalog) -> None:
    streams = {stream["name"]: stream for stream in discovered_catalog["streams"]}

    # Every fixed stream, and one per custom-object schema of the account.
    assert len(STREAM_COLLECTIONS) >= 60
    assert set(streams) == set(STREAM_COLLECTIONS) | set(CUSTOM_OBJECT_STREAMS)
    assert all(stream["source_defined_primary_key"] == [[_key(name)]] for name, stream in streams.items())
    assert streams["contacts"]["default_cursor_field"] == ["udate"]
    assert streams["deals"]["default_cursor_field"] == ["mdate"]
    assert streams["segments"]["supported_sync_modes"] == ["full_refresh"]
    assert all(streams[name]["default_cursor_field"] == ["updatedTimestamp"] for name in CUSTOM_OBJECT_STREAMS)


def test_full_read_of_every_stream_equals_the_emulators_data(
    emulator: Emulator, discovered_catalog, inputs: ConnectorInputs
) -> None:
    run = _read(emulator, inputs, sync_modes(discovered_catalog, incremental=False), discovered_catalog)

    assert run.exit_code == 0, run.error_messages() or run.stderr[-3000:]
    by_stream = run.records_by_stream()
    schemas = {stream["name"]: stream["json_schema"] for stream in discovered_catalog["streams"]}
    for stream in [*STREAM_COLLECTIONS, *CUSTOM_OBJECT_STREAMS]:
        records = by_stream.get(stream, [])
        expected = expected_records(emulator, stream, synced_with=STREAM_COLLECTIONS)
        key = _key(stream)
        assert records, f"{stream}: no records"
        assert len(records) == len({record[key] for record in records}), f"{stream}: duplicate keys"
        assert sorted(records, key=lambda r: r[key]) == sorted(expected, key=lambda r: r[key]), (
            f"{stream}: records differ"
        )
        for record in records:
            jsonschema.validate(record, schemas[stream])


def test_incremental_read_then_changes_then_read_from_state_returns_the_changes_with_few_requests(
    emulator: Emulator, discovered_catalog, inputs: ConnectorInputs
) -> None:
    streams = {"contacts": "incremental", "deals": "incremental"}
    first = _read(emulator, inputs, streams, discovered_catalog)
    assert first.exit_code == 0, first.error_messages()
    assert len(first.records("contacts")) == len(emulator.dataset.rows("contacts"))

    touched_contacts = emulator.dataset.touch("contacts", count=12)
    touched_deals = emulator.dataset.touch("deals", count=4)
    new_contacts = emulator.dataset.insert("contacts", count=3)
    emulator.reset_stats()
    second = _read(emulator, inputs, streams, discovered_catalog, state=first.final_states())

    assert second.exit_code == 0, second.error_messages()
    changed_contacts = {int(i) for i in touched_contacts + new_contacts}
    assert changed_contacts <= {record["id"] for record in second.records("contacts")}
    assert {int(i) for i in touched_deals} <= {record["id"] for record in second.records("deals")}
    # Everything else the second read returns lies in the day of look-back before the state.
    # The first read goes by id ranges: its state is the newest udate over all of them.
    contacts_state = next(
        s["stream"]["stream_state"]
        for s in first.final_states()
        if s["stream"]["stream_descriptor"]["name"] == "contacts"
    )
    assert set(cursor_state(contacts_state)) == {"udate"}
    assert len(second.records("contacts")) < len(first.records("contacts")) / 4, contacts_state
    contact_requests = emulator.stats.by_path.get("/api/3/contacts", 0)
    assert contact_requests <= 25, emulator.stats.snapshot()


@pytest.mark.parametrize("deals_access", ["pipeline-partial", "all-restricted"])
def test_given_partial_deal_access_when_read_then_every_deal_arrives_restricted_ones_with_their_three_fields(
    emulator: Emulator, discovered_catalog, inputs: ConnectorInputs, deals_access: str
) -> None:
    emulator.set_options(deals_access=deals_access)
    try:
        run = _read(emulator, inputs, {"deals": "incremental"}, discovered_catalog)
    finally:
        emulator.set_options(deals_access="full")

    assert run.exit_code == 0, run.error_messages()
    deals = run.records("deals")
    assert _ids(deals) == sorted(int(row["id"]) for row in emulator.dataset.rows("deals"))
    restricted = [deal for deal in deals if "mdate" not in deal]
    assert restricted and all(
        set(deal) == {"id", "title", "isDisabled"} and deal["isDisabled"] is True for deal in restricted
    )
    if deals_access == "all-restricted":
        assert len(restricted) == len(deals)
        # No deal shows an mdate: no cursor, so the next sync reads every deal again.
        assert cursor_state(run.final_states()[0]["stream"]["stream_state"]) == {}
    assert any("Manage pipeline" in warning for warning in run.logs("WARN"))


def test_given_no_deals_permission_when_read_then_deals_skipped_with_warning_and_other_streams_sync(
    emulator: Emulator, discovered_catalog, inputs: ConnectorInputs
) -> None:
    emulator.set_options(deals_access="none")
    try:
        run = _read(emulator, inputs, {"deals": "incremental", "tags": "full_refresh"}, discovered_catalog)
    finally:
        emulator.set_options(deals_access="full")

    assert run.exit_code == 0, run.error_messages()
    assert run.records("deals") == []
    assert _ids(run.records("tags")) == sorted(int(row["id"]) for row in emulator.dataset.rows("tags"))
    assert [warning for warning in run.logs("WARN") if warning.startswith("Skipping stream")] == [
        f"Skipping stream 'deals': ActiveCampaign answered {emulator.url}/api/3/deals with HTTP 403 (\"You do not "
        "have permission to view deals.\"). Give the API key's user group that permission in ActiveCampaign "
        "(Settings > Users > Groups) to sync it."
    ]


@pytest.mark.parametrize(
    "faults",
    [
        pytest.param({"rate_limit": 2, "retry_after": 1}, id="429s: the account's other integrations leave 2 rps"),
        pytest.param({"error_rate": 0.1}, id="10% random 5xx"),
    ],
)
def test_given_faults_when_read_then_every_record_still_arrives_exactly_once(
    emulator: Emulator, discovered_catalog, inputs: ConnectorInputs, faults: dict[str, Any]
) -> None:
    streams = {
        "contacts": "full_refresh",
        "deals": "full_refresh",
        "custom_field_values": "full_refresh",
        "deal_stages": "full_refresh",
    }
    emulator.set_options(**faults)
    emulator.reset_stats()
    try:
        run = _read(emulator, inputs, streams, discovered_catalog)
    finally:
        emulator.set_options(rate_limit=None, error_rate=0.0)

    assert run.exit_code == 0, run.error_messages()
    faulted = emulator.stats.rate_limited + emulator.stats.server_errors
    assert faulted > 0, "the fault mode produced no fault"
    for stream in streams:
        records = run.records(stream)
        assert len(records) == len({record["id"] for record in records}), stream
        assert _ids(records) == sorted(int(row["id"]) for row in emulator.dataset.rows(STREAM_COLLECTIONS[stream])), (
            stream
        )


def test_given_custom_field_options_when_discover_and_read_then_values_are_columns_named_by_personalisation_tag(
    emulator: Emulator, inputs: ConnectorInputs
) -> None:
    options = {"extract_contact_custom_fields": True, "extract_deal_custom_fields": True}
    discovered = run_main(inputs.args("discover", emulator_config(emulator, **options))).of_type("CATALOG")[0][
        "catalog"
    ]
    schemas = {stream["name"]: stream["json_schema"]["properties"] for stream in discovered["streams"]}
    contact_tags = {row["perstag"] for row in emulator.dataset.rows("fields")}
    deal_tags = {row["personalization"] for row in emulator.dataset.rows("dealCustomFieldMeta")}
    assert contact_tags and contact_tags <= set(schemas["contacts"])
    assert deal_tags and deal_tags <= set(schemas["deals"])

    emulator.reset_stats()
    run = _read(emulator, inputs, {"contacts": "full_refresh", "deals": "full_refresh"}, discovered, **options)

    assert run.exit_code == 0, run.error_messages()
    perstag_by_field = {row["id"]: row["perstag"] for row in emulator.dataset.rows("fields")}
    expected_contact_values = {}
    for value in emulator.dataset.rows("fieldValues"):
        if value.get("value") is not None:
            expected_contact_values.setdefault(int(value["contact"]), {})[perstag_by_field[value["field"]]] = value[
                "value"
            ]
    contacts = {record["id"]: record for record in run.records("contacts")}
    assert len(contacts) == len(emulator.dataset.rows("contacts"))
    for contact_id, values in expected_contact_values.items():
        for tag, value in values.items():
            column = schemas["contacts"][tag]
            assert contacts[contact_id].get(tag) == (value or None if column.get("format") else value), (
                contact_id,
                tag,
            )
    tag_by_deal_field = {int(row["id"]): row["personalization"] for row in emulator.dataset.rows("dealCustomFieldMeta")}
    deals = {record["id"]: record for record in run.records("deals")}
    for datum in emulator.dataset.rows("dealCustomFieldData"):
        if datum.get("fieldValue") not in (None, ""):
            assert deals[int(datum["dealId"])][tag_by_deal_field[int(datum["customFieldId"])]] == datum["fieldValue"]
    # The values came with the pages (include=), plus one request per definition list.
    assert emulator.stats.by_path.get("/api/3/fieldValues", 0) == 0
    assert emulator.stats.by_path.get("/api/3/dealCustomFieldData", 0) == 0
    assert any(
        "include=fieldValues" in "&".join(f"{k}={v[0]}" for k, v in entry.query.items())
        for entry in emulator.stats.log
        if entry.path == "/api/3/contacts"
    )


def test_every_incremental_stream_gives_a_state_and_then_emits_only_changed_rows(
    emulator: Emulator, discovered_catalog, inputs: ConnectorInputs
) -> None:
    from datetime import datetime, timedelta, timezone

    incremental = {
        name: mode for name, mode in sync_modes(discovered_catalog, incremental=True).items() if mode == "incremental"
    }
    cursor_of = {
        stream["name"]: stream["default_cursor_field"][0]
        for stream in discovered_catalog["streams"]
        if stream["name"] in incremental
    }
    first = _read(emulator, inputs, incremental, discovered_catalog)
    assert first.exit_code == 0, first.error_messages()
    assert {state["stream"]["stream_descriptor"]["name"] for state in first.final_states()} == set(incremental)

    touched = {stream: _change_two_rows(emulator, stream) for stream in incremental}
    second = _read(emulator, inputs, incremental, discovered_catalog, state=first.final_states())

    assert second.exit_code == 0, second.error_messages()
    assert not [warning for warning in second.logs("WARN") if "cannot be resumed from" in warning]

    def instant(value: str) -> datetime:
        parsed = datetime.fromisoformat(value)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)

    saved = {
        state["stream"]["stream_descriptor"]["name"]: state["stream"]["stream_state"] for state in first.final_states()
    }
    # deal_stages is read per pipeline and saves a cursor per pipeline.
    stage_cursors = {
        partition["partition"]["pipeline_id"]: partition["cursor"]["udate"]
        for partition in saved["deal_stages"]["states"]
    }
    for stream in incremental:
        emitted = {record["id"]: record for record in second.records(stream)}
        assert touched[stream] <= set(emitted), stream
        for record_id, record in emitted.items():
            cursor = cursor_of[stream]
            if stream == "deal_stages":
                state_value = stage_cursors[record["pipeline_id"]]
            else:
                state_value = saved[stream][cursor]
            value = record.get(cursor)
            floor = instant(state_value) - timedelta(days=1)
            assert record_id in touched[stream] or value is None or instant(value) >= floor, (
                stream,
                record_id,
                value,
                state_value,
            )


# Streams whose cursor is the creation time of rows written once: their changes are new rows.
_APPEND_ONLY = {
    "deal_activities",
    "activities",
    "contact_emails",
    "contact_conversions",
    "deal_group_users",
    "email_activities",
}


def _change_two_rows(emulator: Emulator, stream: str) -> set[Any]:
    """Changes two rows of the stream in the emulator; -> the ids the connector emits them under."""
    if stream in CUSTOM_OBJECT_STREAMS:
        rows = custom_object_rows(emulator, stream)
        changed = emulator.dataset.touch("customObjectRecords", ids=sorted(rows)[:2])
        return {rows[int(stored_id)]["id"] for stored_id in changed}
    collection = STREAM_COLLECTIONS[stream]
    if stream in _APPEND_ONLY:
        return {int(row_id) for row_id in emulator.dataset.insert(collection, count=2)}
    return {int(row_id) for row_id in emulator.dataset.touch(collection, count=2)}


# Streams of features an account may lack (their collections answer 404 there).
_OPTIONAL_STREAMS = (
    "automation_blocks",
    "bounce_logs",
    "campaign_lists",
    "campaign_messages",
    "campaign_links",
    "configs",
    "contact_data",
    "contact_emails",
    "contact_conversions",
    "conversions",
    "conversion_triggers",
    "deal_group_users",
    "ecommerce_order_activities",
    "email_activities",
    "goals",
    "group_limits",
    "site_messages",
    "site_tracking_domains",
    "sms",
    "task_outcomes",
    "tasktype_outcome_rels",
)


def test_given_an_account_without_the_optional_features_when_read_then_exit_0_with_one_warning_per_skipped_stream(
    start_emulator, inputs: ConnectorInputs
) -> None:
    emulator = start_emulator(
        contacts=20,
        missing_resources=",".join([*(STREAM_COLLECTIONS[stream] for stream in _OPTIONAL_STREAMS), "customObjects"]),
        activities_require_contact=True,
    )
    discovery = run_main(inputs.args("discover", emulator_config(emulator)))
    discovered = discovery.of_type("CATALOG")[0]["catalog"]
    streams = {
        **dict.fromkeys(_OPTIONAL_STREAMS, "full_refresh"),
        "activities": "incremental",
        "tags": "full_refresh",
    }

    run = _read(emulator, inputs, streams, discovered)

    assert run.exit_code == 0, run.error_messages()
    # Discovery finds no custom objects, and says why, once.
    assert not [stream["name"] for stream in discovered["streams"] if stream["name"].startswith("custom_object")]
    assert [warning for warning in discovery.logs("WARN") if warning.startswith("Skipping stream")] == [
        f"Skipping stream 'custom_objects': ActiveCampaign answered {emulator.url}/api/3/customObjects/schemas with "
        'HTTP 404 ("Unknown resource: customObjects"). Accounts without the feature it belongs to answer so; '
        "deselect the stream to silence this warning."
    ]
    assert set(run.records_by_stream()) == {"tags"}
    skipped = [warning for warning in run.logs("WARN") if warning.startswith("Skipping stream")]
    assert sorted(warning.split("'")[1] for warning in skipped) == sorted([*_OPTIONAL_STREAMS, "activities"])
    assert all(" with HTTP 404 (" in warning for warning in skipped if "'activities'" not in warning)
    assert any("'activities'" in warning and "one contact at a time" in warning for warning in skipped)
