"""The PyAirbyte recipe, ``examples/pyairbyte_read.py``, run against the emulator.

It reads a few streams through the installed console script into PyAirbyte's default DuckDB cache;
the tables must then hold exactly the account's rows. Runs in the PyAirbyte venv only:
``scripts/test-pyairbyte`` (PyAirbyte needs Python 3.10 to 3.12 and its own pins).
"""

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest

from activecampaign_emulator import Emulator

pytestmark = pytest.mark.pyairbyte

REPO_ROOT = Path(__file__).resolve().parents[1]
RECIPE = REPO_ROOT / "examples" / "pyairbyte_read.py"
# Stream name -> the emulator's resource holding its rows.
STREAMS = {"contacts": "contacts", "deals": "deals", "tags": "tags", "deal_stages": "dealStages"}
_ROW_COUNT_LINE = re.compile(r"^  (\w+)\s+(\d+)$")


class RecipeRun(NamedTuple):
    workdir: Path
    stdout: str
    seconds: float

    @property
    def duckdb_path(self) -> Path:
        return self.workdir / ".cache" / "default_cache" / "default_cache.duckdb"

    def printed_row_counts(self) -> dict[str, int]:
        lines = self.stdout.splitlines()
        header = next(i for i, line in enumerate(lines) if line.startswith("Rows per table in "))
        counts = {}
        for line in lines[header + 1 :]:
            match = _ROW_COUNT_LINE.match(line)
            if not match:
                break
            counts[match.group(1)] = int(match.group(2))
        return counts


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    emu = Emulator(contacts=50).start()
    try:
        yield emu
    finally:
        emu.stop()


@pytest.fixture(scope="module")
def recipe_run(emulator: Emulator, tmp_path_factory: pytest.TempPathFactory) -> RecipeRun:
    workdir = tmp_path_factory.mktemp("pyairbyte")
    config_path = workdir / "config.json"
    config_path.write_text(json.dumps({"api_url": emulator.url, "api_key": emulator.api_key}))
    # The cache goes to the working directory unless these say otherwise.
    env = {k: v for k, v in os.environ.items() if k not in ("AIRBYTE_CACHE_ROOT", "AIRBYTE_PROJECT_DIR")}
    started = time.monotonic()
    run = subprocess.run(
        [sys.executable, str(RECIPE), str(config_path), "--streams", ",".join(STREAMS)],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    seconds = time.monotonic() - started
    assert run.returncode == 0, f"the recipe failed:\n{run.stdout[-4000:]}\n{run.stderr[-4000:]}"
    # Shown by `pytest -rP` (scripts/test-pyairbyte): what the recipe printed and how long it took.
    print(run.stdout)
    print(f"recipe wall time: {seconds:.1f} s")
    return RecipeRun(workdir, run.stdout, seconds)


def test_given_emulator_account_when_recipe_reads_then_it_prints_each_tables_row_count(
    recipe_run: RecipeRun, emulator: Emulator
) -> None:
    expected = {stream: len(emulator.dataset.rows(resource)) for stream, resource in STREAMS.items()}
    assert all(expected.values()), f"the emulator seeded an empty resource: {expected}"
    assert recipe_run.printed_row_counts() == expected


def test_given_emulator_account_when_recipe_reads_then_duckdb_tables_hold_exactly_its_rows(
    recipe_run: RecipeRun, emulator: Emulator
) -> None:
    duckdb = pytest.importorskip("duckdb")
    assert recipe_run.duckdb_path.is_file(), f"no DuckDB cache at {recipe_run.duckdb_path}"
    with duckdb.connect(str(recipe_run.duckdb_path), read_only=True) as db:
        tables = {
            name
            for (name,) in db.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
            ).fetchall()
            if not name.startswith("_airbyte")
        }
        assert tables == set(STREAMS)
        for stream, resource in STREAMS.items():
            account_ids = sorted(int(row["id"]) for row in emulator.dataset.rows(resource))
            table_ids = sorted(row_id for (row_id,) in db.execute(f'SELECT id FROM "{stream}"').fetchall())
            assert table_ids == account_ids, f"{stream}: the table's ids differ from the account's"
