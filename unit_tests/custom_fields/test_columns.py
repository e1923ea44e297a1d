"""Custom field values as columns of contacts and deals."""

from typing import Any

import pytest

from unit_tests.json_response import json_response


class _FakeRecord:
    def __init__(self, data):
        self.data = data


class _FakePartition:
    def __init__(self, rows):
        self._rows = rows

    def read(self):
        return [_FakeRecord(row) for row in self._rows]


class _FieldDefinitionsStream:
    """Stands in for the custom_fields stream: one partition of definitions, counting reads."""

    def __init__(self, rows):
        self.rows = rows
        self.reads = 0

    def generate_partitions(self):
        self.reads += 1
        return [_FakePartition(self.rows)]


CONTACT_FIELDS = [
    {"id": "2", "perstag": "TIER", "type": "dropdown"},
    {"id": "3", "perstag": "RENEWAL", "type": "date"},
    {"id": "4", "perstag": "", "type": "text"},
]


def _contacts_extractor(stream, enabled: bool = True):
    from source_activecampaign.custom_fields.columns import SideloadedCustomFieldsExtractor

    return SideloadedCustomFieldsExtractor(
        field_path=["contacts"],
        config={"extract_contact_custom_fields": enabled},
        parameters={},
        sideload_field="fieldValues",
        record_id_key="contact",
        field_id_key="field",
        value_key="value",
        name_key="perstag",
        fields_stream=stream,
        enabled="{{ config['extract_contact_custom_fields'] }}",
    )


def test_sideloaded_custom_fields_become_columns_named_by_perstag_without_overwriting() -> None:
    stream = _FieldDefinitionsStream(CONTACT_FIELDS)
    extractor = _contacts_extractor(stream)
    page = {
        "contacts": [{"id": "7", "email": "a@example.com"}, {"id": "8", "email": "b@example.com", "TIER": "kept"}],
        "fieldValues": [
            {"contact": "7", "field": "2", "value": "Gold"},
            {"contact": "7", "field": "3", "value": "2025-01-31"},
            {"contact": "8", "field": "2", "value": "Silver"},
            {"contact": "7", "field": "99", "value": "unknown field"},
        ],
    }

    records = list(extractor.extract_records(json_response(page))) + list(
        extractor.extract_records(json_response(page))
    )

    assert records[0] == {"id": "7", "email": "a@example.com", "TIER": "Gold", "RENEWAL": "2025-01-31"}
    assert records[1] == {"id": "8", "email": "b@example.com", "TIER": "kept"}
    assert stream.reads == 1


def test_given_the_option_off_when_the_page_carries_values_for_another_stream_then_no_columns_are_added() -> None:
    # custom_field_values reads the same pages (include=fieldValues) as contacts.
    stream = _FieldDefinitionsStream(CONTACT_FIELDS)
    page = {"contacts": [{"id": "7"}], "fieldValues": [{"contact": "7", "field": "2", "value": "Gold"}]}

    records = list(_contacts_extractor(stream, enabled=False).extract_records(json_response(page)))

    assert records == [{"id": "7"}]
    assert stream.reads == 0


def test_without_sideloaded_values_the_field_definitions_are_never_read() -> None:
    stream = _FieldDefinitionsStream(CONTACT_FIELDS)

    records = list(
        _contacts_extractor(stream).extract_records(json_response({"contacts": [{"id": "7"}], "scoreValues": []}))
    )

    assert records == [{"id": "7"}]
    assert stream.reads == 0


@pytest.mark.parametrize(
    "enabled, expected_columns",
    [
        pytest.param(
            "{{ config.get('extract_contact_custom_fields', False) }}",
            {"TIER": {"type": ["null", "string"]}, "RENEWAL": {"type": ["null", "string"], "format": "date"}},
            id="option on",
        ),
        pytest.param("{{ config.get('missing_option', False) }}", {}, id="option off"),
    ],
)
def test_custom_field_columns_schema(enabled: str, expected_columns: dict[str, Any]) -> None:
    from source_activecampaign.custom_fields.columns import CustomFieldColumnsSchemaLoader

    loader = CustomFieldColumnsSchemaLoader(
        fields_stream=_FieldDefinitionsStream(CONTACT_FIELDS),
        name_key="perstag",
        type_key="type",
        config={"extract_contact_custom_fields": True},
        parameters={},
        enabled=enabled,
    )

    assert loader.get_json_schema()["properties"] == expected_columns
