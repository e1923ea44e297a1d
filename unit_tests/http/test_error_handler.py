"""The error handler's own additions to the CDK's: the frame every message gets, the filters a variant
handler puts first, and one warning per skipped stream."""

import datetime
import io
import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests
from airbyte_cdk.models import FailureType
from airbyte_cdk.sources.declarative.requesters.error_handlers import HttpResponseFilter
from airbyte_cdk.sources.streams.http.error_handlers.response_models import ErrorResolution, ResponseAction

from source_activecampaign import progress
from source_activecampaign.deletions.checks import DeletionChecks
from source_activecampaign.deletions.id_set import IdSet
from source_activecampaign.deletions.plan import DeletionPlan, StreamDeletions
from source_activecampaign.http.error_handler import WarnOnIgnoreErrorHandler, api_words

URL = "https://acme.api-us1.com/api/3/tags"


def _response(status: int, body: Any = None, url: str = f"{URL}?limit=100&offset=0") -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response.raw = io.BytesIO(body.encode() if isinstance(body, str) else json.dumps(body).encode())
    response.url = url
    return response


def _filter(action: str, http_codes: set[int], error_message: str) -> HttpResponseFilter:
    return HttpResponseFilter(
        config={}, parameters={}, action=action, http_codes=http_codes, error_message=error_message
    )


def _handler(
    *filters: HttpResponseFilter, overriding: list[HttpResponseFilter] | None = None
) -> WarnOnIgnoreErrorHandler:
    return WarnOnIgnoreErrorHandler(
        config={},
        parameters={"name": "tags"},
        response_filters=list(filters),
        overriding_response_filters=overriding or [],
    )


@pytest.mark.parametrize(
    "body, expected",
    [
        pytest.param({"message": "Not Found"}, "Not Found", id="message"),
        pytest.param(
            {"errors": [{"title": "Invalid", "detail": "The filter is not valid", "status": 422}]},
            "The filter is not valid",
            id="JSON:API detail",
        ),
        pytest.param({"errors": [{"title": "Forbidden"}]}, "Forbidden", id="JSON:API title without detail"),
        pytest.param({"message": "Past due", "errors": [{"detail": "other"}]}, "Past due", id="message before errors"),
        pytest.param({"errors": []}, None, id="no errors"),
        pytest.param({"message": "  "}, None, id="blank message"),
        pytest.param([{"message": "a list"}], None, id="a list body"),
        pytest.param("<html>login</html>", None, id="not JSON"),
        pytest.param("", None, id="empty body"),
    ],
)
def test_api_words_are_the_message_or_the_first_errors_detail_or_title(body: Any, expected: str | None) -> None:
    assert api_words(_response(403, body)) == expected


@pytest.mark.parametrize(
    "response, resolution",
    [
        pytest.param(
            _response(404, {"message": "No Result found for Sms"}),
            ErrorResolution(ResponseAction.IGNORE, FailureType.system_error, "Deselect the stream."),
            id="ignored: skipping, with the API's words",
        ),
        pytest.param(
            _response(403, ""),
            ErrorResolution(ResponseAction.FAIL, FailureType.config_error, "Copy the key from Settings > Developer."),
            id="failed without words",
        ),
        pytest.param(
            _response(500, "<html>oops</html>", url="https://user:secret@acme.api-us1.com/api/3/tags?api_key=x#top"),
            ErrorResolution(ResponseAction.RETRY, FailureType.transient_error, ""),
            id="retried, the URL without user info, query or fragment, no message of its own",
        ),
    ],
)
def test_given_a_filter_resolution_then_the_message_names_stream_url_status_and_the_apis_words(
    response: requests.Response, resolution: ErrorResolution
) -> None:
    handler = _handler(
        HttpResponseFilter(
            config={},
            parameters={},
            action=resolution.response_action,
            failure_type=resolution.failure_type,
            http_codes={response.status_code},
            error_message=resolution.error_message or "",
        )
    )

    framed = handler.interpret_response(response)

    expected = {
        404: "Skipping stream 'tags': ActiveCampaign answered https://acme.api-us1.com/api/3/tags with HTTP 404 "
        '("No Result found for Sms"). Deselect the stream.',
        403: "Stream 'tags': ActiveCampaign answered https://acme.api-us1.com/api/3/tags with HTTP 403. "
        "Copy the key from Settings > Developer.",
        500: "Stream 'tags': ActiveCampaign answered https://acme.api-us1.com/api/3/tags with HTTP 500. "
        "HTTP Status Code: 500. Error: Internal server error.",
    }[response.status_code]
    assert (framed.response_action, framed.failure_type, framed.error_message) == (
        resolution.response_action,
        resolution.failure_type,
        expected,
    )


@pytest.mark.parametrize(
    "status, words",
    [(403, "Forbidden"), (401, "unauthorized"), (404, "404 Not Found."), (429, "Too Many Requests")],
)
def test_given_the_apis_words_only_name_the_status_then_the_message_states_the_status_once(
    status: int, words: str
) -> None:
    handler = _handler(_filter("FAIL", {status}, "Copy the key."))

    resolution = handler.interpret_response(_response(status, {"message": words}))

    assert resolution.error_message == f"Stream 'tags': ActiveCampaign answered {URL} with HTTP {status}. Copy the key."


def test_given_429_on_every_try_then_the_last_try_fails_saying_the_limit_is_used_up_by_other_clients() -> None:
    handler = WarnOnIgnoreErrorHandler(
        config={},
        parameters={"name": "tags"},
        max_retries=2,
        response_filters=[_filter("RATE_LIMITED", {429}, "Waiting as it asks.")],
    )

    resolutions = [handler.interpret_response(_response(429, {"message": "Too Many Requests"})) for _ in range(3)]

    assert [resolution.response_action for resolution in resolutions] == [
        ResponseAction.RATE_LIMITED,
        ResponseAction.RATE_LIMITED,
        ResponseAction.FAIL,
    ]
    assert (resolutions[2].failure_type, resolutions[2].error_message) == (
        FailureType.transient_error,
        f"Stream 'tags': ActiveCampaign answered {URL} with HTTP 429. It answered so to all 3 tries of this request: "
        "the account's rate limit is used up by its other clients. ActiveCampaign allows 5 requests per second per "
        "account, shared by every API key and integration of the account. Pause or slow down the account's other "
        "integrations, or schedule this sync when they are idle, then run it again: the records and states already "
        "emitted are kept.",
    )


def test_given_a_success_then_the_resolution_is_the_cdks_unframed() -> None:
    handler = _handler(_filter("IGNORE", {404}, "Deselect the stream."))

    resolution = handler.interpret_response(_response(200, {"tags": []}))

    assert (resolution.response_action, resolution.error_message) == (ResponseAction.SUCCESS, None)


def test_given_overriding_filters_then_they_are_matched_before_the_shared_ones() -> None:
    shared = _filter("IGNORE", {404}, "Deselect the stream.")
    handler = _handler(shared, overriding=[_filter("FAIL", {404}, "Every account has this resource.")])

    not_found = handler.interpret_response(_response(404, {"message": "Not Found"}))
    without_the_override = _handler(shared).interpret_response(_response(404, {"message": "Not Found"}))

    assert (not_found.response_action, not_found.error_message) == (
        ResponseAction.FAIL,
        "Stream 'tags': ActiveCampaign answered https://acme.api-us1.com/api/3/tags with HTTP 404. "
        "Every account has this resource.",
    )
    assert without_the_override.response_action == ResponseAction.IGNORE


def test_warn_on_ignore_error_handler_warns_once_per_stream_across_threads(caplog: pytest.LogCaptureFixture) -> None:
    handler = _handler(_filter("IGNORE", {404}, "Deselect the stream."))

    with ThreadPoolExecutor(max_workers=8) as pool:
        actions = list(
            pool.map(
                lambda _: handler.interpret_response(_response(404, {"message": "Not Found"})).response_action,
                range(40),
            )
        )

    assert set(actions) == {ResponseAction.IGNORE}
    assert [record.message for record in caplog.records if record.levelname == "WARNING"] == [
        "Skipping stream 'tags': ActiveCampaign answered https://acme.api-us1.com/api/3/tags with HTTP 404. "
        "Deselect the stream."
    ]


def test_every_answer_is_counted_for_the_sync_under_the_handlers_stream() -> None:
    sync = progress.begin_sync()
    handler = _handler(_filter("RATE_LIMITED", {429}, "Waiting."))
    cached = _response(200, {})
    cached.from_cache = True  # type: ignore[attr-defined]  # what requests-cache sets on a response it kept

    for answer in [
        _response(200, {}),
        _response(429, {}),
        _response(500, {}),
        _response(200, {}),
        requests.exceptions.ConnectionError("refused"),
        cached,
    ]:
        handler.interpret_response(answer)

    assert sync.evaluate("tags", lambda facts, _: (facts.requests, facts.rate_limited, facts.retried)) == (5, 1, 3)


@pytest.mark.parametrize(
    "status, skipped",
    [pytest.param(404, True, id="an ignored answer: skipped"), pytest.param(200, False, id="a page: not skipped")],
)
def test_given_an_answer_ignored_then_the_streams_deletion_check_of_this_sync_concludes_nothing(
    status: int, skipped: bool
) -> None:
    now = datetime.datetime(2024, 3, 1, tzinfo=datetime.timezone.utc)
    stream = StreamDeletions("sms", "id", False, False, IdSet.of([1, 2]), now, True)
    checks = DeletionChecks(DeletionPlan(f"ignored-{status}", now, {"sms": stream}))
    config = {"deletions": {"sync": f"ignored-{status}"}}
    handler = WarnOnIgnoreErrorHandler(
        config=config,
        parameters={"name": "sms"},
        response_filters=[HttpResponseFilter(config=config, parameters={}, http_codes={404}, action="IGNORE")],
    )
    check = checks.checking("sms")
    assert check is not None
    check.note_page([1], True, None)

    handler.interpret_response(_response(status, {"message": "Not Found"}))

    assert (check.finish(True) is None) is skipped
