"""What a first read has read: id intervals (keyset) and offsets of partitions not finished."""

from typing import Any

import pytest

from source_activecampaign.checkpoints.read_so_far import (
    IdIntervals,
    IdRangeProgress,
    PartitionOffsetProgress,
    UnreadPartition,
    id_range_bounds,
    unread_ids,
)


@pytest.mark.parametrize(
    "added, expected",
    [
        pytest.param([], [], id="nothing read"),
        pytest.param([(0, 100)], [[0, 100]], id="one interval"),
        pytest.param([(0, 100), (100, 250)], [[0, 250]], id="touching intervals merge"),
        pytest.param([(0, 100), (250, 300)], [[0, 100], [250, 300]], id="a gap stays"),
        pytest.param([(250, 300), (0, 100), (100, 250)], [[0, 300]], id="a gap filled later"),
        pytest.param([(0, 100), (50, 80)], [[0, 100]], id="an interval inside another"),
        pytest.param([(4500, None), (0, 100)], [[0, 100], [4500, None]], id="no upper bound"),
        pytest.param([(4500, None), (4000, 4600)], [[4000, None]], id="merged into the open interval"),
        pytest.param([(100, 100)], [], id="an empty interval is nothing"),
    ],
)
def test_intervals_are_merged_and_sorted(added: list[tuple[int, int | None]], expected: list[list[Any]]) -> None:
    ids = IdIntervals()
    for low, high in added:
        ids.add(low, high)
    assert ids.as_json() == expected


@pytest.mark.parametrize(
    "read, gaps",
    [
        pytest.param([], [(0, None)], id="nothing read: everything left"),
        pytest.param([(0, 2500)], [(2500, None)], id="a first range read"),
        pytest.param([(0, 730), (1500, 2500)], [(730, 1500), (2500, None)], id="a range partly read"),
        pytest.param([(100, 200)], [(0, 100), (200, None)], id="the start not read"),
        pytest.param([(0, None)], [], id="everything read"),
        pytest.param([(0, 100), (2000, None)], [(100, 2000)], id="the open range read first"),
    ],
)
def test_gaps_are_what_is_left_to_read(read: list[tuple[int, int | None]], gaps: list[tuple[int, int | None]]) -> None:
    assert IdIntervals(read).gaps() == gaps


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("[[0, 100]]", id="not a list"),
        pytest.param([[0]], id="not a pair"),
        pytest.param([["0", 100]], id="a string bound"),
        pytest.param([[0, True]], id="a boolean bound"),
        pytest.param([[0, 1.5]], id="a fraction"),
    ],
)
def test_intervals_that_are_not_pairs_of_ints_are_not_read(value: Any) -> None:
    assert IdIntervals.from_json(value) is None


def test_intervals_read_back_as_written() -> None:
    ids = IdIntervals.from_json([[0, 100], [250, None]])
    assert ids is not None and ids.as_json() == [[0, 100], [250, None]]


def test_unread_ids_are_what_any_reader_has_not_read() -> None:
    contacts = IdIntervals([(0, 3000)])
    tags = IdIntervals([(0, 2500), (2800, 3000)])
    assert unread_ids([contacts, tags]).as_json() == [[2500, 2800], [3000, None]]
    assert unread_ids([contacts, None]).as_json() == [[0, None]]


@pytest.mark.parametrize(
    "partition, bounds",
    [
        pytest.param({"id_greater": "0", "id_less": "2501"}, (0, 2500), id="bounded"),
        pytest.param({"id_greater": "4500"}, (4500, None), id="the last range"),
        pytest.param({"id_greater": "4500", "id_less": ""}, (4500, None), id="an empty id_less"),
    ],
)
def test_an_id_range_partition_is_an_interval(partition: dict[str, str], bounds: tuple[int, int | None]) -> None:
    assert id_range_bounds(partition) == bounds


def test_id_range_pages_read_and_ranges_closed_add_to_the_ids_read() -> None:
    progress = IdRangeProgress(IdIntervals([(0, 2500)]), newest_id=10_000)
    ((_, first), (_, last)) = list(
        progress.partitions([{"id_greater": "2500", "id_less": "5001"}, {"id_greater": "5000"}])
    )

    first.page_read("2600", {"id": "2600"})
    last.page_read("5100", {"id": "5100"})
    assert progress.checkpoint() == {"read_ids": [[0, 2600], [5000, 5100]], "newest_id": 10_000}

    first.page_read(None, {"id": "5000"})  # the last page: the range closes next
    first.done()
    assert progress.checkpoint() == {"read_ids": [[0, 5100]], "newest_id": 10_000}


def test_a_keyset_token_past_its_range_counts_only_the_range() -> None:
    progress = IdRangeProgress()
    ((_, partition),) = list(progress.partitions([{"id_greater": "0", "id_less": "101"}]))
    partition.page_read("150", None)
    assert progress.checkpoint() == {"read_ids": [[0, 100]]}


def test_an_offset_partition_remembers_its_offset_and_the_record_before_it() -> None:
    window = UnreadPartition({"created_after": "2023-01-01T00:00:00-0500"})
    window.page_read(100, {"id": "17"})
    window.page_read(200, {"id": "42"})
    assert window.as_json() == {
        "partition": {"created_after": "2023-01-01T00:00:00-0500"},
        "offset": 200,
        "after_id": "42",
    }
    assert window.resumed(overlap=50) == {
        "created_after": "2023-01-01T00:00:00-0500",
        "offset": "150",
        "after_id": "42",
    }


@pytest.mark.parametrize(
    "token, last_record, expected",
    [
        pytest.param(None, {"id": "42"}, {"partition": {}}, id="the last page: nothing to remember"),
        pytest.param("0", {"id": "42"}, {"partition": {}}, id="read again from the start"),
        pytest.param(100, None, {"partition": {}}, id="no record to find again: from the start"),
    ],
)
def test_an_offset_partition_without_a_record_to_find_again_resumes_from_its_start(
    token: Any, last_record: dict[str, str] | None, expected: dict[str, Any]
) -> None:
    window = UnreadPartition({})
    window.page_read(token, last_record)
    assert window.as_json() == expected
    assert window.resumed(overlap=50) == {}


@pytest.mark.parametrize(
    "entry",
    [
        pytest.param({"partition": {}, "offset": 200}, id="an offset without the record before it"),
        pytest.param({"partition": {}, "offset": -100, "after_id": "3"}, id="a negative offset"),
        pytest.param({"offset": 200, "after_id": "3"}, id="no partition"),
        pytest.param("{}", id="not an object"),
    ],
)
def test_unreadable_offset_entries_are_refused(entry: Any) -> None:
    assert UnreadPartition.from_json(entry) is None


def test_offset_progress_is_told_only_once_every_partition_is_known() -> None:
    progress = PartitionOffsetProgress(None, overlap=50)
    planned = progress.partitions([{"created_after": "a"}, {"created_after": "b"}])
    _, first = next(planned)
    first.page_read(100, {"id": "7"})
    assert progress.checkpoint() is None  # the second window is not known yet
    _, second = next(planned)
    assert next(planned, None) is None
    first.done()
    assert progress.checkpoint() == {"unread": [{"partition": {"created_after": "b"}}]}
    second.page_read(300, {"id": "9"})
    assert progress.checkpoint() == {"unread": [{"partition": {"created_after": "b"}, "offset": 300, "after_id": "9"}]}


def test_resumed_offset_progress_reads_its_checkpoint_not_the_plan() -> None:
    resumed = [UnreadPartition({"created_after": "b"}, 300, "9"), UnreadPartition({"created_after": "c"})]
    progress = PartitionOffsetProgress(resumed, overlap=50)

    def plan() -> Any:
        raise AssertionError("a resumed read plans no windows")
        yield  # pragma: no cover

    partitions = [partition for partition, _ in progress.partitions(plan())]
    assert partitions == [{"created_after": "b", "offset": "250", "after_id": "9"}, {"created_after": "c"}]
    assert progress.checkpoint() == {
        "unread": [
            {"partition": {"created_after": "b"}, "offset": 300, "after_id": "9"},
            {"partition": {"created_after": "c"}},
        ]
    }
