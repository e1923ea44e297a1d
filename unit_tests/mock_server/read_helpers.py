from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import requests_mock
from airbyte_cdk.models import AirbyteStateMessage, ConfiguredAirbyteCatalog, SyncMode
from airbyte_cdk.test.catalog_builder import CatalogBuilder
from airbyte_cdk.test.entrypoint_wrapper import EntrypointOutput, read

from source_activecampaign.source import SourceActivecampaign


@contextmanager
def account_without_custom_objects(api_url: str) -> Iterator[None]:
    """The account has no custom-object schemas.

    Every discover asks for them (the manifest's dynamic streams), and so does a read that selects a
    stream the manifest does not name itself. Tests of other streams answer with an empty list here;
    every other request passes on to the test's own HttpMocker.
    """
    with requests_mock.Mocker(real_http=True) as mocker:
        mocker.get(f"{api_url}/api/3/customObjects/schemas", json={"schemas": [], "meta": {"total": 0}})
        yield


def read_source(
    config: Mapping[str, Any],
    catalog: ConfiguredAirbyteCatalog,
    state: list[AirbyteStateMessage] | None = None,
    expecting_exception: bool = False,
) -> EntrypointOutput:
    """A read of the catalog's streams in an account without custom objects."""
    source = SourceActivecampaign(config=config, catalog=catalog, state=state)
    with account_without_custom_objects(config["api_url"]):
        return read(source, config, catalog, state, expecting_exception=expecting_exception)


def read_stream(
    stream_name: str,
    config: Mapping[str, Any],
    sync_mode: SyncMode = SyncMode.full_refresh,
    state: list[AirbyteStateMessage] | None = None,
    expecting_exception: bool = False,
) -> EntrypointOutput:
    catalog = CatalogBuilder().with_stream(stream_name, sync_mode).build()
    return read_source(config, catalog, state, expecting_exception)


def warnings_of(output: EntrypointOutput) -> list[str]:
    """The warnings a read logged, in order."""
    return [log.log.message for log in output.logs if log.log.level.value == "WARN"]


def error_messages_of(output: EntrypointOutput) -> list[str]:
    """The user-facing messages of the read's error traces."""
    return [error.trace.error.message for error in output.errors]
