"""deals: full, partial and no access.

Manifest: `deals_stream` (offset pages in `orders[cdate]=ASC`, cursor `mdate`) with the
`DealsAccessExtractor`, and the error handler's 403-permission filter.

A user whose group lacks "Manage pipeline" on a pipeline gets that pipeline's deals as restricted
rows `{"title", "id", "isDisabled": true}`; without the Deals permission `/deals` answers 403.
"""

from unittest import TestCase

from airbyte_cdk.models import SyncMode
from airbyte_cdk.test.catalog_builder import CatalogBuilder
from airbyte_cdk.test.mock_http import HttpMocker
from airbyte_cdk.test.state_builder import StateBuilder
from freezegun import freeze_time

from unit_tests.mock_server.config import ConfigBuilder
from unit_tests.mock_server.read_helpers import read_source, read_stream, warnings_of
from unit_tests.mock_server.request_builder import ActiveCampaignRequestBuilder
from unit_tests.mock_server.response_builder import collection_response, error_response

NOW = "2024-03-01T12:00:00Z"


def _full_deal(deal_id: int, mdate: str) -> dict:
    return {
        "id": str(deal_id),
        "title": f"Deal {deal_id}",
        "value": "15000",
        "currency": "usd",
        "group": "1",
        "stage": "2",
        "status": "0",
        "isDisabled": False,
        "cdate": "2023-05-01T09:00:00-05:00",
        "mdate": mdate,
        "edate": "0000-00-00 00:00:00",
    }


def _restricted_deal(deal_id: int) -> dict:
    return {"title": f"Hidden {deal_id}", "id": str(deal_id), "isDisabled": True}


def _deals_request(offset: int = 0):
    return ActiveCampaignRequestBuilder.collection("deals").with_offset_page(offset).with_param("orders[cdate]", "ASC")


@freeze_time(NOW)
class TestDealsAccess(TestCase):
    @HttpMocker()
    def test_given_full_access_when_read_then_typed_rows_and_state_at_newest_mdate(
        self, http_mocker: HttpMocker
    ) -> None:
        http_mocker.get(
            _deals_request().build(),
            collection_response(
                "deals",
                [_full_deal(1, "2024-02-01T10:00:00-06:00"), _full_deal(2, "2024-02-03T10:00:00-06:00")],
                total=2,
            ),
        )

        output = read_stream("deals", ConfigBuilder().build(), SyncMode.incremental)

        assert [record.record.data for record in output.records][0] == {
            "id": 1,
            "title": "Deal 1",
            "value": 15000,
            "currency": "usd",
            "group": 1,
            "stage": 2,
            "status": 0,
            "isDisabled": False,
            "cdate": "2023-05-01T09:00:00-05:00",
            "mdate": "2024-02-01T10:00:00-06:00",
        }
        assert output.most_recent_state.stream_state.__dict__ == {"mdate": "2024-02-03T10:00:00-0600"}
        assert not any("restricted" in warning for warning in warnings_of(output))

    @HttpMocker()
    def test_given_mixed_access_when_read_then_restricted_rows_are_kept_and_state_follows_full_rows(
        self, http_mocker: HttpMocker
    ) -> None:
        rows = [
            _restricted_deal(1),
            _full_deal(5, "2024-02-10T10:00:00-06:00"),
            _restricted_deal(9),
            _full_deal(2, "2024-01-10T10:00:00-06:00"),
        ]
        http_mocker.get(_deals_request().build(), collection_response("deals", rows, total=4))

        output = read_stream("deals", ConfigBuilder().build(), SyncMode.incremental)

        assert [record.record.data["id"] for record in output.records] == [1, 5, 9, 2]
        assert output.records[0].record.data == {"title": "Hidden 1", "id": 1, "isDisabled": True}
        assert output.most_recent_state.stream_state.__dict__ == {"mdate": "2024-02-10T10:00:00-0600"}
        restricted_warnings = [warning for warning in warnings_of(output) if "restricted" in warning]
        assert len(restricted_warnings) == 1
        assert "Manage pipeline" in restricted_warnings[0]

    @HttpMocker()
    def test_given_every_deal_restricted_when_read_twice_then_state_never_advances_and_each_sync_reads_all(
        self, http_mocker: HttpMocker
    ) -> None:
        rows = [_restricted_deal(deal_id) for deal_id in (3, 1, 2)]
        http_mocker.get(_deals_request().build(), collection_response("deals", rows, total=3))
        state = StateBuilder().with_stream_state("deals", {"mdate": "2024-02-20T00:00:00+0000"}).build()
        http_mocker.get(
            _deals_request().with_update_window("2024-02-19T00:00:00+0000", "2024-03-01T12:00:01+0000").build(),
            collection_response("deals", rows, total=3),
        )

        first = read_stream("deals", ConfigBuilder().build(), SyncMode.incremental)
        second = read_stream("deals", ConfigBuilder().build(), SyncMode.incremental, state=state)

        assert [record.record.data["id"] for record in first.records] == [3, 1, 2]
        assert first.most_recent_state.stream_state.__dict__ == {"mdate": "2000-01-01T00:00:00+0000"}
        assert [record.record.data["id"] for record in second.records] == [3, 1, 2]
        assert second.most_recent_state.stream_state.__dict__ == {"mdate": "2024-02-20T00:00:00+0000"}

    @HttpMocker()
    def test_given_no_deals_permission_when_read_with_other_streams_then_deals_skipped_with_warning_and_sync_succeeds(
        self, http_mocker: HttpMocker
    ) -> None:
        http_mocker.get(
            _deals_request().build(),
            error_response(
                403,
                {
                    "errors": [
                        {"status": 403, "title": "Forbidden", "detail": "You do not have permission to view deals."}
                    ]
                },
            ),
        )
        http_mocker.get(
            ActiveCampaignRequestBuilder.collection("tags").with_offset_page(0).build(),
            collection_response("tags", [{"id": "1", "tag": "VIP"}], total="1"),
        )
        config = ConfigBuilder().build()
        catalog = (
            CatalogBuilder()
            .with_stream("deals", SyncMode.incremental)
            .with_stream("tags", SyncMode.full_refresh)
            .build()
        )

        output = read_source(config, catalog)

        assert [record.record.stream for record in output.records] == ["tags"]
        assert output.errors == []
        assert any(
            "Skipping stream 'deals'" in warning and "You do not have permission to view deals." in warning
            for warning in warnings_of(output)
        )
