"""Offset-paged streams: pages of 100, stopping on a short page, never trusting meta.total.

Manifest: `offset_paginator` (limit=100, offset from 0), `record_selector` on the resource's key.
"""

from typing import Any
from unittest import TestCase

from airbyte_cdk.test.mock_http import HttpMocker

from unit_tests.mock_server.config import ConfigBuilder
from unit_tests.mock_server.read_helpers import read_stream
from unit_tests.mock_server.request_builder import ActiveCampaignRequestBuilder
from unit_tests.mock_server.response_builder import collection_response, records


def _tags(count: int, start_id: int = 1):
    return records(count, start_id, tag="VIP", tagType="contact", updated_timestamp="2024-02-19 13:20:49")


def _given_tag_pages(http_mocker: HttpMocker, *pages: tuple[int, list[dict[str, Any]], str | None]) -> None:
    """Pages of /tags, each (offset, rows, meta.total or None for no meta)."""
    for offset, rows, total in pages:
        http_mocker.get(
            ActiveCampaignRequestBuilder.collection("tags").with_offset_page(offset).build(),
            collection_response("tags", rows, total=total),
        )


class TestOffsetPaging(TestCase):
    @HttpMocker()
    def test_given_two_full_pages_and_a_short_one_when_read_then_three_requests_and_every_record(
        self, http_mocker: HttpMocker
    ) -> None:
        _given_tag_pages(
            http_mocker,
            *((offset, _tags(count, offset + 1), "207") for offset, count in ((0, 100), (100, 100), (200, 7))),
        )

        output = read_stream("tags", ConfigBuilder().build())

        assert [record.record.data["id"] for record in output.records] == list(range(1, 208))

    @HttpMocker()
    def test_given_exact_multiple_of_page_size_when_read_then_stops_on_the_empty_page(
        self, http_mocker: HttpMocker
    ) -> None:
        _given_tag_pages(http_mocker, (0, _tags(100), "100"), (100, [], "100"))

        output = read_stream("tags", ConfigBuilder().build())

        assert len(output.records) == 100

    @HttpMocker()
    def test_given_meta_total_understates_rows_when_read_then_pages_until_short_page(
        self, http_mocker: HttpMocker
    ) -> None:
        # /dealCustomFieldMeta and friends send no meta at all, others a stale count: paging must
        # follow the rows, not the total.
        _given_tag_pages(http_mocker, (0, _tags(100), "3"), (100, _tags(2, start_id=101), None))

        output = read_stream("tags", ConfigBuilder().build())

        assert len(output.records) == 102

    @HttpMocker()
    def test_given_string_values_when_read_then_records_are_typed(self, http_mocker: HttpMocker) -> None:
        _given_tag_pages(
            http_mocker,
            (
                0,
                [
                    {
                        "id": "16",
                        "tag": "Caf\u00e9 \u2615",
                        "tagType": "contact",
                        "subscriber_count": "12",
                        "cdate": "2024-02-19T13:20:49-06:00",
                        "created_timestamp": "2024-02-19 13:20:49",
                        "updated_timestamp": "0000-00-00 00:00:00",
                        "deleted": "0",
                        "links": [],
                    }
                ],
                "1",
            ),
        )

        output = read_stream("tags", ConfigBuilder().build())

        data = output.records[0].record.data
        assert data["id"] == 16
        assert data["subscriber_count"] == 12
        assert data["tag"] == "Caf\u00e9 \u2615"
        assert data["cdate"] == "2024-02-19T13:20:49-06:00"
        assert data["created_timestamp"] == "2024-02-19T13:20:49"
        # Zero dates become null, and the Airbyte message serializer leaves null columns out.
        assert "updated_timestamp" not in data
        assert "links" not in data  # PHP's empty map [] becomes null
