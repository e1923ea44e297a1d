"""A first read killed late and run again from its last state."""

from __future__ import annotations

from collections.abc import Sequence

from testing.connector_runner import run_main_until_killed
from tools.benchmark.accounts import Workspace, emulator_process
from tools.benchmark.bench import Bench, Row, progress
from tools.benchmark.reading import read


def killed_and_resumed(
    bench: Bench,
    accounts: Sequence[tuple[str, int]] = (("contacts", 5_000), ("deals", 20_000)),
    kill_at_share: float = 0.9,
) -> list[Row]:
    """A first read of contacts (a 5,000-contact account) and of deals (the 5,000 deals of a
    20,000-contact account), killed with SIGKILL once 90% of its records are out, then run again from
    the last state it emitted, as a platform would after a worker restart. The row is the second read;
    the note compares its requests with the killed read's and with a full read's."""
    ws = Workspace(bench, "killed_and_resumed")
    return [_killed_and_resumed(bench, ws, stream, bench.size(account), kill_at_share) for stream, account in accounts]


def _killed_and_resumed(bench: Bench, ws: Workspace, stream: str, contacts: int, kill_at_share: float) -> Row:
    with emulator_process(bench, contacts, limited=True) as emu:
        config = ws.config(emu, limited=True)
        catalog = ws.catalog(config, [stream], incremental=True, name=f"catalog-{stream}")
        progress(f"killed_and_resumed: {stream} of a {contacts:,}-contact account, a full first read")
        full = read(emu, config, catalog, None, ws.dir, f"full-{stream}")
        kill_after = int(full.records[stream] * kill_at_share)
        progress(f"killed_and_resumed: first read killed after {kill_after:,} records, then resumed")
        emu.admin("reset-stats", {})
        killed = run_main_until_killed(
            ["read", "--config", str(config), "--catalog", str(catalog)],
            lambda run: run.records >= kill_after,
        )
        killed_requests = len(emu.admin("stats?log=1")["log"])
        states = killed.last_states()
        state = ws.state(states, f"state-{stream}")
        resumed = read(emu, config, catalog, state if states else None, ws.dir, f"resumed-{stream}")
    note = (
        f"killed after {killed.records:,} of {full.records[stream]:,} records and {killed_requests} of "
        f"{full.requests} requests; the resumed read took {resumed.requests} requests"
        + ("" if states else " (the killed read had emitted no state)")
    )
    return Row(
        "killed_and_resumed",
        f"{stream}: first read killed at {kill_at_share:.0%}, resumed",
        contacts,
        True,
        resumed,
        rate_meaningful=False,
        notes=[note],
    )
