"""custom_field_options: the options of choice fields, read from the fieldOptions sideload of /fields.

Manifest: `custom_field_options_stream`, `fields_offset_paginator` (offset over the fields, 100 a page,
stopping on a page of fewer than 100 fields), `record_selector` on `fieldOptions`.
"""

from typing import Any
from unittest import TestCase

from airbyte_cdk.test.mock_http import HttpMocker

from unit_tests.mock_server.config import ConfigBuilder
from unit_tests.mock_server.read_helpers import read_stream
from unit_tests.mock_server.request_builder import ActiveCampaignRequestBuilder
from unit_tests.mock_server.response_builder import collection_response, records


def _fields(count: int, start_id: int) -> list[dict[str, Any]]:
    return records(count, start_id, title="Colour", type="dropdown", udate="2024-02-19T13:20:49-06:00")


def _options(field_id: int, count: int, start_id: int) -> list[dict[str, Any]]:
    return records(count, start_id, field=str(field_id), label="Red", value="red", udate="2024-02-19T13:20:49-06:00")


class TestCustomFieldOptionsPaging(TestCase):
    @HttpMocker()
    def test_given_two_pages_of_fields_when_read_then_the_offset_follows_the_fields_not_the_options(
        self, http_mocker: HttpMocker
    ) -> None:
        # A full page of 100 fields carries 3 options, the second page 2 fields and 250 options: the
        # offset moves by the fields a page held, and the short page of fields ends the read.
        http_mocker.get(
            ActiveCampaignRequestBuilder.collection("fields").with_offset_page(0).build(),
            collection_response("fields", _fields(100, 1), sideloads={"fieldOptions": _options(7, 3, 1)}),
        )
        http_mocker.get(
            ActiveCampaignRequestBuilder.collection("fields").with_offset_page(100).build(),
            collection_response("fields", _fields(2, 101), sideloads={"fieldOptions": _options(101, 250, 4)}),
        )

        output = read_stream("custom_field_options", ConfigBuilder().build())

        assert [record.record.data["id"] for record in output.records] == list(range(1, 254))
        assert {record.record.data["field"] for record in output.records} == {7, 101}

    @HttpMocker()
    def test_given_three_full_pages_of_fields_when_read_then_each_page_asks_for_the_next_hundred(
        self, http_mocker: HttpMocker
    ) -> None:
        for page in range(3):
            http_mocker.get(
                ActiveCampaignRequestBuilder.collection("fields").with_offset_page(page * 100).build(),
                collection_response(
                    "fields", _fields(100, page * 100 + 1), sideloads={"fieldOptions": _options(page, 1, page + 1)}
                ),
            )
        http_mocker.get(
            ActiveCampaignRequestBuilder.collection("fields").with_offset_page(300).build(),
            collection_response("fields", [], sideloads={"fieldOptions": []}),
        )

        output = read_stream("custom_field_options", ConfigBuilder().build())

        assert [record.record.data["id"] for record in output.records] == [1, 2, 3]
