"""What the connector should emit for the emulator's data: its rows, normalised as a sync does."""

import copy
import json
from pathlib import Path
from typing import Any, Dict, List

from integration_tests.emulator import Emulator
from source_activecampaign.normalization import ActiveCampaignTypeTransformer
from source_activecampaign.resources import schema_path

# stream -> the emulator's collection key
STREAM_RESOURCES: Dict[str, str] = {
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
}

_TRANSFORMER = ActiveCampaignTypeTransformer()


def _without_nulls(value: Any) -> Any:
    # The Airbyte message serializer leaves out null members.
    if isinstance(value, dict):
        return {key: _without_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [_without_nulls(item) for item in value]
    return value


def normalised(stream: str, row: Dict[str, Any]) -> Dict[str, Any]:
    schema = json.loads(Path(schema_path(stream)).read_text())
    record = copy.deepcopy(row)
    if stream == "deal_stages":
        record["pipeline_id"] = record["group"]
    _TRANSFORMER.transform(record, schema)
    return _without_nulls(record)


def expected_records(emulator: Emulator, stream: str) -> List[Dict[str, Any]]:
    return [normalised(stream, row) for row in emulator.dataset.rows(STREAM_RESOURCES[stream])]
