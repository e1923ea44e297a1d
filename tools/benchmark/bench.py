"""What every scenario is handed (the run's settings) and what it hands back (rows of the report)."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tools.benchmark.reading import Read

# The account's limit, which every emulator that limits enforces and the connector keeps to by default.
RATE_LIMIT = 5
# The real API's answer time, roughly; the quick test turns it down.
LATENCY_MS = 200
# The share of contacts (and deals) an incremental scenario changes between its two reads.
CHANGED_SHARE = 0.01


@dataclass
class Bench:
    """The settings of one benchmark run, and the reads it has made so far.

    ``size(default)`` is what a scenario reads for a size parameter: the parameter itself, a tenth of
    it with ``--quick`` (``scale`` 0.1), or ``--contacts N`` for every size.
    """

    out: Path
    scale: float = 1.0
    contacts: int | None = None
    verbose: bool = False
    profile: bool = False
    ratelimit_headers: bool = False
    latency_ms: int = LATENCY_MS
    # Another checkout (say, a worktree of main) whose connector reads too where a scenario offers it,
    # for a before and after in one run.
    baseline: Path | None = None
    rows: tuple[str, ...] = ()  # --row: only the reads whose title holds one of these (every read: empty)
    # Full refreshes already made in this run, for a scenario that needs the very same read: (streams,
    # contacts, limited, profiled) -> (the scenario that made it, the read, the streams it read).
    reads: dict[tuple[tuple[str, ...] | None, int, bool, bool], tuple[str, Read, list[str]]] = field(
        default_factory=dict
    )
    # What discover returned, by the config's options (its URL and key left out): every emulator the
    # benchmark starts has the same custom-object schemas (fixed definitions, whatever its size), so
    # the catalog depends on the options alone, and one discover serves every scenario.
    catalogs: dict[str, dict[str, Any]] = field(default_factory=dict)

    def size(self, default: int) -> int:
        return self.contacts if self.contacts else max(20, int(default * self.scale))

    def wants(self, title: str) -> bool:
        """Whether ``--row`` asks for the read of this title (a scenario of many long reads asks)."""
        return not self.rows or any(row in title for row in self.rows)

    def scenario_dir(self, scenario: str) -> Path:
        """Where a scenario keeps its configs, catalogs, states and messages."""
        path = self.out / scenario
        path.mkdir(parents=True, exist_ok=True)
        return path


@dataclass(frozen=True)
class Background:
    """Another client of the account, as the emulator plays it (``--background-rps``, ``--background-burst``)."""

    rps: float
    burst: int = 1

    def __str__(self) -> str:
        if not self.rps:
            return "none"
        return f"{self.rps:g} rps " + ("steady" if self.burst == 1 else f"in bursts of {self.burst}")


@dataclass
class Row:
    """One read of a scenario, as a row of the report."""

    scenario: str  # the scenario's name
    title: str  # what this read of it is
    contacts: int
    limited: bool
    result: Read
    # False when the read is a handful of concurrent requests: req/s over a fraction of a second says nothing
    rate_meaningful: bool = True
    background: Background | None = None  # another client on the account (the shared-account table)
    adapt: bool = True  # adapt_to_other_clients
    stop_after_s: float | None = None  # the other client stopped then
    stopped_at: float | None = None  # when it stopped, on the clock of the emulator's request log
    headers_on_every_answer: bool = True  # False: RateLimit-Remaining only on 429s
    notes: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)  # printed always
    verbose: list[str] = field(default_factory=list)  # printed with --verbose

    @property
    def label(self) -> str:
        return f"{self.scenario}: {self.title}"

    def lines(self, verbose: bool) -> list[str]:
        return self.details + ([*self.verbose, self.result.traffic()] if verbose else [])


def progress(text: str) -> None:
    print(f"  .. {text}", file=sys.stderr, flush=True)
