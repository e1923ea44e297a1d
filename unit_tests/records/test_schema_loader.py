"""Each stream's schema file."""

from typing import Any

import pytest

from source_activecampaign.records.schema_loader import PackagedSchemaLoader


@pytest.mark.parametrize(
    "schema_name, parameters, expected_columns",
    [
        pytest.param("", {"name": "goals"}, "cdate", id="the stream's own file by default"),
        pytest.param("custom_objects", {"name": "custom_object_orders"}, "schemaId", id="a shared file by name"),
    ],
)
def test_packaged_schema_loader_reads_the_named_file(
    schema_name: str, parameters: dict[str, Any], expected_columns: str
) -> None:
    loader = PackagedSchemaLoader(config={}, parameters=parameters, schema_name=schema_name)

    assert expected_columns in loader.get_json_schema()["properties"]
