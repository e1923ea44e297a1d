"""The few components the manifest cannot declare. Each says why it exists."""

import json
import logging
import threading
from collections.abc import Iterable, Mapping, MutableMapping
from dataclasses import InitVar, dataclass, field
from datetime import datetime, timezone
from typing import Any

import requests
from airbyte_cdk.models import FailureType
from airbyte_cdk.sources.declarative.auth.declarative_authenticator import DeclarativeAuthenticator
from airbyte_cdk.sources.declarative.interpolation.interpolated_string import InterpolatedString
from airbyte_cdk.sources.declarative.migrations.state_migration import StateMigration
from airbyte_cdk.sources.declarative.requesters.error_handlers import DefaultErrorHandler
from airbyte_cdk.sources.declarative.schema.schema_loader import SchemaLoader
from airbyte_cdk.sources.streams.http.error_handlers.response_models import (
    ErrorResolution,
    ResponseAction,
)
from airbyte_cdk.sources.types import Config
from dateutil import parser as date_parser

from source_activecampaign.custom_fields import SideloadedCustomFieldsExtractor
from source_activecampaign.network_faults import describe_network_fault
from source_activecampaign.packaged_files import schema_path

logger = logging.getLogger("airbyte")


def _drop_redirect_target(response: requests.Response, *args: Any, **kwargs: Any) -> None:
    # requests drops an Authorization header on a cross-host redirect but keeps any other header,
    # so it would carry Api-Token to whatever host the redirect names. Without its Location the
    # response is not a redirect to requests, and the error handler reports the 3xx instead.
    if response.is_redirect:
        del response.headers["Location"]


@dataclass
class ApiTokenAuthenticator(DeclarativeAuthenticator):
    """Sends the key in the ``Api-Token`` header, and only ever to the account's own host.

    ActiveCampaign answers a wrong account name with a redirect to a login page. Following it would
    send the key to another host, so responses to these requests are never followed.

    Usage::

        authenticator:
          type: CustomAuthenticator
          class_name: source_activecampaign.components.ApiTokenAuthenticator
          api_token: "{{ config['api_key'] }}"
    """

    api_token: InterpolatedString | str
    config: Config
    parameters: InitVar[Mapping[str, Any]]

    def __post_init__(self, parameters: Mapping[str, Any] | None) -> None:
        self._api_token = InterpolatedString.create(self.api_token, parameters=parameters or {})

    @property
    def auth_header(self) -> str:
        return "Api-Token"

    @property
    def token(self) -> str:
        return str(self._api_token.eval(self.config))

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers.update(self.get_auth_header())
        # requests-stubs leave register_hook untyped; a prepared request always has the response list.
        request.hooks["response"].append(_drop_redirect_target)
        return request


# Failures of the connection itself; a malformed URL (InvalidURL, InvalidSchema) is left to the CDK.
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


@dataclass
class PackagedSchemaLoader(SchemaLoader):
    """Reads ``schemas/<stream name>.json``, the file shipped with the package.

    The schemas live one file per stream so that they can be reviewed and tested on their own; the
    CDK's own file loader is deprecated and looks only inside a ``source_*`` package. Streams made
    from one template (the custom-object streams) name their shared file with ``schema_name``.
    """

    config: Config
    parameters: InitVar[Mapping[str, Any]]
    schema_name: str = ""

    def __post_init__(self, parameters: Mapping[str, Any] | None) -> None:
        self._schema_name = self.schema_name or str((parameters or {})["name"])

    def get_json_schema(self) -> Mapping[str, Any]:
        with schema_path(self._schema_name).open(encoding="utf-8") as schema_file:
            schema: Mapping[str, Any] = json.load(schema_file)
        return schema


def is_restricted_deal(record: Mapping[str, Any]) -> bool:
    """A deal row of a pipeline the key's user may not manage: only id, title and isDisabled."""
    return "mdate" not in record and bool(record.get("isDisabled"))


@dataclass
class DealsAccessExtractor(SideloadedCustomFieldsExtractor):
    """Extracts deals, keeping the restricted rows and saying once why they are thin.

    A user whose group lacks "Manage pipeline" on a pipeline gets that pipeline's deals as
    ``{"title": ..., "id": ..., "isDisabled": true}``, mixed with full rows. They are real deals, so
    they are emitted with the fields they have. They carry no ``mdate``: the cursor keeps them and
    moves only on full rows, so an account where every deal is restricted never advances its state
    and each sync reads every deal again, a full refresh. (A key without the Deals permission at all
    gets 403, which the error handler turns into a skipped stream.)
    """

    _warned: bool = field(default=False, init=False, repr=False)

    def extract_records(self, response: requests.Response) -> Iterable[MutableMapping[Any, Any]]:
        for record in super().extract_records(response):
            if is_restricted_deal(record) and not self._warned:
                self._warned = True
                logger.warning(
                    "deals: some deals are restricted: the API key's user lacks the 'Manage "
                    "pipeline' permission on their pipelines, so ActiveCampaign sends only their "
                    "id, title and isDisabled. They are synced with those fields; give the user's "
                    "group that permission (Settings > Users > Groups) to sync them in full."
                )
            yield record


def _as_date_time(value: Any) -> datetime | None:
    """``value`` read as an ISO date-time (naive means UTC, as the CDK reads it), or None when it is not
    one (a zero date, garbage, not a string)."""
    if not isinstance(value, str) or value.startswith("0000"):
        return None
    try:
        parsed = date_parser.isoparse(value)
    except (ValueError, OverflowError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _is_date_time(value: Any) -> bool:
    return _as_date_time(value) is not None


@dataclass
class _CursorStateMigration(StateMigration):
    """What the state migrations below are given: the stream's cursor field (``{{ parameters['cursor_field'] }}``
    in the manifest) and its parameters, which name the stream in their warnings."""

    cursor_field: str
    config: Config
    parameters: InitVar[Mapping[str, Any]]

    def __post_init__(self, parameters: Mapping[str, Any] | None) -> None:
        self._parameters = parameters or {}
        self._cursor_field = str(
            InterpolatedString.create(self.cursor_field, parameters=self._parameters).eval(self.config)
        )


@dataclass
class RangeStateToCursorState(_CursorStateMigration):
    """Turns the state a first read in partitions leaves into the state its incremental reads use.

    The first read of contacts goes through id ranges, that of deals through windows of creation time,
    so the CDK keeps its state per partition plus, once every partition is done, the newest cursor value
    over all of them: ``{"states": [...], "state": {"udate": X}, ...}`` -> ``{"udate": X}``, which
    incremental reads (one cursor over time windows) resume from.

    A first read killed before it finished has no ``state``. Where each partition names the lowest
    value its records' cursor can have (``lower_bound_key``: a deal's ``mdate`` is never before its
    ``cdate``, and a window of creation time holds only deals created at or after its
    ``created_after``), the reads resume from the lower bound of the first partition not finished: every
    record not yet read was updated at or after it. A partition is finished when its cursor moved past
    ``first_read_start``, where the CDK leaves the partitions it has not closed. With windows
    ``[a, b)``, ``[b, c)``, ``[c, ...)`` of which the first is finished: ``{"mdate": b}``; with the last
    one finished too, its lower bound. Otherwise (id ranges say nothing of ``udate``) it becomes ``{}``
    with a warning, and the stream's retention period (see the manifest) starts a first read over.
    """

    lower_bound_key: str = ""
    upper_bound_key: str = ""
    first_read_start: str = ""

    def should_migrate(self, stream_state: Mapping[str, Any]) -> bool:
        return self._cursor_field not in stream_state and "states" in stream_state

    def migrate(self, stream_state: Mapping[str, Any]) -> Mapping[str, Any]:
        overall = stream_state.get("state")
        if isinstance(overall, Mapping) and self._cursor_field in overall:
            return {self._cursor_field: overall[self._cursor_field]}
        resume_from = self._first_unread_bound(stream_state["states"])
        name = self._parameters.get("name")
        if resume_from is not None:
            logger.info(
                f"The first sync of stream '{name}' was interrupted. It resumes with the records updated since "
                f"{resume_from} (less the usual day of look-back), which hold every record it had not read."
            )
            return {self._cursor_field: resume_from}
        logger.warning(
            f"The first sync of stream '{name}' was interrupted before it finished, or none of its records had "
            f"'{self._cursor_field}' ({len(stream_state['states'])} of its partitions begun). It starts over, reading "
            "them all again; nothing is skipped."
        )
        return {}

    def _first_unread_bound(self, entries: Any) -> str | None:
        """The lower bound of the first partition not finished, or None when the partitions have no bounds."""
        start = _as_date_time(
            InterpolatedString.create(self.first_read_start, parameters=self._parameters).eval(self.config)
        )
        if not self.lower_bound_key or not isinstance(entries, list) or not entries or start is None:
            return None
        # (lower bound as a date-time, as written, finished, upper bound as written)
        windows: list[tuple[datetime, str, bool, Any]] = []
        for entry in entries:
            partition = entry.get("partition") if isinstance(entry, Mapping) else None
            cursor = entry.get("cursor") if isinstance(entry, Mapping) else None
            lower = partition.get(self.lower_bound_key) if isinstance(partition, Mapping) else None
            lower_time = _as_date_time(lower)
            if not isinstance(partition, Mapping) or lower_time is None:
                return None
            reached = _as_date_time(cursor.get(self._cursor_field) if isinstance(cursor, Mapping) else None)
            finished = reached is not None and reached > start
            windows.append((lower_time, str(lower), finished, partition.get(self.upper_bound_key)))
        windows.sort(key=lambda window: window[0])
        unfinished = [lower for _, lower, finished, _ in windows if not finished]
        if unfinished:
            return unfinished[0]
        _, last_lower, _, last_upper = windows[-1]
        return str(last_upper) if _is_date_time(last_upper) else last_lower


@dataclass
class UnusableStateReset(_CursorStateMigration):
    """Replaces a saved state that cannot be resumed from with no state, and says so.

    A state is unusable when a cursor value it holds is missing or not a date-time: hand-edited,
    cut, or written by another connector. Resuming from it would fail or, worse, skip records
    silently; starting the stream again from ``start_date`` re-reads what was synced (the
    destination's primary-key dedup absorbs it) and loses nothing. A stream read per parent (deal
    stages, per pipeline) saves the CDK's per-partition form, whose cursor values are each
    partition's and the overall one. States in the CDK's concurrent form (``state_type`` and
    ``slices``) are left to the CDK.

    Input ``{"udate": "garbage"}`` -> output ``{}`` and a warning naming the stream. Input
    ``{"states": [{"partition": {"pipeline_id": 1}, "cursor": {"udate": "2024-02-19T13:20:49+0000"}}],
    "state": {"udate": "2024-02-19T13:20:49+0000"}}`` -> left as it is.
    """

    def _unusable_values(self, stream_state: Mapping[str, Any]) -> list[Any]:
        """The cursor values of the state that are not date-times."""
        if "states" in stream_state or "state" in stream_state:
            partitions = stream_state.get("states", [])
            cursors = (
                [entry.get("cursor") if isinstance(entry, Mapping) else entry for entry in partitions]
                if isinstance(partitions, list)
                else [partitions]
            )
            if "state" in stream_state:
                cursors.append(stream_state["state"])
        else:
            cursors = [stream_state]
        values = [cursor.get(self._cursor_field) if isinstance(cursor, Mapping) else cursor for cursor in cursors]
        return [value for value in values if not _is_date_time(value)]

    def should_migrate(self, stream_state: Mapping[str, Any]) -> bool:
        if not stream_state or ("state_type" in stream_state and "slices" in stream_state):
            return False
        return bool(self._unusable_values(stream_state))

    def migrate(self, stream_state: Mapping[str, Any]) -> Mapping[str, Any]:
        unusable = next(iter(self._unusable_values(stream_state)), None)
        logger.warning(
            f"The saved state of stream '{self._parameters.get('name')}' cannot be resumed from: its "
            f"'{self._cursor_field}' is {json.dumps(unusable)}, not a date-time. "
            "The stream syncs again from the start date (or from the beginning); records synced before "
            "are read again and nothing is skipped."
        )
        return {}
