"""The cursor of a first read in partitions: it checkpoints as pages are read, and a resumed read
starts from its checkpoint.

The CDK's cursor of a partitioned stream (``ConcurrentPerPartitionCursor``, 7.39) emits its state when
a partition closes, at most every 600 s (a constant), and keeps one entry per partition: a first read
of a million contacts (400 id ranges) would checkpoint every ten minutes, with 36 KB of state for
contacts and as much again for each child stream on its pages, and lose every page of the ranges in
flight when killed. This cursor keeps what the read has read in a few intervals or one entry per
partition not finished (``progress``), learns of every page read from the pager
(``source_activecampaign.checkpoints.paging``), and emits it at most every
``seconds_between_checkpoints``; the final state is the incremental cursor the next sync starts from.

Ordering: the CDK calls ``observe`` and ``close_partition``, and the pager reports its pages, on the
thread that read the partition, after it queued the records; the state is queued through the same
message repository, so it is never ahead of a record it counts as read.
"""

import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping, MutableMapping
from datetime import datetime, timezone
from typing import Any

from airbyte_cdk.sources.connector_state_manager import ConnectorStateManager
from airbyte_cdk.sources.declarative.models.declarative_component_schema import (
    DatetimeBasedCursor as DatetimeBasedCursorModel,
)
from airbyte_cdk.sources.declarative.parsers.model_to_component_factory import ModelToComponentFactory
from airbyte_cdk.sources.message import MessageRepository, NoopMessageRepository
from airbyte_cdk.sources.streams.concurrent.cursor import Cursor, CursorField
from airbyte_cdk.sources.streams.concurrent.partitions.partition import Partition
from airbyte_cdk.sources.streams.concurrent.state_converters.datetime_stream_state_converter import (
    CustomFormatConcurrentStreamStateConverter,
    DateTimeStreamStateConverter,
)
from airbyte_cdk.sources.types import Config, Record, StreamSlice

from source_activecampaign.checkpoints.read_so_far import CHECKPOINT_KEY, FirstReadProgress, PartitionProgress
from source_activecampaign.checkpoints.resume import checkpoint_of
from source_activecampaign.first_read_partitions import FirstReadPartitionRouter

logger = logging.getLogger("airbyte")

# The key of a slice's extra fields under which the pager finds the progress of the partition it reads.
PROGRESS_FIELD = "first_read_progress"


class PagesReported:
    """What the pager calls after each page it read of a partition (found in the slice's extra fields)."""

    def __init__(self, cursor: "FirstReadCursor", partition: PartitionProgress) -> None:
        self._cursor, self.partition = cursor, partition

    def page_read(self, next_page_token: Any, last_record: Mapping[str, Any] | None) -> None:
        self._cursor.page_read(self.partition, next_page_token, last_record)


def report_page(stream_slice: Any, next_page_token: Any, last_record: Mapping[str, Any] | None) -> None:
    """Tells the first read reading ``stream_slice`` that a page is read, its records emitted, and which
    token asks for the next one; nothing for a slice of a read without checkpoints."""
    reported = stream_slice.extra_fields.get(PROGRESS_FIELD) if isinstance(stream_slice, StreamSlice) else None
    if isinstance(reported, PagesReported):
        reported.page_read(next_page_token, last_record)


class FirstReadCursor(Cursor):
    """Partitions from ``partitions`` (the stream's partition router) less what ``checkpoint`` says was
    read; a checkpoint after pages and partitions, at most every ``seconds_between_checkpoints``; at the
    end, ``{cursor_field: value}``.

    The final value is the newest cursor value read, but never after ``started_at``, when the first
    attempt of this first read began: a record read by a killed attempt and changed while the sync was
    down has a cursor value after that, so the incremental reads from there (less their look-back) read
    it again, however long the sync was down. No record read: ``{}``, and the next sync reads everything
    again (an empty collection, or one whose requests the error handler skipped).

    A read that did not finish (a partition failed) leaves its checkpoint, or the one it started from.
    """

    def __init__(
        self,
        *,
        stream_name: str,
        stream_namespace: str | None,
        partitions: Callable[[], Iterable[StreamSlice]],
        progress: FirstReadProgress,
        checkpoint: Mapping[str, Any] | None,
        cursor_field: CursorField,
        converter: DateTimeStreamStateConverter,
        records_filter: Cursor,
        message_repository: MessageRepository,
        state_manager: ConnectorStateManager,
        seconds_between_checkpoints: float,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
    ) -> None:
        self._stream_name = stream_name
        self._stream_namespace = stream_namespace
        self._partitions = partitions
        self._progress = progress
        self._cursor_field = cursor_field
        self._converter = converter
        self._records_filter = records_filter
        self._message_repository = message_repository
        self._state_manager = state_manager
        self._seconds_between_checkpoints = seconds_between_checkpoints
        self._clock = clock
        self._lock = threading.Lock()
        self._resumed_from = {CHECKPOINT_KEY: dict(checkpoint)} if checkpoint else None
        self._started_at = self._parsed((checkpoint or {}).get("started_at")) or now()
        self._newest: datetime | None = self._parsed((checkpoint or {}).get("newest_cursor_value"))
        self._generated = 0
        self._closed = 0
        self._all_generated = False
        self._last_checkpoint_at: float | None = None

    @classmethod
    def for_stream(
        cls,
        factory: ModelToComponentFactory,
        *,
        component_definition: Mapping[str, Any],
        stream_name: str,
        stream_namespace: str | None,
        config: Config,
        router: FirstReadPartitionRouter,
        message_repository: MessageRepository,
        state_manager: ConnectorStateManager,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
    ) -> "FirstReadCursor":
        """The cursor of ``stream_name``'s first read, from its manifest cursor (a ``DatetimeBasedCursor``:
        the cursor field, the formats, the start) and its partition router.

        Records are filtered as the CDK's own cursor of that definition filters them on a first read
        (a client-side stream drops rows before the start date), by that cursor, built silent.
        """
        definition = dict(component_definition)
        if "$parameters" not in definition and "parameters" in definition:
            definition["$parameters"] = definition["parameters"]
        model = DatetimeBasedCursorModel.parse_obj(definition)
        records_filter = factory.create_concurrent_cursor_from_datetime_based_cursor(
            model_type=DatetimeBasedCursorModel,
            component_definition=definition,
            stream_name=stream_name,
            stream_namespace=stream_namespace,
            stream_state={},
            config=config,
            message_repository=NoopMessageRepository(),
        )
        checkpoint = checkpoint_of(config, stream_name)
        progress = router.first_read_progress(checkpoint)
        if progress is None:
            logger.warning(
                f"The saved state of stream '{stream_name}' holds a checkpoint of its first sync this version "
                "cannot read. The first sync starts over; nothing is skipped."
            )
            checkpoint, progress = None, router.first_read_progress(None)
            assert progress is not None
        elif checkpoint is not None:
            logger.info(f"Stream '{stream_name}' resumes its first sync from its last checkpoint.")
        return cls(
            stream_name=stream_name,
            stream_namespace=stream_namespace,
            partitions=router.stream_slices,
            progress=progress,
            checkpoint=checkpoint,
            cursor_field=records_filter.cursor_field,
            converter=CustomFormatConcurrentStreamStateConverter(
                datetime_format=model.datetime_format or "%Y-%m-%dT%H:%M:%S%z",
                input_datetime_formats=list(model.cursor_datetime_formats or []),
            ),
            records_filter=records_filter,
            message_repository=message_repository,
            state_manager=state_manager,
            seconds_between_checkpoints=float(router.seconds_between_checkpoints),
            clock=clock,
            now=now,
        )

    @property
    def cursor_field(self) -> CursorField:
        return self._cursor_field

    @property
    def state(self) -> MutableMapping[str, Any]:
        with self._lock:
            return self._current_state()

    def stream_slices(self) -> Iterable[StreamSlice]:
        planned = (stream_slice.partition for stream_slice in self._partitions())
        for partition, progress in self._progress.partitions(planned):
            with self._lock:
                self._generated += 1
            yield StreamSlice(
                partition=partition, cursor_slice={}, extra_fields={PROGRESS_FIELD: PagesReported(self, progress)}
            )
        with self._lock:
            self._all_generated = True

    def observe(self, record: Record) -> None:
        value = record.data.get(self._cursor_field.cursor_field_key)
        if value is None:
            return
        parsed = self._parsed(value)
        if parsed is None:
            return
        newest = self._newest
        if newest is not None and parsed <= newest:
            return  # the newest only moves forward: most records need no lock
        with self._lock:
            if self._newest is None or parsed > self._newest:
                self._newest = parsed

    def page_read(
        self, partition: PartitionProgress, next_page_token: Any, last_record: Mapping[str, Any] | None
    ) -> None:
        with self._lock:
            partition.page_read(next_page_token, last_record)
            self._checkpoint_if_due()

    def close_partition(self, partition: Partition) -> None:
        stream_slice = partition.to_slice()
        reported = stream_slice.extra_fields.get(PROGRESS_FIELD) if isinstance(stream_slice, StreamSlice) else None
        with self._lock:
            if isinstance(reported, PagesReported):
                reported.partition.done()
            self._closed += 1
            self._checkpoint_if_due()

    def ensure_at_least_one_state_emitted(self) -> None:
        with self._lock:
            self._emit(self._current_state())

    def should_be_synced(self, record: Record) -> bool:
        return self._records_filter.should_be_synced(record)

    def get_cursor_datetime_from_state(self, stream_state: Mapping[str, Any]) -> datetime | None:
        """The cursor of a state left by a first read in partitions before this cursor (the CDK's
        ``{"states": [...], "state": {cursor_field: X}}``), so that ``StateDelegatingStream`` reads on
        incrementally from it; None for any other state, which the incremental stream's cursor judges."""
        overall = stream_state.get("state")
        if not isinstance(overall, Mapping):
            return None
        return self._records_filter.get_cursor_datetime_from_state(overall)

    # --- state ---------------------------------------------------------------------------------------

    def _finished(self) -> bool:
        return self._all_generated and self._closed == self._generated

    def _current_state(self) -> dict[str, Any]:
        if self._finished():
            if self._newest is None:
                return {}
            return {
                self._cursor_field.cursor_field_key: self._converter.output_format(min(self._started_at, self._newest))
            }
        return self._checkpoint() or (dict(self._resumed_from) if self._resumed_from else {})

    def _checkpoint(self) -> dict[str, Any] | None:
        fields = self._progress.checkpoint()
        if fields is None:
            return None
        checkpoint: dict[str, Any] = {"started_at": self._converter.output_format(self._started_at)}
        if self._newest is not None:
            checkpoint["newest_cursor_value"] = self._converter.output_format(self._newest)
        return {CHECKPOINT_KEY: {**checkpoint, **fields}}

    def _checkpoint_if_due(self) -> None:
        if self._finished():
            return  # the final state follows
        now = self._clock()
        if self._last_checkpoint_at is not None and now - self._last_checkpoint_at < self._seconds_between_checkpoints:
            return
        checkpoint = self._checkpoint()
        if checkpoint is None:
            return
        self._last_checkpoint_at = now
        self._emit(checkpoint)

    def _emit(self, state: Mapping[str, Any]) -> None:
        self._state_manager.update_state_for_stream(self._stream_name, self._stream_namespace, state)
        self._message_repository.emit_message(
            self._state_manager.create_state_message(self._stream_name, self._stream_namespace)
        )

    def _parsed(self, value: Any) -> datetime | None:
        try:
            parsed = self._converter.parse_value(value)
        except (ValueError, TypeError):
            return None
        return parsed if isinstance(parsed, datetime) else None
