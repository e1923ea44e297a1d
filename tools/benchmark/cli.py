"""``scripts/benchmark``: runs the scenarios named (all, by default) and prints or writes the figures."""

from __future__ import annotations

import argparse
import shlex
import sys
import time
from pathlib import Path

from testing.connector_runner import REPO_ROOT
from tools.benchmark import __doc__ as PACKAGE_DOC
from tools.benchmark.bench import Bench, Row
from tools.benchmark.report import machine, report, summary, tables
from tools.benchmark.scenarios import SCENARIOS

# The numbers the scenarios had before they had names (docs/performance.md's older sections use them).
NUMBERS = {
    "1": ("contacts_ceiling",),
    "2": ("whole_account_first_sync",),
    "3": ("contacts_cpu_per_record",),
    "4": ("incremental_after_one_percent",),
    "5": ("peak_memory",),
    "6": ("small_accounts",),
    "7": ("deals_windows",),
    "8": ("killed_and_resumed",),
    "9": ("shared_account",),
    "10": ("contact_children_on_pages", "contact_children_incremental", "contact_children_peak_memory"),
    "11": ("deletion_check",),
    "12": ("cpu_per_record_against_the_floor", "whole_account_at_scale", "second_sync_requests"),
}


def selected(names: list[str] | None) -> list[str]:
    """The scenarios asked for (names, or their old numbers), in the registry's order."""
    if not names:
        return list(SCENARIOS)
    wanted = {scenario for name in names for scenario in NUMBERS.get(name, (name,))}
    unknown = sorted(wanted - set(SCENARIOS))
    if unknown:
        raise SystemExit(f"unknown scenario {', '.join(unknown)}; the scenarios are: {', '.join(SCENARIOS)}")
    return [name for name in SCENARIOS if name in wanted]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=PACKAGE_DOC, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--scenario",
        action="append",
        metavar="NAME",
        help=f"run only this one (repeatable): {', '.join(SCENARIOS)}; the old numbers 1 to 11 still work",
    )
    parser.add_argument("--quick", action="store_true", help="every scenario at a tenth of its size")
    parser.add_argument(
        "--contacts", type=int, default=None, help="the size of every scenario (the peak-memory ones: N/10 and N)"
    )
    parser.add_argument("--verbose", action="store_true", help="per-stream records and requests")
    parser.add_argument("--write", type=Path, default=None, metavar="PATH", help="write the report there (markdown)")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="profile the measured reads (CPU of every thread; out/benchmark/<scenario>/*.prof, "
        "read with python -m tools.profile_read show FILE); slows them down",
    )
    parser.add_argument(
        "--ratelimit-headers",
        action="store_true",
        help="the limited emulator also sends RateLimit-Limit/-Remaining on successes",
    )
    parser.add_argument(
        "--baseline",
        type=Path,
        default=None,
        metavar="DIR",
        help="another checkout whose connector reads too (cpu_per_record_against_the_floor): before and after",
    )
    parser.add_argument(
        "--row",
        action="append",
        default=[],
        metavar="TEXT",
        help="run only the reads whose title holds TEXT (repeatable; shared_account's, e.g. "
        "'1 rps in bursts of 4, RateLimit-Remaining only on 429s')",
    )
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "out" / "benchmark", help="configs, catalogs, messages")
    options = parser.parse_args(argv)
    names = selected(options.scenario)
    bench = Bench(
        out=options.out,
        scale=0.1 if options.quick else 1.0,
        contacts=options.contacts,
        verbose=options.verbose,
        profile=options.profile,
        ratelimit_headers=options.ratelimit_headers,
        baseline=options.baseline,
        rows=tuple(options.row),
    )
    command = shlex.join(["scripts/benchmark", *(sys.argv[1:] if argv is None else argv)])

    rows: list[Row] = []
    setting = machine()
    started = time.monotonic()
    for name in names:
        new = SCENARIOS[name](bench)
        rows += new
        for row in new:
            print(summary(row), flush=True)
            for line in row.lines(options.verbose):
                print(f"    {line}", flush=True)

    print(f"\n{tables(rows)}\n")
    print(f"(all scenarios: {time.monotonic() - started:.0f} s)")
    if options.write:
        options.write.parent.mkdir(parents=True, exist_ok=True)
        measures = {name: SCENARIOS[name].measures for name in names}
        options.write.write_text(report(rows, command, options.verbose, setting, measures) + "\n", encoding="utf-8")
        print(f"wrote {options.write}")
    return 0
