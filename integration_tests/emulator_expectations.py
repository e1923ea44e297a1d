"""What the connector should emit for the emulator's data, worked out without the connector's code.

An expected record is the emulator's row with each field its schema declares typed by these rules,
each following a fact of the API (https://developers.activecampaign.com/reference/overview):

- numbers come as decimal strings ("id": "5", "value": "12.50"): the number, in integer and number columns;
- flags come as "1" / "0" (1 / 0 in some bodies): true / false in boolean columns;
- "" means "not set": null in every column that is not text;
- a zero date ("0000-00-00", "0000-00-00 00:00:00") means "no date": null;
- older endpoints write "YYYY-MM-DD HH:MM:SS" in the account's time zone without naming it:
  "YYYY-MM-DDTHH:MM:SS", still without a zone; ISO 8601 with an offset and plain dates stay as sent;
- PHP encodes an empty map as []: null in an object column;
- a child stream's record carries its parent's id; null members are left out of an Airbyte record.

They are written here a second time on purpose: the end-to-end test compares the connector's output
with this, so a bug in the connector's normaliser shows up as a difference instead of being copied
into the expectation. A value no rule covers stops the test and says where, rather than being guessed.
"""

import json
import re
from pathlib import Path
from typing import Any

from activecampaign_emulator import Emulator

SCHEMAS_DIR = Path(__file__).resolve().parents[1] / "schemas"

# stream -> the emulator's collection it reads (the key the API puts the records under)
STREAM_COLLECTIONS: dict[str, str] = {
    "contacts": "contacts",
    "deals": "deals",
    "deal_pipelines": "dealGroups",
    "deal_stages": "dealStages",
    "accounts": "accounts",
    "campaigns": "campaigns",
    "lists": "lists",
    "tags": "tags",
    "contact_tags": "contactTags",
    "custom_fields": "fields",
    "custom_field_values": "fieldValues",
    "forms": "forms",
    "segments": "segments",
    "notes": "notes",
    "tasks": "dealTasks",
    "automations": "automations",
    "users": "users",
    "contact_lists": "contactLists",
    "contact_automations": "contactAutomations",
    "contact_deals": "contactDeals",
    "account_contacts": "accountContacts",
    "account_custom_fields": "accountCustomFieldMeta",
    "account_custom_field_values": "accountCustomFieldData",
    "deal_custom_fields": "dealCustomFieldMeta",
    "deal_custom_field_values": "dealCustomFieldData",
    "custom_field_options": "fieldOptions",
    "deal_activities": "dealActivities",
    "task_types": "dealTasktypes",
    "deal_roles": "dealRoles",
    "messages": "messages",
    "campaign_links": "links",
    "groups": "groups",
    "webhooks": "webhooks",
    "addresses": "addresses",
    "brandings": "brandings",
    "calendars": "calendars",
    "scores": "scores",
    "saved_responses": "savedResponses",
    "templates": "templates",
    "ecommerce_connections": "connections",
    "ecommerce_customers": "ecomCustomers",
    "ecommerce_orders": "ecomOrders",
    "ecommerce_order_products": "ecomOrderProducts",
}

# Child streams carry their parent's id: stream -> (the field the connector adds, the row's column).
_PARENT_ID = {
    "deal_stages": ("pipeline_id", "group"),
    "campaign_links": ("campaign_id", "campaign"),
    "ecommerce_order_products": ("order_id", "orderid"),
}

_INTEGER_TEXT = re.compile(r"-?\d+")
_NUMBER_TEXT = re.compile(r"-?\d+(\.\d+)?")
_FLAGS = {"1": True, "0": False, 1: True, 0: False}
_ZERO_DATE = re.compile(r"0000-00-00( 00:00:00)?")
_NAIVE_TIMESTAMP = re.compile(r"(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})")
_ISO_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class NoRule(ValueError):
    """A value of the emulator that no rule of this module says how to type."""


def _expected_date_time(value: str, path: str) -> str | None:
    if value == "" or _ZERO_DATE.fullmatch(value):
        return None
    naive = _NAIVE_TIMESTAMP.fullmatch(value)
    if naive:
        return f"{naive.group(1)}T{naive.group(2)}"
    if _ISO_TIMESTAMP.fullmatch(value):
        return value
    raise NoRule(f"{path}: no rule for the date-time {value!r}")


def _expected_date(value: str, path: str) -> str | None:
    if value == "" or _ZERO_DATE.fullmatch(value):
        return None
    if _DATE.fullmatch(value):
        return value
    raise NoRule(f"{path}: no rule for the date {value!r}")


def _expected_scalar(value: Any, declared: str, field_format: str | None, path: str) -> Any:
    if declared == "string" and isinstance(value, str):
        if field_format == "date-time":
            return _expected_date_time(value, path)
        if field_format == "date":
            return _expected_date(value, path)
        return value
    if value == "":
        return None
    if declared == "integer" and not isinstance(value, bool):
        if isinstance(value, int):
            return value
        if isinstance(value, str) and _INTEGER_TEXT.fullmatch(value):
            return int(value)
    if declared == "number" and not isinstance(value, bool):
        if isinstance(value, (int, float)):
            return value
        if isinstance(value, str) and _NUMBER_TEXT.fullmatch(value):
            return float(value)
    if declared == "boolean":
        if isinstance(value, bool):
            return value
        if isinstance(value, (str, int)) and value in _FLAGS:
            return _FLAGS[value]
    raise NoRule(f"{path}: no rule for {value!r} in a column declared {declared}")


def expected_value(value: Any, field_schema: dict[str, Any], path: str) -> Any:
    """The value the connector should emit for one API value and the schema declared for it."""
    declared = field_schema.get("type", [])
    types = [declared] if isinstance(declared, str) else [kind for kind in declared if kind != "null"]
    if value is None:
        return None
    if len(types) != 1:
        return value  # more than one type declared (a form's `cfields`): passed on as sent
    kind = types[0]
    if kind == "object":
        if value == []:
            return None  # `links` of a record that has none
        if isinstance(value, dict):
            properties = field_schema.get("properties", {})
            return {
                key: expected_value(item, properties[key], f"{path}.{key}") if key in properties else item
                for key, item in value.items()
            }
    elif kind == "array":
        if isinstance(value, list):
            items = field_schema.get("items", {})
            return [expected_value(item, items, f"{path}[{index}]") for index, item in enumerate(value)]
    else:
        return _expected_scalar(value, kind, field_schema.get("format"), path)
    raise NoRule(f"{path}: no rule for {value!r} in a column declared {kind}")


def _without_nulls(value: Any) -> Any:
    # The Airbyte message serialiser leaves out null members.
    if isinstance(value, dict):
        return {key: _without_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [_without_nulls(item) for item in value]
    return value


def _schema(stream: str) -> dict[str, Any]:
    return json.loads((SCHEMAS_DIR / f"{stream}.json").read_text(encoding="utf-8"))


def expected_record(stream: str, row: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    record = dict(row)
    if stream in _PARENT_ID:
        added, parent_column = _PARENT_ID[stream]
        record[added] = record[parent_column]
    return _without_nulls(expected_value(record, schema, stream))


def expected_records(emulator: Emulator, stream: str) -> list[dict[str, Any]]:
    schema = _schema(stream)
    return [expected_record(stream, row, schema) for row in emulator.dataset.rows(STREAM_COLLECTIONS[stream])]
