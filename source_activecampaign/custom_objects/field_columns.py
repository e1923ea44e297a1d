"""Custom-object records as rows: each value of a record's `fields` list becomes a column.

The streams themselves are declared in the manifest (`dynamic_streams`): one per custom-object
schema, typed from the schema's field definitions. What the manifest cannot say is how a record's
field values become columns, so this transformation does it.
"""

from collections.abc import Mapping
from dataclasses import InitVar, dataclass
from typing import Any

from airbyte_cdk.sources.declarative.transformations import RecordTransformation
from airbyte_cdk.sources.types import Config, StreamSlice, StreamState


@dataclass
class FieldListToColumns(RecordTransformation):
    """Moves the entries of a list of ``{id, value}`` pairs onto the record, one column per entry.

    Input ``{"id": "r1", "fields": [{"id": "order-total", "value": 12.5}, {"id": "colors", "value": ["red"]}]}``
    -> output ``{"id": "r1", "order-total": 12.5, "colors": ["red"]}``.

    Values are kept exactly as the API sent them. ``AddFields`` cannot do this: it adds one field
    per definition while every custom-object schema has its own fields, and it literal-evaluates
    what it renders, so a text value "12" or "None" would change type. A field whose id is already
    a column of the record (``id``, ``externalId``, ...) does not replace that column, as custom
    fields never replace standard columns on contacts and deals.

    Usage::

        transformations:
          - type: CustomTransformation
            class_name: source_activecampaign.custom_objects.field_columns.FieldListToColumns
            list_field: fields
            name_key: id
            value_key: value
    """

    list_field: str
    name_key: str
    value_key: str
    config: Config
    parameters: InitVar[Mapping[str, Any]]

    def transform(
        self,
        record: dict[str, Any],
        config: Config | None = None,
        stream_state: StreamState | None = None,
        stream_slice: StreamSlice | None = None,
    ) -> None:
        entries = record.get(self.list_field)
        if not isinstance(entries, list):
            return
        del record[self.list_field]
        for entry in entries:
            if isinstance(entry, Mapping) and isinstance(entry.get(self.name_key), str):
                record.setdefault(entry[self.name_key], entry.get(self.value_key))
