"""Contact child streams read from the contacts pages (`include=`), and the checks on them.

Manifest: `contact_child_pages_stream` (full refresh or no state: the contacts pages in contacts'
id ranges, `include=` the selected child streams, one request per page for every stream reading
it), `contact_child_changed_pages_stream` (`contact_children_from_changed_contacts`: the pages of
contacts updated since the state), `contact_child_collection_stream` (with state, where it costs
fewer requests than the pages: the child collection on its own), chosen per sync by
`contact_pages_plan`.
"""

from typing import Any
from unittest import TestCase

from airbyte_cdk.models import SyncMode
from airbyte_cdk.test.catalog_builder import CatalogBuilder
from airbyte_cdk.test.entrypoint_wrapper import EntrypointOutput, read
from airbyte_cdk.test.mock_http import HttpMocker, HttpRequest
from airbyte_cdk.test.state_builder import StateBuilder
from freezegun import freeze_time

from source_activecampaign.source import SourceActivecampaign
from testing.connector_runner import cursor_state
from unit_tests.mock_server.config import ConfigBuilder
from unit_tests.mock_server.request_builder import ActiveCampaignRequestBuilder
from unit_tests.mock_server.response_builder import collection_response

NOW = "2024-03-01T12:00:00Z"
UDATE = "2024-02-19T13:20:49-06:00"
UPDATED = "2024-02-19 13:20:49"


def _contact(contact_id: int, **id_lists: list[int]) -> dict[str, Any]:
    return {
        "id": str(contact_id),
        "udate": UDATE,
        "email": f"c{contact_id}@example.com",
        **{name: [str(i) for i in ids] for name, ids in id_lists.items()},
    }


def _tag(tag_row_id: int, contact_id: int, updated: str = "2024-02-20 10:00:00") -> dict[str, Any]:
    return {"id": str(tag_row_id), "contact": str(contact_id), "tag": "5", "updated_timestamp": updated}


def _list_row(row_id: int, contact_id: int) -> dict[str, Any]:
    return {"id": str(row_id), "contact": str(contact_id), "list": "2", "status": "1", "updated_timestamp": UPDATED}


def _account_link(row_id: int, contact_id: int, updated: str) -> dict[str, Any]:
    return {"id": str(row_id), "contact": str(contact_id), "account": "4", "updatedTimestamp": updated}


def _contacts_page(include: str, id_greater: int = 0, id_less: int | None = None, **query: str) -> HttpRequest:
    builder = ActiveCampaignRequestBuilder.collection("contacts").with_keyset_page(
        id_greater=id_greater, id_less=id_less
    )
    if include:
        builder = builder.with_param("include", include)
    for name, value in query.items():
        builder = builder.with_param(name, value)
    return builder.build()


def _given_newest_contact(http_mocker: HttpMocker, contact_id: int) -> HttpRequest:
    request = ActiveCampaignRequestBuilder.newest_contact().build()
    http_mocker.get(request, collection_response("contacts", [_contact(contact_id)]))
    return request


def _given_tag_page(
    http_mocker: HttpMocker,
    contacts: list[dict[str, Any]],
    tags: list[dict[str, Any]],
    id_greater: int = 0,
    id_less: int | None = None,
) -> None:
    """A contacts page asked with include=contactTags, its tags beside its contacts."""
    http_mocker.get(
        _contacts_page("contactTags", id_greater=id_greater, id_less=id_less),
        collection_response("contacts", contacts, sideloads={"contactTags": tags}),
    )


def _read(streams: dict[str, SyncMode], config: dict[str, Any], state: list[Any] | None = None) -> EntrypointOutput:
    builder = CatalogBuilder()
    for name, sync_mode in streams.items():
        builder = builder.with_stream(name, sync_mode)
    catalog = builder.build()
    source = SourceActivecampaign(config=config, catalog=catalog, state=state)
    return read(source, config, catalog, state)


def _ids(output: EntrypointOutput, stream: str) -> list[int]:
    return sorted(record.record.data["id"] for record in output.records if record.record.stream == stream)


def _state(output: EntrypointOutput, stream: str) -> dict[str, Any]:
    states = [message.state.stream for message in output.state_messages]
    return cursor_state([s.stream_state.__dict__ for s in states if s.stream_descriptor.name == stream][-1])


@freeze_time(NOW)
class TestChildStreamsOnTheContactsPages(TestCase):
    @HttpMocker()
    def test_given_contacts_and_two_children_when_full_refresh_then_each_page_is_requested_once_for_all_three(
        self, http_mocker: HttpMocker
    ) -> None:
        newest = _given_newest_contact(http_mocker, 3)
        page = _contacts_page("contactLists,contactTags")
        http_mocker.get(
            page,
            collection_response(
                "contacts",
                [
                    _contact(1, contactTags=[11, 12], contactLists=[21]),
                    _contact(2, contactTags=[], contactLists=[]),
                    _contact(3, contactTags=[13], contactLists=[22]),
                ],
                sideloads={
                    "contactTags": [_tag(11, 1), _tag(12, 1), _tag(13, 3)],
                    "contactLists": [_list_row(21, 1), _list_row(22, 3)],
                },
            ),
        )

        output = _read(
            {name: SyncMode.full_refresh for name in ("contacts", "contact_tags", "contact_lists")},
            ConfigBuilder().build(),
        )

        http_mocker.assert_number_of_calls(newest, 1)
        http_mocker.assert_number_of_calls(page, 1)
        assert _ids(output, "contacts") == [1, 2, 3]
        assert _ids(output, "contact_tags") == [11, 12, 13]
        assert _ids(output, "contact_lists") == [21, 22]
        first_contact = next(r.record.data for r in output.records if r.record.stream == "contacts")
        assert (first_contact["contactTags"], first_contact["contactLists"]) == ([11, 12], [21])

    @HttpMocker()
    def test_given_only_a_child_stream_when_first_read_then_it_reads_the_contacts_pages_and_emits_only_its_rows(
        self, http_mocker: HttpMocker
    ) -> None:
        _given_newest_contact(http_mocker, 2)
        _given_tag_page(
            http_mocker, [_contact(1, contactTags=[11]), _contact(2, contactTags=[12])], [_tag(11, 1), _tag(12, 2)]
        )

        output = _read({"contact_tags": SyncMode.incremental}, ConfigBuilder().build())

        assert [(r.record.stream, r.record.data["id"]) for r in output.records] == [
            ("contact_tags", 11),
            ("contact_tags", 12),
        ]
        assert _state(output, "contact_tags") == {"updated_timestamp": "2024-02-20T10:00:00+0000"}

    @HttpMocker()
    def test_given_id_ranges_when_first_read_then_pages_follow_the_last_contact_not_the_last_child_row(
        self, http_mocker: HttpMocker
    ) -> None:
        # 400 ids: four ranges of 100, as contacts' own first read splits them. A page reaching its
        # range's last id ends the range; the open last range pages on from its last contact.
        _given_newest_contact(http_mocker, 400)
        first_range = [_contact(i, contactTags=[1000 + i] if i == 50 else []) for i in range(1, 101)]
        _given_tag_page(http_mocker, first_range, [_tag(1050, 50)], id_greater=0, id_less=101)
        _given_tag_page(http_mocker, [], [], id_greater=100, id_less=201)
        _given_tag_page(http_mocker, [], [], id_greater=200, id_less=301)
        last_range = [_contact(i, contactTags=[1000 + i] if i == 350 else []) for i in range(301, 401)]
        _given_tag_page(http_mocker, last_range, [_tag(1350, 350)], id_greater=300)
        _given_tag_page(http_mocker, [_contact(401, contactTags=[1401])], [_tag(1401, 401)], id_greater=400)

        output = _read({"contact_tags": SyncMode.full_refresh}, ConfigBuilder().build())

        assert _ids(output, "contact_tags") == [1050, 1350, 1401]

    @HttpMocker()
    def test_given_a_start_date_when_contacts_and_a_child_read_then_the_child_reads_every_contact_on_pages_of_its_own(
        self, http_mocker: HttpMocker
    ) -> None:
        # contacts' pages leave out contacts not updated since the start date; their tags still count.
        newest = _given_newest_contact(http_mocker, 2)
        http_mocker.get(
            _contacts_page("", **{"filters[updated_after]": "2024-01-01T00:00:00+0000"}),
            collection_response("contacts", [_contact(2)]),
        )
        _given_tag_page(http_mocker, [_contact(1, contactTags=[11]), _contact(2, contactTags=[])], [_tag(11, 1)])

        output = _read(
            {"contacts": SyncMode.full_refresh, "contact_tags": SyncMode.full_refresh},
            ConfigBuilder().with_start_date("2024-01-01").build(),
        )

        assert (_ids(output, "contacts"), _ids(output, "contact_tags")) == ([2], [11])
        http_mocker.assert_number_of_calls(newest, 1)


@freeze_time(NOW)
class TestSideloadChecks(TestCase):
    @HttpMocker()
    def test_given_a_listed_id_missing_from_the_sideload_when_read_then_the_contacts_own_list_fills_it_once(
        self, http_mocker: HttpMocker
    ) -> None:
        _given_newest_contact(http_mocker, 2)
        _given_tag_page(
            http_mocker, [_contact(1, contactTags=[11, 12]), _contact(2, contactTags=[13])], [_tag(11, 1), _tag(13, 2)]
        )
        own_list = ActiveCampaignRequestBuilder.collection("contacts/1/contactTags").with_offset_page(0).build()
        http_mocker.get(own_list, collection_response("contactTags", [_tag(11, 1), _tag(12, 1)]))

        output = _read({"contact_tags": SyncMode.full_refresh}, ConfigBuilder().build())

        assert [r.record.data["id"] for r in output.records] == [11, 13, 12]
        http_mocker.assert_number_of_calls(own_list, 1)
        warnings = [log.log.message for log in output.logs if log.log.level.name == "WARN"]
        assert warnings == [
            "contact_tags: ActiveCampaign's page of contacts listed contactTags it did not include; they are read "
            "contact by contact (/contacts/{id}/contactTags)."
        ]

    @HttpMocker()
    def test_given_a_row_of_a_contact_not_on_the_page_when_read_then_it_is_left_to_that_contacts_page(
        self, http_mocker: HttpMocker
    ) -> None:
        _given_newest_contact(http_mocker, 1)
        _given_tag_page(http_mocker, [_contact(1, contactTags=[11])], [_tag(11, 1), _tag(99, 7)])

        output = _read({"contact_tags": SyncMode.full_refresh}, ConfigBuilder().build())

        assert _ids(output, "contact_tags") == [11]

    @HttpMocker()
    def test_given_many_contacts_incomplete_when_read_then_the_collection_is_read_once_for_contacts_not_covered(
        self, http_mocker: HttpMocker
    ) -> None:
        # Two ranges of 65 ids. The first page (contacts 1-65) is complete; the second (66-130) lists no
        # tag ids at all (the include was ignored): 65 incomplete contacts, more than 25, so /contactTags
        # is read instead, once, for the contacts no page has covered. Whichever page comes first, every
        # tag is emitted once.
        _given_newest_contact(http_mocker, 130)
        page = [_contact(i, contactTags=[1000 + i] if i == 5 else []) for i in range(1, 66)]
        _given_tag_page(http_mocker, page, [_tag(1005, 5)], id_less=66)
        _given_tag_page(http_mocker, [_contact(i) for i in range(66, 131)], [], id_greater=65)
        collection = ActiveCampaignRequestBuilder.collection("contactTags").with_offset_page(0).build()
        http_mocker.get(
            collection, collection_response("contactTags", [_tag(1005, 5), _tag(1101, 101), _tag(1120, 120)])
        )

        output = _read({"contact_tags": SyncMode.full_refresh}, ConfigBuilder().build())

        assert _ids(output, "contact_tags") == [1005, 1101, 1120]
        http_mocker.assert_number_of_calls(collection, 1)


@freeze_time(NOW)
class TestIncrementalChildStreams(TestCase):
    @HttpMocker()
    def test_given_state_and_the_option_off_when_read_then_the_collection_is_read_and_filtered_as_before(
        self, http_mocker: HttpMocker
    ) -> None:
        # Account links, which few contacts have: their collection costs fewer requests than every contacts page.
        http_mocker.get(
            ActiveCampaignRequestBuilder.collection("accountContacts").with_offset_page(0).build(),
            collection_response(
                "accountContacts",
                [_account_link(1, 1, "2024-01-01T00:00:00-06:00"), _account_link(2, 1, "2024-02-28T00:00:00-06:00")],
            ),
        )
        state = (
            StateBuilder()
            .with_stream_state("account_contacts", {"updatedTimestamp": "2024-02-20T00:00:00+0000"})
            .build()
        )

        output = _read(
            {"account_contacts": SyncMode.incremental}, ConfigBuilder().without_deletion_checks().build(), state
        )

        assert _ids(output, "account_contacts") == [2]
        assert _state(output, "account_contacts") == {"updatedTimestamp": "2024-02-28T00:00:00-0600"}

    @HttpMocker()
    def test_given_the_option_on_and_a_recent_full_read_when_read_then_only_the_changed_contacts_pages_are_read(
        self, http_mocker: HttpMocker
    ) -> None:
        # The older of the two states, less a day; one keyset sequence for both streams.
        changed = (
            ActiveCampaignRequestBuilder.collection("contacts")
            .with_keyset_page()
            .with_param("filters[updated_after]", "2024-02-26T00:00:00+0000")
            .with_param("include", "contactLists,contactTags")
            .build()
        )
        http_mocker.get(
            changed,
            collection_response(
                "contacts",
                [_contact(7, contactTags=[70], contactLists=[71])],
                sideloads={"contactTags": [_tag(70, 7, "2024-02-29 09:00:00")], "contactLists": [_list_row(71, 7)]},
            ),
        )
        state = (
            StateBuilder()
            .with_stream_state(
                "contact_tags",
                {"updated_timestamp": "2024-02-27T00:00:00+0000", "last_reconciliation": "2024-02-27T00:00:00+0000"},
            )
            .with_stream_state("contact_lists", {"updated_timestamp": "2024-02-28T00:00:00-0600"})
            .build()
        )

        output = _read(
            {"contact_tags": SyncMode.incremental, "contact_lists": SyncMode.incremental},
            ConfigBuilder().without_deletion_checks().build() | {"contact_children_from_changed_contacts": True},
            state,
        )

        http_mocker.assert_number_of_calls(changed, 1)
        assert (_ids(output, "contact_tags"), _ids(output, "contact_lists")) == ([70], [])
        assert _state(output, "contact_tags") == {
            "updated_timestamp": "2024-02-29T09:00:00+0000",
            "last_reconciliation": "2024-02-27T00:00:00+0000",
        }
        # No full read recorded yet: the newest row of the last full read stands in for it.
        assert _state(output, "contact_lists") == {
            "updated_timestamp": "2024-02-28T00:00:00-0600",
            "last_reconciliation": "2024-02-28T06:00:00+0000",
        }

    @HttpMocker()
    def test_given_the_option_on_and_the_last_full_read_a_week_ago_when_read_then_the_collection_is_read_in_full(
        self, http_mocker: HttpMocker
    ) -> None:
        http_mocker.get(
            ActiveCampaignRequestBuilder.collection("contactTags").with_offset_page(0).build(),
            collection_response("contactTags", [_tag(1, 1, "2023-06-01 00:00:00"), _tag(2, 1, "2024-02-28 00:00:00")]),
        )
        state = (
            StateBuilder()
            .with_stream_state(
                "contact_tags",
                {"updated_timestamp": "2024-02-29T00:00:00+0000", "last_reconciliation": "2024-02-23T12:00:00+0000"},
            )
            .build()
        )

        output = _read(
            {"contact_tags": SyncMode.incremental},
            ConfigBuilder().without_deletion_checks().build() | {"contact_children_from_changed_contacts": True},
            state,
        )

        assert _ids(output, "contact_tags") == [1, 2]
        assert _state(output, "contact_tags") == {
            "last_reconciliation": "2024-03-01T12:00:00+0000",
            "updated_timestamp": "2024-02-28T00:00:00+0000",
        }

    @HttpMocker()
    def test_given_a_state_left_by_a_first_read_in_id_ranges_when_read_then_the_collection_resumes_from_its_newest_row(
        self, http_mocker: HttpMocker
    ) -> None:
        http_mocker.get(
            ActiveCampaignRequestBuilder.collection("accountContacts").with_offset_page(0).build(),
            collection_response(
                "accountContacts",
                [_account_link(1, 1, "2024-01-01T00:00:00-06:00"), _account_link(2, 1, "2024-02-28T00:00:00-06:00")],
            ),
        )
        ranges_state = {
            "use_global_cursor": False,
            "states": [{"partition": {"id_greater": "0"}, "cursor": {"updatedTimestamp": "2024-02-20T00:00:00+0000"}}],
            "state": {"updatedTimestamp": "2024-02-20T00:00:00+0000"},
        }

        output = _read(
            {"account_contacts": SyncMode.incremental},
            ConfigBuilder().without_deletion_checks().build(),
            StateBuilder().with_stream_state("account_contacts", ranges_state).build(),
        )

        assert _ids(output, "account_contacts") == [2]
