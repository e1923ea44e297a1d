"""The error handler every requester of the manifest uses: retries, skips and messages that say what to fix."""

import http
import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests
from airbyte_cdk.models import FailureType
from airbyte_cdk.sources.declarative.requesters.error_handlers import DefaultErrorHandler, HttpResponseFilter
from airbyte_cdk.sources.streams.http.error_handlers.response_models import (
    ErrorResolution,
    ResponseAction,
)

from source_activecampaign import progress
from source_activecampaign.deletions.checks import deletion_checks
from source_activecampaign.http.answers_in_a_row import RateLimitedInARow
from source_activecampaign.http.key_refusals import IntermittentRefusals
from source_activecampaign.http.network_faults import describe_network_fault
from source_activecampaign.http.page_body import parsed_body_served

logger = logging.getLogger("airbyte")


_NO_ANSWER = (
    requests.exceptions.ConnectionError,
    requests.exceptions.Timeout,
    requests.exceptions.ChunkedEncodingError,
)


def api_words(response: requests.Response) -> str | None:
    """What the API itself said about the answer, if anything.

    ActiveCampaign says it as ``{"message": ...}`` or as JSON:API ``{"errors": [{"title", "detail",
    "status"}]}`` (https://developers.activecampaign.com/reference/errors): the message, else the first
    error's detail, else its title. None for a body that is not JSON or says nothing.
    """
    try:
        body = response.json()
    except ValueError:
        return None
    if not isinstance(body, Mapping):
        return None
    errors = body.get("errors")
    first = errors[0] if isinstance(errors, list) and errors and isinstance(errors[0], Mapping) else {}
    said = str(body.get("message") or first.get("detail") or first.get("title") or "").strip()
    return said or None


def _restates_the_status(words: str, status: int) -> bool:
    """Whether the API's words only name the status ("Forbidden" for a 403): the frame states it already."""
    try:
        phrase = http.HTTPStatus(status).phrase.lower()
    except ValueError:
        return False
    return words.strip(" .").lower() in (phrase, f"{status} {phrase}")


def _url_without_query(response: requests.Response) -> str:
    """The URL answered, without query, fragment or user info (as the CDK's filters show it)."""
    parts = urlsplit(response.url or "")
    return urlunsplit((parts.scheme, parts.netloc.rsplit("@", 1)[-1], parts.path, "", ""))


@dataclass
class WarnOnIgnoreErrorHandler(DefaultErrorHandler):
    """A ``DefaultErrorHandler`` whose every message says where and what, and that says what it skips.

    - Every answer it does not take as a success gets one frame around its filter's ``error_message``:
      the stream, the URL, the HTTP status and what the API itself said (``api_words``, left out
      when it only names the status, as the "Forbidden" of a refused key), so that a filter's
      message is only what the case means and what to do. A 404 of the tags stream whose
      filter says "Accounts without the feature it belongs to answer so; ..." is reported as::

          Skipping stream 'tags': ActiveCampaign answered https://<account>.api-us1.com/api/3/tags with
          HTTP 404 ("No Result found"). Accounts without the feature it belongs to answer so; ...

    - ``overriding_response_filters`` are tried before ``response_filters``: a variant of a shared
      handler states only what it does differently::

          required_resource_error_handler:
            $ref: "#/definitions/error_handler"
            overriding_response_filters:
              - type: HttpResponseFilter
                http_codes: [404]
                action: FAIL
                error_message: Every account has this resource, so the API URL points somewhere else.

    - A request that got no answer (host not found, connection refused, TLS certificate not
      trusted, no answer in time) is retried with a message naming the host and the cause, which
      the CDK logs on each retry and reports when the retries run out; its own message is the
      exception's class and a chain of urllib3 wrappers.
    - The manifest ignores a 403 that names a missing permission and a 404 of a feature the account
      does not have, so that the stream is skipped and the sync goes on; the CDK logs ignored
      responses at INFO, where a user would not see why a stream came out empty. The message is
      logged once per stream instead: a stream's partitions share its handler, so a child stream
      whose parents all answer 404 (campaign links of every campaign) warns once.
    - Every answer is counted for the sync's summary (``progress.request_answered``), under the
      name of the stream whose requester sent it.
    - A skipped answer also keeps the stream's deletion check of this sync from concluding anything.
    - A 403 for a request like the ones ActiveCampaign already answered with the same key in this
      sync is retried up to ``intermittent_refusal_retries`` times before the filters decide
      (key_refusals.py): a good key is refused now and then.
    - A request answered 429 on every try fails, at its last try, saying that the account's rate
      limit is used up by its other clients and what to do (answers_in_a_row.py), not the CDK's
      "API rate limit exceeded.".
    """

    overriding_response_filters: list[HttpResponseFilter] = field(default_factory=list)
    intermittent_refusal_retries: int = 3

    _warned: bool = field(default=False, init=False, repr=False)
    _warned_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        self.response_filters = [*self.overriding_response_filters, *(self.response_filters or [])]
        super().__post_init__(parameters)
        self._stream_name = str((parameters or {}).get("name", ""))
        self._intermittent_refusals = IntermittentRefusals(self.intermittent_refusal_retries)
        self._rate_limited_in_a_row = RateLimitedInARow(max_tries=int(self.max_retries or 0) + 1)

    def interpret_response(self, response_or_exception: requests.Response | Exception | None) -> ErrorResolution:
        resolution = self._resolve(response_or_exception)
        progress.request_answered(self._stream_name, response_or_exception, resolution.response_action)
        return resolution

    def _resolve(self, response_or_exception: requests.Response | Exception | None) -> ErrorResolution:
        if isinstance(response_or_exception, _NO_ANSWER):
            return ErrorResolution(
                response_action=ResponseAction.RETRY,
                failure_type=FailureType.transient_error,
                error_message=describe_network_fault(response_or_exception),
            )
        if not isinstance(response_or_exception, requests.Response):
            resolution = super().interpret_response(response_or_exception)
        else:
            # The filters that read the body (three, each with response.json()) read it parsed once.
            with parsed_body_served(response_or_exception):
                resolution = super().interpret_response(response_or_exception)
                resolution = self._intermittent_refusals.resolve(response_or_exception, resolution)
                resolution = self._rate_limited_in_a_row.resolve(response_or_exception.url, resolution)
                if resolution.response_action not in (ResponseAction.SUCCESS, None):
                    resolution = ErrorResolution(
                        response_action=resolution.response_action,
                        failure_type=resolution.failure_type,
                        error_message=self._framed(response_or_exception, resolution),
                    )
        if resolution.response_action == ResponseAction.IGNORE:
            # What the stream read without this answer is not its whole collection: no deletion
            # check may conclude from it.
            checks = deletion_checks(self.config)
            if checks is not None:
                checks.note_skipped(self._stream_name)
            with self._warned_lock:
                first = not self._warned
                self._warned = True
            if first:
                logger.warning(resolution.error_message)
        return resolution

    def _framed(self, response: requests.Response, resolution: ErrorResolution) -> str:
        lead = "Skipping stream" if resolution.response_action == ResponseAction.IGNORE else "Stream"
        words = api_words(response)
        said = f' ("{words}")' if words and not _restates_the_status(words, response.status_code) else ""
        return (
            f"{lead} '{self._stream_name}': ActiveCampaign answered {_url_without_query(response)} with "
            f"HTTP {response.status_code}{said}. {resolution.error_message or ''}"
        ).rstrip()
