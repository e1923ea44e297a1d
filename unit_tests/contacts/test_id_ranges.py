"""The first read's id ranges."""

from types import SimpleNamespace
from typing import Any

import pytest

from source_activecampaign import progress
from source_activecampaign.contacts.id_ranges import ContactIdRangePartitionRouter


def _ranges(width: int, count: int) -> list[dict[str, str]]:
    bounded = [{"id_greater": str(i * width), "id_less": str((i + 1) * width + 1)} for i in range(count - 1)]
    return [*bounded, {"id_greater": str((count - 1) * width)}]


@pytest.mark.parametrize(
    "newest_id, expected",
    [
        pytest.param(0, [{"id_greater": "0"}], id="no contacts: one open range"),
        pytest.param(1, [{"id_greater": "0"}], id="one contact: one open range"),
        pytest.param(300, _ranges(100, 3), id="smaller than a page per sequence: a range a page"),
        pytest.param(2_000, _ranges(500, 4), id="2,000: four ranges of 500"),
        pytest.param(6_000, _ranges(1_500, 4), id="6,000: four equal ranges, not 5,000 + 1,000"),
        pytest.param(20_000, _ranges(2_500, 8), id="20,000: two rounds of four"),
        pytest.param(20_001, _ranges(1_667, 12), id="just past two rounds: three rounds of equal ranges"),
        pytest.param(1_000_000, _ranges(2_500, 400), id="a million: 400 ranges of 2,500"),
    ],
)
def test_id_ranges_are_equal_bounded_a_multiple_of_the_sequences_and_leave_the_last_open(
    newest_id: int, expected: list
) -> None:
    from source_activecampaign.contacts.id_ranges import id_ranges

    assert id_ranges(newest_id, 2_500, 4, 100) == expected


class _NewestContact:
    """A stream whose one partition reads the contact with the highest id."""

    def __init__(self, newest_id: int) -> None:
        self.newest_id = newest_id

    def generate_partitions(self) -> list[Any]:
        record = SimpleNamespace(data={"id": str(self.newest_id)})
        return [SimpleNamespace(read=lambda: [record])]


def test_the_router_tells_the_sync_how_many_equal_ranges_contacts_are_read_in() -> None:
    sync = progress.begin_sync()
    router = ContactIdRangePartitionRouter(
        newest_record_stream=_NewestContact(20_000),  # type: ignore[arg-type]
        config={},
        parameters={"name": "contacts"},
    )

    ranges = list(router.stream_slices())

    assert len(ranges) == 8
    assert sync.evaluate("contacts", lambda facts, _: facts.partitions_planned) == 8


@pytest.mark.parametrize(
    "unread, expected",
    [
        pytest.param([(0, None)], _ranges(1_500, 4), id="nothing read: the first read's ranges"),
        pytest.param(
            [(730, 1_500), (4_200, None)],
            [
                {"id_greater": "730", "id_less": "1501"},
                {"id_greater": "4200", "id_less": "4651"},
                {"id_greater": "4650", "id_less": "5101"},
                {"id_greater": "5100", "id_less": "5551"},
                {"id_greater": "5550"},
            ],
            id="the rest of a range, then the ids above what was read, split as a first read splits",
        ),
        pytest.param(
            [(0, 6_000)],
            [
                {"id_greater": "0", "id_less": "2001"},
                {"id_greater": "2000", "id_less": "4001"},
                {"id_greater": "4000", "id_less": "6001"},
            ],
            id="a gap wider than a range: equal ranges of at most 2,500 ids",
        ),
        pytest.param([(6_500, None)], [{"id_greater": "6500"}], id="only ids above the newest: one open range"),
        pytest.param([], [], id="everything read: nothing"),
    ],
)
def test_a_resumed_read_splits_what_is_left(unread: list[tuple[int, int | None]], expected: list) -> None:
    from source_activecampaign.checkpoints.read_so_far import IdIntervals
    from source_activecampaign.contacts.id_ranges import ranges_left

    assert ranges_left(IdIntervals(unread), 6_000, 2_500, 4, 100) == expected


class _NoNewestContact:
    def generate_partitions(self) -> None:
        raise AssertionError("a resumed read does not ask for the newest contact again")


def test_given_the_plan_of_a_resumed_read_when_the_router_splits_then_it_asks_for_nothing() -> None:
    from source_activecampaign.contacts.id_ranges import ContactIdRangePartitionRouter

    config = {"contact_pages": {"unread_ids": [[2500, None]], "newest_id": 5_000}}
    router = ContactIdRangePartitionRouter(
        newest_record_stream=_NoNewestContact(),  # type: ignore[arg-type]
        config=config,
        parameters={"name": "contacts"},
        unread_ids="{{ config['contact_pages']['unread_ids'] }}",
        newest_id="{{ config['contact_pages']['newest_id'] }}",
    )
    progress = router.first_read_progress({"read_ids": [[0, 2600]], "newest_id": 5_000})

    assert [dict(s.partition) for s in router.stream_slices()] == [
        {"id_greater": "2500", "id_less": "3126"},
        {"id_greater": "3125", "id_less": "3751"},
        {"id_greater": "3750", "id_less": "4376"},
        {"id_greater": "4375"},
    ]
    assert progress is not None and progress.checkpoint() == {"read_ids": [[0, 2600]], "newest_id": 5_000}
