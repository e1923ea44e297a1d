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

from airbyte_cdk.sources.declarative.interpolation.interpolated_string import InterpolatedString
from airbyte_cdk.sources.streams.concurrent.abstract_stream import AbstractStream
from airbyte_cdk.sources.types import Config, StreamSlice

from source_activecampaign import progress
from source_activecampaign.checkpoints.read_so_far import FirstReadProgress, IdIntervals, IdRangeProgress
from source_activecampaign.contacts.shared_pages import reading_turns
from source_activecampaign.first_read_partitions import FirstReadPartitionRouter


def id_ranges(
    newest_id: int, max_ids_per_range: int, sequences: int, page_size: int, lower: int = 0
) -> list[Mapping[str, str]]:
    """Equal ranges covering ids lower+1..newest_id and beyond, as the `id_greater`/`id_less` they are read with.

    As many ranges as `sequences` (or a multiple of it), each at most `max_ids_per_range` ids wide, so
    that the sequences read side by side take the same number of ranges and finish together; an
    account too small to give every sequence a page gets one range a page.

    >>> id_ranges(6_000, 2_500, 4, 100)
    [{'id_greater': '0', 'id_less': '1501'}, ..., {'id_greater': '4500'}]

    The last range has no upper bound, so contacts created during the read are not missed.
    """
    span = newest_id - lower
    if span <= 0:
        return [{"id_greater": str(lower)}]
    if span < sequences * page_size:
        count = math.ceil(span / page_size)
    else:
        count = sequences * math.ceil(span / (sequences * max_ids_per_range))
    width = math.ceil(span / count)
    ranges: list[Mapping[str, str]] = []
    for index in range(count):
        low = lower + index * width
        if index == count - 1:
            ranges.append({"id_greater": str(low)})
        else:
            ranges.append({"id_greater": str(low), "id_less": str(low + width + 1)})
    return ranges


def ranges_left(
    unread: IdIntervals, newest_id: int, max_ids_per_range: int, sequences: int, page_size: int
) -> list[Mapping[str, str]]:
    """The ranges of a resumed first read: each interval not read yet, split as a first read splits
    (bounded ones into equal ranges of at most `max_ids_per_range`; the open one at `newest_id`).

    >>> ranges_left(IdIntervals([(730, 1500), (4200, None)]), 5_000, 2_500, 4, 100)
    [{'id_greater': '730', 'id_less': '1501'}, {'id_greater': '4200', 'id_less': '4401'}, ..., {'id_greater': '4800'}]
    """
    ranges: list[Mapping[str, str]] = []
    for low, high in unread.as_intervals():
        if high is None:
            ranges.extend(id_ranges(newest_id, max_ids_per_range, sequences, page_size, lower=low))
            continue
        count = math.ceil((high - low) / max_ids_per_range)
        width = math.ceil((high - low) / count)
        for index in range(count):
            range_low = low + index * width
            range_high = min(high, range_low + width)
            ranges.append({"id_greater": str(range_low), "id_less": str(range_high + 1)})
    return ranges


@dataclass
class ContactIdRangePartitionRouter(FirstReadPartitionRouter):
    """Partitions contacts into id ranges from the newest contact's id.

    ``newest_record_stream`` is a stream declared in the manifest that reads the contact with the
    highest id (``orders[id]=DESC``, ``limit=1``): one request per sync, through the same requester,
    rate budget and error handling as every other.

    A resumed first read (``unread_ids`` and ``newest_id`` from the sync's plan, the ids some stream
    reading these ranges has not read) reads only those, split at the same newest id, without asking
    for it again. Its checkpoints keep the ids read, as intervals (``IdRangeProgress``).
    """

    newest_record_stream: AbstractStream
    config: Config
    parameters: InitVar[Mapping[str, Any]]
    max_ids_per_range: int = 2500
    sequences: int = 4
    page_size: int = 100
    unread_ids: Any = ""
    newest_id: Any = ""
    seconds_between_checkpoints: float | str = 1.0
    share: str = ""
    readers: Any = 1

    def __post_init__(self, parameters: Mapping[str, Any] | None) -> None:
        self._parameters = parameters or {}
        self._ranges: list[Mapping[str, str]] | None = None
        self._name = str((parameters or {}).get("name", ""))
        self._progress: IdRangeProgress | None = None

    def _newest_id(self) -> int:
        for partition in self.newest_record_stream.generate_partitions():
            for record in partition.read():
                return int(record.data["id"])
        return 0

    def _evaluated(self, value: Any) -> Any:
        if isinstance(value, str):
            return InterpolatedString.create(value, parameters=self._parameters).eval(self.config)
        return value

    def _resume(self) -> tuple[IdIntervals, int] | None:
        unread = IdIntervals.from_json(self._evaluated(self.unread_ids))
        newest = self._evaluated(self.newest_id)
        if unread is None or isinstance(newest, bool) or not isinstance(newest, int):
            return None
        return unread, newest

    def _plan(self) -> list[Mapping[str, str]]:
        sizes = int(self.max_ids_per_range), int(self.sequences), int(self.page_size)
        resume = self._resume()
        if resume is not None:
            unread, newest = resume
            ranges = ranges_left(unread, newest, *sizes)
        else:
            newest = self._newest_id()
            ranges = id_ranges(newest, *sizes)
            # Equal ranges: what the first ones hold says what all of them will. (What a resumed read
            # has left is not split equally: its estimate comes from elsewhere.)
            progress.partitions_planned(self._name, len(ranges))
        if self._progress is not None:
            self._progress.newest_id = newest
        return ranges

    def stream_slices(self) -> Iterable[StreamSlice]:
        share = str(self._evaluated(self.share) or "")
        readers = int(self._evaluated(self.readers) or 1)
        turns = reading_turns(share, readers) if share and readers > 1 else None
        try:
            if self._ranges is None:
                self._ranges = self._plan()
            for index, id_range in enumerate(self._ranges):
                if turns is not None:
                    turns.wait_turn(self._name, index)
                yield StreamSlice(partition=dict(id_range), cursor_slice={})
                if turns is not None:
                    turns.handed(self._name, index)
        finally:
            if turns is not None:
                turns.finished(self._name)

    def first_read_progress(self, checkpoint: Mapping[str, Any] | None) -> FirstReadProgress | None:
        read = IdIntervals.from_json((checkpoint or {}).get("read_ids", []))
        if read is None:
            return None
        self._progress = IdRangeProgress(read)
        return self._progress
