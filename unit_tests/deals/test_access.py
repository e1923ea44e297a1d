"""Restricted deals: recognised, kept, and said once."""

from typing import Any

import pytest

from source_activecampaign import progress
from source_activecampaign.deals.access import DealsAccessExtractor, is_restricted_deal
from unit_tests.json_response import json_response


@pytest.mark.parametrize(
    "record, restricted",
    [
        pytest.param({"title": "Bogus Deal", "id": "1", "isDisabled": True}, True, id="live restricted row"),
        pytest.param(
            {"id": "2", "isDisabled": 1, "title": "Demo Requested"}, True, id="documented restricted row (isDisabled 1)"
        ),
        pytest.param(
            {"id": "3", "title": "Full", "isDisabled": False, "mdate": "2024-01-01T00:00:00-06:00"},
            False,
            id="full row",
        ),
        pytest.param(
            {"id": "4", "title": "Disabled but full", "isDisabled": True, "mdate": "2024-01-01T00:00:00-06:00"},
            False,
            id="full row of a disabled currency",
        ),
    ],
)
def test_is_restricted_deal(record: dict[str, Any], restricted: bool) -> None:
    assert is_restricted_deal(record) is restricted


def test_deals_access_extractor_warns_once_and_keeps_every_row(caplog: pytest.LogCaptureFixture) -> None:
    extractor = DealsAccessExtractor(field_path=["deals"], config={}, parameters={})
    page = {
        "deals": [
            {"title": "A", "id": "1", "isDisabled": True},
            {"id": "2", "mdate": "2024-01-01T00:00:00-06:00"},
            {"title": "B", "id": "3", "isDisabled": True},
        ]
    }

    first_page = list(extractor.extract_records(json_response(page)))
    second_page = list(extractor.extract_records(json_response(page)))

    assert [row["id"] for row in first_page + second_page] == ["1", "2", "3", "1", "2", "3"]
    assert sum("Manage pipeline" in message for message in caplog.messages) == 1


def test_restricted_deals_are_counted_for_the_sync_summary() -> None:
    sync = progress.begin_sync()
    extractor = DealsAccessExtractor(field_path=["deals"], config={}, parameters={"name": "deals"})
    page = {"deals": [{"title": "A", "id": "1", "isDisabled": True}, {"id": "2", "mdate": "2024-01-01T00:00:00-06:00"}]}

    list(extractor.extract_records(json_response(page)))
    list(extractor.extract_records(json_response(page)))

    assert sync.evaluate("deals", lambda facts, _: facts.restricted_rows) == 2
