"""Each stream's JSON schema, read from the file shipped with the package."""

import json
import logging
from collections.abc import Mapping
from dataclasses import InitVar, dataclass
from typing import Any

from airbyte_cdk.sources.declarative.schema.schema_loader import SchemaLoader
from airbyte_cdk.sources.types import Config

from source_activecampaign.packaged_files import schema_path

logger = logging.getLogger("airbyte")


@dataclass
class PackagedSchemaLoader(SchemaLoader):
    """Reads ``schemas/<stream name>.json``, the file shipped with the package.

    The schemas live one file per stream so that they can be reviewed and tested on their own; the
    CDK's own file loader is deprecated and looks only inside a ``source_*`` package. Streams made
    from one template (the custom-object streams) name their shared file with ``schema_name``.
    """

    config: Config
    parameters: InitVar[Mapping[str, Any]]
    schema_name: str = ""

    def __post_init__(self, parameters: Mapping[str, Any] | None) -> None:
        self._schema_name = self.schema_name or str((parameters or {})["name"])

    def get_json_schema(self) -> Mapping[str, Any]:
        with schema_path(self._schema_name).open(encoding="utf-8") as schema_file:
            schema: Mapping[str, Any] = json.load(schema_file)
        return schema
