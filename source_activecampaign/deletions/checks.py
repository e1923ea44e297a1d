"""A sync's deletion checks: the ids each stream emits and sees, and what its check concludes.

The record path tells each stream whose check runs in this sync which ids its pages hold
(DeletionCheckExtractor), and whether a page was refused and skipped (the error handler); the output
of the sync tells which ids each tracked stream emitted (``watch``). When a stream ends, ``watch``
writes its check's outcome: for every id it had emitted before that no read of the whole collection
found, a record with the primary key and ``_ab_cdc_deleted_at``, then its state with the ids it
emitted and has not seen deleted.

No false deletion: a check counts only when the stream finished (COMPLETE), every page it read was
of the whole collection, and no answer was skipped. A read paged by offset can miss a row when
others are deleted while it reads (the rows after them move up a page), so an id missing from
such a read counts as deleted only once its own URL answers 404 (record_lookup.py).
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from airbyte_cdk.models import (
    AirbyteMessage,
    AirbyteRecordMessage,
    AirbyteStateBlob,
    AirbyteStateMessage,
    AirbyteStateType,
    AirbyteStreamState,
    AirbyteStreamStatus,
    TraceType,
    Type,
)

from source_activecampaign.deletions.id_set import Id, IdCollector, IdSet
from source_activecampaign.deletions.plan import (
    CONFIG_KEY,
    EMITTED_IDS,
    LAST_CHECK,
    DeletionPlan,
    StreamDeletions,
    as_timestamp,
)
from source_activecampaign.deletions.record_lookup import RecordLookup

logger = logging.getLogger("airbyte")

DELETED_AT = "_ab_cdc_deleted_at"
# A first read in partitions can checkpoint every second, and writing a million ids down takes about
# 60 ms: the ids in a state emitted before the stream's end are brought up to date at most this often.
# What a crash leaves is then up to this many seconds behind; contacts and deals catch up at their next
# check, which emits every record again, and no id is ever deleted for it.
REWRITE_IDS_EVERY_S = 30.0


def is_deletion(record_data: Mapping[str, Any]) -> bool:
    """Whether a record this connector emitted says its row was deleted."""
    return record_data.get(DELETED_AT) is not None


class StreamCheck:
    """One tracked stream in this sync: the ids it emitted, and for its check those it saw."""

    def __init__(self, plan: StreamDeletions, checked_at: str) -> None:
        self.plan = plan
        self._checked_at = checked_at
        self._emitted = IdCollector()
        self._seen = IdCollector()
        self._lock = threading.Lock()
        self._whole_pages = 0
        self._partial_pages = 0
        self._skipped = False
        self._lookup: RecordLookup | None = None
        self._encoded: tuple[int, str] | None = None
        self._encoded_at = 0.0
        self._concluded: dict[str, str] | None = None

    # --- from the record path (worker threads), only while the check runs ---------------------

    def note_page(self, ids: Iterable[Any], whole_collection: bool, lookup: RecordLookup | None) -> None:
        """A page read for this stream: its ids, whether it was a page of the whole collection, and
        how to confirm a vanished id when the read pages by offset (None: it does not)."""
        self._seen.add_all(ids)
        with self._lock:
            if whole_collection:
                self._whole_pages += 1
            else:
                self._partial_pages += 1
            if lookup is not None and self._lookup is None:
                self._lookup = lookup

    def note_skipped(self) -> None:
        with self._lock:
            self._skipped = True

    # --- from the output (main thread) --------------------------------------------------------

    def note_emitted(self, record_data: Mapping[str, Any]) -> None:
        self._emitted.add(record_data.get(self.plan.primary_key))

    def state_keys(self, up_to_date: bool = False) -> dict[str, str]:
        """The deletion keys of a state message: before the check's end, the ids emitted so far (at most
        REWRITE_IDS_EVERY_S old) added to those of the saved state, and the time of the last check that
        ran to its end; after it (the CDK may repeat a stream's state when the sync ends), the check's
        conclusion. ``up_to_date``: every id emitted so far, whenever they were last written."""
        if self._concluded is not None:
            return self._concluded
        if self.plan.needs_baseline:
            # The ids emitted so far are not all the destination has: none is written until a read of the
            # whole collection says which there are; the clock of the checks starts now if it has not.
            last_check = self.plan.last_check
            return {LAST_CHECK: as_timestamp(last_check) if last_check is not None else self._checked_at}
        emitted = len(self._emitted)
        now = time.monotonic()
        due = up_to_date or now - self._encoded_at >= REWRITE_IDS_EVERY_S
        if self._encoded is None or (self._encoded[0] != emitted and due):
            known = self.plan.emitted or IdSet()
            self._encoded = (emitted, known.union(self._emitted.id_set()).encode())
            self._encoded_at = now
        keys = {EMITTED_IDS: self._encoded[1]}
        if self.plan.first_read:
            # A first read is where the stream's record of ids begins: the next check is a period away.
            keys[LAST_CHECK] = self._checked_at
        elif self.plan.last_check is not None:
            keys[LAST_CHECK] = as_timestamp(self.plan.last_check)
        return keys

    def finish(self, finished: bool) -> tuple[list[Id], dict[str, str]] | None:
        """The ids found deleted and the state keys after the check, or None when no check ran to
        its end in this sync (the keys emitted so far stand; the check runs again next sync)."""
        if not self.plan.due and not self.plan.needs_baseline:
            return None
        name = self.plan.name
        reasons = [
            reason
            for reason, applies in (
                ("the stream did not finish", not finished),
                ("ActiveCampaign refused part of it and it was skipped", self._skipped),
                ("it did not read its whole collection in this sync", self._partial_pages > 0),
                ("it read no page", self._whole_pages == 0),
            )
            if applies
        ]
        if reasons and not self.plan.due:
            # Only waiting for a read of the whole collection to write the ids down: that was not this one.
            return None
        if reasons:
            logger.info(
                f"Stream '{name}': its deletion check did not run to its end ({'; '.join(reasons)}), so it "
                "emits no deletion and runs again next sync."
            )
            return None
        emitted = self._emitted.id_set()
        seen = self._seen.id_set().union(emitted)
        if self.plan.emitted is None:
            logger.info(
                f"Stream '{name}': its deletion check wrote down the {len(seen)} ids of its collection; later "
                "checks emit a deletion for any of them that disappears."
            )
            self._concluded = {EMITTED_IDS: seen.encode(), LAST_CHECK: self._checked_at}
            return [], self._concluded
        vanished = self.plan.emitted.difference(seen)
        gone, alive, unknown = vanished, IdSet(), IdSet()
        if len(vanished) and self._lookup is not None:
            gone, alive, unknown = self._lookup.confirm(name, vanished, seen)
        kept = self.plan.emitted.intersection(seen).union(emitted).union(alive).union(unknown)
        logger.info(
            f"Stream '{name}': deletion check: {len(seen)} ids in the collection, {len(gone)} of the ids it had "
            f"emitted are gone and emitted as deletions"
            + (
                f"; {len(unknown)} more could not be confirmed and are checked again next sync."
                if len(unknown)
                else "."
            )
        )
        keys = {EMITTED_IDS: kept.encode()}
        if not len(unknown):
            keys[LAST_CHECK] = self._checked_at
        elif self.plan.last_check is not None:
            keys[LAST_CHECK] = as_timestamp(self.plan.last_check)
        self._concluded = keys
        return gone.ids(), keys


class DeletionChecks:
    """Every tracked stream of one sync, found by the components through ``deletion_checks(config)``."""

    def __init__(self, plan: DeletionPlan) -> None:
        self.plan = plan
        checked_at = as_timestamp(plan.checked_at)
        self._streams = {name: StreamCheck(stream, checked_at) for name, stream in plan.streams.items()}
        _SYNCS[plan.sync] = self

    def checking(self, stream: str) -> StreamCheck | None:
        """The stream's bookkeeping when its check runs in this sync, or it waits for a whole read to
        write down its ids: the pages it reads then note their ids."""
        check = self._streams.get(stream)
        return check if check is not None and (check.plan.due or check.plan.needs_baseline) else None

    def note_skipped(self, stream: str) -> None:
        check = self._streams.get(stream)
        if check is not None:
            check.note_skipped()

    def watch(self, messages: Iterable[AirbyteMessage]) -> Iterator[AirbyteMessage]:
        """The sync's messages, each tracked stream's states carrying its deletion keys, and its check's
        deletions and state before the status that ends it."""
        if not self._streams:
            yield from messages
            return
        last_states: dict[str, AirbyteMessage] = {}
        for message in messages:
            if message.type == Type.RECORD and message.record is not None:
                check = self._streams.get(message.record.stream)
                if check is not None:
                    check.note_emitted(message.record.data)
            elif message.type == Type.STATE and message.state is not None and message.state.stream is not None:
                name = message.state.stream.stream_descriptor.name
                check = self._streams.get(name)
                if check is not None:
                    message = _with_keys(message, check.state_keys())
                    last_states[name] = message
            elif (
                message.type == Type.TRACE
                and message.trace is not None
                and message.trace.type == TraceType.STREAM_STATUS
            ):
                status = message.trace.stream_status
                check = self._streams.get(status.stream_descriptor.name) if status is not None else None
                if status is not None and check is not None and status.status in _ENDS:
                    yield from self._end(check, status.status == AirbyteStreamStatus.COMPLETE, last_states)
            yield message

    def _end(
        self, check: StreamCheck, finished: bool, last_states: Mapping[str, AirbyteMessage]
    ) -> Iterator[AirbyteMessage]:
        """Before a stream's end: its check's deletions and state, or else its state once more when ids
        were emitted since the ids in its last one were written."""
        last_state = last_states.get(check.plan.name)
        if last_state is None:
            return
        outcome = check.finish(finished)
        if outcome is not None:
            gone, keys = outcome
            yield from _deletion_records(check.plan, gone, self.plan)
            yield _with_keys(last_state, keys)
            return
        keys = check.state_keys(up_to_date=True)
        if _keys_of(last_state) != keys:
            yield _with_keys(last_state, keys)


def _keys_of(message: AirbyteMessage) -> dict[str, Any]:
    assert message.state is not None and message.state.stream is not None
    values = message.state.stream.stream_state.__dict__ if message.state.stream.stream_state is not None else {}
    return {key: values[key] for key in (EMITTED_IDS, LAST_CHECK) if key in values}


_ENDS = (AirbyteStreamStatus.COMPLETE, AirbyteStreamStatus.INCOMPLETE)
_SYNCS: weakref.WeakValueDictionary[str, DeletionChecks] = weakref.WeakValueDictionary()


def deletion_checks(config: Mapping[str, Any]) -> DeletionChecks | None:
    """The deletion checks of the sync ``config`` belongs to (the plan's ``config['deletions']``)."""
    entry = config.get(CONFIG_KEY)
    sync = entry.get("sync") if isinstance(entry, Mapping) else None
    return _SYNCS.get(sync) if isinstance(sync, str) else None


def _with_keys(message: AirbyteMessage, keys: Mapping[str, str]) -> AirbyteMessage:
    assert message.state is not None and message.state.stream is not None
    stream = message.state.stream
    values = {**(stream.stream_state.__dict__ if stream.stream_state is not None else {}), **keys}
    state = AirbyteStateMessage(
        type=AirbyteStateType.STREAM,
        stream=AirbyteStreamState(stream_descriptor=stream.stream_descriptor, stream_state=AirbyteStateBlob(**values)),
        sourceStats=message.state.sourceStats,
    )
    return AirbyteMessage(type=Type.STATE, state=state)


def _deletion_records(stream: StreamDeletions, gone: list[Id], plan: DeletionPlan) -> Iterator[AirbyteMessage]:
    deleted_at = as_timestamp(plan.checked_at)
    emitted_at = int(time.time() * 1000)
    for identifier in gone:
        value = str(identifier) if stream.text_ids else identifier
        yield AirbyteMessage(
            type=Type.RECORD,
            record=AirbyteRecordMessage(
                stream=stream.name, data={stream.primary_key: value, DELETED_AT: deleted_at}, emitted_at=emitted_at
            ),
        )
