"""A stream's estimate from what the sync has seen, one basis per case."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from source_activecampaign.progress.estimates import counted_by_api, estimated_rows, worth_sending
from source_activecampaign.progress.facts import RowsListed, SyncFacts
from source_activecampaign.progress.read_plan import StreamReadPlan
from unit_tests.progress.conftest import API

COUNTED = StreamReadPlan(estimated=True, whole_collection=True)
UTC = datetime.timezone.utc
STATE = datetime.datetime(2024, 3, 1, tzinfo=UTC)
NOW = datetime.datetime(2024, 9, 1, tzinfo=UTC)


def _page(url: str, rows: int, total: int | None = None, stream: str = "s", listed: Any = None) -> Callable:
    body = {"meta": {"total": str(total)}} if total is not None else {}
    return lambda facts: facts.page_read(stream, API + url, body, rows, listed)


def _ranges(count: int, seen: int, contacts_each: int) -> list[Callable]:
    width = 2_500
    return [
        _page(f"contacts?id_greater={i * width}&id_less={(i + 1) * width + 1}&limit=100", 100, total=contacts_each)
        for i in range(seen)
    ] + [lambda facts: facts.partitions_planned("s", count)]


def _window(after: str, before: str, total: int) -> Callable:
    # As requests sends them: "+" written %2B.
    after, before = after.replace("+", "%2B"), before.replace("+", "%2B")
    query = f"filters%5Bupdated_after%5D={after}&filters%5Bupdated_before%5D={before}"
    return _page(f"contacts?{query}&limit=100", min(total, 100), total=total)


def _pipelines(total: int) -> Callable:
    return _page("dealGroups?offset=0&limit=100", total, total=total, stream="deal_pipelines")


def _stages(pipeline: int, stages: int) -> Callable:
    return _page(f"dealStages?offset=0&limit=100&filters%5Bd_groupid%5D={pipeline}", stages, total=stages)


def _contacts_listing(listed: list[int]) -> Callable:
    return _page("contacts?id_greater=0&limit=100", sum(listed), total=999, listed=RowsListed(len(listed), listed))


NEWEST_CONTACT = _page("contacts?orders%5Bid%5D=DESC&limit=1", 1, total=200, stream="newest_contact")
STAGES = StreamReadPlan(True, True, parent_collection="dealGroups")
WINDOWS = StreamReadPlan(True, False, window_span=(STATE, NOW))


@pytest.mark.parametrize(
    "plan, seen, expected",
    [
        pytest.param(COUNTED, [], None, id="nothing seen yet"),
        pytest.param(COUNTED, [_page("tags?offset=0&limit=100", 7, total=7)], 7, id="meta.total of its pages"),
        pytest.param(
            StreamReadPlan(estimated=False, whole_collection=True),
            [_page("tags?offset=0&limit=100", 7, total=7)],
            None,
            id="a read filtered on the client: never",
        ),
        pytest.param(
            COUNTED, [_page("accountCustomFieldData?offset=0&limit=100", 100)], None, id="no meta, a full page: not yet"
        ),
        pytest.param(
            COUNTED,
            [
                _page("accountCustomFieldData?offset=0&limit=100", 100),
                _page("accountCustomFieldData?offset=100&limit=100", 48),
            ],
            148,
            id="no meta: the rows, once the last page is read",
        ),
        pytest.param(
            COUNTED,
            [NEWEST_CONTACT, _page("contacts?id_greater=0&id_less=101&limit=100", 100, total=100)],
            200,
            id="id ranges of one query: the count of the answer that placed them",
        ),
        pytest.param(
            COUNTED, [lambda facts: facts.read_counted("s", 500)], 500, id="the count its read was planned from"
        ),
        pytest.param(COUNTED, _ranges(8, 4, 1_000), None, id="four of eight ranges (start date): too few to say"),
        pytest.param(COUNTED, _ranges(8, 8, 1_000), 8_000, id="every range begun: their counts"),
        pytest.param(COUNTED, _ranges(40, 20, 1_000), 40_000, id="half of forty equal ranges: the rest alike"),
        pytest.param(STAGES, [_pipelines(3), _stages(1, 5), _stages(2, 5)], None, id="two pipelines of three: not yet"),
        pytest.param(
            STAGES, [_pipelines(3), _stages(1, 5), _stages(2, 5), _stages(3, 4)], 14, id="every pipeline's stages"
        ),
        pytest.param(STAGES, [_stages(1, 5)], None, id="stages before the pipelines' count"),
        pytest.param(
            COUNTED,
            [NEWEST_CONTACT, _contacts_listing([2, 1, 0, 3] * 25)],
            None,
            id="rows listed by half the contacts, spread wide: not yet",
        ),
        pytest.param(
            COUNTED,
            [
                NEWEST_CONTACT,
                _contacts_listing([1] * 100),
                _page("contacts?id_greater=100&limit=100", 100, listed=RowsListed(100, [1] * 100)),
            ],
            200,
            id="rows listed by every contact: their sum",
        ),
        pytest.param(
            WINDOWS,
            [
                _window("2024-02-29T00:00:00+0000", "2024-05-29T00:00:01+0000", 3),
                _window("2024-05-29T00:00:01+0000", "2024-08-27T00:00:01+0000", 0),
                _window("2024-08-27T00:00:01+0000", "2024-09-01T00:00:05+0000", 10),
            ],
            13,
            id="windows from the state to the sync's start: their counts",
        ),
        pytest.param(
            WINDOWS,
            [_window("2024-02-29T00:00:00+0000", "2024-05-29T00:00:01+0000", 3)],
            None,
            id="the first window of three: not yet",
        ),
        pytest.param(
            WINDOWS,
            [
                _window("2024-02-29T00:00:00+0000", "2024-05-29T00:00:01+0000", 3),
                _window("2024-08-27T00:00:01+0000", "2024-09-01T00:00:05+0000", 10),
            ],
            None,
            id="a window missing between two: not yet",
        ),
        pytest.param(
            WINDOWS,
            [_page("activities?after=2024-02-29T00:00:00%2B0000&offset=0&limit=100", 2, total=2)],
            2,
            id="a read from a state in one query (activities): its count",
        ),
    ],
)
def test_estimated_rows(sync: SyncFacts, plan: StreamReadPlan, seen: list[Callable], expected: int | None) -> None:
    for event in seen:
        event(sync)

    assert sync.evaluate("s", lambda facts, collections: estimated_rows(plan, facts, collections)) == expected


@pytest.mark.parametrize(
    "seen, expected",
    [
        pytest.param([_page("tags?offset=0&limit=100", 7, total=7)], 7, id="one query: its count"),
        pytest.param([_stages(1, 5), _stages(2, 4)], 9, id="partitions: the sum of their counts"),
        pytest.param(
            [_stages(1, 5), _page("campaigns/8/links?offset=0&limit=100", 4)], None, id="a partition without a count"
        ),
        pytest.param([_contacts_listing([1, 2])], None, id="rows beside the records: the records' count is not theirs"),
    ],
)
def test_counted_by_api(sync: SyncFacts, seen: list[Callable], expected: int | None) -> None:
    for event in seen:
        event(sync)

    assert sync.evaluate("s", counted_by_api) == expected


@pytest.mark.parametrize(
    "previous, estimate, send",
    [
        pytest.param(None, 0, True, id="the first"),
        pytest.param(100, 110, False, id="10% more: no"),
        pytest.param(100, 111, True, id="more than 10% more"),
        pytest.param(100, 89, True, id="more than 10% less"),
        pytest.param(0, 1, True, id="from none to one"),
        pytest.param(0, 0, False, id="the same"),
    ],
)
def test_worth_sending(previous: int | None, estimate: int, send: bool) -> None:
    assert worth_sending(previous, estimate) is send
