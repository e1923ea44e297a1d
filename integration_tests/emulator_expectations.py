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
- custom objects write numbers as numbers and date-times in UTC with a Z, which stay as sent; their
  records' own timestamps carry nanoseconds, of which the connector keeps microseconds, and each
  entry of their `fields` list becomes a column named by the field's id;
- where a collection leaves its update field empty until a row is first changed, the connector writes
  the row's creation time into it;
- a child stream's record carries its parent's id; null members are left out of an Airbyte record.

They are written here a second time on purpose: the end-to-end test compares the connector's output
with this, so a bug in the connector's normaliser shows up as a difference instead of being copied
into the expectation. A value no rule covers stops the test and says where, rather than being guessed.
"""

import json
import re
from collections import defaultdict
from collections.abc import Collection
from pathlib import Path
from typing import Any

from activecampaign_emulator import Emulator
from activecampaign_emulator.seeding import CUSTOM_OBJECT_SCHEMAS

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
    "activities": "activities",
    "automation_blocks": "automationBlocks",
    "bounce_logs": "bounceLogs",
    "campaign_lists": "campaignLists",
    "campaign_messages": "campaignMessages",
    "configs": "configs",
    "contact_data": "contactData",
    "contact_emails": "contactEmails",
    "contact_conversions": "contactConversions",
    "conversions": "conversions",
    "conversion_triggers": "conversionTriggers",
    "deal_group_users": "dealGroupUsers",
    "ecommerce_order_activities": "ecomOrderActivities",
    "email_activities": "emailActivities",
    "goals": "goals",
    "site_messages": "siteMessages",
    "sms": "sms",
    "custom_field_rels": "fieldRels",
    "task_outcomes": "taskOutcomes",
    "tasktype_outcome_rels": "tasktypeOutcomeRels",
    "site_tracking_domains": "siteTrackingDomains",
    "group_limits": "groupLimits",
}

# One stream per custom-object schema, named custom_object_<slug> with the slug's other characters
# as "_": stream -> the schema's position in the emulator's definitions.
CUSTOM_OBJECT_STREAMS: dict[str, int] = {
    "custom_object_" + re.sub("[^A-Za-z0-9_]", "_", schema.slug): position
    for position, schema in enumerate(CUSTOM_OBJECT_SCHEMAS)
}

# Where a collection leaves its update field empty until a row is first changed, the connector writes
# the row's creation time into it (docs/activecampaign.md): stream -> (update field, creation field).
_CREATION_TIME_STANDS_IN = {
    "saved_responses": ("mdate", "cdate"),
    "automation_blocks": ("mdate", "cdate"),
    "campaign_lists": ("udate", "cdate"),
    "conversions": ("udate", "cdate"),
    "conversion_triggers": ("udate", "cdate"),
    "bounce_logs": ("updated_timestamp", "created_timestamp"),
    "configs": ("updated_timestamp", "created_timestamp"),
    "ecommerce_order_activities": ("updatedDate", "createdDate"),
}

# A custom-object field's type -> its column: numbers for number and currency, a date, a timestamp, a
# list of text for multiselect; text for the others.
_CUSTOM_OBJECT_COLUMNS: dict[str, dict[str, Any]] = {
    "number": {"type": ["null", "number"]},
    "currency": {"type": ["null", "number"]},
    "date": {"type": ["null", "string"], "format": "date"},
    "datetime": {"type": ["null", "string"], "format": "date-time"},
    "multiselect": {"type": ["null", "array"], "items": {"type": ["null", "string"]}},
}
_NANOSECONDS = re.compile(r"(\.\d{6})\d+")

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
_UTC_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z")


class NoRule(ValueError):
    """A value of the emulator that no rule of this module says how to type."""


def _expected_date_time(value: str, path: str) -> str | None:
    if value == "" or _ZERO_DATE.fullmatch(value):
        return None
    naive = _NAIVE_TIMESTAMP.fullmatch(value)
    if naive:
        return f"{naive.group(1)}T{naive.group(2)}"
    if _ISO_TIMESTAMP.fullmatch(value) or _UTC_TIMESTAMP.fullmatch(value):
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
    if stream in _CREATION_TIME_STANDS_IN:
        updated, created = _CREATION_TIME_STANDS_IN[stream]
        record[updated] = record.get(updated) or record.get(created)
    return _without_nulls(expected_value(record, schema, stream))


def custom_object_rows(emulator: Emulator, stream: str) -> dict[int, dict[str, Any]]:
    """The emulator's records of the stream's schema, as the API lists them, by their stored id."""
    dataset, schema_position = emulator.dataset, CUSTOM_OBJECT_STREAMS[stream]
    with dataset.lock:
        table = dataset.table("customObjectRecords")
        return {
            table.ids[position]: dataset.render("customObjectRecords", position)
            for position in table.alive_positions()
            if table.cols["schema"][position] == schema_position
        }


def _custom_object_record(row: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """A custom-object record: its `fields` list becomes one column per field (a field named like one
    of the record's own columns leaves that column as it is), and its timestamps, written with
    nanoseconds, keep microseconds."""
    record = {key: value for key, value in row.items() if key != "fields"}
    for name in ("createdTimestamp", "updatedTimestamp"):
        record[name] = _NANOSECONDS.sub(r"\1", record[name])
    for field in row["fields"]:
        record.setdefault(field["id"], field["value"])
    return _without_nulls(expected_value(record, schema, "custom_object"))


def _custom_object_schema(stream: str) -> dict[str, Any]:
    schema = _schema("custom_objects")
    for field in CUSTOM_OBJECT_SCHEMAS[CUSTOM_OBJECT_STREAMS[stream]].fields:
        schema["properties"].setdefault(field.id, _CUSTOM_OBJECT_COLUMNS.get(field.type, {"type": ["null", "string"]}))
    return schema


# Synced with contacts, these ride on its pages (include=<collection>), and each contact then lists
# the ids of its rows of each under the collection's name.
CONTACT_CHILDREN = ("contact_tags", "contact_lists", "custom_field_values", "contact_automations", "account_contacts")


def _with_child_ids(
    emulator: Emulator, contacts: list[dict[str, Any]], children: Collection[str]
) -> list[dict[str, Any]]:
    id_lists: dict[str, dict[str, list[str]]] = {}
    for child in children:
        by_contact: dict[str, list[str]] = defaultdict(list)
        for row in emulator.dataset.rows(STREAM_COLLECTIONS[child]):
            by_contact[str(row["contact"])].append(row["id"])
        id_lists[STREAM_COLLECTIONS[child]] = by_contact
    return [
        {**contact, **{kind: ids.get(str(contact["id"]), []) for kind, ids in id_lists.items()}} for contact in contacts
    ]


def expected_records(emulator: Emulator, stream: str, synced_with: Collection[str] = ()) -> list[dict[str, Any]]:
    """The stream's records; contacts synced with contact child streams (no start date) list their ids."""
    if stream in CUSTOM_OBJECT_STREAMS:
        schema = _custom_object_schema(stream)
        return [_custom_object_record(row, schema) for row in custom_object_rows(emulator, stream).values()]
    schema = _schema(stream)
    rows = emulator.dataset.rows(STREAM_COLLECTIONS[stream])
    if stream == "contacts":
        rows = _with_child_ids(emulator, rows, [name for name in synced_with if name in CONTACT_CHILDREN])
    return [expected_record(stream, row, schema) for row in rows]
