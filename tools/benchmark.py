"""How fast the connector reads, against the bundled emulator: not part of the test run.

Each scenario starts the emulator as a process (a given size, rate limit and latency), runs the
connector through its real entrypoint (``python main.py read --config C --catalog K [--state S]``,
a subprocess) and measures, from the emulator's request log and the connector process's own
rusage (``os.wait4`` on its pid: the emulator is not mixed in):

    records, requests, read wall (first to last request), process wall, effective requests per
    second (requests / read wall), share of the rate ceiling, 429s, records per second (records /
    read wall), peak RSS and CPU seconds (user + sys) of the connector process.

Scenarios (``--scenario N``, repeatable; default all):
  1. contacts only, full refresh, 20,000 contacts, 5 rps, 200 ms latency: the rate ceiling
  2. every stream, full refresh (the catalog from discover), 20,000 contacts, 5 rps, 200 ms
  3. contacts only, 100,000 contacts, no rate limit, no latency: the connector's CPU per record
  4. incremental contacts and deals (data up to now) after 1% of each changed: requests per
     stream of the second read against ceil(changed / 100) + 5
  5. peak RSS at 10,000 and 100,000 contacts (contacts only, no limit, no latency)
  6. small accounts at the ceiling: contacts only at 2,000 and 6,000 contacts, 5 rps, 200 ms
  7. deals only, 5,000 deals (a 20,000-contact account), 5 rps, 200 ms
  8. a first read killed late (SIGKILL once 90% of its records are out) and resumed from its last
     state: requests of the killed and of the resumed read, contacts (5,000) and deals (5,000)
  9. another client on the account at 1, 2 and 3 requests per second, steady and in bursts (6,000
     contacts; contacts and the five other collections of most pages, about 200 requests; 5 rps,
     200 ms, RateLimit headers on every answer): the connector's 429s and rate against what the
     other client leaves, the other client's calls lost to a full window; the 3,000-contact account
     at 2 rps, with the adaptive share and without; another client stopping after 20 s
  10. contacts and its five child streams on the contacts pages: a whole-account full refresh with
      whole sideloads, and with the emulator capping each at a few rows (every row still exact, the
      same records as with whole ones); incremental reads
      after 1% of contacts changed with contact_children_from_changed_contacts off and on (child
      stream requests against ceil(changed / 100) + 5); peak RSS at 10,000 and 100,000 contacts

    scripts/benchmark [--scenario N ...] [--quick] [--contacts N] [--verbose] [--write docs/performance.md]

``--quick`` runs every scenario at a tenth of its size (a few minutes); ``--contacts N`` sets the
size of every scenario (scenario 5 compares N / 10 with N). Limited scenarios put
``requests_per_second: 5`` (the connector's default) in the config; the others leave it out, so
the connector still keeps to its default budget of 5 per second: "no rate limit" means only that
the emulator does not limit. ``--ratelimit-headers`` makes the limited emulator send
RateLimit-Remaining on every answer; ``--profile`` profiles the measured reads (profile_read.py).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import platform
import re
import shlex
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter, defaultdict
from collections.abc import Collection, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import yaml

from testing.connector_runner import (
    RECORD_LINE_PREFIX,
    REPO_ROOT,
    configured_catalog,
    main_py_command,
    run_main,
    run_main_until_killed,
    sync_modes,
)
from tools.emulator_process import EmulatorProcess

RATE_LIMIT = 5
LATENCY_MS = 200
CHANGED_SHARE = 0.01
_RECORD_PREFIX = f'{RECORD_LINE_PREFIX}"record":{{"stream":"'.encode()


# --- one connector read ------------------------------------------------------------------------------


@dataclass
class Read:
    """One ``main.py read``: what the connector emitted, what the emulator saw, what it cost."""

    records: Counter
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
        return max(e["finished_at"] for e in self.log) - min(e["started_at"] for e in self.log)

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

    def requests_by_path(self) -> Counter:
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
) -> Read:
    """Runs ``main.py read`` once; records are counted, other messages are kept in ``out/<label>.jsonl``,
    and the records of the streams in ``keep_records_of`` in ``out/<label>.records.jsonl``."""
    emulator.admin("reset-stats", {})
    args = ["read", "--config", str(config), "--catalog", str(catalog)]
    command = main_py_command(args + (["--state", str(state)] if state is not None else []))
    if profile is not None:  # every thread's CPU, see profile_read.py
        command[1:1] = ["-m", "tools.profile_read", "run", str(profile)]
    records: Counter = Counter()
    states: dict[str, Any] = {}
    errors: list[str] = []
    rate_limit_logs: list[str] = []
    parent_hwm_kb = _own_peak_rss_kb()
    started = time.monotonic()
    with (
        (out / f"{label}.jsonl").open("wb") as kept,
        (out / f"{label}.records.jsonl").open("wb") if keep_records_of else nullcontext() as kept_records,
        (out / f"{label}.stderr").open("wb") as stderr,
    ):
        process = subprocess.Popen(command, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=stderr)
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


def _own_peak_rss_kb() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _count(
    stdout: Any,
    kept: Any,
    records: Counter,
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


# --- catalogs, configs, emulators ------------------------------------------------------------------------


class StreamPaths:
    """Request path -> the stream(s) that read it, from the manifest: a stream's `$parameters.path` or
    its requester's `path`, templated parts matching any segment. A path several streams share is
    named after the one of them that was read, or after all of them."""

    def __init__(self) -> None:
        manifest = yaml.safe_load((REPO_ROOT / "manifest.yaml").read_text())
        names: dict[str, list[str]] = {}
        for name, path in _named_paths(manifest):
            pattern = re.sub(r"\\\{\\\{.*?\\\}\\\}", "[^/]+", re.escape(path.strip("/")))
            if name not in names.setdefault(pattern, []):
                names[pattern].append(name)
        self._patterns = [(re.compile(f"/api/3/{p}"), n) for p, n in names.items()]

    def __call__(self, path: str, read: Sequence[str] | None = None) -> str:
        names = next((n for pattern, n in self._patterns if pattern.fullmatch(path)), [path])
        chosen = [n for n in names if read is None or n in read]
        return chosen[0] if len(chosen) == 1 else "+".join(names)


def _named_paths(manifest: Any) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            params = node.get("$parameters")
            requester = (
                (node.get("retriever") or {}).get("requester") if isinstance(node.get("retriever"), dict) else None
            )
            path = (requester or {}).get("path") if isinstance(requester, dict) else None
            if isinstance(params, dict) and isinstance(params.get("name"), str):
                path = path if isinstance(path, str) and "parameters" not in path else params.get("path")
                if isinstance(path, str):
                    out.append((params["name"], path))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(manifest)
    return out


class Workspace:
    """Files of one scenario under out/benchmark/<n>/."""

    def __init__(self, root: Path, scenario: int) -> None:
        self.dir = root / f"scenario-{scenario}"
        self.dir.mkdir(parents=True, exist_ok=True)
        self._catalog: dict[str, Any] | None = None

    def config(self, emulator: EmulatorProcess, limited: bool, **extra: Any) -> Path:
        # Limited: the connector's default written out.
        config = emulator.connector_config(**({"requests_per_second": RATE_LIMIT} if limited else {}), **extra)
        path = self.dir / "config.json"
        path.write_text(json.dumps(config, indent=2))
        return path

    def discover(self, config: Path) -> dict[str, Any]:
        if self._catalog is None:
            run = run_main(["discover", "--config", str(config)])
            if run.exit_code != 0:
                raise RuntimeError(f"main.py discover exited with {run.exit_code}: {run.stderr[-2000:]}")
            self._catalog = run.of_type("CATALOG")[0]["catalog"]
        return self._catalog

    def catalog(self, config: Path, streams: Sequence[str] | None, incremental: bool, name: str) -> Path:
        discovered = self.discover(config)
        path = self.dir / f"{name}.json"
        path.write_text(
            json.dumps(configured_catalog(sync_modes(discovered, incremental, streams), discovered), indent=2)
        )
        return path


def emulator_process(
    s: Settings,
    contacts: int,
    limited: bool,
    data_until: str | None = None,
    extra: Sequence[str] = (),
    background: Background | None = None,
) -> EmulatorProcess:
    extra = [*extra, *(["--rate-limit", str(RATE_LIMIT), "--latency-ms", str(LATENCY_MS)] if limited else [])]
    if limited and (s.ratelimit_headers or background is not None):
        extra.append("--ratelimit-headers")
    if data_until:
        extra += ["--data-until", data_until]
    if background is not None and background.rps:
        extra += ["--background-rps", str(background.rps), "--background-burst", str(background.burst)]
    return EmulatorProcess(contacts, extra)


@dataclass(frozen=True)
class Background:
    """Another client of the account, as the emulator plays it (``--background-rps``, ``--background-burst``)."""

    rps: float
    burst: int = 1

    def __str__(self) -> str:
        if not self.rps:
            return "none"
        return f"{self.rps:g} rps " + ("steady" if self.burst == 1 else f"in bursts of {self.burst}")


# --- scenarios ----------------------------------------------------------------------------------------------


@dataclass
class Row:
    scenario: str
    title: str
    contacts: int
    limited: bool
    result: Read
    # False when the read is a handful of concurrent requests: req/s over a fraction of a second says nothing
    rate_meaningful: bool = True
    background: Background | None = None  # scenario 9: another client on the account
    adapt: bool = True  # scenario 9: adapt_to_other_clients
    stop_after_s: float | None = None  # scenario 9: the other client stopped then
    notes: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)  # printed always
    verbose: list[str] = field(default_factory=list)  # printed with --verbose

    def lines(self, verbose: bool) -> list[str]:
        return self.details + ([*self.verbose, self.result.traffic()] if verbose else [])


@dataclass
class Settings:
    out: Path
    scale: float
    contacts: int | None
    verbose: bool
    profile: bool
    ratelimit_headers: bool

    def size(self, default: int) -> int:
        return self.contacts if self.contacts else max(20, int(default * self.scale))


def _progress(text: str) -> None:
    print(f"  .. {text}", file=sys.stderr, flush=True)


def _requests_by_stream(result: Read, read: Sequence[str]) -> Counter:
    paths = StreamPaths()
    requests: Counter = Counter()
    for path, count in result.requests_by_path().items():
        requests[paths(path, read)] += count
    return requests


def _per_stream(result: Read, read: Sequence[str]) -> list[str]:
    requests = _requests_by_stream(result, read)
    names = sorted(set(result.records) | set(requests))
    width = max([len(n) for n in names] + [6])
    lines = [f"{'stream':<{width}} {'records':>9} {'requests':>9}"]
    lines += [f"{n:<{width}} {result.records.get(n, 0):>9,} {requests.get(n, 0):>9,}" for n in names]
    return lines


def _full_refresh_read(
    s: Settings,
    scenario: int,
    n: int,
    streams: Sequence[str] | None,
    limited: bool,
    label: str = "read",
    profiled: bool = True,
) -> tuple[Read, list[str]]:
    """A full refresh of ``streams`` (None: every stream) from a fresh emulator of ``n`` contacts: the
    read and the streams it read. With --profile, profiled unless ``profiled`` is False."""
    ws = Workspace(s.out, scenario)
    with emulator_process(s, n, limited=limited) as emulator:
        config = ws.config(emulator, limited=limited)
        catalog = ws.catalog(config, streams, incremental=False, name="catalog")
        read_streams = [entry["stream"]["name"] for entry in json.loads(catalog.read_text())["streams"]]
        limits = f"{RATE_LIMIT} rps, {LATENCY_MS} ms" if limited else "no limit, no latency"
        _progress(f"scenario {scenario}: {', '.join(streams or ['every stream'])}, {n:,} contacts, {limits}")
        profile = ws.dir / f"{label}.prof" if s.profile and profiled else None
        return read(emulator, config, catalog, None, ws.dir, label, profile), read_streams


def scenario_1(s: Settings) -> list[Row]:
    n = s.size(20_000)
    result, _ = _full_refresh_read(s, 1, n, ["contacts"], limited=True)
    return [Row("1", "contacts, full refresh (the ceiling)", n, True, result)]


def scenario_2(s: Settings) -> list[Row]:
    n = s.size(20_000)
    result, streams = _full_refresh_read(s, 2, n, None, limited=True)
    return [
        Row("2", f"all {len(streams)} streams, full refresh", n, True, result, verbose=_per_stream(result, streams))
    ]


def scenario_3(s: Settings) -> list[Row]:
    n = s.size(100_000)
    result, _ = _full_refresh_read(s, 3, n, ["contacts"], limited=False)
    per_record = result.cpu_seconds * 1e6 / max(1, result.total_records)
    return [
        Row(
            "3",
            "contacts, CPU cost (no limit, no latency)",
            n,
            False,
            result,
            notes=[f"{per_record:,.0f} CPU µs/record"],
        )
    ]


def scenario_4(s: Settings) -> list[Row]:
    n = s.size(20_000)
    ws = Workspace(s.out, 4)
    with emulator_process(s, n, limited=True, data_until="now") as emu:
        config = ws.config(emu, limited=True)
        catalog = ws.catalog(config, ["contacts", "deals"], incremental=True, name="catalog")
        _progress(f"scenario 4: contacts and deals incremental, {n:,} contacts (data up to now): first read")
        first = read(emu, config, catalog, None, ws.dir, "read-1")
        state = ws.dir / "state.json"
        state.write_text(json.dumps(list(first.states.values()), indent=2))
        changed: dict[str, int] = {}
        for resource in ("contacts", "deals"):  # the first read returned every row
            count = math.ceil(first.records[resource] * CHANGED_SHARE)
            changed[resource] = len(emu.admin("touch", {"resource": resource, "count": count})["ids"])
        _progress(f"scenario 4: second read after {changed['contacts']} contacts and {changed['deals']} deals changed")
        second = read(emu, config, catalog, state, ws.dir, "read-2", ws.dir / "read-2.prof" if s.profile else None)
    by_stream = _requests_by_stream(second, ["contacts", "deals"])
    details = [f"{'stream':<9} {'changed':>8} {'records':>8} {'requests':>9} {'bound':>6}"]
    notes = []
    for stream in ("contacts", "deals"):
        bound = math.ceil(changed[stream] / 100) + 5
        ok = "within" if by_stream[stream] <= bound else "OVER"
        details.append(
            f"{stream:<9} {changed[stream]:>8,} {second.records[stream]:>8,} {by_stream[stream]:>9,} {bound:>6}  {ok}"
        )
        notes.append(f"{stream} {by_stream[stream]} req (bound {bound}), {second.records[stream]:,} rec")
    first_row = Row("4a", "incremental contacts + deals, first read", n, True, first)
    second_row = Row(
        "4b",
        "incremental, second read after 1% changed",
        n,
        True,
        second,
        notes=notes,
        details=details,
        rate_meaningful=False,
    )
    return [first_row, second_row]


# The contact child streams that ride on the contacts pages, and the collection each reads on its own.
CONTACT_CHILDREN = {
    "contact_tags": "contactTags",
    "contact_lists": "contactLists",
    "custom_field_values": "fieldValues",
    "contact_automations": "contactAutomations",
    "account_contacts": "accountContacts",
}
SIDELOAD_CAP = 3


def _child_requests(result: Read) -> int:
    """Requests made for the contact child streams: their collections, a contact's own lists, and
    contacts pages asked with one of their includes."""
    kinds = set(CONTACT_CHILDREN.values())
    count = 0
    for entry in result.log:
        path = entry["path"].removeprefix("/api/3/")
        included = {kind for value in (entry.get("query") or {}).get("include", []) for kind in value.split(",")}
        if path in kinds or (path.startswith("contacts/") and path.rsplit("/", 1)[-1] in kinds) or included & kinds:
            count += 1
    return count


def _collection_total(emu: EmulatorProcess, resource: str) -> int:
    """How many rows the emulator holds in a collection: its ``meta.total`` on a page of one row,
    spaced to stay within the rate limit. Not the rows themselves: this process's peak RSS is carried
    into the connector processes it starts later."""
    time.sleep(1 / RATE_LIMIT)
    request = urllib.request.Request(f"{emu.url}/api/3/{resource}?limit=1", headers={"Api-Token": emu.api_key})
    with urllib.request.urlopen(request, timeout=30) as response:
        return int(json.loads(response.read())["meta"]["total"])


def _rows_exact(emu: EmulatorProcess, result: Read, streams: Sequence[str]) -> str:
    """Records per stream against the emulator's own rows."""
    differ = []
    for stream in streams:
        rows = _collection_total(emu, CONTACT_CHILDREN.get(stream, stream))
        if result.records.get(stream, 0) != rows:
            differ.append(f"{stream} {result.records.get(stream, 0):,} of {rows:,}")
    return "every row exact" if not differ else "rows differ: " + ", ".join(differ)


def _record_fingerprints(path: Path, emulator_url: str) -> dict[str, tuple[int, int, int]]:
    """Per stream of a file of RECORD lines: records, distinct ids, and an order-free hash of the
    records' data (``emitted_at`` left out, the emulator's URL in ``links`` made one), so that two
    reads compare without holding either."""
    counts: Counter = Counter()
    ids: dict[str, set[Any]] = defaultdict(set)
    digests: Counter = Counter()
    with path.open("rb") as lines:
        for line in lines:
            record = json.loads(line.replace(emulator_url.encode(), b"{EMULATOR_URL}"))["record"]
            stream, data = record["stream"], record["data"]
            counts[stream] += 1
            ids[stream].add(data.get("id"))
            digest = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).digest()
            digests[stream] = (digests[stream] + int.from_bytes(digest[:16], "big")) % (1 << 128)
    return {stream: (counts[stream], len(ids[stream]), digests[stream]) for stream in counts}


def _same_records(first: tuple[Path, str], second: tuple[Path, str]) -> str:
    """Whether the second read (its records' file, its emulator's URL) emitted the very records of
    the first, each once."""
    before, after = _record_fingerprints(*first), _record_fingerprints(*second)
    differ = [stream for stream in sorted(set(before) | set(after)) if before.get(stream) != after.get(stream)]
    repeated = [stream for stream, (count, distinct, _) in after.items() if count != distinct]
    if differ or repeated:
        return (
            f"records differ from 10a's: {', '.join(differ) or 'none'}; repeated ids: {', '.join(repeated) or 'none'}"
        )
    return f"the records of 10a, each once ({sum(count for count, _, _ in after.values()):,} in {len(after)} streams)"


def scenario_10(s: Settings) -> list[Row]:
    rows: list[Row] = []
    streams = ["contacts", *CONTACT_CHILDREN]
    n = s.size(20_000)
    ws = Workspace(s.out, 10)
    # First, while this process is small: Linux carries its peak RSS into each child's, and the
    # comparison of 10a's and 10b's records (last) holds every record's id.
    memory_rows = _contact_children_peak_rss(s, ws, streams)

    # The whole account, full refresh: sideloads whole, then capped (each contact's id lists still whole).
    whole_account: dict[bool, Read] = {}
    exact: dict[bool, str] = {}
    urls: dict[bool, str] = {}
    for capped in (False, True):
        label = "read-capped" if capped else "read-whole"
        extra = ["--sideload-cap", str(SIDELOAD_CAP)] if capped else []
        with emulator_process(s, n, limited=True, extra=extra) as emu:
            config = ws.config(emu, limited=True)
            catalog = ws.catalog(config, None, incremental=False, name="catalog-all")
            sideloads = f"sideloads capped at {SIDELOAD_CAP} rows" if capped else "whole sideloads"
            _progress(f"scenario 10{'b' if capped else 'a'}: every stream, {sideloads}, {n:,} contacts")
            whole_account[capped] = read(emu, config, catalog, None, ws.dir, label, keep_records_of=streams)
            exact[capped] = _rows_exact(emu, whole_account[capped], streams)
            urls[capped] = emu.url
    every = [entry["stream"]["name"] for entry in json.loads(catalog.read_text())["streams"]]

    # Incremental: a first read, 1% of contacts changed, then the second read with the option off and on.
    with emulator_process(s, n, limited=True, data_until="now") as emu:
        config = ws.config(emu, limited=True)
        catalog = ws.catalog(config, streams, incremental=True, name="catalog-children")
        _progress(f"scenario 10c: contacts and its child streams incremental, {n:,} contacts: first read")
        first = read(emu, config, catalog, None, ws.dir, "read-1")
        state = ws.dir / "state.json"
        state.write_text(json.dumps(list(first.states.values()), indent=2))
        changed = len(emu.admin("touch", {"resource": "contacts", "count": math.ceil(n * CHANGED_SHARE)})["ids"])
        bound = math.ceil(changed / 100) + 5
        second: dict[bool, Read] = {}
        for option in (False, True):
            _progress(f"scenario 10: second read after {changed} contacts changed, option {'on' if option else 'off'}")
            option_config = ws.dir / f"config-option-{option}.json"
            option_config.write_text(
                json.dumps({**json.loads(config.read_text()), "contact_children_from_changed_contacts": option})
            )
            second[option] = read(emu, option_config, catalog, state, ws.dir, f"read-2-option-{option}")
    rows.append(
        Row(
            "10c",
            "contacts + its 5 child streams, incremental, first read",
            n,
            True,
            first,
            notes=[f"child streams {_child_requests(first):,} req"],
            verbose=_per_stream(first, streams),
        )
    )
    for option, label in ((False, "10d"), (True, "10e")):
        child = _child_requests(second[option])
        verdict = ("within" if child <= bound else "OVER") if option else "each collection in full, as before"
        rows.append(
            Row(
                label,
                f"second read after 1% changed, contact_children_from_changed_contacts {'on' if option else 'off'}",
                n,
                True,
                second[option],
                rate_meaningful=option is False,
                notes=[
                    f"{changed:,} contacts changed; child streams {child:,} req"
                    + (f" (bound {bound}: {verdict})" if option else f" ({verdict})")
                ],
                verbose=_per_stream(second[option], streams),
            )
        )

    # Last: the comparison holds every record's id.
    same = _same_records(
        (ws.dir / "read-whole.records.jsonl", urls[False]), (ws.dir / "read-capped.records.jsonl", urls[True])
    )
    whole_account_rows = []
    for capped, label in ((False, "10a"), (True, "10b")):
        result = whole_account[capped]
        sideloads = f"sideloads capped at {SIDELOAD_CAP} rows" if capped else "whole sideloads"
        whole_account_rows.append(
            Row(
                label,
                f"all streams, full refresh, {sideloads}",
                n,
                True,
                result,
                notes=[exact[capped], *([same] if capped else []), f"child streams {_child_requests(result):,} req"],
                verbose=_per_stream(result, every),
            )
        )
    return [*whole_account_rows, *rows, *memory_rows]


def _contact_children_peak_rss(s: Settings, ws: Workspace, streams: Sequence[str]) -> list[Row]:
    """Peak RSS reading pages of 100 contacts with every child row, at two sizes ten times apart."""
    large = s.size(100_000)
    sizes = (max(20, large // 10), large)
    memory: list[Read] = []
    for size in sizes:
        with emulator_process(s, size, limited=False) as emu:
            config = ws.config(emu, limited=False)
            catalog = ws.catalog(config, streams, incremental=False, name="catalog-memory")
            _progress(f"scenario 10: contacts and its child streams, {size:,} contacts, no limit, no latency")
            memory.append(read(emu, config, catalog, None, ws.dir, f"read-memory-{size}"))
    ratio = memory[1].maxrss_kb / memory[0].maxrss_kb
    rows = [
        Row(label, "contacts + its 5 child streams, peak RSS", size, False, result)
        for label, size, result in zip(("10f", "10g"), sizes, memory, strict=True)
    ]
    rows[-1].notes.append(
        f"RSS x{ratio:.2f} for x{memory[1].total_records / max(1, memory[0].total_records):.0f} records"
    )
    return rows


def scenario_5(s: Settings, reuse: Row | None) -> list[Row]:
    large = s.size(100_000)
    small = max(20, large // 10)
    rows: list[Row] = []
    for n in (small, large):
        if reuse is not None and reuse.contacts == n:
            rows.append(
                Row(
                    f"5 ({'small' if n == small else 'large'})",
                    "contacts, peak RSS",
                    n,
                    False,
                    reuse.result,
                    notes=["the scenario 3 read"],
                )
            )
            continue
        # Never profiled: it measures memory.
        result, _ = _full_refresh_read(s, 5, n, ["contacts"], limited=False, label=f"read-{n}", profiled=False)
        rows.append(Row(f"5 ({'small' if n == small else 'large'})", "contacts, peak RSS", n, False, result))
    a, b = rows[0].result, rows[1].result
    ratio = b.maxrss_kb / a.maxrss_kb
    marginal_cpu = (b.cpu_seconds - a.cpu_seconds) * 1e6 / max(1, b.total_records - a.total_records)
    rows[1].notes.append(f"RSS x{ratio:.2f} for x{b.total_records / max(1, a.total_records):.0f} records")
    rows[1].details.append(
        f"peak RSS {a.maxrss_kb / 1024:,.0f} MB at {rows[0].contacts:,} contacts, {b.maxrss_kb / 1024:,.0f} MB at "
        f"{rows[1].contacts:,}: ratio {ratio:.2f}; marginal CPU {marginal_cpu:,.0f} µs per extra record"
    )
    return rows


def scenario_6(s: Settings) -> list[Row]:
    ws = Workspace(s.out, 6)
    rows = []
    for label, default in (("6a", 2_000), ("6b", 6_000)):
        n = s.size(default)
        with emulator_process(s, n, limited=True) as emu:
            config = ws.config(emu, limited=True)
            catalog = ws.catalog(config, ["contacts"], incremental=False, name="catalog")
            _progress(f"scenario {label}: contacts, {n:,} contacts, {RATE_LIMIT} rps, {LATENCY_MS} ms")
            result = read(emu, config, catalog, None, ws.dir, f"read-{n}")
        rows.append(Row(label, "contacts, small account at the ceiling", n, True, result))
    return rows


def scenario_7(s: Settings) -> list[Row]:
    n = s.size(20_000)
    ws = Workspace(s.out, 7)
    with emulator_process(s, n, limited=True) as emu:
        config = ws.config(emu, limited=True)
        catalog = ws.catalog(config, ["deals"], incremental=False, name="catalog")
        _progress(f"scenario 7: deals of a {n:,}-contact account, {RATE_LIMIT} rps, {LATENCY_MS} ms")
        result = read(emu, config, catalog, None, ws.dir, "read")
    return [Row("7", f"deals, full refresh ({result.total_records:,} deals)", n, True, result)]


KILL_AT_SHARE = 0.9


def scenario_8(s: Settings) -> list[Row]:
    ws = Workspace(s.out, 8)
    rows = []
    for label, stream, account in (("8a", "contacts", 5_000), ("8b", "deals", 20_000)):
        n = s.size(account)
        with emulator_process(s, n, limited=True) as emu:
            config = ws.config(emu, limited=True)
            catalog = ws.catalog(config, [stream], incremental=True, name=f"catalog-{stream}")
            _progress(f"scenario {label}: {stream} of a {n:,}-contact account, a full first read")
            full = read(emu, config, catalog, None, ws.dir, f"full-{stream}")
            kill_after = int(full.records[stream] * KILL_AT_SHARE)
            _progress(f"scenario {label}: first read killed after {kill_after:,} records, then resumed")
            emu.admin("reset-stats", {})
            read_ids, states = run_main_until_killed(
                ["read", "--config", str(config), "--catalog", str(catalog)],
                lambda records, _, limit=kill_after: len(records) >= limit,
            )
            seen, last_state = len(read_ids), (states[-1] if states else None)
            killed_requests = len(emu.admin("stats?log=1")["log"])
            state = ws.dir / f"state-{stream}.json"
            state.write_text(json.dumps([last_state] if last_state else [], indent=2))
            resumed = read(emu, config, catalog, state if last_state else None, ws.dir, f"resumed-{stream}")
        note = (
            f"killed after {seen:,} of {full.records[stream]:,} records and {killed_requests} of {full.requests} "
            f"requests; the resumed read took {resumed.requests} requests"
            + ("" if last_state else " (the killed read had emitted no state)")
        )
        rows.append(
            Row(
                label,
                f"{stream}: first read killed at {KILL_AT_SHARE:.0%}, resumed",
                n,
                True,
                resumed,
                rate_meaningful=False,
                notes=[note],
            )
        )
    return rows


# Contacts and the five other collections of most pages (207 requests at 6,000 contacts): streams that
# ride on the contacts pages would make the read a quarter as long.
SHARED_STREAMS = [
    "contacts",
    "deal_activities",
    "activities",
    "ecommerce_order_products",
    "deal_custom_field_values",
    "contact_data",
]
BURST = 4


@dataclass(frozen=True)
class SharedRun:
    contacts: int
    background: Background
    adapt: bool = True
    stop_after_s: float | None = None  # the other client stops this long after the connector's start


def scenario_9(s: Settings) -> list[Row]:
    n, check = s.size(6_000), s.size(3_000)
    runs = [SharedRun(n, Background(0))]
    runs += [SharedRun(n, Background(rps, burst)) for rps in (1, 2, 3) for burst in (1, BURST)]
    runs += [SharedRun(check, Background(2)), SharedRun(check, Background(2), adapt=False)]
    # The other client stops: how soon the connector is back at the ceiling; and one using the whole limit.
    runs += [SharedRun(n, Background(3), stop_after_s=20), SharedRun(n, Background(5), stop_after_s=20)]
    ws = Workspace(s.out, 9)
    rows = []
    for index, run in enumerate(runs):
        with emulator_process(s, run.contacts, limited=True, background=run.background) as emu:
            config = ws.config(emu, limited=True, adapt_to_other_clients=run.adapt)
            catalog = ws.catalog(config, SHARED_STREAMS, incremental=False, name="catalog")
            stop = f", stopping after {run.stop_after_s:g} s" if run.stop_after_s else ""
            _progress(
                f"scenario 9: {run.contacts:,} contacts, another client {run.background}{stop}, adaptive {run.adapt}"
            )
            stopped: list[float] = []
            timer = None
            if run.stop_after_s:  # started with the connector; its start-up (about 3 s) included
                timer = threading.Timer(run.stop_after_s, _stop_background, (emu, stopped))
                timer.start()
            try:
                result = read(emu, config, catalog, None, ws.dir, f"read-{index}")
            finally:
                if timer is not None:
                    timer.cancel()
        notes = [f"{len(result.rate_limit_logs)} log lines about the shared limit"] if result.rate_limit_logs else []
        if stopped:
            notes.insert(0, _climb_back(result, stopped[0]))
        title = f"another client {run.background}{stop}" + ("" if run.adapt else ", adapt_to_other_clients off")
        rows.append(
            Row(
                "9",
                title,
                run.contacts,
                True,
                result,
                background=run.background,
                adapt=run.adapt,
                stop_after_s=run.stop_after_s,
                notes=notes,
            )
        )
    return rows


def _stop_background(emu: EmulatorProcess, stopped: list[float]) -> None:
    emu.admin("options", {"background_rps": 0})
    stopped.append(time.monotonic())  # the emulator's log is on the same monotonic clock (Linux)


def _climb_back(result: Read, stopped_at: float) -> str:
    """When the other client stopped, and how long after it the connector was back at the ceiling: the
    first 5 of its requests (not 429) arriving within 1.05 s, the budget's 1.03 s window plus jitter."""
    arrivals = sorted(e["started_at"] for e in result.log if e["status"] != 429)
    stop = f"other client stopped at {stopped_at - min(e['started_at'] for e in result.log):.0f} s of the read"
    for first, last in zip(arrivals, arrivals[RATE_LIMIT - 1 :], strict=False):
        if first > stopped_at and last - first <= 1.05:
            return f"{stop}; {RATE_LIMIT} req/s again {last - stopped_at:.1f} s later"
    return f"{stop}; never {RATE_LIMIT} req/s again"


# --- output -----------------------------------------------------------------------------------------------------

HEADER = (
    "scenario",
    "contacts",
    "records",
    "requests",
    "read wall s",
    "process wall s",
    "req/s",
    "% of ceiling",
    "429s",
    "records/s",
    "peak RSS MB",
    "CPU s",
    "notes",
)


def table(rows: Sequence[Row]) -> str:
    align = ["---"] + ["---:"] * (len(HEADER) - 2) + ["---"]
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "|".join(align) + "|"]
    for row in rows:
        r = row.result
        ceiling = f"{100 * r.rps / RATE_LIMIT:.0f}%" if row.limited and row.rate_meaningful else "—"
        cells = (
            f"{row.scenario}: {row.title}",
            f"{row.contacts:,}",
            f"{r.total_records:,}",
            f"{r.requests:,}",
            f"{r.read_wall:.1f}",
            f"{r.process_wall:.1f}",
            f"{r.rps:.2f}" if row.rate_meaningful else "—",
            ceiling,
            f"{r.rate_limited}",
            f"{r.records_per_second:,.0f}" if row.rate_meaningful else "—",
            r.rss,
            f"{r.cpu_seconds:.1f}",
            "; ".join(row.notes),
        )
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


SHARED_HEADER = (
    "another client",
    "contacts",
    "adaptive",
    "requests",
    "429s",
    "read wall s",
    "answered req/s",
    "left to the connector",
    "% of what is left",
    "other client's calls",
    "lost",
    "% through",
    "notes",
)


def shared_table(rows: Sequence[Row]) -> str:
    """Scenario 9: the connector's rate against what the other client leaves, and what it costs the other."""
    align = ["---"] + ["---:"] * (len(SHARED_HEADER) - 2) + ["---"]
    lines = ["| " + " | ".join(SHARED_HEADER) + " |", "|" + "|".join(align) + "|"]
    for row in rows:
        r, background = row.result, row.background or Background(0)
        rate = r.answered / r.read_wall if r.read_wall else 0.0
        # What the other client leaves is a fixed figure only while it keeps running.
        left = RATE_LIMIT - background.rps if not row.stop_after_s else 0
        calls, lost = r.background_during_read()
        cells = (
            str(background) + (f", for the first {row.stop_after_s:g} s" if row.stop_after_s else ""),
            f"{row.contacts:,}",
            "on" if row.adapt else "off",
            f"{r.requests:,}",
            f"{r.rate_limited}",
            f"{r.read_wall:.1f}",
            f"{rate:.2f}",
            f"{left:g}" if left else "—",
            f"{100 * rate / left:.0f}%" if left else "—",
            f"{calls:,}" if background.rps else "—",
            f"{lost:,}" if background.rps else "—",
            f"{100 * (calls - lost) / calls:.0f}%" if calls else "—",
            "; ".join(row.notes),
        )
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def connector_version() -> str:
    """The commit the connector's files come from, and whether they differ from it."""

    def git(*args: str) -> str:
        result = subprocess.run(["git", *args], cwd=REPO_ROOT, capture_output=True, text=True)
        return result.stdout.strip() if result.returncode == 0 else ""

    commit = git("rev-parse", "--short", "HEAD")
    if not commit:
        return f"connector files in {REPO_ROOT} (not a git checkout)"
    dirty = git("status", "--porcelain", "--", "manifest.yaml", "source_activecampaign", "schemas", "main.py")
    return f"connector at commit {commit}" + (" with uncommitted changes to its files" if dirty else "")


def machine() -> list[str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    uname = subprocess.run(["uname", "-a"], capture_output=True, text=True).stdout.strip()
    return [
        f"- machine: `{uname or ' '.join(filter(None, platform.uname()))}`",
        f"- CPU: {cpu}, {os.cpu_count()} cores",
        f"- Python {platform.python_version()} ({sys.executable.replace(str(REPO_ROOT) + '/', '')})",
        f"- date: {datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}, load average before the run "
        f"{os.getloadavg()[0]:.2f}",
        f"- {connector_version()}",
    ]


SCENARIO_NOTES = {
    "1": "Contacts only, full refresh, against an emulator that allows 5 requests per second and answers each request "
    "after 200 ms, as the real API does. The ceiling is the account's 5 requests per second. One keyset-paged "
    "walk (`id_greater`) is sequential, each page waiting for the previous one, so it makes one request per "
    "(latency + the connector's time per page), about 4 per second here: reaching the ceiling takes several "
    "walks side by side.",
    "2": "Every stream in the catalog discover returns, full refresh, at the same limit and latency: how well the "
    "connector's concurrent workers fill the 5 requests per second when several streams can be read at once.",
    "3": "Contacts only with the limit and latency off in the emulator: what the connector itself spends per record "
    "(parsing, schema normalization, serialization). The connector still keeps to its own budget of 5 "
    "requests per second (`requests_per_second` is at most 5), so the wall time is bounded by the budget; "
    "CPU seconds and CPU µs per record are the measure.",
    "4": "An account synced often: the emulator's data runs up to now (`--data-until now`). A first incremental "
    "read of contacts and deals saves the state; then 1% of contacts and 1% of deals are changed and a second "
    "read starts from the state. Only the second read's requests per stream are held to the bound "
    "ceil(changed / 100) + 5: a sync after a few changes must cost a few requests, not a walk of the collection.",
    "5": "Peak resident memory of the connector process reading contacts at two sizes, ten times apart: memory "
    "should not grow with the number of records (records are streamed, not kept).",
    "6": "Contacts only at 2,000 and 6,000 contacts, 5 requests per second and 200 ms: small accounts, where a "
    "read is a few dozen requests and a sequence left alone at the end cannot keep the budget full. Process wall "
    "is what a user waits for, start-up included.",
    "7": "Deals only, 5,000 of them (the deals of a 20,000-contact account), 5 requests per second and 200 ms: "
    "deals are offset-paged in creation order, one sequence; no split keeps both the discovered cursor and "
    "every deal updated during the read (see Issue 12 below).",
    "8": "A first read of contacts (5,000) and of deals (5,000), killed with SIGKILL once 90% of its records are "
    "out, then run again from the last state it emitted, as a platform would after a worker restart. The row is "
    "the second read; the note compares its requests with the killed read's and with a full read's.",
    "9": "Another client of the account (a shop sync, a form tool) spends part of the 5 requests per second while "
    "the connector reads contacts and the five other collections of most pages (about 200 requests at 6,000 "
    "contacts), 5 rps and 200 ms as in scenario 1, with "
    "RateLimit-Limit and RateLimit-Remaining on every answer. The emulator plays the other client's calls at "
    f"fixed times, evenly spaced (steady) or {BURST} at once (bursts), against the same one-second window: a "
    "call that finds the window full is lost. Answered req/s are the connector's requests not answered 429, per "
    "second of read wall, against the 5 - N the other client leaves; its calls and losses are counted between "
    "the connector's first and last request.",
    "10": "Contacts and its five child streams (contact_tags, contact_lists, custom_field_values, "
    "contact_automations, account_contacts), which ride on the contacts pages (`include=`). 10a: every stream, "
    "full refresh, 5 rps and 200 ms: scenario 2's read, the child streams on the contacts pages. 10b: the same with "
    f"the emulator capping each sideload at {SIDELOAD_CAP} rows while each contact's id lists stay whole: the "
    "connector must notice and still sync every row (records counted against the emulator's rows, and the six "
    "streams' records compared with 10a's). 10c-10e: contacts and the child streams incremental on data up to now; "
    "after the first read 1% of contacts change; the second read runs with `contact_children_from_changed_contacts` "
    "off (each child collection read in full) and on (the changed contacts' pages), the child streams' requests held "
    "to ceil(changed / 100) + 5. 10f-10g: peak RSS of the same six streams at two sizes ten times apart, no limit.",
}


def report(rows: Sequence[Row], command: str, verbose: bool, setting: Sequence[str]) -> str:
    main_rows = [row for row in rows if row.background is None]
    shared_rows = [row for row in rows if row.background is not None]
    parts = [
        "# Performance",
        "",
        "Measured with `scripts/benchmark` (`tools/benchmark.py`) against the bundled emulator "
        "(`activecampaign_emulator`), the connector run as `python main.py read` in a subprocess.",
        "",
        *setting,
        f"- command: `{command}`",
        "",
        table(main_rows),
        "",
        "Read wall: first to last request in the emulator's log; process wall: the whole `main.py read` process "
        "(start-up included). req/s and records/s are per second of read wall; % of ceiling is req/s over the "
        "emulator's limit of 5 per second. Peak RSS and CPU (user + sys) are the connector process's own "
        "(`os.wait4` on its pid); Linux carries a parent's peak RSS into its child's `ru_maxrss`, so a peak not "
        "above the benchmark process's own would be shown as ≤ (an upper bound).",
        "",
    ]
    if shared_rows:
        parts += ["Scenario 9, another client on the account:", "", shared_table(shared_rows), ""]
    for row in main_rows:
        if row.lines(verbose):
            parts += [f"Scenario {row.scenario}:", "", "```", *row.lines(verbose), "```", ""]
    parts += ["## Scenarios", ""]
    seen = set()
    for row in rows:
        key = row.scenario[0]
        if key not in seen:
            seen.add(key)
            parts += [f"**{key}.** {SCENARIO_NOTES[key]}", ""]
    return "\n".join(parts)


SCENARIO_NUMBERS = tuple(range(1, 11))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--scenario", type=int, action="append", choices=SCENARIO_NUMBERS, help="run only this one (repeatable)"
    )
    parser.add_argument("--quick", action="store_true", help="every scenario at a tenth of its size")
    parser.add_argument(
        "--contacts", type=int, default=None, help="the size of every scenario (scenario 5: N/10 and N)"
    )
    parser.add_argument("--verbose", action="store_true", help="per-stream records and requests")
    parser.add_argument("--write", type=Path, default=None, metavar="PATH", help="write the report there (markdown)")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="profile the measured reads (CPU of every thread; out/benchmark/scenario-N/*.prof, "
        "read with python -m tools.profile_read show FILE); slows them down",
    )
    parser.add_argument(
        "--ratelimit-headers",
        action="store_true",
        help="the limited emulator also sends RateLimit-Limit/-Remaining on successes",
    )
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "out" / "benchmark", help="configs, catalogs, messages")
    options = parser.parse_args(argv)
    settings = Settings(
        options.out,
        0.1 if options.quick else 1.0,
        options.contacts,
        options.verbose,
        options.profile,
        options.ratelimit_headers,
    )
    selected = sorted(set(options.scenario or SCENARIO_NUMBERS))
    command = shlex.join(["scripts/benchmark", *(sys.argv[1:] if argv is None else argv)])

    rows: list[Row] = []
    setting = machine()
    started = time.monotonic()
    for number in selected:
        if number == 5:
            reuse = next((r for r in rows if r.scenario == "3"), None)
            new = scenario_5(settings, reuse if not options.profile else None)
        else:
            scenarios = {1: scenario_1, 2: scenario_2, 3: scenario_3, 4: scenario_4}
            scenarios |= {6: scenario_6, 7: scenario_7, 8: scenario_8, 9: scenario_9, 10: scenario_10}
            new = scenarios[number](settings)
        rows += new
        for row in new:
            label = f"{row.scenario} ({row.title})" if row.background else row.scenario
            print(
                f"scenario {label}: {row.result.total_records:,} records, {row.result.requests:,} requests, "
                f"{row.result.read_wall:.1f} s read, {row.result.rps:.2f} req/s, {row.result.rate_limited} 429s, "
                f"{row.result.rss} MB, {row.result.cpu_seconds:.1f} CPU s"
                + (f"; {'; '.join(row.notes)}" if row.notes else ""),
                flush=True,
            )
            for line in row.lines(options.verbose):
                print(f"    {line}", flush=True)

    main_rows = [row for row in rows if row.background is None]
    shared_rows = [row for row in rows if row.background is not None]
    print(f"\n{table(main_rows)}\n" + (f"\n{shared_table(shared_rows)}\n" if shared_rows else ""))
    print(f"(all scenarios: {time.monotonic() - started:.0f} s)")
    if options.write:
        options.write.parent.mkdir(parents=True, exist_ok=True)
        options.write.write_text(report(rows, command, options.verbose, setting) + "\n", encoding="utf-8")
        print(f"wrote {options.write}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
