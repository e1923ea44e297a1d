"""The first read's cursor: checkpoints as pages are read, at most every so often, and the cursor the
next sync starts from once every partition is read."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import pytest
from airbyte_cdk.models import Type
from airbyte_cdk.sources.connector_state_manager import ConnectorStateManager
from airbyte_cdk.sources.declarative.parsers.model_to_component_factory import ModelToComponentFactory
from airbyte_cdk.sources.message import InMemoryMessageRepository
from airbyte_cdk.sources.types import Record, StreamSlice

from activecampaign_emulator import ManualClock
from source_activecampaign.checkpoints.cursor import FirstReadCursor, report_page
from source_activecampaign.checkpoints.read_so_far import FirstReadProgress, IdIntervals, IdRangeProgress
from source_activecampaign.checkpoints.resume import CHECKPOINTS_CONFIG_KEY
from source_activecampaign.first_read_partitions import FirstReadPartitionRouter, offset_progress

STARTED_AT = datetime(2025, 7, 1, 10, 0, tzinfo=timezone.utc)
CURSOR_DEFINITION = {
    "type": "DatetimeBasedCursor",
    "cursor_field": "udate",
    "cursor_datetime_formats": ["%Y-%m-%dT%H:%M:%S%z"],
    "datetime_format": "%Y-%m-%dT%H:%M:%S%z",
    "start_datetime": {
        "type": "MinMaxDatetime",
        "datetime": "{{ config.get('start_date') or '2000-01-01T00:00:00Z' }}",
        "datetime_format": "%Y-%m-%dT%H:%M:%SZ",
    },
}


@dataclass
class IdRanges(FirstReadPartitionRouter):
    """Two id ranges, as contacts' first read splits 4,000 contacts."""

    ranges: tuple[Mapping[str, str], ...] = ({"id_greater": "0", "id_less": "2001"}, {"id_greater": "2000"})
    seconds_between_checkpoints: float = 1.0

    def stream_slices(self) -> Iterable[StreamSlice]:
        for partition in self.ranges:
            yield StreamSlice(partition=dict(partition), cursor_slice={})

    def first_read_progress(self, checkpoint: Mapping[str, Any] | None) -> FirstReadProgress | None:
        read = IdIntervals.from_json((checkpoint or {}).get("read_ids", []))
        return None if read is None else IdRangeProgress(read, newest_id=4_000)


@dataclass
class Windows(IdRanges):
    """Two offset-paged windows, as deals' first read splits its deals."""

    ranges: tuple[Mapping[str, str], ...] = (
        {"created_after": "2020-01-01T00:00:00+0000"},
        {"created_after": "2023-01-01T00:00:00+0000"},
    )

    def first_read_progress(self, checkpoint: Mapping[str, Any] | None) -> FirstReadProgress | None:
        return offset_progress(checkpoint, page_size=100)


class Read:
    """A cursor and what it emitted."""

    def __init__(self, router: FirstReadPartitionRouter, config: Mapping[str, Any] | None = None) -> None:
        self.clock = ManualClock()
        self.repository = InMemoryMessageRepository()
        self.cursor = FirstReadCursor.for_stream(
            ModelToComponentFactory(),
            component_definition=dict(CURSOR_DEFINITION),
            stream_name="contacts",
            stream_namespace=None,
            config=config or {},
            router=router,
            message_repository=self.repository,
            state_manager=ConnectorStateManager(),
            clock=self.clock,
            now=lambda: STARTED_AT,
        )
        self.slices = list(self.cursor.stream_slices())

    def states(self) -> list[dict[str, Any]]:
        return [
            dict(message.state.stream.stream_state.__dict__)
            for message in self.repository.consume_queue()
            if message.type == Type.STATE
        ]

    def record(self, index: int, data: Mapping[str, Any]) -> Record:
        record = Record(data=dict(data), stream_name="contacts", associated_slice=self.slices[index])
        self.cursor.observe(record)
        return record

    def page(self, index: int, token: Any, last_record: Mapping[str, Any] | None) -> None:
        report_page(self.slices[index], token, last_record)

    def close(self, index: int) -> None:
        self.cursor.close_partition(_Partition(self.slices[index]))


@dataclass
class _Partition:
    stream_slice: StreamSlice

    def to_slice(self) -> StreamSlice:
        return self.stream_slice


def test_a_checkpoint_on_the_first_page_then_at_most_every_second_then_the_cursor() -> None:
    read = Read(IdRanges())
    read.record(0, {"id": "100", "udate": "2024-03-01T00:00:00+0000"})
    read.page(0, "100", {"id": "100"})
    assert read.states() == [
        {
            "first_read": {
                "started_at": "2025-07-01T10:00:00+0000",
                "newest_cursor_value": "2024-03-01T00:00:00+0000",
                "read_ids": [[0, 100]],
                "newest_id": 4_000,
            }
        }
    ]

    read.clock.advance(0.5)
    read.record(1, {"id": "2100", "udate": "2024-05-01T00:00:00-0500"})
    read.page(1, "2100", {"id": "2100"})
    assert read.states() == []  # half a second after the last one

    read.clock.advance(0.5)
    read.page(0, "200", {"id": "200"})
    assert read.states()[0]["first_read"]["read_ids"] == [[0, 200], [2000, 2100]]

    read.clock.advance(1)
    read.close(0)
    assert read.states()[0]["first_read"]["read_ids"] == [[0, 2100]]
    read.close(1)
    read.cursor.ensure_at_least_one_state_emitted()
    assert read.states() == [{"udate": "2024-05-01T00:00:00-0500"}]  # as the record wrote it


def test_the_cursor_never_goes_past_the_start_of_the_first_read() -> None:
    read = Read(IdRanges())
    # Changed after the first read began: a record read before it was changed too, maybe.
    read.record(0, {"id": "100", "udate": "2025-07-03T00:00:00+0000"})
    read.close(0)
    read.close(1)
    read.cursor.ensure_at_least_one_state_emitted()
    assert read.states()[-1] == {"udate": "2025-07-01T10:00:00+0000"}


@pytest.mark.parametrize(
    "records",
    [
        pytest.param([], id="no record"),
        pytest.param(
            [{"id": "1"}, {"id": "2", "udate": None}, {"id": "3", "udate": "0000-00-00 00:00:00"}],
            id="no usable cursor value",
        ),
    ],
)
def test_a_first_read_without_a_cursor_value_leaves_no_state(records: list[dict[str, Any]]) -> None:
    read = Read(IdRanges())
    for record in records:
        read.record(0, record)
    read.close(0)
    read.close(1)
    read.cursor.ensure_at_least_one_state_emitted()
    assert read.states()[-1] == {}


def test_a_first_read_that_did_not_finish_leaves_its_checkpoint() -> None:
    read = Read(IdRanges())
    read.record(0, {"id": "100", "udate": "2024-03-01T00:00:00+0000"})
    read.page(0, "100", {"id": "100"})
    read.close(1)  # the first range failed and never closes
    read.states()
    read.cursor.ensure_at_least_one_state_emitted()
    assert read.states() == [
        {
            "first_read": {
                "started_at": "2025-07-01T10:00:00+0000",
                "newest_cursor_value": "2024-03-01T00:00:00+0000",
                "read_ids": [[0, 100], [2000, None]],
                "newest_id": 4_000,
            }
        }
    ]


def test_a_resumed_first_read_keeps_what_its_checkpoint_says() -> None:
    checkpoint = {
        "first_read": {
            "started_at": "2025-06-20T00:00:00+0000",
            "newest_cursor_value": "2025-06-25T00:00:00+0000",
            "read_ids": [[0, 2000]],
            "newest_id": 4_000,
        }
    }
    read = Read(IdRanges(ranges=({"id_greater": "2000"},)), {CHECKPOINTS_CONFIG_KEY: {"contacts": checkpoint}})
    read.record(0, {"id": "2100", "udate": "2024-05-01T00:00:00+0000"})
    read.page(0, "2100", {"id": "2100"})
    assert read.states() == [
        {
            "first_read": {
                "started_at": "2025-06-20T00:00:00+0000",
                "newest_cursor_value": "2025-06-25T00:00:00+0000",
                "read_ids": [[0, 2100]],
                "newest_id": 4_000,
            }
        }
    ]
    read.close(0)
    read.cursor.ensure_at_least_one_state_emitted()
    # The newest value of both attempts, but not after the first one began.
    assert read.states()[-1] == {"udate": "2025-06-20T00:00:00+0000"}


def test_a_checkpoint_this_version_cannot_read_starts_the_first_read_over() -> None:
    checkpoint = {"first_read": {"started_at": "2025-06-20T00:00:00+0000", "read_ids": "everything"}}
    read = Read(IdRanges(), {CHECKPOINTS_CONFIG_KEY: {"contacts": checkpoint}})
    read.page(0, "100", {"id": "100"})
    assert read.states()[0]["first_read"]["started_at"] == "2025-07-01T10:00:00+0000"
    assert read.states() == []


def test_offset_windows_are_checkpointed_once_all_are_known() -> None:
    read = Read(Windows())
    read.record(0, {"id": "17", "udate": "2024-03-01T00:00:00+0000"})
    read.page(0, 100, {"id": "17"})
    assert read.states() == [
        {
            "first_read": {
                "started_at": "2025-07-01T10:00:00+0000",
                "newest_cursor_value": "2024-03-01T00:00:00+0000",
                "unread": [
                    {"partition": {"created_after": "2020-01-01T00:00:00+0000"}, "offset": 100, "after_id": "17"},
                    {"partition": {"created_after": "2023-01-01T00:00:00+0000"}},
                ],
            }
        }
    ]


def test_records_are_filtered_as_the_manifest_cursor_filters_them() -> None:
    read = Read(IdRanges(), {"start_date": "2024-01-01T00:00:00Z"})
    assert read.cursor.should_be_synced(
        Record({"id": "1", "udate": "2024-02-01T00:00:00+0000"}, "contacts", read.slices[0])
    )
    assert not read.cursor.should_be_synced(
        Record({"id": "2", "udate": "2023-12-01T00:00:00+0000"}, "contacts", read.slices[0])
    )
    assert read.cursor.should_be_synced(Record({"id": "3"}, "contacts", read.slices[0]))
