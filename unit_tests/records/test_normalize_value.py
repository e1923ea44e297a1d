"""Values cast to their declared types, one case each."""

from typing import Any

import pytest

from source_activecampaign.records.normalization import normalize_value

ISO = {"type": ["null", "string"], "format": "date-time", "airbyte_type": "timestamp_with_timezone"}
NAIVE = {"type": ["null", "string"], "format": "date-time", "airbyte_type": "timestamp_without_timezone"}
DATE = {"type": ["null", "string"], "format": "date"}
INTEGER = {"type": ["null", "integer"]}
NUMBER = {"type": ["null", "number"]}
BOOLEAN = {"type": ["null", "boolean"]}
STRING = {"type": ["null", "string"]}


@pytest.mark.parametrize(
    "value, field_schema, expected",
    [
        pytest.param("2024-02-19T13:20:49-06:00", ISO, "2024-02-19T13:20:49-06:00", id="ISO with offset kept"),
        pytest.param("2020-05-24 05:16:44", NAIVE, "2020-05-24T05:16:44", id="naive timestamp to ISO without zone"),
        pytest.param("0000-00-00 00:00:00", NAIVE, None, id="zero timestamp to null"),
        pytest.param("0000-00-00", DATE, None, id="zero date to null"),
        pytest.param("", ISO, None, id="empty timestamp to null"),
        pytest.param("2019-09-06T2:10:00-05:00", ISO, "2019-09-06T02:10:00-05:00", id="unpadded hour padded"),
        pytest.param("2018-05-10", DATE, "2018-05-10", id="date kept"),
        pytest.param("", INTEGER, None, id="empty string in integer column to null"),
        pytest.param("", NUMBER, None, id="empty string in number column to null"),
        pytest.param("", BOOLEAN, None, id="empty string in boolean column to null"),
        pytest.param("", STRING, "", id="empty string in text column kept"),
        pytest.param("12.0", INTEGER, 12, id="integral float string to int"),
        pytest.param("12.5", INTEGER, "12.5", id="fractional string left for the validator"),
        pytest.param(None, INTEGER, None, id="null kept"),
        pytest.param(7, INTEGER, 7, id="already typed kept"),
        pytest.param([], {"type": ["null", "object"]}, None, id="PHP empty map [] in an object column to null"),
        pytest.param({"a": "b"}, {"type": ["null", "object"]}, {"a": "b"}, id="object kept"),
        pytest.param([], {"type": ["null", "array"]}, [], id="empty array in an array column kept"),
    ],
)
def test_normalize_value(value: Any, field_schema: dict[str, Any], expected: Any) -> None:
    assert normalize_value(value, field_schema) == expected
