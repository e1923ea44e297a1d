"""The summary's lines and the completeness warning."""

import dataclasses

import pytest

from source_activecampaign.progress.summary import StreamSummary, SyncSummary

TAGS = StreamSummary(
    name="tags",
    records=7,
    rows_read=7,
    counted_by_api=7,
    restricted=0,
    requests=1,
    rate_limited=0,
    retried=0,
    seconds=0.2,
    ceiling=5.0,
    complete=True,
    whole_collection=True,
)


@pytest.mark.parametrize(
    "changes, line",
    [
        pytest.param(
            {},
            "Sync summary, stream tags: 7 records (ActiveCampaign counts 7); 1 request, 0 answered 429, 0 retried; "
            "0.2 s.",
            id="a small stream",
        ),
        pytest.param(
            {"records": 5, "counted_by_api": 20, "rows_read": 20},
            "Sync summary, stream tags: 5 records (15 more read and left out as older than the start date or the saved "
            "state; ActiveCampaign counts 20); 1 request, 0 answered 429, 0 retried; 0.2 s.",
            id="rows the cursor left out, named apart",
        ),
        pytest.param(
            {"name": "deals", "records": 1_500, "rows_read": 1_500, "counted_by_api": 1_500, "restricted": 300},
            "Sync summary, stream deals: 1,500 records (300 of them restricted deals with id, title and isDisabled "
            "only; ActiveCampaign counts 1,500); 1 request, 0 answered 429, 0 retried; 0.2 s.",
            id="restricted deals, named apart",
        ),
        pytest.param(
            {
                "records": 1,
                "rows_read": 1,
                "counted_by_api": None,
                "requests": 21,
                "rate_limited": 2,
                "retried": 3,
                "seconds": 5.0,
            },
            "Sync summary, stream tags: 1 record; 21 requests, 2 answered 429, 3 retried; 5.0 s at 80% of the 5 "
            "requests/second ceiling.",
            id="no count; the rate between its first and last answer",
        ),
        pytest.param(
            {"records": 5, "rows_read": 5, "counted_by_api": 5, "deletions": 2},
            "Sync summary, stream tags: 5 records and 2 deletions (ActiveCampaign counts 5); 1 request, 0 answered "
            "429, 0 retried; 0.2 s.",
            id="rows a deletion check found gone, counted apart",
        ),
    ],
)
def test_stream_line(changes: dict, line: str) -> None:
    assert dataclasses.replace(TAGS, **changes).line() == line


@pytest.mark.parametrize(
    "changes, warned",
    [
        pytest.param({}, False, id="all there"),
        pytest.param({"rows_read": 6, "records": 6}, True, id="one row short"),
        pytest.param({"rows_read": 6, "records": 6, "complete": False}, False, id="a read that did not finish"),
        pytest.param({"rows_read": 6, "records": 6, "whole_collection": False}, False, id="a window of a collection"),
        pytest.param({"rows_read": 6, "records": 6, "counted_by_api": None}, False, id="no count to hold it to"),
        pytest.param({"rows_read": 9, "records": 9}, False, id="more than counted (added while read)"),
    ],
)
def test_completeness_warning(changes: dict, warned: bool) -> None:
    warning = dataclasses.replace(TAGS, **changes).completeness_warning()

    assert (warning is not None) is warned
    if warned:
        assert warning is not None and warning.startswith(
            "Stream 'tags' read its whole collection and got 6 rows where ActiveCampaign counts 7 (meta.total): "
            "1 row not synced."
        )


def test_sync_line() -> None:
    line = SyncSummary(streams=68, records=20_534, requests=176, rate_limited=1, retried=1, seconds=40.0, ceiling=5)

    assert line.line() == (
        "Sync summary: 68 streams, 20,534 records, 176 requests, 1 answered 429, 1 retried; "
        "40.0 s at 88% of the 5 requests/second ceiling."
    )


def test_sync_line_with_deletions() -> None:
    line = SyncSummary(
        streams=3, records=25_439, requests=267, rate_limited=0, retried=0, seconds=65.0, ceiling=5, deletions=85
    )

    assert line.line().startswith("Sync summary: 3 streams, 25,439 records and 85 deletions, 267 requests, ")
