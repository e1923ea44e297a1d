"""The shared error handler: what each failure does and says.

Manifest: `definitions.error_handler` (a `WarnOnIgnoreErrorHandler`): 429 waits Retry-After,
5xx and non-JSON bodies are retried, 3xx/402/403/422 fail with a message naming the fix. What a 404
does is in test_missing_resources.py.
"""

import logging
import re
from unittest import TestCase
from unittest.mock import MagicMock, patch

from airbyte_cdk.models import Status
from airbyte_cdk.test.entrypoint_wrapper import EntrypointOutput
from airbyte_cdk.test.mock_http import HttpMocker, HttpResponse

from source_activecampaign.source import SourceActivecampaign
from unit_tests.mock_server.config import API_KEY, ConfigBuilder
from unit_tests.mock_server.read_helpers import error_messages_of, read_stream, warnings_of
from unit_tests.mock_server.request_builder import ActiveCampaignRequestBuilder
from unit_tests.mock_server.response_builder import collection_response, error_response, records

TAGS_PAGE = ActiveCampaignRequestBuilder.collection("tags").with_offset_page(0)
TAGS = collection_response("tags", [{"id": "1", "tag": "VIP"}], total="1")


def _check(config):
    return SourceActivecampaign(config=config).check(logging.getLogger("test"), config)


def _tag_ids_read_after(http_mocker: HttpMocker, *failures: HttpResponse) -> tuple[list[int], list[str]]:
    """Reads tags when the page first answers with `failures`, then with one tag: the ids read, and the
    cause the CDK logged for each retry."""
    http_mocker.get(TAGS_PAGE.build(), [*failures, TAGS])
    with patch("time.sleep"):
        output = read_stream("tags", ConfigBuilder().build())
    retried = [
        found.group(1)
        for log in output.logs
        if (found := re.fullmatch(r"Caught retryable error '(.*)' after \d+ tries\. .*", log.log.message))
    ]
    return [record.record.data["id"] for record in output.records], retried


def _failed_tags_read() -> EntrypointOutput:
    """Reads tags with the waits patched out, expecting the read to fail before any record."""
    with patch("time.sleep"):
        output = read_stream("tags", ConfigBuilder().build(), expecting_exception=True)
    assert output.records == []
    return output


class TestRetries(TestCase):
    @HttpMocker()
    def test_given_429_with_retry_after_when_read_then_waits_retry_after_and_gets_the_page(
        self, http_mocker: HttpMocker
    ) -> None:
        http_mocker.get(
            TAGS_PAGE.build(),
            [error_response(429, {"message": "Too Many Requests"}, {"Retry-After": "7"}), TAGS],
        )

        with patch("time.sleep") as sleep:
            output = read_stream("tags", ConfigBuilder().build())

        assert [record.record.data["id"] for record in output.records] == [1]
        # WaitTimeFromHeader waits the header's seconds plus one.
        assert 8 in [call.args[0] for call in sleep.call_args_list]

    @HttpMocker()
    def test_given_429_on_every_request_when_read_then_fails_saying_the_limit_is_used_up_by_other_clients(
        self, http_mocker: HttpMocker
    ) -> None:
        too_many = error_response(429, {"message": "Too Many Requests"}, {"Retry-After": "1"})
        http_mocker.get(TAGS_PAGE.build(), too_many)

        # With the waits patched out, the budget gives up before the retries run out (its 100,000 tries
        # of a call take no time); with real waits the 9th 429 does (test_error_handler.py).
        output = _failed_tags_read()

        assert error_messages_of(output)[0] == (
            "No call was free for this request after many waits: the account's rate limit is used up by its other "
            "clients. ActiveCampaign allows 5 requests per second per account, shared by every API key and "
            "integration of the account. Pause or slow down the account's other integrations, or schedule this sync "
            "when they are idle, then run it again: the records and states already emitted are kept."
        )
        assert "CallRateLimitHit" not in str(error_messages_of(output))

    @HttpMocker()
    def test_given_5xx_twice_when_read_then_retried_and_every_record_delivered(self, http_mocker: HttpMocker) -> None:
        failures = HttpResponse("<html>Bad Gateway</html>", 502), error_response(503, {"message": "busy"})

        assert _tag_ids_read_after(http_mocker, *failures) == (
            [1],
            [
                "Stream 'tags': ActiveCampaign answered https://testaccount.api-us1.com/api/3/tags with HTTP 502. "
                "A passing fault of the server; the request is retried.",
                "Stream 'tags': ActiveCampaign answered https://testaccount.api-us1.com/api/3/tags with HTTP 503 "
                '("busy"). A passing fault of the server; the request is retried.',
            ],
        )

    @HttpMocker()
    def test_given_200_html_page_then_json_when_read_then_retried_not_taken_for_an_empty_page(
        self, http_mocker: HttpMocker
    ) -> None:
        maintenance_page = HttpResponse("<html><body>Maintenance</body></html>", 200, {"Content-Type": "text/html"})

        assert _tag_ids_read_after(http_mocker, maintenance_page) == (
            [1],
            [
                "Stream 'tags': ActiveCampaign answered https://testaccount.api-us1.com/api/3/tags with HTTP 200. The "
                "body is not JSON (Content-Type text/html). Such answers are retried as passing faults; if they "
                "persist, check that the API URL is the account's API address from Settings > Developer."
            ],
        )

    @HttpMocker()
    def test_given_truncated_json_every_time_when_read_then_fails_naming_the_path_not_the_key(
        self, http_mocker: HttpMocker
    ) -> None:
        http_mocker.get(
            TAGS_PAGE.build(),
            [HttpResponse('{"tags": [{"id": "1", "ta', 200, {"Content-Type": "application/json"})] * 9,
        )

        output = _failed_tags_read()

        assert error_messages_of(output)[0] == (
            "Exhausted available request attempts. Please see logs for more details. Exception: Stream 'tags': "
            "ActiveCampaign answered https://testaccount.api-us1.com/api/3/tags with HTTP 200. The body is not JSON "
            "(Content-Type application/json). Such answers are retried as passing faults; if they persist, check that "
            "the API URL is the account's API address from Settings > Developer."
        )
        assert API_KEY not in str([message.__dict__ for message in output._messages])


class TestFailures(TestCase):
    @HttpMocker()
    def test_given_bad_key_403_with_empty_body_when_check_then_failed_saying_where_to_find_the_key(
        self, http_mocker: HttpMocker
    ) -> None:
        http_mocker.get(ActiveCampaignRequestBuilder.collection("users/me").build(), HttpResponse("", 403, {}))

        status = _check(ConfigBuilder().build())

        assert status.status == Status.FAILED
        # The CDK reports the check's failure as the repr of its reason.
        assert status.message == repr(
            "Stream api_user is not available: Stream 'api_user': ActiveCampaign answered "
            "https://testaccount.api-us1.com/api/3/users/me with HTTP 403. It refused the API key: the key is invalid, "
            "revoked, or its user lacks permission. Copy the key from Settings > Developer in ActiveCampaign."
        )

    @HttpMocker()
    def test_given_bad_key_401_from_a_gateway_when_read_then_fails_as_a_refused_key_stating_the_status_once(
        self, http_mocker: HttpMocker
    ) -> None:
        http_mocker.get(TAGS_PAGE.build(), error_response(401, {"message": "Unauthorized"}))

        assert error_messages_of(_failed_tags_read())[0] == (
            "Stream 'tags': ActiveCampaign answered https://testaccount.api-us1.com/api/3/tags with HTTP 401. It "
            "refused the API key: the key is invalid, revoked, or its user lacks permission. Copy the key from "
            "Settings > Developer in ActiveCampaign."
        )

    @HttpMocker()
    def test_given_valid_key_when_check_then_succeeded_from_users_me(self, http_mocker: HttpMocker) -> None:
        http_mocker.get(
            ActiveCampaignRequestBuilder.collection("users/me").build(),
            HttpResponse('{"user": {"id": "1", "username": "admin"}}', 200),
        )

        status = _check(ConfigBuilder().build())

        assert status.status == Status.SUCCEEDED

    @HttpMocker()
    def test_given_redirect_to_login_page_when_check_then_failed_without_following_it(
        self, http_mocker: HttpMocker
    ) -> None:
        # Only users/me is mocked: following the Location would hit an unmocked URL and fail differently.
        http_mocker.get(
            ActiveCampaignRequestBuilder.collection("users/me").build(),
            HttpResponse("<html>login</html>", 302, {"Location": "https://www.activecampaign.com/login/"}),
        )

        status = _check(ConfigBuilder().build())

        assert status.status == Status.FAILED
        assert status.message == repr(
            "Stream api_user is not available: Stream 'api_user': ActiveCampaign answered "
            "https://testaccount.api-us1.com/api/3/users/me with HTTP 302. It redirected to another page instead of "
            "answering: the API URL is probably wrong (a wrong account name, or the account's web address). Copy the "
            "API URL from Settings > Developer in ActiveCampaign; it looks like https://<account>.api-us1.com."
        )

    @HttpMocker()
    def test_given_402_when_read_then_fails_quoting_the_api(self, http_mocker: HttpMocker) -> None:
        http_mocker.get(TAGS_PAGE.build(), error_response(402, {"message": "Your account is past due"}))

        output = read_stream("tags", ConfigBuilder().build(), expecting_exception=True)

        assert error_messages_of(output)[0] == (
            "Stream 'tags': ActiveCampaign answered https://testaccount.api-us1.com/api/3/tags with HTTP 402 "
            '("Your account is past due"). The account has a payment issue: its plan must be active for the API to '
            "answer."
        )

    @HttpMocker()
    def test_given_422_with_errors_body_when_read_then_fails_quoting_the_detail(self, http_mocker: HttpMocker) -> None:
        http_mocker.get(
            TAGS_PAGE.build(),
            error_response(
                422,
                {"errors": [{"title": "Invalid filter", "detail": "The filter field is not valid", "code": "invalid"}]},
            ),
        )

        output = read_stream("tags", ConfigBuilder().build(), expecting_exception=True)

        assert error_messages_of(output)[0] == (
            "Stream 'tags': ActiveCampaign answered https://testaccount.api-us1.com/api/3/tags with HTTP 422 "
            '("The filter field is not valid"). ActiveCampaign did not accept the request the connector sent: please '
            "report this message to the connector's maintainers."
        )

    @HttpMocker()
    def test_given_permission_403_on_one_stream_when_read_then_it_is_skipped_with_a_warning(
        self, http_mocker: HttpMocker
    ) -> None:
        http_mocker.get(
            TAGS_PAGE.build(),
            error_response(
                403,
                {
                    "errors": [
                        {"status": 403, "title": "Forbidden", "detail": "You do not have permission to view tags."}
                    ]
                },
            ),
        )

        output = read_stream("tags", ConfigBuilder().build())

        assert output.records == [] and output.errors == []
        assert warnings_of(output) == [
            "Skipping stream 'tags': ActiveCampaign answered https://testaccount.api-us1.com/api/3/tags with HTTP 403 "
            '("You do not have permission to view tags."). Give the API key\'s user group that permission in '
            "ActiveCampaign (Settings > Users > Groups) to sync it."
        ]


KEY_REFUSED = error_response(403, {"message": "Forbidden"})
TAGS_PERMISSION_MISSING = error_response(
    403, {"errors": [{"status": 403, "title": "Forbidden", "detail": "You do not have permission to view tags."}]}
)
FULL_TAGS_PAGE = collection_response("tags", records(100, tag="VIP"), total="101")
LAST_TAGS_PAGE = collection_response("tags", records(1, start_id=101, tag="VIP"), total="101")
SECOND_TAGS_PAGE = ActiveCampaignRequestBuilder.collection("tags").with_offset_page(100)


def _logs_of(output: EntrypointOutput) -> list[str]:
    return [log.log.message for log in output.logs]


def _backoffs(sleep: MagicMock) -> list[float]:
    """The CDK's backoff waits, whole seconds: the rate budget's waits are fractions of a second, and
    the concurrent read polls its queue every tenth of a second."""
    return [call.args[0] for call in sleep.call_args_list if call.args[0] >= 1 and float(call.args[0]).is_integer()]


class TestIntermittentRefusals(TestCase):
    """A good key refused now and then: a 403 for a request like those answered in this sync is
    retried up to 3 times (the CDK's backoff: 1, 2, 4 s) before it counts."""

    @HttpMocker()
    def test_given_403_after_the_key_was_answered_when_read_then_retried_and_every_record_delivered(
        self, http_mocker: HttpMocker
    ) -> None:
        http_mocker.get(TAGS_PAGE.build(), FULL_TAGS_PAGE)
        http_mocker.get(SECOND_TAGS_PAGE.build(), [KEY_REFUSED, KEY_REFUSED, LAST_TAGS_PAGE])

        with patch("time.sleep") as sleep:
            output = read_stream("tags", ConfigBuilder().build())

        assert [record.record.data["id"] for record in output.records] == list(range(1, 102))
        assert _backoffs(sleep) == [1, 2]
        retries = [log for log in _logs_of(output) if log.startswith("Caught retryable error")]
        assert len(retries) == 2 and "(1 of 3)" in retries[0] and "(2 of 3)" in retries[1]
        assert "/api/3/tags" in retries[0] and API_KEY not in str(_logs_of(output))

    @HttpMocker()
    def test_given_403_that_persists_after_the_key_was_answered_when_read_then_fails_after_3_retries_saying_so(
        self, http_mocker: HttpMocker
    ) -> None:
        http_mocker.get(TAGS_PAGE.build(), FULL_TAGS_PAGE)
        http_mocker.get(SECOND_TAGS_PAGE.build(), [KEY_REFUSED] * 4)

        with patch("time.sleep") as sleep:
            output = read_stream("tags", ConfigBuilder().build(), expecting_exception=True)

        assert _backoffs(sleep) == [1, 2, 4]
        message = " ".join(error_messages_of(output))
        assert "invalid, revoked, or its user lacks permission" in message
        assert "refused 4 times in a row, though it answered requests with the same API key" in message

    @HttpMocker()
    def test_given_403_on_the_first_request_when_read_then_fails_at_once_as_a_refused_key(
        self, http_mocker: HttpMocker
    ) -> None:
        http_mocker.get(TAGS_PAGE.build(), KEY_REFUSED)  # asked once: a second ask would fail the mocker

        with patch("time.sleep") as sleep:
            output = read_stream("tags", ConfigBuilder().build(), expecting_exception=True)

        assert output.records == [] and _backoffs(sleep) == []
        assert any("invalid, revoked, or its user lacks permission" in m for m in error_messages_of(output))

    @HttpMocker()
    def test_given_permission_403_on_an_endpoint_not_answered_yet_when_read_then_skipped_at_once(
        self, http_mocker: HttpMocker
    ) -> None:
        http_mocker.get(TAGS_PAGE.build(), TAGS_PERMISSION_MISSING)  # asked once

        with patch("time.sleep") as sleep:
            output = read_stream("tags", ConfigBuilder().build())

        assert output.records == [] and output.errors == [] and _backoffs(sleep) == []

    @HttpMocker()
    def test_given_permission_403_on_an_endpoint_answered_before_when_read_then_retried(
        self, http_mocker: HttpMocker
    ) -> None:
        http_mocker.get(TAGS_PAGE.build(), FULL_TAGS_PAGE)
        http_mocker.get(SECOND_TAGS_PAGE.build(), [TAGS_PERMISSION_MISSING, LAST_TAGS_PAGE])

        with patch("time.sleep"):
            output = read_stream("tags", ConfigBuilder().build())

        assert [record.record.data["id"] for record in output.records] == list(range(1, 102))
        assert any("answered this endpoint with the same API key" in log for log in _logs_of(output))


class TestNetworkFaults(TestCase):
    def _read_tags_through(self, first_failure: Exception) -> list:
        import requests_mock

        with requests_mock.Mocker() as mocker, patch("time.sleep"):
            mocker.get(
                "https://testaccount.api-us1.com/api/3/tags",
                [{"exc": first_failure}, {"json": {"tags": [{"id": "1", "tag": "VIP"}], "meta": {"total": "1"}}}],
            )
            output = read_stream("tags", ConfigBuilder().build())
            requests_made = mocker.call_count
        assert requests_made == 2
        return [record.record.data["id"] for record in output.records]

    def test_given_a_read_timeout_when_read_then_the_request_is_retried(self) -> None:
        import requests

        assert self._read_tags_through(requests.exceptions.ReadTimeout("read timed out")) == [1]

    def test_given_a_connection_reset_when_read_then_the_request_is_retried(self) -> None:
        import requests

        assert self._read_tags_through(requests.exceptions.ConnectionError("Connection reset by peer")) == [1]
