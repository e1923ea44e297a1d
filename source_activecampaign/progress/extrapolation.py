"""A stream's rows projected from the part of its parents read so far, and how sure that projection is.

Some streams' rows are counted by no answer of the API: the rows of a contact child stream hang off
the contacts (each contact lists the ids of its own), the options of custom fields off the fields,
the stages of pipelines off each pipeline. What the sync does know is the number of parents
(``meta.total`` of their collection) and the rows of the parents it has read. Rows per parent seen
so far, times the parents, is the estimate; it is only worth sending once the parents read say
enough about the others.

The parents come in clusters (a page of contacts, a page of fields, one pipeline's stages), so the
projection is the ratio estimator of cluster sampling: with clusters of ``u_i`` parents holding
``x_i`` rows, R = sum(x) / sum(u), the total is R times the parents, and its relative standard error
is sqrt((1 - f) * s2 / n) / (mean u * R), where s2 is the variance of the residuals x_i - R u_i over
the n clusters and f the share of the parents read. Each cluster is added as sums, so the cost does
not grow with the parents read.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass

# Fewer clusters than this say too little of their own spread to be trusted (three pipelines of four
# stages each say nothing of a fourth pipeline of three).
MIN_CLUSTERS = 10


@dataclass
class RowsPerParent:
    """Sums over the clusters read so far: enough for the ratio estimator and its error.

    >>> rows = RowsPerParent()
    >>> rows.add_parents([2, 1, 2, 1])   # four contacts listing 2, 1, 2 and 1 tags
    >>> rows.projected(4, max_relative_error=0.02)   # every contact read: exact
    6
    >>> rows.projected(8, max_relative_error=0.02) is None   # half of them: too few to say
    True
    """

    clusters: int = 0
    parents: int = 0
    rows: int = 0
    parents_squared: int = 0
    rows_squared: int = 0
    rows_by_parents: int = 0

    def add_cluster(self, parents: int, rows: int, sign: int = 1) -> None:
        """One cluster of ``parents`` holding ``rows`` between them (``sign=-1`` takes one back out)."""
        self.clusters += sign
        self.parents += sign * parents
        self.rows += sign * rows
        self.parents_squared += sign * parents * parents
        self.rows_squared += sign * rows * rows
        self.rows_by_parents += sign * rows * parents

    def add_parents(self, rows_of_each: Iterable[int]) -> None:
        """Parents counted one by one (a cluster each): the rows each lists."""
        counts = list(rows_of_each)
        rows = sum(counts)
        self.clusters += len(counts)
        self.parents += len(counts)
        self.rows += rows
        self.parents_squared += len(counts)
        self.rows_squared += sum(count * count for count in counts)
        self.rows_by_parents += rows

    def projected(self, parents_in_all: int, max_relative_error: float) -> int | None:
        """The rows of all ``parents_in_all`` parents; None while the relative standard error of the
        projection is above ``max_relative_error`` (or cannot be told: fewer than ``MIN_CLUSTERS``
        clusters, or no row seen yet)."""
        if self.parents <= 0:
            return None
        if self.parents >= parents_in_all:
            return self.rows
        ratio = self.rows / self.parents
        if self.clusters < MIN_CLUSTERS or ratio <= 0:
            return None
        residuals = self.rows_squared - 2 * ratio * self.rows_by_parents + ratio * ratio * self.parents_squared
        variance = max(residuals, 0.0) / (self.clusters - 1)
        read_share = self.parents / parents_in_all
        mean_parents = self.parents / self.clusters
        relative_error = math.sqrt((1 - read_share) * variance / self.clusters) / (mean_parents * ratio)
        if relative_error > max_relative_error:
            return None
        return self.rows + round(ratio * (parents_in_all - self.parents))
