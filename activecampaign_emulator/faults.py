"""One-shot faults queued by tests and consumed, in order, by matching API requests."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import Any

FAULT_KINDS = ("status", "html", "empty", "truncated", "reset", "slow")


@dataclass
class Fault:
    kind: str
    path_pattern: str | None = None  # regex searched in the request path; None = any API path
    times: int = 1
    status: int | None = None
    body: Any = None  # dict/list -> JSON, str/bytes -> sent as is, None -> a JSON message
    headers: dict[str, str] | None = None
    delay_s: float = 0.0
    _regex: re.Pattern[str] | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"fault kind must be one of {FAULT_KINDS}")
        if self.kind == "status" and self.status is None:
            raise ValueError("a 'status' fault needs a status")
        if self.times < 1:
            raise ValueError("times must be >= 1")
        self._regex = re.compile(self.path_pattern) if self.path_pattern is not None else None

    def matches(self, path: str) -> bool:
        return self._regex is None or self._regex.search(path) is not None


class FaultQueue:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queue: list[Fault] = []

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            self._queue.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self._queue.clear()

    def pending(self) -> list[Fault]:
        with self._lock:
            return list(self._queue)

    def take(self, path: str) -> Fault | None:
        """The first queued fault matching `path`, using up one of its `times`."""
        with self._lock:
            for index, fault in enumerate(self._queue):
                if fault.matches(path):
                    fault.times -= 1
                    if fault.times <= 0:
                        del self._queue[index]
                    return fault
        return None

    def __len__(self) -> int:
        with self._lock:
            return len(self._queue)
