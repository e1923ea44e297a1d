"""Another client on the account: what the connector gets of what it leaves, and what it costs it."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

from tools.benchmark.accounts import Workspace, emulator_process, limits
from tools.benchmark.bench import RATE_LIMIT, Background, Bench, Row, progress
from tools.benchmark.reading import Read, read
from tools.emulator_process import EmulatorProcess

# Contacts and the five other collections of most pages (207 requests at 6,000 contacts): streams that
# ride on the contacts pages would make the read a quarter as long.
SHARED_STREAMS = (
    "contacts",
    "deal_activities",
    "activities",
    "ecommerce_order_products",
    "deal_custom_field_values",
    "contact_data",
)


@dataclass(frozen=True)
class SharedRun:
    contacts: int
    background: Background
    adapt: bool = True
    stop_after_s: float | None = None  # the other client stops this long after the connector's start
    headers_on_every_answer: bool = True  # False: RateLimit-Remaining only on 429s

    @property
    def title(self) -> str:
        stop = f", stopping after {self.stop_after_s:g} s" if self.stop_after_s else ""
        headers = "" if self.headers_on_every_answer else ", RateLimit-Remaining only on 429s"
        adapt = "" if self.adapt else ", adapt_to_other_clients off"
        return f"another client {self.background}{stop}{headers}{adapt}"


def shared_account(
    bench: Bench,
    contacts: int = 6_000,
    check_contacts: int | None = 3_000,
    other_client_rps: Sequence[float] = (1, 2, 3),
    burst: int = 4,
    stopping_rps: Sequence[float] = (3, 5),
    stop_after_s: float = 20,
    headers_only_on_429: Sequence[tuple[float, int]] = ((2, 1), (1, 4), (2, 4)),
) -> list[Row]:
    """Another client of the account (a shop sync, a form tool) spends part of the 5 requests per
    second while the connector reads contacts and the five other collections of most pages (about 200
    requests at 6,000 contacts), 5 rps and 200 ms, with RateLimit-Limit and RateLimit-Remaining on
    every answer. The emulator plays the other client's calls at fixed times, evenly spaced (steady) or
    4 at once (bursts), against the same one-second window: a call that finds the window full is lost.
    Runs: alone; 1, 2 and 3 rps steady and in bursts; 2 rps steady on a 3,000-contact account with
    `adapt_to_other_clients` on and off (`check_contacts` None leaves the pair out); 3 and 5 rps
    stopping after 20 s (how soon the connector is back at the ceiling); 2 rps steady, 1 and 2 rps in
    bursts with RateLimit-Remaining only on 429 answers (as the API documents it, and as proxies that
    strip it from successes leave it). Answered req/s are the connector's requests not answered 429,
    per second of read wall, against what the other client leaves (5 - N, and 5 once it stopped); its
    calls and losses are counted between the connector's first and last request."""
    n, check = bench.size(contacts), bench.size(check_contacts) if check_contacts else None
    runs = [SharedRun(n, Background(0))]
    runs += [SharedRun(n, Background(rps, b)) for rps in other_client_rps for b in (1, burst)]
    if check is not None:
        runs += [SharedRun(check, Background(2)), SharedRun(check, Background(2), adapt=False)]
    runs += [SharedRun(n, Background(rps), stop_after_s=stop_after_s) for rps in stopping_rps]
    runs += [SharedRun(n, Background(rps, b), headers_on_every_answer=False) for rps, b in headers_only_on_429]
    ws = Workspace(bench, "shared_account")
    return [_shared_row(bench, ws, run, f"read-{index}") for index, run in enumerate(runs) if bench.wants(run.title)]


def _shared_row(bench: Bench, ws: Workspace, run: SharedRun, label: str) -> Row:
    with emulator_process(
        bench, run.contacts, limited=True, background=run.background, ratelimit_headers=run.headers_on_every_answer
    ) as emu:
        config = ws.config(emu, limited=True, adapt_to_other_clients=run.adapt)
        catalog = ws.catalog(config, SHARED_STREAMS, incremental=False, name="catalog")
        progress(f"shared_account: {run.contacts:,} contacts, {limits(bench, True)}, {run.title}, adaptive {run.adapt}")
        stopped: list[float] = []
        timer = None
        if run.stop_after_s:  # started with the connector; its start-up (about 3 s) included
            timer = threading.Timer(run.stop_after_s, _stop_background, (emu, stopped))
            timer.start()
        try:
            result = read(emu, config, catalog, None, ws.dir, label)
        finally:
            if timer is not None:
                timer.cancel()
    notes = [f"{len(result.rate_limit_logs)} log lines about the shared limit"] if result.rate_limit_logs else []
    if stopped:
        notes.insert(0, _climb_back(result, stopped[0]))
    return Row(
        "shared_account",
        run.title,
        run.contacts,
        True,
        result,
        background=run.background,
        adapt=run.adapt,
        stop_after_s=run.stop_after_s,
        stopped_at=stopped[0] if stopped else None,
        headers_on_every_answer=run.headers_on_every_answer,
        notes=notes,
    )


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
