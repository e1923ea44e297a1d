"""Deals alone."""

from __future__ import annotations

from tools.benchmark.accounts import full_refresh_row
from tools.benchmark.bench import Bench, Row


def deals_windows(bench: Bench, contacts: int = 20_000) -> list[Row]:
    """Deals only, full refresh, 5 requests per second and 200 ms; 5,000 deals (the deals of a
    20,000-contact account): the first read in windows of creation time read side by side, each
    window placed and checked against `meta.total` (see "Deals in windows of creation time")."""
    n = bench.size(contacts)
    row = full_refresh_row(bench, "deals_windows", "deals, full refresh", n, ["deals"], limited=True)
    row.title = f"deals, full refresh ({row.result.total_records:,} deals)"
    return [row]
