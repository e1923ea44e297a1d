"""The contract between the contacts-pages plan and the manifest that reads it.

`source.py` puts a `ContactPagesPlan` into the config (`config['contact_pages']`); the manifest reads
its fields by name and picks each contact child's stream definition with a `ConditionalStreams` per
child and reading. Nothing at run time catches a name that differs (a missing key reads as empty), so
these tests hold the two together: the fields the manifest reads are the plan's, every child the plan
knows has its streams in the manifest and no other, each reading of each child yields exactly one
stream of the right definition, and the values `pages_plan.py` copies from the manifest are the
manifest's.
"""

import datetime
import re
from collections.abc import Iterator
from dataclasses import fields
from typing import Any, get_args

import pytest
import yaml
from airbyte_cdk.sources.declarative.interpolation.interpolated_boolean import InterpolatedBoolean
from airbyte_cdk.sources.declarative.interpolation.interpolated_string import InterpolatedString
from isodate import parse_duration

from source_activecampaign.contacts.pages_plan import (
    CHILDREN_ON_CONTACT_PAGES,
    CONFIG_KEY,
    LOOKBACK,
    STATE_DATETIME_FORMAT,
    SYNC_START_WITHOUT_START_DATE,
    ChildReading,
    ContactPagesPlan,
)
from source_activecampaign.dates import parse_date_time
from source_activecampaign.packaged_files import manifest_path

MANIFEST: dict[str, Any] = yaml.safe_load(manifest_path().read_text(encoding="utf-8"))
DEFINITIONS: dict[str, Any] = MANIFEST["definitions"]
PLAN_FIELDS = [plan_field.name for plan_field in fields(ContactPagesPlan)]
# Read by a component, not by the manifest: ReconciliationClock writes it into the state.
READ_BY_COMPONENTS = {"synced_at"}
# The definitions a child stream is built from when it reads pages; any other reading uses the
# child's own definition (its collection).
PAGES_DEFINITION_BY_READING = {
    "pages": "contact_child_pages_stream",
    "reconcile_pages": "contact_child_pages_stream",
    "changed": "contact_child_changed_pages_stream",
}

# How the manifest reads the plan: config.get('contact_pages', {}).get('<field>'[, <default>]), and
# for a child's reading .get('children', {}).get('<child>').
_LOOKUP = re.compile(rf"config\.get\('{CONFIG_KEY}', \{{\}}\)\.get\('(\w+)'(?:, [^)]*)?\)(?:\.get\('(\w+)'\))?")


def _strings(node: Any, where: str) -> Iterator[tuple[str, str]]:
    """Every string of the manifest, with where it is (``definitions.contacts_stream.name``)."""
    if isinstance(node, str):
        yield where, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, f"{where}.{key}" if where else str(key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _strings(value, f"{where}[{index}]")


def _plan_lookups() -> list[tuple[str, str, str]]:
    """(where, field, child) of every read of the plan in the manifest; child is '' but for `children`."""
    lookups = []
    for where, text in _strings(MANIFEST, ""):
        mentions = len(re.findall(rf"""['"]{CONFIG_KEY}['"]""", text))
        if not mentions:
            continue
        found = _LOOKUP.findall(text)
        assert len(found) == mentions, (
            f"manifest.yaml reads config['{CONFIG_KEY}'] at {where} in a form this test cannot check: {text!r}. "
            f"Write it as config.get('{CONFIG_KEY}', {{}}).get('<field>', <default>)."
        )
        lookups += [(where, plan_field, child) for plan_field, child in found]
    return lookups


def _children_in_conditions() -> set[str]:
    return {child for _, plan_field, child in _plan_lookups() if plan_field == "children"}


def _at(pointer: str) -> Any:
    node: Any = MANIFEST
    for part in pointer.removeprefix("#/").split("/"):
        node = node[part]
    return node


def _definition_and_name(entry: dict[str, Any]) -> tuple[str, str]:
    """The definition a `streams` entry is built from, and the name of the stream it makes."""
    definition = entry["$ref"].removeprefix("#/definitions/")
    parameters = entry.get("$parameters") or DEFINITIONS[definition].get("$parameters") or {}
    if "$ref" in parameters:
        parameters = _at(parameters["$ref"])
    return definition, parameters.get("name") or DEFINITIONS[definition].get("name")


def _streams_made(plan: ContactPagesPlan) -> list[tuple[str, str]]:
    """(definition, stream name) of each stream the manifest makes with this plan in the config,
    the conditions evaluated as the CDK evaluates them (config only)."""
    config = {CONFIG_KEY: plan.as_config()}
    entries: list[dict[str, Any]] = []
    for entry in MANIFEST["streams"]:
        if entry.get("type") == "ConditionalStreams":
            if InterpolatedBoolean(condition=entry["condition"], parameters={}).eval(config=config):
                entries += entry["streams"]
        else:
            entries.append(entry)
    return [_definition_and_name(entry) for entry in entries]


def _own_definitions(child: str) -> list[str]:
    """The definitions whose stream is named ``child``, the pages definitions aside."""
    return [
        name
        for name, definition in DEFINITIONS.items()
        if isinstance(definition, dict) and (definition.get("$parameters") or {}).get("name") == child
    ]


def test_given_the_manifest_then_every_field_of_the_plan_it_reads_is_a_field_the_plan_has() -> None:
    unknown = [(where, plan_field) for where, plan_field, _ in _plan_lookups() if plan_field not in PLAN_FIELDS]

    assert not unknown, (
        "manifest.yaml reads fields ContactPagesPlan does not have (they read as empty): "
        + "; ".join(f"config['{CONFIG_KEY}']['{plan_field}'] at {where}" for where, plan_field in unknown)
        + f". The plan's fields: {PLAN_FIELDS}."
    )


def test_given_the_plan_then_every_field_of_it_is_read_by_the_manifest_or_a_component() -> None:
    read = {plan_field for _, plan_field, _ in _plan_lookups()} | READ_BY_COMPONENTS

    unread = [plan_field for plan_field in PLAN_FIELDS if plan_field not in read]

    assert not unread, f"ContactPagesPlan has fields nothing in manifest.yaml reads: {unread}."


def test_given_the_manifest_then_its_conditions_name_exactly_the_children_on_contact_pages() -> None:
    in_manifest, in_plan = _children_in_conditions(), set(CHILDREN_ON_CONTACT_PAGES)

    assert in_plan <= in_manifest, (
        f"CHILDREN_ON_CONTACT_PAGES has {sorted(in_plan - in_manifest)}, which no ConditionalStreams condition of "
        f"manifest.yaml reads (config['{CONFIG_KEY}']['children'][<child>]): each child needs a block in `streams` "
        "for each way it is read (its pages, its changed contacts' pages, its own collection)."
    )
    assert in_manifest <= in_plan, (
        f"manifest.yaml's ConditionalStreams read the plan's children {sorted(in_manifest - in_plan)}, which "
        f"CHILDREN_ON_CONTACT_PAGES does not have: the plan never names them, so they always read their collection."
    )


@pytest.mark.parametrize("reading", [*get_args(ChildReading), None], ids=lambda reading: reading or "not selected")
@pytest.mark.parametrize("child", CHILDREN_ON_CONTACT_PAGES)
def test_given_a_childs_reading_in_the_plan_then_the_manifest_makes_exactly_one_stream_of_it_from_its_definition(
    child: str, reading: ChildReading | None
) -> None:
    plan = ContactPagesPlan(children={child: reading} if reading else {})
    own = _own_definitions(child)
    expected = PAGES_DEFINITION_BY_READING.get(reading or "", own[0] if len(own) == 1 else f"{child}_stream")

    made = [definition for definition, name in _streams_made(plan) if name == child]

    assert made == [expected], (
        f"With the plan's children {plan.as_config()['children']}, manifest.yaml makes stream '{child}' from "
        f"{made or 'no definition'}; expected exactly one, from {expected}. Its ConditionalStreams must read "
        f"config['{CONFIG_KEY}']['children']['{child}'] and compare it with the plan's readings "
        f"{get_args(ChildReading)}."
    )


@pytest.mark.parametrize("child", CHILDREN_ON_CONTACT_PAGES)
def test_given_a_child_on_contact_pages_then_its_definition_reads_the_include_and_cursor_the_plan_uses(
    child: str,
) -> None:
    include, cursor_field = CHILDREN_ON_CONTACT_PAGES[child]
    own = _own_definitions(child)
    assert len(own) == 1, f"manifest.yaml should define stream '{child}' once (its collection); found {own}."

    parameters = DEFINITIONS[own[0]]["$parameters"]

    assert (parameters.get("data_field"), parameters.get("cursor_field")) == (include, cursor_field), (
        f"CHILDREN_ON_CONTACT_PAGES['{child}'] is {(include, cursor_field)} (the include, the row cursor), but "
        f"definitions.{own[0]}.$parameters has data_field {parameters.get('data_field')!r} and cursor_field "
        f"{parameters.get('cursor_field')!r}."
    )


def test_given_the_values_pages_plan_copies_from_the_manifest_then_they_are_the_manifests() -> None:
    cursor = DEFINITIONS["client_side_cursor"]
    sync_start = InterpolatedString.create(DEFINITIONS["sync_start_datetime"], parameters={}).eval(config={})

    assert (LOOKBACK, STATE_DATETIME_FORMAT) == (
        parse_duration(cursor["lookback_window"]),
        cursor["datetime_format"],
    ), (
        f"pages_plan.py's LOOKBACK {LOOKBACK} and STATE_DATETIME_FORMAT {STATE_DATETIME_FORMAT!r} differ from "
        f"definitions.client_side_cursor's lookback_window {cursor['lookback_window']!r} and datetime_format "
        f"{cursor['datetime_format']!r}."
    )
    assert parse_date_time(sync_start) == SYNC_START_WITHOUT_START_DATE, (
        f"pages_plan.py's SYNC_START_WITHOUT_START_DATE {SYNC_START_WITHOUT_START_DATE} differs from "
        f"definitions.sync_start_datetime without a start date, {sync_start!r}."
    )
    assert SYNC_START_WITHOUT_START_DATE.tzinfo == datetime.timezone.utc
