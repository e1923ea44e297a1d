"""Every use of airbyte-cdk's private attributes and methods, in one place.

The rest of the package uses only the CDK's public classes and methods. What is here relies on
internals that a CDK release may rename or remove without notice, so ``pyproject.toml`` pins
airbyte-cdk to the minor version these were read against, and ``unit_tests/test_cdk_internals.py``
checks each one: on an upgrade that breaks one, it fails naming the internal, the CDK version and
who uses it here.

One section per part of the CDK. Each entry says what CDK behaviour it relies on, and why the public
API does not suffice.
"""

import datetime
import functools
import re
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from typing import Any

from airbyte_cdk.models import AirbyteMessage, ConfiguredAirbyteCatalog
from airbyte_cdk.sources.connector_state_manager import ConnectorStateManager
from airbyte_cdk.sources.declarative.parsers.model_to_component_factory import (
    ComponentDefinition,
    ModelToComponentFactory,
)
from airbyte_cdk.sources.declarative.partition_routers.partition_router import PartitionRouter
from airbyte_cdk.sources.declarative.yaml_declarative_source import YamlDeclarativeSource
from airbyte_cdk.sources.streams.call_rate import APIBudget
from airbyte_cdk.sources.streams.checkpoint.per_partition_key_serializer import PerPartitionKeySerializer
from airbyte_cdk.sources.streams.concurrent.abstract_stream import AbstractStream
from airbyte_cdk.sources.streams.concurrent.cursor import ConcurrentCursor, Cursor
from airbyte_cdk.sources.streams.concurrent.state_converters.datetime_stream_state_converter import (
    CustomFormatConcurrentStreamStateConverter,
)
from airbyte_cdk.sources.types import Config, Record, StreamSlice
from pydantic.v1 import BaseModel

from source_activecampaign.checkpoints.cursor import FirstReadCursor
from source_activecampaign.first_read_partitions import FirstReadPartitionRouter

# ---------------------------------------------------------------------------------------------
# The component factory (ModelToComponentFactory): the cursor of a first read that checkpoints.
# ---------------------------------------------------------------------------------------------


class FirstReadCursorFactory(ModelToComponentFactory):
    """The CDK's component factory, building ``FirstReadCursor`` for the streams whose partition
    router is a ``FirstReadPartitionRouter``, read without a state (a first read).

    The manifest cannot name a cursor of its own (``CustomIncrementalSync`` is refused by the
    concurrent source), and the CDK builds the cursor of every partitioned stream in the factory's
    ``create_concurrent_cursor_from_perpartition_cursor``: a ``ConcurrentPerPartitionCursor``, whose
    state is emitted at most every 600 s (a constant) and holds one entry per partition. The factory
    is built inside the source's constructor (``_constructor``), with no way to pass another, and the
    cursor emits through the factory's ``_message_repository``, the one that keeps messages in order
    with the records; both are private.
    """

    def create_concurrent_cursor_from_perpartition_cursor(  # type: ignore[override]  # a FirstReadCursor
        self,
        state_manager: ConnectorStateManager,
        model_type: type[BaseModel],
        component_definition: ComponentDefinition,
        stream_name: str,
        stream_namespace: str | None,
        config: Config,
        stream_state: MutableMapping[str, Any],
        partition_router: PartitionRouter,
        attempt_to_create_cursor_if_not_provided: bool = False,
        **kwargs: Any,
    ) -> Cursor:
        if not isinstance(partition_router, FirstReadPartitionRouter) or stream_state:
            # A read from a state (a contact child stream reading the contacts pages incrementally, its
            # router the first read's) keeps the CDK's cursor, which filters from that state.
            return super().create_concurrent_cursor_from_perpartition_cursor(
                state_manager,
                model_type,
                component_definition,
                stream_name,
                stream_namespace,
                config,
                stream_state,
                partition_router,
                attempt_to_create_cursor_if_not_provided,
                **kwargs,
            )
        return FirstReadCursor.for_stream(
            self,
            component_definition=component_definition,
            stream_name=stream_name,
            stream_namespace=stream_namespace,
            config=config,
            router=partition_router,
            message_repository=self._message_repository,
            state_manager=state_manager,
        )


# ---------------------------------------------------------------------------------------------
# The declarative source (ConcurrentDeclarativeSource, which YamlDeclarativeSource extends).
# ---------------------------------------------------------------------------------------------


class DeclarativeSourceHooks(YamlDeclarativeSource):
    """The CDK's declarative source, with the hooks ``SourceActivecampaign`` needs and the CDK lacks.

    - ``selected_streams`` and ``read_streams``: a read that builds only the streams the catalog
      selects. The CDK's ``read`` builds every stream of the manifest (``streams()``) and then keeps
      the selected ones; its builder of named streams, ``_streams_by_name`` (the one ``check`` uses),
      and the catalog filter ``_select_streams`` are private, and so is ``_concurrent_source``, the
      reader both ``read`` and ``check`` hand the built streams to.
    - ``api_budget``: a budget built in Python in place of the manifest's ``api_budget``. The
      manifest's ``HTTPAPIBudget`` takes only the CDK's three call rate policies, and the CDK builds
      the one budget every requester shares in ``_prepare_for_stream_build``, into its component
      factory's private ``_api_budget``, from the manifest (``_source_config``) and the config
      (``_config``), before any stream is built; the factory's public ``set_api_budget`` takes a
      manifest definition, not a budget.
    - the cursors of first reads that checkpoint: the component factory, built in the CDK's
      constructor into the private ``_constructor`` with no way to pass another, becomes a
      ``FirstReadCursorFactory`` (above), keeping everything it was built with.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._constructor.__class__ = FirstReadCursorFactory

    def selected_streams(self, catalog: ConfiguredAirbyteCatalog) -> list[AbstractStream] | None:
        """The catalog's streams, in its order, built with their parents and nothing else.

        None when a name is not one of the manifest's static streams (a custom-object stream, which
        only the account's schemas define): then only the CDK's ``read`` can build it. A name the
        manifest does not know is reported by ``_select_streams`` as the CDK's ``read`` does (an
        INCOMPLETE stream status).
        """
        built = self._streams_by_name([configured.stream.name for configured in catalog.streams])
        return None if built is None else self._select_streams(built, catalog)

    def read_streams(self, streams: list[AbstractStream]) -> Iterator[AirbyteMessage]:
        """Reads built streams as the CDK's ``read`` does, its concurrency and message queue included."""
        yield from self._concurrent_source.read(streams)

    def bound_message_queue(self, records: int) -> None:
        """Holds at most ``records`` records (and other messages) between the reading threads and the
        one that writes them.

        The CDK's concurrent source hands every record from the threads that read pages to the main
        thread through one ``queue.Queue`` (``_concurrent_source._queue``, also the message repository's),
        of 10,000 items. Threads that read pages kept on disk for them (the contacts pages shared with
        the child streams) are not held back by the rate budget and fill it: 10,000 records in memory, the
        read's peak RSS, reached on a large account and not on a small one. A smaller bound holds them
        back sooner. The CDK's main thread never blocks on its own queue (its repository buffers what
        it cannot put), and the reading threads wait on it as they do on the larger one.
        """
        self._concurrent_source._queue.maxsize = records

    def api_budget(
        self, definition: Mapping[str, Any] | None, config: Mapping[str, Any], factory: ModelToComponentFactory
    ) -> APIBudget | None:
        """The budget every requester shares, or None to keep the one the CDK built from ``definition``
        (the manifest's ``api_budget``, references resolved); ``factory`` builds components of the
        manifest as the CDK does."""
        return None

    def _prepare_for_stream_build(self) -> None:
        super()._prepare_for_stream_build()
        budget = self.api_budget(self._source_config.get("api_budget"), self._config, self._constructor)
        if budget is not None:
            self._constructor._api_budget = budget


# ---------------------------------------------------------------------------------------------
# Cursor work per record (ConcurrentCursor, ConcurrentPerPartitionCursor, their state converter).
#
# For each record of a stream with a date-time cursor the CDK parses the cursor value three times
# (the client-side filter, then the per-partition cursor and the range's own cursor as the record is
# observed), each time trying the manifest's formats in order with `strptime` (about 10 µs a try,
# a failed one included: a naive timestamp costs three tries); it serialises the partition with
# `json.dumps(sort_keys=True)` twice (to find the partition's cursor) and hashes the record's slice
# (`json.dumps` and sha256) once more. At 700 rows a page that was more CPU than everything else the
# connector does. A cursor is not a component a manifest can replace, so the CDK's own classes are
# given the same answers faster, for the whole process:
#
# - `CustomFormatConcurrentStreamStateConverter.parse_timestamp`: a value in one of the four shapes
#   of the manifest's `cursor_datetime_formats`, written strictly (two-digit fields, an offset
#   +hh:mm, +hhmm or Z: one regular expression says so), is read by `datetime.fromisoformat`, in C,
#   and each value is read once (an LRU cache keyed by the set of formats; parse results are
#   immutable). Every other value, and every format list with a
#   format not listed here, goes through the CDK's own parse: its result and its errors are the
#   CDK's. Which format reads a value cannot depend on the order: no value has two of these shapes.
# - `StreamSlice.__hash__`: computed once per slice (a slice is immutable: its `__setitem__`
#   raises, and it copies what it is built from).
# - `PerPartitionKeySerializer.to_partition_key`: remembered for the partition mappings seen lately,
#   and used again only for that same mapping while it is equal to a copy taken then.
# - `ConcurrentCursor.should_be_synced` (the client-side filter of every read, first reads included):
#   the CDK asks its end provider for each record, which is now (`ab_datetime_now`, an AirbyteDateTime
#   built per record) or a fixed end; both only move forward, so the end it gave last is kept on the
#   cursor and asked for again only for a record whose value is past it.
# ---------------------------------------------------------------------------------------------

_OFFSET = r"(?:([+-])(\d{2}):?([0-5]\d)|(Z))"
_DATE_TIME = r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})"
# Each format of the manifest's cursor_datetime_formats, as the one shape read without strptime.
STRICT_CURSOR_SHAPES: Mapping[str, re.Pattern[str]] = {
    "%Y-%m-%dT%H:%M:%S%z": re.compile(_DATE_TIME.replace("[T ]", "T") + _OFFSET),
    "%Y-%m-%dT%H:%M:%S": re.compile(_DATE_TIME.replace("[T ]", "T")),
    "%Y-%m-%d %H:%M:%S": re.compile(_DATE_TIME.replace("[T ]", " ")),
    "%Y-%m-%dT%H:%M:%S.%f%z": re.compile(_DATE_TIME.replace("[T ]", "T") + r"\.(\d{1,6})" + _OFFSET),
}
_FORMATS_ATTRIBUTE = "_activecampaign_strict_formats"
_HASH_ATTRIBUTE = "_activecampaign_hash"


@functools.lru_cache(maxsize=16_384)
def strict_cursor_value(formats: tuple[str, ...], value: str) -> datetime.datetime | None:
    """``value`` read by the first of ``formats`` whose strict shape it has; None if none, or if the
    fields are out of range (the CDK's parse then says so)."""
    for datetime_format in formats:
        if STRICT_CURSOR_SHAPES[datetime_format].fullmatch(value):
            # A strict shape is ISO 8601, which fromisoformat reads as strptime does (in C); a naive
            # value is in UTC, as the CDK's parser makes it.
            try:
                parsed = datetime.datetime.fromisoformat(value)
            except ValueError:
                return None
            return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=datetime.timezone.utc)
    return None


def _parse_timestamp(converter: CustomFormatConcurrentStreamStateConverter, timestamp: Any) -> Any:
    formats = converter.__dict__.get(_FORMATS_ATTRIBUTE)
    if formats is None:
        # As a sorted set: converters of the same stream list the same formats in other orders and more
        # than once (the output format appended), and one cache entry serves them all.
        known = tuple(sorted(set(converter._input_datetime_formats)))
        formats = converter.__dict__[_FORMATS_ATTRIBUTE] = known if set(known) <= set(STRICT_CURSOR_SHAPES) else ()
    if formats and type(timestamp) is str:
        parsed = strict_cursor_value(formats, timestamp)
        if parsed is not None:
            return parsed
    return _CDK_PARSE_TIMESTAMP(converter, timestamp)


def _slice_hash(stream_slice: StreamSlice) -> int:
    known: int | None = stream_slice.__dict__.get(_HASH_ATTRIBUTE)
    if known is None:
        known = stream_slice.__dict__[_HASH_ATTRIBUTE] = _CDK_SLICE_HASH(stream_slice)
    return known


class _RecentPartitionKeys:
    """The partition keys of the mappings serialised lately, each while its mapping still equals its copy.

    The partitions being read at once are a handful (one per worker); a partition key is asked for
    with each of their records. Kept by the mapping's id, with the mapping itself so that the id is
    not reused meanwhile; at most ``size`` of them.
    """

    def __init__(self, serialize: Callable[[Any], str], size: int = 64) -> None:
        self._serialize = serialize
        self._size = size
        self._known: dict[int, tuple[Any, dict[str, Any], str]] = {}

    def __call__(self, partition: Any) -> str:
        known = self._known.get(id(partition))
        if known is not None and known[0] is partition and known[1] == partition:
            return known[2]
        key = self._serialize(partition)
        if type(partition) is dict and all(type(value) in (str, int) for value in partition.values()):
            if len(self._known) >= self._size:
                self._known.clear()
            self._known[id(partition)] = (partition, dict(partition), key)
        return key


_END_ATTRIBUTE = "_activecampaign_end_seen"


def _should_be_synced(cursor: ConcurrentCursor, record: Record) -> bool:
    try:
        value = cursor._extract_cursor_value(record)
    except ValueError:
        cursor._log_for_record_without_cursor_value()
        return True
    if not cursor._lowest_cursor_value_to_sync() <= value:
        return False
    end = cursor.__dict__.get(_END_ATTRIBUTE)
    if end is None or not value <= end:
        end = cursor.__dict__[_END_ATTRIBUTE] = cursor._end_provider()
    return bool(value <= end)


_CDK_PARSE_TIMESTAMP = CustomFormatConcurrentStreamStateConverter.parse_timestamp
_CDK_SLICE_HASH = StreamSlice.__hash__
_CDK_TO_PARTITION_KEY = PerPartitionKeySerializer.to_partition_key
_CDK_SHOULD_BE_SYNCED = ConcurrentCursor.should_be_synced


def install_cursor_shortcuts() -> None:
    """Gives the CDK's cursor classes the shortcuts above, for the whole process (their results are the CDK's)."""
    if CustomFormatConcurrentStreamStateConverter.parse_timestamp is _parse_timestamp:
        return
    CustomFormatConcurrentStreamStateConverter.parse_timestamp = _parse_timestamp  # type: ignore[method-assign,assignment]
    StreamSlice.__hash__ = _slice_hash  # type: ignore[method-assign,assignment]
    PerPartitionKeySerializer.to_partition_key = staticmethod(_RecentPartitionKeys(_CDK_TO_PARTITION_KEY))  # type: ignore[method-assign,assignment]
    ConcurrentCursor.should_be_synced = _should_be_synced  # type: ignore[method-assign,assignment]
