"""The contract between the deletion checks and the manifest.

Nothing at run time catches a stream that emits records without noting their ids for its check, a
read of changes only that claims to read the whole collection, or a schema without the deletion
column: each would emit too few deletions, or false ones. These tests hold every incremental stream
of the manifest (each way it is read) to what deletions/ expects of it.
"""

import json
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from airbyte_cdk.sources.declarative.parsers.manifest_component_transformer import ManifestComponentTransformer
from airbyte_cdk.sources.declarative.parsers.manifest_reference_resolver import ManifestReferenceResolver

from source_activecampaign.deletions.checks import DELETED_AT
from source_activecampaign.deletions.plan import FIRST_READ_FOR_CHECK
from source_activecampaign.packaged_files import manifest_path, schema_path

CHECK_EXTRACTOR = "source_activecampaign.deletions.check_extractor.DeletionCheckExtractor"
RESOLVED: dict[str, Any] = ManifestComponentTransformer().propagate_types_and_parameters(
    "", ManifestReferenceResolver().preprocess_manifest(yaml.safe_load(manifest_path().read_text())), {}
)


def _variants(entry: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(how it is read, the stream definition) for each DeclarativeStream a `streams` entry can make."""
    if entry.get("type") == "ConditionalStreams":
        for stream in entry["streams"]:
            yield from _variants(stream)
    elif entry.get("type") == "StateDelegatingStream":
        yield "first read", entry["full_refresh_stream"]
        yield "incremental", entry["incremental_stream"]
    else:
        yield "read", entry


def _name(stream: dict[str, Any]) -> str:
    return str(stream.get("name") or stream["$parameters"]["name"])


INCREMENTAL = [
    pytest.param(how, stream, id=f"{_name(stream)} ({how})")
    for entry in [*RESOLVED["streams"], RESOLVED["dynamic_streams"][0]["stream_template"]]
    for how, stream in _variants(entry)
    if stream.get("incremental_sync")
]


def _reads_by_server_filter(stream: dict[str, Any]) -> bool:
    cursor = stream["incremental_sync"]
    return bool(cursor.get("start_time_option")) and not cursor.get("is_client_side_incremental")


def _extractor(stream: dict[str, Any]) -> dict[str, Any]:
    return stream["retriever"]["record_selector"]["extractor"]


@pytest.mark.parametrize("how, stream", INCREMENTAL)
def test_given_an_incremental_stream_then_its_pages_note_their_ids_and_a_read_of_changes_says_it_is_not_whole(
    how: str, stream: dict[str, Any]
) -> None:
    extractor = _extractor(stream)
    assert extractor.get("class_name") == CHECK_EXTRACTOR, (
        f"{_name(stream)} ({how}) extracts with {extractor.get('class_name') or extractor.get('type')}: its deletion "
        "check would not see which ids its pages hold. Wrap its extractor in the DeletionCheckExtractor."
    )
    whole = extractor.get("whole_collection", True)
    filtered = _reads_by_server_filter(stream) or "filters[updated_after]" in json.dumps(
        stream["retriever"]["requester"]
        .get("requester", stream["retriever"]["requester"])
        .get("request_parameters", {})
    )
    assert whole is not True or not filtered or how == "first read", (
        f"{_name(stream)} ({how}) asks the API for changed rows only, yet its extractor says it reads the whole "
        "collection: a check would take every row it did not ask for as deleted. Declare whole_collection: false."
    )


@pytest.mark.parametrize("how, stream", INCREMENTAL)
def test_given_an_incremental_stream_then_its_schema_has_the_deletion_column(how: str, stream: dict[str, Any]) -> None:
    loaders = stream["schema_loader"]
    loaders = loaders if isinstance(loaders, list) else [loaders]
    names = [loader.get("schema_name") or _name(stream) for loader in loaders if "PackagedSchemaLoader" in str(loader)]
    schema = json.loads(schema_path(names[0]).read_text())
    assert schema["properties"].get(DELETED_AT) == {
        "type": ["null", "string"],
        "format": "date-time",
        "airbyte_type": "timestamp_with_timezone",
        "description": schema["properties"][DELETED_AT]["description"],
    }, f"schemas/{names[0]}.json lacks {DELETED_AT}, the column a deletion record sets"


def test_given_the_streams_read_by_a_server_filter_then_they_are_those_whose_check_is_a_first_read() -> None:
    streams = [param.values[1] for param in INCREMENTAL]
    server_filtered = {_name(stream) for stream in streams if _reads_by_server_filter(stream)}
    assert server_filtered == set(FIRST_READ_FOR_CHECK), (
        f"The manifest reads {sorted(server_filtered)} by a filter on the API's side, and deletions/plan.py "
        f"re-reads {sorted(FIRST_READ_FOR_CHECK)} from no state for their checks: a stream only in the first "
        "would never read its whole collection, one only in the second would be re-read for nothing."
    )
