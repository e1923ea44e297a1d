"""When a contact child stream's collection was last read in full, kept in its state."""

import logging
from collections.abc import Mapping
from dataclasses import InitVar, dataclass
from typing import Any

from airbyte_cdk.sources.declarative.interpolation.interpolated_string import InterpolatedString
from airbyte_cdk.sources.declarative.migrations.state_migration import StateMigration
from airbyte_cdk.sources.types import Config

from source_activecampaign.contacts.pages_plan import (
    RECONCILED_AT,
    STATE_DATETIME_FORMAT,
    ContactPagesPlan,
    last_full_read,
)

logger = logging.getLogger("airbyte")

# A reconciling read: of the child collection (reconcile), or of every contacts page when the
# stream's deletion check runs too (reconcile_pages).
RECONCILING = ("reconcile", "reconcile_pages")


@dataclass
class ReconciliationClock(StateMigration):
    """Keeps, in a child stream's state, when its collection was last read in full.

    Only for ``contact_children_from_changed_contacts``. A reconciling read (of the collection, or of
    the contacts pages when the stream's deletion check runs) starts from no cursor
    (every row of the collection is emitted) and records its start:
    ``{"updated_timestamp": X}`` -> ``{"last_reconciliation": "2024-03-01T12:00:00+0000"}``; the
    cursor then moves on as usual and the recorded time stays with it. A read of changed contacts
    keeps the recorded time, writing down the one ``last_full_read`` stands in for when the state
    has none: ``{"udate": X}`` -> ``{"udate": X, "last_reconciliation": X}``.

    A reconciling read that fails leaves the cursor at the sync's start, which the plan counts as
    no full read at all: the next sync reconciles again.
    """

    cursor_field: str
    config: Config
    parameters: InitVar[Mapping[str, Any]]

    def __post_init__(self, parameters: Mapping[str, Any] | None) -> None:
        plan = ContactPagesPlan.in_config(self.config)
        self._stream_name = str((parameters or {}).get("name"))
        self._mode = plan.children.get(self._stream_name)
        self._synced_at = plan.synced_at
        self._cursor_field = str(
            InterpolatedString.create(self.cursor_field, parameters=parameters or {}).eval(self.config)
        )

    def should_migrate(self, stream_state: Mapping[str, Any]) -> bool:
        if self._mode in RECONCILING:
            return dict(stream_state) != {RECONCILED_AT: self._synced_at}
        if self._mode == "changed":
            return RECONCILED_AT not in stream_state and last_full_read(stream_state, self._cursor_field) is not None
        return False

    def migrate(self, stream_state: Mapping[str, Any]) -> Mapping[str, Any]:
        if self._mode in RECONCILING:
            logger.info(f"{self._stream_name}: reading the whole collection (the periodic full read).")
            return {RECONCILED_AT: self._synced_at}
        full_read = last_full_read(stream_state, self._cursor_field)
        assert full_read is not None
        return {**stream_state, RECONCILED_AT: full_read.strftime(STATE_DATETIME_FORMAT)}
