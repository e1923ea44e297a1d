"""Contacts read in id ranges, several at once, each range paged by id (keyset).

Keyset paging (`orders[id]=ASC`, `id_greater`) is the API's recommended way through a large
contacts list, but one keyset sequence is one request at a time: with a 200 ms round trip it
cannot reach the account's 5 requests per second. Splitting the ids into ranges gives the
concurrent reader several independent sequences, while each still pages by id, so a record
updated during the read is neither skipped nor read twice. The ranges are equal and bounded, so
the sequences finish together at any size (the reader takes ranges in order as sequences free up)
and a range is a small unit of work at any size.
"""

import math
from collections.abc import Iterable, Mapping
from dataclasses import InitVar, dataclass
from typing import Any

from airbyte_cdk.sources.streams.concurrent.abstract_stream import AbstractStream
from airbyte_cdk.sources.types import Config, StreamSlice

from source_activecampaign import progress
from source_activecampaign.first_read_partitions import RequestParameterPartitionRouter


def id_ranges(newest_id: int, max_ids_per_range: int, sequences: int, page_size: int) -> list[Mapping[str, str]]:
    """Equal ranges covering ids 1..newest_id and beyond, as the `id_greater`/`id_less` they are read with.

    As many ranges as `sequences` (or a multiple of it), each at most `max_ids_per_range` ids wide, so
    that the sequences read side by side take the same number of ranges and finish together; an
    account too small to give every sequence a page gets one range a page.

    >>> id_ranges(6_000, 2_500, 4, 100)
    [{'id_greater': '0', 'id_less': '1501'}, ..., {'id_greater': '4500'}]

    The last range has no upper bound, so contacts created during the read are not missed.
    """
    if newest_id <= 0:
        return [{"id_greater": "0"}]
    if newest_id < sequences * page_size:
        count = math.ceil(newest_id / page_size)
    else:
        count = sequences * math.ceil(newest_id / (sequences * max_ids_per_range))
    width = math.ceil(newest_id / count)
    ranges: list[Mapping[str, str]] = []
    for index in range(count):
        lower = index * width
        if index == count - 1:
            ranges.append({"id_greater": str(lower)})
        else:
            ranges.append({"id_greater": str(lower), "id_less": str(lower + width + 1)})
    return ranges


@dataclass
class ContactIdRangePartitionRouter(RequestParameterPartitionRouter):
    """Partitions contacts into id ranges from the newest contact's id.

    ``newest_record_stream`` is a stream declared in the manifest that reads the contact with the
    highest id (``orders[id]=DESC``, ``limit=1``): one request per sync, through the same requester,
    rate budget and error handling as every other.
    """

    newest_record_stream: AbstractStream
    config: Config
    parameters: InitVar[Mapping[str, Any]]
    max_ids_per_range: int = 2500
    sequences: int = 4
    page_size: int = 100

    def __post_init__(self, parameters: Mapping[str, Any] | None) -> None:
        self._ranges: list[Mapping[str, str]] | None = None
        self._name = str((parameters or {}).get("name", ""))

    def _newest_id(self) -> int:
        for partition in self.newest_record_stream.generate_partitions():
            for record in partition.read():
                return int(record.data["id"])
        return 0

    def stream_slices(self) -> Iterable[StreamSlice]:
        if self._ranges is None:
            self._ranges = id_ranges(
                self._newest_id(), int(self.max_ids_per_range), int(self.sequences), int(self.page_size)
            )
            # Equal ranges: what the first ones hold says what all of them will.
            progress.partitions_planned(self._name, len(self._ranges))
        for id_range in self._ranges:
            yield StreamSlice(partition=dict(id_range), cursor_slice={})
