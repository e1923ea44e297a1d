"""What every seeder shares: the tables being filled, one random stream per table, ids with gaps,
and the times rows are created and updated at.

Each seeder draws from its own stream in a fixed order, so the data for a seed never depends on
the order the seeders run in; only a change inside one seeder's draws changes its tables.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from ..dates import NULL
from ..rng import name_key
from ..table import Table
from .time_span import SeedClock

DAY = 86_400
# Share of rows never edited after they were created; the others are edited once, at a time drawn
# from a cubic curve so most edits come soon after creation and a few near the end of the span.
UNCHANGED_SHARE = 0.35


def by_share(draw: float, shares: Sequence[tuple[float, int]], otherwise: int) -> int:
    """The value of the first (cumulative share, value) pair whose share exceeds `draw` in [0, 1).

    by_share(0.8, ((0.6, OPEN), (0.85, WON)), LOST) -> WON
    """
    for share, value in shares:
        if draw < share:
            return value
    return otherwise


def pick(rng: random.Random, ids: Sequence[int]) -> int:
    """One of `ids`, uniformly (one draw)."""
    return ids[int(rng.random() * len(ids))]


class IdSequence:
    """Ascending ids with occasional gaps of 1 to 4 missing ids, like a real account after deletes.

    Every id draws once from the stream, gap or not, so a gap rate of 0 keeps the draws in step."""

    def __init__(self, rng: random.Random, first: int = 1, gap_rate: float = 0.03) -> None:
        self._rng = rng
        self._next = first
        self._gap_rate = gap_rate

    def next(self) -> int:
        value = self._next
        draw = self._rng.random()
        gap = int(draw * 100) % 4 + 1 if draw < self._gap_rate else 0
        self._next += 1 + gap
        return value


@dataclass
class SeedContext:
    """The account being seeded: its size, its tables and its span of time."""

    contacts: int
    seed: int
    clock: SeedClock
    tables: dict[str, Table]

    def rng(self, stream: str) -> random.Random:
        """The random stream of one seeder, named after the first table it fills."""
        return random.Random((self.seed << 32) ^ name_key(stream))

    def ids(self, table: str) -> list[int]:
        return list(self.tables[table].ids)

    @staticmethod
    def id_sequences(rng: random.Random, count: int) -> tuple[IdSequence, ...]:
        """`count` id sequences drawing from one stream, for a seeder that fills several tables."""
        return tuple(IdSequence(rng) for _ in range(count))

    def later(self, rng: random.Random, moment: int) -> int:
        """An update time at or after `moment`: often equal, usually soon, sometimes much later."""
        draw = rng.random()
        end = self.clock.end
        if draw < UNCHANGED_SHARE or moment >= end:
            return moment
        return moment + int((end - moment) * (draw - UNCHANGED_SHARE) ** 3 / (1 - UNCHANGED_SHARE) ** 3)

    def near(self, rng: random.Random, moment: int, days: int = 30) -> int:
        """A time within `days` after `moment`, never past the end of the span."""
        return min(self.clock.end, moment + int(rng.random() * days * DAY))

    def spread(self, rng: random.Random, count: int, slot_first: bool = False) -> Iterator[tuple[int, int]]:
        """(index, creation time) of `count` rows spread evenly over the span, each at a random
        point of its own slot, so creation times ascend with ids.

        `slot_first` multiplies by the slot length instead of dividing the span last: the two
        round differently in the last bit, and contacts were seeded that way, so it keeps their
        seeded data identical."""
        start, span = self.clock.start, self.clock.span
        slot = span / count
        for index in range(count):
            if slot_first:
                yield index, start + int((index + rng.random()) * slot)
            else:
                yield index, start + int((index + rng.random()) * span / count)

    def early(self, rng: random.Random, days: int) -> int:
        """A creation time in the account's first `days` days (settings made when it was set up)."""
        return self.clock.start + int(rng.random() * days * DAY)

    def catalogue(self, name: str, count: int, null_dates: Callable[[int], bool] = lambda index: False) -> None:
        """A small settings table: `count` rows created in the account's first months, some edited
        later; rows for which `null_dates(index)` holds carry null dates (made with the account)."""
        rng = self.rng(name)
        ids = IdSequence(rng, gap_rate=0.0)
        table = self.tables[name]
        for index in range(count):
            created = self.early(rng, 180)
            if null_dates(index):
                table.append(ids.next(), NULL, NULL)
            else:
                table.append(ids.next(), created, self.later(rng, created))

    def custom_field_catalogue(self, name: str, types: Sequence[str]) -> None:
        """A custom field definition table: one field per type, in the order of `types`."""
        self.catalogue(name, len(types))
        type_column = self.tables[name].cols["type"]
        for index in range(len(types)):
            type_column[index] = index
