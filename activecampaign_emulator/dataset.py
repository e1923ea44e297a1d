"""The seeded data store: tables, record rendering and mutations (touch / insert / delete)."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterable
from typing import Any

from .collection_specs import SPECS, Row, Spec
from .dates import NULL, now_epoch
from .seeding import FK_PARENTS, REL_CONTACT, SeedClock, build_tables
from .table import Table


class UnknownResource(KeyError):
    pass


_TOUCH_VALUES = {
    "phone": lambda k: f"+1 312 555 {k % 10000:04d}",
    "updated_by": lambda k: "1",
    "defduration": lambda k: str(15 * (k % 8 + 1)),
    "dorder": lambda k: str(k % 10),
    "lastblock": lambda k: str(k % 9 + 1),
    "sourceid": lambda k: str(k % 5),
    "accountUrl": lambda k: f"https://www.example.com/edited/{k}",
    "color": lambda k: f"{(k * 2654435761) & 0xFFFFFF:06X}",
}


class Dataset:
    def __init__(self, contacts: int, seed: int, clock: SeedClock | None = None) -> None:
        self.contacts = contacts
        self.seed = seed
        self.clock = clock or SeedClock()
        self.tables: dict[str, Table] = build_tables(contacts, seed, self.clock)
        # One lock for tables and query caches: mutations are rare and pages are cheap to build, so
        # a single lock is simpler than per-table locking and never the bottleneck at 5 rps.
        self.lock = threading.RLock()
        # Links in rows() use this; HTTP responses use the request's Host instead.
        self.base_url = "http://127.0.0.1/api/3"
        self._mutation_rng = random.Random(seed * 7919 + 17)
        self._edits = 0

    # --- access -------------------------------------------------------------------------------

    def spec(self, resource: str) -> Spec:
        spec = SPECS.get(resource)
        if spec is None:
            raise UnknownResource(resource)
        return spec

    def table(self, resource: str) -> Table:
        self.spec(resource)
        return self.tables[resource]

    def render(self, resource: str, pos: int, base: str | None = None) -> dict[str, Any]:
        spec = self.spec(resource)
        t = self.tables[resource]
        record = spec.build(Row(self, resource, t, pos, base or self.base_url))
        override = t.overrides.get(pos)
        if override:
            for k, v in override.items():
                if k in record:
                    record[k] = v
        return record

    def rows(self, resource: str) -> list[dict[str, Any]]:
        """Every live record of `resource` in id order (deals: full rows, whatever the access mode)."""
        with self.lock:
            t = self.table(resource)
            return [self.render(resource, p) for p in t.alive_positions()]

    def get(self, resource: str, row_id: int, base: str | None = None) -> dict[str, Any] | None:
        with self.lock:
            t = self.table(resource)
            pos = t.pos_of(row_id)
            return None if pos is None else self.render(resource, pos, base)

    # --- mutations ------------------------------------------------------------------------------

    def _positions(self, t: Table, ids: Iterable[Any] | None, count: int | None) -> list[int]:
        if ids is not None:
            out = []
            for i in ids:
                pos = t.pos_of(int(i))
                if pos is None:
                    raise KeyError(f"{t.name}: no live row with id {i}")
                out.append(pos)
            return out
        alive = t.alive_positions()
        k = min(len(alive), 1 if count is None else int(count))
        return sorted(self._mutation_rng.sample(alive, k))

    def pick_ids(self, resource: str, count: int) -> list[str]:
        """`count` deterministic-random live ids (what touch(count=...) would pick next)."""
        with self.lock:
            t = self.table(resource)
            return [str(t.ids[p]) for p in self._positions(t, None, count)]

    def touch(self, resource: str, ids: Iterable[Any] | None = None, count: int | None = None) -> list[str]:
        """Update rows: update timestamp(s) to now and one ordinary field changed."""
        with self.lock:
            spec = self.spec(resource)
            t = self.tables[resource]
            positions = self._positions(t, ids, count)
            now = now_epoch()
            for pos in positions:
                if spec.updated:
                    t.updated[pos] = now
                if spec.touch_field:
                    self._edits += 1
                    make = _TOUCH_VALUES.get(spec.touch_field, lambda k: f"Edited #{k} ✏️")
                    t.overrides.setdefault(pos, {})[spec.touch_field] = make(self._edits)
            if positions:
                t.bump_data()
            return [str(t.ids[p]) for p in positions]

    def insert(self, resource: str, count: int = 1) -> list[str]:
        """New rows with ids above the current maximum, created and updated now."""
        with self.lock:
            self.spec(resource)
            t = self.tables[resource]
            now = now_epoch()
            out = []
            for _ in range(int(count)):
                new_id = t.max_id + 1
                cols = self._fresh_columns(resource)
                t.append(new_id, now, now, **cols)
                out.append(str(new_id))
            if out:
                t.bump_struct()
            return out

    def delete(self, resource: str, ids: Iterable[Any]) -> None:
        """Deleted rows vanish from lists and answer 404 on GET (reference §12).

        Child rows (a deleted contact's fieldValues, say) stay: whether the API cascades is unknown,
        and a connector must cope with dangling references anyway (INF).
        """
        with self.lock:
            t = self.table(resource)
            positions = self._positions(t, ids, None)
            for pos in positions:
                t.alive[pos] = 0
            if positions:
                t.bump_struct()

    def _pick(self, resource: str) -> int:
        alive = self.tables[resource].alive_positions()
        if not alive:
            return 0
        return self.tables[resource].ids[alive[self._mutation_rng.randrange(len(alive))]]

    def _fresh_columns(self, resource: str) -> dict[str, int]:
        t = self.tables[resource]
        rng = self._mutation_rng
        cols: dict[str, int] = {}
        for name in t.cols:
            parent = FK_PARENTS.get((resource, name))
            if parent is not None:
                cols[name] = self._pick(parent)
        if resource == "deals":
            group = self._pick("dealGroups")
            groups = self.tables["dealGroups"]
            stages = self.tables["dealStages"].group_index("group").get(group, [])
            cols.update(
                group=group,
                status=0,
                value=rng.randrange(1000, 2_000_000),
                account=0,
                stage=self.tables["dealStages"].ids[stages[0]] if stages else 0,
                currency=groups.cols["currency"][groups.pos_of(group) or 0] if group else 0,
            )
        elif resource == "dealStages":
            group = cols["group"]
            cols["order"] = len(self.tables["dealStages"].group_index("group").get(group, []))
        elif resource in ("notes", "dealTasks"):
            cols.update(relid=self._pick("contacts"), reltype=REL_CONTACT)
        elif resource == "contactLists":
            cols["status"] = 1
        elif resource == "fieldOptions":
            cols["order"] = len(self.tables["fieldOptions"].group_index("field").get(cols["field"], []))
        elif resource in ("fields", "dealCustomFieldMeta", "accountCustomFieldMeta", "dealGroups"):
            first = "type" if "type" in t.cols else "currency"
            cols[first] = rng.randrange(3)
        return cols


__all__ = ["Dataset", "UnknownResource", "NULL"]
