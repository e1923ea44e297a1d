"""A saved state that cannot be resumed from, dropped with a warning."""

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from source_activecampaign.state.cursor_state_migration import CursorStateMigration, is_date_time

logger = logging.getLogger("airbyte")


@dataclass
class UnusableStateReset(CursorStateMigration):
    """Replaces a saved state that cannot be resumed from with no state, and says so.

    A state is unusable when a cursor value it holds is missing or not a date-time: hand-edited,
    cut, or written by another connector. Resuming from it would fail or, worse, skip records
    silently; starting the stream again from ``start_date`` re-reads what was synced (the
    destination's primary-key dedup absorbs it) and loses nothing. A stream read per parent (deal
    stages, per pipeline) saves the CDK's per-partition form, whose cursor values are each
    partition's and the overall one. States in the CDK's concurrent form (``state_type`` and
    ``slices``) are left to the CDK.

    Input ``{"udate": "garbage"}`` -> output ``{}`` and a warning naming the stream. Input
    ``{"states": [{"partition": {"pipeline_id": 1}, "cursor": {"udate": "2024-02-19T13:20:49+0000"}}],
    "state": {"udate": "2024-02-19T13:20:49+0000"}}`` -> left as it is.
    """

    def _unusable_values(self, stream_state: Mapping[str, Any]) -> list[Any]:
        """The cursor values of the state that are not date-times."""
        if "states" in stream_state or "state" in stream_state:
            partitions = stream_state.get("states", [])
            cursors = (
                [entry.get("cursor") if isinstance(entry, Mapping) else entry for entry in partitions]
                if isinstance(partitions, list)
                else [partitions]
            )
            if "state" in stream_state:
                cursors.append(stream_state["state"])
        else:
            cursors = [stream_state]
        values = [cursor.get(self._cursor_field) if isinstance(cursor, Mapping) else cursor for cursor in cursors]
        return [value for value in values if not is_date_time(value)]

    def should_migrate(self, stream_state: Mapping[str, Any]) -> bool:
        if not stream_state or ("state_type" in stream_state and "slices" in stream_state):
            return False
        return bool(self._unusable_values(stream_state))

    def migrate(self, stream_state: Mapping[str, Any]) -> Mapping[str, Any]:
        unusable = next(iter(self._unusable_values(stream_state)), None)
        logger.warning(
            f"The saved state of stream '{self._parameters.get('name')}' cannot be resumed from: its "
            f"'{self._cursor_field}' is {json.dumps(unusable)}, not a date-time. "
            "The stream syncs again from the start date (or from the beginning); records synced before "
            "are read again and nothing is skipped."
        )
        return {}
