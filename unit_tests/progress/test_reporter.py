"""The entrypoint's side: estimates between a read's messages, the summary after them."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from airbyte_cdk.models import (
    AirbyteMessage,
    AirbyteRecordMessage,
    AirbyteStreamStatus,
    AirbyteStreamStatusTraceMessage,
    AirbyteTraceMessage,
    Level,
    StreamDescriptor,
    TraceType,
    Type,
)

from source_activecampaign.progress.facts import SyncFacts
from source_activecampaign.progress.read_plan import StreamReadPlan
from source_activecampaign.progress.reporter import SyncReporter
from unit_tests.progress.conftest import API, Clock

PLANS = {"tags": StreamReadPlan(True, True), "notes": StreamReadPlan(False, True)}


def _record(stream: str) -> AirbyteMessage:
    return AirbyteMessage(type=Type.RECORD, record=AirbyteRecordMessage(stream=stream, data={}, emitted_at=0))


def _status(stream: str, status: AirbyteStreamStatus) -> AirbyteMessage:
    return AirbyteMessage(
        type=Type.TRACE,
        trace=AirbyteTraceMessage(
            type=TraceType.STREAM_STATUS,
            emitted_at=0,
            stream_status=AirbyteStreamStatusTraceMessage(
                stream_descriptor=StreamDescriptor(name=stream), status=status
            ),
        ),
    )


def _tags_page(offset: int, rows: int, total: int) -> Callable[[SyncFacts], None]:
    def read(sync: SyncFacts) -> None:
        sync.request_answered("tags", 200, retried=False)
        sync.page_read("tags", f"{API}tags?offset={offset}&limit=100", {"meta": {"total": str(total)}}, rows)

    return read


def _read(sync: SyncFacts, events: list[Any]) -> Iterator[AirbyteMessage]:
    """The read's messages; a callable among them is what a worker thread tells the sync meanwhile."""
    for event in events:
        if callable(event):
            event(sync)
        else:
            yield event


def _described(messages: list[AirbyteMessage]) -> list[str]:
    described = []
    for message in messages:
        if message.type == Type.RECORD:
            described.append(f"record {message.record.stream}")
        elif message.type == Type.TRACE and message.trace.type == TraceType.ESTIMATE:
            described.append(f"estimate {message.trace.estimate.name} {message.trace.estimate.row_estimate}")
        elif message.type == Type.LOG:
            described.append(f"{message.log.level.value} {message.log.message}")
    return described


def test_an_estimate_goes_ahead_of_its_pages_records_and_again_only_when_it_moves_by_more_than_10_percent(
    sync: SyncFacts,
) -> None:
    reporter = SyncReporter(sync, PLANS, ceiling=5)
    events = [
        _tags_page(0, 100, total=1_000),
        _record("tags"),
        _tags_page(100, 100, total=1_050),  # 5% more: not worth saying
        _record("tags"),
        _tags_page(200, 100, total=1_200),  # 20% more than what was said
        _record("tags"),
        lambda facts: facts.page_read("notes", f"{API}notes?offset=0&limit=100", {"meta": {"total": "3"}}, 3),
        _record("notes"),
    ]

    described = _described(list(reporter.observe(_read(sync, events))))

    assert described[:6] == [
        "estimate tags 1000",
        "record tags",
        "record tags",
        "estimate tags 1200",
        "record tags",
        "record notes",
    ]


def test_the_summary_comes_after_the_last_message_with_a_line_per_stream_and_the_sync(
    sync: SyncFacts, clock: Clock
) -> None:
    reporter = SyncReporter(sync, PLANS, ceiling=5)

    def later(seconds: float) -> Callable[[SyncFacts], None]:
        def wait(_: SyncFacts) -> None:
            clock.now += seconds

        return wait

    events = [
        _tags_page(0, 2, total=3),
        _record("tags"),
        _record("tags"),
        later(4),
        _status("tags", AirbyteStreamStatus.COMPLETE),
        _status("notes", AirbyteStreamStatus.COMPLETE),
    ]

    described = _described(list(reporter.observe(_read(sync, events))))

    assert described[-4:] == [
        "INFO Sync summary, stream notes: 0 records; 0 requests, 0 answered 429, 0 retried; 0.0 s.",
        "INFO Sync summary, stream tags: 2 records (ActiveCampaign counts 3); 1 request, 0 answered 429, 0 retried; "
        "0.0 s.",
        "INFO Sync summary: 2 streams, 2 records, 1 request, 0 answered 429, 0 retried; 4.0 s at 5% of the 5 "
        "requests/second ceiling.",
        "WARN Stream 'tags' read its whole collection and got 2 rows where ActiveCampaign counts 3 (meta.total): "
        "1 row not synced. Rows deleted while the sync ran explain a gap like this; if the next sync comes out short "
        "again, ActiveCampaign is leaving rows out of its pages: report it to ActiveCampaign's support with the "
        "stream's name.",
    ]


def test_a_deletion_checks_records_are_counted_apart_from_the_rows_synced(sync: SyncFacts) -> None:
    reporter = SyncReporter(sync, PLANS, ceiling=5)
    gone = AirbyteMessage(
        type=Type.RECORD,
        record=AirbyteRecordMessage(
            stream="tags", data={"id": 4, "_ab_cdc_deleted_at": "2024-03-01T12:00:00+00:00"}, emitted_at=0
        ),
    )
    events = [_tags_page(0, 2, total=2), _record("tags"), _record("tags"), gone]

    described = _described(list(reporter.observe(_read(sync, events))))

    assert described[-2].startswith(
        "INFO Sync summary, stream tags: 2 records and 1 deletion (ActiveCampaign counts 2); 1 request, "
    )
    assert described[-1].startswith("INFO Sync summary: 2 streams, 2 records and 1 deletion, 1 request")


def test_a_read_that_fails_still_logs_its_summary_and_warns_of_no_stream_it_did_not_finish(sync: SyncFacts) -> None:
    reporter = SyncReporter(sync, PLANS, ceiling=5)

    def failing_read() -> Iterator[AirbyteMessage]:
        yield from _read(sync, [_tags_page(0, 2, total=3), _record("tags")])
        raise RuntimeError("the read failed")

    seen: list[AirbyteMessage] = []
    with pytest.raises(RuntimeError, match="the read failed"):
        for message in reporter.observe(failing_read()):
            seen.append(message)

    described = _described(seen)
    assert described[-1].startswith("INFO Sync summary: 2 streams, 1 record, 1 request")
    assert not [line for line in described if line.startswith("WARN")]
    assert all(message.log.level == Level.INFO for message in seen if message.type == Type.LOG)
