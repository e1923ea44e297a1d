"""The connector's main job, end to end, against the bundled emulator: no account needed.

Starts the emulator with seeded sample data, then runs ``python main.py spec``, ``check``,
``discover`` and a ``read`` of every stream (incremental where offered), writes every Airbyte message
to ``out/demo/``, changes some contacts and deals in the emulator and reads again from the saved
state, and prints a summary: records per stream (and the connector's estimate of them), final
state, requests made, time taken. While a read runs, a line a second on stderr shows the streams in
progress: records so far, the connector's estimate, and the time left at the current rate.

    python -m tools.demo [--contacts 2000] [--out out/demo]
"""

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from testing.connector_runner import (
    REPO_ROOT,
    ConnectorRun,
    configured_catalog,
    parse_message,
    run_main,
    sync_modes,
)
from tools.benchmark.streams import StreamPaths
from tools.emulator_process import EmulatorProcess


def run_connector(
    args: list[str], messages_path: Path, on_message: Callable[[Mapping[str, Any]], None] | None = None
) -> tuple[ConnectorRun, float]:
    """Runs ``python main.py <args>``, saving its stdout to ``messages_path``; returns the run without
    its records (``on_message`` sees those as they come) and the seconds it took."""
    started = time.monotonic()
    with messages_path.open("w", encoding="utf-8") as saved:

        def take(line: str) -> None:
            saved.write(line)
            message = parse_message(line)
            if on_message and message is not None:
                on_message(message)

        run = run_main(args, timeout=None, on_line=take, keep_records=False)
    if run.exit_code != 0:
        raise RuntimeError(
            f"main.py {args[0]} exited with {run.exit_code}: "
            f"{run.error_messages() or run.stderr[-2000:] or 'see ' + str(messages_path)}"
        )
    return run, time.monotonic() - started


@dataclass
class StreamProgress:
    """One stream as the read's messages show it: records so far, the connector's last estimate."""

    records: int = 0
    estimate: int | None = None
    started: float | None = None
    finished: bool = False

    def seconds_left(self, now: float) -> float | None:
        """At the rate the stream has emitted records so far."""
        if self.estimate is None or self.started is None or self.records == 0 or now <= self.started:
            return None
        rate = self.records / (now - self.started)
        return max(self.estimate - self.records, 0) / rate


class ReadProgress:
    """Follows a read's messages and shows, at most once a second on stderr, the streams in progress:
    records so far, the connector's estimate (its ESTIMATE traces) and the time left at the current rate."""

    def __init__(
        self,
        label: str,
        out: TextIO = sys.stderr,
        clock: Callable[[], float] = time.monotonic,
        shown: int = 4,
    ) -> None:
        self.label = label
        self.streams: dict[str, StreamProgress] = defaultdict(StreamProgress)
        self.states: dict[str, Any] = {}
        self._out = out
        self._clock = clock
        self._shown = shown
        self._started = clock()
        self._last_print = self._started

    @property
    def records(self) -> Counter:
        return Counter({name: stream.records for name, stream in self.streams.items() if stream.records})

    def estimates(self) -> dict[str, int]:
        return {name: stream.estimate for name, stream in self.streams.items() if stream.estimate is not None}

    def __call__(self, message: Mapping[str, Any]) -> None:
        now = self._clock()
        kind = message.get("type")
        if kind == "RECORD":
            stream = self.streams[message["record"]["stream"]]
            stream.records += 1
            if stream.started is None:
                stream.started = now
        elif kind == "STATE":
            stream_state = message["state"]["stream"]
            self.states[stream_state["stream_descriptor"]["name"]] = stream_state.get("stream_state")
        elif kind == "TRACE":
            self._trace(message["trace"], now)
        if now - self._last_print >= 1:
            self._last_print = now
            print(self.line(now), file=self._out, flush=True)

    def _trace(self, trace: Mapping[str, Any], now: float) -> None:
        if trace.get("type") == "ESTIMATE":
            self.streams[trace["estimate"]["name"]].estimate = int(trace["estimate"]["row_estimate"])
        elif trace.get("type") == "STREAM_STATUS":
            status = trace["stream_status"]
            stream = self.streams[status["stream_descriptor"]["name"]]
            if status["status"] == "STARTED" and stream.started is None:
                stream.started = now
            elif status["status"] in ("COMPLETE", "INCOMPLETE"):
                stream.finished = True

    def line(self, now: float) -> str:
        """``first sync, 12 s, 14,203 records: contacts 1,200 of ~2,000 (60%, 3 s left), deals 300, +5 more``"""
        running = [(name, stream) for name, stream in self.streams.items() if stream.records and not stream.finished]
        running.sort(key=lambda item: -(item[1].seconds_left(now) or 0.0))
        parts = []
        for name, stream in running[: self._shown]:
            left = stream.seconds_left(now)
            if stream.estimate is None:
                parts.append(f"{name} {stream.records:,}")
            else:
                share = f"{stream.records / stream.estimate:.0%}" if stream.estimate else "100%"
                timing = f", {left:.0f} s left" if left is not None else ""
                parts.append(f"{name} {stream.records:,} of ~{stream.estimate:,} ({share}{timing})")
        if len(running) > self._shown:
            parts.append(f"+{len(running) - self._shown} more")
        total = sum(stream.records for stream in self.streams.values())
        doing = ": " + ", ".join(parts) if parts else ""
        return f"  {self.label}, {now - self._started:.0f} s, {total:,} records{doing}"


def _step(title: str) -> None:
    print(f"\n== {title}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--contacts", type=int, default=2000, help="size of the seeded account (other resources in proportion)"
    )
    parser.add_argument(
        "--out", type=Path, default=REPO_ROOT / "out" / "demo", help="where the Airbyte messages are written"
    )
    options = parser.parse_args(argv)
    out: Path = options.out
    out.mkdir(parents=True, exist_ok=True)
    total_started = time.monotonic()

    _step(f"Starting the ActiveCampaign emulator with {options.contacts:,} contacts")
    # Data up to today, as in an account that is in use (and synced) every day.
    with EmulatorProcess(options.contacts, ["--data-until", "now"]) as emulator:
        print(f"  serving {emulator.url}/api/3/ (5 requests per second per account, as the real API)")
        emulator.admin("options", {"rate_limit": 5, "ratelimit_headers": True})
        config_path = out / "config.json"
        config_path.write_text(json.dumps(emulator.connector_config(), indent=2))

        _step("spec")
        spec_run, seconds = run_connector(["spec"], out / "spec.jsonl")
        spec = spec_run.of_type("SPEC")[0]["spec"]
        print(f"  {len(spec['connectionSpecification']['properties'])} config fields ({seconds:.1f} s)")

        _step("check")
        check_run, seconds = run_connector(["check", "--config", str(config_path)], out / "check.jsonl")
        status = check_run.connection_status()
        print(f"  {status['status']}{': ' + status['message'] if status.get('message') else ''} ({seconds:.1f} s)")
        if status["status"] != "SUCCEEDED":
            return 1

        _step("discover")
        discover_run, seconds = run_connector(["discover", "--config", str(config_path)], out / "discover.jsonl")
        catalog = discover_run.of_type("CATALOG")[0]["catalog"]
        modes = sync_modes(catalog, incremental=True)
        incremental = [name for name, mode in modes.items() if mode == "incremental"]
        print(f"  {len(catalog['streams'])} streams, {len(incremental)} incremental ({seconds:.1f} s)")
        catalog_path = out / "configured_catalog.json"
        catalog_path.write_text(json.dumps(configured_catalog(modes, catalog), indent=2))

        _step("read: every stream, first sync")
        emulator.admin("reset-stats", {})
        first = ReadProgress("first sync")
        first_run, first_seconds = run_connector(
            ["read", "--config", str(config_path), "--catalog", str(catalog_path)], out / "read.jsonl", first
        )
        first_requests = emulator.admin("stats")
        state_path = out / "state.json"
        state_path.write_text(json.dumps(first_run.states(), indent=2))

        _step("changes in the account: 25 contacts and 10 deals updated, 5 contacts added")
        emulator.admin("touch", {"resource": "contacts", "count": 25})
        emulator.admin("touch", {"resource": "deals", "count": 10})
        emulator.admin("insert", {"resource": "contacts", "count": 5})

        _step("read: second sync from the saved state")
        emulator.admin("reset-stats", {})
        second = ReadProgress("second sync")
        run_connector(
            ["read", "--config", str(config_path), "--catalog", str(catalog_path), "--state", str(state_path)],
            out / "read_incremental.jsonl",
            second,
        )
        second_requests = emulator.admin("stats")

    _print_summary(first, first_seconds, first_requests, second, second_requests, out, time.monotonic() - total_started)
    return 0


def _print_summary(
    first: ReadProgress,
    first_seconds: float,
    first_requests: Mapping[str, Any],
    second: ReadProgress,
    second_requests: Mapping[str, Any],
    out: Path,
    total_seconds: float,
) -> None:
    _step("Summary")
    first_records, second_records, estimates = first.records, second.records, first.estimates()
    width = max(len(name) for name in first_records) + 2
    print(f"  {'stream':<{width}}{'estimate':>10}{'first sync':>12}{'second sync':>13}  final state")
    for name in sorted(first_records):
        state = second.states.get(name, first.states.get(name))
        state_text = json.dumps(state) if state else ""
        estimate = f"{estimates[name]:,}" if name in estimates else "—"
        print(
            f"  {name:<{width}}{estimate:>10}{first_records[name]:>12,}{second_records.get(name, 0):>13,}"
            f"  {state_text[:70]}"
        )
    print(f"  {'total':<{width}}{'':>10}{sum(first_records.values()):>12,}{sum(second_records.values()):>13,}")
    print(
        f"\n  first sync:  {first_requests['requests']:,} requests in {first_seconds:.1f} s "
        f"({first_requests['requests'] / first_seconds:.2f} per second; 429s: {first_requests['rate_limited']})"
    )
    print(
        f"  second sync: {second_requests['requests']:,} requests; contacts and deals ask only for what changed, "
        "the other streams have no such filter and read everything (the contact child streams from the contacts "
        "pages, which cost fewer requests than their collections)"
    )
    print("\n  requests per stream (a path several streams read is named after all of them):")
    for line in _requests_per_stream(first_requests, second_requests, sorted(first.records)):
        print(f"  {line}")
    print(f"  messages written to {out}/ (read.jsonl, read_incremental.jsonl, state.json, ...)")
    print(f"  total time {total_seconds:.1f} s")


def _requests_per_stream(first: Mapping[str, Any], second: Mapping[str, Any], streams: list[str]) -> list[str]:
    """The requests of each sync by the stream that made them, one line each."""
    paths = StreamPaths()
    counts: dict[str, list[int]] = {}
    for index, stats in enumerate((first, second)):
        for path, count in stats.get("by_path", {}).items():
            counts.setdefault(paths(path, streams), [0, 0])[index] += count
    width = max([len(name) for name in counts] + [6]) + 2
    lines = [f"{'stream':<{width}}{'first sync':>12}{'second sync':>13}"]
    lines += [f"{name:<{width}}{before:>12,}{after:>13,}" for name, (before, after) in sorted(counts.items())]
    return lines


if __name__ == "__main__":
    sys.exit(main())
