"""Rows per parent projected to every parent, and when the projection is sure enough to send."""

import pytest

from source_activecampaign.progress.estimates import MAX_RELATIVE_ERROR as SURE
from source_activecampaign.progress.extrapolation import MIN_CLUSTERS, RowsPerParent


def _projected(clusters: list[tuple[int, int]], parents_in_all: int) -> int | None:
    rows = RowsPerParent()
    for parents, count in clusters:
        rows.add_cluster(parents, count)
    return rows.projected(parents_in_all, SURE)


@pytest.mark.parametrize(
    "clusters, parents_in_all, expected",
    [
        pytest.param([], 10, None, id="nothing read: nothing to say"),
        pytest.param([(1, 2)] * 10, 10, 20, id="every parent read: their rows, exactly"),
        pytest.param([(1, 2)] * 12, 10, 24, id="more parents than counted (added during the read): the rows read"),
        pytest.param([(1, 3)] * 3, 3, 9, id="few parents, all read: exact however few"),
        pytest.param([(1, 2)] * (MIN_CLUSTERS - 1), 100, None, id="fewer clusters than the minimum: not trusted"),
        pytest.param([(1, 2)] * 50, 100, 200, id="half the parents, two rows each, no spread: two each"),
        pytest.param([(1, 0)] * 50, 100, None, id="no row yet: the rest may hold some"),
        pytest.param([(1, count) for count in [0, 4] * 25], 100, None, id="a wide spread: too unsure"),
        pytest.param([(100, 150)] * 10, 10_000, 15_000, id="pages of 100 parents, 150 rows each: 1.5 a parent"),
        pytest.param([(100, 150), (100, 50)] * 5, 10_000, None, id="pages that differ threefold: too unsure"),
    ],
)
def test_projected(clusters: list[tuple[int, int]], parents_in_all: int, expected: int | None) -> None:
    assert _projected(clusters, parents_in_all) == expected


def test_a_projection_is_within_5_percent_of_the_rows_of_every_parent_once_sent() -> None:
    # 2,000 contacts listing 0 to 3 tags each, read 100 at a time: each projection sent is near the truth.
    counts = [(index * 7919) % 4 for index in range(2_000)]
    rows = RowsPerParent()
    sent = []
    for start in range(0, 2_000, 100):
        rows.add_parents(counts[start : start + 100])
        projected = rows.projected(2_000, SURE)
        if projected is not None:
            sent.append(projected)

    assert sent and all(abs(projected - sum(counts)) <= 0.05 * sum(counts) for projected in sent)
    assert sent[-1] == sum(counts)


def test_a_cluster_taken_back_out_leaves_the_sums_as_before() -> None:
    rows = RowsPerParent()
    rows.add_parents([1, 2, 3])
    before = RowsPerParent(**vars(rows))

    rows.add_cluster(1, 7)
    rows.add_cluster(1, 7, sign=-1)

    assert rows == before


def test_parents_one_by_one_are_clusters_of_one() -> None:
    one_by_one, clusters = RowsPerParent(), RowsPerParent()
    one_by_one.add_parents([0, 2, 5])
    for count in (0, 2, 5):
        clusters.add_cluster(1, count)

    assert one_by_one == clusters
