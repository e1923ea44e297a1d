"""Resources an account may not have: skipped with one warning each, and the sync goes on.

Manifest: `definitions.error_handler` (its 404 filter skips the stream; its filter on an answer saying
a contact is required skips an endpoint that wants a contact id) and
`required_resource_error_handler` for the check, contacts and lists, which every account has: a
404 there means a wrong API URL and fails.
"""

import logging
import re
from unittest import TestCase

from airbyte_cdk.models import Status, SyncMode
from airbyte_cdk.test.catalog_builder import CatalogBuilder
from airbyte_cdk.test.mock_http import HttpMocker
from airbyte_cdk.test.state_builder import StateBuilder
from freezegun import freeze_time

from source_activecampaign.source import SourceActivecampaign
from unit_tests.mock_server.config import ConfigBuilder
from unit_tests.mock_server.read_helpers import error_messages_of, read_source, read_stream, warnings_of
from unit_tests.mock_server.request_builder import ActiveCampaignRequestBuilder
from unit_tests.mock_server.response_builder import collection_response, error_response, records

NOT_FOUND = error_response(404, {"message": "Not Found"})


class TestAFeatureTheAccountDoesNotHave(TestCase):
    @HttpMocker()
    def test_given_404_on_two_streams_when_read_then_each_is_skipped_with_one_warning_and_the_others_sync(
        self, http_mocker: HttpMocker
    ) -> None:
        for path in ("sms", "conversions"):
            http_mocker.get(ActiveCampaignRequestBuilder.collection(path).with_offset_page(0).build(), NOT_FOUND)
        http_mocker.get(
            ActiveCampaignRequestBuilder.collection("tags").with_offset_page(0).build(),
            collection_response("tags", records(2, tag="VIP", updated_timestamp="2024-02-19 13:20:49"), total="2"),
        )
        catalog = (
            CatalogBuilder()
            .with_stream("sms", SyncMode.full_refresh)
            .with_stream("conversions", SyncMode.incremental)
            .with_stream("tags", SyncMode.full_refresh)
            .build()
        )

        output = read_source(ConfigBuilder().build(), catalog)

        assert output.errors == []
        assert [(record.record.stream, record.record.data["id"]) for record in output.records] == [
            ("tags", 1),
            ("tags", 2),
        ]
        assert sorted(warnings_of(output)) == [
            "Skipping stream 'conversions': ActiveCampaign answered https://testaccount.api-us1.com/api/3/conversions "
            "with HTTP 404. Accounts without the feature it belongs to answer so; deselect the stream "
            "to silence this warning.",
            "Skipping stream 'sms': ActiveCampaign answered https://testaccount.api-us1.com/api/3/sms with HTTP 404. "
            "Accounts without the feature it belongs to answer so; deselect the stream to silence this warning.",
        ]

    @HttpMocker()
    def test_given_every_campaign_answers_404_for_its_links_when_read_then_one_warning_not_one_per_campaign(
        self, http_mocker: HttpMocker
    ) -> None:
        http_mocker.get(
            ActiveCampaignRequestBuilder.collection("campaigns").with_offset_page(0).build(),
            collection_response(
                "campaigns", records(3, name="Spring sale", mdate="2024-02-19T13:20:49-06:00"), total="3"
            ),
        )
        for campaign_id in (1, 2, 3):
            http_mocker.get(
                ActiveCampaignRequestBuilder.collection(f"campaigns/{campaign_id}/links").with_offset_page(0).build(),
                NOT_FOUND,
            )

        output = read_stream("campaign_links", ConfigBuilder().build())

        assert output.records == [] and output.errors == []
        # The URL of whichever campaign's links were asked for first: the partitions are read side by side.
        assert len(warnings_of(output)) == 1
        assert re.fullmatch(
            r"Skipping stream 'campaign_links': ActiveCampaign answered "
            r"https://testaccount\.api-us1\.com/api/3/campaigns/[123]/links with HTTP 404\. Accounts "
            r"without the feature it belongs to answer so; deselect the stream to silence this warning\.",
            warnings_of(output)[0],
        )


class TestWhatEveryAccountHas(TestCase):
    @HttpMocker()
    def test_given_404_on_lists_when_read_then_fails_saying_the_api_url_points_elsewhere(
        self, http_mocker: HttpMocker
    ) -> None:
        http_mocker.get(
            ActiveCampaignRequestBuilder.collection("lists").with_offset_page(0).build(),
            error_response(404, {"message": "No Result found for _List with id 1"}),
        )

        output = read_stream("lists", ConfigBuilder().build(), expecting_exception=True)

        assert output.records == []
        assert error_messages_of(output)[0] == (
            "Stream 'lists': ActiveCampaign answered https://testaccount.api-us1.com/api/3/lists with HTTP 404 "
            '("No Result found for _List with id 1"). Every account has this resource, so the API URL points '
            "somewhere else: check that it is the one shown under Settings > Developer."
        )

    @HttpMocker()
    def test_given_404_on_contacts_when_read_then_fails(self, http_mocker: HttpMocker) -> None:
        http_mocker.get(ActiveCampaignRequestBuilder.newest_contact().build(), NOT_FOUND)

        output = read_stream("contacts", ConfigBuilder().build(), expecting_exception=True)

        assert output.records == []
        # The newest contact, asked before the first read's id ranges, is the first request.
        assert error_messages_of(output)[0] == (
            "Stream 'newest_contact': ActiveCampaign answered https://testaccount.api-us1.com/api/3/contacts with "
            "HTTP 404. Every account has this resource, so the API URL points somewhere else: check "
            "that it is the one shown under Settings > Developer."
        )

    @HttpMocker()
    def test_given_404_on_users_me_when_check_then_failed(self, http_mocker: HttpMocker) -> None:
        http_mocker.get(ActiveCampaignRequestBuilder.collection("users/me").build(), NOT_FOUND)
        config = ConfigBuilder().build()

        status = SourceActivecampaign(config=config).check(logging.getLogger("test"), config)

        assert status.status == Status.FAILED
        # The CDK reports the check's failure as the repr of its reason.
        assert status.message == repr(
            "Stream api_user is not available: Stream 'api_user': ActiveCampaign answered "
            "https://testaccount.api-us1.com/api/3/users/me with HTTP 404. Every account has this "
            "resource, so the API URL points somewhere else: check that it is the one shown under Settings > "
            "Developer."
        )


@freeze_time("2024-03-01T12:00:00Z")
class TestAnEndpointThatWantsAContact(TestCase):
    @HttpMocker()
    def test_given_activities_answer_that_a_contact_is_required_when_read_then_skipped_after_one_request(
        self, http_mocker: HttpMocker
    ) -> None:
        activities_request = (
            ActiveCampaignRequestBuilder.collection("activities")
            .with_offset_page(0)
            .with_param("after", "2000-01-01T00:00:00+0000")
            .build()
        )
        http_mocker.get(
            activities_request,
            error_response(
                422,
                {
                    "errors": [
                        {"status": 422, "title": "Invalid Input Parameter", "detail": "A contact ID is required."}
                    ]
                },
            ),
        )

        output = read_stream("activities", ConfigBuilder().build(), SyncMode.incremental)

        assert output.records == [] and output.errors == []
        assert warnings_of(output) == [
            "Skipping stream 'activities': ActiveCampaign answered https://testaccount.api-us1.com/api/3/activities "
            'with HTTP 422 ("A contact ID is required."). ActiveCampaign lists these only one contact at a time. '
            "Reading them would take one request per contact on every sync, so the stream is left out."
        ]
        # One request in all (any other one, per contact, would find no mock and fail the read).
        http_mocker.assert_number_of_calls(activities_request, 1)

    @HttpMocker()
    def test_given_activities_answer_account_wide_when_read_incrementally_then_the_api_filters_after_the_state(
        self, http_mocker: HttpMocker
    ) -> None:
        # The state less a day of look-back goes to the API as `after`.
        http_mocker.get(
            ActiveCampaignRequestBuilder.collection("activities")
            .with_offset_page(0)
            .with_param("after", "2024-02-09T08:00:00-0600")
            .build(),
            collection_response(
                "activities",
                records(2, tstamp="2024-02-20T10:00:00-06:00", reference_type="Log", reference_action="open"),
                total="2",
            ),
        )
        state = StateBuilder().with_stream_state("activities", {"tstamp": "2024-02-10T08:00:00-0600"}).build()

        output = read_stream(
            "activities", ConfigBuilder().without_deletion_checks().build(), SyncMode.incremental, state
        )

        assert [record.record.data["id"] for record in output.records] == [1, 2]
        assert output.most_recent_state.stream_state.__dict__ == {"tstamp": "2024-02-20T10:00:00-0600"}
