"""What the cursor state migrations share: the stream's cursor field, and reading a cursor value."""

import logging
from collections.abc import Mapping
from dataclasses import InitVar, dataclass
from typing import Any

from airbyte_cdk.sources.declarative.interpolation.interpolated_string import InterpolatedString
from airbyte_cdk.sources.declarative.migrations.state_migration import StateMigration
from airbyte_cdk.sources.types import Config

from source_activecampaign.dates import utc_date_time

logger = logging.getLogger("airbyte")


def is_date_time(value: Any) -> bool:
    return utc_date_time(value) is not None


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
