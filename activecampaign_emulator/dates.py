"""Date forms of the account timezone and parsing of date filter values.

One account mixes several date forms (seen in recorded responses): ISO 8601 with the account's
UTC offset, which follows daylight saving time; naive "YYYY-MM-DD HH:MM:SS" in account time (also
in the `*_utc_timestamp` fields, which are not UTC); ISO in UTC on deal custom fields; date only;
MySQL zero dates; and null.

Timestamps are kept as epoch seconds (UTC) everywhere inside the emulator; they become one of the
API's textual forms only when a record is rendered.
"""

from __future__ import annotations

import re
import time
from datetime import datetime, timedelta, timezone, tzinfo

ACCOUNT_TZ_NAME = "America/Chicago"

# Sentinel for a NULL date inside integer columns (arrays cannot hold None).
NULL = -(2**62)

ZERO_DATE = "0000-00-00"
ZERO_DATETIME = "0000-00-00 00:00:00"


class _UsCentral(tzinfo):
    """US Central time with the post-2007 DST rules.

    Only used when the platform has no IANA database (zoneinfo raises), so that a user's clone on
    such a machine still starts; the emulator's data never leaves 2019..now, where these rules hold.
    """

    _STD = timedelta(hours=-6)
    _DST = timedelta(hours=-5)

    @staticmethod
    def _nth_sunday(year: int, month: int, nth: int) -> datetime:
        first_sunday = datetime(year, month, 1)
        first_sunday += timedelta(days=(6 - first_sunday.weekday()) % 7)
        return first_sunday + timedelta(weeks=nth - 1)

    def _dst_window_utc(self, year: int) -> tuple[datetime, datetime]:
        start = self._nth_sunday(year, 3, 2).replace(hour=2) - self._STD
        end = self._nth_sunday(year, 11, 1).replace(hour=2) - self._DST
        return start, end

    def _is_dst_local(self, moment: datetime) -> bool:
        start_local = self._nth_sunday(moment.year, 3, 2).replace(hour=2)
        end_local = self._nth_sunday(moment.year, 11, 1).replace(hour=2)
        naive = moment.replace(tzinfo=None)
        if moment.fold and end_local - timedelta(hours=1) <= naive < end_local:
            return False
        return start_local <= naive < end_local

    def utcoffset(self, moment: datetime | None) -> timedelta:
        if moment is None:
            return self._STD
        return self._DST if self._is_dst_local(moment) else self._STD

    def dst(self, moment: datetime | None) -> timedelta:
        if moment is None:
            return timedelta(0)
        return timedelta(hours=1) if self._is_dst_local(moment) else timedelta(0)

    def tzname(self, moment: datetime | None) -> str:
        return "CDT" if moment is not None and self._is_dst_local(moment) else "CST"

    def fromutc(self, moment: datetime) -> datetime:
        naive = moment.replace(tzinfo=None)
        start, end = self._dst_window_utc(naive.year)
        offset = self._DST if start <= naive < end else self._STD
        local = naive + offset
        fold = 1 if offset == self._STD and end <= naive < end + timedelta(hours=1) else 0
        return local.replace(tzinfo=self, fold=fold)


def _load_tz() -> tzinfo:
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(ACCOUNT_TZ_NAME)
    except Exception:  # no tz database on this machine
        return _UsCentral()


ACCOUNT_TZ: tzinfo = _load_tz()


def local_epoch(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> int:
    return int(datetime(year, month, day, hour, minute, second, tzinfo=ACCOUNT_TZ).timestamp())


def now_epoch() -> int:
    return int(time.time())


def iso(epoch: int) -> str | None:
    """Form 1: ISO 8601 with the account offset, e.g. 2020-05-24T05:16:44-05:00."""
    if epoch == NULL:
        return None
    return datetime.fromtimestamp(epoch, ACCOUNT_TZ).isoformat()


def naive(epoch: int) -> str | None:
    """Form 2: local wall clock without offset (also what `*_utc_timestamp` really holds)."""
    if epoch == NULL:
        return None
    return datetime.fromtimestamp(epoch, ACCOUNT_TZ).strftime("%Y-%m-%d %H:%M:%S")


def utc(epoch: int) -> str | None:
    """Form 3: ISO in UTC with +00:00 (deal custom field meta/data)."""
    if epoch == NULL:
        return None
    return datetime.fromtimestamp(epoch, timezone.utc).isoformat()


def date_only(epoch: int) -> str | None:
    if epoch == NULL:
        return None
    return datetime.fromtimestamp(epoch, ACCOUNT_TZ).strftime("%Y-%m-%d")


_FILTER_RE = re.compile(
    r"^\s*(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?\s*$"
)


def parse_filter_date(value: str) -> float | None:
    """Parse a date filter value to epoch seconds; None when unparseable.

    Accepts YYYY-MM-DD, YYYY-MM-DD HH:MM[:SS], ISO with T, optional fraction and Z / +-HH:MM /
    +-HHMM. The API documents the value as a date and not its time zone; the emulator reads naive
    values as account local time. The fraction is kept so that `>=` compares exactly.
    """
    match = _FILTER_RE.match(value)
    if not match:
        return None
    year, month, day, hour, minute, second, fraction_digits, offset = match.groups()
    try:
        base = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0))
    except ValueError:
        return None
    fraction = float("0." + fraction_digits) if fraction_digits else 0.0
    if offset is None:
        aware = base.replace(tzinfo=ACCOUNT_TZ)
    elif offset == "Z":
        aware = base.replace(tzinfo=timezone.utc)
    else:
        digits = offset[1:].replace(":", "")
        minutes = int(digits[:2]) * 60 + int(digits[2:])
        if minutes >= 24 * 60:
            return None
        sign = -1 if offset[0] == "-" else 1
        aware = base.replace(tzinfo=timezone(timedelta(minutes=sign * minutes)))
    return aware.timestamp() + fraction
