"""The first read of deals in windows of creation time: how many, where they split, and the check."""

import io
import json
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests

from source_activecampaign import progress
from source_activecampaign.deals.creation_windows import (
    CreationWindowPartitionRouter,
    creation_windows,
    split_offsets,
    window_count,
)

# What the API answers a key without the Deals permission, which the error handler lets through to be ignored.
REFUSED = {"errors": [{"status": 403, "title": "Forbidden", "detail": "You do not have permission to view deals."}]}
A, B, C = "2023-01-02T08:00:00-06:00", "2023-07-14T16:30:00-05:00", "2024-01-05T09:00:00-06:00"


@pytest.mark.parametrize(
    "total, count",
    [
        pytest.param(0, 1, id="no deals"),
        pytest.param(4_999, 1, id="too few for two windows of 2,500"),
        pytest.param(5_000, 2, id="two windows of 2,500"),
        pytest.param(9_999, 3, id="three"),
        pytest.param(10_000, 4, id="one per sequence"),
        pytest.param(40_000, 4, id="four windows of 10,000"),
        pytest.param(40_001, 8, id="then a multiple of four, at most 10,000 each"),
        pytest.param(1_000_000, 100, id="a million deals"),
    ],
)
def test_window_count(total: int, count: int) -> None:
    assert window_count(total, 2_500, 10_000, 4) == count


def test_split_offsets_are_equal_shares_of_the_total() -> None:
    assert split_offsets(10_001, 4) == [2500, 5000, 7500]


@pytest.mark.parametrize(
    "bounds, windows",
    [
        pytest.param(
            [A, B, C],
            [
                {"created_after": A, "created_before": B},
                {"created_after": B, "created_before": C},
                {"created_after": C},
            ],
            id="consecutive windows, the last open-ended",
        ),
        pytest.param(
            [A, B, B], [{"created_after": A, "created_before": B}, {"created_after": B}], id="equal bounds make one"
        ),
        pytest.param(
            [A, "2023-01-02T09:00:00-05:00"],
            [{"created_after": A}],
            id="the same instant in another offset is an equal bound",
        ),
        pytest.param([A], [{"created_after": A}], id="one bound"),
    ],
)
def test_creation_windows(bounds: list[str], windows: list[dict[str, str]]) -> None:
    assert creation_windows(bounds) == windows


@dataclass
class FakeRequester:
    """Answers the router's one-deal requests from `answer(params) -> body` and records what was asked."""

    answer: Callable[[Mapping[str, str]], Any]
    asked: list[dict[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def send_request(self, request_params: Mapping[str, str], **kwargs: Any) -> requests.Response:
        with self.lock:
            self.asked.append(dict(request_params))
        body = self.answer(request_params)
        response = requests.Response()
        response.status_code = 403 if body == REFUSED else 200
        response.raw = io.BytesIO(json.dumps(body).encode())
        return response


def _deals(total: int, cdates: Mapping[str, str | None], window_totals: Mapping[tuple[str, ...], int]):
    """An account of `total` deals whose deal at each offset has the given cdate (None: restricted)."""

    def answer(params: Mapping[str, str]) -> Any:
        if "offset" in params:
            cdate = cdates[params["offset"]]
            deal = (
                {"id": "1", "title": "Restricted", "isDisabled": True} if cdate is None else {"id": "1", "cdate": cdate}
            )
            return {"deals": [deal], "meta": {"total": total}}
        window = tuple(params[key] for key in ("filters[created_after]", "filters[created_before]") if key in params)
        return {"deals": [{"id": "1", "cdate": window[0]}], "meta": {"total": window_totals[window]}}

    return answer


def _partitions(requester: FakeRequester) -> list[dict[str, Any]]:
    router = CreationWindowPartitionRouter(requester=requester, config={}, parameters={"name": "deals"})
    return [dict(partition.partition) for partition in router.stream_slices()]


def test_given_10000_deals_then_four_windows_at_equal_offsets_checked_before_reading() -> None:
    progress.begin_sync()
    requester = FakeRequester(
        _deals(
            10_000,
            {"0": A, "2500": B, "5000": C, "7500": "2024-06-01T00:00:00-05:00"},
            {
                (A, B): 2_500,
                (B, C): 2_500,
                (C, "2024-06-01T00:00:00-05:00"): 2_500,
                ("2024-06-01T00:00:00-05:00",): 2_500,
            },
        )
    )

    assert _partitions(requester) == [
        {"created_after": A, "created_before": B},
        {"created_after": B, "created_before": C},
        {"created_after": C, "created_before": "2024-06-01T00:00:00-05:00"},
        {"created_after": "2024-06-01T00:00:00-05:00"},
    ]
    assert requester.asked[0] == {"offset": "0", "limit": "1"}
    assert sorted(params.get("offset", "") for params in requester.asked[1:4]) == ["2500", "5000", "7500"]
    assert len(requester.asked) == 8
    # The first request's count is the deals this read emits: the stream's estimate.
    assert progress.current_sync().evaluate("deals", lambda facts, _: facts.counted_by_plan) == 10_000


@pytest.mark.parametrize(
    "answer, asked",
    [
        pytest.param(_deals(4_999, {"0": A}, {}), 1, id="too few deals: the first request only"),
        pytest.param(lambda params: {"deals": []}, 1, id="no meta.total"),
        pytest.param(_deals(5_000, {"0": A, "2500": None}, {}), 2, id="a restricted deal at a bound has no cdate"),
        pytest.param(
            _deals(5_000, {"0": A, "2500": "2023-07-14 16:30:00"}, {}),
            2,
            id="a naive creation time beside one with an offset does not compare",
        ),
        pytest.param(
            _deals(5_000, {"0": A, "2500": B}, {(A, B): 5_000, (B,): 2_500}),
            4,
            id="window totals that do not add up (created_before ignored)",
        ),
        pytest.param(
            _deals(5_000, {"0": A, "2500": B}, {(A, B): 2_499, (B,): 2_500}),
            4,
            id="window totals one short (created_after exclusive)",
        ),
    ],
)
def test_given_no_safe_split_then_one_plain_sequence(answer: Callable[[Mapping[str, str]], Any], asked: int) -> None:
    requester = FakeRequester(answer)

    assert _partitions(requester) == [{}]
    assert len(requester.asked) == asked


def test_given_the_first_request_refused_and_ignored_then_no_partition_and_no_other_request() -> None:
    requester = FakeRequester(lambda params: REFUSED)

    assert _partitions(requester) == []
    assert requester.asked == [{"offset": "0", "limit": "1"}]
