"""The ids a stream has emitted, kept in its state in a few kilobytes.

ActiveCampaign's ids are integers counted up per account, so a stream's live ids are mostly dense:
a bitmap from the smallest to the largest id holds them in one bit each, and where deletions leave
holes the bitmap's runs compress well. Ids spread thin (a span over 64 times their count) are kept
as sorted gaps instead. Custom-object ids are UUIDs, kept as sorted text. Either form is compressed
with LZMA (xz, whose check also catches a cut or edited state) and written as base64.

Measured (tools/deletion_state_size.py): 1,000,000 ids of which one in ten deleted at random, 83 KB;
20,000 such ids, 2 KB; 1,000,000 ids with no holes, under 1 KB.
"""

from __future__ import annotations

import base64
import binascii
import json
import lzma
import threading
from array import array
from collections.abc import Iterable
from typing import Any

import numpy as np
import numpy.typing as npt

_BITMAP = b"B"
_GAPS = b"G"
_TEXT = b"T"
# A bitmap costs span/8 bytes; past this many positions per id, sorted gaps are smaller.
_MAX_SPAN_PER_ID = 64

Id = int | str
Numbers = npt.NDArray[np.int64]


def _as_id(value: Any) -> Id | None:
    """An id as the set keeps it: integers, and decimal strings as integers (records carry "12" before
    normalisation and 12 after); any other string as text; nothing else is an id."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value:
        digits = value[1:] if value[0] == "-" else value
        if digits.isdecimal() and digits.isascii() and (digits == "0" or digits[0] != "0") and len(digits) < 19:
            return int(value)
        return value
    return None


class IdSet:
    """An immutable set of ids: integers in a sorted numpy array, other ids as sorted text."""

    __slots__ = ("numbers", "texts")

    def __init__(self, numbers: Numbers | None = None, texts: Iterable[str] = ()) -> None:
        self.numbers: Numbers = np.zeros(0, dtype=np.int64) if numbers is None else numbers
        self.texts: frozenset[str] = frozenset(texts)

    @classmethod
    def of(cls, ids: Iterable[Any]) -> IdSet:
        collector = IdCollector()
        collector.add_all(ids)
        return collector.id_set()

    def __len__(self) -> int:
        return len(self.numbers) + len(self.texts)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, IdSet) and np.array_equal(self.numbers, other.numbers) and self.texts == other.texts

    def __repr__(self) -> str:
        return f"IdSet({self.ids()!r})"

    def first(self) -> Id | None:
        """The smallest id (an integer before any text), or None when empty."""
        if len(self.numbers):
            return int(self.numbers[0])
        return min(self.texts) if self.texts else None

    def ids(self) -> list[Id]:
        """Every id, integers ascending then text ascending."""
        return [*self.numbers.tolist(), *sorted(self.texts)]

    def union(self, other: IdSet) -> IdSet:
        if not len(other):
            return self
        if not len(self):
            return other
        return IdSet(_sorted_unique(np.concatenate((self.numbers, other.numbers))), self.texts | other.texts)

    def difference(self, other: IdSet) -> IdSet:
        return IdSet(np.setdiff1d(self.numbers, other.numbers, assume_unique=True), self.texts - other.texts)

    def intersection(self, other: IdSet) -> IdSet:
        return IdSet(np.intersect1d(self.numbers, other.numbers, assume_unique=True), self.texts & other.texts)

    # --- the state form ---------------------------------------------------------------------

    def encode(self) -> str:
        if self.texts or (len(self.numbers) and int(self.numbers[0]) < 0):
            texts = sorted(self.texts | {str(number) for number in self.numbers.tolist()})
            body = _TEXT + json.dumps(texts, separators=(",", ":")).encode()
        elif len(self.numbers) and int(self.numbers[-1] - self.numbers[0]) < _MAX_SPAN_PER_ID * len(self.numbers):
            low = int(self.numbers[0])
            bits = np.zeros(int(self.numbers[-1]) - low + 1, dtype=bool)
            bits[self.numbers - low] = True
            body = _BITMAP + _varints(np.array([low], dtype=np.int64)) + np.packbits(bits).tobytes()
        else:
            body = _GAPS + _varints(np.diff(self.numbers, prepend=np.int64(0)))
        return base64.b64encode(lzma.compress(body)).decode("ascii")

    @classmethod
    def decode(cls, encoded: str) -> IdSet:
        """The set ``encode`` wrote; ValueError for anything else (a cut, edited or foreign value)."""
        try:
            body = lzma.decompress(base64.b64decode(encoded.encode("ascii"), validate=True))
        except (binascii.Error, lzma.LZMAError, UnicodeEncodeError, AttributeError) as error:
            raise ValueError(f"not an encoded id set ({type(error).__name__}: {error})") from error
        kind, payload = body[:1], body[1:]
        if kind == _TEXT:
            texts = json.loads(payload.decode())
            if not isinstance(texts, list) or not all(isinstance(text, str) for text in texts):
                raise ValueError("not an encoded id set (text ids are not a list of strings)")
            return cls.of(texts)
        if kind == _GAPS:
            return cls(np.cumsum(_from_varints(payload)))
        if kind == _BITMAP:
            low, consumed = _first_varint(payload)
            bits = np.unpackbits(np.frombuffer(payload[consumed:], dtype=np.uint8))
            return cls(np.flatnonzero(bits).astype(np.int64) + low)
        raise ValueError(f"not an encoded id set (unknown form {kind!r})")


class IdCollector:
    """Ids gathered while a sync reads, from several threads: integers in a compact array."""

    def __init__(self) -> None:
        self._numbers = array("q")
        self._texts: set[str] = set()
        self._lock = threading.Lock()

    def add(self, value: Any) -> None:
        identifier = _as_id(value)
        with self._lock:
            if isinstance(identifier, int):
                self._numbers.append(identifier)
            elif identifier is not None:
                self._texts.add(identifier)

    def add_all(self, values: Iterable[Any]) -> None:
        numbers = array("q")
        texts = []
        for value in values:
            identifier = _as_id(value)
            if isinstance(identifier, int):
                numbers.append(identifier)
            elif identifier is not None:
                texts.append(identifier)
        with self._lock:
            self._numbers.extend(numbers)
            self._texts.update(texts)

    def __len__(self) -> int:
        with self._lock:
            return len(self._numbers) + len(self._texts)

    def id_set(self) -> IdSet:
        with self._lock:
            numbers = _sorted_unique(np.frombuffer(self._numbers, dtype=np.int64)) if self._numbers else None
            return IdSet(numbers, self._texts)


def _sorted_unique(numbers: Numbers) -> Numbers:
    """``numbers`` sorted, each once: a sort and a mask (numpy 2.4's ``unique`` takes 80 times longer on a
    million ids, which it hashes)."""
    ordered = np.sort(numbers)
    if len(ordered) < 2:
        return ordered
    keep = np.empty(len(ordered), dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


def _varints(values: Numbers) -> bytes:
    """Non-negative integers as LEB128 varints (7 bits a byte, the high bit saying another follows)."""
    remaining = values.astype(np.uint64)
    if len(remaining) and int(values.min()) < 0:
        raise ValueError("varints are for non-negative integers")
    lengths = np.ones(len(remaining), dtype=np.int64)
    shifted = remaining >> np.uint64(7)
    while shifted.any():
        lengths += shifted > 0
        shifted >>= np.uint64(7)
    out = np.zeros(int(lengths.sum()), dtype=np.uint8)
    starts = np.cumsum(lengths) - lengths
    for index in range(int(lengths.max()) if len(lengths) else 0):
        writing = lengths > index
        byte = (remaining[writing] & np.uint64(0x7F)).astype(np.uint8)
        byte[lengths[writing] > index + 1] |= 0x80
        out[starts[writing] + index] = byte
        remaining[writing] >>= np.uint64(7)
    return out.tobytes()


def _from_varints(payload: bytes) -> Numbers:
    data = np.frombuffer(payload, dtype=np.uint8)
    if len(data) and data[-1] & 0x80:
        raise ValueError("not an encoded id set (its last varint is cut)")
    ends = np.flatnonzero((data & 0x80) == 0)
    starts = np.concatenate(([0], ends[:-1] + 1)).astype(np.int64)
    values = np.zeros(len(ends), dtype=np.uint64)
    lengths = ends - starts + 1
    for index in range(int(lengths.max()) if len(lengths) else 0):
        reading = lengths > index
        values[reading] |= (data[starts[reading] + index] & 0x7F).astype(np.uint64) << np.uint64(7 * index)
    return values.astype(np.int64)


def _first_varint(payload: bytes) -> tuple[int, int]:
    value = 0
    for index, byte in enumerate(payload[:10]):
        value |= (byte & 0x7F) << (7 * index)
        if not byte & 0x80:
            return value, index + 1
    raise ValueError("not an encoded id set (its bitmap has no lower bound)")
