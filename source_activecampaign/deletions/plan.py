"""Which streams keep track of the ids they emit, and whose deletion check is due in this sync.

A stream read incrementally with a one-field primary key keeps two keys in its state, beside what
the CDK keeps there: ``emitted_ids`` (the ids it emitted and has not seen deleted, in the compact
form of id_set.py) and ``last_deletions_check`` (ISO 8601). Its check is due when
``deletions_check_days`` have passed since the last one.

A stream's record of ids starts with its first read, which emits every id. A state saved before this
feature (a cursor, no ids) has no such record: the stream writes down the ids of its collection as
soon as it reads the whole of it, which streams filtered on the client do on every sync, so on the
first one; the others (contacts, deals, activities) start the clock and write the ids down at their
first check. A check without a record of ids emits no deletion: it only writes them down.

The keys are taken out of the state the CDK is given and written back into every state message the
stream emits (DeletionChecks.watch), so no cursor, migration or checkpoint of the CDK ever sees or
drops them.

Most incremental streams read their whole collection on every sync and filter it on the client:
their check costs no request. Contacts, deals and activities ask the API for what changed only
(``FIRST_READ_FOR_CHECK``): on their check's sync the CDK is given no state for them, so they read
(and emit) every record as on their first sync, in its id ranges or windows of creation time, and
their state is a first read's afterwards.

The streams on the contacts pages (contacts and its child streams) check together: one read of the
pages serves them all, so when one of them is due, every one of them with a state checks.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from typing import Any

from airbyte_cdk.models import (
    AirbyteStateBlob,
    AirbyteStateMessage,
    AirbyteStateType,
    AirbyteStreamState,
    ConfiguredAirbyteCatalog,
    ConfiguredAirbyteStream,
    SyncMode,
)

from source_activecampaign.contacts.pages_plan import CHILDREN_ON_CONTACT_PAGES
from source_activecampaign.dates import utc_date_time
from source_activecampaign.deletions.id_set import IdSet

logger = logging.getLogger("airbyte")

# Where the components find the sync's plan: config['deletions'] (``DeletionPlan.config_entry``).
CONFIG_KEY = "deletions"
EMITTED_IDS = "emitted_ids"
LAST_CHECK = "last_deletions_check"
STATE_KEYS = (EMITTED_IDS, LAST_CHECK)
# The streams whose incremental reads are filtered by the API (server_side_window_cursor,
# after_cursor in the manifest): their check is a first read.
FIRST_READ_FOR_CHECK = frozenset({"contacts", "deals", "activities"})
DEFAULT_CHECK_DAYS = 7
CONTACT_PAGES_STREAMS = frozenset({"contacts", *CHILDREN_ON_CONTACT_PAGES})


def check_days(config: Mapping[str, Any]) -> int:
    """``deletions_check_days``: 0 turns the checks off. A value the spec refuses is reported by the
    config check, by field; the plan falls back to the default rather than fail first."""
    days = config.get("deletions_check_days", DEFAULT_CHECK_DAYS)
    valid = isinstance(days, int) and not isinstance(days, bool) and 0 <= days <= 365
    return days if valid else DEFAULT_CHECK_DAYS


def as_timestamp(moment: datetime) -> str:
    """How the check's time is written: ISO 8601 in UTC with its offset, to the second."""
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class StreamDeletions:
    """One tracked stream: what its saved state holds, and whether its check runs in this sync.

    ``emitted`` is None when the state has no usable set: nothing was emitted yet (``first_read``),
    or a state saved before this feature, or one whose set cannot be read; the ids are then written
    down by the first read of the whole collection (``needs_baseline``).
    """

    name: str
    primary_key: str
    text_ids: bool
    first_read: bool
    emitted: IdSet | None
    last_check: datetime | None
    due: bool

    @property
    def needs_baseline(self) -> bool:
        return self.emitted is None and not self.first_read


@dataclass(frozen=True)
class DeletionPlan:
    sync: str
    checked_at: datetime
    streams: Mapping[str, StreamDeletions] = field(default_factory=dict)

    @property
    def checks(self) -> list[str]:
        return sorted(name for name, stream in self.streams.items() if stream.due)

    def config_entry(self) -> dict[str, Any]:
        """What the manifest reads (``config['deletions']``): the sync, and whose check runs."""
        return {"sync": self.sync, "checks": self.checks, "checked_at": as_timestamp(self.checked_at)}


def _primary_key(configured: ConfiguredAirbyteStream) -> str | None:
    key = configured.primary_key or configured.stream.source_defined_primary_key or []
    if len(key) == 1 and len(key[0]) == 1 and isinstance(key[0][0], str):
        return key[0][0]
    return None


def _text_ids(configured: ConfiguredAirbyteStream, primary_key: str) -> bool:
    """Whether the stream's schema declares its primary key a string and not a number: its deletion
    records then carry the id as text whatever it looks like."""
    properties = (configured.stream.json_schema or {}).get("properties") or {}
    declared = (properties.get(primary_key) or {}).get("type")
    types = set(declared if isinstance(declared, list) else [declared])
    return "string" in types and not types & {"integer", "number"}


def _saved_emitted(name: str, saved: Mapping[str, Any]) -> IdSet | None:
    encoded = saved.get(EMITTED_IDS)
    if encoded is None:
        return None
    try:
        if not isinstance(encoded, str):
            raise ValueError(f"not an encoded id set (a {type(encoded).__name__}, not a string)")
        return IdSet.decode(encoded)
    except ValueError as error:
        logger.warning(
            f"Stream '{name}': the ids it emitted, kept in its state under '{EMITTED_IDS}', cannot be read ({error}). "
            "They are written down again from its next read of the whole collection, which emits no deletion; "
            "nothing else is lost."
        )
        return None


def _saved_states(state: list[AirbyteStateMessage] | None) -> dict[str, Mapping[str, Any]]:
    saved: dict[str, Mapping[str, Any]] = {}
    for message in state or []:
        if message.type == AirbyteStateType.STREAM and message.stream and message.stream.stream_state is not None:
            saved[message.stream.stream_descriptor.name] = dict(message.stream.stream_state.__dict__)
    return saved


def _state_for_the_cdk(
    state: list[AirbyteStateMessage] | None, first_reads: frozenset[str]
) -> list[AirbyteStateMessage] | None:
    """The state without the deletion keys, and without the streams whose check is a first read."""
    if state is None:
        return None
    kept: list[AirbyteStateMessage] = []
    for message in state:
        stream = message.stream if message.type == AirbyteStateType.STREAM else None
        if stream is None or stream.stream_state is None:
            kept.append(message)
        elif stream.stream_descriptor.name not in first_reads:
            values = {key: value for key, value in stream.stream_state.__dict__.items() if key not in STATE_KEYS}
            blob = AirbyteStreamState(
                stream_descriptor=stream.stream_descriptor, stream_state=AirbyteStateBlob(**values)
            )
            kept.append(AirbyteStateMessage(type=message.type, stream=blob, sourceStats=message.sourceStats))
    return kept


def plan_deletions(
    config: Mapping[str, Any],
    catalog: ConfiguredAirbyteCatalog | None,
    state: list[AirbyteStateMessage] | None,
    now: datetime,
) -> tuple[DeletionPlan, list[AirbyteStateMessage] | None]:
    """The sync's deletion plan, and the state to hand the CDK: without the deletion keys, and without
    the state of a stream whose check is a first read."""
    saved_states = _saved_states(state)
    sync = uuid.uuid4().hex
    days = check_days(config)
    if not days or catalog is None:
        return DeletionPlan(sync, now), _state_for_the_cdk(state, frozenset())

    period = timedelta(days=days)
    streams: dict[str, StreamDeletions] = {}
    for configured in catalog.streams:
        primary_key = _primary_key(configured)
        if configured.sync_mode != SyncMode.incremental or primary_key is None:
            continue
        name = configured.stream.name
        saved = saved_states.get(name) or {}
        first_read = not saved
        last_check = utc_date_time(saved.get(LAST_CHECK))
        emitted = None if first_read else _saved_emitted(name, saved)
        # A state from before this feature (no ids, no time of a check) does not make a check due: the
        # clock starts now.
        due = not first_read and (
            (last_check is None and emitted is not None) or (last_check is not None and now - last_check >= period)
        )
        text_ids = _text_ids(configured, primary_key)
        streams[name] = StreamDeletions(name, primary_key, text_ids, first_read, emitted, last_check, due)

    # One read of the contacts pages serves each stream on them: when one checks, all of them do.
    if any(stream.due for name, stream in streams.items() if name in CONTACT_PAGES_STREAMS):
        for name in CONTACT_PAGES_STREAMS & streams.keys():
            if not streams[name].first_read:
                streams[name] = replace(streams[name], due=True)
    first_reads = frozenset(name for name, stream in streams.items() if stream.due and name in FIRST_READ_FOR_CHECK)
    for name in sorted(first_reads):
        logger.info(
            f"Stream '{name}': its deletion check is due; it reads and emits every record again, as on its first sync."
        )
    return DeletionPlan(sync, now, streams), _state_for_the_cdk(state, first_reads)
