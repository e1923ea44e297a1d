"""What the connector should emit for the emulator's data: its rows, normalised as a sync does."""

import copy
import json
from pathlib import Path
from typing import Any

from activecampaign_emulator import Emulator
from source_activecampaign.normalization import ActiveCampaignTypeTransformer
from source_activecampaign.packaged_files import schema_path

# stream -> the emulator's collection key
STREAM_RESOURCES: dict[str, str] = {
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

# Child streams carry their parent's id, added by the connector.
_PARENT_ID = {
    "deal_stages": ("pipeline_id", "group"),
    "campaign_links": ("campaign_id", "campaign"),
    "ecommerce_order_products": ("order_id", "orderid"),
}

_TRANSFORMER = ActiveCampaignTypeTransformer()


def _without_nulls(value: Any) -> Any:
    # The Airbyte message serializer leaves out null members.
    if isinstance(value, dict):
        return {key: _without_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [_without_nulls(item) for item in value]
    return value


def normalised(stream: str, row: dict[str, Any]) -> dict[str, Any]:
    schema = json.loads(Path(schema_path(stream)).read_text())
    record = copy.deepcopy(row)
    if stream in _PARENT_ID:
        added, parent_key = _PARENT_ID[stream]
        record[added] = record[parent_key]
    _TRANSFORMER.transform(record, schema)
    return _without_nulls(record)


def expected_records(emulator: Emulator, stream: str) -> list[dict[str, Any]]:
    return [normalised(stream, row) for row in emulator.dataset.rows(STREAM_RESOURCES[stream])]
