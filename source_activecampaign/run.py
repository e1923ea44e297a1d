"""The command line entrypoint: ``source-activecampaign spec|check|discover|read ...``."""

import sys
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import orjson
from airbyte_cdk.entrypoint import AirbyteEntrypoint
from airbyte_cdk.logger import PRINT_BUFFER
from airbyte_cdk.models import (
    AirbyteErrorTraceMessage,
    AirbyteMessage,
    AirbyteMessageSerializer,
    AirbyteTraceMessage,
    ConnectorSpecification,
    FailureType,
    TraceType,
    Type,
)
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from source_activecampaign import progress
from source_activecampaign.config_checks import config_problems
from source_activecampaign.records.record_lines import RecordLines
from source_activecampaign.source import SourceActivecampaign


class ActiveCampaignEntrypoint(AirbyteEntrypoint):
    """The CDK's entrypoint, with config errors that name the field and say how to fix it, a read
    that reports its progress (estimates while it runs, a summary at its end), and RECORD lines
    written straight from their data (``records/record_lines.py``)."""

    source: SourceActivecampaign

    def read(
        self, source_spec: ConnectorSpecification, config: Mapping[str, Any], catalog: Any, state: list[Any]
    ) -> Iterable[AirbyteMessage]:
        """The CDK's read, its record counts on state messages and memory checks included, seen by
        the progress reporter message by message; the records are then written here, to standard
        output, and every other message goes on to ``run`` (which prints it after them)."""
        source = self.source
        reporter = progress.reporter_for_read(
            source.resolved_manifest, catalog, source.planned_state, source.planned_config
        )
        lines = RecordLines(_write_lines)
        try:
            for message in reporter.observe(super().read(source_spec, config, catalog, state)):
                if not lines.add(message):
                    lines.flush()
                    yield message
        finally:
            lines.flush()

    @staticmethod
    def validate_connection(source_spec: ConnectorSpecification, config: Mapping[str, Any]) -> None:
        problems = config_problems(config, source_spec.connectionSpecification)
        if problems:
            raise AirbyteTracedException(
                message=" ".join(problems),
                internal_message="The config does not match the connector's spec.",
                failure_type=FailureType.config_error,
            )


def _write_lines(lines: bytes) -> None:
    """Writes whole lines to standard output after whatever the CDK's print buffer holds.

    Inside ``run`` standard output is the CDK's print buffer, whose lock every message and log line
    is written under: under it, the buffer goes out first and the lines after it, as bytes.
    """
    if sys.stdout is PRINT_BUFFER and sys.__stdout__ is not None:
        with PRINT_BUFFER.lock:
            PRINT_BUFFER.flush()
            sys.__stdout__.buffer.write(lines)
    else:
        sys.stdout.write(lines.decode())


def _error_trace(message: str, internal_message: str) -> str:
    trace = AirbyteMessage(
        type=Type.TRACE,
        trace=AirbyteTraceMessage(
            type=TraceType.ERROR,
            emitted_at=time.time() * 1000,
            error=AirbyteErrorTraceMessage(
                message=message,
                internal_message=internal_message,
                failure_type=FailureType.config_error,
            ),
        ),
    )
    return orjson.dumps(AirbyteMessageSerializer.dump(trace)).decode()


class _UnreadableInput(Exception):
    def __init__(self, kind: str, path: str, error: Exception) -> None:
        super().__init__(f"{kind} file {path}: {type(error).__name__}: {error}")
        self.kind = kind
        self.path = path
        self.error = error


def _read_input(kind: str, path: str | None, reader: Callable[[str], Any]) -> Any:
    if not path:
        return None
    try:
        return reader(path)
    except Exception as error:
        raise _UnreadableInput(kind, path, error) from error


def _build_source(args: list[str]) -> SourceActivecampaign:
    config_path = AirbyteEntrypoint.extract_config(args)
    return SourceActivecampaign(
        config=_read_input("config", config_path, SourceActivecampaign.read_config),
        catalog=_read_input("catalog", AirbyteEntrypoint.extract_catalog(args), SourceActivecampaign.read_catalog),
        state=_read_input("state", AirbyteEntrypoint.extract_state(args), SourceActivecampaign.read_state),
        config_path=config_path,
    )


_INPUT_HINTS = {
    "config": "It must be a JSON object with the fields of the connector's spec (`spec` prints them).",
    "catalog": "It must be a JSON configured catalog, as `discover` output turned into one.",
    "state": (
        "It must be the JSON list of state messages a previous sync emitted. To start over, run the "
        "sync without --state: the streams then read from the start date."
    ),
}


def run(args: list[str] | None = None) -> None:
    args = sys.argv[1:] if args is None else args
    try:
        source = _build_source(args)
    except _UnreadableInput as unreadable:
        # Reported before the entrypoint exists: which file, why, and what it must hold.
        print(
            _error_trace(
                f"The {unreadable.kind} file {unreadable.path} could not be used: {str(unreadable.error).rstrip('.')}. "
                f"{_INPUT_HINTS[unreadable.kind]}",
                internal_message=repr(unreadable.error),
            )
        )
        sys.exit(1)
    entrypoint = ActiveCampaignEntrypoint(source)
    parsed_args = entrypoint.parse_args(args)
    with PRINT_BUFFER:
        for message in entrypoint.run(parsed_args):
            print(f"{message}\n", end="")
