"""The compact id set kept in a stream's state: its forms, round trips, set operations and bad input."""

import base64
import lzma
from typing import Any

import numpy as np
import pytest

from source_activecampaign.deletions.id_set import IdCollector, IdSet

UUID_A = "0b7f5c1e-2d3a-4c5b-8e9f-112233445566"
UUID_B = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f00112233"


def _form(encoded: str) -> bytes:
    return lzma.decompress(base64.b64decode(encoded))[:1]


@pytest.mark.parametrize(
    "ids, form",
    [
        pytest.param([], b"G", id="empty"),
        pytest.param([7], b"B", id="one id"),
        pytest.param(list(range(1, 5001)), b"B", id="dense from 1"),
        pytest.param([*range(10, 200), *range(250, 400, 3)], b"B", id="dense with holes"),
        pytest.param([0, 1, 2], b"B", id="zero is an id"),
        pytest.param([5, 1_000, 10**9, 10**15], b"G", id="sparse: sorted gaps"),
        pytest.param([UUID_B, UUID_A], b"T", id="uuids"),
        pytest.param([3, UUID_A, 12], b"T", id="mixed: all as text"),
        pytest.param([-4, 2], b"T", id="a negative id: as text"),
    ],
)
def test_given_ids_when_encoded_then_the_decoded_set_is_the_same_in_the_expected_form(
    ids: list[Any], form: bytes
) -> None:
    id_set = IdSet.of(ids)
    encoded = id_set.encode()

    assert _form(encoded) == form
    assert IdSet.decode(encoded) == id_set
    assert IdSet.decode(encoded).ids() == [
        *sorted(i for i in ids if isinstance(i, int)),
        *sorted(i for i in ids if isinstance(i, str)),
    ]


@pytest.mark.parametrize(
    "values, expected",
    [
        pytest.param(["12", 12, "0012", "0", True, None, "", 3.5, UUID_A], [0, 12, "0012", UUID_A], id="parsed"),
        pytest.param(["99999999999999999999"], ["99999999999999999999"], id="beyond int64 stays text"),
        pytest.param(["٣"], ["٣"], id="non-ascii digit stays text"),
    ],
)
def test_given_raw_values_when_collected_then_decimal_strings_are_integers_and_non_ids_are_dropped(
    values: list[Any], expected: list[Any]
) -> None:
    collector = IdCollector()
    collector.add_all(values[:2])
    for value in values[2:]:
        collector.add(value)

    assert collector.id_set().ids() == expected


def test_given_two_sets_then_union_difference_and_intersection_are_those_of_their_ids() -> None:
    before = IdSet.of([1, 2, 3, 10, UUID_A, UUID_B])
    seen = IdSet.of([2, 3, 11, UUID_B])

    assert before.difference(seen).ids() == [1, 10, UUID_A]
    assert before.intersection(seen).ids() == [2, 3, UUID_B]
    assert before.union(seen).ids() == [1, 2, 3, 10, 11, UUID_A, UUID_B]
    assert IdSet().union(seen) == seen and seen.union(IdSet()) == seen
    assert len(before) == 6


@pytest.mark.parametrize(
    "encoded",
    [
        pytest.param("not base64!", id="not base64"),
        pytest.param(base64.b64encode(b"plain bytes").decode(), id="not xz"),
        pytest.param(IdSet.of(range(1, 3000)).encode()[:-12], id="cut"),
        pytest.param(base64.b64encode(lzma.compress(b"Xabc")).decode(), id="unknown form"),
        pytest.param(base64.b64encode(lzma.compress(b"G\x81")).decode(), id="cut varint"),
        pytest.param(base64.b64encode(lzma.compress(b'T{"a":1}')).decode(), id="text not a list"),
        pytest.param("é", id="not ascii"),
    ],
)
def test_given_something_else_when_decoded_then_value_error_says_it_is_not_an_id_set(encoded: str) -> None:
    with pytest.raises(ValueError, match="not an encoded id set"):
        IdSet.decode(encoded)


def test_given_a_million_dense_ids_with_one_in_ten_deleted_then_the_encoded_set_is_under_100_kb() -> None:
    kept = np.sort(np.random.default_rng(20).choice(np.arange(1, 1_111_112), 1_000_000, replace=False))
    id_set = IdSet(kept.astype(np.int64))

    encoded = id_set.encode()

    assert len(encoded) < 100_000
    assert IdSet.decode(encoded) == id_set
