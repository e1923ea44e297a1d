"""contacts: keyset paging, start date, incremental windows and state.

Manifest: `contacts_stream`, a StateDelegatingStream. Without state: `orders[id]=ASC`, `id_greater`
keyset pages of 100, `filters[updated_after]` only when start_date is set, and a cursor that records
the newest `udate`. With state: 30-day windows from the state less a day, `filters[updated_after]`
at the window start and `filters[updated_before]` one second past its end.
"""

from unittest import TestCase

from freezegun import freeze_time

from airbyte_cdk.models import SyncMode
from airbyte_cdk.test.mock_http import HttpMocker
from airbyte_cdk.test.state_builder import StateBuilder

from unit_tests.mock_server.config import ConfigBuilder
from unit_tests.mock_server.read_helpers import read_stream
from unit_tests.mock_server.request_builder import ActiveCampaignRequestBuilder
from unit_tests.mock_server.response_builder import collection_response, records

NOW = "2024-03-01T12:00:00Z"


def _contacts(count: int, start_id: int = 1, udate: str = "2024-02-19T13:20:49-06:00"):
    return records(count, start_id, email="someone@example.com", cdate="2023-01-05T10:00:00-06:00", udate=udate)


@freeze_time(NOW)
class TestContactsWithoutState(TestCase):
    @HttpMocker()
    def test_given_no_state_when_read_then_keyset_pages_by_last_id_and_stops_on_short_page(self, http_mocker: HttpMocker) -> None:
        http_mocker.get(
            ActiveCampaignRequestBuilder.collection("contacts").with_keyset_page().build(),
            collection_response("contacts", _contacts(100), total="150"),
        )
        http_mocker.get(
            ActiveCampaignRequestBuilder.collection("contacts").with_keyset_page(id_greater=100).build(),
            collection_response("contacts", _contacts(50, start_id=101), total="150"),
        )

        output = read_stream("contacts", ConfigBuilder().build(), SyncMode.incremental)

        assert [record.record.data["id"] for record in output.records] == list(range(1, 151))
        assert output.most_recent_state.stream_state.__dict__ == {"udate": "2024-02-19T13:20:49-0600"}

    @HttpMocker()
    def test_given_start_date_and_no_state_when_read_then_filters_updated_after_start_date(self, http_mocker: HttpMocker) -> None:
        http_mocker.get(
            ActiveCampaignRequestBuilder.collection("contacts")
            .with_keyset_page()
            .with_param("filters[updated_after]", "2024-01-01T00:00:00+0000")
            .build(),
            collection_response("contacts", _contacts(3), total="3"),
        )

        output = read_stream("contacts", ConfigBuilder().with_start_date("2024-01-01").build(), SyncMode.incremental)

        assert len(output.records) == 3

    @HttpMocker()
    def test_given_rows_with_mixed_offsets_when_read_then_state_is_the_newest_instant(self, http_mocker: HttpMocker) -> None:
        # -05:00 in summer, -06:00 in winter: the newest instant wins, not the biggest string.
        rows = [
            {"id": "1", "udate": "2023-07-01T23:30:00-05:00"},
            {"id": "2", "udate": "2023-07-02T00:10:00-06:00"},
            {"id": "3", "udate": "2023-06-30T10:00:00-05:00"},
        ]
        http_mocker.get(
            ActiveCampaignRequestBuilder.collection("contacts").with_keyset_page().build(),
            collection_response("contacts", rows, total="3"),
        )

        output = read_stream("contacts", ConfigBuilder().build(), SyncMode.incremental)

        assert output.most_recent_state.stream_state.__dict__ == {"udate": "2023-07-02T00:10:00-0600"}


@freeze_time(NOW)
class TestContactsWithState(TestCase):
    @HttpMocker()
    def test_given_state_when_read_then_one_window_from_state_less_a_day_to_now(self, http_mocker: HttpMocker) -> None:
        state = StateBuilder().with_stream_state("contacts", {"udate": "2024-02-25T10:00:00-0600"}).build()
        http_mocker.get(
            ActiveCampaignRequestBuilder.collection("contacts")
            .with_keyset_page()
            .with_param("filters[updated_after]", "2024-02-24T10:00:00-0600")
            .with_param("filters[updated_before]", "2024-03-01T12:00:01+0000")
            .build(),
            collection_response("contacts", _contacts(2, start_id=41, udate="2024-02-28T08:00:00-06:00"), total="2"),
        )

        output = read_stream("contacts", ConfigBuilder().build(), SyncMode.incremental, state=state)

        assert [record.record.data["id"] for record in output.records] == [41, 42]
        assert output.most_recent_state.stream_state.__dict__ == {"udate": "2024-02-28T08:00:00-0600"}

    @HttpMocker()
    def test_given_old_state_when_read_then_30_day_windows_that_neither_overlap_nor_leave_gaps(self, http_mocker: HttpMocker) -> None:
        state = StateBuilder().with_stream_state("contacts", {"udate": "2024-01-02T00:00:00+0000"}).build()
        windows = (
            ("2024-01-01T00:00:00+0000", "2024-01-31T00:00:00+0000"),
            ("2024-01-31T00:00:00+0000", "2024-03-01T00:00:00+0000"),
            ("2024-03-01T00:00:00+0000", "2024-03-01T12:00:01+0000"),
        )
        for number, (updated_after, updated_before) in enumerate(windows):
            http_mocker.get(
                ActiveCampaignRequestBuilder.collection("contacts")
                .with_keyset_page()
                .with_param("filters[updated_after]", updated_after)
                .with_param("filters[updated_before]", updated_before)
                .build(),
                collection_response("contacts", _contacts(1, start_id=number + 1, udate=updated_after), total="1"),
            )

        output = read_stream("contacts", ConfigBuilder().build(), SyncMode.incremental, state=state)

        assert sorted(record.record.data["id"] for record in output.records) == [1, 2, 3]
        assert output.most_recent_state.stream_state.__dict__ == {"udate": "2024-03-01T00:00:00+0000"}
