"""Records at the speed of the wire (issue 19): the connector's CPU per record against the floor of a
minimal reader of the same pages, the whole account's first sync at the ceiling as the account grows,
and what a second sync costs against the first."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from testing.connector_runner import REPO_ROOT
from tools.benchmark.accounts import Workspace, catalog_streams, emulator_process, limits
from tools.benchmark.bench import CHANGED_SHARE, Bench, Row, progress
from tools.benchmark.reading import Read, count_lines, read
from tools.benchmark.scenarios.contact_children import CONTACTS_AND_CHILDREN
from tools.benchmark.scenarios.contacts import with_memory_ratio
from tools.benchmark.scenarios.incremental import first_read_then_changes
from tools.benchmark.streams import child_requests, per_stream, requests_by_stream


@dataclass
class FloorRead:
    """The minimal reader's run (``tools/minimal_reader.py``): its records, CPU and peak RSS."""

    records: Counter[str]
    cpu_seconds: float
    maxrss_kb: int

    @property
    def total_records(self) -> int:
        return sum(self.records.values())


def minimal_read(url: str, api_key: str, out: Path) -> FloorRead:
    """Runs the minimal reader as its own process; its RECORD lines are counted as the connector's are."""
    command = [sys.executable, "-m", "tools.minimal_reader", "--api-url", url, "--api-key", api_key]
    records: Counter[str] = Counter()
    with (out / "minimal-reader.jsonl").open("wb") as kept, (out / "minimal-reader.stderr").open("wb") as stderr:
        process = subprocess.Popen(command, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=stderr)
        assert process.stdout is not None
        count_lines(process.stdout, kept, records)
        process.stdout.close()
        _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"the minimal reader failed: {(out / 'minimal-reader.stderr').read_text()[-2000:]}")
    return FloorRead(records, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)


def cpu_per_record_against_the_floor(bench: Bench, contacts: int = 20_000) -> list[Row]:
    """Contacts and its five child streams, full refresh, no limit and no latency in the emulator: the
    connector's CPU per record (user + sys of its process, start-up included, over its records) beside
    a minimal reader's of the very same pages from the same emulator, read one after the other (one
    `orjson.loads` per page, one `orjson.dumps` per record as an Airbyte RECORD line, nothing else:
    `tools/minimal_reader.py`), and their ratio, so that the ratio is measured in one run on one
    machine. Both must emit the same records per stream."""
    n = bench.size(contacts)
    scenario = "cpu_per_record_against_the_floor"
    ws = Workspace(bench, scenario)
    with emulator_process(bench, n, limited=False) as emu:
        config = ws.config(emu, limited=False)
        catalog = ws.catalog(config, CONTACTS_AND_CHILDREN, incremental=False, name="catalog")
        progress(f"{scenario}: contacts and its child streams, {n:,} contacts, {limits(bench, False)}")
        profile = ws.dir / "read.prof" if bench.profile else None
        connector = read(emu, config, catalog, None, ws.dir, "read", profile)
        baseline = None
        if bench.baseline is not None:
            progress(f"{scenario}: the connector of {bench.baseline}, the same pages")
            baseline = read(emu, config, catalog, None, ws.dir, "read-baseline", repo_root=bench.baseline)
        progress(f"{scenario}: the minimal reader, the same pages")
        floor = minimal_read(emu.url, emu.api_key, ws.dir)
    ours = connector.cpu_seconds * 1e6 / max(1, connector.total_records)
    theirs = floor.cpu_seconds * 1e6 / max(1, floor.total_records)
    same = "the same records per stream" if connector.records == floor.records else "RECORDS DIFFER"
    before = []
    if baseline is not None:
        was = baseline.cpu_seconds * 1e6 / max(1, baseline.total_records)
        before = [
            f"{'baseline':<16} {baseline.total_records:>9,} {baseline.cpu_seconds:>7.1f} {was:>14.1f} "
            f"{baseline.rss:>12}",
            f"baseline ({bench.baseline}): ratio {was / theirs:.1f}x"
            + ("" if baseline.records == floor.records else "; RECORDS DIFFER"),
        ]
    return [
        Row(
            scenario,
            "contacts + its 5 child streams, no limit, no latency",
            n,
            False,
            connector,
            notes=[f"{ours:,.1f} CPU µs/record, the minimal reader {theirs:,.1f}: x{ours / theirs:.1f}; {same}"],
            details=[
                f"{'reader':<16} {'records':>9} {'CPU s':>7} {'CPU µs/record':>14} {'peak RSS MB':>12}",
                f"{'connector':<16} {connector.total_records:>9,} {connector.cpu_seconds:>7.1f} {ours:>14.1f} "
                f"{connector.rss:>12}",
                f"{'minimal reader':<16} {floor.total_records:>9,} {floor.cpu_seconds:>7.1f} {theirs:>14.1f} "
                f"{floor.maxrss_kb / 1024:>12,.0f}",
                f"ratio {ours / theirs:.1f}x ({same}; load average {os.getloadavg()[0]:.2f} after the reads)",
                *before,
            ],
        )
    ]


def whole_account_at_scale(bench: Bench, sizes: Sequence[int] = (10_000, 20_000, 100_000)) -> list[Row]:
    """Every stream, full refresh, the first sync of accounts of 10,000, 20,000 and 100,000 contacts at
    5 requests per second and 200 ms, with RateLimit-Limit and RateLimit-Remaining on every answer:
    requests per second and share of the ceiling, 429s, CPU seconds and peak RSS; the largest
    account's peak RSS against the smallest's (memory must not grow with the account)."""
    scenario = "whole_account_at_scale"
    ws = Workspace(bench, scenario)
    rows = []
    for n in (bench.size(size) for size in sizes):
        with emulator_process(bench, n, limited=True, extra=["--ratelimit-headers"]) as emu:
            config = ws.config(emu, limited=True)
            catalog = ws.catalog(config, None, incremental=False, name="catalog")
            progress(
                f"{scenario}: every stream, full refresh, {n:,} contacts, {limits(bench, True)}, RateLimit headers"
            )
            result = read(emu, config, catalog, None, ws.dir, f"read-{n}")
        row = Row(scenario, f"all {len(catalog_streams(catalog))} streams, full refresh", n, True, result)
        row.verbose = per_stream(result, catalog_streams(catalog))
        rows.append(row)
    if len(rows) > 1:
        with_memory_ratio([rows[0], rows[-1]])
    return rows


def second_sync_requests(bench: Bench, contacts: int = 2_000, changed_share: float = CHANGED_SHARE) -> list[Row]:
    """Every stream, incremental where it can be, with the default config, on data up to now (the
    demo's account): the first sync, then 1% of contacts and of deals changed, then the second sync
    from the first's state. The second sync must not cost more requests than the first; its requests
    per stream, the child streams' among them, are the figures."""
    n = bench.size(contacts)
    scenario = "second_sync_requests"
    ws = Workspace(bench, scenario)
    with emulator_process(bench, n, limited=True, data_until="now") as emu:
        config = ws.config(emu, limited=True)
        catalog = ws.catalog(config, None, incremental=True, name="catalog")
        progress(f"{scenario}: every stream incremental, {n:,} contacts: first sync")
        first, state, changed = first_read_then_changes(ws, emu, config, catalog, ["contacts", "deals"], changed_share)
        progress(f"{scenario}: second sync after {changed['contacts']} contacts and {changed['deals']} deals changed")
        second = read(emu, config, catalog, state, ws.dir, "read-2")
    streams = catalog_streams(catalog)
    verdict = "not more" if second.requests <= first.requests else "MORE"
    first_row = Row(
        scenario,
        f"all {len(streams)} streams, incremental, first sync",
        n,
        True,
        first,
        notes=[f"child streams {child_requests(first):,} req"],
        verbose=per_stream(first, streams),
    )
    second_row = Row(
        scenario,
        f"the second sync, after {changed_share:.0%} of contacts and deals changed",
        n,
        True,
        second,
        rate_meaningful=False,
        notes=[
            f"{second.requests:,} requests against the first sync's {first.requests:,} ({verdict}); "
            f"child streams {child_requests(second):,} req"
        ],
        details=_second_sync_requests(first, second, streams),
    )
    return [first_row, second_row]


def _second_sync_requests(first: Read, second: Read, streams: Sequence[str]) -> list[str]:
    """Requests per stream of both syncs, the streams that made any."""
    before, after = requests_by_stream(first, streams), requests_by_stream(second, streams)
    names = sorted(name for name in set(before) | set(after) if before[name] or after[name])
    width = max([len(name) for name in names] + [6])
    lines = [f"{'stream':<{width}} {'first sync':>10} {'second sync':>11}"]
    lines += [f"{name:<{width}} {before[name]:>10,} {after[name]:>11,}" for name in names]
    return lines
