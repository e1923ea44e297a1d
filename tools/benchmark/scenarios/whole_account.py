"""Every stream of the account at once."""

from __future__ import annotations

from tools.benchmark.accounts import full_refresh_row
from tools.benchmark.bench import Bench, Row


def whole_account_first_sync(bench: Bench, contacts: int = 20_000) -> list[Row]:
    """Every stream in the catalog discover returns, full refresh, at 5 requests per second and 200 ms:
    how well the connector's concurrent workers fill the 5 requests per second when several streams
    can be read at once."""
    n = bench.size(contacts)
    return [full_refresh_row(bench, "whole_account_first_sync", "all {streams} streams, full refresh", n, None, True)]
