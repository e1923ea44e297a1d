from pathlib import Path
from typing import Any

import pytest

from activecampaign_emulator import Emulator
from testing.connector_runner import ConnectorInputs, run_main


def emulator_config(emulator: Emulator, **overrides: Any) -> dict[str, Any]:
    return {"api_url": emulator.url, "api_key": emulator.api_key, **overrides}


@pytest.fixture
def inputs(tmp_path: Path) -> ConnectorInputs:
    return ConnectorInputs(tmp_path)


@pytest.fixture(scope="module")
def discovered_catalog(emulator: Emulator) -> dict[str, Any]:
    inputs = ConnectorInputs()
    run = run_main(inputs.args("discover", emulator_config(emulator)))
    assert run.exit_code == 0, run.stderr[-2000:]
    return run.of_type("CATALOG")[0]["catalog"]


# The standard suite parametrizes every test with every scenario and skips the pairs whose
# config is not listed under the test's section in acceptance-test-config.yml. Those pairs are
# not tests of anything, so they are deselected rather than reported as skipped.
_STANDARD_TEST_COMMANDS = {
    "test_config_matches_spec": "spec",
    "test_check": "check",
    "test_discover": "discover",
    "test_basic_read": "read",
    "test_fail_read_with_bad_catalog": "read",
}


def pytest_collection_modifyitems(config: pytest.Config, items: list) -> None:
    selected, deselected = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        scenario = callspec.params.get("scenario") if callspec else None
        command = _STANDARD_TEST_COMMANDS.get(getattr(item, "originalname", ""))
        if scenario is not None and command and not scenario.runs(command):
            deselected.append(item)
        else:
            selected.append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected
