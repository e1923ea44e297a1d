"""Reads ActiveCampaign into PyAirbyte's local DuckDB cache, with the connector installed locally.

    pip install ".[pyairbyte]"            # from a checkout of this repository; PyAirbyte needs Python 3.10-3.12
    python examples/pyairbyte_read.py config.json [--streams contacts,deals]

``config.json`` is the connector's config: ``api_url`` and ``api_key`` (Settings > Developer in
ActiveCampaign), optionally ``start_date`` and ``requests_per_second``. The data lands in PyAirbyte's
default cache, ``./.cache/default_cache/default_cache.duckdb`` (``AIRBYTE_CACHE_ROOT`` moves it);
the state is kept there too, so a second run reads incrementally. The script prints each table's
row count.

It works offline: PyAirbyte is told not to look the connector up in Airbyte's registry and not to
send telemetry, and runs the ``source-activecampaign`` console script installed with the package.
"""

import os

# Read by PyAirbyte when it is imported, so set before the import below. A value already in the
# environment wins.
os.environ.setdefault("AIRBYTE_OFFLINE_MODE", "1")
os.environ.setdefault("DO_NOT_TRACK", "1")

import argparse  # noqa: E402
import json  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Mapping  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any

import airbyte as ab  # noqa: E402

CONNECTOR = "source-activecampaign"


def connector_executable() -> Path:
    """The installed console script: beside this Python first (a venv that is not activated), then on PATH."""
    beside = Path(sys.executable).parent / CONNECTOR
    if beside.is_file():
        return beside
    on_path = shutil.which(CONNECTOR)
    if on_path:
        return Path(on_path)
    raise SystemExit(
        f'{CONNECTOR} is not installed for {sys.executable}: run `pip install ".[pyairbyte]"` '
        "in a checkout of the connector."
    )


def read_into_default_cache(config: Mapping[str, Any], streams: list[str] | None = None) -> dict[str, int]:
    """Checks the config, reads the streams (all of them by default) and returns rows per table."""
    source = ab.get_source(CONNECTOR, config=dict(config), local_executable=connector_executable())
    source.check()
    if streams:
        source.select_streams(streams)
    else:
        source.select_all_streams()
    result = source.read(cache=ab.get_default_cache())
    return {name: len(dataset) for name, dataset in sorted(result.streams.items())}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("config", type=Path, help="the connector's config, a JSON file")
    parser.add_argument("--streams", help="comma-separated stream names (default: every stream)")
    args = parser.parse_args(argv)

    config = json.loads(args.config.read_text(encoding="utf-8"))
    streams = [name.strip() for name in args.streams.split(",") if name.strip()] if args.streams else None
    started = time.monotonic()
    row_counts = read_into_default_cache(config, streams)
    elapsed = time.monotonic() - started

    print(f"Rows per table in {ab.get_default_cache().db_path}:")
    width = max((len(name) for name in row_counts), default=0)
    for name, rows in row_counts.items():
        print(f"  {name:<{width}}  {rows}")
    print(f"{sum(row_counts.values())} rows in {len(row_counts)} tables, read in {elapsed:.1f} s")


if __name__ == "__main__":
    main()
