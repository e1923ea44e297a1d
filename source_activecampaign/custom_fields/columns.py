"""Custom field values as columns of contacts and deals (options `extract_contact_custom_fields`,
`extract_deal_custom_fields`).

The API sideloads a page's custom field values next to its records (`include=fieldValues` on
contacts, `include=dealCustomFieldData` on deals), so they cost no extra request per record. The
values name their field by id; the columns are named by the field's personalisation tag, read
once per sync from the field definitions (`/fields`, `/dealCustomFieldMeta`) through the
custom_fields and deal_custom_fields streams of the manifest, so those requests share the rate
budget and error handling.
"""

import threading
from collections import defaultdict
from collections.abc import Iterable, Mapping, MutableMapping
from dataclasses import InitVar, dataclass, field
from typing import Any

from airbyte_cdk.sources.declarative.interpolation.interpolated_boolean import InterpolatedBoolean
from airbyte_cdk.sources.declarative.schema.schema_loader import SchemaLoader
from airbyte_cdk.sources.streams.concurrent.abstract_stream import AbstractStream
from airbyte_cdk.sources.types import Config

from source_activecampaign.progress.counting_extractor import CountingDpathExtractor

# What a custom field's values look like, by the field's type. Every value is a string in the API;
# dates are written YYYY-MM-DD and date-times as ISO, which the normaliser turns to null when zero.
_COLUMN_BY_FIELD_TYPE: Mapping[str, Mapping[str, Any]] = {
    "date": {"type": ["null", "string"], "format": "date"},
    "datetime": {"type": ["null", "string"], "format": "date-time", "airbyte_type": "timestamp_with_timezone"},
}
_TEXT_COLUMN: Mapping[str, Any] = {"type": ["null", "string"]}


class _FieldDefinitions:
    """The account's custom field definitions, read on first use and kept for the sync."""

    def __init__(self, stream: AbstractStream) -> None:
        self._stream = stream
        self._lock = threading.Lock()
        self._definitions: list[Mapping[str, Any]] | None = None

    def all(self) -> list[Mapping[str, Any]]:
        with self._lock:
            if self._definitions is None:
                self._definitions = [
                    record.data for partition in self._stream.generate_partitions() for record in partition.read()
                ]
            return self._definitions


@dataclass
class CustomFieldColumnsSchemaLoader(SchemaLoader):
    """One nullable column per custom field, named by its personalisation tag.

    Combined in the manifest with the stream's own schema file, which wins on a name clash.
    """

    fields_stream: AbstractStream
    name_key: str
    type_key: str
    config: Config
    parameters: InitVar[Mapping[str, Any]]
    enabled: InterpolatedBoolean | str | bool = False

    def __post_init__(self, parameters: Mapping[str, Any] | None) -> None:
        self._definitions = _FieldDefinitions(self.fields_stream)
        self._enabled = InterpolatedBoolean(condition=str(self.enabled), parameters=parameters or {})

    def get_json_schema(self) -> Mapping[str, Any]:
        if not self._enabled.eval(self.config):
            return {"type": "object", "properties": {}}
        properties = {
            str(definition[self.name_key]): dict(
                _COLUMN_BY_FIELD_TYPE.get(str(definition.get(self.type_key)), _TEXT_COLUMN)
            )
            for definition in self._definitions.all()
            if definition.get(self.name_key)
        }
        return {"type": "object", "additionalProperties": True, "properties": properties}


@dataclass
class SideloadedCustomFieldsExtractor(CountingDpathExtractor):
    """Extracts a page's records and puts each one's sideloaded custom field values on it.

    Input (contacts, `include=fieldValues`)::

        {"contacts": [{"id": "7", ...}], "fieldValues": [{"contact": "7", "field": "2", "value": "Gold"}]}

    Output, when field 2's personalisation tag is ``TIER``: ``{"id": "7", ..., "TIER": "Gold"}``.
    A value never replaces a field the record already has. When ``enabled`` is false (the option is
    off; the page may still carry values, for the custom_field_values stream that reads the same
    pages) or the page has no values, it extracts like a plain ``DpathExtractor`` and never reads
    the field definitions.
    """

    sideload_field: str = ""
    record_id_key: str = ""
    field_id_key: str = ""
    value_key: str = ""
    name_key: str = ""
    fields_stream: AbstractStream | None = None
    enabled: InterpolatedBoolean | str | bool = True

    _definitions: _FieldDefinitions | None = field(default=None, init=False, repr=False)

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        super().__post_init__(parameters)
        enabled = InterpolatedBoolean(condition=str(self.enabled), parameters=parameters or {}).eval(self.config)
        if self.fields_stream is not None and enabled:
            self._definitions = _FieldDefinitions(self.fields_stream)

    def _column_names(self) -> dict[str, str]:
        if self._definitions is None:
            return {}
        return {
            str(definition["id"]): str(definition[self.name_key])
            for definition in self._definitions.all()
            if definition.get(self.name_key)
        }

    def page_records(self, body: Any, records: list[MutableMapping[str, Any]]) -> Iterable[MutableMapping[Any, Any]]:
        values: dict[str, dict[str, Any]] = defaultdict(dict)
        sideloaded = body.get(self.sideload_field) or []
        if sideloaded and self._definitions is not None:
            columns = self._column_names()
            for row in sideloaded:
                column = columns.get(str(row.get(self.field_id_key)))
                if column:
                    values[str(row.get(self.record_id_key))][column] = row.get(self.value_key)
        for record in records:
            for column, value in values.get(str(record.get("id")), {}).items():
                record.setdefault(column, value)
            yield record
