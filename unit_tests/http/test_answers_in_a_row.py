"""Answers of one kind in a row per request and thread, and the last 429 a request may get."""

import threading

from airbyte_cdk.models import FailureType
from airbyte_cdk.sources.streams.http.error_handlers.response_models import ErrorResolution, ResponseAction

from source_activecampaign.http.answers_in_a_row import USED_UP_BY_OTHERS, AnswersInARow, RateLimitedInARow

TAGS = "https://acct.api-us1.com/api/3/tags?offset=0"
LISTS = "https://acct.api-us1.com/api/3/lists?offset=0"
RATE_LIMITED = ErrorResolution(ResponseAction.RATE_LIMITED, FailureType.transient_error, "Waiting 1 s.")
SUCCESS = ErrorResolution(response_action=ResponseAction.SUCCESS)


def test_answers_in_a_row_count_per_url_and_start_again_after_a_reset() -> None:
    in_a_row = AnswersInARow()

    assert [in_a_row.count(TAGS), in_a_row.count(TAGS), in_a_row.count(LISTS), in_a_row.count(TAGS)] == [1, 2, 1, 1]
    in_a_row.reset()
    assert in_a_row.count(TAGS) == 1


def test_answers_in_a_row_are_counted_per_thread() -> None:
    in_a_row = AnswersInARow()
    in_a_row.count(TAGS)
    in_other_thread: list[int] = []

    thread = threading.Thread(target=lambda: in_other_thread.append(in_a_row.count(TAGS)))
    thread.start()
    thread.join()

    assert in_other_thread == [1] and in_a_row.count(TAGS) == 2


def test_the_last_429_a_request_may_get_fails_saying_the_limit_is_used_up_by_others_and_what_to_do() -> None:
    rate_limited = RateLimitedInARow(max_tries=3)

    resolutions = [rate_limited.resolve(TAGS, RATE_LIMITED) for _ in range(3)]

    assert resolutions[:2] == [RATE_LIMITED, RATE_LIMITED]
    assert resolutions[2] == ErrorResolution(
        ResponseAction.FAIL,
        FailureType.transient_error,
        f"It answered so to all 3 tries of this request: {USED_UP_BY_OTHERS}",
    )
    assert "used up by its other clients" in USED_UP_BY_OTHERS and "Pause or slow down" in USED_UP_BY_OTHERS


def test_429s_count_again_after_another_answer_or_for_another_request() -> None:
    rate_limited = RateLimitedInARow(max_tries=2)

    rate_limited.resolve(TAGS, RATE_LIMITED)
    assert rate_limited.resolve(TAGS, SUCCESS) == SUCCESS
    rate_limited.resolve(TAGS, RATE_LIMITED)
    assert rate_limited.resolve(LISTS, RATE_LIMITED) == RATE_LIMITED
    assert rate_limited.resolve(LISTS, RATE_LIMITED).response_action == ResponseAction.FAIL
    assert rate_limited.resolve(LISTS, RATE_LIMITED) == RATE_LIMITED  # a request after it starts again
