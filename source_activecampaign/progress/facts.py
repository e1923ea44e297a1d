"""What a sync has seen so far, stream by stream: requests and their answers, pages and the API's counts.

The components that talk to the API tell it what they see (``source_activecampaign.progress`` has
the functions they call); the entrypoint reads it to send estimates while the sync runs and the
summary at its end. Worker threads write and the main thread reads, so every access holds one lock,
and a writer only adds to counters: no work per record.

Pages are told apart by their request: the path, the query without the paging parameters (the
*partition*: one collection, one window of a filter, one id range) and the page's place in it
(``offset`` or ``id_greater``). A page read twice (a parent collection read for a child stream as
well as for itself) counts once.
"""

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlparse

from source_activecampaign.progress.extrapolation import RowsPerParent

# Query parameters that page through a collection rather than choose what it holds.
PAGE_PARAMETERS = frozenset({"offset", "limit", "id_greater", "include"})
# Keyset bounds: an answer bounded by them counts part of the collection, not all of it.
ID_BOUNDS = frozenset({"id_greater", "id_less"})
API_PATH_PREFIX = "/api/3/"

Filters = tuple[tuple[str, str], ...]
# (path under /api/3/, the query without paging): one collection, or one partition of a stream.
RequestScope = tuple[str, Filters]
T = TypeVar("T")


@dataclass(frozen=True)
class PageRequest:
    """A page's request, read from its URL: what it asks for and where in the collection."""

    scope: RequestScope
    place: str
    limit: int | None
    counts_whole_collection: bool

    @classmethod
    def of(cls, url: str) -> "PageRequest":
        """``https://x.api-us1.com/api/3/contacts?id_greater=7&id_less=20&limit=100`` -> scope
        ``("contacts", (("id_less", "20"),))``, place ``"id_greater=7"``, limit 100; an answer bounded by
        ids does not count the whole collection."""
        parsed = urlparse(url)
        path = parsed.path
        path = path.split(API_PATH_PREFIX, 1)[1] if API_PATH_PREFIX in path else path.lstrip("/")
        query = parse_qsl(parsed.query, keep_blank_values=False)
        filters = tuple(
            sorted(
                (name, value) for name, value in query if name not in PAGE_PARAMETERS and not name.startswith("orders[")
            )
        )
        names = {name for name, _ in query}
        values = dict(query)
        place = "&".join(f"{name}={values[name]}" for name in ("offset", "id_greater") if name in values)
        limit = values.get("limit", "")
        return cls(
            scope=(path, filters),
            place=place,
            limit=int(limit) if limit.isdigit() else None,
            counts_whole_collection=not names & ID_BOUNDS,
        )


def meta_total(body: Any) -> int | None:
    """``meta.total`` of an answer: an int on some endpoints, a string on most, absent on a few."""
    meta = body.get("meta") if isinstance(body, Mapping) else None
    total = meta.get("total") if isinstance(meta, Mapping) else None
    if isinstance(total, bool):
        return None
    if isinstance(total, int):
        return total
    if isinstance(total, str) and total.isdigit():
        return int(total)
    return None


@dataclass
class Partition:
    """One partition of a stream's read: the API's count for it, and the rows its pages gave."""

    total: int | None = None
    rows: int = 0
    ended: bool = False  # its last page was read: the rows are all there are

    def count(self) -> int | None:
        """How many rows the partition holds, when the API said so or its last page was read."""
        if self.total is not None:
            return self.total
        return self.rows if self.ended else None


@dataclass
class StreamFacts:
    """Everything seen for one stream (under the name its components carry)."""

    requests: int = 0
    rate_limited: int = 0
    retried: int = 0
    first_activity: float | None = None
    last_activity: float | None = None
    rows_read: int = 0
    restricted_rows: int = 0
    partitions: dict[RequestScope, Partition] = field(default_factory=dict)
    pages_seen: set[tuple[RequestScope, str]] = field(default_factory=set)
    # The partitions whose count is known, as clusters of one: a projection over a known number of them.
    partition_counts: RowsPerParent = field(default_factory=RowsPerParent)
    uncounted_partitions: int = 0
    # The partitions' queries with their id bounds left out: one, when the read is one query however split.
    queries: set[RequestScope] = field(default_factory=set)
    # Rows that hang off the records of another collection, and which collection (None: they do not).
    rows_per_parent: RowsPerParent = field(default_factory=RowsPerParent)
    parent_collection: str | None = None
    partitions_planned: int | None = None
    counted_by_plan: int | None = None

    def touch(self, now: float) -> None:
        if self.first_activity is None:
            self.first_activity = now
        self.last_activity = now

    def seconds(self) -> float:
        if self.first_activity is None or self.last_activity is None:
            return 0.0
        return self.last_activity - self.first_activity

    def counted_partitions(self) -> int | None:
        """The rows of every partition read, when each one's count is known."""
        if not self.partitions or self.uncounted_partitions:
            return None
        return self.partition_counts.rows


@dataclass
class RowsListed:
    """What a page says of the rows a stream takes from it beside its records: how many records
    (parents) the page holds, and the rows each lists or all of them hold together."""

    parents: int
    rows_of_each: list[int] | None = None
    rows: int = 0

    def add_to(self, rows_per_parent: RowsPerParent) -> None:
        if self.rows_of_each is not None:
            rows_per_parent.add_parents(self.rows_of_each)
        else:
            rows_per_parent.add_cluster(self.parents, self.rows)


class SyncFacts:
    """The facts of one sync, written by the components' threads and read by the entrypoint."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self._streams: dict[str, StreamFacts] = {}
        self._collections: dict[RequestScope, int] = {}
        self._changed: set[str] = set()

    def _stream(self, name: str) -> StreamFacts:
        facts = self._streams.get(name)
        if facts is None:
            facts = self._streams[name] = StreamFacts()
        self._changed.add(name)
        return facts

    def request_answered(self, stream: str, status: int | None, retried: bool) -> None:
        with self._lock:
            facts = self._stream(stream)
            facts.requests += 1
            facts.rate_limited += status == 429
            facts.retried += retried
            facts.touch(self.clock())

    def page_read(self, stream: str, url: str, body: Any, rows: int, listed: RowsListed | None = None) -> None:
        request = PageRequest.of(url)
        total = meta_total(body)
        with self._lock:
            facts = self._stream(stream)
            facts.touch(self.clock())
            if total is not None and request.counts_whole_collection:
                self._collections[request.scope] = max(total, self._collections.get(request.scope, 0))
            page = (request.scope, request.place)
            if page in facts.pages_seen:
                return
            facts.pages_seen.add(page)
            facts.rows_read += rows
            if listed is not None:
                # The page's meta.total counts its records, not the rows this stream takes beside them.
                facts.parent_collection = request.scope[0]
                listed.add_to(facts.rows_per_parent)
                total = None
            partition = facts.partitions.get(request.scope)
            if partition is None:
                partition = facts.partitions[request.scope] = Partition()
                facts.uncounted_partitions += 1
                path, filters = request.scope
                facts.queries.add((path, tuple((name, value) for name, value in filters if name not in ID_BOUNDS)))
            known_before = partition.count()
            if total is not None:
                # Keyset pages count what is left of their partition: the first page counts it all.
                partition.total = max(total, partition.total or 0)
            partition.rows += rows
            # A page shorter than its limit is the partition's last; a request without a limit is its only page.
            partition.ended = partition.ended or request.limit is None or rows < request.limit
            known_now = partition.count()
            if known_now != known_before:
                if known_before is None:
                    facts.uncounted_partitions -= 1
                else:
                    facts.partition_counts.add_cluster(1, known_before, sign=-1)
                if known_now is not None:
                    facts.partition_counts.add_cluster(1, known_now)

    def rows_restricted(self, stream: str, rows: int) -> None:
        with self._lock:
            self._stream(stream).restricted_rows += rows

    def read_counted(self, stream: str, total: int) -> None:
        with self._lock:
            self._stream(stream).counted_by_plan = total

    def partitions_planned(self, stream: str, partitions: int) -> None:
        with self._lock:
            self._stream(stream).partitions_planned = partitions

    def changed_streams(self) -> set[str]:
        """The streams with news since the last call."""
        with self._lock:
            changed, self._changed = self._changed, set()
            return changed

    def has_news(self) -> bool:
        return bool(self._changed)

    def evaluate(self, stream: str, judge: Callable[[StreamFacts, Mapping[RequestScope, int]], T]) -> T | None:
        """``judge(stream's facts, the collections' counts)`` while no thread writes; None for a stream
        nothing was seen of."""
        with self._lock:
            facts = self._streams.get(stream)
            return judge(facts, self._collections) if facts is not None else None

    def streams(self) -> list[str]:
        with self._lock:
            return list(self._streams)

    def totals(self) -> tuple[int, int, int]:
        """Requests, 429s and retried answers of the whole sync."""
        with self._lock:
            facts = list(self._streams.values())
        return (
            sum(stream.requests for stream in facts),
            sum(stream.rate_limited for stream in facts),
            sum(stream.retried for stream in facts),
        )
