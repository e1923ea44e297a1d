"""The deletion plan: which streams are tracked, whose check is due, and the state the CDK is given."""

import datetime
from typing import Any

import pytest
from airbyte_cdk.models import AirbyteStateMessage, ConfiguredAirbyteCatalog, SyncMode
from airbyte_cdk.test.catalog_builder import CatalogBuilder, ConfiguredAirbyteStreamBuilder
from airbyte_cdk.test.state_builder import StateBuilder

from source_activecampaign.deletions.id_set import IdSet
from source_activecampaign.deletions.plan import EMITTED_IDS, LAST_CHECK, check_days, plan_deletions

NOW = datetime.datetime(2024, 3, 1, 12, 0, tzinfo=datetime.timezone.utc)
SIX_DAYS_AGO = "2024-02-24T12:00:00+00:00"
SEVEN_DAYS_AGO = "2024-02-23T12:00:00+00:00"
EMITTED = IdSet.of([1, 2, 3]).encode()
TAGS = {"updated_timestamp": "2024-02-29T00:00:00+0000"}
CONTACTS = {"udate": "2024-02-29T00:00:00+0000"}
INCREMENTAL = SyncMode.incremental


def _catalog(*streams: tuple[str, SyncMode], primary_key: list[list[str]] | None = None) -> ConfiguredAirbyteCatalog:
    builder = CatalogBuilder()
    for name, sync_mode in streams:
        stream = ConfiguredAirbyteStreamBuilder().with_name(name).with_sync_mode(sync_mode)
        if primary_key is not None:
            stream = stream.with_primary_key(primary_key)
        builder = builder.with_stream(stream)
    return builder.build()


def _state(**streams: dict[str, Any]) -> list[AirbyteStateMessage]:
    builder = StateBuilder()
    for name, stream_state in streams.items():
        builder = builder.with_stream_state(name, stream_state)
    return builder.build()


def _tracked(**keys: str) -> dict[str, Any]:
    return {EMITTED_IDS: EMITTED, **{LAST_CHECK if key == "last" else key: value for key, value in keys.items()}}


@pytest.mark.parametrize(
    "config, catalog, state, expected_due",
    [
        pytest.param({}, _catalog(("tags", INCREMENTAL)), None, {"tags": False}, id="first read: tracked, not due"),
        pytest.param(
            {},
            _catalog(("tags", INCREMENTAL)),
            _state(tags={**TAGS, **_tracked(last=SIX_DAYS_AGO)}),
            {"tags": False},
            id="checked six days ago: not due",
        ),
        pytest.param(
            {},
            _catalog(("tags", INCREMENTAL)),
            _state(tags={**TAGS, **_tracked(last=SEVEN_DAYS_AGO)}),
            {"tags": True},
            id="checked seven days ago: due",
        ),
        pytest.param(
            {"deletions_check_days": 10},
            _catalog(("tags", INCREMENTAL)),
            _state(tags={**TAGS, **_tracked(last=SEVEN_DAYS_AGO)}),
            {"tags": False},
            id="every ten days: not due",
        ),
        pytest.param(
            {"deletions_check_days": "seven"},
            _catalog(("tags", INCREMENTAL)),
            _state(tags={**TAGS, **_tracked(last=SEVEN_DAYS_AGO)}),
            {"tags": True},
            id="days not a number (the config check names it): every seven days",
        ),
        pytest.param(
            {},
            _catalog(("tags", INCREMENTAL)),
            _state(tags=TAGS),
            {"tags": False},
            id="a state saved before the feature: not due (the clock starts)",
        ),
        pytest.param(
            {},
            _catalog(("tags", INCREMENTAL)),
            _state(tags={**TAGS, EMITTED_IDS: "garbage", LAST_CHECK: SIX_DAYS_AGO}),
            {"tags": False},
            id="ids that cannot be read, checked six days ago: not due",
        ),
        pytest.param(
            {},
            _catalog(("tags", INCREMENTAL)),
            _state(tags={**TAGS, LAST_CHECK: SEVEN_DAYS_AGO}),
            {"tags": True},
            id="no ids yet, the clock started seven days ago: due, to write them down",
        ),
        pytest.param(
            {},
            _catalog(("tags", INCREMENTAL)),
            _state(tags={**TAGS, EMITTED_IDS: EMITTED}),
            {"tags": True},
            id="no time of the last check: due",
        ),
        pytest.param(
            {"deletions_check_days": 0},
            _catalog(("tags", INCREMENTAL)),
            _state(tags={**TAGS, **_tracked(last=SEVEN_DAYS_AGO)}),
            {},
            id="0 days: nothing tracked",
        ),
        pytest.param(
            {}, _catalog(("tags", SyncMode.full_refresh)), None, {}, id="full refresh: nothing tracked (overwrite)"
        ),
        pytest.param(
            {},
            _catalog(("tags", INCREMENTAL), primary_key=[["id"], ["tag"]]),
            None,
            {},
            id="a primary key of two fields: not tracked",
        ),
        pytest.param({}, None, None, {}, id="no catalog (discover, check)"),
        pytest.param(
            {},
            _catalog(("contacts", INCREMENTAL), ("contact_tags", INCREMENTAL), ("tags", INCREMENTAL)),
            _state(
                contacts={**CONTACTS, **_tracked(last=SIX_DAYS_AGO)},
                contact_tags={**TAGS, **_tracked(last=SEVEN_DAYS_AGO)},
                tags={**TAGS, **_tracked(last=SIX_DAYS_AGO)},
            ),
            {"contacts": True, "contact_tags": True, "tags": False},
            id="a child of the contacts pages due: contacts checks with it",
        ),
        pytest.param(
            {},
            _catalog(("contacts", INCREMENTAL), ("contact_tags", INCREMENTAL)),
            _state(contacts={**CONTACTS, **_tracked(last=SEVEN_DAYS_AGO)}),
            {"contacts": True, "contact_tags": False},
            id="contacts due, its child on its first read: the child does not check",
        ),
    ],
)
def test_given_a_catalog_and_state_then_the_plan_tracks_and_checks_the_expected_streams(
    config: dict[str, Any],
    catalog: ConfiguredAirbyteCatalog | None,
    state: list[AirbyteStateMessage] | None,
    expected_due: dict[str, bool],
) -> None:
    plan, _ = plan_deletions(config, catalog, state, NOW)

    assert {name: stream.due for name, stream in plan.streams.items()} == expected_due
    assert plan.config_entry() == {
        "sync": plan.sync,
        "checks": sorted(name for name, due in expected_due.items() if due),
        "checked_at": "2024-03-01T12:00:00+00:00",
    }


def test_given_saved_states_then_the_cdk_gets_them_without_the_deletion_keys_and_none_for_a_first_read_check() -> None:
    catalog = _catalog(("contacts", INCREMENTAL), ("tags", INCREMENTAL), ("lists", SyncMode.full_refresh))
    state = _state(
        contacts={**CONTACTS, **_tracked(last=SEVEN_DAYS_AGO)},
        tags={**TAGS, **_tracked(last=SEVEN_DAYS_AGO)},
        lists={"updated_timestamp": "2024-02-29T00:00:00+0000", **_tracked(last=SEVEN_DAYS_AGO)},
    )

    plan, for_the_cdk = plan_deletions({}, catalog, state, NOW)

    assert for_the_cdk is not None
    assert {message.stream.stream_descriptor.name: message.stream.stream_state.__dict__ for message in for_the_cdk} == {
        "tags": TAGS,
        "lists": {"updated_timestamp": "2024-02-29T00:00:00+0000"},
    }
    assert plan.streams["contacts"].due and plan.streams["contacts"].emitted == IdSet.of([1, 2, 3])
    assert plan.streams["tags"].last_check == datetime.datetime(2024, 2, 23, 12, tzinfo=datetime.timezone.utc)


@pytest.mark.parametrize(
    "state, needs_baseline",
    [
        pytest.param(None, False, id="first read: its ids are all emitted"),
        pytest.param(_state(tags={**TAGS, **_tracked(last=SIX_DAYS_AGO)}), False, id="ids written down"),
        pytest.param(_state(tags=TAGS), True, id="a state from before the feature"),
        pytest.param(_state(tags={**TAGS, EMITTED_IDS: 42}), True, id="ids that cannot be read"),
    ],
)
def test_given_a_state_then_a_stream_without_a_record_of_ids_waits_for_a_whole_read(
    state: list[AirbyteStateMessage] | None, needs_baseline: bool
) -> None:
    plan, _ = plan_deletions({}, _catalog(("tags", INCREMENTAL)), state, NOW)
    assert plan.streams["tags"].needs_baseline is needs_baseline


def test_given_no_state_then_the_cdk_gets_none() -> None:
    assert plan_deletions({}, _catalog(("tags", INCREMENTAL)), None, NOW)[1] is None


@pytest.mark.parametrize(
    "json_schema, text_ids",
    [
        pytest.param({"properties": {"id": {"type": ["null", "integer"]}}}, False, id="integer"),
        pytest.param({"properties": {"id": {"type": ["null", "string"]}}}, True, id="string (custom objects)"),
        pytest.param({}, False, id="not declared: ids as they are"),
    ],
)
def test_given_the_primary_keys_type_then_deletion_ids_are_text_only_when_declared_so(
    json_schema: dict[str, Any], text_ids: bool
) -> None:
    stream = (
        ConfiguredAirbyteStreamBuilder().with_name("tags").with_sync_mode(INCREMENTAL).with_json_schema(json_schema)
    )
    plan, _ = plan_deletions({}, CatalogBuilder().with_stream(stream).build(), None, NOW)

    assert plan.streams["tags"].text_ids is text_ids


@pytest.mark.parametrize(
    "value, days",
    [(None, 7), (0, 0), (1, 1), (365, 365), (366, 7), (-1, 7), (True, 7), ("3", 7)],
)
def test_check_days(value: Any, days: int) -> None:
    config = {} if value is None else {"deletions_check_days": value}
    assert check_days(config) == days
