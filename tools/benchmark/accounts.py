"""The accounts the scenarios read: an emulator process of a given size, rate limit and latency, and
the connector's config and catalogs for it."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from testing.connector_runner import configured_catalog, run_main, sync_modes
from tools.benchmark.bench import RATE_LIMIT, Background, Bench, Row, progress
from tools.benchmark.reading import read
from tools.benchmark.streams import per_stream
from tools.emulator_process import EmulatorProcess


def emulator_process(
    bench: Bench,
    contacts: int,
    limited: bool,
    data_until: str | None = None,
    extra: Sequence[str] = (),
    background: Background | None = None,
    ratelimit_headers: bool | None = None,
) -> EmulatorProcess:
    """The emulator of ``contacts`` contacts; ``limited``: at the account's rate limit and the bench's
    latency (with another client, if any, and RateLimit headers on every answer when asked for or when
    there is one, unless ``ratelimit_headers`` says otherwise: then only on 429s)."""
    args = [*extra]
    if limited:
        args += ["--rate-limit", str(RATE_LIMIT), "--latency-ms", str(bench.latency_ms)]
        if ratelimit_headers is None:
            ratelimit_headers = bench.ratelimit_headers or background is not None
        if ratelimit_headers:
            args.append("--ratelimit-headers")
    if data_until:
        args += ["--data-until", data_until]
    if background is not None and background.rps:
        args += ["--background-rps", str(background.rps), "--background-burst", str(background.burst)]
    return EmulatorProcess(contacts, args)


def limits(bench: Bench, limited: bool) -> str:
    return f"{RATE_LIMIT} rps, {bench.latency_ms} ms" if limited else "no limit, no latency"


class Workspace:
    """The files of one scenario under ``out/benchmark/<scenario>/``: configs, catalogs, states."""

    def __init__(self, bench: Bench, scenario: str) -> None:
        self.dir = bench.scenario_dir(scenario)
        self._catalogs = bench.catalogs

    def config(self, emulator: EmulatorProcess, limited: bool, name: str = "config", **extra: Any) -> Path:
        """The connector's config for ``emulator`` with the options in ``extra``, written as ``<name>.json``;
        limited: with the connector's default rate written out."""
        config = emulator.connector_config(**({"requests_per_second": RATE_LIMIT} if limited else {}), **extra)
        path = self.dir / f"{name}.json"
        path.write_text(json.dumps(config, indent=2))
        return path

    def discover(self, config: Path) -> dict[str, Any]:
        options = {k: v for k, v in json.loads(config.read_text()).items() if k not in ("api_url", "api_key")}
        key = json.dumps(options, sort_keys=True)
        if key not in self._catalogs:
            run = run_main(["discover", "--config", str(config)])
            if run.exit_code != 0:
                raise RuntimeError(f"main.py discover exited with {run.exit_code}: {run.stderr[-2000:]}")
            self._catalogs[key] = run.of_type("CATALOG")[0]["catalog"]
        return self._catalogs[key]

    def catalog(self, config: Path, streams: Sequence[str] | None, incremental: bool, name: str) -> Path:
        """A configured catalog of ``streams`` (None: every discovered stream), written as ``<name>.json``."""
        discovered = self.discover(config)
        path = self.dir / f"{name}.json"
        path.write_text(
            json.dumps(configured_catalog(sync_modes(discovered, incremental, streams), discovered), indent=2)
        )
        return path

    def state(self, states: Iterable[Any], name: str = "state") -> Path:
        """The states a read emitted, as the next read's ``--state`` file."""
        path = self.dir / f"{name}.json"
        path.write_text(json.dumps(list(states), indent=2))
        return path


def catalog_streams(catalog: Path) -> list[str]:
    return [entry["stream"]["name"] for entry in json.loads(catalog.read_text())["streams"]]


def full_refresh_row(
    bench: Bench,
    scenario: str,
    title: str,
    contacts: int,
    streams: Sequence[str] | None,
    limited: bool,
    label: str = "read",
    profiled: bool = True,
) -> Row:
    """A full refresh of ``streams`` (None: every stream) from a fresh emulator of ``contacts`` contacts,
    as a row of the report (``{streams}`` in the title: how many streams it read); the records and
    requests of each stream with --verbose when it read more than one. When an earlier scenario of this
    run made the very same read it is not made again, and the row says whose read it is. With
    --profile, profiled unless ``profiled`` is False."""
    key = (tuple(streams) if streams is not None else None, contacts, limited, bench.profile and profiled)
    made_by = None
    if key in bench.reads:
        made_by, result, read_streams = bench.reads[key]
    else:
        ws = Workspace(bench, scenario)
        with emulator_process(bench, contacts, limited=limited) as emulator:
            config = ws.config(emulator, limited=limited)
            catalog = ws.catalog(config, streams, incremental=False, name=f"catalog-{label}")
            streams_read = ", ".join(streams or ["every stream"])
            progress(f"{scenario}: {streams_read}, {contacts:,} contacts, {limits(bench, limited)}")
            profile = ws.dir / f"{label}.prof" if bench.profile and profiled else None
            result = read(emulator, config, catalog, None, ws.dir, label, profile)
        read_streams = catalog_streams(catalog)
        bench.reads[key] = (scenario, result, read_streams)
    row = Row(scenario, title.format(streams=len(read_streams)), contacts, limited, result)
    if len(read_streams) > 1:
        row.verbose = per_stream(result, read_streams)
    if made_by is not None:
        row.notes.append(f"the read of {made_by}")
    return row
