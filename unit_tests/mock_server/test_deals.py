"""deals: full, partial and no access; the first read in windows of creation time, and its resumption.

Manifest: `deals_stream` (offset pages in `orders[cdate]=ASC`, cursor `mdate`) with the
`DealsAccessExtractor`, and the error handler's 403-permission filter. The first read asks for one
deal (`limit=1`) to learn `meta.total`; from 5,000 deals it splits them into windows of `cdate` at the
deals at equal offsets, checks that the windows' totals add up, and reads each window
(`filters[created_after]`, `filters[created_before]`) side by side.

A user whose group lacks "Manage pipeline" on a pipeline gets that pipeline's deals as restricted
rows `{"title", "id", "isDisabled": true}`; without the Deals permission `/deals` answers 403.
"""

from unittest import TestCase

from airbyte_cdk.models import SyncMode
from airbyte_cdk.test.catalog_builder import CatalogBuilder
from airbyte_cdk.test.mock_http import HttpMocker
from airbyte_cdk.test.state_builder import StateBuilder
from freezegun import freeze_time

from testing.connector_runner import cursor_state
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


def _one_deal_request(**params: str):
    """What the first read asks before it reads: one deal in creation order, at an offset or in a window."""
    request = ActiveCampaignRequestBuilder.collection("deals").with_param("orders[cdate]", "ASC")
    for name, value in {"limit": "1", **params}.items():
        request = request.with_param(name, value)
    return request


def _given_total(http_mocker: HttpMocker, total: int, oldest: dict | None = None) -> None:
    """The first read's first request: how many deals there are, and the oldest."""
    http_mocker.get(
        _one_deal_request(offset="0").build(),
        collection_response("deals", [oldest or _full_deal(1, MDATE)], total=total),
    )


MDATE = "2024-02-01T10:00:00-06:00"


def _final_state(output) -> dict:
    """The newest cursor read, which the next (windowed) read resumes from (without the deletion checks' keys)."""
    return cursor_state(output.most_recent_state.stream_state.__dict__)


@freeze_time(NOW)
class TestDealsAccess(TestCase):
    @HttpMocker()
    def test_given_full_access_when_read_then_typed_rows_and_state_at_newest_mdate(
        self, http_mocker: HttpMocker
    ) -> None:
        _given_total(http_mocker, 2)
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
        assert _final_state(output) == {"mdate": "2024-02-03T10:00:00-0600"}
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
        _given_total(http_mocker, 4, oldest=_restricted_deal(1))
        http_mocker.get(_deals_request().build(), collection_response("deals", rows, total=4))

        output = read_stream("deals", ConfigBuilder().build(), SyncMode.incremental)

        assert [record.record.data["id"] for record in output.records] == [1, 5, 9, 2]
        assert output.records[0].record.data == {"title": "Hidden 1", "id": 1, "isDisabled": True}
        assert _final_state(output) == {"mdate": "2024-02-10T10:00:00-0600"}
        restricted_warnings = [warning for warning in warnings_of(output) if "restricted" in warning]
        assert len(restricted_warnings) == 1
        assert "Manage pipeline" in restricted_warnings[0]

    @HttpMocker()
    def test_given_every_deal_restricted_when_read_twice_then_state_never_advances_and_each_sync_reads_all(
        self, http_mocker: HttpMocker
    ) -> None:
        rows = [_restricted_deal(deal_id) for deal_id in (3, 1, 2)]
        _given_total(http_mocker, 3, oldest=rows[0])
        http_mocker.get(_deals_request().build(), collection_response("deals", rows, total=3))
        state = StateBuilder().with_stream_state("deals", {"mdate": "2024-02-20T00:00:00+0000"}).build()
        http_mocker.get(
            _deals_request().with_update_window("2024-02-19T00:00:00+0000", "2024-03-01T12:00:01+0000").build(),
            collection_response("deals", rows, total=3),
        )

        first = read_stream("deals", ConfigBuilder().without_deletion_checks().build(), SyncMode.incremental)
        second = read_stream(
            "deals", ConfigBuilder().without_deletion_checks().build(), SyncMode.incremental, state=state
        )

        assert [record.record.data["id"] for record in first.records] == [3, 1, 2]
        # No deal has an mdate, so no cursor: the next sync is a first read again.
        assert first.most_recent_state.stream_state.__dict__ == {}
        assert [record.record.data["id"] for record in second.records] == [3, 1, 2]
        assert second.most_recent_state.stream_state.__dict__ == {"mdate": "2024-02-20T00:00:00+0000"}

    @HttpMocker()
    def test_given_no_deals_permission_when_read_with_other_streams_then_deals_skipped_with_warning_and_sync_succeeds(
        self, http_mocker: HttpMocker
    ) -> None:
        no_permission = error_response(
            403,
            {"errors": [{"status": 403, "title": "Forbidden", "detail": "You do not have permission to view deals."}]},
        )
        # The first request, for the total, is refused: the stream is skipped without another request.
        http_mocker.get(_one_deal_request(offset="0").build(), no_permission)
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
        assert [warning for warning in warnings_of(output) if "Skipping stream 'deals'" in warning] == [
            "Skipping stream 'deals': ActiveCampaign answered https://testaccount.api-us1.com/api/3/deals with HTTP "
            '403 ("You do not have permission to view deals."). Give the API key\'s user group that permission in '
            "ActiveCampaign (Settings > Users > Groups) to sync it."
        ]


OLDEST, MIDDLE = "2023-01-02T08:00:00-06:00", "2023-07-14T16:30:00-05:00"
WINDOWS_STATE_PREFIX = {"use_global_cursor": False, "lookback_window": 0}


def _deal_created(deal_id: int, cdate: str, mdate: str = MDATE) -> dict:
    return {**_full_deal(deal_id, mdate), "cdate": cdate}


def _window_page(after: str, before: str | None = None):
    request = _deals_request().with_param("filters[created_after]", after)
    return request.with_param("filters[created_before]", before) if before else request


def _given_5000_deals_split_at(http_mocker: HttpMocker, middle: str) -> None:
    """The total and the oldest deal, then the deal at offset 2,500, created at `middle`: two windows."""
    _given_total(http_mocker, 5000, oldest=_deal_created(1, OLDEST))
    http_mocker.get(
        _one_deal_request(offset="2500").build(),
        collection_response("deals", [_deal_created(2600, middle)], total=5000),
    )


@freeze_time(NOW)
class TestDealsFirstReadInCreationWindows(TestCase):
    @HttpMocker()
    def test_given_5000_deals_when_first_read_then_two_checked_windows_of_cdate_are_read_side_by_side(
        self, http_mocker: HttpMocker
    ) -> None:
        _given_5000_deals_split_at(http_mocker, MIDDLE)
        for after, before, total in ((OLDEST, MIDDLE, 2500), (MIDDLE, None, 2500)):
            window = {"filters[created_after]": after, **({"filters[created_before]": before} if before else {})}
            http_mocker.get(
                _one_deal_request(**window).build(), collection_response("deals", [_full_deal(1, MDATE)], total=total)
            )
        # Each window's pages (one short page each here; meta.total is not used to stop).
        http_mocker.get(
            _window_page(OLDEST, MIDDLE).build(),
            collection_response("deals", [_deal_created(1, OLDEST, "2024-02-01T10:00:00-06:00")], total=2500),
        )
        http_mocker.get(
            _window_page(MIDDLE).build(),
            collection_response("deals", [_deal_created(2600, MIDDLE, "2024-02-05T10:00:00-06:00")], total=2500),
        )

        output = read_stream("deals", ConfigBuilder().build(), SyncMode.incremental)

        assert sorted(record.record.data["id"] for record in output.records) == [1, 2600]
        assert _final_state(output) == {"mdate": "2024-02-05T10:00:00-0600"}

    @HttpMocker()
    def test_given_window_totals_that_do_not_add_up_when_first_read_then_one_plain_sequence_and_a_warning(
        self, http_mocker: HttpMocker
    ) -> None:
        # An API that ignored created_before would count 5,000 deals in the first window.
        _given_5000_deals_split_at(http_mocker, MIDDLE)
        for window, total in (
            ({"filters[created_after]": OLDEST, "filters[created_before]": MIDDLE}, 5000),
            ({"filters[created_after]": MIDDLE}, 2500),
        ):
            http_mocker.get(
                _one_deal_request(**window).build(), collection_response("deals", [_full_deal(1, MDATE)], total=total)
            )
        http_mocker.get(_deals_request().build(), collection_response("deals", [_full_deal(7, MDATE)], total=5000))

        output = read_stream("deals", ConfigBuilder().build(), SyncMode.incremental)

        assert [record.record.data["id"] for record in output.records] == [7]
        assert _final_state(output) == {"mdate": "2024-02-01T10:00:00-0600"}
        assert any("held [5000, 2500] records where the collection holds 5000" in w for w in warnings_of(output))

    @HttpMocker()
    def test_given_a_first_read_killed_after_its_first_window_when_read_then_it_resumes_from_the_second_window(
        self, http_mocker: HttpMocker
    ) -> None:
        # The state the CDK leaves when the first of two windows closed: the second is still at the start.
        interrupted = {
            **WINDOWS_STATE_PREFIX,
            "states": [
                {
                    "partition": {"created_after": OLDEST, "created_before": MIDDLE},
                    "cursor": {"mdate": "2024-02-01T10:00:00-0600"},
                },
                {"partition": {"created_after": MIDDLE}, "cursor": {"mdate": "2000-01-01T00:00:00+0000"}},
            ],
        }
        # Every deal not read was created, so updated, at or after MIDDLE: the read goes on from a day before
        # it, in the incremental reads' 90-day windows of mdate.
        http_mocker.get(
            _deals_request().with_update_window("2023-07-13T16:30:00-0500", "2023-10-11T21:30:00+0000").build(),
            collection_response("deals", [_deal_created(2600, MIDDLE, "2023-08-01T10:00:00-05:00")], total=1),
        )
        http_mocker.get(
            _deals_request().with_update_window("2023-10-11T16:30:00-0500", "2024-01-09T21:30:00+0000").build(),
            collection_response("deals", [], total=0),
        )
        http_mocker.get(
            _deals_request().with_update_window("2024-01-09T16:30:00-0500", "2024-03-01T12:00:01+0000").build(),
            collection_response("deals", [_deal_created(2601, MIDDLE, "2024-02-05T10:00:00-06:00")], total=1),
        )

        output = read_stream(
            "deals",
            ConfigBuilder().without_deletion_checks().build(),
            SyncMode.incremental,
            state=StateBuilder().with_stream_state("deals", interrupted).build(),
        )

        assert sorted(record.record.data["id"] for record in output.records) == [2600, 2601]  # windows run side by side
        assert output.most_recent_state.stream_state.__dict__ == {"mdate": "2024-02-05T10:00:00-0600"}
        assert any("first sync of stream 'deals' was interrupted" in log for log in _info_logs(output))


def _info_logs(output) -> list[str]:
    return [message.log.message for message in output.logs if message.log.level.name == "INFO"]
