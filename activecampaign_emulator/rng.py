"""Small deterministic PRNG for per-record fields.

Record bodies are built lazily, one page at a time, so each record needs its own generator seeded
from (seed, resource, id). Python's `hash()` of strings is salted per process and
`random.Random` costs microseconds to seed, so a splitmix64 stream is used instead: the same
(seed, resource, id) gives the same record in every process and on every Python version.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")

_MASK = (1 << 64) - 1


def mix64(value: int) -> int:
    value = (value + 0x9E3779B97F4A7C15) & _MASK
    value = ((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    value = ((value ^ (value >> 27)) * 0x94D049BB133111EB) & _MASK
    return value ^ (value >> 31)


def name_key(name: str) -> int:
    return zlib.crc32(name.encode("utf-8"))


def row_seed(seed: int, resource: str, row_id: int) -> int:
    return mix64((seed & 0xFFFFFFFF) << 32 ^ name_key(resource) ^ mix64(row_id))


class RowRng:
    __slots__ = ("_state",)

    def __init__(self, seed: int) -> None:
        self._state = seed & _MASK

    def next(self) -> int:
        self._state = (self._state + 0x9E3779B97F4A7C15) & _MASK
        mixed = self._state
        mixed = ((mixed ^ (mixed >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        mixed = ((mixed ^ (mixed >> 27)) * 0x94D049BB133111EB) & _MASK
        return mixed ^ (mixed >> 31)

    def below(self, count: int) -> int:
        return self.next() % count if count > 0 else 0

    def between(self, low: int, high: int) -> int:
        """Inclusive range."""
        return low + self.below(high - low + 1)

    def chance(self, probability: float) -> bool:
        return (self.next() >> 11) * (1.0 / (1 << 53)) < probability

    def choice(self, items: Sequence[T]) -> T:
        return items[self.below(len(items))]

    def hex(self, count: int) -> str:
        out = ""
        while len(out) < count:
            out += f"{self.next():016x}"
        return out[:count]

    def digits(self, count: int) -> str:
        return "".join(str(self.below(10)) for _ in range(count))
