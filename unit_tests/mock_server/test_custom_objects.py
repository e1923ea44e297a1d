"""Custom objects: one stream per schema of the account, its fields as typed columns.

Manifest: `dynamic_streams` (an HttpComponentsResolver over GET /customObjects/schemas names each
stream custom_object_<slug> and points it at /customObjects/records/<schema id>) and
`custom_object_records_stream`, the template: columns typed by a DynamicSchemaLoader over GET
/customObjects/schemas/<id>, records offset-paged, their `fields` list turned into columns,
incremental on updatedTimestamp client side. 403 on custom objects skips them with a warning.
"""

import json
import logging
from typing import Any
from unittest import TestCase

from airbyte_cdk.models import AirbyteStream, SyncMode
from airbyte_cdk.test.catalog_builder import CatalogBuilder
from airbyte_cdk.test.entrypoint_wrapper import EntrypointOutput, read
from airbyte_cdk.test.mock_http import HttpMocker, HttpResponse
from airbyte_cdk.test.state_builder import StateBuilder
from freezegun import freeze_time

from source_activecampaign.source import SourceActivecampaign
from testing.retry_waits import retry_waits_skipped
from unit_tests.mock_server.config import ConfigBuilder
from unit_tests.mock_server.read_helpers import warnings_of
from unit_tests.mock_server.request_builder import ActiveCampaignRequestBuilder
from unit_tests.mock_server.response_builder import collection_response, error_response

ORDERS_ID = "6449c3f3-b68d-46d1-850b-c8aea998ce1b"
APPOINTMENTS_ID = "0b1e4a4c-93d2-4f4e-8c3d-2a6f1f5f7e10"

# Two schemas of different shapes, as GET /customObjects/schemas lists them
# (https://developers.activecampaign.com/reference/list-all-schemas).
ORDERS_SCHEMA = {
    "id": ORDERS_ID,
    "slug": "shop-order",
    "labels": {"singular": "Shop order", "plural": "Shop orders"},
    "fields": [
        {"id": "order-total", "labels": {"singular": "Total"}, "type": "currency", "required": False},
        {"id": "items", "labels": {"singular": "Items"}, "type": "number", "required": False, "scale": 0},
        {"id": "placed-on", "labels": {"singular": "Placed on"}, "type": "date", "required": False},
        {"id": "shipped-at", "labels": {"singular": "Shipped at"}, "type": "datetime", "required": False},
        {"id": "gift-note", "labels": {"singular": "Gift note"}, "type": "textarea", "required": False},
    ],
    "relationships": [{"id": "primary-contact", "namespace": "contacts", "hasMany": False}],
    "createdTimestamp": "2021-04-16T15:08:25.783751329Z",
    "updatedTimestamp": "2021-04-16T15:08:25.783751329Z",
}
APPOINTMENTS_SCHEMA = {
    "id": APPOINTMENTS_ID,
    "slug": "appointment",
    "labels": {"singular": "Appointment", "plural": "Appointments"},
    "fields": [
        {"id": "kind", "type": "dropdown", "options": [{"id": "demo", "value": "demo"}]},
        {"id": "topics", "type": "multiselect", "options": [{"id": "pricing", "value": "pricing"}]},
        {"id": "organizer", "type": "text"},
    ],
    "relationships": [{"id": "primary-contact", "namespace": "contacts", "hasMany": True}],
    "createdTimestamp": "2022-12-05T22:11:23.493594210Z",
    "updatedTimestamp": "2022-12-05T22:11:23.493594210Z",
}

SCHEMAS_PAGE = ActiveCampaignRequestBuilder.collection("customObjects/schemas").with_offset_page(0)


def _schemas_response(*schemas: dict[str, Any]) -> HttpResponse:
    return collection_response("schemas", list(schemas), total=len(schemas))


def _given_schemas(http_mocker: HttpMocker, *schemas: dict[str, Any], read: dict[str, Any] | None = None) -> None:
    """The account's schemas; the definition of each is fetched when its stream's columns are
    needed: every stream's on discover, only the one read on a read."""
    http_mocker.get(SCHEMAS_PAGE.build(), _schemas_response(*schemas))
    for schema in schemas if read is None else [read]:
        http_mocker.get(
            ActiveCampaignRequestBuilder.collection(f"customObjects/schemas/{schema['id']}").build(),
            HttpResponse(json.dumps({"schema": schema}), 200),
        )


def _order(number: int, updated: str = "2024-02-20T10:00:00.123456789Z") -> dict[str, Any]:
    return {
        "id": f"00000000-0000-0000-0000-{number:012d}",
        "externalId": f"order-{number}",
        "schemaId": ORDERS_ID,
        "fields": [
            {"id": "order-total", "value": 129.5},
            {"id": "items", "value": 3},
            {"id": "placed-on", "value": "2024-02-19"},
            {"id": "shipped-at", "value": "2024-02-20T09:30:00Z"},
            {"id": "gift-note", "value": "12"},
        ],
        "relationships": {"primary-contact": [str(number)]},
        "createdTimestamp": "2024-02-19T08:00:00.000000001Z",
        "updatedTimestamp": updated,
    }


def _order_row(number: int, updated: str = "2024-02-20T10:00:00.123456Z") -> dict[str, Any]:
    return {
        "id": f"00000000-0000-0000-0000-{number:012d}",
        "externalId": f"order-{number}",
        "schemaId": ORDERS_ID,
        "order-total": 129.5,
        "items": 3,
        "placed-on": "2024-02-19",
        "shipped-at": "2024-02-20T09:30:00Z",
        "gift-note": "12",
        "relationships": {"primary-contact": [str(number)]},
        "createdTimestamp": "2024-02-19T08:00:00.000000Z",
        "updatedTimestamp": updated,
    }


def _records_page(schema_id: str, offset: int):
    return ActiveCampaignRequestBuilder.collection(f"customObjects/records/{schema_id}").with_offset_page(offset)


def _discover() -> dict[str, AirbyteStream]:
    config = ConfigBuilder().build()
    catalog = SourceActivecampaign(config=config).discover(logging.getLogger("airbyte"), config)
    return {stream.name: stream for stream in catalog.streams}


def _read(stream_name: str, sync_mode: SyncMode = SyncMode.full_refresh, state=None) -> EntrypointOutput:
    config = ConfigBuilder().without_deletion_checks().build()
    catalog = CatalogBuilder().with_stream(stream_name, sync_mode).build()
    return read(SourceActivecampaign(config=config, catalog=catalog, state=state), config, catalog, state)


class TestCustomObjectStreams(TestCase):
    @HttpMocker()
    def test_given_two_schemas_when_discover_then_one_stream_each_with_fields_typed_by_their_definitions(
        self, http_mocker: HttpMocker
    ) -> None:
        _given_schemas(http_mocker, ORDERS_SCHEMA, APPOINTMENTS_SCHEMA)

        streams = _discover()

        assert sorted(name for name in streams if name.startswith("custom_object")) == [
            "custom_object_appointment",
            "custom_object_shop_order",
        ]
        orders = streams["custom_object_shop_order"]
        assert orders.source_defined_primary_key == [["id"]]
        assert orders.default_cursor_field == ["updatedTimestamp"]
        assert set(orders.supported_sync_modes) == {SyncMode.full_refresh, SyncMode.incremental}
        columns = orders.json_schema["properties"]
        assert {name: columns[name] for name in ("order-total", "items", "placed-on", "shipped-at", "gift-note")} == {
            "order-total": {"type": ["null", "number"]},
            "items": {"type": ["null", "number"]},
            "placed-on": {"type": ["null", "string"], "format": "date"},
            "shipped-at": {"type": ["null", "string"], "format": "date-time"},
            "gift-note": {"type": ["null", "string"]},
        }
        appointments = streams["custom_object_appointment"].json_schema["properties"]
        assert {name: appointments[name] for name in ("kind", "topics", "organizer")} == {
            "kind": {"type": ["null", "string"]},
            "topics": {"type": ["null", "array"], "items": {"type": ["null", "string"]}},
            "organizer": {"type": ["null", "string"]},
        }
        for properties in (columns, appointments):
            assert {"id", "externalId", "schemaId", "relationships", "createdTimestamp", "updatedTimestamp"} <= set(
                properties
            )

    @HttpMocker()
    def test_given_a_schema_definition_answered_first_with_an_html_page_when_discover_then_retried_not_from_cache(
        self, http_mocker: HttpMocker
    ) -> None:
        http_mocker.get(SCHEMAS_PAGE.build(), _schemas_response(ORDERS_SCHEMA))
        http_mocker.get(
            ActiveCampaignRequestBuilder.collection(f"customObjects/schemas/{ORDERS_ID}").build(),
            [
                HttpResponse("<html><body>Maintenance</body></html>", 200, {"Content-Type": "text/html"}),
                HttpResponse(json.dumps({"schema": ORDERS_SCHEMA}), 200),
            ],
        )

        with retry_waits_skipped():
            streams = _discover()

        assert streams["custom_object_shop_order"].json_schema["properties"]["order-total"] == {
            "type": ["null", "number"]
        }

    @HttpMocker()
    def test_given_a_field_named_like_a_record_column_when_discover_then_the_record_column_keeps_its_type(
        self, http_mocker: HttpMocker
    ) -> None:
        _given_schemas(http_mocker, {**APPOINTMENTS_SCHEMA, "fields": [{"id": "schemaId", "type": "number"}]})

        columns = _discover()["custom_object_appointment"].json_schema["properties"]

        assert columns["schemaId"]["type"] == ["null", "string"]

    @HttpMocker()
    def test_given_no_schemas_when_discover_then_only_the_fixed_streams(self, http_mocker: HttpMocker) -> None:
        http_mocker.get(SCHEMAS_PAGE.build(), _schemas_response())

        streams = _discover()

        assert len(streams) == 65
        assert not [name for name in streams if name.startswith("custom_object")]

    @HttpMocker()
    def test_given_a_plan_without_custom_objects_when_discover_then_a_warning_and_the_fixed_streams(
        self, http_mocker: HttpMocker
    ) -> None:
        http_mocker.get(SCHEMAS_PAGE.build(), error_response(403, {"message": "Forbidden"}))

        with self.assertLogs("airbyte", level="WARNING") as logs:
            streams = _discover()

        assert len(streams) == 65
        assert [record.getMessage() for record in logs.records if record.levelname == "WARNING"] == [
            "Skipping stream 'custom_objects': ActiveCampaign answered "
            "https://testaccount.api-us1.com/api/3/customObjects/schemas with HTTP 403. Custom objects "
            "need a plan that has them, and listing their records needs an admin user's API key."
        ]


@freeze_time("2024-03-01T12:00:00Z")
class TestCustomObjectRecords(TestCase):
    @HttpMocker()
    def test_given_two_pages_when_read_then_every_record_with_its_fields_as_columns(
        self, http_mocker: HttpMocker
    ) -> None:
        _given_schemas(http_mocker, ORDERS_SCHEMA, APPOINTMENTS_SCHEMA, read=ORDERS_SCHEMA)
        http_mocker.get(
            _records_page(ORDERS_ID, 0).build(),
            collection_response("records", [_order(number) for number in range(1, 101)], total=101),
        )
        http_mocker.get(_records_page(ORDERS_ID, 100).build(), collection_response("records", [_order(101)], total=101))

        output = _read("custom_object_shop_order")

        assert output.errors == []
        assert [record.record.data for record in output.records] == [_order_row(number) for number in range(1, 102)]

    @HttpMocker()
    def test_given_state_when_read_incrementally_then_only_changed_records_and_the_state_moves_to_the_newest(
        self, http_mocker: HttpMocker
    ) -> None:
        _given_schemas(http_mocker, ORDERS_SCHEMA, APPOINTMENTS_SCHEMA, read=ORDERS_SCHEMA)
        http_mocker.get(
            _records_page(ORDERS_ID, 0).build(),
            collection_response(
                "records",
                [
                    _order(1, updated="2024-01-05T10:00:00.000000001Z"),
                    _order(2, updated="2024-02-25T16:30:00.987654321Z"),
                ],
                total=2,
            ),
        )
        state = StateBuilder().with_stream_state(
            "custom_object_shop_order", {"updatedTimestamp": "2024-02-10T00:00:00+0000"}
        )

        output = _read("custom_object_shop_order", SyncMode.incremental, state.build())

        assert [record.record.data for record in output.records] == [_order_row(2, "2024-02-25T16:30:00.987654Z")]
        assert output.most_recent_state.stream_state.__dict__ == {"updatedTimestamp": "2024-02-25T16:30:00+0000"}

    @HttpMocker()
    def test_given_a_user_who_may_not_list_records_when_read_then_the_stream_is_skipped_with_a_warning(
        self, http_mocker: HttpMocker
    ) -> None:
        _given_schemas(http_mocker, ORDERS_SCHEMA, APPOINTMENTS_SCHEMA, read=ORDERS_SCHEMA)
        http_mocker.get(_records_page(ORDERS_ID, 0).build(), error_response(403, {"message": "Forbidden"}))

        output = _read("custom_object_shop_order")

        assert output.records == [] and output.errors == []
        assert warnings_of(output) == [
            "Skipping stream 'custom_object_shop_order': ActiveCampaign answered "
            f"https://testaccount.api-us1.com/api/3/customObjects/records/{ORDERS_ID} with HTTP 403. "
            "Custom objects need a plan that has them, and listing their records needs an admin user's API key."
        ]
