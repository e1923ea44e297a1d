"""Runs the connector through its real entrypoint (``python main.py ...``) and reads its messages."""

import json
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]


@dataclass
class ConnectorRun:
    exit_code: int
    messages: list[dict[str, Any]]
    stdout: str
    stderr: str

    def of_type(self, message_type: str) -> list[dict[str, Any]]:
        return [message for message in self.messages if message.get("type") == message_type]

    def records(self, stream: str | None = None) -> list[dict[str, Any]]:
        return [
            message["record"]["data"]
            for message in self.of_type("RECORD")
            if stream is None or message["record"]["stream"] == stream
        ]

    def records_by_stream(self) -> dict[str, list[dict[str, Any]]]:
        by_stream: dict[str, list[dict[str, Any]]] = {}
        for message in self.of_type("RECORD"):
            by_stream.setdefault(message["record"]["stream"], []).append(message["record"]["data"])
        return by_stream

    def states(self) -> list[dict[str, Any]]:
        return [message["state"] for message in self.of_type("STATE")]

    def final_states(self) -> list[dict[str, Any]]:
        """The last state message of each stream: what a platform would save for the next sync."""
        last: dict[str, dict[str, Any]] = {}
        for state in self.states():
            last[state["stream"]["stream_descriptor"]["name"]] = state
        return list(last.values())

    def logs(self, level: str | None = None) -> list[str]:
        return [
            message["log"]["message"]
            for message in self.of_type("LOG")
            if level is None or message["log"]["level"] == level
        ]

    def error_messages(self) -> list[str]:
        return [
            message["trace"]["error"]["message"]
            for message in self.of_type("TRACE")
            if message["trace"].get("type") == "ERROR"
        ]

    def connection_status(self) -> dict[str, Any]:
        statuses = self.of_type("CONNECTION_STATUS")
        assert len(statuses) == 1, f"expected one CONNECTION_STATUS, got {statuses}; stderr: {self.stderr[-2000:]}"
        return statuses[0]["connectionStatus"]


@dataclass
class ConnectorInputs:
    """Writes config, catalog and state to files the way the platform hands them over."""

    directory: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="ac-connector-")))

    def write(self, name: str, content: Any) -> Path:
        path = self.directory / name
        path.write_text(json.dumps(content))
        return path


def run_main(args: list[str], timeout: float = 300) -> ConnectorRun:
    completed = subprocess.run(
        [sys.executable, str(REPO_ROOT / "main.py"), *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    messages = []
    for line in completed.stdout.splitlines():
        try:
            messages.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return ConnectorRun(completed.returncode, messages, completed.stdout, completed.stderr)


def configured_catalog(streams: Mapping[str, str], discovered: Mapping[str, Any]) -> dict[str, Any]:
    """A configured catalog for `streams` ({name: "incremental" | "full_refresh"}) from a discovered one."""
    by_name = {stream["name"]: stream for stream in discovered["streams"]}
    configured = []
    for name, sync_mode in streams.items():
        stream = by_name[name]
        configured.append(
            {
                "stream": stream,
                "sync_mode": sync_mode,
                "destination_sync_mode": "append_dedup" if sync_mode == "incremental" else "overwrite",
                "cursor_field": stream.get("default_cursor_field", []) if sync_mode == "incremental" else [],
                "primary_key": stream.get("source_defined_primary_key", []),
            }
        )
    return {"streams": configured}
