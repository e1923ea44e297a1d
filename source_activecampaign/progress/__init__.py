"""A sync you can watch and trust: estimates while it runs, a summary at its end, every full read
held to the API's own count.

The components that talk to the API tell this package what they see, through the functions below;
each is a few counter updates under a lock, called once per request or per page, never per record:

- ``request_answered``: the error handler, for every answer (or request that got none);
- ``page_read``: every extractor, for every page it decoded (``meta.total``, the rows it gave);
- ``read_counted``, ``partitions_planned``, ``rows_restricted``: the components that plan a read
  (deals' windows of creation time, contacts' id ranges) or keep rows thin (restricted deals).

The entrypoint wraps a read in a ``SyncReporter`` (``reporter_for_read``), which counts each
stream's records, sends ``ESTIMATE`` traces and logs the summary. Nothing here makes a request.
"""

import datetime
import time
from collections.abc import Callable, Mapping
from typing import Any

import requests
from airbyte_cdk.models import AirbyteStateMessage, ConfiguredAirbyteCatalog
from airbyte_cdk.sources.streams.http.error_handlers.response_models import ResponseAction

from source_activecampaign.progress.facts import RowsListed, SyncFacts
from source_activecampaign.progress.read_plan import ManifestShapes, plan_reads
from source_activecampaign.progress.reporter import DEFAULT_CEILING, SyncReporter

__all__ = [
    "RowsListed",
    "SyncFacts",
    "SyncReporter",
    "begin_sync",
    "page_read",
    "partitions_planned",
    "read_counted",
    "reporter_for_read",
    "request_answered",
    "rows_restricted",
]

# The sync this process runs: one per `read`. Components reach it through the functions below, as
# the CDK builds them without a way to hand them an object of ours.
_sync = SyncFacts()
_RETRIED = (ResponseAction.RETRY, ResponseAction.RATE_LIMITED)


def begin_sync(clock: Callable[[], float] = time.monotonic) -> SyncFacts:
    """Starts counting a new sync; what an earlier one saw is dropped."""
    global _sync
    _sync = SyncFacts(clock)
    return _sync


def current_sync() -> SyncFacts:
    return _sync


def request_answered(
    stream: str, response_or_exception: requests.Response | Exception | None, action: ResponseAction | None
) -> None:
    """A request of ``stream`` was answered (or got no answer), and the error handler chose ``action``.
    An answer from the CDK's request cache (a parent stream read again for its children) is not a request."""
    if getattr(response_or_exception, "from_cache", False):
        return
    status = response_or_exception.status_code if isinstance(response_or_exception, requests.Response) else None
    _sync.request_answered(stream, status, retried=action in _RETRIED)


def page_read(stream: str, url: str, body: Any, rows: int, listed: RowsListed | None = None) -> None:
    """A page of ``stream`` was decoded: its request ``url``, its ``body`` and the ``rows`` it gave the
    stream; ``listed`` when those rows hang off the page's records rather than being them."""
    _sync.page_read(stream, url, body, rows, listed)


def read_counted(stream: str, total: int) -> None:
    """The API counted ``total`` rows for what ``stream`` reads in this sync (a plan's own request)."""
    _sync.read_counted(stream, total)


def partitions_planned(stream: str, partitions: int) -> None:
    """``stream`` reads ``partitions`` partitions of about equal size (contacts' id ranges)."""
    _sync.partitions_planned(stream, partitions)


def rows_restricted(stream: str, rows: int) -> None:
    """``rows`` of ``stream`` came with only some of their fields (deals of pipelines the user may not manage)."""
    _sync.rows_restricted(stream, rows)


def reporter_for_read(
    manifest: Mapping[str, Any],
    catalog: ConfiguredAirbyteCatalog,
    state: list[AirbyteStateMessage] | None,
    config: Mapping[str, Any],
) -> SyncReporter:
    """A reporter for a read of ``catalog`` from ``state``, starting a new sync. ``manifest`` is the
    resolved manifest, ``config`` the source's (with this sync's contact pages plan)."""
    now = datetime.datetime.now(datetime.timezone.utc)
    plans = plan_reads(ManifestShapes.of(manifest), catalog, state, config, now)
    # Built before the entrypoint checks the config, which reports a bad value by field.
    ceiling = config.get("requests_per_second")
    if isinstance(ceiling, bool) or not isinstance(ceiling, int | float) or ceiling <= 0:
        ceiling = DEFAULT_CEILING
    return SyncReporter(begin_sync(), plans, float(ceiling))
