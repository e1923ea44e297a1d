"""Contacts alone: the rate ceiling, the connector's CPU per record, its memory, small accounts."""

from __future__ import annotations

from collections.abc import Sequence

from tools.benchmark.accounts import full_refresh_row
from tools.benchmark.bench import Bench, Row


def contacts_ceiling(bench: Bench, contacts: int = 20_000) -> list[Row]:
    """Contacts only, full refresh, against an emulator that allows 5 requests per second and answers
    each request after 200 ms, as the real API does. The ceiling is the account's 5 requests per
    second. One keyset-paged walk (`id_greater`) is sequential, each page waiting for the previous one,
    so it makes one request per (latency + the connector's time per page), about 4 per second here:
    reaching the ceiling takes several walks side by side."""
    n = bench.size(contacts)
    return [full_refresh_row(bench, "contacts_ceiling", "contacts, full refresh", n, ["contacts"], limited=True)]


def contacts_cpu_per_record(bench: Bench, contacts: int = 100_000) -> list[Row]:
    """Contacts only with the limit and latency off in the emulator: what the connector itself spends
    per record (parsing, schema normalization, serialization). The connector still keeps to its own
    budget of 5 requests per second (`requests_per_second` is at most 5), so the wall time is bounded
    by the budget; CPU seconds and CPU µs per record are the measure."""
    n = bench.size(contacts)
    row = full_refresh_row(bench, "contacts_cpu_per_record", "contacts, no limit, no latency", n, ["contacts"], False)
    row.notes.append(f"{row.result.cpu_seconds * 1e6 / max(1, row.result.total_records):,.0f} CPU µs/record")
    return [row]


def peak_memory(bench: Bench, contacts: int = 100_000) -> list[Row]:
    """Peak resident memory of the connector process reading contacts at two sizes, ten times apart
    (`contacts` and a tenth of it; no limit, no latency): memory should not grow with the number of
    records (records are streamed, not kept). A read of the same size made earlier in the run
    (contacts_cpu_per_record's) is reused, unless it was profiled."""
    large = bench.size(contacts)
    sizes = (max(20, large // 10), large)
    # Never profiled: it measures memory.
    rows = [
        full_refresh_row(
            bench, "peak_memory", "contacts, peak RSS", n, ["contacts"], False, f"read-{n}", profiled=False
        )
        for n in sizes
    ]
    return with_memory_ratio(rows, marginal_cpu=True)


def with_memory_ratio(rows: list[Row], marginal_cpu: bool = False) -> list[Row]:
    """Two reads ten times apart in size: the larger one's note says how its peak RSS compares."""
    small, large = rows[0].result, rows[1].result
    ratio = large.maxrss_kb / max(1, small.maxrss_kb)
    rows[1].notes.append(f"RSS x{ratio:.2f} for x{large.total_records / max(1, small.total_records):.0f} records")
    if marginal_cpu:
        marginal = (large.cpu_seconds - small.cpu_seconds) * 1e6 / max(1, large.total_records - small.total_records)
        rows[1].details.append(
            f"peak RSS {small.maxrss_kb / 1024:,.0f} MB at {rows[0].contacts:,} contacts, "
            f"{large.maxrss_kb / 1024:,.0f} MB at {rows[1].contacts:,}: ratio {ratio:.2f}; "
            f"marginal CPU {marginal:,.0f} µs per extra record"
        )
    return rows


def small_accounts(bench: Bench, sizes: Sequence[int] = (2_000, 6_000)) -> list[Row]:
    """Contacts only at 2,000 and 6,000 contacts, 5 requests per second and 200 ms: small accounts,
    where a read is a few dozen requests and a sequence left alone at the end cannot keep the budget
    full. Process wall is what a user waits for, start-up included."""
    return [
        full_refresh_row(
            bench, "small_accounts", f"contacts, a {n:,}-contact account", n, ["contacts"], True, f"read-{n}"
        )
        for n in (bench.size(size) for size in sizes)
    ]
