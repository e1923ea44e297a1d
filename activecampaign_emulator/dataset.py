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


# What the app deletes with a row: (child resource, its column naming the row). The API documents
# no cascade; a contact's tags, list memberships and field values leaving with it is what the app
# shows (a deleted contact is no longer on any list or tag count), and the emulator extends that to
# every row that exists only to tie the contact (or deal) to something else.
CASCADES: dict[str, tuple[tuple[str, str], ...]] = {
    "contacts": (
        ("contactTags", "contact"),
        ("contactLists", "contact"),
        ("fieldValues", "contact"),
        ("contactAutomations", "contact"),
        ("accountContacts", "contact"),
        ("contactDeals", "contact"),
    ),
    "deals": (("dealCustomFieldData", "dealId"), ("contactDeals", "deal")),
}


# touch_field -> the value of the n-th edit, for fields whose value has a form; others get "Edited #n ✏️".
_TOUCH_VALUES = {
    "phone": lambda edit: f"+1 312 555 {edit % 10000:04d}",
    "updated_by": lambda edit: "1",
    "defduration": lambda edit: str(15 * (edit % 8 + 1)),
    "dorder": lambda edit: str(edit % 10),
    "lastblock": lambda edit: str(edit % 9 + 1),
    "sourceid": lambda edit: str(edit % 5),
    "accountUrl": lambda edit: f"https://www.example.com/edited/{edit}",
    "color": lambda edit: f"{(edit * 2654435761) & 0xFFFFFF:06X}",
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
        table = self.tables[resource]
        record = spec.build(Row(self, resource, table, pos, base or self.base_url))
        for name, value in table.overrides.get(pos, {}).items():
            if name in record:
                record[name] = value
        return record

    def rows(self, resource: str) -> list[dict[str, Any]]:
        """Every live record of `resource` in id order (deals: full rows, whatever the access mode)."""
        with self.lock:
            return [self.render(resource, pos) for pos in self.table(resource).alive_positions()]

    def count(self, resource: str) -> int:
        """How many live records `resource` holds (what an unfiltered list's meta.total says)."""
        with self.lock:
            return len(self.table(resource).alive_positions())

    def get(self, resource: str, row_id: int, base: str | None = None) -> dict[str, Any] | None:
        with self.lock:
            pos = self.table(resource).pos_of(row_id)
            return None if pos is None else self.render(resource, pos, base)

    # --- mutations ------------------------------------------------------------------------------

    def _positions(self, table: Table, ids: Iterable[Any] | None, count: int | None) -> list[int]:
        """Positions of the live rows `ids`, or of `count` (default 1) deterministic-random live rows."""
        if ids is not None:
            positions = []
            for row_id in ids:
                pos = table.pos_of(int(row_id))
                if pos is None:
                    raise KeyError(f"{table.name}: no live row with id {row_id}")
                positions.append(pos)
            return positions
        alive = table.alive_positions()
        picked = min(len(alive), 1 if count is None else int(count))
        return sorted(self._mutation_rng.sample(alive, picked))

    def pick_ids(self, resource: str, count: int) -> list[str]:
        """`count` deterministic-random live ids (what touch(count=...) would pick next)."""
        with self.lock:
            table = self.table(resource)
            return [str(table.ids[pos]) for pos in self._positions(table, None, count)]

    def touch(self, resource: str, ids: Iterable[Any] | None = None, count: int | None = None) -> list[str]:
        """Update rows: update timestamp(s) to now and one ordinary field changed."""
        with self.lock:
            spec = self.spec(resource)
            table = self.tables[resource]
            positions = self._positions(table, ids, count)
            now = now_epoch()
            for pos in positions:
                if spec.updated:
                    table.updated[pos] = now
                if spec.touch_field:
                    self._edits += 1
                    edited_value = _TOUCH_VALUES.get(spec.touch_field, lambda edit: f"Edited #{edit} ✏️")
                    table.overrides.setdefault(pos, {})[spec.touch_field] = edited_value(self._edits)
            if positions:
                table.bump_data()
            return [str(table.ids[pos]) for pos in positions]

    def insert(self, resource: str, count: int = 1) -> list[str]:
        """New rows with ids above the current maximum, created and updated now."""
        with self.lock:
            self.spec(resource)
            table = self.tables[resource]
            now = now_epoch()
            new_ids = []
            for _ in range(int(count)):
                new_id = table.max_id + 1
                table.append(new_id, now, now, **self._fresh_columns(resource))
                new_ids.append(str(new_id))
            if new_ids:
                table.bump_struct()
            return new_ids

    def delete(self, resource: str, ids: Iterable[Any], cascade: bool = True) -> dict[str, list[str]]:
        """Deleted rows vanish from lists, sideloads and per-parent lists, and answer 404 on GET, like
        any id that does not exist (https://developers.activecampaign.com/reference/errors).

        With `cascade` (the default), the rows the app removes with them go too (CASCADES): a deleted
        contact takes its tags, list memberships, field values, automations and links to accounts
        and deals along. Without it they stay, referring to a row that is gone, which a connector
        must cope with as well. Returns the ids deleted per resource, `resource` first.
        """
        with self.lock:
            table = self.table(resource)
            positions = self._positions(table, ids, None)
            deleted = {resource: self._clear(table, positions)}
            if cascade:
                parent_ids = {table.ids[pos] for pos in positions}
                for child, column in CASCADES.get(resource, ()):
                    child_table = self.tables[child]
                    index = child_table.group_index(column)
                    child_positions = sorted(pos for parent in parent_ids for pos in index.get(parent, []))
                    deleted[child] = self._clear(child_table, child_positions)
            return deleted

    @staticmethod
    def _clear(table: Table, positions: list[int]) -> list[str]:
        for pos in positions:
            table.alive[pos] = 0
        if positions:
            table.bump_struct()
        return [str(table.ids[pos]) for pos in positions]

    def _pick(self, resource: str) -> int:
        """A deterministic-random live id of `resource`, or 0 when it has none."""
        alive = self.tables[resource].alive_positions()
        if not alive:
            return 0
        return self.tables[resource].ids[alive[self._mutation_rng.randrange(len(alive))]]

    def _fresh_columns(self, resource: str) -> dict[str, int]:
        """The stored columns of a row inserted now: parents picked among live rows, and the codes a
        few tables need to stay consistent (a deal's stage in its pipeline, an option's order...)."""
        table = self.tables[resource]
        columns: dict[str, int] = {}
        for name in table.cols:
            parent = FK_PARENTS.get((resource, name))
            if parent is not None:
                columns[name] = self._pick(parent)
        if resource == "deals":
            columns.update(self._fresh_deal_columns())
        elif resource == "dealStages":
            columns["order"] = len(self.tables["dealStages"].group_index("group").get(columns["group"], []))
        elif resource in ("notes", "dealTasks"):
            columns.update(relid=self._pick("contacts"), reltype=REL_CONTACT)
        elif resource == "contactLists":
            columns["status"] = 1
        elif resource == "fieldOptions":
            columns["order"] = len(self.tables["fieldOptions"].group_index("field").get(columns["field"], []))
        elif resource in ("fields", "dealCustomFieldMeta", "accountCustomFieldMeta", "dealGroups"):
            code_column = "type" if "type" in table.cols else "currency"
            columns[code_column] = self._mutation_rng.randrange(3)
        return columns

    def _fresh_deal_columns(self) -> dict[str, int]:
        """An open deal in a random pipeline's first stage, in the pipeline's currency."""
        pipeline = self._pick("dealGroups")
        pipelines = self.tables["dealGroups"]
        stages = self.tables["dealStages"].group_index("group").get(pipeline, [])
        return {
            "group": pipeline,
            "status": 0,
            "value": self._mutation_rng.randrange(1000, 2_000_000),
            "account": 0,
            "stage": self.tables["dealStages"].ids[stages[0]] if stages else 0,
            "currency": pipelines.cols["currency"][pipelines.pos_of(pipeline) or 0] if pipeline else 0,
        }


__all__ = ["Dataset", "UnknownResource", "NULL"]
