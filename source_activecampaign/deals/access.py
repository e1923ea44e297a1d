"""Deals a key's user may not manage: kept with the fields the API sends, and said once."""

import logging
from collections.abc import Iterable, Mapping, MutableMapping
from dataclasses import dataclass, field
from typing import Any

import requests

from source_activecampaign import progress
from source_activecampaign.custom_fields.columns import SideloadedCustomFieldsExtractor

logger = logging.getLogger("airbyte")


def is_restricted_deal(record: Mapping[str, Any]) -> bool:
    """A deal row of a pipeline the key's user may not manage: only id, title and isDisabled."""
    return "mdate" not in record and bool(record.get("isDisabled"))


@dataclass
class DealsAccessExtractor(SideloadedCustomFieldsExtractor):
    """Extracts deals, keeping the restricted rows and saying once why they are thin.

    A user whose group lacks "Manage pipeline" on a pipeline gets that pipeline's deals as
    ``{"title": ..., "id": ..., "isDisabled": true}``, mixed with full rows. They are real deals, so
    they are emitted with the fields they have. They carry no ``mdate``: the cursor keeps them and
    moves only on full rows, so an account where every deal is restricted never advances its state
    and each sync reads every deal again, a full refresh. (A key without the Deals permission at all
    gets 403, which the error handler turns into a skipped stream.)
    """

    _warned: bool = field(default=False, init=False, repr=False)

    def extract_records(self, response: requests.Response) -> Iterable[MutableMapping[Any, Any]]:
        restricted = 0
        for record in super().extract_records(response):
            if is_restricted_deal(record):
                restricted += 1
                if not self._warned:
                    self._warned = True
                    logger.warning(
                        "deals: some deals are restricted: the API key's user lacks the 'Manage "
                        "pipeline' permission on their pipelines, so ActiveCampaign sends only their "
                        "id, title and isDisabled. They are synced with those fields; give the user's "
                        "group that permission (Settings > Users > Groups) to sync them in full."
                    )
            yield record
        if restricted:
            # Counted apart in the sync's summary: synced, but thin.
            progress.rows_restricted(self._stream_name, restricted)
