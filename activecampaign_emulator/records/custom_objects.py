"""Record shapes of custom-object schemas and records, as the API reference's examples show them
(https://developers.activecampaign.com/reference/list-all-schemas,
https://developers.activecampaign.com/reference/list-records-created-from-a-schema): ids are UUIDs,
timestamps are UTC with nanoseconds and a Z, field values are typed (numbers, lists) rather than
strings, and relationships list the related contact ids.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from ..dates import date_only
from ..rng import RowRng, mix64, name_key, row_seed
from ..seeding import CUSTOM_OBJECT_SCHEMAS, CustomField, CustomObjectSchema
from .common import Row, some_words

if TYPE_CHECKING:
    from ..dataset import Dataset


def _uuid(seed: int, key: int) -> str:
    high, low = mix64(seed ^ key), mix64(key ^ 0xC0FFEE)
    return str(uuid.UUID(int=(high << 64) | low, version=4))


def schema_id(seed: int, position: int) -> str:
    return _uuid(seed, name_key(CUSTOM_OBJECT_SCHEMAS[position].slug))


def _timestamp(epoch: int, rng: RowRng) -> str:
    """UTC with nanoseconds, e.g. 2021-04-16T16:12:22.222685095Z."""
    moment = datetime.fromtimestamp(epoch, timezone.utc)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{rng.below(10**9):09d}Z"


def _labels(singular: str, plural: str) -> dict[str, str]:
    return {"singular": singular, "plural": plural}


def _field_definition(field: CustomField) -> dict[str, Any]:
    definition: dict[str, Any] = {
        "id": field.id,
        "labels": _labels(field.label, field.label + "s"),
        "type": field.type,
        "required": False,
        "inherited": False,
    }
    if field.options:
        definition["options"] = [{"id": option, "value": option} for option in field.options]
    if field.type in ("number", "currency"):
        definition["scale"] = 2 if field.type == "currency" else 0
    return definition


def schema(dataset: Dataset, position: int) -> dict[str, Any]:
    """One schema, as GET /customObjects/schemas lists it; made when the account was set up."""
    definition: CustomObjectSchema = CUSTOM_OBJECT_SCHEMAS[position]
    rng = RowRng(row_seed(dataset.seed, "customObjectSchemas", position))
    created = dataset.clock.start + 86_400 * (30 + 10 * position)
    body: dict[str, Any] = {
        "id": schema_id(dataset.seed, position),
        "slug": definition.slug,
        "visibility": definition.visibility,
        "labels": _labels(definition.singular, definition.plural),
        "description": f"{definition.plural} of the account",
        "createdTimestamp": _timestamp(created, rng),
        "updatedTimestamp": _timestamp(created, rng),
        "fields": [_field_definition(field) for field in definition.fields],
        "icons": {"default": "https://d226aj4ao1t61q.cloudfront.net/n9mayqo2d_customobject.png"},
        "relationships": [
            {
                "id": "primary-contact",
                "labels": _labels("Primary Contact", "Primary Contacts"),
                "description": "Primary contact to this object",
                "namespace": "contacts",
                "hasMany": definition.has_many_contacts,
                "inherited": False,
            }
        ],
    }
    if definition.visibility == "public":
        body["appId"] = _uuid(dataset.seed, name_key("app:" + definition.slug))
    return body


def _field_value(field: CustomField, row: Row) -> Any:
    """A value of the field's type: numbers as numbers, dates as YYYY-MM-DD, date-times in UTC,
    multiselect as a list of its options."""
    rng = row.rng
    if field.type == "currency":
        return round(5 + rng.below(50_000) / 100, 2)
    if field.type == "number":
        return rng.between(1, 120)
    if field.type == "date":
        return date_only(row.created - rng.below(30) * 86_400)
    if field.type == "datetime":
        moment = datetime.fromtimestamp(row.created + rng.below(20 * 86_400), timezone.utc)
        return f"{moment:%Y-%m-%dT%H:%M:%S}Z"
    if field.type == "dropdown":
        return rng.choice(field.options)
    if field.type == "multiselect":
        return [option for option in field.options if rng.chance(0.4)] or [field.options[0]]
    return some_words(rng, 3 if field.type == "text" else 8)


def custom_object_record(row: Row) -> dict[str, Any]:
    position = row.column("schema")
    definition = CUSTOM_OBJECT_SCHEMAS[position]
    rng = row.rng
    # A field a record was never given a value for is left out of its list (the emulator's choice).
    fields = [{"id": field.id, "value": _field_value(field, row)} for field in definition.fields if rng.chance(0.85)]
    created = _timestamp(row.created, rng)
    return {
        "id": _uuid(row.dataset.seed, mix64(row.id)),
        "externalId": f"{definition.slug}-{row.id}",
        "schemaId": schema_id(row.dataset.seed, position),
        "fields": fields,
        "relationships": {"primary-contact": [str(row.column("contact"))]},
        "createdTimestamp": created,
        "updatedTimestamp": created if row.updated == row.created else _timestamp(row.updated, rng),
    }
