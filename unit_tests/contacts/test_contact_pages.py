"""The contacts pages shared by contact and child streams: the sync plan, the shared pages, the
reconciliation clock and the id interval a page answers for, one behaviour per case."""

import datetime
import io
import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests
from airbyte_cdk.models import ConfiguredAirbyteCatalog, SyncMode
from airbyte_cdk.sources.declarative.extractors.dpath_extractor import DpathExtractor
from airbyte_cdk.sources.declarative.extractors.record_selector import RecordSelector
from airbyte_cdk.sources.declarative.requesters.http_requester import HttpRequester
from airbyte_cdk.sources.declarative.requesters.paginators.no_pagination import NoPagination
from airbyte_cdk.sources.utils.transform import TransformConfig, TypeTransformer
from airbyte_cdk.test.catalog_builder import CatalogBuilder
from airbyte_cdk.test.state_builder import StateBuilder
from airbyte_cdk.utils.constants import ENV_REQUEST_CACHE_PATH

from source_activecampaign.contacts.child_rows import ContactChildRowsExtractor, _page_ids_interval
from source_activecampaign.contacts.pages_plan import CONFIG_KEY, ChildReading, ContactPagesPlan, plan_contact_pages
from source_activecampaign.contacts.shared_pages import SharedPages, parse_reads
from source_activecampaign.state.reconciliation_clock import ReconciliationClock

NOW = datetime.datetime(2024, 3, 1, 12, 0, tzinfo=datetime.timezone.utc)
OPTION_ON = {"contact_children_from_changed_contacts": True}


def _catalog(**streams: SyncMode) -> ConfiguredAirbyteCatalog:
    builder = CatalogBuilder()
    for name, sync_mode in streams.items():
        builder = builder.with_stream(name, sync_mode)
    return builder.build()


def _state(**streams: dict[str, Any]) -> list[Any]:
    builder = StateBuilder()
    for name, stream_state in streams.items():
        builder = builder.with_stream_state(name, stream_state)
    return builder.build()


FULL = SyncMode.full_refresh
INCREMENTAL = SyncMode.incremental


def _checkpoint(read_ids: list[list[int | None]], newest_id: int = 5_000) -> dict[str, Any]:
    return {"first_read": {"started_at": "2024-02-29T10:00:00+0000", "read_ids": read_ids, "newest_id": newest_id}}


RECENT_TAGS = {"updated_timestamp": "2024-02-29T00:00:00+0000", "last_reconciliation": "2024-02-27T00:00:00+0000"}
RECENT_ACCOUNTS = {"updatedTimestamp": "2024-02-29T00:00:00+0000"}
RECENT_AUTOMATIONS = {"lastdate": "2024-02-29T00:00:00+0000"}


@pytest.mark.parametrize(
    "config, catalog, state, expected",
    [
        pytest.param(
            {},
            None,
            None,
            {"children": {}, "pages_readers": 0, "contacts_share": False, "workers": 5, "unread_ids": None},
            id="no catalog (discover, check)",
        ),
        pytest.param(
            {},
            _catalog(contacts=FULL, contact_tags=FULL, contact_lists=FULL),
            None,
            {
                "children": {"contact_tags": "pages", "contact_lists": "pages"},
                "pages_readers": 3,
                "pages_include": "contactLists,contactTags",
                "contacts_share": True,
                "contacts_include": "contactLists,contactTags",
                "ranges_readers": 3,
            },
            id="contacts and two children, full refresh: one read of the pages for three streams",
        ),
        pytest.param(
            {"extract_contact_custom_fields": True},
            _catalog(contacts=FULL, contact_tags=FULL),
            None,
            {"pages_include": "contactTags,fieldValues", "contacts_include": "contactTags,fieldValues"},
            id="custom field columns: fieldValues joins the shared include",
        ),
        pytest.param(
            {"extract_contact_custom_fields": True, "start_date": "2024-01-01"},
            _catalog(contacts=FULL, contact_tags=FULL),
            None,
            {
                "pages_readers": 1,
                "pages_include": "contactTags",
                "contacts_share": False,
                "contacts_include": "fieldValues",
                "ranges_readers": 2,
            },
            id="start date: contacts reads its own filtered pages, the ids still split once",
        ),
        pytest.param(
            {},
            _catalog(contacts=INCREMENTAL, contact_tags=INCREMENTAL),
            _state(contacts={"udate": "2024-02-29T00:00:00+0000"}),
            {"children": {"contact_tags": "pages"}, "pages_readers": 1, "contacts_share": False, "ranges_readers": 1},
            id="contacts with state, a child without: the child reads the pages alone",
        ),
        pytest.param(
            {},
            _catalog(contacts=INCREMENTAL, contact_tags=INCREMENTAL),
            _state(
                contacts={"states": [{"partition": {"id_greater": "0", "id_less": "2501"}, "cursor": {"udate": "x"}}]},
                contact_tags={"states": []},
            ),
            {"children": {"contact_tags": "pages"}, "contacts_share": True, "pages_readers": 2},
            id="first reads cut short (state without a cursor): both start over, on shared pages",
        ),
        pytest.param(
            {},
            _catalog(contacts=INCREMENTAL, contact_tags=INCREMENTAL),
            _state(contacts=_checkpoint([[0, 3000]]), contact_tags=_checkpoint([[0, 2500], [2800, 3000]])),
            {
                "children": {"contact_tags": "pages"},
                "contacts_share": True,
                "pages_readers": 2,
                "unread_ids": [[2500, 2800], [3000, None]],
                "newest_id": 5_000,
            },
            id="first reads killed midway: both read the ids either had not read, split at the same newest id",
        ),
        pytest.param(
            {},
            _catalog(contacts=INCREMENTAL, contact_tags=INCREMENTAL),
            _state(contacts=_checkpoint([[0, 3000]])),
            {"children": {"contact_tags": "pages"}, "pages_readers": 2, "unread_ids": None, "newest_id": None},
            id="a first read killed midway beside one not begun: both read everything",
        ),
        pytest.param(
            {},
            _catalog(
                contacts=FULL,
                contact_tags=FULL,
                contact_lists=FULL,
                custom_field_values=FULL,
                contact_automations=FULL,
                account_contacts=FULL,
            ),
            None,
            {"pages_readers": 6, "workers": 12},
            id="six streams on the pages: two workers each, so that they read each range together",
        ),
        pytest.param(
            {},
            _catalog(contact_tags=INCREMENTAL, contact_deals=FULL),
            _state(contact_tags=RECENT_TAGS),
            {"children": {"contact_tags": "pages"}, "pages_readers": 1, "changed_readers": 0},
            id="child on most contacts with state, option off: the pages, cheaper (contact_deals never rides)",
        ),
        pytest.param(
            {},
            _catalog(account_contacts=INCREMENTAL, contact_automations=INCREMENTAL),
            _state(account_contacts=RECENT_ACCOUNTS, contact_automations=RECENT_AUTOMATIONS),
            {
                "children": {"contact_automations": "collection", "account_contacts": "collection"},
                "pages_readers": 0,
                "ranges_readers": 0,
            },
            id="only children few contacts have, with state: their collections, cheaper",
        ),
        pytest.param(
            {},
            _catalog(account_contacts=INCREMENTAL, contact_tags=FULL),
            _state(account_contacts=RECENT_ACCOUNTS),
            {"children": {"contact_tags": "pages", "account_contacts": "pages"}, "pages_readers": 2},
            id="a child few contacts have, with state, beside a first read of the pages: it rides on them",
        ),
        pytest.param(
            {},
            _catalog(contacts=FULL, account_contacts=INCREMENTAL),
            _state(account_contacts=RECENT_ACCOUNTS),
            {"children": {"account_contacts": "pages"}, "contacts_share": True, "pages_readers": 2},
            id="a child few contacts have, with state, beside contacts' first read: it rides on its pages",
        ),
        pytest.param(
            {"start_date": "2023-01-01"},
            _catalog(contacts=FULL, account_contacts=INCREMENTAL),
            _state(account_contacts=RECENT_ACCOUNTS),
            {"children": {"account_contacts": "collection"}, "contacts_share": False, "pages_readers": 0},
            id="with a start date contacts' pages leave contacts out: the sparse child reads its collection",
        ),
        pytest.param(
            OPTION_ON,
            _catalog(contact_tags=INCREMENTAL, contact_lists=INCREMENTAL),
            _state(contact_tags=RECENT_TAGS, contact_lists={"updated_timestamp": "2024-02-28T00:00:00-06:00"}),
            {
                "children": {"contact_tags": "changed", "contact_lists": "changed"},
                "changed_readers": 2,
                "changed_include": "contactLists,contactTags",
                "changed_since": "2024-02-27T06:00:00+0000",
            },
            id="option on, full reads recent: changed contacts since the older state less a day",
        ),
        pytest.param(
            OPTION_ON,
            _catalog(contact_tags=INCREMENTAL),
            _state(contact_tags={**RECENT_TAGS, "last_reconciliation": "2024-02-23T12:00:00+0000"}),
            {"children": {"contact_tags": "reconcile"}, "changed_readers": 0, "changed_since": ""},
            id="option on, last full read 7 days ago: reconcile",
        ),
        pytest.param(
            OPTION_ON | {"contact_children_full_read_days": 10},
            _catalog(contact_tags=INCREMENTAL),
            _state(contact_tags={**RECENT_TAGS, "last_reconciliation": "2024-02-23T12:00:00+0000"}),
            {"children": {"contact_tags": "changed"}},
            id="option on, 7 days ago but every 10 days: changed",
        ),
        pytest.param(
            OPTION_ON | {"contact_children_full_read_days": "ten"},
            _catalog(contact_tags=INCREMENTAL),
            _state(contact_tags={**RECENT_TAGS, "last_reconciliation": "2024-02-23T12:00:00+0000"}),
            {"children": {"contact_tags": "reconcile"}},
            id="option on, days not a number (the config check names it): every 7 days",
        ),
        pytest.param(
            OPTION_ON,
            _catalog(contact_tags=INCREMENTAL),
            _state(
                contact_tags={
                    "updated_timestamp": "2000-01-01T00:00:00+0000",
                    "last_reconciliation": "2024-03-01T00:00:00+0000",
                }
            ),
            {"children": {"contact_tags": "reconcile"}},
            id="option on, a full read that failed (cursor at the sync start): reconcile again",
        ),
        pytest.param(
            OPTION_ON,
            _catalog(contact_tags=INCREMENTAL),
            _state(contact_tags={"state": {"updated_timestamp": "2024-02-29T10:00:00+0000"}, "states": []}),
            {"children": {"contact_tags": "changed"}, "changed_since": "2024-02-28T10:00:00+0000"},
            id="option on, state of a first read in id ranges: its newest row stands in for the full read",
        ),
    ],
)
def test_plan_contact_pages(
    config: dict[str, Any], catalog: ConfiguredAirbyteCatalog | None, state: list[Any] | None, expected: dict[str, Any]
) -> None:
    plan = plan_contact_pages(config, catalog, state, NOW).as_config()
    shown = {**plan, "contacts_share": bool(plan["contacts_share"])}
    assert {key: shown[key] for key in expected} == expected
    assert bool(plan["pages_share"]) == (plan["pages_readers"] > 0)
    assert plan["synced_at"] == "2024-03-01T12:00:00+0000"


@pytest.mark.parametrize(
    "config, state, checks, expected",
    [
        pytest.param(
            {},
            _state(contacts={"udate": "2024-02-29T00:00:00+0000"}, contact_tags=RECENT_TAGS),
            {"contact_tags"},
            {"children": {"contact_tags": "pages"}, "contacts_share": False, "pages_readers": 1, "ranges_readers": 1},
            id="a child's check, option off: it reads every contacts page alone, filtered by its state",
        ),
        pytest.param(
            OPTION_ON,
            _state(contacts={"udate": "2024-02-29T00:00:00+0000"}, contact_tags=RECENT_TAGS),
            {"contact_tags"},
            {"children": {"contact_tags": "reconcile_pages"}, "changed_readers": 0, "pages_readers": 1},
            id="a child's check, option on: the pages, as its periodic full read too",
        ),
        pytest.param(
            {},
            _state(contact_tags=RECENT_TAGS),
            {"contacts", "contact_tags"},
            {
                "children": {"contact_tags": "pages"},
                "contacts_share": True,
                "pages_readers": 2,
                "contacts_include": "contactTags",
                "ranges_readers": 2,
            },
            id="contacts' check (its state not given: a first read) and a child's: one read of the pages",
        ),
        pytest.param(
            {"start_date": "2024-01-01"},
            _state(contact_tags=RECENT_TAGS),
            {"contacts", "contact_tags"},
            {"children": {"contact_tags": "pages"}, "contacts_share": False, "pages_readers": 1},
            id="with a start date contacts' pages leave contacts out: the child reads its own",
        ),
    ],
)
def test_plan_contact_pages_with_deletion_checks(
    config: dict[str, Any], state: list[Any], checks: set[str], expected: dict[str, Any]
) -> None:
    catalog = _catalog(contacts=INCREMENTAL, contact_tags=INCREMENTAL)
    plan = plan_contact_pages(config, catalog, state, NOW, checks).as_config()
    shown = {**plan, "contacts_share": bool(plan["contacts_share"])}
    assert {key: shown[key] for key in expected} == expected


def _reconciliation_clock(mode: ChildReading) -> ReconciliationClock:
    plan = ContactPagesPlan(children={"contact_tags": mode}, synced_at="2024-03-01T12:00:00+0000")
    config = {CONFIG_KEY: plan.as_config()}
    return ReconciliationClock(cursor_field="updated_timestamp", config=config, parameters={"name": "contact_tags"})


@pytest.mark.parametrize(
    "mode, state, expected",
    [
        pytest.param(
            "reconcile",
            {"updated_timestamp": "2024-02-29T00:00:00+0000", "last_reconciliation": "2024-02-20T00:00:00+0000"},
            {"last_reconciliation": "2024-03-01T12:00:00+0000"},
            id="reconcile: no cursor (every row), the start recorded",
        ),
        pytest.param(
            "changed",
            {"updated_timestamp": "2024-02-29T00:00:00-0600"},
            {"updated_timestamp": "2024-02-29T00:00:00-0600", "last_reconciliation": "2024-02-29T06:00:00+0000"},
            id="changed without a recorded full read: the newest row stands in",
        ),
        pytest.param(
            "reconcile_pages",
            RECENT_TAGS,
            {"last_reconciliation": "2024-03-01T12:00:00+0000"},
            id="reconcile on the pages (a deletion check): the same",
        ),
        pytest.param("changed", RECENT_TAGS, RECENT_TAGS, id="changed with a recorded full read: kept"),
        pytest.param(
            "collection",
            {"updated_timestamp": "2024-02-29T00:00:00+0000"},
            {"updated_timestamp": "2024-02-29T00:00:00+0000"},
            id="option off: untouched",
        ),
        pytest.param("changed", {}, {}, id="no state: untouched"),
    ],
)
def test_reconciliation_clock(mode: ChildReading, state: dict[str, Any], expected: dict[str, Any]) -> None:
    clock = _reconciliation_clock(mode)
    migrated = clock.migrate(state) if clock.should_migrate(state) else state
    assert dict(migrated) == expected
    assert not clock.should_migrate(migrated)


def _response(url: str) -> requests.Response:
    response = requests.Response()
    response.url = url
    return response


@pytest.mark.parametrize(
    "url, contact_ids, expected",
    [
        pytest.param(
            "https://a/api/3/contacts?id_greater=0&id_less=5001",
            list(range(1, 101)),
            (0, 100.0),
            id="full page ends at its last contact",
        ),
        pytest.param(
            "https://a/api/3/contacts?id_greater=4900&id_less=5001",
            [4950, 4990],
            (4900, 5000.0),
            id="short page: the rest of the range",
        ),
        pytest.param(
            "https://a/api/3/contacts?id_greater=15000",
            [15001],
            (15000, float("inf")),
            id="short page of the open range: everything above",
        ),
        pytest.param(
            "https://a/api/3/contacts?filters%5Bupdated_after%5D=x", [], (0, float("inf")), id="first page, no contact"
        ),
    ],
)
def test_page_ids_interval(url: str, contact_ids: list[int], expected: tuple[int, float]) -> None:
    assert _page_ids_interval(_response(url), contact_ids, page_size=100) == expected


class _Api:
    """Answers like the API, counting the requests it was sent."""

    def __init__(self, fail_first: bool = False) -> None:
        self.sent = 0
        self._fail_first = fail_first

    def send(self) -> requests.Response:
        self.sent += 1
        if self._fail_first and self.sent == 1:
            raise ConnectionError("connection reset")
        response = requests.Response()
        response.status_code = 200
        response.raw = io.BytesIO(PAGE_1)
        response.headers["Content-Type"] = "application/json"
        response.url = "https://a/api/3/contacts?limit=100"
        return response


@pytest.fixture()
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(ENV_REQUEST_CACHE_PATH, str(tmp_path))
    return tmp_path


def _kept(pages: SharedPages, cache_folder: Path) -> tuple[int, int]:
    """The files kept on disk, and the bytes kept in memory."""
    return len(list(cache_folder.glob("activecampaign-pages-*/*.json.gz"))), pages.bytes_in_memory()


PAGE_1 = b'{"contacts": [{"id": "1"}]}'


@pytest.mark.parametrize(
    "memory_budget, kept_while_read",
    [
        pytest.param(1024, (0, len(PAGE_1)), id="in memory"),
        pytest.param(len(PAGE_1) - 1, (1, 0), id="past the memory budget: on disk"),
    ],
)
def test_given_three_readers_when_each_asks_once_then_one_request_and_the_kept_page_is_deleted_after_the_last(
    cache_folder: Path, memory_budget: int, kept_while_read: tuple[int, int]
) -> None:
    pages, api = SharedPages(readers=3, memory_budget=memory_budget), _Api()

    first = pages.response_for("page 1", api.send)
    assert _kept(pages, cache_folder) == kept_while_read
    copies = [pages.response_for("page 1", api.send) for _ in range(2)]

    assert api.sent == 1
    assert [(c.json(), c.url, c.headers["Content-Type"]) for c in copies] == [
        (first.json(), first.url, "application/json")
    ] * 2
    assert _kept(pages, cache_folder) == (0, 0)


def test_given_pages_past_the_memory_budget_when_kept_then_the_later_ones_go_to_disk_until_memory_is_freed(
    cache_folder: Path,
) -> None:
    pages, api = SharedPages(readers=2, memory_budget=len(PAGE_1) * 2), _Api()
    for page in ("page 1", "page 2", "page 3"):
        pages.response_for(page, api.send)
    assert _kept(pages, cache_folder) == (1, 2 * len(PAGE_1))

    pages.response_for("page 1", api.send)
    pages.response_for("page 4", api.send)
    assert _kept(pages, cache_folder) == (1, 2 * len(PAGE_1))

    for page in ("page 2", "page 3", "page 4"):
        assert pages.response_for(page, api.send).json() == {"contacts": [{"id": "1"}]}
    assert (api.sent, _kept(pages, cache_folder)) == (4, (0, 0))


def test_given_more_asks_than_readers_when_the_page_was_taken_by_all_then_it_is_requested_again(
    cache_folder: Path,
) -> None:
    pages, api = SharedPages(readers=2), _Api()
    for _ in range(3):
        pages.response_for("page 1", api.send)
    assert api.sent == 2


def test_given_one_reader_when_asked_then_every_ask_is_a_request_and_nothing_is_kept(cache_folder: Path) -> None:
    pages, api = SharedPages(readers=1), _Api()
    pages.response_for("page 1", api.send)
    pages.response_for("page 1", api.send)
    assert (api.sent, _kept(pages, cache_folder)) == (2, (0, 0))


def test_given_the_first_request_fails_when_another_reader_asks_then_it_sends_its_own(cache_folder: Path) -> None:
    pages, api = SharedPages(readers=2), _Api(fail_first=True)
    with pytest.raises(ConnectionError):
        pages.response_for("page 1", api.send)
    assert pages.response_for("page 1", api.send).json() == {"contacts": [{"id": "1"}]}
    assert api.sent == 2


def test_given_a_request_in_flight_when_another_reader_asks_then_it_waits_for_it_instead_of_sending(
    cache_folder: Path,
) -> None:
    pages, api = SharedPages(readers=2), _Api()
    in_flight, release = threading.Event(), threading.Event()

    def slow_send() -> requests.Response:
        in_flight.set()
        release.wait()
        return api.send()

    first = threading.Thread(target=pages.response_for, args=("page 1", slow_send))
    first.start()
    in_flight.wait()
    second: list[requests.Response | None] = []
    waiter = threading.Thread(target=lambda: second.append(pages.response_for("page 1", api.send)))
    waiter.start()
    release.set()
    first.join()
    waiter.join()

    assert api.sent == 1
    assert second[0] is not None and second[0].json() == {"contacts": [{"id": "1"}]}


def test_given_a_range_read_in_turns_when_a_reader_would_request_a_page_ahead_then_it_waits_for_the_others(
    cache_folder: Path,
) -> None:
    pages, api = SharedPages(readers=2), _Api()
    happened: list[str] = []

    def send(what: str) -> Callable[[], requests.Response]:
        return lambda: (happened.append(what), api.send())[1]

    pages.response_for("page 1", send("contacts sent page 1"), "contacts", "ids below 2501")
    # contacts is at page 2 while contact_tags has asked for nothing in this range yet.
    ahead = threading.Thread(
        target=pages.response_for, args=("page 2", send("contacts sent page 2"), "contacts", "ids below 2501")
    )
    ahead.start()
    happened.append("contact_tags asked for page 1")
    pages.response_for("page 1", send("contact_tags sent page 1"), "contact_tags", "ids below 2501")
    ahead.join()

    assert happened == ["contacts sent page 1", "contact_tags asked for page 1", "contacts sent page 2"]
    assert api.sent == 2


def test_given_a_reader_that_does_not_come_when_its_patience_runs_out_then_the_page_is_requested(
    cache_folder: Path,
) -> None:
    pages, api = SharedPages(readers=2, patience=0), _Api()
    pages.response_for("page 1", api.send, "contacts", "ids below 2501")
    pages.response_for("page 2", api.send, "contacts", "ids below 2501")
    assert api.sent == 2


def test_given_readers_in_turns_when_they_hand_over_their_partitions_then_every_first_comes_before_any_second() -> None:
    from source_activecampaign.contacts.shared_pages import ReadingTurns

    turns = ReadingTurns(readers=3)
    handed: list[tuple[str, int]] = []
    lock = threading.Lock()

    def reader(name: str) -> None:
        for index in range(3):
            turns.wait_turn(name, index)
            with lock:
                handed.append((name, index))
            turns.handed(name, index)
        turns.finished(name)

    threads = [threading.Thread(target=reader, args=(name,)) for name in ("contacts", "contact_tags", "contact_lists")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [index for _, index in handed] == [0, 0, 0, 1, 1, 1, 2, 2, 2]


def test_given_a_reader_that_finished_early_when_the_others_go_on_then_it_holds_no_one() -> None:
    from source_activecampaign.contacts.shared_pages import ReadingTurns

    turns = ReadingTurns(readers=2, patience=0)
    turns.wait_turn("contacts", 0)
    turns.handed("contacts", 0)
    turns.wait_turn("contact_tags", 0)
    turns.finished("contact_tags")  # its partitions failed to generate, say
    turns.wait_turn("contacts", 1)  # returns: nothing left to wait for
    assert not turns.gave_up


def test_given_a_reader_that_never_comes_when_the_wait_runs_out_then_the_turns_end_for_everyone() -> None:
    from source_activecampaign.contacts.shared_pages import ReadingTurns

    turns = ReadingTurns(readers=2, patience=0)
    turns.wait_turn("contacts", 0)
    turns.handed("contacts", 0)
    turns.wait_turn("contacts", 1)  # contact_tags never shows up
    assert turns.gave_up
    turns.wait_turn("contacts", 2)


class _CollectionThatFails(ContactChildRowsExtractor):
    """The collection read on its own starts, waits to be let go, then fails (a 5xx after its retries)."""

    def __post_init__(self, parameters: Any) -> None:
        super().__post_init__(parameters)
        self.started, self.let_go = threading.Event(), threading.Event()

    def _collection_rows_outside(self, covered: Any) -> Any:
        self.started.set()
        self.let_go.wait()
        raise RuntimeError("the collection answered 500")
        yield  # pragma: no cover


def _contacts_page(first: int, last: int, with_tag_lists: bool) -> requests.Response:
    response = requests.Response()
    response.status_code = 200
    response.url = f"https://example.api-us1.com/api/3/contacts?id_greater={first - 1}&id_less={last + 1}"
    contacts = [{"id": str(i), **({"contactTags": []} if with_tag_lists else {})} for i in range(first, last + 1)]
    response._content = json.dumps({"contacts": contacts, "contactTags": []}).encode()
    return response


def test_given_pages_read_while_the_collection_is_read_instead_then_they_end_only_as_it_does() -> None:
    # A page is checkpointed as read once its records are out. The pages after the one that made the
    # stream read the collection on its own give nothing, their rows coming with the collection: while
    # it is read they must not end, and if it fails they fail too.
    requester = HttpRequester(
        name="contact_tags", url_base="https://example.api-us1.com/api/3/", path="contactTags", config={}, parameters={}
    )
    selector = RecordSelector(
        extractor=DpathExtractor(field_path=["contactTags"], config={}, parameters={}),
        config={},
        parameters={},
        schema_normalization=TypeTransformer(TransformConfig.NoTransform),
        record_filter=None,
        transformations=[],
    )
    extractor = _CollectionThatFails(
        rows_field="contactTags",
        contact_rows_requester=requester,
        collection_requester=requester,
        rows_selector=selector,
        rows_paginator=NoPagination(parameters={}),
        config={},
        parameters={"name": "contact_tags"},
    )
    outcomes: dict[str, Any] = {}

    def read(name: str, page: requests.Response) -> None:
        try:
            outcomes[name] = list(extractor.extract_records(page))
        except RuntimeError as error:
            outcomes[name] = error

    first = threading.Thread(target=read, args=("incomplete page", _contacts_page(66, 130, with_tag_lists=False)))
    first.start()
    extractor.started.wait()
    later = threading.Thread(target=read, args=("later page", _contacts_page(131, 195, with_tag_lists=False)))
    later.start()
    extractor.let_go.set()
    first.join()
    later.join()

    assert isinstance(outcomes["incomplete page"], RuntimeError)
    assert isinstance(outcomes["later page"], RuntimeError), outcomes["later page"]


def test_reads_name_top_level_values_and_fields_of_their_rows() -> None:
    assert parse_reads(["contacts.id", "contacts.contactTags", "contactTags"]) == (
        ("contactTags", None),
        ("contacts", ("contactTags", "id")),
    )
    assert parse_reads(["contacts", "contacts.id"]) == (("contacts", None),)
    assert parse_reads([]) is None and parse_reads(None) is None


_PAGE = {
    "contacts": [{"id": "1", "email": "a@x", "contactTags": ["7"], "contactLists": []}, {"id": "2", "contactTags": []}],
    "contactTags": [{"id": "7", "contact": "1", "tag": "3"}],
    "contactLists": [],
    "meta": {"total": "2"},
}
TAG_READS = parse_reads(["contacts.id", "contacts.contactTags", "contactTags"])
LIST_READS = parse_reads(["contacts.id", "contacts.contactLists", "contactLists"])
AUTOMATION_READS = parse_reads(["contacts.id", "contacts.contactAutomations", "contactAutomations"])


class _PageApi(_Api):
    def send(self) -> requests.Response:
        response = super().send()
        response._content = json.dumps(_PAGE).encode()
        return response


def test_given_readers_of_parts_when_the_whole_page_reader_sends_then_each_other_reader_gets_only_what_it_reads(
    cache_folder: Path,
) -> None:
    pages, api = SharedPages(readers=4), _PageApi()
    for reads in (None, TAG_READS, LIST_READS, AUTOMATION_READS):
        pages.register(reads)

    first = pages.response_for("page 1", api.send, reads=None)
    tags = pages.response_for("page 1", api.send, reads=TAG_READS)
    lists = pages.response_for("page 1", api.send, reads=LIST_READS)
    automations = pages.response_for("page 1", api.send, reads=AUTOMATION_READS)

    assert api.sent == 1 and first is not None and first.json() == _PAGE
    assert tags is not None and tags.json() == {
        "contacts": [{"id": "1", "contactTags": ["7"]}, {"id": "2", "contactTags": []}],
        "contactTags": [{"id": "7", "contact": "1", "tag": "3"}],
    }
    assert lists is not None and lists.json() == {
        "contacts": [{"id": "1", "contactLists": []}, {"id": "2"}],
        "contactLists": [],
    }
    # A page without the rows asked for (the include left out) has no such key, as the API's page has none.
    assert automations is not None and automations.json() == {"contacts": [{"id": "1"}, {"id": "2"}]}
    assert (tags.url, _kept(pages, cache_folder)) == (first.url, (0, 0))


@pytest.mark.parametrize(
    "registered, first_reads, second_reads, requests",
    [
        pytest.param(
            (TAG_READS, None), TAG_READS, None, 1, id="a part reader sends: the whole page reader gets it as sent"
        ),
        pytest.param((None, TAG_READS), None, LIST_READS, 2, id="a reader that did not register sends its own request"),
    ],
)
def test_given_two_readers_when_the_second_asks_then_it_gets_the_whole_page(
    cache_folder: Path, registered: tuple[Any, ...], first_reads: Any, second_reads: Any, requests: int
) -> None:
    pages, api = SharedPages(readers=2), _PageApi()
    for reads in registered:
        pages.register(reads)

    pages.response_for("page 1", api.send, reads=first_reads)
    second = pages.response_for("page 1", api.send, reads=second_reads)

    assert api.sent == requests and second is not None and second.json() == _PAGE
    assert _kept(pages, cache_folder) == (0, 0)
