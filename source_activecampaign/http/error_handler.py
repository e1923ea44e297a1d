"""The error handler every requester of the manifest uses: retries, skips and messages that say what to fix."""

import logging
import threading
from dataclasses import dataclass, field

import requests
from airbyte_cdk.models import FailureType
from airbyte_cdk.sources.declarative.requesters.error_handlers import DefaultErrorHandler
from airbyte_cdk.sources.streams.http.error_handlers.response_models import (
    ErrorResolution,
    ResponseAction,
)

from source_activecampaign.http.network_faults import describe_network_fault

logger = logging.getLogger("airbyte")


_NO_ANSWER = (
    requests.exceptions.ConnectionError,
    requests.exceptions.Timeout,
    requests.exceptions.ChunkedEncodingError,
)


@dataclass
class WarnOnIgnoreErrorHandler(DefaultErrorHandler):
    """A ``DefaultErrorHandler`` that says what went wrong where the CDK would not.

    - A request that got no answer (host not found, connection refused, TLS certificate not
      trusted, no answer in time) is retried with a message naming the host and the cause, which
      the CDK logs on each retry and reports when the retries run out; its own message is the
      exception's class and a chain of urllib3 wrappers.
    - The manifest ignores a 403 that names a missing permission and a 404 of a feature the account
      does not have, so that the stream is skipped and the sync goes on; the CDK logs ignored
      responses at INFO, where a user would not see why a stream came out empty. The filter's
      ``error_message`` is logged once per stream instead: a stream's partitions share its handler,
      so a child stream whose parents all answer 404 (campaign links of every campaign) warns once.
    """

    _warned: bool = field(default=False, init=False, repr=False)
    _warned_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def interpret_response(self, response_or_exception: requests.Response | Exception | None) -> ErrorResolution:
        if isinstance(response_or_exception, _NO_ANSWER):
            return ErrorResolution(
                response_action=ResponseAction.RETRY,
                failure_type=FailureType.transient_error,
                error_message=describe_network_fault(response_or_exception),
            )
        resolution = super().interpret_response(response_or_exception)
        if resolution.response_action == ResponseAction.IGNORE:
            with self._warned_lock:
                first = not self._warned
                self._warned = True
            if first:
                logger.warning(resolution.error_message)
        return resolution
