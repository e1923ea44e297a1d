"""The measurement: one ``main.py read`` against an emulator process, and what it cost.

The connector runs through its real entrypoint in a subprocess; the figures come from the emulator's
request log and from the connector process's own rusage (``os.wait4`` on its pid, so the emulator
is not mixed in).
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections import Counter
from collections.abc import Collection, Mapping
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from testing.connector_runner import RECORD_LINE_PREFIX, REPO_ROOT, main_py_command
from tools.emulator_process import EmulatorProcess

_RECORD_PREFIX = f'{RECORD_LINE_PREFIX}"record":{{"stream":"'.encode()


@dataclass
class Read:
    """One ``main.py read``: what the connector emitted, what the emulator saw, what it cost."""

    records: Counter[str]
    states: dict[str, Any]  # stream -> the last STATE message's `state` object
    process_wall: float
    maxrss_kb: int
    # This process's own peak RSS when it started the child. Linux carries the parent's peak into the
    # child's ru_maxrss (fork and exec), so ru_maxrss is only an upper bound when it is not above this.
    parent_hwm_kb: int
    cpu_seconds: float
    log: list[Mapping[str, Any]]  # the emulator's request log for this read
    rate_limited: int
    max_in_flight: int
    background_log: list[tuple[float, bool]] = field(default_factory=list)  # another client's calls
    rate_limit_logs: list[str] = field(default_factory=list)  # the connector's lines about the limit

    @property
    def total_records(self) -> int:
        return sum(self.records.values())

    @property
    def requests(self) -> int:
        return len(self.log)

    @property
    def read_wall(self) -> float:
        if not self.log:
            return 0.0
        return float(max(e["finished_at"] for e in self.log) - min(e["started_at"] for e in self.log))

    @property
    def rss(self) -> str:
        mb = f"{self.maxrss_kb / 1024:,.0f}"
        return mb if self.maxrss_kb > self.parent_hwm_kb else f"≤{mb}"

    @property
    def rps(self) -> float:
        return self.requests / self.read_wall if self.read_wall else 0.0

    @property
    def records_per_second(self) -> float:
        return self.total_records / self.read_wall if self.read_wall else 0.0

    @property
    def answered(self) -> int:
        """Requests the API answered with data, not 429."""
        return sum(1 for e in self.log if e["status"] != 429)

    def background_during_read(self) -> tuple[int, int]:
        """(calls, lost) of the other client between the connector's first and last request."""
        if not self.log:
            return 0, 0
        first, last = min(e["started_at"] for e in self.log), max(e["started_at"] for e in self.log)
        during = [admitted for at, admitted in self.background_log if first <= at <= last]
        return len(during), during.count(False)

    def requests_by_path(self) -> Counter[str]:
        return Counter(e["path"] for e in self.log)

    def busiest_second(self) -> int:
        """The most requests that reached the emulator within one second (its limit counts these)."""
        arrivals = sorted(e["started_at"] for e in self.log)
        best, first = 0, 0
        for last, t in enumerate(arrivals):
            while arrivals[first] <= t - 1.0:
                first += 1
            best = max(best, last - first + 1)
        return best

    def traffic(self) -> str:
        return (
            f"at most {self.max_in_flight} requests in flight, at most {self.busiest_second()} arriving within "
            f"one second, {self.rate_limited} answered 429"
        )


def read(
    emulator: EmulatorProcess,
    config: Path,
    catalog: Path,
    state: Path | None,
    out: Path,
    label: str,
    profile: Path | None = None,
    keep_records_of: Collection[str] = (),
    repo_root: Path = REPO_ROOT,
) -> Read:
    """Runs ``main.py read`` once; records are counted, other messages are kept in ``out/<label>.jsonl``,
    and the records of the streams in ``keep_records_of`` in ``out/<label>.records.jsonl``.
    ``repo_root``: the checkout whose connector reads."""
    emulator.admin("reset-stats", {})
    args = ["read", "--config", str(config), "--catalog", str(catalog)]
    command = main_py_command(args + (["--state", str(state)] if state is not None else []), repo_root)
    if profile is not None:  # every thread's CPU, see profile_read.py
        command[1:1] = ["-m", "tools.profile_read", "run", str(profile)]
    records: Counter[str] = Counter()
    states: dict[str, Any] = {}
    errors: list[str] = []
    rate_limit_logs: list[str] = []
    parent_hwm_kb = own_peak_rss_kb()
    started = time.monotonic()
    with (
        (out / f"{label}.jsonl").open("wb") as kept,
        (out / f"{label}.records.jsonl").open("wb") if keep_records_of else nullcontext() as kept_records,
        (out / f"{label}.stderr").open("wb") as stderr,
    ):
        process = subprocess.Popen(command, cwd=repo_root, stdout=subprocess.PIPE, stderr=stderr)
        assert process.stdout is not None
        try:
            _count(process.stdout, kept, records, states, errors, rate_limit_logs, (kept_records, set(keep_records_of)))
        except BaseException:
            process.kill()
            process.wait()
            raise
        process.stdout.close()
        # The child's own rusage (RUSAGE_CHILDREN would add up every child of this process).
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    process_wall = time.monotonic() - started
    if process.returncode != 0 or errors:
        first = list(dict.fromkeys(errors))[:3]
        raise RuntimeError(
            f"{label}: main.py read exited with {process.returncode} ({len(errors)} errors; messages in "
            f"{out / (label + '.jsonl')}): {first}"
        )
    stats = emulator.admin("stats?log=1")
    requests = [{k: e[k] for k in ("path", "query", "status", "started_at", "finished_at")} for e in stats["log"]]
    (out / f"{label}.requests.json").write_text(json.dumps(requests))
    return Read(
        records,
        states,
        process_wall,
        usage.ru_maxrss,
        parent_hwm_kb,
        usage.ru_utime + usage.ru_stime,
        stats["log"],
        stats["rate_limited"],
        stats["max_in_flight"],
        [(at, admitted) for at, admitted in stats.get("background_log", [])],
        rate_limit_logs,
    )


def own_peak_rss_kb() -> int:
    """This process's peak resident memory (VmHWM), 0 where /proc does not say."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def count_lines(stdout: Any, kept: Any, records: Counter[str]) -> None:
    """Counts the RECORD lines of another process's output by stream, as ``read`` counts the
    connector's, and keeps its other lines in ``kept``."""
    _count(stdout, kept, records, {}, [], [])


def _count(
    stdout: Any,
    kept: Any,
    records: Counter[str],
    states: dict[str, Any],
    errors: list[str],
    rate_limit_logs: list[str],
    kept_records: tuple[Any, set[str]] = (None, set()),
) -> None:
    """Counts records by stream without parsing them (the reader must not slow the connector down);
    the records of the streams named in ``kept_records`` are written, unparsed, to its file."""
    records_file, kept_streams = kept_records
    for line in stdout:
        if line.startswith(_RECORD_PREFIX):
            end = line.index(b'"', len(_RECORD_PREFIX))
            stream = line[len(_RECORD_PREFIX) : end].decode()
            records[stream] += 1
            if stream in kept_streams:
                records_file.write(line)
            continue
        kept.write(line)
        try:
            message = json.loads(line)
        except ValueError:
            continue
        if message.get("type") == "STATE":
            stream_state = message["state"].get("stream") or {}
            states[stream_state.get("stream_descriptor", {}).get("name", "")] = message["state"]
        elif message.get("type") == "TRACE" and message["trace"].get("type") == "ERROR":
            errors.append(message["trace"]["error"].get("message", ""))
        elif message.get("type") == "LOG" and message["log"]["message"].startswith("The account's rate limit"):
            rate_limit_logs.append(message["log"]["message"])
