"""Columnar storage of one resource.

Only what filters, ordering, cross references and mutations need is stored (ids, create/update
epochs, foreign keys and a few small codes) in `array('q')` columns: 100,000 contacts and their
~600,000 child rows then fit in tens of megabytes and seed in about a second. Full record dicts
are built per page from (seed, resource, id) plus these columns (see collection_specs.py).

Positions are append-only: a row keeps its position for the life of the table, deletes only clear
its `alive` flag, and inserts take ids above the current maximum, so `ids` stays ascending and an
id maps to its position by bisection.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterable
from typing import Any

from .dates import NULL


class Table:
    def __init__(self, name: str, columns: Iterable[str] = ()) -> None:
        self.name = name
        self.ids: array = array("q")
        self.created: array = array("q")
        self.updated: array = array("q")
        self.cols: dict[str, array] = {column_name: array("q") for column_name in columns}
        self.alive = bytearray()
        # position -> {field: value}: fields changed by touch() on top of the generated record.
        self.overrides: dict[int, dict[str, Any]] = {}
        # struct_version changes when rows appear or vanish; data_version when any value changes.
        # Query caches key on whichever of the two their result depends on.
        self.struct_version = 0
        self.data_version = 0
        self._alive_cache: tuple[int, list[int]] | None = None
        self._group_cache: dict[str, tuple[int, dict[int, list[int]]]] = {}
        self._default_keys: array | None = None
        self._default_salt = 0

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def max_id(self) -> int:
        return self.ids[-1] if self.ids else 0

    def append(self, row_id: int, created: int = NULL, updated: int = NULL, **cols: int) -> int:
        if self.ids and row_id <= self.ids[-1]:
            raise ValueError(f"{self.name}: ids must ascend ({row_id} after {self.ids[-1]})")
        self.ids.append(row_id)
        self.created.append(created)
        self.updated.append(updated)
        for name, column in self.cols.items():
            column.append(cols.get(name, 0))
        self.alive.append(1)
        return len(self.ids) - 1

    def bump_struct(self) -> None:
        self.struct_version += 1
        self.data_version += 1

    def bump_data(self) -> None:
        self.data_version += 1

    def pos_of(self, row_id: int) -> int | None:
        """Position of a live row, or None (unknown or deleted id)."""
        position = bisect_left(self.ids, row_id)
        if position < len(self.ids) and self.ids[position] == row_id and self.alive[position]:
            return position
        return None

    def alive_positions(self) -> list[int]:
        cached = self._alive_cache
        if cached is not None and cached[0] == self.struct_version:
            return cached[1]
        alive = self.alive
        positions = [position for position in range(len(alive)) if alive[position]]
        self._alive_cache = (self.struct_version, positions)
        return positions

    def group_index(self, column: str) -> dict[int, list[int]]:
        """value -> ascending positions of live rows with that value in `column`."""
        cached = self._group_cache.get(column)
        if cached is not None and cached[0] == self.struct_version:
            return cached[1]
        index: dict[int, list[int]] = {}
        column_values = self.cols[column]
        alive = self.alive
        for position in range(len(column_values)):
            if alive[position]:
                value = column_values[position]
                bucket = index.get(value)
                if bucket is None:
                    index[value] = [position]
                else:
                    bucket.append(position)
        self._group_cache[column] = (self.struct_version, index)
        return index

    def default_keys(self, salt: int) -> array:
        """Per-position sort key of the default order: a 32-bit scramble of the id.

        Built on first use and extended as rows are appended, so an insert costs one hash rather
        than a rebuild (mutate_every inserts contacts during a sync)."""
        keys = self._default_keys
        if keys is None or self._default_salt != salt:
            keys = self._default_keys = array("q")
            self._default_salt = salt
        ids = self.ids
        for position in range(len(keys), len(ids)):
            key = (ids[position] ^ salt) & 0xFFFFFFFF
            key = ((key ^ (key >> 16)) * 0x85EBCA6B) & 0xFFFFFFFF
            key = ((key ^ (key >> 13)) * 0xC2B2AE35) & 0xFFFFFFFF
            keys.append(key ^ (key >> 16))
        return keys
