"""A first read in partitions, finished or interrupted, turned into the state incremental reads resume from."""

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from airbyte_cdk.sources.declarative.interpolation.interpolated_string import InterpolatedString

from source_activecampaign.dates import utc_date_time
from source_activecampaign.state.cursor_state_migration import CursorStateMigration, is_date_time

logger = logging.getLogger("airbyte")


@dataclass
class RangeStateToCursorState(CursorStateMigration):
    """Turns the state a first read in partitions left before its checkpoints into the state its
    incremental reads use.

    Before ``FirstReadCursor`` (``source_activecampaign.checkpoints``), whose final state is already the
    cursor and whose checkpoints a resumed first read reads itself, the CDK kept the state of the first
    read of contacts (id ranges) and of deals (windows of creation time) per partition plus, once every
    partition was done, the newest cursor value over all of them: ``{"states": [...], "state": {"udate":
    X}, ...}`` -> ``{"udate": X}``, which incremental reads (one cursor over time windows) resume from.
    States saved by that version still come this way.

    A first read killed before it finished has no ``state``. Where each partition names the lowest
    value its records' cursor can have (``lower_bound_key``: a deal's ``mdate`` is never before its
    ``cdate``, and a window of creation time holds only deals created at or after its
    ``created_after``), the reads resume from the lower bound of the first partition not finished: every
    record not yet read was updated at or after it. A partition is finished when its cursor moved past
    ``first_read_start``, where the CDK leaves the partitions it has not closed. With windows
    ``[a, b)``, ``[b, c)``, ``[c, ...)`` of which the first is finished: ``{"mdate": b}``; with the last
    one finished too, its lower bound. Otherwise (id ranges say nothing of ``udate``) it becomes ``{}``
    with a warning, and the stream's retention period (see the manifest) starts a first read over.

    With ``finished_reads_only``, a state without the newest cursor over all partitions is left as it is,
    for a stream that goes on reading in the same partitions: a contact child stream reads the contacts
    pages in id ranges on every sync, and each sync's ranges are the account's of the moment (the newest
    contact moves them), so its state starts from the overall cursor instead of piling up ranges gone by.
    """

    lower_bound_key: str = ""
    upper_bound_key: str = ""
    first_read_start: str = ""
    finished_reads_only: bool = False

    def should_migrate(self, stream_state: Mapping[str, Any]) -> bool:
        if self._cursor_field in stream_state or "states" not in stream_state:
            return False
        overall = stream_state.get("state")
        return not self.finished_reads_only or (isinstance(overall, Mapping) and self._cursor_field in overall)

    def migrate(self, stream_state: Mapping[str, Any]) -> Mapping[str, Any]:
        overall = stream_state.get("state")
        if isinstance(overall, Mapping) and self._cursor_field in overall:
            return {self._cursor_field: overall[self._cursor_field]}
        resume_from = self._first_unread_bound(stream_state["states"])
        name = self._parameters.get("name")
        if resume_from is not None:
            logger.info(
                f"The first sync of stream '{name}' was interrupted. It resumes with the records updated since "
                f"{resume_from} (less the usual day of look-back), which hold every record it had not read."
            )
            return {self._cursor_field: resume_from}
        logger.warning(
            f"The first sync of stream '{name}' was interrupted before it finished, or none of its records had "
            f"'{self._cursor_field}' ({len(stream_state['states'])} of its partitions begun). It starts over, reading "
            "them all again; nothing is skipped."
        )
        return {}

    def _first_unread_bound(self, entries: Any) -> str | None:
        """The lower bound of the first partition not finished, or None when the partitions have no bounds."""
        start = utc_date_time(
            InterpolatedString.create(self.first_read_start, parameters=self._parameters).eval(self.config)
        )
        if not self.lower_bound_key or not isinstance(entries, list) or not entries or start is None:
            return None
        # (lower bound as a date-time, as written, finished, upper bound as written)
        windows: list[tuple[datetime, str, bool, Any]] = []
        for entry in entries:
            partition = entry.get("partition") if isinstance(entry, Mapping) else None
            cursor = entry.get("cursor") if isinstance(entry, Mapping) else None
            lower = partition.get(self.lower_bound_key) if isinstance(partition, Mapping) else None
            lower_time = utc_date_time(lower)
            if not isinstance(partition, Mapping) or lower_time is None:
                return None
            reached = utc_date_time(cursor.get(self._cursor_field) if isinstance(cursor, Mapping) else None)
            finished = reached is not None and reached > start
            windows.append((lower_time, str(lower), finished, partition.get(self.upper_bound_key)))
        windows.sort(key=lambda window: window[0])
        unfinished = [lower for _, lower, finished, _ in windows if not finished]
        if unfinished:
            return unfinished[0]
        _, last_lower, _, last_upper = windows[-1]
        return str(last_upper) if is_date_time(last_upper) else last_lower
