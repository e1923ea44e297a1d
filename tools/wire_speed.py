"""Records at the speed of the wire (issue 19): the connector's CPU per record against the floor (benchmark only).

- ``record-path``: contacts and its five child streams, full refresh, 20,000 contacts, no limit and no
  latency in the emulator. The connector (``main.py read``) and the minimal reader
  (``tools/minimal_reader.py``: one ``orjson.loads`` per page, one ``orjson.dumps`` per record) read
  the same pages of the same emulator, one after the other; each one's CPU (user + sys of its own
  process, start-up included) per record, and their ratio.
- ``ceiling``: every stream, full refresh, first sync, 5 rps, 200 ms, RateLimit headers on every
  answer, at 10,000, 20,000 and 100,000 contacts: requests per second, share of the ceiling, 429s,
  CPU seconds, peak RSS (the 100,000 against the 10,000).

    python -m tools.wire_speed record-path [--contacts N]
    python -m tools.wire_speed ceiling [--contacts N ...]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from testing.connector_runner import REPO_ROOT
from tools.benchmark import (
    RATE_LIMIT,
    Read,
    Settings,
    Workspace,
    _count,
    _progress,
    emulator_process,
    read,
)
from tools.minimal_reader import CHILD_KINDS

CONTACT_PAGE_STREAMS = ["contacts", *CHILD_KINDS]


@dataclass
class FloorRead:
    records: Counter
    cpu_seconds: float
    maxrss_kb: int

    @property
    def total_records(self) -> int:
        return sum(self.records.values())


def minimal_read(url: str, api_key: str, out: Path) -> FloorRead:
    """Runs the minimal reader as its own process and counts its RECORD lines as the connector's are counted."""
    command = [sys.executable, "-m", "tools.minimal_reader", "--api-url", url, "--api-key", api_key]
    records: Counter = Counter()
    errors: list[str] = []
    with (out / "minimal-reader.jsonl").open("wb") as kept, (out / "minimal-reader.stderr").open("wb") as stderr:
        process = subprocess.Popen(command, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=stderr)
        assert process.stdout is not None
        _count(process.stdout, kept, records, {}, errors, [])
        process.stdout.close()
        _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"the minimal reader failed: {(out / 'minimal-reader.stderr').read_text()[-2000:]}")
    return FloorRead(records, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)


@dataclass
class RecordPath:
    contacts: int
    connector: Read
    floor: FloorRead

    def lines(self) -> list[str]:
        ours = self.connector.cpu_seconds * 1e6 / max(1, self.connector.total_records)
        floor = self.floor.cpu_seconds * 1e6 / max(1, self.floor.total_records)
        same = (
            "the same records per stream"
            if self.connector.records == self.floor.records
            else (
                f"RECORDS DIFFER: connector {dict(self.connector.records)}, minimal reader {dict(self.floor.records)}"
            )
        )
        return [
            f"record path, contacts + its 5 child streams, {self.contacts:,} contacts, full refresh "
            f"(load average {os.getloadavg()[0]:.2f} after the reads)",
            f"  {'reader':<16} {'records':>9} {'CPU s':>7} {'CPU µs/record':>14} {'peak RSS MB':>12}",
            f"  {'connector':<16} {self.connector.total_records:>9,} {self.connector.cpu_seconds:>7.1f} {ours:>14.1f}"
            f" {self.connector.rss:>12}",
            f"  {'minimal reader':<16} {self.floor.total_records:>9,} {self.floor.cpu_seconds:>7.1f} {floor:>14.1f}"
            f" {self.floor.maxrss_kb / 1024:>12,.0f}",
            f"  ratio {ours / floor:.1f}x ({same})",
        ]


def record_path(s: Settings) -> RecordPath:
    n = s.size(20_000)
    ws = Workspace(s.out, "wire-speed-record-path")  # type: ignore[arg-type]
    with emulator_process(s, n, limited=False) as emu:
        config = ws.config(emu, limited=False)
        catalog = ws.catalog(config, CONTACT_PAGE_STREAMS, incremental=False, name="catalog")
        _progress(f"record path: the connector, {n:,} contacts, no limit, no latency")
        profile = ws.dir / "connector.prof" if s.profile else None
        connector = read(emu, config, catalog, None, ws.dir, "connector", profile)
        _progress("record path: the minimal reader, the same pages")
        floor = minimal_read(emu.url, emu.api_key, ws.dir)
    return RecordPath(n, connector, floor)


@dataclass
class CeilingRow:
    contacts: int
    result: Read

    def cells(self) -> str:
        r = self.result
        return (
            f"| {self.contacts:,} | {r.total_records:,} | {r.requests:,} | {r.read_wall:.1f} | {r.rps:.2f} | "
            f"{100 * r.rps / RATE_LIMIT:.0f}% | {r.rate_limited} | {r.cpu_seconds:.1f} | {r.rss} |"
        )


def ceiling(s: Settings, sizes: list[int]) -> list[CeilingRow]:
    rows = []
    for n in sizes:
        ws = Workspace(s.out, f"wire-speed-ceiling-{n}")  # type: ignore[arg-type]
        with emulator_process(s, n, limited=True) as emu:
            config = ws.config(emu, limited=True)
            catalog = ws.catalog(config, None, incremental=False, name="catalog")
            _progress(f"ceiling: every stream, full refresh, {n:,} contacts, 5 rps, 200 ms, RateLimit headers")
            rows.append(CeilingRow(n, read(emu, config, catalog, None, ws.dir, "read")))
    return rows


CEILING_HEADER = (
    "| contacts | records | requests | read wall s | req/s | % of ceiling | 429s | CPU s | peak RSS MB |\n"
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("part", choices=["record-path", "ceiling"])
    parser.add_argument("--contacts", type=int, action="append", default=None)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "out" / "benchmark")
    options = parser.parse_args(argv)
    started = time.monotonic()
    print(f"load average before: {os.getloadavg()[0]:.2f}", flush=True)
    if options.part == "record-path":
        contacts = (options.contacts or [None])[0]
        settings = Settings(options.out, 1.0, contacts, False, options.profile, False)
        print("\n".join(record_path(settings).lines()))
    else:
        settings = Settings(options.out, 1.0, None, False, False, True)
        sizes = options.contacts or [10_000, 20_000, 100_000]
        rows = ceiling(settings, sizes)
        print(CEILING_HEADER)
        for row in rows:
            print(row.cells())
        if len(rows) >= 2:
            small, large = rows[0].result, rows[-1].result
            ratio = large.maxrss_kb / small.maxrss_kb
            print(f"peak RSS x{ratio:.2f} from {rows[0].contacts:,} to {rows[-1].contacts:,} contacts")
    print(f"({time.monotonic() - started:.0f} s; load average after: {os.getloadavg()[0]:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
