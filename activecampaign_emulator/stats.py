"""Request counters and log, read by tests and by the benchmark."""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class RequestLogEntry:
    method: str
    path: str
    query: dict[str, list[str]]
    status: int
    started_at: float  # on the emulator's clock: time.monotonic() unless a test passed its own
    finished_at: float
    headers: dict[str, str]  # as received, Api-Token value replaced by "***"


class Stats:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self.requests = 0
            self.by_path: dict[str, int] = {}
            self.by_status: dict[int, int] = {}
            self.rate_limited = 0
            self.server_errors = 0
            self.max_in_flight = 0
            self.in_flight = 0
            self.log: list[RequestLogEntry] = []
            # Another client of the account (rate_limit.BackgroundTraffic): its calls, and those lost
            # to a full window; never in `requests` or `log`, which are the connector's.
            self.background_calls = 0
            self.background_lost = 0
            self.background_log: list[tuple[float, bool]] = []  # (when, admitted)

    def begin(self) -> None:
        with self._lock:
            self.in_flight += 1
            if self.in_flight > self.max_in_flight:
                self.max_in_flight = self.in_flight

    def end(self, entry: RequestLogEntry) -> None:
        with self._lock:
            self.in_flight = max(0, self.in_flight - 1)
            self.requests += 1
            self.by_path[entry.path] = self.by_path.get(entry.path, 0) + 1
            self.by_status[entry.status] = self.by_status.get(entry.status, 0) + 1
            if entry.status == 429:
                self.rate_limited += 1
            if entry.status >= 500:
                self.server_errors += 1
            self.log.append(entry)

    def record_background_call(self, at: float, admitted: bool) -> None:
        with self._lock:
            self.background_calls += 1
            self.background_lost += 0 if admitted else 1
            self.background_log.append((at, admitted))

    def snapshot(self, with_log: bool = False) -> dict[str, Any]:
        with self._lock:
            out: dict[str, Any] = {
                "requests": self.requests,
                "by_path": dict(self.by_path),
                "by_status": {str(status_code): count for status_code, count in self.by_status.items()},
                "rate_limited": self.rate_limited,
                "server_errors": self.server_errors,
                "max_in_flight": self.max_in_flight,
                "in_flight": self.in_flight,
                "background_calls": self.background_calls,
                "background_lost": self.background_lost,
            }
            if with_log:
                out["log"] = [asdict(logged) for logged in self.log]
                out["background_log"] = [[at, admitted] for at, admitted in self.background_log]
            return out
