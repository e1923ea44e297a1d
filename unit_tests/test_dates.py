"""The one date-time parser: what it accepts, how it reads a naive value, what it refuses."""

import datetime

import pytest

from source_activecampaign.dates import parse_date_time, utc_date_time

UTC = datetime.timezone.utc


def _at(*fields: int, offset_hours: int | None = None) -> datetime.datetime:
    zone = None if offset_hours is None else datetime.timezone(datetime.timedelta(hours=offset_hours))
    return datetime.datetime(*fields, tzinfo=zone)


@pytest.mark.parametrize(
    "value, expected",
    [
        pytest.param("2024-01-01", _at(2024, 1, 1), id="a date"),
        pytest.param("20240101", _at(2024, 1, 1), id="a basic-format date"),
        pytest.param("2024", _at(2024, 1, 1), id="a year alone is its first day"),
        pytest.param("2024-01-01 10:00", _at(2024, 1, 1, 10), id="date and time joined by a space, no seconds"),
        pytest.param("2024-01-01T10:00:00", _at(2024, 1, 1, 10), id="naive date-time stays naive"),
        pytest.param("2024-01-01T10:00:00.123456", _at(2024, 1, 1, 10, 0, 0, 123456), id="with a fraction of a second"),
        pytest.param("2024-01-01T10:00:00Z", _at(2024, 1, 1, 10, offset_hours=0), id="Z"),
        pytest.param("2024-01-01T10:00:00+01", _at(2024, 1, 1, 10, offset_hours=1), id="offset +HH"),
        pytest.param("2024-01-01T10:00:00-0600", _at(2024, 1, 1, 10, offset_hours=-6), id="offset -HHMM (the CDK's)"),
        pytest.param("2024-01-01T10:00:00-06:00", _at(2024, 1, 1, 10, offset_hours=-6), id="offset -HH:MM (the API's)"),
    ],
)
def test_parse_date_time_accepts_iso_8601(value: str, expected: datetime.datetime) -> None:
    parsed = parse_date_time(value)
    assert (parsed, parsed.utcoffset()) == (expected, expected.utcoffset())


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("", id="empty"),
        pytest.param("0000-00-00 00:00:00", id="the API's zero date"),
        pytest.param("2024-02-30", id="a day that does not exist"),
        pytest.param("Feb 29 2024", id="a month name"),
        pytest.param("29/02/2024", id="day first"),
        pytest.param(" 2024-01-01", id="surrounding space"),
        pytest.param("10000-01-01T00:00:00", id="a year past 9999"),
        pytest.param("garbage", id="not a date"),
    ],
)
def test_parse_date_time_refuses_anything_else_with_value_error(value: str) -> None:
    with pytest.raises(ValueError):
        parse_date_time(value)


@pytest.mark.parametrize(
    "value, expected",
    [
        pytest.param("2024-01-01", _at(2024, 1, 1, offset_hours=0), id="a date is midnight UTC"),
        pytest.param("2024-02-29 13:20:49", _at(2024, 2, 29, 13, 20, 49, offset_hours=0), id="naive read as UTC"),
        pytest.param("2024-02-29T00:00:00-06:00", _at(2024, 2, 29, 6, offset_hours=0), id="offset turned to UTC"),
        pytest.param("0000-00-00 00:00:00", None, id="the zero date is none"),
        pytest.param("", None, id="empty is none"),
        pytest.param("garbage", None, id="garbage is none"),
        pytest.param(1709164800, None, id="a number is none"),
        pytest.param(None, None, id="absent is none"),
    ],
)
def test_utc_date_time_reads_naive_as_utc_and_anything_else_as_none(
    value: object, expected: datetime.datetime | None
) -> None:
    parsed = utc_date_time(value)
    assert parsed == expected
    if parsed is not None:
        assert parsed.tzinfo == UTC
