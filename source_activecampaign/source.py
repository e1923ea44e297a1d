from collections.abc import Mapping
from typing import Any

from airbyte_cdk.models import AirbyteStateMessage, ConfiguredAirbyteCatalog
from airbyte_cdk.sources.declarative.yaml_declarative_source import YamlDeclarativeSource

from source_activecampaign.packaged_files import manifest_path


class SourceActivecampaign(YamlDeclarativeSource):
    """The declarative source built from ``manifest.yaml``.

    The CDK reads config, catalog and state only from the constructor, and resolves a relative
    manifest path against the current directory first, so the path given here is absolute.
    """

    def __init__(
        self,
        catalog: ConfiguredAirbyteCatalog | None = None,
        config: Mapping[str, Any] | None = None,
        state: list[AirbyteStateMessage] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            path_to_yaml=str(manifest_path()),
            catalog=catalog,
            config=config,
            state=state,
            **kwargs,
        )
