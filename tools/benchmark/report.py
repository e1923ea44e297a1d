"""The figures as tables: one row per read, another client's runs in a table of their own, and the
markdown report ``--write`` saves (docs/performance.md)."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path

from testing.connector_runner import REPO_ROOT
from tools.benchmark.bench import RATE_LIMIT, Background, Row

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

SHARED_HEADER = (
    "another client",
    "contacts",
    "adaptive",
    "RateLimit-Remaining on",
    "requests",
    "429s",
    "429s a minute",
    "read wall s",
    "answered req/s",
    "left to the connector",
    "% of what is left",
    "other client's calls",
    "lost",
    "% through",
    "notes",
)


def _markdown(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    align = ["---"] + ["---:"] * (len(header) - 2) + ["---"]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(cells) + " |" for cells in rows]
    return "\n".join(lines)


def table(rows: Sequence[Row]) -> str:
    cells = []
    for row in rows:
        r = row.result
        ceiling = f"{100 * r.rps / RATE_LIMIT:.0f}%" if row.limited and row.rate_meaningful else "—"
        cells.append(
            (
                row.label,
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
        )
    return _markdown(HEADER, cells)


def left_to_the_connector(row: Row) -> float:
    """Requests per second the other client leaves over the read: 5 - N while it runs, 5 once it stopped."""
    r, background = row.result, row.background or Background(0)
    if row.stopped_at is None or not r.log or not r.read_wall:
        return RATE_LIMIT - background.rps
    first = float(min(e["started_at"] for e in r.log))
    while_running = min(max(row.stopped_at - first, 0.0), r.read_wall)
    return RATE_LIMIT - background.rps * while_running / r.read_wall


def shared_table(rows: Sequence[Row]) -> str:
    """The connector's rate against what another client leaves, and what it costs the other."""
    cells = []
    for row in rows:
        r, background = row.result, row.background or Background(0)
        rate = r.answered / r.read_wall if r.read_wall else 0.0
        left = left_to_the_connector(row)
        calls, lost = r.background_during_read()
        cells.append(
            (
                str(background) + (f", for the first {row.stop_after_s:g} s" if row.stop_after_s else ""),
                f"{row.contacts:,}",
                "on" if row.adapt else "off",
                "every answer" if row.headers_on_every_answer else "429s only",
                f"{r.requests:,}",
                f"{r.rate_limited}",
                f"{60 * r.rate_limited / r.read_wall:.1f}" if r.read_wall else "—",
                f"{r.read_wall:.1f}",
                f"{rate:.2f}",
                f"{left:.2g}" if left else "—",
                f"{100 * rate / left:.0f}%" if left else "—",
                f"{calls:,}" if background.rps else "—",
                f"{lost:,}" if background.rps else "—",
                f"{100 * (calls - lost) / calls:.0f}%" if calls else "—",
                "; ".join(row.notes),
            )
        )
    return _markdown(SHARED_HEADER, cells)


def tables(rows: Sequence[Row]) -> str:
    """Every read, and the reads with another client on the account in a table of their own."""
    main_rows = [row for row in rows if row.background is None]
    shared_rows = [row for row in rows if row.background is not None]
    return table(main_rows) + (f"\n\n{shared_table(shared_rows)}" if shared_rows else "")


def summary(row: Row) -> str:
    """One line of a read, as it is printed when the read is done."""
    r = row.result
    return (
        f"{row.label}: {r.total_records:,} records, {r.requests:,} requests, {r.read_wall:.1f} s read, "
        f"{r.rps:.2f} req/s, {r.rate_limited} 429s, {r.rss} MB, {r.cpu_seconds:.1f} CPU s"
        + (f"; {'; '.join(row.notes)}" if row.notes else "")
    )


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


def report(
    rows: Sequence[Row], command: str, verbose: bool, setting: Sequence[str], measures: Mapping[str, str]
) -> str:
    """The markdown report: the setting, the tables, each read's details, and what each scenario
    measures (``measures``: scenario name -> its description)."""
    parts = [
        "# Performance",
        "",
        "Measured with `scripts/benchmark` (`tools/benchmark/`) against the bundled emulator "
        "(`activecampaign_emulator`), the connector run as `python main.py read` in a subprocess.",
        "",
        *setting,
        f"- command: `{command}`",
        "",
        tables(rows),
        "",
        "Read wall: first to last request in the emulator's log; process wall: the whole `main.py read` process "
        "(start-up included). req/s and records/s are per second of read wall; % of ceiling is req/s over the "
        "emulator's limit of 5 per second. Peak RSS and CPU (user + sys) are the connector process's own "
        "(`os.wait4` on its pid); Linux carries a parent's peak RSS into its child's `ru_maxrss`, so a peak not "
        "above the benchmark process's own would be shown as ≤ (an upper bound). In the second table, answered "
        "req/s are the connector's requests not answered 429 per second of read wall, against what the other "
        "client leaves of the 5.",
        "",
    ]
    for row in rows:
        if row.background is None and row.lines(verbose):
            parts += [f"{row.label}:", "", "```", *row.lines(verbose), "```", ""]
    parts += ["## Scenarios", ""]
    for name in dict.fromkeys(row.scenario for row in rows):
        parts += [f"**`{name}`.** {measures[name]}", ""]
    return "\n".join(parts)
