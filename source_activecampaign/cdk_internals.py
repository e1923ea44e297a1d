"""Every use of airbyte-cdk's private attributes and methods, in one place.

The rest of the package uses only the CDK's public classes and methods. What is here relies on
internals that a CDK release may rename or remove without notice, so ``pyproject.toml`` pins
airbyte-cdk to the minor version these were read against, and ``unit_tests/test_cdk_internals.py``
checks each one: on an upgrade that breaks one, it fails naming the internal, the CDK version and
who uses it here.

One section per part of the CDK. Each entry says what CDK behaviour it relies on, and why the public
API does not suffice.
"""

from collections.abc import Iterator, Mapping, MutableMapping
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
from airbyte_cdk.sources.streams.concurrent.abstract_stream import AbstractStream
from airbyte_cdk.sources.streams.concurrent.cursor import Cursor
from airbyte_cdk.sources.types import Config
from pydantic.v1 import BaseModel

from source_activecampaign.checkpoints.cursor import FirstReadCursor
from source_activecampaign.first_read_partitions import FirstReadPartitionRouter

# ---------------------------------------------------------------------------------------------
# The component factory (ModelToComponentFactory): the cursor of a first read that checkpoints.
# ---------------------------------------------------------------------------------------------


class FirstReadCursorFactory(ModelToComponentFactory):
    """The CDK's component factory, building ``FirstReadCursor`` for the streams whose partition
    router is a ``FirstReadPartitionRouter``.

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
        if not isinstance(partition_router, FirstReadPartitionRouter):
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
