"""Deals read in windows of creation time, several at once, each window offset-paged.

Deals have no keyset paging (`id_greater` exists only on contacts), so the first read of deals was
one offset sequence, one request at a time: at a 200 ms round trip it cannot keep the account's 5
requests per second in flight. The API filters deals on their creation time
(`filters[created_after]` is >=, `filters[created_before]` is <,
https://developers.activecampaign.com/reference/list-all-deals), and `cdate` never changes, so
windows of `cdate` split the deals into sets that do not move between windows while they are read.
The windows hold equal numbers of deals (their bounds are the `cdate` of the deals at equal offsets
in `orders[cdate]=ASC`), so the sequences read side by side finish together.

The split relies on the API honouring both filters as documented. Before any window is read, each
window's `meta.total` is asked for: they must add up to the unfiltered `meta.total`, or the deals are
read as one plain sequence, as before. A window's deals all have a `cdate` at or after its lower
bound, which is what lets an interrupted first read resume from the lowest unfinished window (see
``RangeStateToCursorState``).
"""

import logging
import math
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import InitVar, dataclass
from typing import Any

from airbyte_cdk.sources.declarative.requesters.requester import Requester
from airbyte_cdk.sources.types import Config, StreamSlice

from source_activecampaign import progress
from source_activecampaign.checkpoints.read_so_far import FirstReadProgress
from source_activecampaign.dates import parse_date_time
from source_activecampaign.first_read_partitions import FirstReadPartitionRouter, offset_progress

logger = logging.getLogger("airbyte")

AFTER = "created_after"
BEFORE = "created_before"


def window_count(total: int, min_records_per_window: int, max_records_per_window: int, sequences: int) -> int:
    """How many windows: as many as `sequences` (or a multiple of it) of at most `max_records_per_window`
    records, but fewer (down to one, a plain sequence) where a window would hold less than
    `min_records_per_window`: placing and checking a window costs two requests, which a small window
    does not win back.

    >>> [window_count(total, 2_500, 10_000, 4) for total in (4_999, 5_000, 7_500, 10_000, 50_000)]
    [1, 2, 3, 4, 8]
    """
    if total < sequences * min_records_per_window:
        return max(1, total // min_records_per_window)
    return sequences * math.ceil(total / (sequences * max_records_per_window))


def split_offsets(total: int, windows: int) -> list[int]:
    """The offsets, in creation order, of the first deal of every window but the first.

    >>> split_offsets(5_000, 4)
    [1250, 2500, 3750]
    """
    return [index * total // windows for index in range(1, windows)]


def creation_windows(bounds: Sequence[str]) -> list[Mapping[str, str]]:
    """Windows between consecutive creation times; the last one has no upper bound, so deals created
    during the read are not missed. Equal bounds (deals created in the same second) make one window.

    >>> creation_windows(["2023-01-01T00:00:00-05:00", "2023-06-01T00:00:00-05:00", "2023-06-01T00:00:00-05:00"])
    [{'created_after': '2023-01-01T00:00:00-05:00', 'created_before': '2023-06-01T00:00:00-05:00'},
     {'created_after': '2023-06-01T00:00:00-05:00'}]
    """
    distinct: list[str] = []
    for bound in bounds:
        if not distinct or parse_date_time(bound) > parse_date_time(distinct[-1]):
            distinct.append(bound)
    windows: list[Mapping[str, str]] = [
        {AFTER: lower, BEFORE: upper} for lower, upper in zip(distinct, distinct[1:], strict=False)
    ]
    windows.append({AFTER: distinct[-1]})
    return windows


def _total(body: Mapping[str, Any] | None) -> int | None:
    """meta.total, an int on /deals (a string on most other collections), or None when absent."""
    meta = (body or {}).get("meta")
    try:
        return int(meta["total"]) if isinstance(meta, Mapping) else None
    except (KeyError, TypeError, ValueError):
        return None


@dataclass
class CreationWindowPartitionRouter(FirstReadPartitionRouter):
    """Partitions a collection into windows of creation time holding equal numbers of records.

    ``requester`` asks for one record of the collection in creation order (``orders[cdate]=ASC``,
    ``limit=1``, and the first read's own filters); the router adds ``offset`` or the window's bounds.
    With 10,000 deals: one request for the total and the oldest deal, three for the deals at offsets
    2,500, 5,000 and 7,500, and four for the windows' totals, all through the stream's rate budget.

    Partitions: ``{"created_after": <cdate>, "created_before": <cdate>}`` ... ``{"created_after":
    <cdate>}``, none when the API refused the first request and the error handler skips the stream, or a
    single ``{}`` (one plain sequence) when the collection is too small to split, when a bounding
    record has no ``creation_time_field`` (a restricted deal shows only id, title and isDisabled), or when the
    windows' totals do not add up to the collection's.

    Each window is offset-paged, and its checkpoints keep the offset each window not finished has
    reached. A resumed first read reads the windows of its checkpoint: no request to place them again.
    """

    requester: Requester
    config: Config
    parameters: InitVar[Mapping[str, Any]]
    creation_time_field: str = "cdate"
    min_records_per_window: int = 2_500
    max_records_per_window: int = 10_000
    sequences: int = 4
    page_size: int = 100
    seconds_between_checkpoints: float | str = 1.0

    def __post_init__(self, parameters: Mapping[str, Any] | None) -> None:
        self._windows: list[Mapping[str, str]] | None = None
        self._name = (parameters or {}).get("name", "")

    def _ask(self, params: Mapping[str, str]) -> Mapping[str, Any] | None:
        """One record of the collection (the first read's filters and order, plus ``params``), as a body;
        None when the API refused it and the error handler chose to skip the stream (a 403 naming a
        missing permission, a 404 of a missing feature), which it has said why."""
        response = self.requester.send_request(request_params={**params, "limit": "1"})
        if response is not None and not response.ok:
            return None
        try:
            body = response.json() if response is not None else None
        except ValueError:
            body = None
        return body if isinstance(body, Mapping) else {}

    def _bound_at(self, body: Mapping[str, Any] | None) -> str | None:
        """The creation time of the one record in ``body``, if it has one."""
        found = (body or {}).get(self._name)
        record = found[0] if isinstance(found, list) and found and isinstance(found[0], Mapping) else {}
        value = record.get(self.creation_time_field)
        return value if isinstance(value, str) and value[:4].isdigit() and value[:4] != "0000" else None

    def _window_total(self, window: Mapping[str, str]) -> int | None:
        return _total(self._ask({f"filters[{key}]": value for key, value in window.items()}))

    def _plan(self) -> list[Mapping[str, str]]:
        plain: list[Mapping[str, str]] = [{}]
        oldest = self._ask({"offset": "0"})
        if oldest is None:
            return []
        total = _total(oldest)
        if total is None:
            return plain
        # The deals this first read emits, restricted ones included: the stream's estimate.
        progress.read_counted(self._name, total)
        count = window_count(
            total, int(self.min_records_per_window), int(self.max_records_per_window), int(self.sequences)
        )
        if count == 1:
            return plain
        with ThreadPoolExecutor(max_workers=int(self.sequences)) as pool:
            at_splits = pool.map(
                lambda offset: self._bound_at(self._ask({"offset": str(offset)})), split_offsets(total, count)
            )
            bounds = [self._bound_at(oldest), *at_splits]
            if None in bounds:
                logger.info(
                    f"{self._name}: a record at a window's bound has no {self.creation_time_field}; one sequence."
                )
                return plain
            try:
                windows = creation_windows([str(bound) for bound in bounds])
            except (ValueError, TypeError):  # not ISO, or naive beside aware: not comparable
                logger.info(f"{self._name}: {self.creation_time_field} values {bounds} do not compare; one sequence.")
                return plain
            totals = list(pool.map(self._window_total, windows))
        if None in totals or sum(filter(None, totals)) != total:
            logger.warning(
                f"{self._name}: windows of {self.creation_time_field} held {totals} records where the collection holds "
                f"{total}: filters[{AFTER}] and filters[{BEFORE}] do not split it as documented (or records were "
                "added or removed meanwhile); read in one sequence."
            )
            return plain
        return windows

    def stream_slices(self) -> Iterable[StreamSlice]:
        if self._windows is None:
            self._windows = self._plan()
        for window in self._windows:
            yield StreamSlice(partition=dict(window), cursor_slice={})

    def first_read_progress(self, checkpoint: Mapping[str, Any] | None) -> FirstReadProgress | None:
        return offset_progress(checkpoint, int(self.page_size))
