"""contacts: id ranges and keyset paging, start date, incremental windows and state.

Manifest: `contacts_stream`, a StateDelegatingStream. Without state: the newest contact's id
(`orders[id]=DESC&limit=1`) splits the ids into equal ranges, four or a multiple of four of at most
2,500 ids, each read in `orders[id]=ASC` keyset pages of 100 (`id_greater` the last id, `id_less`
the range's end; a page that reaches the range's last id ends it);
`filters[updated_after]` only when start_date is set; the state keeps the newest `udate`. With
state: 90-day windows from the state less a day, `filters[updated_after]` at the window start and
`filters[updated_before]` one second past its end, keyset-paged.
"""

from collections import Counter
from typing import Any
from unittest import TestCase
from unittest.mock import patch

import orjson
from airbyte_cdk.models import SyncMode
from airbyte_cdk.test.entrypoint_wrapper import EntrypointOutput
from airbyte_cdk.test.mock_http import HttpMocker
from airbyte_cdk.test.state_builder import StateBuilder
from freezegun import freeze_time

from testing.connector_runner import cursor_state
from unit_tests.mock_server.config import ConfigBuilder
from unit_tests.mock_server.read_helpers import read_stream
from unit_tests.mock_server.request_builder import ActiveCampaignRequestBuilder
from unit_tests.mock_server.response_builder import collection_response, records

NOW = "2024-03-01T12:00:00Z"


def _contacts(count: int, start_id: int = 1, udate: str = "2024-02-19T13:20:49-06:00"):
    return records(count, start_id, email="someone@example.com", cdate="2023-01-05T10:00:00-06:00", udate=udate)


def _newest_contact(http_mocker: HttpMocker, newest_id: int) -> None:
    http_mocker.get(
        ActiveCampaignRequestBuilder.newest_contact().build(),
        collection_response("contacts", _contacts(1, start_id=newest_id), total=str(newest_id)),
    )


def _given_window(http_mocker: HttpMocker, updated_after: str, updated_before: str, rows: list) -> None:
    """One keyset page of the contacts updated in [updated_after, updated_before)."""
    http_mocker.get(
        ActiveCampaignRequestBuilder.collection("contacts")
        .with_keyset_page()
        .with_update_window(updated_after, updated_before)
        .build(),
        collection_response("contacts", rows, total=str(len(rows))),
    )


def _given_ranges_full_of_contacts(http_mocker: HttpMocker, newest_id: int) -> None:
    """``newest_id`` ids in 4 equal ranges, every id taken, in keyset pages of 100; the open last range
    ends on an empty page."""
    _newest_contact(http_mocker, newest_id)
    size = newest_id // 4
    for lower in range(0, newest_id, size):
        upper = None if lower == newest_id - size else lower + size + 1
        for page_start in range(lower, lower + size, 100):
            http_mocker.get(
                ActiveCampaignRequestBuilder.collection("contacts")
                .with_keyset_page(id_greater=page_start, id_less=upper)
                .build(),
                collection_response("contacts", _contacts(100, start_id=page_start + 1)),
            )
    http_mocker.get(
        ActiveCampaignRequestBuilder.collection("contacts").with_keyset_page(id_greater=newest_id).build(),
        collection_response("contacts", []),
    )


def _final_state(output) -> dict:
    """The newest cursor read, which the next (windowed) read resumes from (without the deletion checks' keys)."""
    return cursor_state(output.most_recent_state.stream_state.__dict__)


@freeze_time(NOW)
class TestContactsWithoutState(TestCase):
    @HttpMocker()
    def test_given_no_state_when_read_then_keyset_pages_by_last_id_and_stops_on_short_page(
        self, http_mocker: HttpMocker
    ) -> None:
        # One contact when the ranges were made: one open range, which the 149 created since also go to.
        _newest_contact(http_mocker, 1)
        http_mocker.get(
            ActiveCampaignRequestBuilder.collection("contacts").with_keyset_page(id_greater=0).build(),
            collection_response("contacts", _contacts(100), total="150"),
        )
        http_mocker.get(
            ActiveCampaignRequestBuilder.collection("contacts").with_keyset_page(id_greater=100).build(),
            collection_response("contacts", _contacts(50, start_id=101), total="150"),
        )

        output = read_stream("contacts", ConfigBuilder().build(), SyncMode.incremental)

        assert [record.record.data["id"] for record in output.records] == list(range(1, 151))
        assert _final_state(output) == {"udate": "2024-02-19T13:20:49-0600"}

    @HttpMocker()
    def test_given_many_contacts_when_read_then_id_ranges_are_read_side_by_side_and_cover_every_id(
        self, http_mocker: HttpMocker
    ) -> None:
        _newest_contact(http_mocker, 6_000)
        # 6,000 ids -> 4 equal ranges of 1,500; the last one open so that contacts created meanwhile come too.
        for lower, upper, rows in (
            (0, 1501, _contacts(2, start_id=1)),
            (1500, 3001, _contacts(1, start_id=2500)),
            (3000, 4501, []),
            (4500, None, _contacts(3, start_id=5_998)),
        ):
            http_mocker.get(
                ActiveCampaignRequestBuilder.collection("contacts")
                .with_keyset_page(id_greater=lower, id_less=upper)
                .build(),
                collection_response("contacts", rows),
            )

        output = read_stream("contacts", ConfigBuilder().build(), SyncMode.incremental)

        assert sorted(record.record.data["id"] for record in output.records) == [1, 2, 2500, 5_998, 5_999, 6_000]

    @HttpMocker()
    def test_given_ranges_full_of_contacts_when_read_then_each_ends_on_its_last_id_without_an_empty_page(
        self, http_mocker: HttpMocker
    ) -> None:
        # 4 ranges of 200 ids, every id taken: two full pages each, the second ending on the range's last id;
        # the open last range cannot know its end: it stops on a short page.
        _given_ranges_full_of_contacts(http_mocker, 800)

        output = read_stream("contacts", ConfigBuilder().build(), SyncMode.incremental)

        assert sorted(record.record.data["id"] for record in output.records) == list(range(1, 801))

    @HttpMocker()
    def test_given_a_first_read_when_its_pages_are_read_then_each_is_parsed_once(self, http_mocker: HttpMocker) -> None:
        # Once for the error handler, the records and the pager alike (http/page_body.py): the pager of
        # a checkpointed first read too, whose keyset strategy the CDK would give a decoder of its own.
        _given_ranges_full_of_contacts(http_mocker, 400)
        parsed: Counter[bytes] = Counter()
        loads = orjson.loads

        def counted(content: Any) -> Any:
            parsed[content if isinstance(content, bytes) else str(content).encode()] += 1
            return loads(content)

        with patch.object(orjson, "loads", counted):
            output = read_stream("contacts", ConfigBuilder().build(), SyncMode.incremental)

        assert len(output.records) == 400
        pages = {body: times for body, times in parsed.items() if body.startswith(b'{"contacts"')}
        assert len(pages) == 6 and set(pages.values()) == {1}, pages.values()

    @HttpMocker()
    def test_given_start_date_and_no_state_when_read_then_filters_updated_after_start_date(
        self, http_mocker: HttpMocker
    ) -> None:
        _newest_contact(http_mocker, 3)
        http_mocker.get(
            ActiveCampaignRequestBuilder.collection("contacts")
            .with_keyset_page(id_greater=0)
            .with_param("filters[updated_after]", "2024-01-01T00:00:00+0000")
            .build(),
            collection_response("contacts", _contacts(3), total="3"),
        )

        output = read_stream("contacts", ConfigBuilder().with_start_date("2024-01-01").build(), SyncMode.incremental)

        assert len(output.records) == 3

    @HttpMocker()
    def test_given_rows_with_mixed_offsets_when_read_then_state_is_the_newest_instant(
        self, http_mocker: HttpMocker
    ) -> None:
        # -05:00 in summer, -06:00 in winter: the newest instant wins, not the biggest string.
        rows = [
            {"id": "1", "udate": "2023-07-01T23:30:00-05:00"},
            {"id": "2", "udate": "2023-07-02T00:10:00-06:00"},
            {"id": "3", "udate": "2023-06-30T10:00:00-05:00"},
        ]
        _newest_contact(http_mocker, 3)
        http_mocker.get(
            ActiveCampaignRequestBuilder.collection("contacts").with_keyset_page(id_greater=0).build(),
            collection_response("contacts", rows, total="3"),
        )

        output = read_stream("contacts", ConfigBuilder().build(), SyncMode.incremental)

        assert _final_state(output) == {"udate": "2023-07-02T00:10:00-0600"}


def _read_from_state(stream_state: dict) -> EntrypointOutput:
    state = StateBuilder().with_stream_state("contacts", stream_state).build()
    return read_stream("contacts", ConfigBuilder().without_deletion_checks().build(), SyncMode.incremental, state=state)


# From a cursor of 2024-02-25T10:00:00-0600: a day of look-back, up to now and one second.
STATE_WINDOW = ("2024-02-24T10:00:00-0600", "2024-03-01T12:00:01+0000")


@freeze_time(NOW)
class TestContactsWithState(TestCase):
    @HttpMocker()
    def test_given_state_when_read_then_one_window_from_state_less_a_day_to_now(self, http_mocker: HttpMocker) -> None:
        _given_window(http_mocker, *STATE_WINDOW, _contacts(2, start_id=41, udate="2024-02-28T08:00:00-06:00"))

        output = _read_from_state({"udate": "2024-02-25T10:00:00-0600"})

        assert [record.record.data["id"] for record in output.records] == [41, 42]
        assert output.most_recent_state.stream_state.__dict__ == {"udate": "2024-02-28T08:00:00-0600"}

    @HttpMocker()
    def test_given_the_state_a_first_read_leaves_when_read_then_it_resumes_from_its_newest_cursor(
        self, http_mocker: HttpMocker
    ) -> None:
        first_read_state = {
            "use_global_cursor": False,
            "states": [{"partition": {"id_greater": "0"}, "cursor": {"udate": "2024-02-25T10:00:00-0600"}}],
            "state": {"udate": "2024-02-25T10:00:00-0600"},
            "lookback_window": 12,
        }
        _given_window(http_mocker, *STATE_WINDOW, _contacts(1, start_id=9, udate="2024-02-29T08:00:00-06:00"))

        output = _read_from_state(first_read_state)

        assert [record.record.data["id"] for record in output.records] == [9]
        assert output.most_recent_state.stream_state.__dict__ == {"udate": "2024-02-29T08:00:00-0600"}

    @HttpMocker()
    def test_given_old_state_when_read_then_90_day_windows_that_neither_overlap_nor_leave_gaps(
        self, http_mocker: HttpMocker
    ) -> None:
        windows = (
            ("2023-07-01T00:00:00+0000", "2023-09-29T00:00:00+0000"),
            ("2023-09-29T00:00:00+0000", "2023-12-28T00:00:00+0000"),
            ("2023-12-28T00:00:00+0000", "2024-03-01T12:00:01+0000"),
        )
        for number, (updated_after, updated_before) in enumerate(windows):
            _given_window(
                http_mocker, updated_after, updated_before, _contacts(1, start_id=number + 1, udate=updated_after)
            )

        output = _read_from_state({"udate": "2023-07-02T00:00:00+0000"})

        assert sorted(record.record.data["id"] for record in output.records) == [1, 2, 3]
        assert output.most_recent_state.stream_state.__dict__ == {"udate": "2023-12-28T00:00:00+0000"}
