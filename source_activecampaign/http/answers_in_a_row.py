"""How many times in a row one request got the same kind of answer, and the rate limit used up by others.

The CDK retries a request in the thread that sent it, one request at a time, so what a request got
so far is kept per thread: a thread's next request (another URL) starts the count again.
"""

import threading

from airbyte_cdk.models import FailureType
from airbyte_cdk.sources.streams.http.error_handlers.response_models import ErrorResolution, ResponseAction


class AnswersInARow:
    """Counts one kind of answer (a refusal, a 429) to this thread's request, in a row."""

    def __init__(self) -> None:
        self._local = threading.local()  # (url, answers in a row) of this thread's request

    def count(self, url: str) -> int:
        """One more such answer to ``url``: how many in a row, this one included."""
        previous_url, previous = getattr(self._local, "counted", None) or (url, 0)
        counted = previous + 1 if previous_url == url else 1
        self._local.counted = (url, counted)
        return counted

    def reset(self) -> None:
        """This thread's request got another kind of answer."""
        self._local.counted = None


# What a request that never got a call of the account's rate limit fails with, after what it met.
USED_UP_BY_OTHERS = (
    "the account's rate limit is used up by its other clients. ActiveCampaign allows 5 requests per second "
    "per account, shared by every API key and integration of the account. Pause or slow down the account's "
    "other integrations, or schedule this sync when they are idle, then run it again: the records and states "
    "already emitted are kept."
)


class RateLimitedInARow:
    """Turns the last 429 a request may get into a failure that says why and what to do.

    ``resolve`` takes the filters' resolution of an answer and returns it, or, at the ``max_tries``-th
    rate-limited answer in a row to one request (the CDK's own last try), a transient failure saying
    that the account's limit is used up by its other clients: the CDK's own words then would be "API
    rate limit exceeded.", which says neither.
    """

    def __init__(self, max_tries: int) -> None:
        self._max_tries = max_tries
        self._in_a_row = AnswersInARow()

    def resolve(self, url: str, resolution: ErrorResolution) -> ErrorResolution:
        if resolution.response_action != ResponseAction.RATE_LIMITED:
            self._in_a_row.reset()
            return resolution
        if self._in_a_row.count(url) < self._max_tries:
            return resolution
        self._in_a_row.reset()
        return ErrorResolution(
            response_action=ResponseAction.FAIL,
            failure_type=FailureType.transient_error,
            error_message=f"It answered so to all {self._max_tries} tries of this request: {USED_UP_BY_OTHERS}",
        )
