"""The CDK internals that source_activecampaign/cdk_internals.py uses are still there, shaped as it uses them.

After an airbyte-cdk upgrade, a failure here names the internal that changed and who uses it, before a
sync fails somewhere less clear. Each check is of the one thing the connector relies on: a method's
name and parameters, an attribute's type, and where the CDK's behaviour matters, the behaviour.
"""

import datetime
import inspect
import json
from collections.abc import Mapping
from importlib.metadata import version
from queue import Full, Queue
from typing import Any

import pytest
from airbyte_cdk.models import ConfiguredAirbyteCatalog, SyncMode
from airbyte_cdk.sources.concurrent_source.concurrent_source import ConcurrentSource
from airbyte_cdk.sources.connector_state_manager import ConnectorStateManager
from airbyte_cdk.sources.declarative.concurrent_declarative_source import ConcurrentDeclarativeSource
from airbyte_cdk.sources.declarative.incremental.concurrent_partition_cursor import ConcurrentPerPartitionCursor
from airbyte_cdk.sources.declarative.models.declarative_component_schema import (
    StateDelegatingStream as StateDelegatingStreamModel,
)
from airbyte_cdk.sources.declarative.parsers.model_to_component_factory import ModelToComponentFactory
from airbyte_cdk.sources.message import MessageRepository, NoopMessageRepository
from airbyte_cdk.sources.message.concurrent_repository import ConcurrentMessageRepository
from airbyte_cdk.sources.streams.call_rate import APIBudget, HttpAPIBudget
from airbyte_cdk.sources.streams.checkpoint.per_partition_key_serializer import PerPartitionKeySerializer
from airbyte_cdk.sources.streams.concurrent.cursor import ConcurrentCursor, CursorField
from airbyte_cdk.sources.streams.concurrent.default_stream import DefaultStream
from airbyte_cdk.sources.streams.concurrent.state_converters.datetime_stream_state_converter import (
    CustomFormatConcurrentStreamStateConverter,
)
from airbyte_cdk.sources.types import Record, StreamSlice
from airbyte_cdk.test.catalog_builder import CatalogBuilder
from airbyte_cdk.test.entrypoint_wrapper import read
from airbyte_cdk.test.mock_http import HttpMocker, HttpResponse

from source_activecampaign import cdk_internals
from source_activecampaign.cdk_internals import STRICT_CURSOR_SHAPES, FirstReadCursorFactory, install_cursor_shortcuts
from source_activecampaign.checkpoints.cursor import FirstReadCursor
from source_activecampaign.source import SourceActivecampaign
from unit_tests.mock_server.config import ConfigBuilder
from unit_tests.mock_server.read_helpers import account_without_custom_objects
from unit_tests.mock_server.request_builder import ActiveCampaignRequestBuilder

CDK = f"airbyte-cdk {version('airbyte-cdk')}"
SEE = "see source_activecampaign/cdk_internals.py"
CONFIG = ConfigBuilder().build()
SOURCE_HOOKS = "DeclarativeSourceHooks (cdk_internals.py), for SourceActivecampaign"


def _catalog(*names: str) -> ConfiguredAirbyteCatalog:
    builder = CatalogBuilder()
    for name in names:
        builder = builder.with_stream(name, SyncMode.full_refresh)
    return builder.build()


@pytest.mark.parametrize(
    "owner, name, parameters, used_by",
    [
        pytest.param(
            ConcurrentDeclarativeSource,
            "_streams_by_name",
            ["self", "stream_names"],
            f"{SOURCE_HOOKS}.selected_streams: a read builds only the selected streams",
            id="_streams_by_name",
        ),
        pytest.param(
            ConcurrentDeclarativeSource,
            "_select_streams",
            ["self", "streams", "configured_catalog"],
            f"{SOURCE_HOOKS}.selected_streams: the catalog's streams, unknown ones reported",
            id="_select_streams",
        ),
        pytest.param(
            ConcurrentDeclarativeSource,
            "_prepare_for_stream_build",
            ["self"],
            f"{SOURCE_HOOKS}._prepare_for_stream_build: the adaptive rate budget replaces the manifest's",
            id="_prepare_for_stream_build",
        ),
        pytest.param(
            ConcurrentSource,
            "read",
            ["self", "streams"],
            f"{SOURCE_HOOKS}.read_streams: reads the streams built by name",
            id="ConcurrentSource.read",
        ),
    ],
)
def test_given_the_installed_cdk_then_each_private_method_used_is_there_with_its_parameters(
    owner: type, name: str, parameters: list[str], used_by: str
) -> None:
    method = getattr(owner, name, None)
    assert callable(method), f"{CDK} renamed or removed {owner.__name__}.{name}, used by {used_by}: {SEE}"
    found = list(inspect.signature(method).parameters)
    assert found == parameters, (
        f"{CDK} changed {owner.__name__}.{name}({', '.join(parameters[1:])}) to ({', '.join(found[1:])}), "
        f"used by {used_by}: {SEE}"
    )


@pytest.mark.parametrize(
    "attribute, expected_type, used_by",
    [
        pytest.param("_concurrent_source", ConcurrentSource, f"{SOURCE_HOOKS}.read_streams", id="_concurrent_source"),
        pytest.param(
            "_source_config",
            Mapping,
            f"{SOURCE_HOOKS}._prepare_for_stream_build (the manifest's api_budget)",
            id="_source_config",
        ),
        pytest.param(
            "_config", Mapping, f"{SOURCE_HOOKS}._prepare_for_stream_build (the config the budget reads)", id="_config"
        ),
        pytest.param(
            "_constructor",
            ModelToComponentFactory,
            f"{SOURCE_HOOKS}._prepare_for_stream_build (the factory whose _api_budget every requester gets)",
            id="_constructor",
        ),
    ],
)
def test_given_a_source_then_each_private_attribute_used_is_there_with_its_type(
    attribute: str, expected_type: type, used_by: str
) -> None:
    source = SourceActivecampaign(config=CONFIG)
    found = getattr(source, attribute, None)
    assert isinstance(found, expected_type), (
        f"{CDK} renamed or removed ConcurrentDeclarativeSource.{attribute} (a {expected_type.__name__}; found "
        f"{type(found).__name__}), used by {used_by}: {SEE}"
    )


def test_given_a_source_then_its_manifest_and_config_are_where_the_budget_hook_reads_them() -> None:
    source = SourceActivecampaign(config=CONFIG)
    used_by = f"{SOURCE_HOOKS}._prepare_for_stream_build"
    assert source._source_config.get("api_budget", {}).get("type") == "HTTPAPIBudget", (
        f"{CDK} no longer keeps the resolved manifest (its api_budget) in ConcurrentDeclarativeSource._source_config, "
        f"used by {used_by}: {SEE}"
    )
    assert source._config.get("api_url") == CONFIG["api_url"], (
        f"{CDK} no longer keeps the config in ConcurrentDeclarativeSource._config, used by {used_by}: {SEE}"
    )
    assert hasattr(source._constructor, "_api_budget"), (
        f"{CDK} renamed or removed ModelToComponentFactory._api_budget, used by {used_by}: {SEE}"
    )


def test_given_a_source_then_its_records_pass_one_bounded_queue_the_message_repository_shares() -> None:
    source = SourceActivecampaign(config=CONFIG)
    used_by = f"{SOURCE_HOOKS}.bound_message_queue: memory does not grow with the account"
    queue = getattr(source._concurrent_source, "_queue", None)
    assert isinstance(queue, Queue), (
        f"{CDK}: ConcurrentSource._queue is no longer a queue.Queue, used by {used_by}: {SEE}"
    )
    repository = source._constructor._message_repository
    assert getattr(repository, "_queue", None) is queue, (
        f"{CDK}: the message repository no longer puts on the concurrent source's queue, used by {used_by}: {SEE}"
    )
    assert "put(message, block=False)" in inspect.getsource(ConcurrentMessageRepository), (
        f"{CDK}: the main thread's messages no longer skip a full queue (a smaller bound could deadlock it), "
        f"used by {used_by}: {SEE}"
    )

    source.bound_message_queue(3)

    assert queue.maxsize == 3
    for item in range(3):
        queue.put(item, block=False)
    with pytest.raises(Full):
        queue.put(3, block=False)


def test_given_a_catalog_when_streams_are_built_by_name_then_only_those_and_none_for_a_name_the_manifest_lacks() -> (
    None
):
    source = SourceActivecampaign(config=CONFIG, catalog=_catalog("tags", "lists"))

    built = source.selected_streams(_catalog("tags", "lists"))
    unknown = source.selected_streams(_catalog("tags", "custom_object_orders"))

    assert built is not None and [stream.name for stream in built] == ["tags", "lists"], (
        f"{CDK}: ConcurrentDeclarativeSource._streams_by_name and _select_streams no longer build the catalog's "
        f"streams by name (got {built}), used by {SOURCE_HOOKS}.selected_streams: {SEE}"
    )
    assert unknown is None, (
        f"{CDK}: ConcurrentDeclarativeSource._streams_by_name builds a stream the manifest does not name "
        f"(got {unknown}); selected_streams relies on None there to fall back to the CDK's read: {SEE}"
    )


class _RecordingBudget(HttpAPIBudget):
    """A budget without limits that writes down the URL of each request it is asked for."""

    def __init__(self) -> None:
        super().__init__(policies=[])
        self.requested: list[str] = []

    def acquire_call(self, request: Any, block: bool = True, timeout: float | None = None) -> None:
        self.requested.append(str(request.url))
        super().acquire_call(request, block, timeout)


class _SourceWithRecordingBudget(SourceActivecampaign):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.budgets: list[_RecordingBudget] = []
        super().__init__(*args, **kwargs)

    def api_budget(
        self, definition: Mapping[str, Any] | None, config: Mapping[str, Any], factory: ModelToComponentFactory
    ) -> APIBudget | None:
        self.budgets.append(_RecordingBudget())
        return self.budgets[-1]


def test_given_the_budget_hook_when_a_stream_is_read_then_its_requests_go_through_the_hooks_budget() -> None:
    tags_page = ActiveCampaignRequestBuilder.collection("tags").with_offset_page(0).build()
    catalog = _catalog("tags")
    source = _SourceWithRecordingBudget(config=CONFIG, catalog=catalog)

    with HttpMocker() as http_mocker:
        http_mocker.get(tags_page, HttpResponse('{"tags": [{"id": "1"}], "meta": {"total": "1"}}', 200))
        output = read(source, CONFIG, catalog)

    assert [record.record.data["id"] for record in output.records] == [1]
    assert [len(budget.requested) for budget in source.budgets] == [1], (
        f"{CDK}: a budget set in ModelToComponentFactory._api_budget from "
        "ConcurrentDeclarativeSource._prepare_for_stream_build no longer reaches the requesters built after it "
        f"(budgets made and requests each saw: {[budget.requested for budget in source.budgets]}), used by "
        f"{SOURCE_HOOKS}: {SEE}"
    )


def test_given_the_budget_hook_when_every_stream_is_built_then_the_cdk_prepares_the_build_through_it() -> None:
    source = _SourceWithRecordingBudget(config=CONFIG)

    with account_without_custom_objects(CONFIG["api_url"]):
        source.streams(CONFIG)

    assert len(source.budgets) == 1, (
        f"{CDK}: ConcurrentDeclarativeSource.streams() no longer calls _prepare_for_stream_build once before "
        f"building (called {len(source.budgets)} times), used by {SOURCE_HOOKS} for discover and check: {SEE}"
    )


FIRST_READS = "FirstReadCursorFactory (cdk_internals.py), the checkpoints of first reads"


def test_given_a_source_then_its_component_factory_builds_the_cursors_of_first_reads() -> None:
    factory = SourceActivecampaign(config=CONFIG)._constructor
    assert type(factory) is FirstReadCursorFactory, (
        f"{CDK}: the component factory ConcurrentDeclarativeSource keeps in _constructor could not be made a "
        f"FirstReadCursorFactory (found {type(factory).__name__}), used by {FIRST_READS}: {SEE}"
    )
    assert isinstance(getattr(factory, "_message_repository", None), MessageRepository), (
        f"{CDK} renamed or removed ModelToComponentFactory._message_repository, through which {FIRST_READS} queue "
        f"the checkpoints behind the records they count: {SEE}"
    )


def test_given_the_installed_cdk_then_the_cursor_of_a_partitioned_stream_is_built_by_the_method_overridden() -> None:
    parameters = list(
        inspect.signature(ModelToComponentFactory.create_concurrent_cursor_from_perpartition_cursor).parameters
    )
    overridden = list(
        inspect.signature(FirstReadCursorFactory.create_concurrent_cursor_from_perpartition_cursor).parameters
    )
    assert parameters == overridden, (
        f"{CDK} changed ModelToComponentFactory.create_concurrent_cursor_from_perpartition_cursor({parameters}), "
        f"overridden by {FIRST_READS}: {SEE}"
    )
    source = SourceActivecampaign(config=CONFIG)
    definitions = {definition.get("name"): definition for definition in source.resolved_manifest["streams"]}
    for name in ("contacts", "deals"):
        stream = source._constructor.create_component(StateDelegatingStreamModel, definitions[name], CONFIG)
        assert isinstance(stream, DefaultStream) and isinstance(stream.cursor, FirstReadCursor), (
            f"{CDK}: the first read of {name} is not built with a FirstReadCursor: the CDK no longer builds the cursor "
            f"of a partitioned stream through create_concurrent_cursor_from_perpartition_cursor, overridden by "
            f"{FIRST_READS}: {SEE}"
        )


CURSORS_SEE = "see the section 'Cursor work per record' of source_activecampaign/cdk_internals.py"
# The manifest's cursor_datetime_formats and datetime_format, as its cursors are built with them.
MANIFEST_FORMATS = ["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S.%f%z"]


def test_the_converter_keeps_its_formats_and_parse_timestamp_as_the_shortcut_reads_them() -> None:
    converter = CustomFormatConcurrentStreamStateConverter("%Y-%m-%dT%H:%M:%S%z", list(MANIFEST_FORMATS))
    assert getattr(converter, "_input_datetime_formats", None) == [*MANIFEST_FORMATS, "%Y-%m-%dT%H:%M:%S%z"], (
        f"{CDK} no longer keeps the formats a converter parses with in _input_datetime_formats: {CURSORS_SEE}"
    )
    parameters = list(inspect.signature(cdk_internals._CDK_PARSE_TIMESTAMP).parameters)
    assert parameters == ["self", "timestamp"], (
        f"{CDK} changed parse_timestamp's parameters to {parameters}: {CURSORS_SEE}"
    )


def test_the_per_partition_cursor_still_keys_its_partitions_with_the_serializer() -> None:
    source = inspect.getsource(ConcurrentPerPartitionCursor)
    assert "PerPartitionKeySerializer()" in source and "_partition_serializer.to_partition_key" in source, (
        f"{CDK}: ConcurrentPerPartitionCursor no longer keys partitions with PerPartitionKeySerializer: {CURSORS_SEE}"
    )
    assert isinstance(inspect.getattr_static(PerPartitionKeySerializer, "to_partition_key"), staticmethod), (
        f"{CDK}: PerPartitionKeySerializer.to_partition_key is no longer a staticmethod: {CURSORS_SEE}"
    )


def test_a_stream_slice_refuses_changes_and_keeps_a_dict_for_its_hash() -> None:
    stream_slice = StreamSlice(partition={"id_greater": "0"}, cursor_slice={})
    with pytest.raises(ValueError):
        stream_slice["id_greater"] = "5"
    assert isinstance(stream_slice.__dict__, dict), (
        f"{CDK}: StreamSlice has no __dict__ to keep its hash in: {CURSORS_SEE}"
    )


# Strict shapes, the lenient forms strptime also reads, and values no format reads.
CURSOR_VALUES = [
    "2020-05-24T05:16:44-05:00",
    "2020-05-24T05:16:44-0500",
    "2020-05-24T05:16:44+0000",
    "2020-05-24T05:16:44-00:00",
    "2020-05-24T05:16:44Z",
    "2020-05-24T05:16:44z",
    "2020-05-24t05:16:44Z",
    "2020-05-24T05:16:44",
    "2020-05-24 05:16:44",
    "2020-05-24  05:16:44",
    "2020-05-24T05:16:44.5+02:00",
    "2020-05-24T05:16:44.123456Z",
    "2020-05-24T05:16:44.1234567Z",
    "2020-05-24T05:16:44.022671090Z",
    "2020-05-24T05:16:44.123",
    "2019-09-06T2:10:00-05:00",
    "2020-5-4 5:6:7",
    "2020-02-30 10:00:00",
    "2020-00-10 10:00:00",
    "2020-05-24 24:00:00",
    "2020-05-24 23:60:00",
    "2020-05-24 23:59:60",
    "2020-05-24T05:16:44+05:60",
    "2020-05-24T05:16:44+24:00",
    "2020-05-24T05:16:44+05:30:15",
    "2020-05-24",
    "0000-00-00 00:00:00",
    "",
    " 2020-05-24 05:16:44",
    "2020-05-24 05:16:44 ",
    "２０２０-05-24 05:16:44",
]


def _cdk_parse(formats: list[str], value: Any) -> Any:
    converter = CustomFormatConcurrentStreamStateConverter("%Y-%m-%dT%H:%M:%S%z", list(formats))
    try:
        return cdk_internals._CDK_PARSE_TIMESTAMP(converter, value)
    except ValueError:
        return ValueError


def _our_parse(formats: list[str], value: Any) -> Any:
    install_cursor_shortcuts()
    converter = CustomFormatConcurrentStreamStateConverter("%Y-%m-%dT%H:%M:%S%z", list(formats))
    try:
        return converter.parse_timestamp(value)
    except ValueError:
        return ValueError


@pytest.mark.parametrize(
    "formats",
    [MANIFEST_FORMATS, list(reversed(MANIFEST_FORMATS)), ["%Y-%m-%d %H:%M:%S"], ["%Y-%m-%d", *MANIFEST_FORMATS]],
    ids=["manifest", "reversed", "one", "with a format not known"],
)
@pytest.mark.parametrize("value", CURSOR_VALUES)
def test_a_cursor_value_is_parsed_to_the_cdks_datetime_or_refused_as_it_refuses(formats: list[str], value: str) -> None:
    ours, cdk = _our_parse(formats, value), _cdk_parse(formats, value)
    assert ours == cdk
    if isinstance(cdk, datetime.datetime):
        assert (type(ours), ours.tzinfo, ours.utcoffset()) == (type(cdk), cdk.tzinfo, cdk.utcoffset())


def test_every_manifest_format_has_its_strict_shape() -> None:
    assert set(MANIFEST_FORMATS) == set(STRICT_CURSOR_SHAPES)


def test_a_slice_hash_is_the_cdks() -> None:
    stream_slice = StreamSlice(partition={"id_greater": "0", "id_less": "2501"}, cursor_slice={"start": "x"})
    expected = cdk_internals._CDK_SLICE_HASH(stream_slice)
    install_cursor_shortcuts()
    assert hash(stream_slice) == hash(stream_slice) == expected


def test_a_partition_key_is_the_cdks_and_follows_a_changed_partition() -> None:
    install_cursor_shortcuts()
    partition: dict[str, Any] = {"id_less": "2501", "id_greater": "0"}
    assert PerPartitionKeySerializer.to_partition_key(partition) == '{"id_greater":"0","id_less":"2501"}'
    assert PerPartitionKeySerializer.to_partition_key(partition) == '{"id_greater":"0","id_less":"2501"}'
    partition["id_less"] = "5001"
    assert PerPartitionKeySerializer.to_partition_key(partition) == '{"id_greater":"0","id_less":"5001"}'
    nested = {"parent_slice": {}, "pipeline_id": 1}
    assert PerPartitionKeySerializer.to_partition_key(nested) == json.dumps(
        nested, separators=(",", ":"), sort_keys=True
    )


def test_the_concurrent_cursor_filters_records_with_the_internals_the_shortcut_uses() -> None:
    source = inspect.getsource(cdk_internals._CDK_SHOULD_BE_SYNCED)
    assert "self._lowest_cursor_value_to_sync() <= record_cursor_value <= self._end_provider()" in source, (
        f"{CDK}: ConcurrentCursor.should_be_synced no longer keeps a record between _lowest_cursor_value_to_sync() "
        f"and _end_provider(): {CURSORS_SEE}"
    )
    for name in ("_extract_cursor_value", "_lowest_cursor_value_to_sync", "_log_for_record_without_cursor_value"):
        assert callable(getattr(ConcurrentCursor, name, None)), f"{CDK} removed ConcurrentCursor.{name}: {CURSORS_SEE}"


class _Clock:
    """An end provider: now, moved by the test, counting the times it is asked."""

    def __init__(self, now: datetime.datetime) -> None:
        self.now, self.asked = now, 0

    def __call__(self) -> datetime.datetime:
        self.asked += 1
        return self.now


def _filter(start: datetime.datetime, end: _Clock) -> ConcurrentCursor:
    return ConcurrentCursor(
        stream_name="contacts",
        stream_namespace=None,
        stream_state={},
        message_repository=NoopMessageRepository(),
        connector_state_manager=ConnectorStateManager(),
        connector_state_converter=CustomFormatConcurrentStreamStateConverter(
            "%Y-%m-%dT%H:%M:%S%z", list(MANIFEST_FORMATS)
        ),
        cursor_field=CursorField("udate"),
        slice_boundary_fields=None,
        start=start,
        end_provider=end,
    )


def test_a_record_is_kept_as_the_cdk_keeps_it_and_now_is_asked_for_only_past_the_last_now() -> None:
    utc = datetime.timezone.utc
    start, now = datetime.datetime(2024, 1, 1, tzinfo=utc), datetime.datetime(2024, 6, 1, tzinfo=utc)
    values = [
        "2024-03-01T10:00:00-05:00",
        "2023-12-31T23:59:59+00:00",  # before the start
        "2024-01-01T00:00:00Z",  # the start itself
        "2024-05-31 23:59:59",
        "2024-06-01T00:00:00+00:00",  # now itself
        "2024-06-01T00:00:01+00:00",  # after now
        "not a date",  # kept, as the CDK keeps a record it cannot read
        None,
    ]
    records = [Record({"udate": value} if value is not None else {}, "contacts") for value in values]
    theirs_clock, ours_clock = _Clock(now), _Clock(now)
    theirs, ours = _filter(start, theirs_clock), _filter(start, ours_clock)
    expected = [cdk_internals._CDK_SHOULD_BE_SYNCED(theirs, record) for record in records]
    install_cursor_shortcuts()

    assert [ours.should_be_synced(record) for record in records] == expected == [
        True, False, True, True, True, False, True, True
    ]  # fmt: skip
    assert (theirs_clock.asked, ours_clock.asked) == (5, 2)  # ours: the first value, then the one past now

    ours_clock.now += datetime.timedelta(days=1)
    assert ours.should_be_synced(records[5]) and ours_clock.asked == 3
