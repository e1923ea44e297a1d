"""Normalises ActiveCampaign values to the types the stream schemas declare.

The API sends almost every scalar as a string (``"id": "5"``, ``"status": "0"``), stands in
empty strings for missing values, writes "no date" as ``0000-00-00 00:00:00`` and mixes
ISO timestamps with naive ``YYYY-MM-DD HH:MM:SS`` ones. The CDK's default normalisation casts
strings to the declared scalar type; this transformer runs it first and then handles what the
default leaves behind, so a record always matches its schema.
"""

import logging
import re
from collections.abc import Callable, Mapping
from typing import Any

from airbyte_cdk.sources.utils.transform import TransformConfig, TypeTransformer

logger = logging.getLogger("airbyte")

_NAIVE_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?$")
_ZERO_DATE_PREFIX = "0000-00-00"
# Hand-written API examples carry hours without their leading zero ("2019-09-06T2:10:00-05:00").
_UNPADDED_HOUR = re.compile(r"^(\d{4}-\d{2}-\d{2}T)(\d:)")


def _declared_types(field_schema: dict[str, Any]) -> list[str]:
    declared = field_schema.get("type", [])
    return [declared] if isinstance(declared, str) else list(declared)


def _normalize_date(value: str, date_time: bool) -> str | None:
    """A date or date-time string as :func:`normalize_value` gives it."""
    if value.startswith(_ZERO_DATE_PREFIX) or value == "":
        return None
    # Each pattern can match only with its separator at its place: most values skip both.
    if date_time and value[10:11] == " " and _NAIVE_TIMESTAMP.match(value):
        return value.replace(" ", "T", 1)
    return _UNPADDED_HOUR.sub(r"\g<1>0\g<2>", value) if value[12:13] == ":" else value


def normalize_value(value: Any, field_schema: dict[str, Any]) -> Any:
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
        return _normalize_date(value, field_format == "date-time")
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


_PYTHON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "object": (dict,),
    "array": (list,),
}


def _has_declared_type(value: Any, types: list[str]) -> bool:
    if value is None:
        return "null" in types or not types
    if isinstance(value, bool):
        return "boolean" in types
    return any(isinstance(value, _PYTHON_TYPES.get(declared, ())) for declared in types)


# Turns one value of one field into its normalised value (reporting a mismatch as _normalize does).
_Convert = Callable[[Any], Any]
# The booleans the API writes, as the CDK's default cast reads them (its strtobool).
_BOOLEAN_STRINGS = {"1": True, "0": False, "true": True, "false": False}


class ActiveCampaignTypeTransformer(TypeTransformer):
    """The CDK's default schema normalisation followed by :func:`normalize_value`.

    Used in the manifest as ``schema_normalization: {type: CustomSchemaNormalization,
    class_name: source_activecampaign.records.normalization.ActiveCampaignTypeTransformer}``.

    The CDK walks each record with a jsonschema validator, validating everything on the way: a third
    of the connector's CPU per record. The stream schemas use only ``type``, ``format``,
    ``properties`` and ``items``, so this walks them directly, applying the same casts in the same
    order (a parent value before its members). A value that still does not match its declared type
    is kept as it came and reported once per field, where the CDK warns for every record.

    Each schema is compiled once into one function per field (:meth:`_compile`): the shapes the
    schemas use (a nullable string, date-time, integer, boolean, object, array) take the values the
    API sends (a string, an int, null) straight to what the walk would give, and every other value
    goes through the walk itself (:meth:`_normalize`), so the two cannot differ.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(TransformConfig.DefaultSchemaNormalization | TransformConfig.CustomSchemaNormalization)
        self.registerCustomTransform(normalize_value)
        self._reported_paths: set[str] = set()
        # id(schema) -> (schema, its fields): a partition hands the same schema object with each
        # record; the schema is kept so that its id is not reused while it is here.
        self._plans: dict[int, tuple[Mapping[str, Any], list[tuple[str, _Convert]]]] = {}

    def transform(self, record: dict[str, Any], schema: Mapping[str, Any]) -> None:
        cached = self._plans.get(id(schema))
        fields = cached[1] if cached is not None and cached[0] is schema else self._plan(schema)
        for key, convert in fields:
            if key in record:
                record[key] = convert(record[key])

    def _plan(self, schema: Mapping[str, Any]) -> list[tuple[str, _Convert]]:
        fields = next((plan for known, plan in list(self._plans.values()) if known == schema), None)
        if fields is None:
            fields = self._compile_members(schema, "")
        if len(self._plans) >= 256:
            self._plans.clear()
        self._plans[id(schema)] = (schema, fields)
        return fields

    def _compile_members(self, schema: Mapping[str, Any], path: str) -> list[tuple[str, _Convert]]:
        properties = schema.get("properties")
        if not properties or not isinstance(properties, Mapping):
            return []
        return [(key, self._compile(field_schema, f"{path}{key}")) for key, field_schema in properties.items()]

    def _compile(self, field_schema: Mapping[str, Any], path: str) -> _Convert:
        """One field's normalisation: what :meth:`_normalize` does to a value, shortened for the usual ones."""

        def walk(value: Any) -> Any:
            return self._normalize(value, field_schema, path)

        if not isinstance(field_schema, Mapping):
            return walk
        types = set(_declared_types(field_schema))  # type: ignore[arg-type]
        if "null" not in types or len(types) != 2:
            return walk
        field_format = field_schema.get("format")
        properties = field_schema.get("properties")
        items = field_schema.get("items")
        if "string" in types and not properties and items is None:
            if field_format in ("date-time", "date"):
                date_time = field_format == "date-time"

                def timestamp(value: Any) -> Any:
                    if value is None:
                        return None
                    # str() of a str is itself, and normalize_value gives None or a str: always declared.
                    return _normalize_date(value, date_time) if type(value) is str else walk(value)

                return timestamp
            if field_format is None:

                def string(value: Any) -> Any:
                    return value if value is None or type(value) is str else walk(value)

                return string
        if "integer" in types and field_format is None and not properties and items is None:

            def integer(value: Any) -> Any:
                if value is None or type(value) is int:
                    return value
                if type(value) is str:
                    try:
                        return int(value)
                    except ValueError:
                        pass
                return walk(value)

            return integer
        if "boolean" in types and field_format is None and not properties and items is None:

            def boolean(value: Any) -> Any:
                if value is None or type(value) is bool:
                    return value
                if type(value) is str and value in _BOOLEAN_STRINGS:
                    return _BOOLEAN_STRINGS[value]
                return walk(value)

            return boolean
        if "object" in types and field_format is None and items is None:
            members = self._compile_members(field_schema, f"{path}.")

            def mapping(value: Any) -> Any:
                if value is None:
                    return None
                if type(value) is not dict:
                    return walk(value)
                for key, convert in members:
                    if key in value:
                        value[key] = convert(value[key])
                return value

            return mapping
        if "array" in types and field_format is None and not properties and isinstance(items, Mapping):
            item_schema = items
            known_items: dict[int, _Convert] = {}

            def item_at(index: int) -> _Convert:
                convert = known_items.get(index)
                if convert is None:
                    convert = known_items[index] = self._compile(item_schema, f"{path}.{index}")
                return convert

            def array(value: Any) -> Any:
                if value is None:
                    return None
                if type(value) is not list:
                    return walk(value)
                for index, item in enumerate(value):
                    value[index] = item_at(index)(item)
                return value

            return array
        return walk

    def _normalize_members(self, instance: Any, schema: Mapping[str, Any], path: str) -> None:
        properties = schema.get("properties")
        if properties and isinstance(instance, dict):
            for key, field_schema in properties.items():
                if key in instance:
                    instance[key] = self._normalize(instance[key], field_schema, f"{path}{key}")
        items = schema.get("items")
        if isinstance(items, Mapping) and isinstance(instance, list):
            for index, item in enumerate(instance):
                instance[index] = self._normalize(item, items, f"{path}{index}")

    def _normalize(self, value: Any, field_schema: Mapping[str, Any], path: str) -> Any:
        value = normalize_value(self.default_convert(value, field_schema), field_schema)  # type: ignore[arg-type]
        types = _declared_types(field_schema)  # type: ignore[arg-type]
        if types and not _has_declared_type(value, types) and path not in self._reported_paths:
            self._reported_paths.add(path)
            logger.warning(
                f"A value of '{path}' could not be turned into its declared type {types} and is passed on as "
                f"{type(value).__name__}; later ones at the same place are not reported."
            )
        if isinstance(value, (dict, list)):
            self._normalize_members(value, field_schema, f"{path}.")
        return value
