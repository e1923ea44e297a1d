"""What the cursor state migrations share: the stream's cursor field, and reading a cursor value."""

import logging
from collections.abc import Mapping
from dataclasses import InitVar, dataclass
from datetime import datetime, timezone
from typing import Any

from airbyte_cdk.sources.declarative.interpolation.interpolated_string import InterpolatedString
from airbyte_cdk.sources.declarative.migrations.state_migration import StateMigration
from airbyte_cdk.sources.types import Config
from dateutil import parser as date_parser

logger = logging.getLogger("airbyte")


def as_date_time(value: Any) -> datetime | None:
    """``value`` read as an ISO date-time (naive means UTC, as the CDK reads it), or None when it is not
    one (a zero date, garbage, not a string)."""
    if not isinstance(value, str) or value.startswith("0000"):
        return None
    try:
        parsed = date_parser.isoparse(value)
    except (ValueError, OverflowError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def is_date_time(value: Any) -> bool:
    return as_date_time(value) is not None


@dataclass
class CursorStateMigration(StateMigration):
    """What the state migrations below are given: the stream's cursor field (``{{ parameters['cursor_field'] }}``
    in the manifest) and its parameters, which name the stream in their warnings."""

    cursor_field: str
    config: Config
    parameters: InitVar[Mapping[str, Any]]

    def __post_init__(self, parameters: Mapping[str, Any] | None) -> None:
        self._parameters = parameters or {}
        self._cursor_field = str(
            InterpolatedString.create(self.cursor_field, parameters=self._parameters).eval(self.config)
        )
