"""The span of time the seeded data covers, and where it ends."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from ..dates import ACCOUNT_TZ, local_epoch, now_epoch

DEFAULT_START = local_epoch(2019, 1, 1)
DEFAULT_END = local_epoch(2025, 6, 30, 23, 59, 59)
# Rows created before this carry MySQL zero dates ("0000-00-00 00:00:00") where newer rows carry
# null; real accounts show both. The API's behaviour here is not documented; the emulator chooses a
# cutoff of 2021-01-01.
DEFAULT_ZERO_DATE_CUTOFF = local_epoch(2021, 1, 1)

DataUntil = str | date | datetime | None


@dataclass(frozen=True)
class SeedClock:
    """The time range the seeded data spans.

    By default 2019-01-01 .. 2025-06-30 (account time). `SeedClock.until(x)` keeps that length but
    ends at `x`: every seeded date (and the zero-date cutoff) moves by the same `shift` seconds, so
    an account synced up to today can be emulated; the data is otherwise identical.
    """

    shift: int = 0

    @classmethod
    def until(cls, data_until: DataUntil) -> SeedClock:
        """None: the default range. "now", "YYYY-MM-DD" (to the end of that day, account time), a
        date, or a datetime (naive = account time)."""
        if data_until is None:
            return cls()
        if isinstance(data_until, str):
            text = data_until.strip()
            if text.lower() == "now":
                return cls(now_epoch() - DEFAULT_END)
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                raise ValueError(f"data_until must be YYYY-MM-DD or 'now', not {data_until!r}")
            data_until = date.fromisoformat(text)
        if isinstance(data_until, datetime):
            aware = data_until if data_until.tzinfo else data_until.replace(tzinfo=ACCOUNT_TZ)
            return cls(int(aware.timestamp()) - DEFAULT_END)
        if isinstance(data_until, date):
            day = data_until
            return cls(local_epoch(day.year, day.month, day.day, 23, 59, 59) - DEFAULT_END)
        raise TypeError(f"data_until must be None, 'now', 'YYYY-MM-DD', a date or a datetime, not {data_until!r}")

    @property
    def start(self) -> int:
        return DEFAULT_START + self.shift

    @property
    def end(self) -> int:
        return DEFAULT_END + self.shift

    @property
    def span(self) -> int:
        return DEFAULT_END - DEFAULT_START

    @property
    def zero_date_cutoff(self) -> int:
        return DEFAULT_ZERO_DATE_CUTOFF + self.shift
