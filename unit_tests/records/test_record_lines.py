"""RECORD lines written from their data are the CDK's, and other messages come after the records before them."""

import logging
from collections.abc import Iterator, Mapping
from typing import Any

import pytest
from airbyte_cdk.entrypoint import AirbyteEntrypoint
from airbyte_cdk.models import (
    AirbyteLogMessage,
    AirbyteMessage,
    AirbyteRecordMessage,
    AirbyteStateBlob,
    AirbyteStateMessage,
    AirbyteStateType,
    AirbyteStreamState,
    ConfiguredAirbyteCatalog,
    ConnectorSpecification,
    Level,
    StreamDescriptor,
    Type,
)
from airbyte_cdk.sources import Source
from airbyte_cdk.sources.utils.record_helper import stream_data_to_airbyte_message

from source_activecampaign.records.record_lines import BATCH_LINES, RecordLines
from source_activecampaign.run import ActiveCampaignEntrypoint

DATA: list[dict[str, Any]] = [
    {"id": 1, "email": "mikael.brown.1@example.test", "udate": "2020-05-24T05:16:44-05:00", "links": {"a": "/x"}},
    {"id": 2, "firstName": "Ömer", "lastName": "佐藤", "note": 'quote " and \\ and \n newline', "emoji": "🙂"},
    {"value": 12.5, "tiny": 1e-300, "huge": 1.7976931348623157e308, "negative": -0.0, "int": -(2**63)},
    {"flags": [True, False, None], "nested": {"deep": [{"a": []}, {}]}, "empty": "", "zero": 0},
    {"id": 3, "adate": None, "links": {"left": None}, "list": [None], "false": False},
    {"only": None},
    {},
]


def _record(data: Mapping[str, Any], stream: str = "contacts") -> AirbyteMessage:
    return stream_data_to_airbyte_message(stream_name=stream, data_or_message=data)


@pytest.mark.parametrize("data", DATA)
@pytest.mark.parametrize("stream", ["contacts", "custom_object_shop-order", 'odd "name"'])
def test_a_record_line_is_the_line_the_cdk_prints(data: dict[str, Any], stream: str) -> None:
    written: list[bytes] = []
    lines = RecordLines(written.append)
    message = _record(data, stream)

    assert lines.add(message)
    lines.flush()

    assert written == [(AirbyteEntrypoint.airbyte_message_to_string(message) + "\n").encode()]


@pytest.mark.parametrize(
    "message",
    [
        _record({"id": 2**70}),
        _record({1: "a key that is not a string"}),
        AirbyteMessage(type=Type.RECORD, record=AirbyteRecordMessage(stream="s", data={}, emitted_at=1, namespace="n")),
        AirbyteMessage(type=Type.RECORD, record=AirbyteRecordMessage(stream="s", data={}, emitted_at=1.5)),  # type: ignore[arg-type]
        AirbyteMessage(type=Type.LOG, log=AirbyteLogMessage(level=Level.INFO, message="hello")),
    ],
    ids=["int beyond 64 bits", "int key", "namespace", "float emitted_at", "log"],
)
def test_what_is_not_a_plain_record_is_left_to_the_cdk(message: AirbyteMessage) -> None:
    written: list[bytes] = []
    lines = RecordLines(written.append)
    assert not lines.add(message)
    lines.flush()
    assert written == []


def test_lines_are_written_a_batch_at_a_time() -> None:
    written: list[bytes] = []
    lines = RecordLines(written.append)
    for index in range(BATCH_LINES + 3):
        lines.add(_record({"id": index}))

    assert len(written) == 1 and written[0].count(b"\n") == BATCH_LINES
    lines.flush()
    assert len(written) == 2 and written[1].count(b"\n") == 3


def _state(stream: str) -> AirbyteMessage:
    return AirbyteMessage(
        type=Type.STATE,
        state=AirbyteStateMessage(
            type=AirbyteStateType.STREAM,
            stream=AirbyteStreamState(
                stream_descriptor=StreamDescriptor(name=stream), stream_state=AirbyteStateBlob(udate="x")
            ),
        ),
    )


class _Messages(Source):  # type: ignore[misc]
    """A source that emits the given messages, with what the entrypoint's progress reporter reads of
    ``SourceActivecampaign`` (a manifest of no streams: the summary counts every record all the same)."""

    resolved_manifest: Mapping[str, Any] = {"streams": []}
    planned_config: Mapping[str, Any] = {}
    planned_state: list[Any] | None = None

    def __init__(self, messages: list[AirbyteMessage]) -> None:
        self._messages = messages

    def spec(self, logger: logging.Logger) -> ConnectorSpecification:
        return ConnectorSpecification(connectionSpecification={"type": "object", "properties": {}})

    def check(self, logger: logging.Logger, config: Mapping[str, Any]) -> Any:
        raise NotImplementedError

    def discover(self, logger: logging.Logger, config: Mapping[str, Any]) -> Any:
        raise NotImplementedError

    def read(
        self, logger: logging.Logger, config: Mapping[str, Any], catalog: ConfiguredAirbyteCatalog, state: Any = None
    ) -> Iterator[AirbyteMessage]:
        yield from self._messages


def test_the_entrypoint_writes_records_before_the_state_that_follows_them_with_its_record_count(
    capsys: pytest.CaptureFixture[str],
) -> None:
    source = _Messages([_record({"id": 1}), _record({"id": 2}), _state("contacts"), _record({"id": 3})])
    entrypoint = ActiveCampaignEntrypoint(source)
    spec = source.spec(logging.getLogger())

    for message in entrypoint.read(spec, {}, ConfiguredAirbyteCatalog(streams=[]), []):
        print(AirbyteEntrypoint.airbyte_message_to_string(message))

    out = capsys.readouterr().out.splitlines()
    lines = [line for line in out if not line.startswith('{"type":"LOG"')]
    assert [line[:28] for line in lines] == ['{"type":"RECORD","record":{"'] * 2 + ['{"type":"STATE","state":{"ty'] + [
        '{"type":"RECORD","record":{"'
    ]
    assert '"sourceStats":{"recordCount":2.0}' in lines[2]
    assert '"data":{"id":3}' in lines[3]
    # The progress reporter saw each record before it was written: the sync's summary, the last line, counts 3.
    assert out[-1].startswith('{"type":"LOG","log":{"level":"INFO","message":"Sync summary: 0 streams, 3 records, ')
