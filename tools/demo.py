"""The connector's main job, end to end, against the bundled emulator: no account needed.

Starts the emulator with seeded sample data, then runs ``python main.py spec``, ``check``,
``discover`` and a ``read`` of every stream (incremental where offered), writes every Airbyte message
to ``out/demo/``, changes some contacts and deals in the emulator and reads again from the saved
state, and prints a summary: records per stream, final state, requests made, time taken.

    python -m tools.demo [--contacts 2000] [--out out/demo]
"""

import argparse
import json
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
DEMO_API_KEY = "ac-demo-key-0f9e8d7c6b5a4f3e2d1c"


class EmulatorProcess:
    """The emulator as a child process, as a user would run it beside the connector."""

    def __init__(self, contacts: int, extra_args: list[str] | None = None) -> None:
        self._command = [
            sys.executable,
            "-m",
            "activecampaign_emulator",
            "--port",
            "0",
            "--contacts",
            str(contacts),
            "--api-key",
            DEMO_API_KEY,
            *(extra_args or []),
        ]
        self._process: subprocess.Popen | None = None
        self.url = ""

    def __enter__(self) -> "EmulatorProcess":
        self._process = subprocess.Popen(self._command, cwd=REPO_ROOT, stdout=subprocess.PIPE, text=True)
        first_line = self._process.stdout.readline().strip() if self._process.stdout else ""
        if not first_line.startswith("EMULATOR_URL="):
            self._process.kill()
            raise RuntimeError(f"the emulator did not start (it printed {first_line!r})")
        self.url = first_line.split("=", 1)[1]
        return self

    def __exit__(self, *exc_info: Any) -> None:
        if self._process:
            self._process.terminate()
            self._process.wait(timeout=10)

    def admin(self, path: str, body: Mapping[str, Any] | None = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"{self.url}/__emulator/{path}", data=data, method="POST" if data else "GET")
        request.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read() or b"null")


def run_connector(args: list[str], messages_path: Path, on_message=None) -> tuple[list[dict[str, Any]], float]:
    """Runs ``python main.py <args>``, saving its stdout to ``messages_path``; returns the messages."""
    started = time.monotonic()
    messages: list[dict[str, Any]] = []
    with (
        messages_path.open("w", encoding="utf-8") as saved,
        subprocess.Popen(
            [sys.executable, str(REPO_ROOT / "main.py"), *args], cwd=REPO_ROOT, stdout=subprocess.PIPE, text=True
        ) as process,
    ):
        assert process.stdout is not None
        for line in process.stdout:
            saved.write(line)
            try:
                message = json.loads(line)
            except json.JSONDecodeError:
                continue
            if message.get("type") != "RECORD":
                messages.append(message)
            if on_message:
                on_message(message)
    if process.returncode != 0:
        errors = [
            m["trace"]["error"]["message"]
            for m in messages
            if m.get("type") == "TRACE" and m["trace"].get("type") == "ERROR"
        ]
        raise RuntimeError(
            f"main.py {args[0]} exited with {process.returncode}: {errors or 'see ' + str(messages_path)}"
        )
    return messages, time.monotonic() - started


def configured_catalog(catalog: Mapping[str, Any]) -> dict[str, Any]:
    streams = []
    for stream in catalog["streams"]:
        incremental = "incremental" in stream["supported_sync_modes"]
        streams.append(
            {
                "stream": stream,
                "sync_mode": "incremental" if incremental else "full_refresh",
                "destination_sync_mode": "append_dedup" if incremental else "overwrite",
                "cursor_field": stream.get("default_cursor_field", []) if incremental else [],
                "primary_key": stream.get("source_defined_primary_key", []),
            }
        )
    return {"streams": streams}


class ReadProgress:
    """Prints a progress line at most once a second while a read runs."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.records: Counter = Counter()
        self.states: dict[str, Any] = {}
        self._started = time.monotonic()
        self._last_print = 0.0

    def __call__(self, message: Mapping[str, Any]) -> None:
        if message.get("type") == "RECORD":
            self.records[message["record"]["stream"]] += 1
        elif message.get("type") == "STATE":
            stream_state = message["state"]["stream"]
            self.states[stream_state["stream_descriptor"]["name"]] = stream_state.get("stream_state")
        now = time.monotonic()
        if now - self._last_print >= 1:
            self._last_print = now
            busiest = ", ".join(f"{name} {count:,}" for name, count in self.records.most_common(3))
            print(
                f"  {self.label}: {sum(self.records.values()):,} records after {now - self._started:.0f} s ({busiest})",
                flush=True,
            )


def _step(title: str) -> None:
    print(f"\n== {title}", flush=True)


def _status_line(messages: list[dict[str, Any]]) -> str:
    for message in messages:
        if message.get("type") == "CONNECTION_STATUS":
            status = message["connectionStatus"]
            return status["status"] + (f": {status['message']}" if status.get("message") else "")
    return "no CONNECTION_STATUS message"


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
        config_path.write_text(json.dumps({"api_url": emulator.url, "api_key": DEMO_API_KEY}, indent=2))

        _step("spec")
        spec_messages, seconds = run_connector(["spec"], out / "spec.jsonl")
        spec = next(m["spec"] for m in spec_messages if m["type"] == "SPEC")
        print(f"  {len(spec['connectionSpecification']['properties'])} config fields ({seconds:.1f} s)")

        _step("check")
        check_messages, seconds = run_connector(["check", "--config", str(config_path)], out / "check.jsonl")
        status = _status_line(check_messages)
        print(f"  {status} ({seconds:.1f} s)")
        if not status.startswith("SUCCEEDED"):
            return 1

        _step("discover")
        discover_messages, seconds = run_connector(["discover", "--config", str(config_path)], out / "discover.jsonl")
        catalog = next(m["catalog"] for m in discover_messages if m["type"] == "CATALOG")
        incremental = [s["name"] for s in catalog["streams"] if "incremental" in s["supported_sync_modes"]]
        print(f"  {len(catalog['streams'])} streams, {len(incremental)} incremental ({seconds:.1f} s)")
        catalog_path = out / "configured_catalog.json"
        catalog_path.write_text(json.dumps(configured_catalog(catalog), indent=2))

        _step("read: every stream, first sync")
        emulator.admin("reset-stats", {})
        first = ReadProgress("first sync")
        first_messages, first_seconds = run_connector(
            ["read", "--config", str(config_path), "--catalog", str(catalog_path)], out / "read.jsonl", first
        )
        first_requests = emulator.admin("stats")
        state_path = out / "state.json"
        state_path.write_text(json.dumps([m["state"] for m in first_messages if m["type"] == "STATE"], indent=2))

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
    width = max(len(name) for name in first.records) + 2
    print(f"  {'stream':<{width}}{'first sync':>12}{'second sync':>13}  final state")
    for name in sorted(first.records):
        state = second.states.get(name, first.states.get(name))
        state_text = json.dumps(state) if state else ""
        print(f"  {name:<{width}}{first.records[name]:>12,}{second.records.get(name, 0):>13,}  {state_text[:70]}")
    print(f"  {'total':<{width}}{sum(first.records.values()):>12,}{sum(second.records.values()):>13,}")
    print(
        f"\n  first sync:  {first_requests['requests']:,} requests in {first_seconds:.1f} s "
        f"({first_requests['requests'] / first_seconds:.2f} per second; 429s: {first_requests['rate_limited']})"
    )
    by_path = second_requests.get("by_path", {})
    changed_only = by_path.get("/api/3/contacts", 0) + by_path.get("/api/3/deals", 0)
    print(
        f"  second sync: {second_requests['requests']:,} requests, of which {changed_only} for contacts and deals, "
        "which ask only for what changed; the other streams have no such filter and read everything"
    )
    print(f"  messages written to {out}/ (read.jsonl, read_incremental.jsonl, state.json, ...)")
    print(f"  total time {total_seconds:.1f} s")


if __name__ == "__main__":
    sys.exit(main())
