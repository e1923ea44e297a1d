"""What a sync records of its requests and pages."""

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from source_activecampaign.progress.facts import PageRequest, RowsListed, SyncFacts, meta_total
from unit_tests.progress.conftest import API, Clock


@pytest.mark.parametrize(
    "url, scope, place, limit, whole",
    [
        pytest.param(API + "tags?offset=100&limit=100", ("tags", ()), "offset=100", 100, True, id="an offset page"),
        pytest.param(
            API + "contacts?orders%5Bid%5D=ASC&id_greater=7&id_less=20&include=contactTags&limit=100",
            ("contacts", (("id_less", "20"),)),
            "id_greater=7",
            100,
            False,
            id="a keyset page of an id range: counts the range's rest",
        ),
        pytest.param(
            API + "contacts?orders%5Bid%5D=DESC&limit=1",
            ("contacts", ()),
            "",
            1,
            True,
            id="the newest contact: counts the whole collection",
        ),
        pytest.param(
            API + "dealStages?offset=0&limit=100&filters%5Bd_groupid%5D=3",
            ("dealStages", (("filters[d_groupid]", "3"),)),
            "offset=0",
            100,
            True,
            id="a filter makes a partition",
        ),
        pytest.param(
            API + "campaigns/8/links?offset=0&limit=100", ("campaigns/8/links", ()), "offset=0", 100, True, id="a path"
        ),
        pytest.param(API + "siteTrackingDomains", ("siteTrackingDomains", ()), "", None, True, id="no paging at all"),
    ],
)
def test_page_request_of(url: str, scope: Any, place: str, limit: int | None, whole: bool) -> None:
    assert PageRequest.of(url) == PageRequest(scope, place, limit, whole)


@pytest.mark.parametrize(
    "body, total",
    [
        pytest.param({"meta": {"total": "7"}}, 7, id="a string, as most collections send it"),
        pytest.param({"meta": {"total": 11}}, 11, id="an int, as deals send it"),
        pytest.param({"dealCustomFieldMeta": []}, None, id="no meta"),
        pytest.param({"meta": []}, None, id="meta as PHP's empty array"),
        pytest.param({"meta": {"total": "many"}}, None, id="not a number"),
        pytest.param({"meta": {"total": True}}, None, id="a flag is not a count"),
        pytest.param([], None, id="not an object"),
    ],
)
def test_meta_total(body: Any, total: int | None) -> None:
    assert meta_total(body) == total


def _read(facts: SyncFacts, stream: str, url: str, rows: int, total: int | None = None, parents: int = 0) -> None:
    """A page of ``rows``; with ``parents``, rows that hang off that many records of the page."""
    body = {"meta": {"total": str(total)}} if total is not None else {}
    facts.page_read(stream, API + url, body, rows, RowsListed(parents, rows=rows) if parents else None)


def test_a_page_read_twice_counts_once(sync: SyncFacts) -> None:
    # deal_pipelines' page, read for itself and again as the parent of deal_stages.
    _read(sync, "deal_pipelines", "dealGroups?offset=0&limit=100", 3, total=3)
    _read(sync, "deal_pipelines", "dealGroups?offset=0&limit=100", 3, total=3)

    assert sync.evaluate("deal_pipelines", lambda facts, _: facts.rows_read) == 3


def test_a_keyset_range_is_counted_by_its_first_page(sync: SyncFacts) -> None:
    for place, rows, left in (("0", 100, 250), ("100", 100, 150), ("200", 50, 50)):
        _read(sync, "contacts", f"contacts?id_greater={place}&id_less=251&limit=100", rows, total=left)

    def judge(facts: Any, collections: Any) -> Any:
        (partition,) = facts.partitions.values()
        return partition.count(), facts.rows_read, dict(collections)

    assert sync.evaluate("contacts", judge) == (250, 250, {})


@pytest.mark.parametrize(
    "pages, count",
    [
        pytest.param([100], None, id="a full page: more may come"),
        pytest.param([100, 48], 148, id="a short page ends it"),
        pytest.param([100, 100, 0], 200, id="an empty page ends it"),
    ],
)
def test_a_collection_without_meta_is_counted_once_its_last_page_is_read(
    sync: SyncFacts, pages: list[int], count: int | None
) -> None:
    for index, rows in enumerate(pages):
        _read(sync, "account_custom_field_values", f"accountCustomFieldData?offset={index * 100}&limit=100", rows)

    assert sync.evaluate("account_custom_field_values", lambda facts, _: facts.counted_partitions()) == count


def test_a_page_of_records_that_list_the_streams_rows_counts_the_records_collection_not_the_stream(
    sync: SyncFacts,
) -> None:
    _read(sync, "custom_field_options", "fields?offset=0&limit=100", 11, total=8, parents=8)

    def judge(facts: Any, collections: Any) -> Any:
        (partition,) = facts.partitions.values()
        return facts.parent_collection, facts.rows_per_parent.rows, partition.total, dict(collections)

    assert sync.evaluate("custom_field_options", judge) == ("fields", 11, None, {("fields", ()): 8})


def test_answers_are_counted_per_stream_across_threads(sync: SyncFacts, clock: Clock) -> None:
    def answer(index: int) -> None:
        status = 429 if index % 10 == 0 else 500 if index % 10 == 1 else 200
        sync.request_answered("contacts" if index % 2 else "deals", status, retried=status != 200)

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(answer, range(800)))

    assert sync.totals() == (800, 80, 160)
    assert sync.evaluate("deals", lambda facts, _: (facts.requests, facts.rate_limited, facts.retried)) == (400, 80, 80)
    assert sync.changed_streams() == {"contacts", "deals"}
    assert not sync.has_news()


def test_a_stream_is_timed_from_its_first_to_its_last_answer_or_page(sync: SyncFacts, clock: Clock) -> None:
    sync.request_answered("tags", 200, retried=False)
    clock.now += 2.5
    _read(sync, "tags", "tags?offset=0&limit=100", 7, total=7)

    assert sync.evaluate("tags", lambda facts, _: facts.seconds()) == 2.5
    assert sync.evaluate("notes", lambda facts, _: facts.seconds()) is None
