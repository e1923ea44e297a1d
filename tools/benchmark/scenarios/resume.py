"""A first sync killed midway and run again from the last states it emitted."""

from __future__ import annotations

import math
import time
from collections.abc import Sequence

from testing.connector_runner import KilledRun, run_main_until_killed
from tools.benchmark.accounts import Workspace, emulator_process
from tools.benchmark.bench import Bench, Row, progress
from tools.benchmark.reading import Read, read
from tools.benchmark.scenarios.contact_children import CONTACTS_AND_CHILDREN

# The first sync the scenario kills: contacts with the child streams on its pages, and deals.
FIRST_SYNC = [*CONTACTS_AND_CHILDREN, "deals"]
# What a resumed sync may cost beyond what the killed one had left: a tenth of a whole first sync.
BUDGET_SHARE = 0.1


def killed_and_resumed(
    bench: Bench,
    accounts: Sequence[tuple[int, Sequence[float]]] = ((5_000, (0.1, 0.5, 0.9)), (100_000, (0.5, 0.9))),
) -> list[Row]:
    """A first sync of contacts, the five child streams on its pages and deals, 5 rps and 200 ms, data
    up to now, killed with SIGKILL once a share of its records is out (at 5,000 contacts at 10%, 50%
    and 90%; at 100,000 at 50% and 90%), then run again from the last state each stream emitted, as a
    platform would after a worker restart. A row per kill is the second sync; its note compares its requests with
    those the killed sync had left, and with that plus a tenth of a whole first sync."""
    ws = Workspace(bench, "killed_and_resumed")
    rows: list[Row] = []
    for account, shares in accounts:
        contacts = bench.size(account)
        # Data up to now, as an account synced often has: a stream whose first read finished before the
        # kill reads on incrementally, in one window of update time (not one per 90 days since 2025).
        with emulator_process(bench, contacts, limited=True, data_until="now") as emu:
            config = ws.config(emu, limited=True)
            catalog = ws.catalog(config, FIRST_SYNC, incremental=True, name="catalog")
            progress(f"killed_and_resumed: a whole first sync of a {contacts:,}-contact account")
            whole = read(emu, config, catalog, None, ws.dir, f"whole-{contacts}")
            for share in shares:
                progress(f"killed_and_resumed: {contacts:,} contacts, killed at {share:.0%} of the records, resumed")
                emu.admin("reset-stats", {})
                limit = share * whole.total_records
                killed = run_main_until_killed(
                    ["read", "--config", str(config), "--catalog", str(catalog)],
                    lambda run: run.records >= limit,  # noqa: B023 (called before the loop moves on)
                    record_ids=False,
                )
                # The requests in flight when the sync was killed are answered (and logged) in a moment,
                # and the next sync starts later than that on a platform.
                time.sleep(1)
                killed_requests = sum(1 for e in emu.admin("stats?log=1")["log"] if e["status"] != 429)
                label = f"resumed-{contacts}-{share:.0%}"
                state = ws.state(killed.last_states(), f"state-{label}")
                resumed = read(emu, config, catalog, state, ws.dir, label)
                rows.append(
                    _row(contacts, share, whole.answered, whole.total_records, killed_requests, killed, resumed)
                )
    return rows


def _row(
    contacts: int,
    share: float,
    whole_requests: int,
    whole_records: int,
    killed_requests: int,
    killed: KilledRun,
    resumed: Read,
) -> Row:
    left = max(0, whole_requests - killed_requests)
    budget = left + math.ceil(BUDGET_SHARE * whole_requests)
    checkpoints = sum(1 for state in killed.last_states() if "first_read" in state["stream"]["stream_state"])
    verdict = "within" if resumed.answered <= budget else "more than"
    note = (
        f"killed at {killed.records:,} of {whole_records:,} records, after {killed_requests} of {whole_requests} "
        f"requests ({left} left; {checkpoints} of {len(FIRST_SYNC)} streams had a checkpoint); the resumed sync "
        f"took {resumed.answered} requests, {verdict} the {budget} of what was left and a tenth of a whole first sync"
    )
    return Row(
        "killed_and_resumed",
        f"contacts, children, deals: killed at {share:.0%}, resumed",
        contacts,
        True,
        resumed,
        rate_meaningful=False,
        notes=[note],
    )
