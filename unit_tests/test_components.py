"""The custom components, one behaviour per case."""

import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests
from airbyte_cdk.sources.declarative.parsers.model_to_component_factory import ModelToComponentFactory
from airbyte_cdk.sources.declarative.requesters.error_handlers import HttpResponseFilter
from airbyte_cdk.sources.streams.http.error_handlers.response_models import ResponseAction

from source_activecampaign.components import (
    ApiTokenAuthenticator,
    DealsAccessExtractor,
    PackagedSchemaLoader,
    RangeStateToCursorState,
    UnusableStateReset,
    WarnOnIgnoreErrorHandler,
    _drop_redirect_target,
    is_restricted_deal,
)
from source_activecampaign.custom_objects import FieldListToColumns
from source_activecampaign.normalization import normalize_value

ISO = {"type": ["null", "string"], "format": "date-time", "airbyte_type": "timestamp_with_timezone"}
NAIVE = {"type": ["null", "string"], "format": "date-time", "airbyte_type": "timestamp_without_timezone"}
DATE = {"type": ["null", "string"], "format": "date"}
INTEGER = {"type": ["null", "integer"]}
NUMBER = {"type": ["null", "number"]}
BOOLEAN = {"type": ["null", "boolean"]}
STRING = {"type": ["null", "string"]}


@pytest.mark.parametrize(
    "value, field_schema, expected",
    [
        pytest.param("2024-02-19T13:20:49-06:00", ISO, "2024-02-19T13:20:49-06:00", id="ISO with offset kept"),
        pytest.param("2020-05-24 05:16:44", NAIVE, "2020-05-24T05:16:44", id="naive timestamp to ISO without zone"),
        pytest.param("0000-00-00 00:00:00", NAIVE, None, id="zero timestamp to null"),
        pytest.param("0000-00-00", DATE, None, id="zero date to null"),
        pytest.param("", ISO, None, id="empty timestamp to null"),
        pytest.param("2019-09-06T2:10:00-05:00", ISO, "2019-09-06T02:10:00-05:00", id="unpadded hour padded"),
        pytest.param("2018-05-10", DATE, "2018-05-10", id="date kept"),
        pytest.param("", INTEGER, None, id="empty string in integer column to null"),
        pytest.param("", NUMBER, None, id="empty string in number column to null"),
        pytest.param("", BOOLEAN, None, id="empty string in boolean column to null"),
        pytest.param("", STRING, "", id="empty string in text column kept"),
        pytest.param("12.0", INTEGER, 12, id="integral float string to int"),
        pytest.param("12.5", INTEGER, "12.5", id="fractional string left for the validator"),
        pytest.param(None, INTEGER, None, id="null kept"),
        pytest.param(7, INTEGER, 7, id="already typed kept"),
        pytest.param([], {"type": ["null", "object"]}, None, id="PHP empty map [] in an object column to null"),
        pytest.param({"a": "b"}, {"type": ["null", "object"]}, {"a": "b"}, id="object kept"),
        pytest.param([], {"type": ["null", "array"]}, [], id="empty array in an array column kept"),
    ],
)
def test_normalize_value(value: Any, field_schema: dict[str, Any], expected: Any) -> None:
    assert normalize_value(value, field_schema) == expected


@pytest.mark.parametrize(
    "record, restricted",
    [
        pytest.param({"title": "Bogus Deal", "id": "1", "isDisabled": True}, True, id="live restricted row"),
        pytest.param(
            {"id": "2", "isDisabled": 1, "title": "Demo Requested"}, True, id="documented restricted row (isDisabled 1)"
        ),
        pytest.param(
            {"id": "3", "title": "Full", "isDisabled": False, "mdate": "2024-01-01T00:00:00-06:00"},
            False,
            id="full row",
        ),
        pytest.param(
            {"id": "4", "title": "Disabled but full", "isDisabled": True, "mdate": "2024-01-01T00:00:00-06:00"},
            False,
            id="full row of a disabled currency",
        ),
    ],
)
def test_is_restricted_deal(record: dict[str, Any], restricted: bool) -> None:
    assert is_restricted_deal(record) is restricted


# --- state migrations ------------------------------------------------------------------------------

UDATE = "2024-02-19T13:20:49+0000"
# The CDK's concurrent form, which it converts itself.
CONCURRENT_STATE = {
    "state_type": "date-range",
    "slices": [{"start": "2024-01-01T00:00:00+0000", "end": UDATE, "most_recent_cursor_value": UDATE}],
}
# What the first read of contacts leaves: one cursor per id range, and the newest over all of them.
RANGE_STATE = {
    "use_global_cursor": False,
    "states": [
        {"partition": {"id_greater": "0", "id_less": "5001"}, "cursor": {"udate": "2024-02-01T00:00:00+0000"}},
        {"partition": {"id_greater": "5000"}, "cursor": {"udate": UDATE}},
    ],
    "state": {"udate": UDATE},
    "lookback_window": 1,
}
# What deal stages, read per pipeline, leave.
PER_PIPELINE_STATE = {
    "use_global_cursor": False,
    "states": [
        {"partition": {"parent_slice": {}, "pipeline_id": 1}, "cursor": {"udate": "2000-01-01T00:00:00+0000"}},
        {"partition": {"parent_slice": {}, "pipeline_id": 2}, "cursor": {"udate": UDATE}},
    ],
    "state": {"udate": UDATE},
    "lookback_window": 1,
    "parent_state": {},
}
_CONTACTS = {"name": "contacts", "cursor_field": "udate"}


def _with(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {**base, **changes}


def _range_state_to_cursor_state() -> RangeStateToCursorState:
    return RangeStateToCursorState(cursor_field="{{ parameters['cursor_field'] }}", config={}, parameters=_CONTACTS)


def _unusable_state_reset() -> UnusableStateReset:
    return UnusableStateReset(cursor_field="{{ parameters['cursor_field'] }}", config={}, parameters=_CONTACTS)


@pytest.mark.parametrize(
    "state, migrated",
    [
        pytest.param(RANGE_STATE, {"udate": UDATE}, id="range state to its newest cursor"),
        pytest.param(_with(RANGE_STATE, states=[]), {"udate": UDATE}, id="no range has a cursor yet"),
        pytest.param({}, None, id="empty state"),
        pytest.param({"udate": UDATE}, None, id="already a cursor state"),
        pytest.param(_with(RANGE_STATE, udate=UDATE), None, id="cursor at the top beside ranges"),
        # A first read killed before every range was done: no overall cursor, so it starts over.
        pytest.param({"states": RANGE_STATE["states"]}, {}, id="ranges without an overall cursor"),
        pytest.param(_with(RANGE_STATE, state={}), {}, id="overall state without the cursor field"),
        pytest.param(_with(RANGE_STATE, state="garbage"), {}, id="overall state not an object"),
        pytest.param(CONCURRENT_STATE, None, id="concurrent form"),
    ],
)
def test_range_state_to_cursor_state(
    state: dict[str, Any], migrated: dict[str, Any] | None, caplog: pytest.LogCaptureFixture
) -> None:
    migration = _range_state_to_cursor_state()

    assert migration.should_migrate(state) is (migrated is not None)
    if migrated is not None:
        assert migration.migrate(state) == migrated
    interrupted = any("The first sync of stream 'contacts' was interrupted" in r.message for r in caplog.records)
    assert interrupted is (migrated == {})


# What a first read of deals in windows of creation time leaves when it is killed: the windows the CDK
# has closed carry their newest mdate, the others the first read's start.
START = "2000-01-01T00:00:00+0000"
A, B, C = "2023-01-02T08:00:00-06:00", "2023-07-14T16:30:00-05:00", "2024-01-05T09:00:00-06:00"
_DEALS = {"name": "deals", "cursor_field": "mdate"}


def _window(lower: str, upper: str | None, mdate: str) -> dict[str, Any]:
    partition = {"created_after": lower, **({"created_before": upper} if upper else {})}
    return {"partition": partition, "cursor": {"mdate": mdate}}


def _windows_migration(first_read_start: str = START) -> RangeStateToCursorState:
    return RangeStateToCursorState(
        cursor_field="{{ parameters['cursor_field'] }}",
        config={},
        parameters=_DEALS,
        lower_bound_key="created_after",
        upper_bound_key="created_before",
        first_read_start=first_read_start,
    )


@pytest.mark.parametrize(
    "windows, first_read_start, migrated",
    [
        pytest.param(
            [_window(A, B, "2024-02-01T10:00:00-0600"), _window(B, C, START), _window(C, None, START)],
            START,
            {"mdate": B},
            id="first window closed: from the second's lower bound",
        ),
        pytest.param(
            [_window(B, C, "2024-02-01T10:00:00-0600"), _window(A, B, START)],
            START,
            {"mdate": A},
            id="a later window closed first: from the lowest unfinished one, whatever the order",
        ),
        pytest.param(
            [_window(A, B, "2024-02-01T10:00:00-0600"), _window(B, C, "2024-02-02T10:00:00-0600")],
            START,
            {"mdate": C},
            id="every window begun is closed: from the upper bound of the last (the next was not begun)",
        ),
        pytest.param(
            [_window(A, B, "2024-02-01T10:00:00-0600"), _window(B, None, "2024-02-02T10:00:00-0600")],
            START,
            {"mdate": B},
            id="the open-ended last window closed too: from its lower bound",
        ),
        pytest.param(
            [_window(A, B, "2024-01-01T00:00:00+0000"), _window(B, None, "2024-02-02T10:00:00-0600")],
            "2024-01-01T00:00:00+0000",
            {"mdate": A},
            id="a window still at the start date is not finished",
        ),
        pytest.param(
            [_window(A, B, "2024-02-01T10:00:00-0600"), {"partition": {}, "cursor": {"mdate": START}}],
            START,
            {},
            id="a partition without a lower bound: start over",
        ),
        pytest.param(
            [_window(A, B, "2024-02-01T10:00:00-0600"), _window("garbage", None, START)],
            START,
            {},
            id="a lower bound that is not a date-time: start over",
        ),
    ],
)
def test_interrupted_first_read_in_creation_windows_resumes_from_the_first_unfinished_window(
    windows: list[dict[str, Any]], first_read_start: str, migrated: dict[str, Any]
) -> None:
    state = {"use_global_cursor": False, "states": windows, "lookback_window": 0}
    migration = _windows_migration(first_read_start)

    assert migration.should_migrate(state) is True
    assert migration.migrate(state) == migrated


def test_finished_first_read_in_creation_windows_continues_from_its_newest_cursor() -> None:
    state = {
        "use_global_cursor": False,
        "states": [_window(A, B, "2024-02-01T10:00:00-0600"), _window(B, None, "2024-02-05T10:00:00-0600")],
        "state": {"mdate": "2024-02-05T10:00:00-0600"},
        "lookback_window": 12,
    }

    assert _windows_migration().migrate(state) == {"mdate": "2024-02-05T10:00:00-0600"}


@pytest.mark.parametrize(
    "state",
    [
        pytest.param({}, id="empty state: nothing to resume from, nothing to reset"),
        pytest.param({"udate": "2024-02-19T13:20:49-06:00"}, id="ISO with offset"),
        pytest.param({"udate": UDATE}, id="the CDK's own format"),
        pytest.param({"udate": "2024-02-19 13:20:49"}, id="naive timestamp"),
        pytest.param({"udate": "2024-02-19"}, id="date"),
        pytest.param(CONCURRENT_STATE, id="concurrent form, left to the CDK"),
        pytest.param(PER_PIPELINE_STATE, id="per-partition form with a cursor in every partition"),
        pytest.param(_with(PER_PIPELINE_STATE, states=[]), id="per-partition form, overall cursor only"),
        pytest.param({"states": PER_PIPELINE_STATE["states"]}, id="per-partition form, partition cursors only"),
    ],
)
def test_given_a_usable_state_then_it_is_kept(state: dict[str, Any]) -> None:
    assert _unusable_state_reset().should_migrate(state) is False


@pytest.mark.parametrize(
    "state, named",
    [
        pytest.param({"udate": "garbage"}, '"garbage"', id="garbage cursor"),
        pytest.param({"last_seen_id": 17}, "null", id="missing cursor"),
        pytest.param({"udate": None}, "null", id="null cursor"),
        pytest.param({"udate": ""}, '""', id="empty cursor"),
        pytest.param({"udate": "0000-00-00 00:00:00"}, '"0000-00-00 00:00:00"', id="zero date"),
        pytest.param({"udate": 1708370449}, "1708370449", id="epoch seconds"),
        pytest.param({"udate": "2024-13-45T00:00:00+0000"}, '"2024-13-45T00:00:00+0000"', id="impossible date"),
        pytest.param({"state_type": "date-range"}, "null", id="half of the concurrent form"),
        pytest.param(
            _with(
                PER_PIPELINE_STATE,
                states=[{"partition": {"pipeline_id": 1}, "cursor": {"udate": "garbage"}}],
            ),
            '"garbage"',
            id="per-partition form, one partition's cursor garbage",
        ),
        pytest.param(
            _with(PER_PIPELINE_STATE, states=[{"partition": {"pipeline_id": 1}, "cursor": {}}]),
            "null",
            id="per-partition form, one partition without a cursor",
        ),
        pytest.param(
            _with(PER_PIPELINE_STATE, states=["garbage"]), '"garbage"', id="per-partition entry not an object"
        ),
        pytest.param(_with(PER_PIPELINE_STATE, states="garbage"), '"garbage"', id="partitions not a list"),
        pytest.param(_with(PER_PIPELINE_STATE, state={"udate": "later"}), '"later"', id="overall cursor garbage"),
    ],
)
def test_given_an_unusable_state_then_it_is_dropped_with_a_warning_naming_the_value(
    state: dict[str, Any], named: str, caplog: pytest.LogCaptureFixture
) -> None:
    migration = _unusable_state_reset()

    assert migration.should_migrate(state) is True
    assert migration.migrate(state) == {}
    assert caplog.messages == [
        f"The saved state of stream 'contacts' cannot be resumed from: its 'udate' is {named}, not a date-time. "
        "The stream syncs again from the start date (or from the beginning); records synced before are read "
        "again and nothing is skipped."
    ]


@pytest.mark.parametrize(
    "state, resumed_from",
    [
        pytest.param(RANGE_STATE, {"udate": UDATE}, id="range state: resumes from its newest cursor"),
        pytest.param(_with(RANGE_STATE, state={"udate": "garbage"}), {}, id="range state with a garbage cursor: reset"),
        pytest.param({"udate": UDATE}, {"udate": UDATE}, id="cursor state: as it is"),
        pytest.param({}, {}, id="no state"),
    ],
)
def test_contacts_incremental_state_after_both_migrations_in_the_manifests_order(
    state: dict[str, Any], resumed_from: dict[str, Any]
) -> None:
    migrations = [_range_state_to_cursor_state(), _unusable_state_reset()]

    assert ModelToComponentFactory.apply_stream_state_migrations(migrations, dict(state)) == resumed_from


def _response(body: dict[str, Any]) -> requests.Response:
    response = requests.Response()
    response.status_code = 200
    response._content = json.dumps(body).encode()
    return response


def test_deals_access_extractor_warns_once_and_keeps_every_row(caplog: pytest.LogCaptureFixture) -> None:
    extractor = DealsAccessExtractor(field_path=["deals"], config={}, parameters={})
    page = {
        "deals": [
            {"title": "A", "id": "1", "isDisabled": True},
            {"id": "2", "mdate": "2024-01-01T00:00:00-06:00"},
            {"title": "B", "id": "3", "isDisabled": True},
        ]
    }

    first_page = list(extractor.extract_records(_response(page)))
    second_page = list(extractor.extract_records(_response(page)))

    assert [row["id"] for row in first_page + second_page] == ["1", "2", "3", "1", "2", "3"]
    assert sum("Manage pipeline" in message for message in caplog.messages) == 1


def test_api_token_authenticator_sets_the_header_and_refuses_to_follow_redirects() -> None:
    authenticator = ApiTokenAuthenticator(
        api_token="{{ config['api_key'] }}", config={"api_key": "k-123"}, parameters={}
    )
    request = requests.Request("GET", "https://acct.api-us1.com/api/3/users/me").prepare()

    authenticator(request)
    redirect = requests.Response()
    redirect.status_code = 302
    redirect.headers["Location"] = "https://www.activecampaign.com/login/"
    for hook in request.hooks["response"]:
        hook(redirect)

    assert request.headers["Api-Token"] == "k-123"
    assert redirect.status_code == 302 and not redirect.is_redirect


def test_redirect_hook_leaves_ordinary_responses_alone() -> None:
    response = requests.Response()
    response.status_code = 200
    response.headers["Location"] = "https://acct.api-us1.com/api/3/contacts/1"

    _drop_redirect_target(response)

    assert response.headers["Location"] == "https://acct.api-us1.com/api/3/contacts/1"


class _FakeRecord:
    def __init__(self, data):
        self.data = data


class _FakePartition:
    def __init__(self, rows):
        self._rows = rows

    def read(self):
        return [_FakeRecord(row) for row in self._rows]


class _FieldDefinitionsStream:
    """Stands in for the custom_fields stream: one partition of definitions, counting reads."""

    def __init__(self, rows):
        self.rows = rows
        self.reads = 0

    def generate_partitions(self):
        self.reads += 1
        return [_FakePartition(self.rows)]


CONTACT_FIELDS = [
    {"id": "2", "perstag": "TIER", "type": "dropdown"},
    {"id": "3", "perstag": "RENEWAL", "type": "date"},
    {"id": "4", "perstag": "", "type": "text"},
]


def _contacts_extractor(stream, enabled: bool = True):
    from source_activecampaign.custom_fields import SideloadedCustomFieldsExtractor

    return SideloadedCustomFieldsExtractor(
        field_path=["contacts"],
        config={"extract_contact_custom_fields": enabled},
        parameters={},
        sideload_field="fieldValues",
        record_id_key="contact",
        field_id_key="field",
        value_key="value",
        name_key="perstag",
        fields_stream=stream,
        enabled="{{ config['extract_contact_custom_fields'] }}",
    )


def test_sideloaded_custom_fields_become_columns_named_by_perstag_without_overwriting() -> None:
    stream = _FieldDefinitionsStream(CONTACT_FIELDS)
    extractor = _contacts_extractor(stream)
    page = {
        "contacts": [{"id": "7", "email": "a@example.com"}, {"id": "8", "email": "b@example.com", "TIER": "kept"}],
        "fieldValues": [
            {"contact": "7", "field": "2", "value": "Gold"},
            {"contact": "7", "field": "3", "value": "2025-01-31"},
            {"contact": "8", "field": "2", "value": "Silver"},
            {"contact": "7", "field": "99", "value": "unknown field"},
        ],
    }

    records = list(extractor.extract_records(_response(page))) + list(extractor.extract_records(_response(page)))

    assert records[0] == {"id": "7", "email": "a@example.com", "TIER": "Gold", "RENEWAL": "2025-01-31"}
    assert records[1] == {"id": "8", "email": "b@example.com", "TIER": "kept"}
    assert stream.reads == 1


def test_given_the_option_off_when_the_page_carries_values_for_another_stream_then_no_columns_are_added() -> None:
    # custom_field_values reads the same pages (include=fieldValues) as contacts.
    stream = _FieldDefinitionsStream(CONTACT_FIELDS)
    page = {"contacts": [{"id": "7"}], "fieldValues": [{"contact": "7", "field": "2", "value": "Gold"}]}

    records = list(_contacts_extractor(stream, enabled=False).extract_records(_response(page)))

    assert records == [{"id": "7"}]
    assert stream.reads == 0


def test_without_sideloaded_values_the_field_definitions_are_never_read() -> None:
    stream = _FieldDefinitionsStream(CONTACT_FIELDS)

    records = list(
        _contacts_extractor(stream).extract_records(_response({"contacts": [{"id": "7"}], "scoreValues": []}))
    )

    assert records == [{"id": "7"}]
    assert stream.reads == 0


@pytest.mark.parametrize(
    "enabled, expected_columns",
    [
        pytest.param(
            "{{ config.get('extract_contact_custom_fields', False) }}",
            {"TIER": {"type": ["null", "string"]}, "RENEWAL": {"type": ["null", "string"], "format": "date"}},
            id="option on",
        ),
        pytest.param("{{ config.get('missing_option', False) }}", {}, id="option off"),
    ],
)
def test_custom_field_columns_schema(enabled: str, expected_columns: dict[str, Any]) -> None:
    from source_activecampaign.custom_fields import CustomFieldColumnsSchemaLoader

    loader = CustomFieldColumnsSchemaLoader(
        fields_stream=_FieldDefinitionsStream(CONTACT_FIELDS),
        name_key="perstag",
        type_key="type",
        config={"extract_contact_custom_fields": True},
        parameters={},
        enabled=enabled,
    )

    assert loader.get_json_schema()["properties"] == expected_columns


def _ranges(width: int, count: int) -> list[dict[str, str]]:
    bounded = [{"id_greater": str(i * width), "id_less": str((i + 1) * width + 1)} for i in range(count - 1)]
    return [*bounded, {"id_greater": str((count - 1) * width)}]


@pytest.mark.parametrize(
    "newest_id, expected",
    [
        pytest.param(0, [{"id_greater": "0"}], id="no contacts: one open range"),
        pytest.param(1, [{"id_greater": "0"}], id="one contact: one open range"),
        pytest.param(300, _ranges(100, 3), id="smaller than a page per sequence: a range a page"),
        pytest.param(2_000, _ranges(500, 4), id="2,000: four ranges of 500"),
        pytest.param(6_000, _ranges(1_500, 4), id="6,000: four equal ranges, not 5,000 + 1,000"),
        pytest.param(20_000, _ranges(2_500, 8), id="20,000: two rounds of four"),
        pytest.param(20_001, _ranges(1_667, 12), id="just past two rounds: three rounds of equal ranges"),
        pytest.param(1_000_000, _ranges(2_500, 400), id="a million: 400 ranges of 2,500"),
    ],
)
def test_id_ranges_are_equal_bounded_a_multiple_of_the_sequences_and_leave_the_last_open(
    newest_id: int, expected: list
) -> None:
    from source_activecampaign.contact_ranges import id_ranges

    assert id_ranges(newest_id, 2_500, 4, 100) == expected


@pytest.mark.parametrize(
    "record, expected",
    [
        pytest.param(
            {"id": "r1", "fields": [{"id": "order-total", "value": 12.5}, {"id": "colors", "value": ["red", "blue"]}]},
            {"id": "r1", "order-total": 12.5, "colors": ["red", "blue"]},
            id="each field becomes a column named by its id",
        ),
        pytest.param(
            {"id": "r1", "fields": [{"id": "code", "value": "12"}, {"id": "note", "value": "None"}]},
            {"id": "r1", "code": "12", "note": "None"},
            id="text values kept as text, never literal-evaluated",
        ),
        pytest.param(
            {"id": "r1", "fields": [{"id": "placed-on", "value": None}]},
            {"id": "r1", "placed-on": None},
            id="an empty field is a null column",
        ),
        pytest.param(
            {
                "id": "r1",
                "externalId": "ext-1",
                "fields": [{"id": "id", "value": "x"}, {"id": "externalId", "value": "y"}],
            },
            {"id": "r1", "externalId": "ext-1"},
            id="a field named like a record column does not replace it",
        ),
        pytest.param({"id": "r1", "fields": []}, {"id": "r1"}, id="no fields"),
        pytest.param({"id": "r1"}, {"id": "r1"}, id="no fields list at all"),
        pytest.param(
            {"id": "r1", "fields": "not a list"},
            {"id": "r1", "fields": "not a list"},
            id="anything else is left as it is",
        ),
        pytest.param(
            {"id": "r1", "fields": [{"value": 1}, "junk", {"id": 7, "value": 2}, {"id": "ok", "value": 3}]},
            {"id": "r1", "ok": 3},
            id="entries without a text id are skipped",
        ),
    ],
)
def test_field_list_to_columns(record: dict[str, Any], expected: dict[str, Any]) -> None:
    FieldListToColumns(list_field="fields", name_key="id", value_key="value", config={}, parameters={}).transform(
        record
    )

    assert record == expected


@pytest.mark.parametrize(
    "schema_name, parameters, expected_columns",
    [
        pytest.param("", {"name": "goals"}, "cdate", id="the stream's own file by default"),
        pytest.param("custom_objects", {"name": "custom_object_orders"}, "schemaId", id="a shared file by name"),
    ],
)
def test_packaged_schema_loader_reads_the_named_file(
    schema_name: str, parameters: dict[str, Any], expected_columns: str
) -> None:
    loader = PackagedSchemaLoader(config={}, parameters=parameters, schema_name=schema_name)

    assert expected_columns in loader.get_json_schema()["properties"]


def test_warn_on_ignore_error_handler_warns_once_per_stream_across_threads(caplog: pytest.LogCaptureFixture) -> None:
    handler = WarnOnIgnoreErrorHandler(
        config={},
        parameters={},
        response_filters=[
            HttpResponseFilter(
                config={}, parameters={}, http_codes={404}, action="IGNORE", error_message="Skipping stream 'x'"
            )
        ],
    )
    not_found = requests.Response()
    not_found.status_code = 404

    with ThreadPoolExecutor(max_workers=8) as pool:
        actions = list(pool.map(lambda _: handler.interpret_response(not_found).response_action, range(40)))

    assert set(actions) == {ResponseAction.IGNORE}
    assert [record.message for record in caplog.records if record.levelname == "WARNING"] == ["Skipping stream 'x'"]
