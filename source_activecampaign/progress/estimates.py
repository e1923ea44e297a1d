"""How many rows a stream will emit in this sync, from what the sync has seen, and when to say it again.

The bases, first one that applies:

1. The count its read was planned from: deals' first read asks for ``meta.total`` with the read's
   own filters before it splits the deals into windows of creation time.
2. Rows listed by the records of another collection (the rows of a contact child stream on the
   contacts pages, custom field options and relations on the ``/fields`` pages): rows per parent
   record read so far, times that collection's ``meta.total``.
3. One partition per record of another collection (stages per pipeline, links per campaign): rows
   per partition read so far, times that collection's ``meta.total``.
4. One query, however split: ``meta.total`` of an answer to that query that counts the whole of it
   (contacts' first read: the answer that gave the newest contact's id; a plain stream: its pages).
5. Partitions planned in advance (contacts' id ranges): rows per range read so far, times the ranges.
6. The sum of every partition's count: ``meta.total`` of its first page, or the rows of a partition
   whose last page was read (collections that send no ``meta.total``).

A projection (2, 3, 5) is sent once its relative standard error is at most 1%, so that it lands
within 5% of the rows emitted; before that, the stream has no estimate.
"""

import datetime
from collections.abc import Mapping

from source_activecampaign.dates import utc_date_time
from source_activecampaign.progress.facts import RequestScope, StreamFacts
from source_activecampaign.progress.read_plan import StreamReadPlan

MAX_RELATIVE_ERROR = 0.01
# The filters of a server-side read in windows of update time (>= and <, as the API documents them for
# contacts and deals: https://developers.activecampaign.com/reference/list-all-deals).
WINDOW_START, WINDOW_END = "filters[updated_after]", "filters[updated_before]"
# An estimate is sent again when it moved by more than this share of the one sent before.
RESEND_AFTER_CHANGE = 0.10


def estimated_rows(plan: StreamReadPlan, facts: StreamFacts, collections: Mapping[RequestScope, int]) -> int | None:
    """The rows the stream will emit in this sync, or None while nothing honest can be said."""
    if not plan.estimated:
        return None
    if plan.window_span is not None and any(WINDOW_END in dict(filters) for _, filters in facts.partitions):
        return _counted_windows(facts, *plan.window_span)
    if facts.counted_by_plan is not None:
        return facts.counted_by_plan
    if facts.parent_collection is not None:
        parents = collections.get((facts.parent_collection, ()))
        return facts.rows_per_parent.projected(parents, MAX_RELATIVE_ERROR) if parents is not None else None
    if plan.parent_collection is not None:
        parents = collections.get((plan.parent_collection, ()))
        return facts.partition_counts.projected(parents, MAX_RELATIVE_ERROR) if parents is not None else None
    whole = _count_of_the_query(facts, collections)
    if whole is not None:
        return whole
    if facts.partitions_planned:
        return facts.partition_counts.projected(facts.partitions_planned, MAX_RELATIVE_ERROR)
    return facts.counted_partitions()


def _window(filters: Mapping[str, str]) -> tuple[datetime.datetime, datetime.datetime] | None:
    after, before = utc_date_time(filters.get(WINDOW_START)), utc_date_time(filters.get(WINDOW_END))
    return (after, before) if after is not None and before is not None else None


def _counted_windows(facts: StreamFacts, since: datetime.datetime, until: datetime.datetime) -> int | None:
    """The rows of a read in windows of update time, once the windows counted cover ``since`` (the
    state's cursor) to ``until`` (the sync's start) without a gap; None before."""
    windows = []
    for (_, filters), partition in facts.partitions.items():
        window, count = _window(dict(filters)), partition.count()
        if window is None or count is None:
            return None
        windows.append((*window, count))
    windows.sort()
    if not windows or windows[0][0] > since or windows[-1][1] < until:
        return None
    if any(later[0] > earlier[1] for earlier, later in zip(windows, windows[1:], strict=False)):
        return None
    return sum(count for _, _, count in windows)


def _count_of_the_query(facts: StreamFacts, collections: Mapping[RequestScope, int]) -> int | None:
    if len(facts.queries) != 1:
        return None
    (query,) = facts.queries
    return collections.get(query)


def counted_by_api(facts: StreamFacts, collections: Mapping[RequestScope, int]) -> int | None:
    """The API's own count (``meta.total``) of what the stream read, once it is read: the count its
    read was planned from, of its one query, or of each of its partitions."""
    if facts.parent_collection is not None:
        return None  # the pages count their records, not the rows the stream took beside them
    if facts.counted_by_plan is not None:
        return facts.counted_by_plan
    whole = _count_of_the_query(facts, collections)
    if whole is not None:
        return whole
    totals = [partition.total for partition in facts.partitions.values()]
    if totals and None not in totals:
        return sum(total for total in totals if total is not None)
    return None


def worth_sending(previous: int | None, estimate: int) -> bool:
    """The first estimate, or one that moved by more than 10% from the last one sent."""
    if previous is None:
        return True
    return abs(estimate - previous) > RESEND_AFTER_CHANGE * previous
