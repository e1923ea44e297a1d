"""An incremental sync after a few changes: what it costs against what changed."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

from tools.benchmark.accounts import Workspace, emulator_process
from tools.benchmark.bench import CHANGED_SHARE, Bench, Row, progress
from tools.benchmark.reading import Read, read
from tools.benchmark.streams import requests_by_stream
from tools.emulator_process import EmulatorProcess


def request_bound(changed: int) -> int:
    """What a sync after ``changed`` changes may cost: their pages of 100, and a few requests more."""
    return math.ceil(changed / 100) + 5


def first_read_then_changes(
    ws: Workspace,
    emu: EmulatorProcess,
    config: Path,
    catalog: Path,
    changed_resources: Sequence[str],
    changed_share: float,
) -> tuple[Read, Path, dict[str, int]]:
    """A first read; then ``changed_share`` of each resource's rows changed in the emulator. The read,
    the state file it leaves, and how many rows of each resource changed."""
    first = read(emu, config, catalog, None, ws.dir, "read-1")
    state = ws.state(first.states.values())
    changed = {}
    for resource in changed_resources:  # the first read returned every row
        count = math.ceil(first.records[resource] * changed_share)
        changed[resource] = len(emu.admin("touch", {"resource": resource, "count": count})["ids"])
    return first, state, changed


def incremental_after_one_percent(
    bench: Bench, contacts: int = 20_000, changed_share: float = CHANGED_SHARE
) -> list[Row]:
    """An account synced often: the emulator's data runs up to now (`--data-until now`). A first
    incremental read of contacts and deals saves the state; then 1% of contacts and 1% of deals are
    changed and a second read starts from the state. Only the second read's requests per stream are
    held to the bound ceil(changed / 100) + 5: a sync after a few changes must cost a few requests,
    not a walk of the collection."""
    n = bench.size(contacts)
    streams = ["contacts", "deals"]
    ws = Workspace(bench, "incremental_after_one_percent")
    with emulator_process(bench, n, limited=True, data_until="now") as emu:
        config = ws.config(emu, limited=True)
        catalog = ws.catalog(config, streams, incremental=True, name="catalog")
        progress(f"incremental_after_one_percent: contacts and deals incremental, {n:,} contacts: first read")
        first, state, changed = first_read_then_changes(ws, emu, config, catalog, streams, changed_share)
        what = " and ".join(f"{count:,} {resource}" for resource, count in changed.items())
        progress(f"incremental_after_one_percent: second read after {what} changed")
        second = read(emu, config, catalog, state, ws.dir, "read-2", ws.dir / "read-2.prof" if bench.profile else None)
    by_stream = requests_by_stream(second, streams)
    details = [f"{'stream':<9} {'changed':>8} {'records':>8} {'requests':>9} {'bound':>6}"]
    notes = []
    for stream in streams:
        bound = request_bound(changed[stream])
        within = "within" if by_stream[stream] <= bound else "OVER"
        details.append(
            f"{stream:<9} {changed[stream]:>8,} {second.records[stream]:>8,} {by_stream[stream]:>9,} {bound:>6}"
            f"  {within}"
        )
        notes.append(f"{stream} {by_stream[stream]} req (bound {bound}), {second.records[stream]:,} rec")
    scenario = "incremental_after_one_percent"
    return [
        Row(scenario, "contacts + deals incremental, first read", n, True, first),
        Row(
            scenario,
            f"second read after {changed_share:.0%} changed",
            n,
            True,
            second,
            notes=notes,
            details=details,
            rate_meaningful=False,
        ),
    ]
