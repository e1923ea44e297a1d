from collections.abc import Mapping
from typing import Any

from airbyte_cdk.models import AirbyteStateMessage, SyncMode
from airbyte_cdk.test.catalog_builder import CatalogBuilder
from airbyte_cdk.test.entrypoint_wrapper import EntrypointOutput, read

from source_activecampaign.source import SourceActivecampaign


def read_stream(
    stream_name: str,
    config: Mapping[str, Any],
    sync_mode: SyncMode = SyncMode.full_refresh,
    state: list[AirbyteStateMessage] | None = None,
    expecting_exception: bool = False,
) -> EntrypointOutput:
    catalog = CatalogBuilder().with_stream(stream_name, sync_mode).build()
    source = SourceActivecampaign(config=config, catalog=catalog, state=state)
    return read(source, config, catalog, state, expecting_exception=expecting_exception)
