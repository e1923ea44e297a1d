"""Date-times written by the API, the config and saved states: one parser, one leniency.

What is accepted is ISO 8601 as ``dateutil``'s ``isoparse`` reads it, and nothing else:

- a date: ``2024-01-01`` or ``20240101`` (a year alone, ``2024``, is its first day);
- a date and a time joined by one character (``T``, or the space the API writes): ``2024-01-01 10:00``,
  ``2024-01-01T10:00:00.123456``;
- with or without an offset: ``Z``, ``+01``, ``+0100``, ``+01:00``.

Not accepted: month names, day-first dates, surrounding spaces, and ActiveCampaign's zero date
(``0000-00-00 00:00:00``, which it writes for "never"). The spec's pattern for ``start_date`` and
the CDK's own state formats are within this; the API's ``cdate``/``udate`` values are too.
"""

import datetime
from typing import Any

from dateutil.parser import isoparse


def parse_date_time(value: str) -> datetime.datetime:
    """``value`` as written: aware when it has an offset, naive when not.

    Raises ``ValueError`` when it is not ISO 8601 (the zero date included). A naive value is left
    naive: the API writes some times in the account's own zone without saying which, so only the
    caller knows whether naive means UTC.
    """
    try:
        return isoparse(value)
    except OverflowError as error:  # a year past 9999
        raise ValueError(f"{value!r} is out of range") from error


def utc_date_time(value: Any) -> datetime.datetime | None:
    """``value`` in UTC, reading a naive one as UTC as the CDK's cursors do, or None when it is not an
    ISO 8601 string (not a string, empty, the zero date, garbage).

    For what the connector or the CDK wrote itself, saved states and ``start_date``: a bad value there
    is reported, or the state dropped, by whoever asks.
    """
    if not isinstance(value, str):
        return None
    try:
        parsed = parse_date_time(value)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=datetime.timezone.utc)
    return parsed.astimezone(datetime.timezone.utc)
