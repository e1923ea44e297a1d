import datetime
import gc
import logging
import sys
from collections.abc import Iterator, Mapping
from typing import Any

from airbyte_cdk.models import AirbyteMessage, AirbyteStateMessage, ConfiguredAirbyteCatalog
from airbyte_cdk.sources.declarative.models.declarative_component_schema import Rate as RateModel
from airbyte_cdk.sources.declarative.parsers.model_to_component_factory import ModelToComponentFactory
from airbyte_cdk.sources.streams.call_rate import APIBudget, Rate

from source_activecampaign.cdk_internals import DeclarativeSourceHooks, install_cursor_shortcuts
from source_activecampaign.checkpoints.resume import CHECKPOINTS_CONFIG_KEY, take_checkpoints, without_checkpoints
from source_activecampaign.contacts.pages_plan import CONFIG_KEY, plan_contact_pages
from source_activecampaign.deletions.checks import DeletionChecks
from source_activecampaign.deletions.plan import CONFIG_KEY as DELETIONS_CONFIG_KEY
from source_activecampaign.deletions.plan import plan_deletions
from source_activecampaign.http.key_refusals import ANSWERED_IN_THIS_SYNC
from source_activecampaign.http.rate_share import AccountShareCallRatePolicy, AccountShareHttpAPIBudget
from source_activecampaign.packaged_files import manifest_path

# Records (and other messages) read but not yet written, at most: memory does not grow with the account.
MESSAGES_BETWEEN_THREADS = 2_000


def _tune_interpreter_for_reading() -> None:
    """Sets the interpreter up for a read: requests leave on time, pages cost no collector walks.

    - The cycle collector: every few of its runs it walks every object of the process, among them the
      hundreds of thousands the CDK built from the manifest, which never become garbage; with every
      parsed page (some ten thousand new dicts and lists) that was a fifth of the CPU of a read. Those
      are moved out of its reach (``gc.freeze``). It still runs as often as by default: the CDK's rate
      budget leaves a reference cycle through the frames of each request that waited for its turn, and
      each holds a response until the collector frees it.
    - The interpreter lock: a thread whose turn in the rate budget has come waits for the lock while
      others turn rows into records, by default up to 5 ms at each hand-over, and a request that
      leaves late reaches the API's one-second window beside the next one (a 429 at the ceiling).
      Hand-overs every millisecond keep that wait short for a few percent more switching.
    """
    gc.freeze()
    sys.setswitchinterval(0.001)


class SourceActivecampaign(DeclarativeSourceHooks):
    """The declarative source built from ``manifest.yaml``.

    The CDK reads config, catalog and state only from the constructor, and resolves a relative
    manifest path against the current directory first, so the path given here is absolute.

    Which streams read the contacts pages in this sync depends on the catalog and the state, which
    the manifest cannot see: the plan (``ContactPagesPlan``) goes into the config it reads. So does
    the plan of the deletion checks (deletions/plan.py), whose keys are taken out of the state the
    CDK is given and written into the states the sync emits (deletions/checks.py). So do the
    checkpoints of first reads killed midway (``first_read_checkpoints``): the CDK picks a stream's
    first read only when it has no state, and its cursor (``FirstReadCursor``) resumes from them.

    A source is one sync: which requests ActiveCampaign answered with its key (what tells an
    intermittent 403 from a refused key, http/key_refusals.py) starts empty with it.

    The CDK's cursors get their per-record shortcuts here (``cdk_internals.install_cursor_shortcuts``).
    """

    def __init__(
        self,
        catalog: ConfiguredAirbyteCatalog | None = None,
        config: Mapping[str, Any] | None = None,
        state: list[AirbyteStateMessage] | None = None,
        **kwargs: Any,
    ) -> None:
        ANSWERED_IN_THIS_SYNC.forget()
        install_cursor_shortcuts()
        self._deletion_checks: DeletionChecks | None = None
        if config is not None:
            now = datetime.datetime.now(datetime.timezone.utc)
            deletion_plan, state = plan_deletions(config, catalog, state, now)
            self._deletion_checks = DeletionChecks(deletion_plan)
            # A stream whose check is due reads its whole collection: a killed first read starts over.
            state = without_checkpoints(state, deletion_plan.checks)
            pages_plan = plan_contact_pages(config, catalog, state, now, deletion_plan.checks)
            state, checkpoints = take_checkpoints(state)
            config = {
                **config,
                DELETIONS_CONFIG_KEY: deletion_plan.config_entry(),
                CONFIG_KEY: pages_plan.as_config(),
                CHECKPOINTS_CONFIG_KEY: checkpoints,
            }
        # The config the manifest reads, with this sync's plans, and the state the CDK is given: the
        # progress reporter reads them too.
        self.planned_config: Mapping[str, Any] = config or {}
        self.planned_state: list[AirbyteStateMessage] | None = state
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
        account's schemas define) leaves the read to the CDK's, which builds every stream, custom
        objects included, and reports an unknown stream as it always does.

        Each stream's states carry its deletion keys, and its deletion check's records and state come
        before the status that ends it (deletions/checks.py).
        """
        streams = self.selected_streams(catalog)
        _tune_interpreter_for_reading()
        # A few pages' worth of records at most between the reading threads and the writing one.
        self.bound_message_queue(MESSAGES_BETWEEN_THREADS)
        if streams is None:
            messages = super().read(logger, config, catalog, state)
        elif streams:
            messages = self.read_streams(streams)
        else:
            return
        yield from self._deletion_checks.watch(messages) if self._deletion_checks else messages

    def api_budget(
        self, definition: Mapping[str, Any] | None, config: Mapping[str, Any], factory: ModelToComponentFactory
    ) -> APIBudget | None:
        """The manifest's ``api_budget`` as the adaptive share of the account's rate limit.

        The manifest cannot name a custom budget or call rate policy (``HTTPAPIBudget`` takes only
        the CDK's three policies). The manifest's rate (``requests_per_second`` per 1.03 s) becomes the
        ceiling of an ``AccountShareCallRatePolicy``; with ``adapt_to_other_clients`` off the
        CDK's fixed-rate budget stays.
        """
        if not definition or not config.get("adapt_to_other_clients", True):
            return None
        rate_definition = {"type": RateModel.__name__, **definition["policies"][0]["rates"][0]}
        rate = factory.create_component(RateModel, rate_definition, config)
        assert isinstance(rate, Rate)
        return AccountShareHttpAPIBudget(
            policies=[AccountShareCallRatePolicy(ceiling=rate.limit, window=rate.interval)],
            ratelimit_remaining_header=definition.get("ratelimit_remaining_header", "ratelimit-remaining"),
            status_codes_for_ratelimit_hit=definition.get("status_codes_for_ratelimit_hit", [429]),
        )
