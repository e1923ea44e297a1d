"""Which 403s look intermittent: the endpoints answered per key, and the retries per request."""

import threading

import pytest
import requests
from airbyte_cdk.models import FailureType
from airbyte_cdk.sources.streams.http.error_handlers.response_models import ErrorResolution, ResponseAction

from source_activecampaign.http.key_refusals import AnsweredRequests, IntermittentRefusals, endpoint

API = "https://acct.api-us1.com/api/3"
KEY = "ac-key-refusals-test-0123456789"
SUCCESS = ErrorResolution(response_action=ResponseAction.SUCCESS)
KEY_REFUSED = ErrorResolution(ResponseAction.FAIL, FailureType.config_error, "ActiveCampaign refused the API key.")
SKIPPED = ErrorResolution(ResponseAction.IGNORE, None, "Skipping stream 'tags': no permission.")


def answer(status: int, url: str, key: str = KEY) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response.url = url
    response.request = requests.Request("GET", url, headers={"Api-Token": key}).prepare()
    return response


@pytest.mark.parametrize(
    "url, expected",
    [
        pytest.param(f"{API}/contacts?limit=100&offset=0", "contacts", id="a collection, query left out"),
        pytest.param(f"{API}/contacts/12/contactTags", "contacts/*/contactTags", id="a parent's id"),
        pytest.param(f"{API}/customObjects/records/4b1a-9c", "customObjects/records/*", id="a schema id"),
        pytest.param(f"{API}/users/me", "users/me", id="a name, not an id"),
    ],
)
def test_endpoint_leaves_ids_out(url: str, expected: str) -> None:
    assert endpoint(url) == expected


def test_answered_requests_are_kept_per_key_and_endpoint() -> None:
    answered = AnsweredRequests()
    answered.note_answered(answer(200, f"{API}/contacts?offset=0"))

    assert answered.key_answered(answer(403, f"{API}/tags"))
    assert not answered.key_answered(answer(403, f"{API}/tags", key="another-key"))
    assert answered.endpoint_answered(answer(403, f"{API}/contacts?offset=100"))
    assert not answered.endpoint_answered(answer(403, f"{API}/tags"))
    answered.forget()
    assert not answered.key_answered(answer(403, f"{API}/contacts"))


def test_the_key_itself_is_never_kept() -> None:
    answered = AnsweredRequests()
    answered.note_answered(answer(200, f"{API}/contacts"))

    assert KEY not in repr(vars(answered))


def test_a_key_refused_after_it_was_answered_is_retried_3_times_then_fails_saying_so() -> None:
    refusals = IntermittentRefusals(retries=3, answered=AnsweredRequests())
    refusals.resolve(answer(200, f"{API}/contacts"), SUCCESS)

    resolutions = [refusals.resolve(answer(403, f"{API}/tags?offset=100"), KEY_REFUSED) for _ in range(4)]

    assert [r.response_action for r in resolutions] == [ResponseAction.RETRY] * 3 + [ResponseAction.FAIL]
    assert resolutions[0].failure_type == FailureType.transient_error
    assert resolutions[0].error_message == (
        "It answered requests with the same API key earlier in this sync: taken for an intermittent refusal, "
        "tried again (1 of 3)."
    )
    assert resolutions[3].error_message == (
        "ActiveCampaign refused the API key. It was refused 4 times in a row, though it answered requests with "
        "the same API key earlier in this sync."
    )


def test_a_key_refused_before_any_answer_fails_at_once() -> None:
    refusals = IntermittentRefusals(retries=3, answered=AnsweredRequests())

    assert refusals.resolve(answer(403, f"{API}/users/me"), KEY_REFUSED) == KEY_REFUSED


def test_a_resource_refused_is_retried_only_where_its_endpoint_was_answered() -> None:
    refusals = IntermittentRefusals(retries=3, answered=AnsweredRequests())
    refusals.resolve(answer(200, f"{API}/contacts"), SUCCESS)

    assert refusals.resolve(answer(403, f"{API}/tags"), SKIPPED) == SKIPPED  # a permission the key lacks
    refusals.resolve(answer(200, f"{API}/tags?offset=0"), SUCCESS)
    assert refusals.resolve(answer(403, f"{API}/tags?offset=100"), SKIPPED).response_action == ResponseAction.RETRY


def test_an_answer_between_refusals_starts_the_count_again() -> None:
    refusals = IntermittentRefusals(retries=2, answered=AnsweredRequests())
    refusals.resolve(answer(200, f"{API}/tags?offset=0"), SUCCESS)
    page_2, page_3 = f"{API}/tags?offset=100", f"{API}/tags?offset=200"

    actions = [refusals.resolve(answer(403, page_2), KEY_REFUSED).response_action for _ in range(2)]
    refusals.resolve(answer(200, page_2), SUCCESS)
    actions += [refusals.resolve(answer(403, page_3), KEY_REFUSED).response_action for _ in range(3)]

    assert actions == [ResponseAction.RETRY] * 4 + [ResponseAction.FAIL]


def test_refusals_are_counted_per_thread() -> None:
    refusals = IntermittentRefusals(retries=1, answered=AnsweredRequests())
    refusals.resolve(answer(200, f"{API}/contacts"), SUCCESS)
    actions: list[ResponseAction | None] = []

    def refused_once() -> None:
        actions.append(refusals.resolve(answer(403, f"{API}/tags"), KEY_REFUSED).response_action)

    workers = [threading.Thread(target=refused_once) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert actions == [ResponseAction.RETRY] * 4  # each thread's request refused once, each retried


@pytest.mark.parametrize("status", [401, 404, 500])
def test_other_failures_are_left_to_the_manifest(status: int) -> None:
    refusals = IntermittentRefusals(retries=3, answered=AnsweredRequests())
    refusals.resolve(answer(200, f"{API}/contacts"), SUCCESS)
    failed = ErrorResolution(ResponseAction.FAIL, FailureType.system_error, "failed")

    assert refusals.resolve(answer(status, f"{API}/tags"), failed) == failed
