"""The CDK's standard connector tests (spec, check, discover, basic read with schema validation,
full refresh, bad catalog), run in process against the bundled emulator.

The docker image tests are marked `image_tests` and deselected where no docker engine runs.
"""

import atexit
import json
from pathlib import Path
from typing import Any

import yaml
from airbyte_cdk.test.models.scenario import ConnectorTestScenario
from airbyte_cdk.test.standard_tests import SourceTestSuiteBase
from boltons.typeutils import classproperty

from activecampaign_emulator import Emulator
from source_activecampaign.source import SourceActivecampaign

REPO_ROOT = Path(__file__).resolve().parents[1]
_emulator: Emulator | None = None


def _running_emulator() -> Emulator:
    # Scenarios build connectors from class methods, outside any fixture, so the emulator is a
    # process-wide one started on first use.
    global _emulator
    if _emulator is None:
        api_key = json.loads((REPO_ROOT / "integration_tests" / "sample_config.json").read_text())["api_key"]
        _emulator = Emulator(contacts=100, seed=42, api_key=api_key).start()
        atexit.register(_emulator.stop)
    return _emulator


class TestStandardSuite(SourceTestSuiteBase):
    @classmethod
    def get_connector_root_dir(cls) -> Path:
        return REPO_ROOT

    @classproperty
    def connector_name(cls) -> str:
        return "source-activecampaign"

    @classproperty
    def acceptance_test_config(cls) -> Any:
        return yaml.safe_load((REPO_ROOT / "integration_tests" / "acceptance-test-config.yml").read_text())

    @classmethod
    def create_connector(cls, scenario: ConnectorTestScenario | None) -> SourceActivecampaign:
        if scenario is None:
            return SourceActivecampaign()
        config: dict[str, Any] = scenario.get_config_dict(connector_root=REPO_ROOT, empty_if_missing=True)
        if config:
            config = {**config, "api_url": _running_emulator().url}
        catalog = None
        return SourceActivecampaign(config=config, catalog=catalog)
