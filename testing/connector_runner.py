"""Runs the connector through its real entrypoint (``python main.py ...``) and reads its messages."""

import json
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
# How the CDK prints a record message (compact JSON, `type` first): found without parsing the line.
RECORD_LINE_PREFIX = '{"type":"RECORD",'


def main_py_command(args: Sequence[str], repo_root: Path = REPO_ROOT) -> list[str]:
    """The command line of ``python main.py <args>``, run from the repository root."""
    return [sys.executable, str(repo_root / "main.py"), *args]


def parse_message(line: str) -> dict[str, Any] | None:
    """The Airbyte message on one line of the connector's stdout, or None for anything else."""
    try:
        message = json.loads(line)
    except json.JSONDecodeError:
        return None
    return message if isinstance(message, dict) else None


@dataclass
class ConnectorRun:
    exit_code: int
    messages: list[dict[str, Any]]
    stdout: str
    stderr: str

    @classmethod
    def from_output(cls, exit_code: int, stdout: str, stderr: str) -> "ConnectorRun":
        messages = [message for line in stdout.splitlines() if (message := parse_message(line)) is not None]
        return cls(exit_code, messages, stdout, stderr)

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

    def final_state(self, stream: str) -> dict[str, Any] | None:
        """The stream's last state: what the next sync starts from."""
        states = [s for s in self.final_states() if s["stream"]["stream_descriptor"]["name"] == stream]
        return states[0]["stream"]["stream_state"] if states else None

    def logs(self, level: str | None = None) -> list[str]:
        return [
            message["log"]["message"]
            for message in self.of_type("LOG")
            if level is None or message["log"]["level"] == level
        ]

    def estimates(self) -> dict[str, list[int]]:
        """Each stream's row estimates (ESTIMATE traces), in the order they were sent."""
        sent: dict[str, list[int]] = {}
        for message in self.of_type("TRACE"):
            if message["trace"].get("type") == "ESTIMATE":
                estimate = message["trace"]["estimate"]
                sent.setdefault(estimate["name"], []).append(estimate["row_estimate"])
        return sent

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

    def args(
        self, command: str, config: Mapping[str, Any], catalog: Mapping[str, Any] | None = None, state: Any = None
    ) -> list[str]:
        """``main.py``'s arguments for ``command``, with config, catalog and state written to files."""
        args = [command, "--config", str(self.write("config.json", config))]
        if catalog is not None:
            args += ["--catalog", str(self.write("catalog.json", catalog))]
        if state is not None:
            args += ["--state", str(self.write("state.json", state))]
        return args


def run_main(
    args: list[str],
    timeout: float | None = 300,
    on_line: Callable[[str], None] | None = None,
    keep_records: bool = True,
    repo_root: Path = REPO_ROOT,
) -> ConnectorRun:
    """Runs ``python main.py <args>`` and reads its stdout as the connector prints it.

    ``on_line`` is handed each line of stdout as it comes (the demo saves them and shows progress);
    ``keep_records=False`` leaves the records out of the run returned, for reads too large to hold.
    After ``timeout`` seconds the connector is killed and ``subprocess.TimeoutExpired`` raised.
    ``repo_root`` runs the ``main.py`` of another checkout (the record snapshot compares two).
    """
    kept: list[str] = []
    timed_out = threading.Event()
    with tempfile.TemporaryFile("w+") as stderr:
        process = subprocess.Popen(
            main_py_command(args, repo_root), cwd=repo_root, stdout=subprocess.PIPE, stderr=stderr, text=True
        )

        def kill() -> None:
            timed_out.set()
            process.kill()

        deadline = threading.Timer(timeout, kill) if timeout else None
        if deadline:
            deadline.start()
        try:
            assert process.stdout is not None
            for line in process.stdout:
                if on_line:
                    on_line(line)
                if keep_records or not line.startswith(RECORD_LINE_PREFIX):
                    kept.append(line)
        except BaseException:
            process.kill()
            raise
        finally:
            if deadline:
                deadline.cancel()
            exit_code = process.wait()
        stderr.seek(0)
        stderr_text = stderr.read()
    stdout = "".join(kept)
    if timed_out.is_set():
        raise subprocess.TimeoutExpired(main_py_command(args, repo_root), timeout or 0, stdout, stderr_text)
    return ConnectorRun.from_output(exit_code, stdout, stderr_text)


def sync_modes(discovered: Mapping[str, Any], incremental: bool, only: Sequence[str] | None = None) -> dict[str, str]:
    """{stream: sync mode} for every discovered stream (or those in ``only``): incremental where the
    stream offers it and ``incremental`` is asked for, full refresh otherwise."""
    return {
        stream["name"]: "incremental"
        if incremental and "incremental" in stream["supported_sync_modes"]
        else "full_refresh"
        for stream in discovered["streams"]
        if only is None or stream["name"] in only
    }


@dataclass
class KilledRun:
    """What a sync killed midway had emitted when it was killed: record ids and states, by stream."""

    ids: dict[str, set[Any]] = field(default_factory=dict)
    states: list[dict[str, Any]] = field(default_factory=list)
    records: int = 0

    def last_states(self) -> list[dict[str, Any]]:
        """The last state of each stream: what a platform saved, and hands the next sync."""
        last: dict[str, dict[str, Any]] = {}
        for state in self.states:
            last[state["stream"]["stream_descriptor"]["name"]] = state
        return list(last.values())

    def stream_state(self, stream: str) -> dict[str, Any] | None:
        states = [state for state in self.last_states() if state["stream"]["stream_descriptor"]["name"] == stream]
        return states[0]["stream"]["stream_state"] if states else None


def run_main_until_killed(
    args: list[str],
    kill_when: Callable[[KilledRun], bool],
    on_message: Callable[[dict[str, Any]], None] | None = None,
    repo_root: Path = REPO_ROOT,
    record_ids: bool = True,
) -> KilledRun:
    """Runs ``main.py`` and SIGKILLs it, as a platform's worker restart would, once ``kill_when`` holds
    after a message: what it had emitted by then. ``on_message`` is handed each message before that;
    ``repo_root``: another checkout's ``main.py``.

    ``record_ids=False`` counts the records without parsing them (``ids`` stays empty, and
    ``on_message`` sees no record): a reader that parses every record falls behind a connector writing
    thousands a second, and the sync is then killed well after the point ``kill_when`` names."""
    process = subprocess.Popen(main_py_command(args, repo_root), cwd=repo_root, stdout=subprocess.PIPE, text=True)
    run = KilledRun()
    assert process.stdout is not None
    for line in process.stdout:
        if not record_ids and line.startswith(RECORD_LINE_PREFIX):
            run.records += 1
        else:
            message = parse_message(line)
            if message is None:
                continue
            if on_message:
                on_message(message)
            if message["type"] == "RECORD":
                run.ids.setdefault(message["record"]["stream"], set()).add(message["record"]["data"]["id"])
                run.records += 1
            elif message["type"] == "STATE":
                run.states.append(message["state"])
        if kill_when(run):
            process.send_signal(signal.SIGKILL)
            break
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL, "the sync ended before it could be killed"
    return run


def cursor_state(stream_state: Mapping[str, Any]) -> dict[str, Any]:
    """A stream's saved state without the keys of its deletion checks (the ids it emitted, the time of its
    last check; source_activecampaign/deletions/plan.py): what its cursors resume from."""
    # Imported here: the benchmark and the demo import this module, and the CDK would raise the peak
    # memory this process hands on to every connector process it starts.
    from source_activecampaign.deletions.plan import STATE_KEYS

    return {key: value for key, value in stream_state.items() if key not in STATE_KEYS}


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
