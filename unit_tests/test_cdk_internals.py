"""The CDK internals that source_activecampaign/cdk_internals.py uses are still there, shaped as it uses them.

After an airbyte-cdk upgrade, a failure here names the internal that changed and who uses it, before a
sync fails somewhere less clear. Each check is of the one thing the connector relies on: a method's
name and parameters, an attribute's type, and where the CDK's behaviour matters, the behaviour.
"""

import inspect
from collections.abc import Mapping
from importlib.metadata import version
from typing import Any

import pytest
from airbyte_cdk.models import ConfiguredAirbyteCatalog, SyncMode
from airbyte_cdk.sources.concurrent_source.concurrent_source import ConcurrentSource
from airbyte_cdk.sources.declarative.concurrent_declarative_source import ConcurrentDeclarativeSource
from airbyte_cdk.sources.declarative.models.declarative_component_schema import (
    StateDelegatingStream as StateDelegatingStreamModel,
)
from airbyte_cdk.sources.declarative.parsers.model_to_component_factory import ModelToComponentFactory
from airbyte_cdk.sources.message import MessageRepository
from airbyte_cdk.sources.streams.call_rate import APIBudget, HttpAPIBudget
from airbyte_cdk.sources.streams.concurrent.default_stream import DefaultStream
from airbyte_cdk.test.catalog_builder import CatalogBuilder
from airbyte_cdk.test.entrypoint_wrapper import read
from airbyte_cdk.test.mock_http import HttpMocker, HttpResponse

from source_activecampaign.cdk_internals import FirstReadCursorFactory
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
