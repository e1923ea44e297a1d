"""What a first read has read so far, in the two shapes its partitions are read in.

A first read of contacts pages each id range by id (keyset): what it has read is a set of ids, kept
as merged intervals, whatever the ranges were (``IdRangeProgress``). A first read of deals pages each
window of creation time by offset, and a collection without either is one offset sequence: what it
has read is, for each partition not finished, the offset it reached and the id of the last record
before it (``PartitionOffsetProgress``). Both are small at any size: a few intervals, or one entry
per partition not finished.

The state a first read leaves while it runs (``CHECKPOINT_KEY``)::

    {"first_read": {"started_at": "2025-07-01T10:00:00+0000", "newest_cursor_value": "2025-06-30T09:12:00-0500",
                    "read_ids": [[0, 2500], [5000, 5730]], "newest_id": 20000}}
    {"first_read": {"started_at": "...", "newest_cursor_value": "...",
                    "unread": [{"partition": {"created_after": "2023-01-01T00:00:00-0500"}, "offset": 1200,
                                "after_id": "5512"}]}}
"""

import json
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

CHECKPOINT_KEY = "first_read"

# Keys of an id range partition (contacts): ids above `id_greater` and below `id_less`.
ID_GREATER = "id_greater"
ID_LESS = "id_less"
# Keys an offset partition is resumed with: where to ask from, and the id the read had reached.
RESUME_OFFSET = "offset"
RESUME_AFTER_ID = "after_id"


class IdIntervals:
    """Ids as merged intervals ``(low, high]`` (``high`` None: no upper bound), kept sorted.

    >>> ids = IdIntervals([(0, 100)]); ids.add(250, 300); ids.add(100, 250); ids.as_json()
    [[0, 300]]
    >>> IdIntervals([(0, 100), (250, None)]).gaps()
    [(100, 250)]
    """

    def __init__(self, intervals: Iterable[tuple[int, int | None]] = ()) -> None:
        self._intervals: list[tuple[int, int | None]] = []
        for low, high in intervals:
            self.add(low, high)

    def add(self, low: int, high: int | None) -> None:
        if high is not None and high <= low:
            return
        merged_low, merged_high = low, high
        kept: list[tuple[int, int | None]] = []
        for other_low, other_high in self._intervals:
            touches = (other_high is None or other_high >= merged_low) and (
                merged_high is None or other_low <= merged_high
            )
            if touches:
                merged_low = min(merged_low, other_low)
                merged_high = None if merged_high is None or other_high is None else max(merged_high, other_high)
            else:
                kept.append((other_low, other_high))
        kept.append((merged_low, merged_high))
        self._intervals = sorted(kept, key=lambda interval: interval[0])

    def gaps(self) -> list[tuple[int, int | None]]:
        """The ids not in the set, from 0 up: what is left to read."""
        gaps: list[tuple[int, int | None]] = []
        reached: int | None = 0
        for low, high in self._intervals:
            if reached is None:
                break
            if low > reached:
                gaps.append((reached, low))
            reached = high if high is None else max(reached, high)
        if reached is not None:
            gaps.append((reached, None))
        return gaps

    def as_intervals(self) -> list[tuple[int, int | None]]:
        return list(self._intervals)

    def as_json(self) -> list[list[int | None]]:
        return [[low, high] for low, high in self._intervals]

    @classmethod
    def from_json(cls, value: Any) -> "IdIntervals | None":
        """The intervals of a checkpoint, or None when they are not ``[[int, int | null], ...]``."""
        if not isinstance(value, list):
            return None
        intervals: list[tuple[int, int | None]] = []
        for entry in value:
            if not (isinstance(entry, list) and len(entry) == 2):
                return None
            low, high = entry
            if not _is_int(low) or not (high is None or _is_int(high)):
                return None
            intervals.append((low, high))
        return cls(intervals)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def unread_ids(read: Sequence[IdIntervals | None]) -> IdIntervals:
    """The ids some of several readers have not read: every id when one of them has read nothing."""
    unread = IdIntervals()
    for ids in read:
        for low, high in (ids or IdIntervals()).gaps():
            unread.add(low, high)
    return unread


def id_range_bounds(partition: Mapping[str, Any]) -> tuple[int, int | None]:
    """An id range partition ``{"id_greater": "0", "id_less": "2501"}`` as the interval (0, 2500]."""
    low = int(partition.get(ID_GREATER) or 0)
    upper = partition.get(ID_LESS)
    return low, (int(upper) - 1 if upper not in (None, "") else None)


class PartitionProgress:
    """One partition of a first read being read: what the pages read so far say of it."""

    def page_read(self, next_page_token: Any, last_record: Mapping[str, Any] | None) -> None:
        raise NotImplementedError

    def done(self) -> None:
        raise NotImplementedError


class FirstReadProgress:
    """What a first read has read, updated from the pages read and the partitions closed.

    Called from the reading threads; the cursor holds its lock around every call.
    """

    def partitions(self, planned: Iterable[Mapping[str, Any]]) -> Iterator[tuple[Mapping[str, Any], PartitionProgress]]:
        """The partitions to read, each with its progress: ``planned`` (what the partition router
        yields), less what a checkpoint says was read."""
        raise NotImplementedError

    def checkpoint(self) -> dict[str, Any] | None:
        """This progress as checkpoint fields, or None while it cannot be told safely."""
        raise NotImplementedError


# --- keyset: id ranges --------------------------------------------------------------------------------


class _IdRangePartition(PartitionProgress):
    def __init__(self, progress: "IdRangeProgress", low: int, high: int | None) -> None:
        self._progress, self._low, self._high = progress, low, high

    def page_read(self, next_page_token: Any, last_record: Mapping[str, Any] | None) -> None:
        # A keyset page token is the last id of the page read: every id of the range up to it is read.
        if next_page_token is not None and str(next_page_token).isdigit():
            last_id = int(next_page_token)
            self._progress.read.add(self._low, last_id if self._high is None else min(last_id, self._high))

    def done(self) -> None:
        self._progress.read.add(self._low, self._high)


@dataclass
class IdRangeProgress(FirstReadProgress):
    """A first read paged by id in ranges: the ids read, as intervals.

    The ranges to read come from the router, which splits what is left (see
    ``source_activecampaign.contacts.id_ranges``); ``newest_id`` is where it split the ids, kept so that
    a resumed read splits what is left the same way without asking again.
    """

    read: IdIntervals = field(default_factory=IdIntervals)
    newest_id: int | None = None

    def partitions(self, planned: Iterable[Mapping[str, Any]]) -> Iterator[tuple[Mapping[str, Any], PartitionProgress]]:
        for partition in planned:
            low, high = id_range_bounds(partition)
            yield partition, _IdRangePartition(self, low, high)

    def checkpoint(self) -> dict[str, Any] | None:
        fields: dict[str, Any] = {"read_ids": self.read.as_json()}
        if self.newest_id is not None:
            fields["newest_id"] = self.newest_id
        return fields


# --- offset: windows, or one sequence ----------------------------------------------------------------


def partition_key(partition: Mapping[str, Any]) -> str:
    return json.dumps(partition, sort_keys=True)


@dataclass
class UnreadPartition(PartitionProgress):
    """A partition not finished: its offset and the id of the record before it, once a page is read."""

    partition: Mapping[str, Any]
    offset: int | None = None
    after_id: str | None = None
    finished: bool = False

    def page_read(self, next_page_token: Any, last_record: Mapping[str, Any] | None) -> None:
        if next_page_token is None or not str(next_page_token).isdigit():
            return
        self.offset = int(next_page_token)
        record_id = last_record.get("id") if last_record is not None else None
        self.after_id = None if record_id is None or self.offset == 0 else str(record_id)

    def done(self) -> None:
        self.finished = True

    def resumed(self, overlap: int) -> Mapping[str, Any]:
        """The partition as it is read again: ``overlap`` records before its offset are asked for again,
        so that the pager finds ``after_id`` among them even if records before it were deleted; without
        ``after_id`` it is read from its start."""
        if not self.offset or self.after_id is None:
            return dict(self.partition)
        return {
            **self.partition,
            RESUME_OFFSET: str(max(0, self.offset - overlap)),
            RESUME_AFTER_ID: self.after_id,
        }

    def as_json(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"partition": dict(self.partition)}
        if self.offset and self.after_id is not None:
            entry["offset"] = self.offset
            entry["after_id"] = self.after_id
        return entry

    @classmethod
    def from_json(cls, value: Any) -> "UnreadPartition | None":
        if not isinstance(value, Mapping) or not isinstance(value.get("partition"), Mapping):
            return None
        offset, after_id = value.get("offset"), value.get("after_id")
        if offset is not None and not (_is_int(offset) and offset >= 0 and isinstance(after_id, str)):
            return None
        return cls(dict(value["partition"]), offset, after_id if offset else None)


class PartitionOffsetProgress(FirstReadProgress):
    """A first read of offset-paged partitions: the partitions not finished, each with its offset.

    Every partition the router plans is listed until it is finished, so no checkpoint is told before
    the router has yielded them all (``planned_all``). A resumed read reads the partitions of its
    checkpoint instead of planning again: planning windows of creation time costs requests, and their
    bounds must stay those the offsets were counted in.
    """

    def __init__(self, unread: Sequence[UnreadPartition] | None, overlap: int) -> None:
        self._resumed = list(unread) if unread is not None else None
        self._overlap = overlap
        self._partitions: dict[str, UnreadPartition] = {}
        self._planned_all = False
        self._lock = threading.Lock()

    def partitions(self, planned: Iterable[Mapping[str, Any]]) -> Iterator[tuple[Mapping[str, Any], PartitionProgress]]:
        if self._resumed is not None:
            entries: Iterable[UnreadPartition] = self._resumed
        else:
            entries = (UnreadPartition(dict(partition)) for partition in planned)
        for entry in entries:
            with self._lock:
                self._partitions[partition_key(entry.partition)] = entry
            yield entry.resumed(self._overlap), entry
        self._planned_all = True

    def checkpoint(self) -> dict[str, Any] | None:
        if not self._planned_all:
            return None
        with self._lock:
            return {"unread": [entry.as_json() for entry in self._partitions.values() if not entry.finished]}
