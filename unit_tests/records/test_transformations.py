"""The fields copied without a template per record are the fields the manifest's AddFields wrote."""

import copy
from typing import Any

import pytest
from airbyte_cdk.sources.declarative.transformations.add_fields import AddedFieldDefinition, AddFields
from airbyte_cdk.sources.types import StreamSlice

from source_activecampaign.records.transformations import CopyFields, TruncateFractionDigits


def _add_fields(path: str, value: str, condition: str = "") -> AddFields:
    definition = AddedFieldDefinition(path=[path], value=value, value_type=str, parameters={})
    return AddFields(fields=[definition], condition=condition, parameters={})


# What the API sends in a timestamp field, and what could come instead.
VALUES: list[Any] = [
    "2019-05-26 12:32:01",
    "2019-05-26T12:32:01-05:00",
    "2021-04-16T16:13:12.022671090Z",
    "2021-04-16T16:13:12.5Z",
    "0000-00-00 00:00:00",
    "",
    None,
    "2019",
    "12",
    "'quoted'",
    ' "double"',
    "u'prefixed'",
    "b'bytes'",
    "[1, 2]",
    "None",
    5,
    1.5,
    True,
    {"a": 1},
    [],
]
MISSING = object()


def _records(target: str, source: str) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    for value in [*VALUES, MISSING]:
        for present in [None, "", "2020-01-01 00:00:00", MISSING]:
            record: dict[str, Any] = {"id": 1}
            if value is not MISSING:
                record[source] = value
            if present is not MISSING:
                record[target] = present
            records.append(record)
    return records


def test_a_creation_time_standing_in_for_an_empty_update_time_is_written_as_add_fields_wrote_it() -> None:
    ours = CopyFields(config={}, parameters={}, record_fields={"mdate": "cdate"}, only_when_empty=True)
    theirs = _add_fields("mdate", "{{ record['cdate'] }}", "{{ not record.get('mdate') and record.get('cdate') }}")
    for record in _records("mdate", "cdate"):
        by_us, by_cdk = copy.deepcopy(record), copy.deepcopy(record)
        ours.transform(by_us, config={})
        theirs.transform(by_cdk, config={})
        assert by_us == by_cdk, record


def test_a_record_field_copied_always_is_written_as_add_fields_wrote_it() -> None:
    ours = CopyFields(config={}, parameters={}, record_fields={"order_id": "orderid"})
    theirs = _add_fields("order_id", "{{ record['orderid'] }}")
    for record in _records("order_id", "orderid"):
        by_us, by_cdk = copy.deepcopy(record), copy.deepcopy(record)
        ours.transform(by_us, config={})
        theirs.transform(by_cdk, config={})
        assert by_us == by_cdk, record


@pytest.mark.parametrize("value", [*VALUES, MISSING])
def test_a_partition_value_is_written_as_add_fields_wrote_it(value: Any) -> None:
    partition = {"parent_slice": {}} | ({"pipeline_id": value} if value is not MISSING else {})
    stream_slice = StreamSlice(partition=partition, cursor_slice={})
    ours = CopyFields(config={}, parameters={}, partition_fields={"pipeline_id": "pipeline_id"})
    theirs = _add_fields("pipeline_id", "{{ stream_partition['pipeline_id'] }}")
    by_us, by_cdk = {"id": 1}, {"id": 1}
    ours.transform(by_us, config={}, stream_slice=stream_slice)
    theirs.transform(by_cdk, config={}, stream_slice=stream_slice)
    assert by_us == by_cdk


def test_fractions_are_cut_to_microseconds_as_add_fields_cut_them() -> None:
    ours = TruncateFractionDigits(config={}, parameters={}, fields=["createdTimestamp", "updatedTimestamp"])
    template = (
        "{{ record['%s'] | regex_replace('(\\\\.\\\\d{6})\\\\d+', '\\\\1') if record.get('%s') is string else '' }}"
    )
    definitions = [
        AddedFieldDefinition(path=[name], value=template % (name, name), value_type=str, parameters={})
        for name in ("createdTimestamp", "updatedTimestamp")
    ]
    theirs = AddFields(fields=definitions, condition="{{ value }}", parameters={})
    for record in _records("createdTimestamp", "updatedTimestamp"):
        by_us, by_cdk = copy.deepcopy(record), copy.deepcopy(record)
        ours.transform(by_us, config={})
        theirs.transform(by_cdk, config={})
        assert by_us == by_cdk, record
    cut = {"updatedTimestamp": "2021-04-16T16:13:12.022671090Z"}
    ours.transform(cut, config={})
    assert cut == {"updatedTimestamp": "2021-04-16T16:13:12.022671Z"}
