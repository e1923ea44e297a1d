"""The pager side of the checkpoints: pages reported to the first read reading them, and offset
sequences that resume where they stopped, or from their start when the records moved."""

import json
from typing import Any

import pytest
import requests
from airbyte_cdk.sources.declarative.decoders import JsonDecoder
from airbyte_cdk.sources.declarative.requesters.paginators.strategies.cursor_pagination_strategy import (
    CursorPaginationStrategy,
)
from airbyte_cdk.sources.types import Record, StreamSlice

from source_activecampaign.checkpoints.cursor import PROGRESS_FIELD, PagesReported
from source_activecampaign.checkpoints.paging import FROM_THE_START, CheckpointedPagination, ResumableOffsetIncrement
from source_activecampaign.checkpoints.read_so_far import PartitionProgress


def _response(rows: list[dict[str, Any]], field: str = "records") -> requests.Response:
    response = requests.Response()
    response.status_code = 200
    response._content = json.dumps({field: rows}).encode()
    return response


class _Pages(PartitionProgress):
    def __init__(self) -> None:
        self.read: list[tuple[Any, Any]] = []

    def page_read(self, next_page_token: Any, last_record: Any) -> None:
        self.read.append((next_page_token, last_record))


class _Cursor:
    """What a ``PagesReported`` tells: the partition's progress, then the cursor."""

    def page_read(self, partition: PartitionProgress, next_page_token: Any, last_record: Any) -> None:
        partition.page_read(next_page_token, last_record)


def _keyset() -> CheckpointedPagination:
    return CheckpointedPagination(
        strategy=CursorPaginationStrategy(
            cursor_value="{{ last_record['id'] }}", config={}, parameters={}, page_size=2
        ),
        config={},
        parameters={},
    )


def test_each_page_is_reported_with_the_token_of_the_next() -> None:
    pages = _Pages()
    stream_slice = StreamSlice(
        partition={"id_greater": "0"},
        cursor_slice={},
        extra_fields={PROGRESS_FIELD: PagesReported(_Cursor(), pages)},  # type: ignore[arg-type]
    )
    last = Record({"id": "7"}, "contacts", stream_slice)

    token = _keyset().next_page_token(_response([]), 2, last, None, stream_slice=stream_slice)

    assert token == 7  # the CDK reads the interpolated id as a number
    assert pages.read == [(7, last)]


def test_a_read_without_checkpoints_pages_as_the_wrapped_strategy() -> None:
    stream_slice = StreamSlice(partition={}, cursor_slice={})
    assert (
        _keyset().next_page_token(_response([]), 2, Record({"id": "7"}, "contacts"), None, stream_slice=stream_slice)
        == 7
    )
    assert _keyset().initial_token is None
    assert _keyset().get_page_size() == 2


def _offsets() -> ResumableOffsetIncrement:
    return ResumableOffsetIncrement(
        config={}, page_size=100, parameters={"data_field": "records"}, records_field="{{ parameters['data_field'] }}"
    )


def _rows(first_id: int, count: int) -> list[dict[str, Any]]:
    return [{"id": str(first_id + index)} for index in range(count)]


@pytest.mark.parametrize(
    "partition, last_token, rows, expected",
    [
        pytest.param({}, None, _rows(1, 100), 100, id="a first read: from 0"),
        pytest.param({}, 300, _rows(301, 100), 400, id="a later page: from its token"),
        pytest.param({}, 300, _rows(301, 40), None, id="a short page ends the sequence"),
        pytest.param({"offset": "1150"}, None, _rows(1151, 100), 1250, id="a resumed partition starts at its offset"),
        pytest.param(
            {"offset": "1150", "after_id": "1200"},
            None,
            _rows(1151, 100),
            1250,
            id="the record read last is on the first page",
        ),
        pytest.param(
            {"offset": "1150", "after_id": "1200"},
            None,
            _rows(1101, 100),
            1250,
            id="records before it deleted: still on it",
        ),
        pytest.param(
            {"offset": "1150", "after_id": "1200"},
            None,
            _rows(1201, 100),
            FROM_THE_START,
            id="moved away: from the start",
        ),
        pytest.param(
            {"offset": "1150", "after_id": "1200"},
            None,
            _rows(1300, 30),
            FROM_THE_START,
            id="short and moved: from the start",
        ),
        pytest.param({"offset": "1150", "after_id": "1200"}, "0", _rows(1, 100), 100, id="read again from the start"),
    ],
)
def test_offset_pages_of_a_resumable_partition(
    partition: dict[str, str], last_token: Any, rows: list[dict[str, Any]], expected: Any
) -> None:
    stream_slice = StreamSlice(partition=partition, cursor_slice={})
    token = _offsets().next_page_token(_response(rows), len(rows), None, last_token, stream_slice=stream_slice)
    assert token == expected


class _CountingDecoder(JsonDecoder):
    """A paginator's decoder that counts the pages it decodes."""

    def __init__(self) -> None:
        super().__init__(parameters={})
        self.decoded = 0

    def decode(self, response: requests.Response) -> Any:
        self.decoded += 1
        yield from super().decode(response)


@pytest.mark.parametrize(
    "strategy",
    [
        pytest.param(
            CursorPaginationStrategy(
                cursor_value="{{ response['records'][-1]['id'] }}", config={}, parameters={}, page_size=2
            ),
            id="keyset pages (contacts)",
        ),
        pytest.param(_offsets(), id="offset pages, a resumed partition (the first page checked)"),
    ],
)
def test_the_wrapped_strategy_reads_the_page_with_the_paginators_decoder(strategy: Any) -> None:
    # The CDK hands the paginator's decoder (the page parsed once) to the strategy it builds, not to one
    # nested in a custom strategy: without it the wrapped strategy parsed every page again.
    decoder = _CountingDecoder()
    pager = CheckpointedPagination(strategy=strategy, config={}, parameters={}, decoder=decoder)
    stream_slice = StreamSlice(partition={"offset": "100", "after_id": "101"}, cursor_slice={})

    token = pager.next_page_token(
        _response(_rows(101, 100)), 100, Record({"id": "200"}, "records"), None, stream_slice=stream_slice
    )

    assert token == 200
    assert decoder.decoded == 1
