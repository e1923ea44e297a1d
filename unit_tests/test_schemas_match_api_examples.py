"""The stream schemas against documented and real ActiveCampaign response bodies.

Every record of the bodies written down in ``unit_tests/api_facts.py`` (the API's value forms, each
with its public source), and of the example bodies of ``../shared/ac_api_examples`` when present
(live recordings, anonymised real-account responses and documentation examples), is run through
the connector's ``ActiveCampaignTypeTransformer`` with its stream's schema, exactly as a sync does,
and must then:

1. validate against the schema (Draft-07);
2. hold ISO values in every ``date-time``/``date`` column, at any depth (or null);
3. hold real ints, floats and bools in every integer/number/boolean column, at any depth: the
   transformer only logs a warning when a cast fails, so a string that survives is caught here;
4. declare every top-level key the API sent, so nothing reaches the warehouse untyped (except the
   documented ``UNDECLARED_KEYS_ALLOWED``).

The facts run on every run, and each also says what some of its values must become. The example
bodies live beside the repository, not in it; without them only their cases skip.
"""

import copy
import json
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator

from source_activecampaign.records.normalization import ActiveCampaignTypeTransformer
from unit_tests.api_facts import API_FACTS, REFERENCE, ApiFact

SCHEMAS_DIR = Path(__file__).resolve().parents[1] / "schemas"
EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "shared" / "ac_api_examples"

# Streams added with the endpoints the API reference leaves out (or shows without an example body);
# their schemas follow the reference and the schemas of singer-io/tap-activecampaign.
NEW_STREAMS_WITHOUT_EXAMPLES = (
    "activities",
    "automation_blocks",
    "campaign_lists",
    "campaign_messages",
    "configs",
    "contact_data",
    "contact_emails",
    "contact_conversions",
    "conversions",
    "conversion_triggers",
    "deal_group_users",
    "ecommerce_order_activities",
    "email_activities",
    "goals",
    "site_messages",
    "sms",
    "tasktype_outcome_rels",
    "site_tracking_domains",
    "group_limits",
)

STREAMS = (
    "contacts",
    "deals",
    "deal_pipelines",
    "deal_stages",
    "accounts",
    "campaigns",
    "lists",
    "tags",
    "contact_tags",
    "custom_fields",
    "custom_field_values",
    "forms",
    "segments",
    "notes",
    "tasks",
    "automations",
    "users",
    "contact_lists",
    "contact_automations",
    "contact_deals",
    "account_contacts",
    "account_custom_fields",
    "account_custom_field_values",
    "deal_custom_fields",
    "deal_custom_field_values",
    "custom_field_options",
    "deal_activities",
    "task_types",
    "deal_roles",
    "messages",
    "campaign_links",
    "groups",
    "webhooks",
    "addresses",
    "brandings",
    "calendars",
    "scores",
    "saved_responses",
    "templates",
    "ecommerce_connections",
    "ecommerce_customers",
    "ecommerce_orders",
    "ecommerce_order_products",
    "bounce_logs",
    "custom_field_rels",
    "task_outcomes",
    *NEW_STREAMS_WITHOUT_EXAMPLES,
)

# The columns every custom-object stream has; each stream adds its schema's fields (manifest
# `dynamic_streams`).
STREAM_TEMPLATES = ("custom_objects",)

# stream -> (example file, key holding its records). The key is the plural list key, the singular
# key of a `_by_id` body, or a sideload: `/contacts/{id}` sideloads the contact's list
# memberships, automations, deals and field values, `/dealGroups` sideloads `dealStages`, and
# custom_field_options exists only as the `fieldOptions` sideload of `/fields`.
EXAMPLES: dict[str, tuple[tuple[str, str], ...]] = {
    "contacts": (
        ("contacts__acdocs.json", "contacts"),
        ("contacts__mhenrixon-vcr.json", "contacts"),
        ("contact_by_id__acdocs.json", "contact"),
        ("contact_by_id__mhenrixon-vcr.json", "contact"),
        ("contact_by_id__sourcelab-java.json", "contact"),
    ),
    "deals": (
        ("deals__acdocs.json", "deals"),
        ("deals_empty__mhenrixon-vcr.json", "deals"),
        ("deals_partial_access__mhenrixon-vcr.json", "deals"),
        ("deal_by_id__acdocs.json", "deal"),
        ("deal_by_id__mhenrixon-vcr.json", "deal"),
        ("deal_by_id_no_pipeline_permission__acdocs.json", "deal"),
        ("contact_deals__acdocs.json", "deals"),
        ("contact_deals__varunraja-jest.json", "deals"),
        ("contact_by_id__acdocs.json", "deals"),
    ),
    "deal_pipelines": (
        ("dealGroups__acdocs.json", "dealGroups"),
        ("dealGroups__mhenrixon-vcr.json", "dealGroups"),
        ("dealGroup_by_id__acdocs.json", "dealGroup"),
        ("dealGroup_by_id__mhenrixon-vcr.json", "dealGroup"),
    ),
    "deal_stages": (
        ("dealStages__acdocs.json", "dealStages"),
        ("dealStages__mhenrixon-vcr.json", "dealStages"),
        ("dealStage_by_id__mhenrixon-vcr.json", "dealStage"),
        ("dealGroups__acdocs.json", "dealStages"),
        ("dealGroups__mhenrixon-vcr.json", "dealStages"),
        ("dealGroup_by_id__acdocs.json", "dealStages"),
        ("dealGroup_by_id__mhenrixon-vcr.json", "dealStages"),
    ),
    "accounts": (
        ("accounts__acdocs.json", "accounts"),
        ("accounts__mhenrixon-vcr.json", "accounts"),
        ("accounts__sourcelab-java.json", "accounts"),
        ("accounts_empty__mhenrixon-vcr.json", "accounts"),
        ("account_by_id__mhenrixon-vcr.json", "account"),
        ("account_by_id__sourcelab-java.json", "account"),
    ),
    "campaigns": (("campaigns__acdocs.json", "campaigns"),),
    "lists": (
        ("lists__acdocs.json", "lists"),
        ("lists__mhenrixon-vcr.json", "lists"),
        ("lists_empty__mhenrixon-vcr.json", "lists"),
        ("list_by_id__mhenrixon-vcr.json", "list"),
    ),
    "tags": (
        ("tags__acdocs.json", "tags"),
        ("tags__mhenrixon-vcr.json", "tags"),
        ("tag_by_id__mhenrixon-vcr.json", "tag"),
    ),
    "contact_tags": (
        ("contactTags__mhenrixon-vcr.json", "contactTags"),
        ("contactTag_by_id__mhenrixon-vcr.json", "contactTag"),
        ("contact_contactTags__mhenrixon-vcr.json", "contactTags"),
        ("contact_contactTags__varunraja-jest.json", "contactTags"),
    ),
    "custom_fields": (
        ("fields__acdocs.json", "fields"),
        ("fields__mhenrixon-vcr.json", "fields"),
        ("field_by_id__mhenrixon-vcr.json", "field"),
    ),
    "custom_field_values": (
        ("fieldValues__acdocs.json", "fieldValues"),
        ("fieldValues__mhenrixon-vcr.json", "fieldValues"),
        ("fieldValues_filtered_empty__mhenrixon-vcr.json", "fieldValues"),
        ("fieldValues_filtered_val__mhenrixon-vcr.json", "fieldValues"),
        ("fieldValue_by_id__mhenrixon-vcr.json", "fieldValue"),
        ("contact_fieldValues__acdocs.json", "fieldValues"),
        ("contact_by_id__acdocs.json", "fieldValues"),
    ),
    "forms": (("forms__acdocs.json", "forms"),),
    "segments": (),
    "notes": (("notes__acdocs.json", "notes"),),
    "tasks": (("dealTasks__acdocs.json", "dealTasks"),),
    "automations": (("automations__acdocs.json", "automations"),),
    "users": (
        ("users__acdocs.json", "users"),
        ("users__mhenrixon-vcr.json", "users"),
        ("users_me__acdocs.json", "user"),
        ("users_me__mhenrixon-vcr.json", "user"),
        ("user_by_id__mhenrixon-vcr.json", "user"),
    ),
    "contact_lists": (
        ("contact_contactLists__acdocs.json", "contactLists"),
        ("contact_by_id__acdocs.json", "contactLists"),
        ("contact_by_id__sourcelab-java.json", "contactLists"),
    ),
    "contact_automations": (
        ("contactAutomations__acdocs.json", "contactAutomations"),
        ("contact_contactAutomations__acdocs.json", "contactAutomations"),
        ("contact_by_id__acdocs.json", "contactAutomations"),
    ),
    "contact_deals": (("contactDeals__acdocs.json", "contactDeals"),),
    "account_contacts": (
        ("accountContacts__acdocs.json", "accountContacts"),
        ("accountContacts__mhenrixon-vcr.json", "accountContacts"),
        ("accountContacts_empty__mhenrixon-vcr.json", "accountContacts"),
        ("accountContact_by_id__mhenrixon-vcr.json", "accountContact"),
    ),
    "account_custom_fields": (("accountCustomFieldMeta__acdocs.json", "accountCustomFieldMeta"),),
    "account_custom_field_values": (("accountCustomFieldData__acdocs.json", "accountCustomFieldData"),),
    "deal_custom_fields": (
        ("dealCustomFieldMeta__acdocs.json", "dealCustomFieldMeta"),
        ("dealCustomFieldMeta__mhenrixon-vcr.json", "dealCustomFieldMeta"),
        ("dealCustomFieldMeta_by_id__mhenrixon-vcr.json", "dealCustomFieldMetum"),
    ),
    "deal_custom_field_values": (
        ("dealCustomFieldData__acdocs.json", "dealCustomFieldData"),
        ("dealCustomFieldData__mhenrixon-vcr.json", "dealCustomFieldData"),
        ("dealCustomFieldData_by_id__mhenrixon-vcr.json", "dealCustomFieldDatum"),
    ),
    "custom_field_options": (
        ("fieldOption_by_id__mhenrixon-vcr.json", "fieldOption"),
        ("fields__acdocs.json", "fieldOptions"),
        ("fields__mhenrixon-vcr.json", "fieldOptions"),
        ("field_by_id__mhenrixon-vcr.json", "fieldOptions"),
    ),
    "deal_activities": (("dealActivities__acdocs.json", "dealActivities"),),
    "task_types": (("dealTasktypes__acdocs.json", "dealTasktypes"),),
    "deal_roles": (("dealRoles__acdocs.json", "dealRoles"),),
    "messages": (("messages__acdocs.json", "messages"),),
    "campaign_links": (("campaign_links__acdocs.json", "links"),),
    "groups": (
        ("groups__acdocs.json", "groups"),
        ("groups__mhenrixon-vcr.json", "groups"),
        ("group_by_id__mhenrixon-vcr.json", "group"),
    ),
    "webhooks": (("webhooks__acdocs.json", "webhooks"),),
    "addresses": (
        ("addresses__acdocs.json", "addresses"),
        ("addresses__mhenrixon-vcr.json", "addresses"),
        ("address_by_id__mhenrixon-vcr.json", "address"),
    ),
    "brandings": (("brandings__acdocs.json", "brandings"),),
    "calendars": (("calendars__acdocs.json", "calendars"),),
    "scores": (("scores__acdocs.json", "scores"),),
    "saved_responses": (("savedResponses__acdocs.json", "savedResponses"),),
    "templates": (("template_by_id__acdocs.json", "template"),),
    "ecommerce_connections": (("connections__acdocs.json", "connections"),),
    "ecommerce_customers": (("ecomCustomers__acdocs.json", "ecomCustomers"),),
    "ecommerce_orders": (("ecomOrders__acdocs.json", "ecomOrders"),),
    "ecommerce_order_products": (("ecomOrderProducts__acdocs.json", "ecomOrderProducts"),),
    "bounce_logs": (("contact_bounceLogs__acdocs.json", "bounceLogs"),),
    "custom_field_rels": (
        ("fieldRel_by_id__mhenrixon-vcr.json", "fieldRel"),
        ("fields__acdocs.json", "fieldRels"),
        ("fields__mhenrixon-vcr.json", "fieldRels"),
        ("field_by_id__mhenrixon-vcr.json", "fieldRels"),
    ),
    "task_outcomes": (("taskOutcomes__acdocs.json", "taskOutcomes"),),
    **dict.fromkeys(NEW_STREAMS_WITHOUT_EXAMPLES, ()),
}

# Streams with no example body anywhere; their schemas follow the reference and peer connectors.
STREAMS_WITHOUT_EXAMPLES = {"segments", *NEW_STREAMS_WITHOUT_EXAMPLES}

# Example files that hold no records of any stream, with the reason.
NOT_STREAM_EXAMPLES = {
    "webhook_events__acdocs.json": "rows are bare event names, not records",
}
NOT_STREAM_PREFIXES = {
    "error_": "error bodies",
    "http_exchange_": "full HTTP exchanges whose bodies duplicate other files",
}

# Fields the connector adds to records of child streams, with a value of the type it writes.
CONNECTOR_FIELDS: dict[str, dict[str, Any]] = {
    "deal_stages": {"pipeline_id": 13},
    "campaign_links": {"campaign_id": 1},
    "ecommerce_order_products": {"order_id": 1},
}

# (stream, top-level key) the schema may leave undeclared, with the reason. Empty: every key the
# example bodies carry is typed.
UNDECLARED_KEYS_ALLOWED: dict[tuple[str, str], str] = {}

# Properties that may have more than one non-null type (the CDK does not cast these).
MULTI_TYPED_PROPERTIES = {
    "links": "an object of URLs, or a PHP empty array `[]`",
    "cfields": "form fields: an array, sometimes sent as an object",
}

PYTHON_TYPES = {"integer": (int,), "number": (int, float), "boolean": (bool,)}


def _load_schema(stream: str) -> dict[str, Any]:
    return json.loads((SCHEMAS_DIR / f"{stream}.json").read_text())


def _require_examples() -> None:
    if not EXAMPLES_DIR.is_dir():
        pytest.skip(
            f"ActiveCampaign example bodies not found at {EXAMPLES_DIR}; they live beside the "
            "repository in ../shared/ and are not shipped with it"
        )


def _records(file_name: str, key: str) -> list[dict[str, Any]]:
    body = json.loads((EXAMPLES_DIR / file_name).read_text())
    assert key in body, f"{file_name} has no `{key}` key (top-level keys: {sorted(body)})"
    value = body[key]
    return value if isinstance(value, list) else [value]


def _non_null_types(subschema: Mapping[str, Any]) -> list[str]:
    declared = subschema.get("type", [])
    declared = [declared] if isinstance(declared, str) else declared
    return [t for t in declared if t != "null"]


def _walk(subschema: Mapping[str, Any], value: Any, path: str) -> Iterator[tuple[str, Mapping[str, Any], Any]]:
    """Yields (path, schema, value) for every declared property and array item present in value."""
    if isinstance(value, dict):
        for name, property_schema in subschema.get("properties", {}).items():
            if name in value:
                child_path = f"{path}.{name}" if path else name
                yield child_path, property_schema, value[name]
                yield from _walk(property_schema, value[name], child_path)
    elif isinstance(value, list) and isinstance(subschema.get("items"), dict):
        for index, item in enumerate(value):
            yield f"{path}[{index}]", subschema["items"], item
            yield from _walk(subschema["items"], item, f"{path}[{index}]")


def _schema_nodes(subschema: Mapping[str, Any], path: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    for name, property_schema in subschema.get("properties", {}).items():
        child_path = f"{path}.{name}" if path else name
        yield child_path, property_schema
        yield from _schema_nodes(property_schema, child_path)
    if isinstance(subschema.get("items"), dict):
        yield f"{path}[]", subschema["items"]
        yield from _schema_nodes(subschema["items"], f"{path}[]")


def _normalised(stream: str, record: Mapping[str, Any], schema: Mapping[str, Any]) -> dict[str, Any]:
    normalised = copy.deepcopy(dict(record))
    normalised.update(CONNECTOR_FIELDS.get(stream, {}))
    ActiveCampaignTypeTransformer().transform(normalised, schema)
    return normalised


def _problems(stream: str, record: Mapping[str, Any], schema: Mapping[str, Any]) -> list[str]:
    normalised = _normalised(stream, record, schema)
    problems = [
        f"schema: {'.'.join(map(str, error.absolute_path)) or '<record>'}: {error.message}"
        for error in Draft7Validator(schema).iter_errors(normalised)
    ]
    for path, subschema, value in _walk(schema, normalised, ""):
        if value is None:
            continue
        field_format = subschema.get("format")
        if field_format in ("date-time", "date"):
            parse = datetime.fromisoformat if field_format == "date-time" else date.fromisoformat
            try:
                parse(value)
            except (TypeError, ValueError):
                problems.append(f"{field_format}: {path} = {value!r} does not parse")
        types = _non_null_types(subschema)
        if len(types) == 1 and types[0] in PYTHON_TYPES:
            wanted = PYTHON_TYPES[types[0]]
            is_bool = isinstance(value, bool)
            if not isinstance(value, wanted) or (is_bool and types[0] != "boolean"):
                problems.append(f"{types[0]}: {path} = {value!r} ({type(value).__name__}) survived normalisation")
    for key in record:
        if key not in schema["properties"] and (stream, key) not in UNDECLARED_KEYS_ALLOWED:
            problems.append(f"undeclared: top-level key `{key}` = {json.dumps(record[key])[:60]}")
    return problems


def _example_cases() -> list[Any]:
    return [
        pytest.param(stream, file_name, key, id=f"{stream}:{file_name}")
        for stream, examples in EXAMPLES.items()
        for file_name, key in examples
    ]


@pytest.mark.parametrize("stream, file_name, key", _example_cases())
def test_example_records_normalise_into_valid_typed_records(stream: str, file_name: str, key: str) -> None:
    _require_examples()
    schema = _load_schema(stream)
    problems = [
        f"record {index}: {problem}"
        for index, record in enumerate(_records(file_name, key))
        for problem in _problems(stream, record, schema)
    ]
    assert not problems, f"{stream} vs {file_name}[{key}]:\n" + "\n".join(problems)


@pytest.mark.parametrize("fact", API_FACTS, ids=lambda fact: fact.name)
def test_api_fact_records_normalise_into_valid_typed_records(fact: ApiFact) -> None:
    schema = _load_schema(fact.stream)
    problems = [
        f"record {index}: {problem}"
        for index, record in enumerate(fact.records)
        for problem in _problems(fact.stream, record, schema)
    ]
    assert not problems, f"{fact.stream} vs the fact {fact.name!r}:\n" + "\n".join(problems)
    normalised = _normalised(fact.stream, fact.records[0], schema)
    assert {name: normalised.get(name, "<absent>") for name in fact.expected} == dict(fact.expected)


def test_api_facts_show_every_value_form_the_api_writes() -> None:
    """Together the facts hold each form a schema and its normalisation must take."""
    forms = {
        "a string id": lambda name, value: name == "id" and isinstance(value, str) and value.isdigit(),
        "a numeric string": lambda name, value: name != "id" and isinstance(value, str) and value.isdigit(),
        "a zero date": lambda name, value: value == "0000-00-00",
        "a zero date-time": lambda name, value: value == "0000-00-00 00:00:00",
        "a naive timestamp": lambda name, value: isinstance(value, str) and _is_naive_timestamp(value),
        "ISO with the account's offset": lambda name, value: isinstance(value, str) and value.endswith("-05:00"),
        "ISO in UTC": lambda name, value: isinstance(value, str) and value.endswith("+00:00"),
        "[] for an empty object": lambda name, value: name == "links" and value == [],
        "null": lambda name, value: value is None,
        "an empty string": lambda name, value: value == "",
        "a real int": lambda name, value: type(value) is int,
        "a real bool": lambda name, value: type(value) is bool,
    }
    values = [(name, value) for fact in API_FACTS for record in fact.records for name, value in record.items()]
    missing = [form for form, matches in forms.items() if not any(matches(name, value) for name, value in values)]
    assert missing == []


def _is_naive_timestamp(value: str) -> bool:
    try:
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").year > 1
    except ValueError:
        return False


def test_every_api_fact_names_its_public_source_and_a_stream_with_a_schema() -> None:
    for fact in API_FACTS:
        emulator_module = fact.source.split(" ", 1)[0]
        assert fact.source.startswith(f"{REFERENCE}/") or (
            emulator_module.startswith("activecampaign_emulator/") and (SCHEMAS_DIR.parent / emulator_module).is_file()
        ), f"{fact.name}: {fact.source}"
        assert fact.stream in STREAMS, fact.name
        assert fact.records, fact.name


def test_every_example_file_is_checked_or_excluded_with_a_reason() -> None:
    _require_examples()
    mapped = {file_name for examples in EXAMPLES.values() for file_name, _ in examples}
    unaccounted = sorted(
        path.name
        for path in EXAMPLES_DIR.glob("*.json")
        if path.name not in mapped
        and path.name not in NOT_STREAM_EXAMPLES
        and not path.name.startswith(tuple(NOT_STREAM_PREFIXES))
    )
    assert not unaccounted, f"example files neither mapped to a stream nor excluded: {unaccounted}"
    missing = sorted(name for name in mapped | set(NOT_STREAM_EXAMPLES) if not (EXAMPLES_DIR / name).is_file())
    assert not missing, f"example files named here but absent: {missing}"


def test_example_map_covers_every_stream() -> None:
    assert set(EXAMPLES) == set(STREAMS)
    assert {stream for stream, examples in EXAMPLES.items() if not examples} == STREAMS_WITHOUT_EXAMPLES


def test_schemas_folder_holds_one_valid_draft7_schema_per_stream() -> None:
    assert len(STREAMS) == 65
    assert sorted(path.name for path in SCHEMAS_DIR.iterdir()) == sorted(
        f"{stream}.json" for stream in STREAMS + STREAM_TEMPLATES
    )
    for stream in STREAMS + STREAM_TEMPLATES:
        schema = _load_schema(stream)
        Draft7Validator.check_schema(schema)
        assert schema["$schema"] == "http://json-schema.org/draft-07/schema#", stream
        assert schema["type"] == "object", stream
        assert schema["additionalProperties"] is True, stream
        assert schema["properties"], stream


@pytest.mark.parametrize("stream", STREAMS + STREAM_TEMPLATES)
def test_schema_follows_the_typing_conventions(stream: str) -> None:
    schema = _load_schema(stream)
    assert "required" not in schema, f"{stream}: the API omits fields, so nothing is required"
    for path, subschema in _schema_nodes(schema, ""):
        assert "required" not in subschema, f"{stream}.{path}: the API omits fields, so nothing is required"
        declared = subschema.get("type")
        if declared is None:
            continue
        assert "null" in declared, f"{stream}.{path}: not nullable"
        name = path.rsplit(".", 1)[-1]
        if name not in MULTI_TYPED_PROPERTIES:
            assert len(_non_null_types(subschema)) == 1, f"{stream}.{path}: more than one non-null type"
        if subschema.get("format") == "date-time":
            assert subschema.get("airbyte_type") in (
                "timestamp_with_timezone",
                "timestamp_without_timezone",
            ), f"{stream}.{path}: date-time without airbyte_type"


def test_restricted_deal_row_validates() -> None:
    """Without pipeline permission the API sends only title, id and isDisabled (recorded live)."""
    schema = _load_schema("deals")
    row = {"title": "Bogus Deal", "id": "1", "isDisabled": True}
    ActiveCampaignTypeTransformer().transform(row, schema)
    assert row == {"title": "Bogus Deal", "id": 1, "isDisabled": True}
    assert not list(Draft7Validator(schema).iter_errors(row))
