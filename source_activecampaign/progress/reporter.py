"""The entrypoint's side of progress: estimates while the sync runs, the summary at its end.

The reporter wraps the messages of a read. It counts each stream's records (one dict increment per
record, in the loop that already handles every message), sends an ``ESTIMATE`` trace for a stream
as soon as there is an honest figure and again when it moves by more than 10%, and after the last
message (or the error that ends the read) logs the summary and the completeness warnings.
"""

import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from functools import partial

from airbyte_cdk.models import (
    AirbyteEstimateTraceMessage,
    AirbyteLogMessage,
    AirbyteMessage,
    AirbyteStreamStatus,
    AirbyteTraceMessage,
    EstimateType,
    Level,
    TraceType,
    Type,
)

from source_activecampaign.deletions.checks import DELETED_AT
from source_activecampaign.progress.estimates import counted_by_api, estimated_rows, worth_sending
from source_activecampaign.progress.facts import RequestScope, StreamFacts, SyncFacts
from source_activecampaign.progress.read_plan import StreamReadPlan
from source_activecampaign.progress.summary import StreamSummary, SyncSummary

DEFAULT_CEILING = 5.0


def estimate_message(stream: str, rows: int) -> AirbyteMessage:
    return AirbyteMessage(
        type=Type.TRACE,
        trace=AirbyteTraceMessage(
            type=TraceType.ESTIMATE,
            emitted_at=time.time() * 1000,
            estimate=AirbyteEstimateTraceMessage(name=stream, type=EstimateType.STREAM, row_estimate=rows),
        ),
    )


def log_message(level: Level, text: str) -> AirbyteMessage:
    return AirbyteMessage(type=Type.LOG, log=AirbyteLogMessage(level=level, message=text))


class SyncReporter:
    """Estimates and the summary of one read, from ``facts`` and the streams' ``plans``.

    ``ceiling``: the requests per second the connector may use (``requests_per_second``).
    """

    def __init__(self, facts: SyncFacts, plans: Mapping[str, StreamReadPlan], ceiling: float) -> None:
        self._facts = facts
        self._plans = plans
        self._ceiling = ceiling
        self._records: dict[str, int] = defaultdict(int)
        self._deletions: dict[str, int] = defaultdict(int)
        self._sent: dict[str, int] = {}
        self._finished: dict[str, AirbyteStreamStatus] = {}

    def observe(self, messages: Iterable[AirbyteMessage]) -> Iterator[AirbyteMessage]:
        started = self._facts.clock()
        records = self._records
        deletions = self._deletions
        facts = self._facts
        try:
            for message in messages:
                # A page is told of before its records are queued: its estimate goes out ahead of them.
                if facts.has_news():
                    yield from self._estimates()
                if message.type == Type.RECORD:
                    record = message.record
                    # A deletion check's record of a row gone is no row synced: counted apart.
                    if record.data.get(DELETED_AT) is None:  # type: ignore[union-attr]
                        records[record.stream] += 1  # type: ignore[union-attr]
                    else:
                        deletions[record.stream] += 1  # type: ignore[union-attr]
                elif message.type == Type.TRACE:
                    self._note_status(message)
                yield message
        except Exception:
            yield from self._summary(started)
            raise
        yield from self._summary(started)

    def _note_status(self, message: AirbyteMessage) -> None:
        trace = message.trace
        if trace is None or trace.type != TraceType.STREAM_STATUS or trace.stream_status is None:
            return
        status = trace.stream_status.status
        if status in (AirbyteStreamStatus.COMPLETE, AirbyteStreamStatus.INCOMPLETE):
            self._finished[trace.stream_status.stream_descriptor.name] = status

    def _estimates(self) -> Iterator[AirbyteMessage]:
        for stream in sorted(self._facts.changed_streams()):
            plan = self._plans.get(stream)
            if plan is None:
                continue  # a stream read for another's plan (the newest contact) or as a parent only
            rows = self._facts.evaluate(stream, partial(estimated_rows, plan))
            if rows is not None and worth_sending(self._sent.get(stream), rows):
                self._sent[stream] = rows
                yield estimate_message(stream, rows)

    def _stream_summary(self, stream: str, plan: StreamReadPlan) -> StreamSummary:
        def judge(facts: StreamFacts, collections: Mapping[RequestScope, int]) -> StreamSummary:
            return StreamSummary(
                name=stream,
                records=self._records.get(stream, 0),
                rows_read=facts.rows_read,
                counted_by_api=counted_by_api(facts, collections),
                restricted=facts.restricted_rows,
                requests=facts.requests,
                rate_limited=facts.rate_limited,
                retried=facts.retried,
                seconds=facts.seconds(),
                ceiling=self._ceiling,
                complete=self._finished.get(stream) == AirbyteStreamStatus.COMPLETE,
                whole_collection=plan.whole_collection,
                deletions=self._deletions.get(stream, 0),
            )

        summary = self._facts.evaluate(stream, judge)
        if summary is not None:
            return summary
        return StreamSummary(
            stream,
            self._records.get(stream, 0),
            0,
            None,
            0,
            0,
            0,
            0,
            0.0,
            self._ceiling,
            False,
            plan.whole_collection,
            self._deletions.get(stream, 0),
        )

    def _summary(self, started: float) -> Iterator[AirbyteMessage]:
        summaries = [self._stream_summary(stream, plan) for stream, plan in sorted(self._plans.items())]
        for summary in summaries:
            yield log_message(Level.INFO, summary.line())
        requests, rate_limited, retried = self._facts.totals()
        sync = SyncSummary(
            streams=len(summaries),
            records=sum(self._records.values()),
            deletions=sum(self._deletions.values()),
            requests=requests,
            rate_limited=rate_limited,
            retried=retried,
            seconds=self._facts.clock() - started,
            ceiling=self._ceiling,
        )
        yield log_message(Level.INFO, sync.line())
        for summary in summaries:
            warning = summary.completeness_warning()
            if warning:
                yield log_message(Level.WARN, warning)
