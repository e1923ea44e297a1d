"""List queries: parameter parsing, filters, ordering, paging, and the result cache.

A query's ordered position list is cached per (resource, filters, orders, table versions), so
deep pages are a slice of a cached list. `id_greater` / `id_less` are kept out of the cache key
when the primary order is by id: the bounds then cut a contiguous range found by bisection, so a
keyset walk over 100,000 contacts reuses one cached list.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .collection_specs import SPECS, Spec, contact_names, field_value_text
from .dates import parse_filter_date
from .rng import mix64

if TYPE_CHECKING:
    from .dataset import Dataset

MAX_LIMIT = 100


class QueryError(Exception):
    def __init__(self, body: dict[str, Any], status: int = 422) -> None:
        super().__init__(str(body))
        self.status = status
        self.body = body


def _invalid(param: str, detail: str, title: str = "Invalid attribute") -> QueryError:
    # Shape of error_422_list_exclusions_bad_order__acdocs; wording for other parameters is INF.
    return QueryError(
        {
            "errors": [
                {"status": 422, "title": title, "detail": detail, "code": "invalid", "source": {"pointer": f"/{param}"}}
            ]
        }
    )


@dataclass
class ListQuery:
    limit: int
    offset: int
    orders: tuple[tuple[str, bool], ...] = ()  # (field, descending)
    filters: dict[str, str] = field(default_factory=dict)
    id_greater: int | None = None
    id_less: int | None = None
    ids: tuple[int, ...] | None = None
    includes: tuple[str, ...] = ()
    params: dict[str, str] = field(default_factory=dict)


_BRACKET = re.compile(r"^(\w+)\[([^\]]*)\](.*)$")
_DATE_FILTERS = ("updated_after", "updated_before", "created_after", "created_before")


def _int_param(name: str, raw: str) -> int:
    try:
        return int(raw.strip())
    except ValueError:
        raise _invalid(name, f'Invalid {name}: "{raw}". Must be an integer.') from None


def parse(spec: Spec, pairs: list[tuple[str, str]]) -> ListQuery:
    limit = spec.default_limit
    offset = 0
    orders: list[tuple[str, bool]] = []
    filters: dict[str, str] = {}
    params: dict[str, str] = {}
    ids: list[int] = []
    includes: tuple[str, ...] = ()
    id_greater = id_less = None
    for key, value in pairs:
        if key == "limit":
            n = _int_param("limit", value)
            # <= 0 falls back to the default and > 100 is clamped silently (INF, reference §3).
            limit = spec.default_limit if n <= 0 else min(n, MAX_LIMIT)
        elif key == "offset":
            offset = max(0, _int_param("offset", value))
        elif key in ("id_greater", "id_less"):
            n = _int_param(key, value)
            if key == "id_greater":
                id_greater = n
            else:
                id_less = n
        elif key in ("ids[]", "ids"):
            for part in value.split(","):
                if part.strip().lstrip("-").isdigit():
                    ids.append(int(part))
        elif key == "include":
            includes = tuple(p.strip() for p in value.split(",") if p.strip())
        else:
            m = _BRACKET.match(key)
            if m and m.group(1) == "orders":
                direction = value.strip()
                if direction.upper() not in ("ASC", "DESC"):
                    raise QueryError(
                        {
                            "errors": [
                                {
                                    "status": 422,
                                    "title": "The orders direction is invalid",
                                    "detail": f'Invalid order direction: "{value}". Allowed values are: "ASC", "DESC"',
                                    "code": "invalid",
                                    "source": {"pointer": "/orders"},
                                }
                            ]
                        }
                    )
                orders.append((m.group(2), direction.upper() == "DESC"))
            elif m and m.group(1) == "filters" and not m.group(3):
                filters[m.group(2)] = value
            else:
                params[key] = value
    if spec.key != "contacts":
        # id_greater / id_less / ids are contacts-only (reference §3: "only available with the
        # Contacts endpoint"); elsewhere they are ignored like any unknown parameter.
        id_greater = id_less = None
        ids = []
    return ListQuery(
        limit, offset, tuple(orders), filters, id_greater, id_less, tuple(ids) if ids else None, includes, params
    )


# --- filters ----------------------------------------------------------------------------------


def _date_bound(name: str, raw: str) -> float:
    value = parse_filter_date(raw)
    if value is None:
        raise _invalid(f"filters[{name}]", f'Invalid date: "{raw}"', title="Invalid filter value")
    return value


def _as_int(raw: str) -> int | None:
    try:
        return int(raw.strip())
    except ValueError:
        return None


# resource -> filters[<name>] -> equality on an integer column (reference §4)
_EQ_FILTERS: dict[str, dict[str, str]] = {
    "deals": {"group": "group", "stage": "stage", "status": "status", "owner": "owner"},
    "dealStages": {"d_groupid": "group"},
    "fieldValues": {"fieldid": "field"},
    "accountContacts": {"contact": "contact", "account": "account"},
    "dealCustomFieldData": {"dealId": "dealId"},
    "accountCustomFieldData": {"customerAccountId": "accountId"},
}
# resource -> filters[<name>] -> record field compared as text; only on small tables (the record is
# rendered to compare), except fieldValues.val which has a cheap value function.
_TEXT_FILTERS: dict[str, dict[str, str]] = {
    "dealStages": {"title": "title"},
    "dealGroups": {"title": "title"},
    "fieldValues": {"val": "value"},
}
_DATE_FILTER_RESOURCES = ("contacts", "deals")


@dataclass
class _Plan:
    """The filter part of a query, normalised, plus what its result depends on."""

    key: tuple
    uses_data: bool
    run: Callable[[], list[int]]


def _plan(ds: Dataset, spec: Spec, q: ListQuery) -> _Plan:
    t = ds.tables[spec.key]
    preds: list[Callable[[int], bool]] = []
    key: list[Any] = []
    uses_data = False
    candidates: Callable[[], list[int]] | None = None

    if spec.key in _DATE_FILTER_RESOURCES:
        for name in _DATE_FILTERS:
            raw = q.filters.get(name)
            if raw is None:
                continue
            bound = _date_bound(name, raw)
            col = t.updated if name.startswith("updated") else t.created
            uses_data = True
            key.append((name, bound))
            if name.endswith("after"):
                # >= (reference §4: documented for deals; the emulator applies it to contacts too, INF)
                preds.append(lambda p, c=col, b=bound: c[p] >= b)
            else:
                preds.append(lambda p, c=col, b=bound: c[p] < b)

    for name, column in _EQ_FILTERS.get(spec.key, {}).items():
        raw = q.filters.get(name)
        if raw is None or raw == "":
            continue
        wanted = _as_int(raw)
        key.append((name, wanted))
        col = t.cols[column]
        if wanted is None:
            preds.append(lambda p: False)
        else:
            preds.append(lambda p, c=col, w=wanted: c[p] == w)

    for name, rec_field in _TEXT_FILTERS.get(spec.key, {}).items():
        raw = q.filters.get(name)
        if raw is None or raw == "":
            continue
        uses_data = True
        key.append((name, raw))
        if spec.key == "fieldValues":
            # exact match on the stored string (fieldValues_filtered_val__mhenrixon-vcr; INF)
            preds.append(lambda p, w=raw: field_value_text(ds, p) == w)
        else:
            # case-insensitive "contains" on titles (reference §4: equals or contains per field; INF)
            needle = raw.casefold()
            preds.append(lambda p, f=rec_field, n=needle: n in str(ds.render(spec.key, p).get(f, "")).casefold())

    if spec.key == "contacts":
        candidates, ckey = _contact_candidates(ds, q)
        key.extend(ckey)

    def run() -> list[int]:
        base = candidates() if candidates is not None else t.alive_positions()
        if not preds:
            return list(base)
        if len(preds) == 1:
            pred = preds[0]
            return [p for p in base if pred(p)]
        return [p for p in base if all(f(p) for f in preds)]

    return _Plan(tuple(key), uses_data, run)


def _contact_candidates(ds: Dataset, q: ListQuery) -> tuple[Callable[[], list[int]] | None, list[Any]]:
    """Positions allowed by ids[] / email / listid / tagid / status (None = no restriction)."""
    t = ds.tables["contacts"]
    key: list[Any] = []
    sets: list[Callable[[], set[int]]] = []

    if q.ids is not None:
        key.append(("ids", q.ids))
        sets.append(lambda: {p for p in (t.pos_of(i) for i in q.ids or ()) if p is not None})

    email = q.params.get("email")
    if email:
        key.append(("email", email.lower()))

        def by_email(e: str = email.strip().lower()) -> set[int]:
            # Generated emails embed the id ("first.last.<id>@domain"): find the row directly.
            m = re.search(r"(\d+)@", e)
            if not m:
                return set()
            pos = t.pos_of(int(m.group(1)))
            if pos is None or contact_names(ds.seed, t.ids[pos])[2].lower() != e:
                return set()
            return {pos}

        sets.append(by_email)

    listid = _as_int(q.params.get("listid", "") or "0") or 0
    status = _as_int(q.params.get("status", "-1") or "-1")
    status = -1 if status is None else status
    if listid or status != -1:
        cl = ds.tables["contactLists"]
        key.append(("listid", listid, status, cl.struct_version, cl.data_version))

        def by_list() -> set[int]:
            rows = cl.group_index("list").get(listid, []) if listid else cl.alive_positions()
            contacts, statuses = cl.cols["contact"], cl.cols["status"]
            wanted = {contacts[p] for p in rows if status == -1 or statuses[p] == status}
            return {p for p in (t.pos_of(c) for c in wanted) if p is not None}

        sets.append(by_list)

    tagid = _as_int(q.params.get("tagid", "") or "0") or 0
    if tagid:
        ct = ds.tables["contactTags"]
        key.append(("tagid", tagid, ct.struct_version))

        def by_tag() -> set[int]:
            contacts = ct.cols["contact"]
            wanted = {contacts[p] for p in ct.group_index("tag").get(tagid, [])}
            return {p for p in (t.pos_of(c) for c in wanted) if p is not None}

        sets.append(by_tag)

    if not sets:
        return None, key

    def candidates() -> list[int]:
        allowed = sets[0]()
        for s in sets[1:]:
            allowed &= s()
        return sorted(allowed)

    return candidates, key


# --- ordering ---------------------------------------------------------------------------------


def _order_column(ds: Dataset, spec: Spec, name: str) -> tuple[str, Any] | None:
    t = ds.tables[spec.key]
    if name == "id":
        return "id", t.ids
    if name in spec.created:
        return "created", t.created
    if name in spec.updated:
        return "updated", t.updated
    return None  # not orderable: ignored, like the API's "Not all fields are available" (INF)


def _default_keys(ds: Dataset, spec: Spec) -> Any:
    """Sort keys of the default order: a fixed pseudo-random permutation of ids.

    The API has no default order by id (reference §3: live /deals came back 1,5,9,2,...). Sorting by
    a hash of (seed, id) pages stably while data is unchanged, and new ids land inside the order;
    the rare hash ties keep ascending id order because the sort is stable.
    """
    return ds.tables[spec.key].default_keys(mix64(ds.seed ^ 0xDEFA) & 0xFFFFFFFF)


@dataclass
class Result:
    positions: list[int]  # the page
    total: int
    ordered: list[int]  # every matching position is ordered[start:end]
    start: int
    end: int
    key: tuple  # cache key of `ordered`, for caching values derived from the matches

    def matched(self) -> list[int]:
        return self.ordered[self.start : self.end]


class _LRU:
    """Bounded by entry count and by total list length: each cached order of a big table holds
    up to 200,000 positions, and entries of superseded table versions are never hit again."""

    def __init__(self, max_items: int = 256, max_weight: int = 3_000_000) -> None:
        self._d: OrderedDict[tuple, tuple[Any, int]] = OrderedDict()
        self._max_items = max_items
        self._max_weight = max_weight
        self._weight = 0

    def get(self, key: tuple) -> Any:
        hit = self._d.get(key)
        if hit is None:
            return None
        self._d.move_to_end(key)
        return hit[0]

    def put(self, key: tuple, value: Any) -> None:
        weight = len(value) if isinstance(value, list) else 1
        old = self._d.pop(key, None)
        if old is not None:
            self._weight -= old[1]
        self._d[key] = (value, weight)
        self._weight += weight
        while len(self._d) > 1 and (len(self._d) > self._max_items or self._weight > self._max_weight):
            _, (_, w) = self._d.popitem(last=False)
            self._weight -= w


def ds_cache(ds: Dataset) -> _LRU:
    cache = getattr(ds, "_query_cache", None)
    if cache is None:
        cache = _LRU()
        ds._query_cache = cache
    return cache


def run(ds: Dataset, spec: Spec, q: ListQuery) -> Result:
    """Filtered, ordered, paged positions. Call with ds.lock held."""
    t = ds.tables[spec.key]
    plan = _plan(ds, spec, q)
    orders = [(name, desc, oc) for name, desc in q.orders if (oc := _order_column(ds, spec, name)) is not None]
    uses_data = plan.uses_data or any(kind != "id" for _, _, (kind, _) in orders)
    primary_id = bool(orders) and orders[0][2][0] == "id"
    bounded = q.id_greater is not None or q.id_less is not None
    bounds_in_key = bounded and not primary_id

    key = (
        spec.key,
        plan.key,
        tuple((kind, desc) for _, desc, (kind, _) in orders),
        (q.id_greater, q.id_less) if bounds_in_key else None,
        ("data", t.data_version) if uses_data else ("struct", t.struct_version),
    )
    cache = ds_cache(ds)
    ordered = cache.get(key)
    if ordered is None:
        positions = plan.run()  # ascending positions == ascending ids
        if bounds_in_key:
            ids = t.ids
            lo = q.id_greater if q.id_greater is not None else -(1 << 62)
            hi = q.id_less if q.id_less is not None else (1 << 62)
            positions = [p for p in positions if lo < ids[p] < hi]
        if not orders:
            positions.sort(key=_default_keys(ds, spec).__getitem__)
        else:
            # Successive stable sorts from the last key to the first give a multi-key order with
            # mixed directions; ties fall back to ascending id (INF).
            for _, desc, (_, col) in reversed(orders):
                positions.sort(key=col.__getitem__, reverse=desc)
        ordered = positions
        cache.put(key, ordered)

    start, end = 0, len(ordered)
    if bounded and primary_id:
        ids = t.ids
        desc = orders[0][1]
        if not desc:
            if q.id_greater is not None:
                start = bisect_right(ordered, q.id_greater, key=ids.__getitem__)
            if q.id_less is not None:
                end = bisect_left(ordered, q.id_less, key=ids.__getitem__)
        else:
            neg = lambda p: -ids[p]  # noqa: E731  (descending ids are ascending negatives)
            if q.id_greater is not None:
                end = bisect_left(ordered, -q.id_greater, key=neg)
            if q.id_less is not None:
                start = bisect_right(ordered, -q.id_less, key=neg)
        end = max(start, end)

    total = end - start
    first = start + q.offset
    page = ordered[first : min(end, first + q.limit)] if first < end else []
    return Result(page, total, ordered, start, end, key)


def warm(ds: Dataset, min_rows: int = 2000) -> None:
    """Build the default order of the big tables ahead of the first request (run in a background
    thread at start so that start-up itself stays short)."""
    for key, spec in SPECS.items():
        if len(ds.tables[key]) < min_rows:
            continue
        with ds.lock:
            run(ds, spec, ListQuery(limit=1, offset=0))


__all__ = ["ListQuery", "QueryError", "Result", "parse", "run", "warm", "SPECS", "MAX_LIMIT"]
