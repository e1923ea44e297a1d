"""The connector's direct schema walk gives exactly what the CDK's validator-driven walk gives.

`ActiveCampaignTypeTransformer.transform` replaces the CDK's jsonschema traversal (a third of the
CPU per record) with a walk over `properties` and `items`. Every record of every stream of a
seeded emulator account, every body written down in `unit_tests/api_facts.py`, and every real API
example beside the repository when present, must come out of both identical.
"""

import copy
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from airbyte_cdk.sources.utils.transform import TransformConfig, TypeTransformer

from activecampaign_emulator import Emulator
from source_activecampaign.packaged_files import manifest_path, schema_path
from source_activecampaign.records.normalization import ActiveCampaignTypeTransformer, normalize_value
from unit_tests.api_facts import API_FACTS

EXAMPLES_DIR = Path(__file__).resolve().parents[3] / "shared" / "ac_api_examples"


def _cdk_walk() -> TypeTransformer:
    transformer = TypeTransformer(
        TransformConfig.DefaultSchemaNormalization | TransformConfig.CustomSchemaNormalization
    )
    transformer.registerCustomTransform(normalize_value)
    return transformer


def _schema(stream: str) -> dict[str, Any]:
    return json.loads(schema_path(stream).read_text())


def _stream_templates() -> set[str]:
    """The dynamic stream definitions (custom objects): their schema file holds the columns all their
    streams share, and their streams' collections are per account."""
    return {definition["name"] for definition in yaml.safe_load(manifest_path().read_text())["dynamic_streams"]}


def _stream_collections() -> dict[str, str]:
    """stream -> the key its records come under in the API's body: each stream's `data_field`."""
    definitions = yaml.safe_load(manifest_path().read_text())["definitions"]
    parameters = [
        definition.get("$parameters", {}) for definition in definitions.values() if isinstance(definition, dict)
    ]
    # Streams that exist only inside `check` or the contacts' range reader have no schema file.
    return {
        p["name"]: p["data_field"]
        for p in parameters
        if "data_field" in p and schema_path(p["name"]).is_file() and p["name"] not in _stream_templates()
    }


def test_the_manifest_names_the_collection_of_every_stream_with_a_schema() -> None:
    files = {path.stem for path in schema_path("any").parent.glob("*.json")}
    assert set(_stream_collections()) == files - _stream_templates()


def _emulator_records() -> Iterator[tuple[str, dict[str, Any]]]:
    dataset = Emulator(contacts=60, seed=3).dataset
    for stream, collection in _stream_collections().items():
        for row in dataset.rows(collection):
            yield stream, row


def _compared_with_the_cdks_walk(rows: Iterable[tuple[str, str, dict[str, Any]]]) -> int:
    """Normalises each (where it came from, stream, row) both ways; how many rows were compared."""
    ours, cdk = ActiveCampaignTypeTransformer(), _cdk_walk()
    compared = 0
    for origin, stream, row in rows:
        schema = _schema(stream)
        by_us, by_cdk = copy.deepcopy(row), copy.deepcopy(row)
        ours.transform(by_us, schema)
        cdk.transform(by_cdk, schema)
        assert by_us == by_cdk, (origin, stream, row.get("id"))
        compared += 1
    return compared


def test_every_emulator_record_normalises_the_same_as_the_cdks_walk() -> None:
    rows = (("emulator", stream, row) for stream, row in _emulator_records())
    assert _compared_with_the_cdks_walk(rows) > 500


def test_every_api_fact_normalises_the_same_as_the_cdks_walk() -> None:
    rows = [(fact.name, fact.stream, row) for fact in API_FACTS for row in fact.records]
    assert _compared_with_the_cdks_walk(rows) == len(rows) > 15


def _example_rows() -> Iterator[tuple[str, str, dict[str, Any]]]:
    plural_to_stream = {collection: stream for stream, collection in _stream_collections().items()}
    for example in sorted(EXAMPLES_DIR.glob("*.json")):
        body = json.loads(example.read_text())
        if not isinstance(body, dict):
            continue
        for key, rows in body.items():
            stream = plural_to_stream.get(key)
            if stream is not None and isinstance(rows, list):
                yield from ((example.name, stream, row) for row in rows)


def test_every_api_example_normalises_the_same_as_the_cdks_walk() -> None:
    if not EXAMPLES_DIR.is_dir():
        pytest.skip(
            f"ActiveCampaign example bodies not found at {EXAMPLES_DIR}; "
            "they live beside the repository in ../shared/ and are not shipped with it"
        )
    assert _compared_with_the_cdks_walk(_example_rows()) > 50


def test_a_value_that_cannot_be_cast_is_kept_and_reported_once(caplog: pytest.LogCaptureFixture) -> None:
    transformer = ActiveCampaignTypeTransformer()
    schema = {
        "type": "object",
        "properties": {
            "count": {"type": ["null", "integer"]},
            "nested": {"type": ["null", "object"], "properties": {"n": {"type": ["null", "number"]}}},
        },
    }

    records = [{"count": "many", "nested": {"n": "x"}}, {"count": "lots", "nested": {"n": "1.5"}}]
    for record in records:
        transformer.transform(record, schema)

    assert records == [{"count": "many", "nested": {"n": "x"}}, {"count": "lots", "nested": {"n": 1.5}}]
    warnings = [message for message in caplog.messages if "could not be turned into its declared type" in message]
    assert len(warnings) == 2
    assert any("'count'" in warning for warning in warnings) and any("'nested.n'" in warning for warning in warnings)


# Every field shape the schemas use, and a few they do not: the compiled fields take the common
# values straight to their result and hand the rest to the walk; both must give the CDK's result.
FIELD_SHAPES: list[dict[str, Any]] = [
    {"type": ["null", "string"]},
    {"type": ["null", "string"], "format": "date-time"},
    {"type": ["string", "null"], "format": "date"},
    {"type": ["null", "integer"]},
    {"type": ["null", "boolean"]},
    {"type": ["null", "number"]},
    {"type": ["null", "object"]},
    {"type": ["null", "object"], "properties": {"n": {"type": ["null", "integer"]}, "s": {"type": ["null", "string"]}}},
    {"type": ["null", "array"], "items": {"type": ["null", "integer"]}},
    {
        "type": ["null", "array"],
        "items": {"type": ["null", "object"], "properties": {"n": {"type": ["null", "integer"]}}},
    },
    {"type": ["null", "array"]},
    {"type": ["null", "array", "object"]},
    {"type": ["string"]},
    {"type": "integer"},
    {"type": ["null", "string"], "format": "email"},
]
FIELD_VALUES: list[Any] = [
    None,
    "",
    " ",
    "0",
    "1",
    "12",
    "-3",
    "12.0",
    "12.5",
    " 7 ",
    "1_000",
    "abc",
    "true",
    "false",
    "True",
    "yes",
    "no",
    0,
    1,
    5,
    -2,
    2.5,
    3.0,
    True,
    False,
    [],
    ["1", 2, None],
    [{"n": "4"}],
    {},
    {"n": "3", "s": 4},
    "2020-05-24 05:16:44",
    "2020-05-24 05:16:44.123",
    "0000-00-00 00:00:00",
    "0000-00-00",
    "2019-09-06T2:10:00-05:00",
    "2020-05-24T05:16:44-05:00",
    "2020-05-24",
    "2021-04-16T16:13:12.022671090Z",
]


@pytest.mark.parametrize("shape", FIELD_SHAPES, ids=lambda shape: json.dumps(shape))
def test_each_field_shape_normalises_every_value_as_the_cdks_walk(shape: dict[str, Any]) -> None:
    ours, cdk = ActiveCampaignTypeTransformer(), _cdk_walk()
    schema = {"type": "object", "properties": {"field": shape, "other": {"type": ["null", "integer"]}}}
    for value in FIELD_VALUES:
        by_us, by_cdk = {"field": copy.deepcopy(value)}, {"field": copy.deepcopy(value)}
        ours.transform(by_us, schema)
        cdk.transform(by_cdk, schema)
        assert by_us == by_cdk and type(by_us["field"]) is type(by_cdk["field"]), (shape, value)


def test_a_schema_is_compiled_once_and_an_equal_one_reuses_it() -> None:
    transformer = ActiveCampaignTypeTransformer()
    schema = _schema("contacts")
    first, second = {"id": "1"}, {"id": "2"}
    transformer.transform(first, schema)
    transformer.transform(second, json.loads(json.dumps(schema)))
    transformer.transform(
        third := {"id": "3", "udate": "0000-00-00 00:00:00"}, {"properties": {"id": {"type": "string"}}}
    )

    assert (first, second) == ({"id": 1}, {"id": 2})
    assert third == {"id": "3", "udate": "0000-00-00 00:00:00"}
    plans = [plan for _, plan in transformer._plans.values()]
    assert plans[0] is plans[1] and plans[2] is not plans[0]
