"""The command line entrypoint: ``source-activecampaign spec|check|discover|read ...``."""

import sys
import time
from typing import Any, List, Mapping

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

from source_activecampaign.config_checks import config_problems
from source_activecampaign.source import SourceActivecampaign


class ActiveCampaignEntrypoint(AirbyteEntrypoint):
    """The CDK's entrypoint, with config errors that name the field and say how to fix it."""

    @staticmethod
    def validate_connection(source_spec: ConnectorSpecification, config: Mapping[str, Any]) -> None:
        problems = config_problems(config, source_spec.connectionSpecification)
        if problems:
            raise AirbyteTracedException(
                message=" ".join(problems),
                internal_message="The config does not match the connector's spec.",
                failure_type=FailureType.config_error,
            )


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


def _build_source(args: List[str]) -> SourceActivecampaign:
    config_path = AirbyteEntrypoint.extract_config(args)
    catalog_path = AirbyteEntrypoint.extract_catalog(args)
    state_path = AirbyteEntrypoint.extract_state(args)
    return SourceActivecampaign(
        config=SourceActivecampaign.read_config(config_path) if config_path else None,
        catalog=SourceActivecampaign.read_catalog(catalog_path) if catalog_path else None,
        state=SourceActivecampaign.read_state(state_path) if state_path else None,
        config_path=config_path,
    )


def run(args: List[str] | None = None) -> None:
    args = sys.argv[1:] if args is None else args
    try:
        source = _build_source(args)
    except Exception as error:
        # The config, catalog and state files are read and the manifest is built before the
        # entrypoint exists; say which input could not be used instead of a bare traceback.
        print(
            _error_trace(
                "The connector could not start: its config, catalog or state file could not be "
                f"read or used ({type(error).__name__}: {error}). Check that each file given on the "
                "command line exists and holds the JSON the Airbyte protocol describes.",
                internal_message=repr(error),
            )
        )
        sys.exit(1)
    entrypoint = ActiveCampaignEntrypoint(source)
    parsed_args = entrypoint.parse_args(args)
    with PRINT_BUFFER:
        for message in entrypoint.run(parsed_args):
            print(f"{message}\n", end="")
