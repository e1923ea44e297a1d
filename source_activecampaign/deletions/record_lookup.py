"""Whether a row that a read paged by offset did not find is really gone: its own URL answers 404.

Offset paging moves rows: when a row is deleted while the collection is read, every row after it
moves up one place, and the row that moved from the next page onto the one already read is never
seen. A check that counted it as deleted would delete a live row in the destination, so the ids
such a check misses are looked up one by one (``GET /<collection>/<id>``): 404 is deleted, 200 is
alive, anything else says nothing and the id is checked again next sync.

The lookup first asks for one id the read did see: if that does not answer 200, the collection has
no such URL and no id of it can be confirmed (no deletion is emitted, and a warning says so). At most
``max_lookups`` ids are looked up in a sync; the rest wait for the next one.
"""

import logging
from dataclasses import dataclass

from airbyte_cdk.sources.declarative.requesters.requester import Requester
from airbyte_cdk.sources.types import StreamSlice

from source_activecampaign.deletions.id_set import Id, IdSet

logger = logging.getLogger("airbyte")

GONE = 404
ALIVE = 200


@dataclass
class RecordLookup:
    """Looks rows up by id through ``requester``, whose path names the row by ``stream_partition['id']``."""

    requester: Requester
    max_lookups: int

    def confirm(self, stream: str, vanished: IdSet, seen: IdSet) -> tuple[IdSet, IdSet, IdSet]:
        """``vanished`` split into (gone, alive, unknown)."""
        probe = seen.first()
        if probe is None or self._status(probe) != ALIVE:
            logger.warning(
                f"Stream '{stream}': {len(vanished)} ids it had emitted were not found, but ActiveCampaign does not "
                f"answer for one of its rows by id (asked for {probe!r}), so none of them can be confirmed deleted. "
                "No deletion is emitted for them; they are checked again next sync."
            )
            return IdSet(), IdSet(), vanished
        answers: dict[str, list[Id]] = {"gone": [], "alive": [], "unknown": []}
        ids = vanished.ids()
        for identifier in ids[: self.max_lookups]:
            status = self._status(identifier)
            answers["gone" if status == GONE else "alive" if status == ALIVE else "unknown"].append(identifier)
        answers["unknown"].extend(ids[self.max_lookups :])
        if answers["alive"]:
            logger.info(
                f"Stream '{stream}': {len(answers['alive'])} rows missed by its read (rows moved while it was paged) "
                "are still there and are not deletions."
            )
        return IdSet.of(answers["gone"]), IdSet.of(answers["alive"]), IdSet.of(answers["unknown"])

    def _status(self, identifier: Id) -> int | None:
        try:
            response = self.requester.send_request(
                stream_slice=StreamSlice(partition={"id": str(identifier)}, cursor_slice={})
            )
        except Exception as error:  # any failure leaves the id unconfirmed, which is safe
            logger.info(
                f"Looking up row {identifier!r} failed ({type(error).__name__}: {error}); it stays unconfirmed."
            )
            return None
        return response.status_code if response is not None else None
