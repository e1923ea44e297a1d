"""Normalises ActiveCampaign values to the types the stream schemas declare.

The API sends almost every scalar as a string (``"id": "5"``, ``"status": "0"``), stands in
empty strings for missing values, writes "no date" as ``0000-00-00 00:00:00`` and mixes
ISO timestamps with naive ``YYYY-MM-DD HH:MM:SS`` ones. The CDK's default normalisation casts
strings to the declared scalar type; this transformer runs it first and then handles what the
default leaves behind, so a record always matches its schema.
"""

import re
from typing import Any, Dict, List

from airbyte_cdk.sources.utils.transform import TransformConfig, TypeTransformer

_NAIVE_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?$")
_ZERO_DATE_PREFIX = "0000-00-00"
# Hand-written API examples carry hours without their leading zero ("2019-09-06T2:10:00-05:00").
_UNPADDED_HOUR = re.compile(r"^(\d{4}-\d{2}-\d{2}T)(\d:)")


def _declared_types(field_schema: Dict[str, Any]) -> List[str]:
    declared = field_schema.get("type", [])
    return [declared] if isinstance(declared, str) else list(declared)


def normalize_value(value: Any, field_schema: Dict[str, Any]) -> Any:
    """Finishes what the CDK's default cast could not do for one value.

    ``""`` in a non-string column -> ``None``; ``[]`` (PHP's empty map) in an object column ->
    ``None``; zero dates -> ``None``; naive timestamps ``2020-05-24 05:16:44`` -> ISO
    ``2020-05-24T05:16:44`` (still without a zone: the API writes them in the account's local
    time, which the record does not name); ``"12.0"`` in an integer column -> ``12``.
    """
    types = _declared_types(field_schema)
    if isinstance(value, list) and not value and "object" in types and "array" not in types:
        # PHP writes an empty map as [] (`links` when a record has none).
        return None
    if not isinstance(value, str):
        return value
    field_format = field_schema.get("format")
    if field_format in ("date-time", "date"):
        if value.startswith(_ZERO_DATE_PREFIX) or value == "":
            return None
        if field_format == "date-time" and _NAIVE_TIMESTAMP.match(value):
            return value.replace(" ", "T", 1)
        return _UNPADDED_HOUR.sub(r"\g<1>0\g<2>", value)
    if value == "" and "string" not in types:
        return None
    if "integer" in types and "string" not in types:
        try:
            as_float = float(value)
        except ValueError:
            return value
        if as_float.is_integer():
            return int(as_float)
    return value


class ActiveCampaignTypeTransformer(TypeTransformer):
    """The CDK's default schema normalisation followed by :func:`normalize_value`.

    Used in the manifest as ``schema_normalization: {type: CustomSchemaNormalization,
    class_name: source_activecampaign.normalization.ActiveCampaignTypeTransformer}``.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(
            TransformConfig.DefaultSchemaNormalization | TransformConfig.CustomSchemaNormalization
        )
        self.registerCustomTransform(normalize_value)
