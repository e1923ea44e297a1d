"""The bundled emulator as pytest fixtures, for the connector's integration tests and the emulator's own
(registered for every suite by the root conftest)."""

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from activecampaign_emulator import Emulator, EmulatorOptions, ManualClock
from activecampaign_emulator.clock import Sleep

SAMPLE_CONFIG = json.loads(
    (Path(__file__).resolve().parents[1] / "integration_tests" / "sample_config.json").read_text()
)


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    """A seeded account of 200 contacts (and the rest in proportion), shared by a test module."""
    with Emulator(contacts=200, seed=42, api_key=SAMPLE_CONFIG["api_key"]) as running:
        yield running


@pytest.fixture
def start_emulator() -> Iterator[Callable[..., Emulator]]:
    """Fresh emulators (seed 7) for tests that change modes, data or time, stopped afterwards.

    start_emulator(contacts=50, clock=None, sleep=None, **options): time runs on `clock`, a new
    ManualClock unless given, and waits with `sleep`, the clock's own unless given, so no test
    waits for real seconds."""
    started: list[Emulator] = []

    def start(
        contacts: int = 50, clock: ManualClock | None = None, sleep: Sleep | None = None, **options: Any
    ) -> Emulator:
        clock = clock if clock is not None else ManualClock()
        emulator = Emulator(
            contacts=contacts, seed=7, options=EmulatorOptions(**options), clock=clock, sleep=sleep or clock.sleep
        )
        started.append(emulator.start())
        return emulator

    yield start
    for emulator in started:
        emulator.stop()
