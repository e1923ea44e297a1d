"""A good API key refused now and then: which 403s look intermittent.

ActiveCampaign answers a missing or invalid ``Api-Token`` with 403, and uses 403 too for a resource
the key's user may not read (https://developers.activecampaign.com/reference/authentication,
https://developers.activecampaign.com/reference/errors). Users of another ActiveCampaign connector
report that the API "raises 403 authentication errors intermittently" with a good key during syncs.
A 403 cannot say which of these it is, but the sync can: once ActiveCampaign has answered requests
like this one with the same key, a refusal of it is more likely a passing fault than a key revoked
mid-sync, and is worth a few retries before it counts. What "like this one" means depends on what
the refusal would mean if it persisted:

* a refusal of the key (the sync fails): any request answered with that key;
* a refusal of one resource (the stream is skipped: a permission the key's user lacks, a plan
  without custom objects): a request to the same endpoint.

One process is one sync (the entrypoint runs one command), so what has been answered is kept for
the process, per key: ``ANSWERED_IN_THIS_SYNC``. Keys are kept as SHA-256 digests, never as such.
"""

import hashlib
import re
import threading
from dataclasses import replace
from urllib.parse import urlsplit

import requests
from airbyte_cdk.models import FailureType
from airbyte_cdk.sources.streams.http.error_handlers.response_models import ErrorResolution, ResponseAction

from source_activecampaign.http.answers_in_a_row import AnswersInARow

API_TOKEN_HEADER = "Api-Token"
_ID_SEGMENT = re.compile(r"[^A-Za-z_]")  # a segment with a digit or a dash is an id, not a name


def endpoint(url: str) -> str:
    """The endpoint a URL asks, ids left out: ``/api/3/contacts/12/contactTags`` -> ``contacts/*/contactTags``."""
    path = urlsplit(url).path
    segments = [segment for segment in path.split("/") if segment]
    if segments[:2] == ["api", "3"]:
        segments = segments[2:]
    return "/".join("*" if _ID_SEGMENT.search(segment) else segment for segment in segments)


def _key_digest(request: requests.PreparedRequest | None) -> str | None:
    token = request.headers.get(API_TOKEN_HEADER) if request is not None else None
    return hashlib.sha256(token.encode()).hexdigest() if isinstance(token, str) and token else None


class AnsweredRequests:
    """The endpoints ActiveCampaign has answered, per API key, in this sync."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._endpoints: dict[str, set[str]] = {}

    def note_answered(self, response: requests.Response) -> None:
        key = _key_digest(response.request)
        if key is None:
            return
        with self._lock:
            self._endpoints.setdefault(key, set()).add(endpoint(response.url))

    def key_answered(self, response: requests.Response) -> bool:
        """Whether a request with this response's key was answered before, to any endpoint."""
        key = _key_digest(response.request)
        with self._lock:
            return key is not None and bool(self._endpoints.get(key))

    def endpoint_answered(self, response: requests.Response) -> bool:
        """Whether a request to this response's endpoint with its key was answered before."""
        key = _key_digest(response.request)
        with self._lock:
            return key is not None and endpoint(response.url) in self._endpoints.get(key, set())

    def forget(self) -> None:
        """A new sync in the same process (tests; the entrypoint runs one command)."""
        with self._lock:
            self._endpoints.clear()


ANSWERED_IN_THIS_SYNC = AnsweredRequests()


class IntermittentRefusals:
    """Turns a 403 for a request like the ones answered in this sync into a few retries.

    ``resolve`` takes the filters' resolution of an answer and returns it, or a retry: at most
    ``retries`` times in a row for one request (the CDK's backoff waits 1, 2, 4 ... s between them).
    A refusal that persists then gets the manifest's resolution, its message saying so. Retries are
    counted per thread (answers_in_a_row.py).
    """

    def __init__(self, retries: int, answered: AnsweredRequests = ANSWERED_IN_THIS_SYNC) -> None:
        self._retries = retries
        self._answered = answered
        self._refusals = AnswersInARow()

    def resolve(self, response: requests.Response, resolution: ErrorResolution) -> ErrorResolution:
        action = resolution.response_action
        if action == ResponseAction.SUCCESS:
            self._answered.note_answered(response)
            self._refusals.reset()
            return resolution
        if response.status_code != 403 or action not in (ResponseAction.FAIL, ResponseAction.IGNORE):
            return resolution
        # IGNORE skips a resource the key may not read: like it is the same endpoint. FAIL refuses
        # the key: like it is any request with that key.
        skips_resource = action == ResponseAction.IGNORE
        like_it = "this endpoint" if skips_resource else "requests"
        answered = (
            self._answered.endpoint_answered(response) if skips_resource else self._answered.key_answered(response)
        )
        if not answered:
            return resolution
        refusals = self._refusals.count(response.url)
        if refusals <= self._retries:
            return ErrorResolution(
                response_action=ResponseAction.RETRY,
                failure_type=FailureType.transient_error,
                error_message=(
                    f"It answered {like_it} with the same API key earlier in this sync: taken for an "
                    f"intermittent refusal, tried again ({refusals} of {self._retries})."
                ),
            )
        self._refusals.reset()
        said = f"{resolution.error_message} " if resolution.error_message else ""
        return replace(
            resolution,
            error_message=(
                f"{said}It was refused {refusals} times in a row, though it answered {like_it} with the same "
                "API key earlier in this sync."
            ),
        )
