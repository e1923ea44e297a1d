import datetime
import logging
from collections.abc import Iterator, Mapping
from typing import Any

from airbyte_cdk.models import AirbyteMessage, AirbyteStateMessage, ConfiguredAirbyteCatalog
from airbyte_cdk.sources.declarative.models.declarative_component_schema import Rate as RateModel
from airbyte_cdk.sources.declarative.yaml_declarative_source import YamlDeclarativeSource
from airbyte_cdk.sources.streams.call_rate import Rate

from source_activecampaign.contacts.pages_plan import plan_contact_pages
from source_activecampaign.http.rate_share import AccountShareCallRatePolicy, AccountShareHttpAPIBudget
from source_activecampaign.packaged_files import manifest_path


class SourceActivecampaign(YamlDeclarativeSource):
    """The declarative source built from ``manifest.yaml``.

    The CDK reads config, catalog and state only from the constructor, and resolves a relative
    manifest path against the current directory first, so the path given here is absolute.

    Which streams read the contacts pages in this sync depends on the catalog and the state, which
    the manifest cannot see: the plan (`contact_pages_plan`) goes into the config it reads.
    """

    def __init__(
        self,
        catalog: ConfiguredAirbyteCatalog | None = None,
        config: Mapping[str, Any] | None = None,
        state: list[AirbyteStateMessage] | None = None,
        **kwargs: Any,
    ) -> None:
        if config is not None:
            now = datetime.datetime.now(datetime.timezone.utc)
            config = {**config, "contact_pages": plan_contact_pages(config, catalog, state, now)}
        super().__init__(
            path_to_yaml=str(manifest_path()),
            catalog=catalog,
            config=config,
            state=state,
            **kwargs,
        )

    def read(
        self,
        logger: logging.Logger,
        config: Mapping[str, Any],
        catalog: ConfiguredAirbyteCatalog,
        state: list[AirbyteStateMessage] | None = None,
    ) -> Iterator[AirbyteMessage]:
        """Builds only the streams the catalog selects, not all 65, before reading them.

        The CDK's read builds every stream of the manifest and then keeps the selected ones; building
        one costs about 25 ms of CPU, so a read of one stream paid over a second for the others.
        The CDK's own builder of named streams (the one ``check`` uses) builds the selected ones and,
        inside them, their parents; a name it does not know (a custom-object stream, which only the
        account's schemas define) makes it return None, and the CDK's read then builds every stream,
        custom objects included, and reports an unknown stream as it always does.
        """
        selected = self._streams_by_name([configured.stream.name for configured in catalog.streams])
        if selected is None:
            yield from super().read(logger, config, catalog, state)
            return
        streams = self._select_streams(selected, catalog)
        if streams:
            yield from self._concurrent_source.read(streams)

    def _prepare_for_stream_build(self) -> None:
        """Builds the manifest's ``api_budget`` as the adaptive share of the account's rate limit.

        The manifest cannot name a custom budget or call rate policy (``HTTPAPIBudget`` takes only
        the CDK's three policies), and the CDK builds the one budget every requester shares here,
        before any stream. The manifest's rate (``requests_per_second`` per 1.03 s) becomes the
        ceiling of an ``AccountShareCallRatePolicy``; with ``adapt_to_other_clients`` off the
        CDK's fixed-rate budget stays.
        """
        super()._prepare_for_stream_build()
        definition = self._source_config.get("api_budget")
        if not definition or not self._config.get("adapt_to_other_clients", True):
            return
        rate_definition = {"type": RateModel.__name__, **definition["policies"][0]["rates"][0]}
        rate = self._constructor.create_component(RateModel, rate_definition, self._config)
        assert isinstance(rate, Rate)
        self._constructor._api_budget = AccountShareHttpAPIBudget(
            policies=[AccountShareCallRatePolicy(ceiling=rate.limit, window=rate.interval)],
            ratelimit_remaining_header=definition.get("ratelimit_remaining_header", "ratelimit-remaining"),
            status_codes_for_ratelimit_hit=definition.get("status_codes_for_ratelimit_hit", [429]),
        )
