"""Runtime modes of the emulator."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields, replace
from typing import Any

from .rate_limit import BackgroundTraffic

DEALS_ACCESS_MODES = ("full", "pipeline-partial", "all-restricted", "none")
FORBIDDEN_BODIES = ("json", "empty")
ODD_BODIES = ("html", "empty", "truncated")


@dataclass
class EmulatorOptions:
    rate_limit: int | None = None
    retry_after: int = 1
    # RateLimit-Limit and RateLimit-Remaining on successes too; off, only 429s carry them, as the
    # API documents (and as proxies that strip them from 200s leave them).
    ratelimit_headers: bool = False
    background_rps: float = 0.0  # another client of the account (rate_limit.BackgroundTraffic)
    background_burst: int = 1
    latency_ms: int = 0
    error_rate: float = 0.0
    # A good key refused now and then: this share of requests answered as a refused key is
    # (403, forbidden_body's way), as users of another connector report of the real API.
    forbidden_rate: float = 0.0
    # This share of 200 answers carry, in place of their JSON, one of odd_bodies drawn evenly: an
    # HTML page (a proxy's maintenance page), an empty body, or the JSON cut short.
    odd_body_rate: float = 0.0
    odd_bodies: frozenset[str] = field(default_factory=lambda: frozenset(ODD_BODIES))
    deals_access: str = "full"
    mutate_every: int = 0
    forbidden_body: str = "json"
    forbidden_resources: frozenset[str] = field(default_factory=frozenset)
    # Collections of features the account does not have: they answer 404 (SMS, conversions, ...).
    missing_resources: frozenset[str] = field(default_factory=frozenset)
    # /activities asks for a contact id, as the API reference documents; by default it lists the
    # whole account, as Stitch's extractor has read it from live accounts.
    activities_require_contact: bool = False
    payment_required: bool = False
    account_redirect: str | None = None
    # At most this many rows in each include=<name> array of a page, each record's id list still
    # whole: a sideload trimmed as the API might trim one (how the API caps them is not public).
    sideload_cap: int | None = None
    # Collections whose every list page leaves out its last row while meta.total still counts it: a
    # server losing rows, which a client can only catch by holding what it read to that count.
    rows_dropped_from_pages: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        self.forbidden_resources = _as_frozenset(self.forbidden_resources)
        self.missing_resources = _as_frozenset(self.missing_resources)
        self.rows_dropped_from_pages = _as_frozenset(self.rows_dropped_from_pages)
        self.odd_bodies = _as_frozenset(self.odd_bodies)
        if not self.odd_bodies or not self.odd_bodies <= set(ODD_BODIES):
            raise ValueError(f"odd_bodies must be some of {ODD_BODIES}")
        if self.deals_access not in DEALS_ACCESS_MODES:
            raise ValueError(f"deals_access must be one of {DEALS_ACCESS_MODES}")
        if self.forbidden_body not in FORBIDDEN_BODIES:
            raise ValueError(f"forbidden_body must be one of {FORBIDDEN_BODIES}")
        if self.rate_limit is not None:
            self.rate_limit = int(self.rate_limit)
            if self.rate_limit < 1:
                raise ValueError("rate_limit must be >= 1 or None")
        if float(self.background_rps) < 0:
            raise ValueError("background_rps must be >= 0")
        if int(self.background_burst) < 1:
            raise ValueError("background_burst must be >= 1 (1: evenly spaced calls)")
        for name in ("error_rate", "forbidden_rate", "odd_body_rate"):
            if not 0.0 <= float(getattr(self, name)) <= 1.0:
                raise ValueError(f"{name} must be within [0, 1]")
        if self.sideload_cap is not None and int(self.sideload_cap) < 0:
            raise ValueError("sideload_cap must be >= 0 or None")

    @property
    def background(self) -> BackgroundTraffic:
        return BackgroundTraffic(float(self.background_rps), int(self.background_burst))

    def with_changes(self, **changes: Any) -> EmulatorOptions:
        known = {option.name for option in fields(self)}
        unknown = set(changes) - known
        if unknown:
            raise ValueError(f"unknown option(s): {sorted(unknown)}")
        return replace(self, **changes)

    def to_json(self) -> dict[str, Any]:
        out = {option.name: getattr(self, option.name) for option in fields(self)}
        out["forbidden_resources"] = sorted(self.forbidden_resources)
        out["missing_resources"] = sorted(self.missing_resources)
        out["rows_dropped_from_pages"] = sorted(self.rows_dropped_from_pages)
        out["odd_bodies"] = sorted(self.odd_bodies)
        return out


def _as_frozenset(value: Any) -> frozenset[str]:
    if value is None:
        return frozenset()
    if isinstance(value, str):
        return frozenset(part.strip() for part in value.split(",") if part.strip())
    if isinstance(value, Iterable):
        return frozenset(str(item) for item in value)
    raise TypeError("forbidden_resources must be a collection of names or a comma-separated string")
