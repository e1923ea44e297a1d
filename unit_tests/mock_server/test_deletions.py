"""The deletion check through the source: which requests it makes, the records and the state it emits.

Manifest: `record_selector`'s `deletion_check_extractor` (every stream's pages while its check runs),
`record_lookup_requester` (an id a read by offset missed counts as deleted once its own URL answers
404), `contacts_record_selector` (paged by id: no lookup), the error handler's skipped answers. The
plan (deletions/plan.py) makes a stream's check due `deletions_check_days` after its last one; the
keys live in the state as `emitted_ids` and `last_deletions_check`.
"""

from typing import Any
from unittest import TestCase

from airbyte_cdk.models import SyncMode
from airbyte_cdk.test.catalog_builder import CatalogBuilder
from airbyte_cdk.test.entrypoint_wrapper import EntrypointOutput
from airbyte_cdk.test.mock_http import HttpMocker
from airbyte_cdk.test.state_builder import StateBuilder
from freezegun import freeze_time

from source_activecampaign.deletions.id_set import IdSet
from testing.connector_runner import cursor_state
from unit_tests.mock_server.config import ConfigBuilder
from unit_tests.mock_server.read_helpers import read_source, read_stream
from unit_tests.mock_server.request_builder import ActiveCampaignRequestBuilder
from unit_tests.mock_server.response_builder import collection_response, error_response

NOW = "2024-03-01T12:00:00Z"
CHECKED_AT = "2024-03-01T12:00:00+00:00"
EIGHT_DAYS_AGO = "2024-02-22T12:00:00+00:00"
TWO_DAYS_AGO = "2024-02-28T12:00:00+00:00"
OLD = "2024-01-10 10:00:00"


def _tag(tag_id: int, updated: str = OLD) -> dict[str, Any]:
    return {"id": str(tag_id), "tag": f"tag {tag_id}", "tagType": "contact", "updated_timestamp": updated}


def _tracked(cursor: dict[str, Any], emitted: list[int], last_check: str = EIGHT_DAYS_AGO) -> dict[str, Any]:
    return {**cursor, "emitted_ids": IdSet.of(emitted).encode(), "last_deletions_check": last_check}


def _read_tags(emitted: list[int], last_check: str = EIGHT_DAYS_AGO) -> EntrypointOutput:
    state = _tracked({"updated_timestamp": "2024-02-20T00:00:00+0000"}, emitted, last_check)
    return read_stream(
        "tags",
        ConfigBuilder().build(),
        SyncMode.incremental,
        StateBuilder().with_stream_state("tags", state).build(),
    )


def _given_tags(http_mocker: HttpMocker, rows: list[dict[str, Any]]) -> None:
    http_mocker.get(
        ActiveCampaignRequestBuilder.collection("tags").with_offset_page(0).build(),
        collection_response("tags", rows, total=str(len(rows))),
    )


def _given_row(http_mocker: HttpMocker, path: str, status: int) -> None:
    body = {"tag": _tag(1)} if status == 200 else {"message": f"No Result found for Tag with id {path}"}
    http_mocker.get(ActiveCampaignRequestBuilder.collection(path).build(), error_response(status, body))


def _data(output: EntrypointOutput) -> list[dict[str, Any]]:
    return [record.record.data for record in output.records]


def _final_state(output: EntrypointOutput) -> dict[str, Any]:
    state = dict(output.most_recent_state.stream_state.__dict__)
    state["emitted_ids"] = IdSet.decode(state["emitted_ids"]).ids()
    return state


@freeze_time(NOW)
class TestDeletionCheckOfACollectionPagedByOffset(TestCase):
    """tags: read in full on every sync and filtered on the client; its check costs only lookups."""

    @HttpMocker()
    def test_given_the_check_due_and_two_tags_gone_when_read_then_their_own_urls_confirm_and_two_deletions_follow(
        self, http_mocker: HttpMocker
    ) -> None:
        _given_tags(http_mocker, [_tag(1), _tag(3, "2024-02-29 10:00:00")])
        _given_row(http_mocker, "tags/1", 200)  # a row the read saw: the collection answers by id
        _given_row(http_mocker, "tags/2", 404)
        _given_row(http_mocker, "tags/4", 404)

        output = _read_tags([1, 2, 3, 4])

        assert _data(output) == [
            {"id": 3, "tag": "tag 3", "tagType": "contact", "updated_timestamp": "2024-02-29T10:00:00"},
            {"id": 2, "_ab_cdc_deleted_at": CHECKED_AT},
            {"id": 4, "_ab_cdc_deleted_at": CHECKED_AT},
        ]
        assert _final_state(output) == {
            "updated_timestamp": "2024-02-29T10:00:00+0000",
            "emitted_ids": [1, 3],
            "last_deletions_check": CHECKED_AT,
        }

    @HttpMocker()
    def test_given_a_tag_the_read_missed_but_still_there_when_read_then_no_deletion_and_it_is_kept(
        self, http_mocker: HttpMocker
    ) -> None:
        # Tag 2 moved from the next page onto one already read (another row was deleted meanwhile).
        _given_tags(http_mocker, [_tag(1), _tag(3)])
        _given_row(http_mocker, "tags/1", 200)
        _given_row(http_mocker, "tags/2", 200)

        output = _read_tags([1, 2, 3])

        assert _data(output) == []
        assert _final_state(output) == {
            "updated_timestamp": "2024-02-20T00:00:00+0000",
            "emitted_ids": [1, 2, 3],
            "last_deletions_check": CHECKED_AT,
        }

    @HttpMocker()
    def test_given_the_check_not_due_when_read_then_no_lookup_and_the_ids_emitted_join_the_saved_ones(
        self, http_mocker: HttpMocker
    ) -> None:
        _given_tags(http_mocker, [_tag(1), _tag(5, "2024-02-29 10:00:00")])

        output = _read_tags([1, 2, 3], last_check=TWO_DAYS_AGO)

        assert [record["id"] for record in _data(output)] == [5]
        assert _final_state(output) == {
            "updated_timestamp": "2024-02-29T10:00:00+0000",
            "emitted_ids": [1, 2, 3, 5],
            "last_deletions_check": TWO_DAYS_AGO,
        }

    @HttpMocker()
    def test_given_the_collection_has_no_url_per_row_when_ids_are_missing_then_none_is_deleted(
        self, http_mocker: HttpMocker
    ) -> None:
        _given_tags(http_mocker, [_tag(1)])
        _given_row(http_mocker, "tags/1", 404)

        output = _read_tags([1, 2])

        assert _data(output) == []
        assert _final_state(output)["emitted_ids"] == [1, 2]

    @HttpMocker()
    def test_given_a_first_sync_when_read_then_the_state_starts_the_record_of_ids_and_the_check_clock(
        self, http_mocker: HttpMocker
    ) -> None:
        _given_tags(http_mocker, [_tag(1), _tag(2)])

        output = read_stream("tags", ConfigBuilder().build(), SyncMode.incremental)

        assert [record["id"] for record in _data(output)] == [1, 2]
        assert _final_state(output) == {
            "updated_timestamp": "2024-01-10T10:00:00+0000",
            "emitted_ids": [1, 2],
            "last_deletions_check": CHECKED_AT,
        }


@freeze_time(NOW)
class TestAStateSavedBeforeDeletionChecks(TestCase):
    """A cursor and no ids: a stream that reads its whole collection writes the ids down at once;
    contacts, which reads changes only, starts the clock and writes them down at its first check."""

    @HttpMocker()
    def test_given_tags_when_read_then_the_ids_of_the_whole_collection_are_written_down_and_none_deleted(
        self, http_mocker: HttpMocker
    ) -> None:
        _given_tags(http_mocker, [_tag(1), _tag(2), _tag(3, "2024-02-29 10:00:00")])
        state = StateBuilder().with_stream_state("tags", {"updated_timestamp": "2024-02-20T00:00:00+0000"}).build()

        output = read_stream("tags", ConfigBuilder().build(), SyncMode.incremental, state)

        assert [record["id"] for record in _data(output)] == [3]
        assert _final_state(output) == {
            "updated_timestamp": "2024-02-29T10:00:00+0000",
            "emitted_ids": [1, 2, 3],
            "last_deletions_check": CHECKED_AT,
        }

    @HttpMocker()
    def test_given_contacts_when_read_then_its_window_only_and_the_clock_starts(self, http_mocker: HttpMocker) -> None:
        http_mocker.get(
            ActiveCampaignRequestBuilder.collection("contacts")
            .with_keyset_page()
            .with_update_window("2024-02-19T00:00:00+0000", "2024-03-01T12:00:01+0000")
            .build(),
            collection_response("contacts", _contacts(4), total="1"),
        )
        state = StateBuilder().with_stream_state("contacts", {"udate": "2024-02-20T00:00:00+0000"}).build()

        output = read_stream("contacts", ConfigBuilder().build(), SyncMode.incremental, state)

        assert [record["id"] for record in _data(output)] == [4]
        assert output.most_recent_state.stream_state.__dict__ == {
            "udate": "2024-02-20T00:00:00+0000",
            "last_deletions_check": CHECKED_AT,
        }

    @HttpMocker()
    def test_given_contacts_a_week_after_the_clock_started_when_read_then_every_contact_and_the_ids_written_down(
        self, http_mocker: HttpMocker
    ) -> None:
        http_mocker.get(
            ActiveCampaignRequestBuilder.newest_contact().build(),
            collection_response("contacts", _contacts(7), total="2"),
        )
        http_mocker.get(
            ActiveCampaignRequestBuilder.collection("contacts").with_keyset_page(id_greater=0).build(),
            collection_response("contacts", _contacts(4, 7), total="2"),
        )
        state = {"udate": "2024-02-20T00:00:00+0000", "last_deletions_check": EIGHT_DAYS_AGO}

        output = read_stream(
            "contacts",
            ConfigBuilder().build(),
            SyncMode.incremental,
            StateBuilder().with_stream_state("contacts", state).build(),
        )

        assert [record["id"] for record in _data(output)] == [4, 7]
        final = _final_state(output)
        assert (final["emitted_ids"], final["last_deletions_check"]) == ([4, 7], CHECKED_AT)


@freeze_time(NOW)
class TestDeletionCheckThatCannotConclude(TestCase):
    @HttpMocker()
    def test_given_the_feature_missing_when_the_check_is_due_then_no_deletion_and_the_saved_ids_and_clock_stay(
        self, http_mocker: HttpMocker
    ) -> None:
        http_mocker.get(
            ActiveCampaignRequestBuilder.collection("sms").with_offset_page(0).build(),
            error_response(404, {"message": "Unknown resource: sms"}),
        )
        state = _tracked({"tstamp": "2024-02-20T00:00:00+0000"}, [1, 2])

        output = read_stream(
            "sms", ConfigBuilder().build(), SyncMode.incremental, StateBuilder().with_stream_state("sms", state).build()
        )

        assert _data(output) == []
        assert _final_state(output) == {
            "tstamp": "2024-02-20T00:00:00+0000",
            "emitted_ids": [1, 2],
            "last_deletions_check": EIGHT_DAYS_AGO,
        }

    @HttpMocker()
    def test_given_a_page_failing_when_the_check_is_due_then_no_deletion_and_the_check_stays_due(
        self, http_mocker: HttpMocker
    ) -> None:
        http_mocker.get(
            ActiveCampaignRequestBuilder.collection("tags").with_offset_page(0).build(),
            collection_response("tags", [_tag(row) for row in range(1, 101)], total="300"),
        )
        http_mocker.get(
            ActiveCampaignRequestBuilder.collection("tags").with_offset_page(100).build(),
            error_response(400, {"message": "Bad offset"}),
        )

        output = read_stream(
            "tags",
            ConfigBuilder().build(),
            SyncMode.incremental,
            StateBuilder()
            .with_stream_state("tags", _tracked({"updated_timestamp": "2024-02-20T00:00:00+0000"}, [1, 150]))
            .build(),
            expecting_exception=True,
        )

        assert not any("_ab_cdc_deleted_at" in record for record in _data(output))
        assert _final_state(output) == {
            "updated_timestamp": "2024-02-20T00:00:00+0000",
            "emitted_ids": [1, 150],
            "last_deletions_check": EIGHT_DAYS_AGO,
        }


def _contacts(*ids: int) -> list[dict[str, Any]]:
    return [
        {"id": str(contact_id), "email": f"c{contact_id}@example.com", "udate": "2024-02-10T10:00:00-06:00"}
        for contact_id in ids
    ]


@freeze_time(NOW)
class TestDeletionCheckOfContacts(TestCase):
    """contacts: its incremental reads ask for the changed contacts only; its check reads every page,
    by id, as its first sync does, and needs no lookup."""

    @HttpMocker()
    def test_given_the_check_due_when_read_then_every_contact_is_read_again_and_the_missing_ones_deleted(
        self, http_mocker: HttpMocker
    ) -> None:
        http_mocker.get(
            ActiveCampaignRequestBuilder.newest_contact().build(),
            collection_response("contacts", _contacts(7), total="3"),
        )
        http_mocker.get(
            ActiveCampaignRequestBuilder.collection("contacts").with_keyset_page(id_greater=0).build(),
            collection_response("contacts", _contacts(1, 4, 7), total="3"),
        )
        state = _tracked({"udate": "2024-02-20T00:00:00+0000"}, [1, 2, 3, 4, 7])

        output = read_stream(
            "contacts",
            ConfigBuilder().build(),
            SyncMode.incremental,
            StateBuilder().with_stream_state("contacts", state).build(),
        )

        assert [record["id"] for record in _data(output)] == [1, 4, 7, 2, 3]
        assert _data(output)[3:] == [
            {"id": 2, "_ab_cdc_deleted_at": CHECKED_AT},
            {"id": 3, "_ab_cdc_deleted_at": CHECKED_AT},
        ]
        final = _final_state(output)
        assert cursor_state(final) == {"udate": "2024-02-10T10:00:00-0600"}
        assert (final["emitted_ids"], final["last_deletions_check"]) == ([1, 4, 7], CHECKED_AT)


def _full_deal(deal_id: int) -> dict[str, Any]:
    return {
        "id": str(deal_id),
        "title": f"Deal {deal_id}",
        "cdate": "2023-05-01T09:00:00-05:00",
        "mdate": "2024-02-10T10:00:00-06:00",
    }


@freeze_time(NOW)
class TestDeletionCheckOfDeals(TestCase):
    @HttpMocker()
    def test_given_restricted_deals_when_the_check_runs_then_they_count_as_there_and_only_a_gone_deal_is_deleted(
        self, http_mocker: HttpMocker
    ) -> None:
        rows = [_full_deal(1), {"title": "Hidden 2", "id": "2", "isDisabled": True}]
        deals = ActiveCampaignRequestBuilder.collection("deals").with_param("orders[cdate]", "ASC")
        http_mocker.get(
            deals.with_param("limit", "1").with_param("offset", "0").build(),
            collection_response("deals", rows[:1], total="2"),
        )
        http_mocker.get(
            ActiveCampaignRequestBuilder.collection("deals")
            .with_offset_page(0)
            .with_param("orders[cdate]", "ASC")
            .build(),
            collection_response("deals", rows, total="2"),
        )
        http_mocker.get(
            ActiveCampaignRequestBuilder.collection("deals/1").build(), error_response(200, {"deal": rows[0]})
        )
        http_mocker.get(
            ActiveCampaignRequestBuilder.collection("deals/3").build(), error_response(404, {"message": "gone"})
        )
        catalog = CatalogBuilder().with_stream("deals", SyncMode.incremental).build()
        state = (
            StateBuilder()
            .with_stream_state("deals", _tracked({"mdate": "2024-02-20T00:00:00+0000"}, [1, 2, 3]))
            .build()
        )

        output = read_source(ConfigBuilder().build(), catalog, state)

        assert [record["id"] for record in _data(output)] == [1, 2, 3]
        assert _data(output)[2] == {"id": 3, "_ab_cdc_deleted_at": CHECKED_AT}
        assert _final_state(output)["emitted_ids"] == [1, 2]

    @HttpMocker()
    def test_given_the_deals_permission_gone_when_the_check_is_due_then_no_deal_is_taken_for_deleted(
        self, http_mocker: HttpMocker
    ) -> None:
        no_permission = error_response(
            403,
            {"errors": [{"status": 403, "title": "Forbidden", "detail": "You do not have permission to view deals."}]},
        )
        deals = ActiveCampaignRequestBuilder.collection("deals").with_param("orders[cdate]", "ASC")
        http_mocker.get(deals.with_param("limit", "1").with_param("offset", "0").build(), no_permission)
        catalog = CatalogBuilder().with_stream("deals", SyncMode.incremental).build()
        saved = _tracked({"mdate": "2024-02-20T00:00:00+0000"}, [1, 2, 3])

        output = read_source(ConfigBuilder().build(), catalog, StateBuilder().with_stream_state("deals", saved).build())

        assert _data(output) == []
        final = _final_state(output)
        assert (final["emitted_ids"], final["last_deletions_check"]) == ([1, 2, 3], EIGHT_DAYS_AGO)
