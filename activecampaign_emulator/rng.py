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


def mix64(x: int) -> int:
    x = (x + 0x9E3779B97F4A7C15) & _MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK
    return x ^ (x >> 31)


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
        z = self._state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
        return z ^ (z >> 31)

    def below(self, n: int) -> int:
        return self.next() % n if n > 0 else 0

    def between(self, lo: int, hi: int) -> int:
        """Inclusive range."""
        return lo + self.below(hi - lo + 1)

    def chance(self, p: float) -> bool:
        return (self.next() >> 11) * (1.0 / (1 << 53)) < p

    def choice(self, seq: Sequence[T]) -> T:
        return seq[self.below(len(seq))]

    def hex(self, n: int) -> str:
        out = ""
        while len(out) < n:
            out += f"{self.next():016x}"
        return out[:n]

    def digits(self, n: int) -> str:
        return "".join(str(self.below(10)) for _ in range(n))
