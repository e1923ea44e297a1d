"""Custom-object records' field values as columns."""

from typing import Any

import pytest

from source_activecampaign.custom_objects.field_columns import FieldListToColumns


@pytest.mark.parametrize(
    "record, expected",
    [
        pytest.param(
            {"id": "r1", "fields": [{"id": "order-total", "value": 12.5}, {"id": "colors", "value": ["red", "blue"]}]},
            {"id": "r1", "order-total": 12.5, "colors": ["red", "blue"]},
            id="each field becomes a column named by its id",
        ),
        pytest.param(
            {"id": "r1", "fields": [{"id": "code", "value": "12"}, {"id": "note", "value": "None"}]},
            {"id": "r1", "code": "12", "note": "None"},
            id="text values kept as text, never literal-evaluated",
        ),
        pytest.param(
            {"id": "r1", "fields": [{"id": "placed-on", "value": None}]},
            {"id": "r1", "placed-on": None},
            id="an empty field is a null column",
        ),
        pytest.param(
            {
                "id": "r1",
                "externalId": "ext-1",
                "fields": [{"id": "id", "value": "x"}, {"id": "externalId", "value": "y"}],
            },
            {"id": "r1", "externalId": "ext-1"},
            id="a field named like a record column does not replace it",
        ),
        pytest.param({"id": "r1", "fields": []}, {"id": "r1"}, id="no fields"),
        pytest.param({"id": "r1"}, {"id": "r1"}, id="no fields list at all"),
        pytest.param(
            {"id": "r1", "fields": "not a list"},
            {"id": "r1", "fields": "not a list"},
            id="anything else is left as it is",
        ),
        pytest.param(
            {"id": "r1", "fields": [{"value": 1}, "junk", {"id": 7, "value": 2}, {"id": "ok", "value": 3}]},
            {"id": "r1", "ok": 3},
            id="entries without a text id are skipped",
        ),
    ],
)
def test_field_list_to_columns(record: dict[str, Any], expected: dict[str, Any]) -> None:
    FieldListToColumns(list_field="fields", name_key="id", value_key="value", config={}, parameters={}).transform(
        record
    )

    assert record == expected
