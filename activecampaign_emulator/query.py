"""List queries: parameter parsing, filters, ordering, paging, and the result cache.

A query's ordered position list is cached per (resource, filters, orders, table versions), so
deep pages are a slice of a cached list. `id_greater` / `id_less` are kept out of the cache key
when the primary order is by id: the bounds then cut a contiguous range found by bisection, so a
keyset walk over 100,000 contacts reuses one cached list.

Paging, ordering and filtering follow https://developers.activecampaign.com/reference/pagination.
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
    from .table import Table

MAX_LIMIT = 100


class QueryError(Exception):
    def __init__(self, body: dict[str, Any], status: int = 422) -> None:
        super().__init__(str(body))
        self.status = status
        self.body = body


def _invalid(param: str, detail: str, title: str = "Invalid attribute") -> QueryError:
    """A 422 in the JSON:API shape the API reference shows for an invalid order direction; the
    wording for other parameters is not documented, the emulator chooses its own."""
    error = {"status": 422, "title": title, "detail": detail, "code": "invalid", "source": {"pointer": f"/{param}"}}
    return QueryError({"errors": [error]})


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


# --- parsing ----------------------------------------------------------------------------------


def parse(spec: Spec, pairs: list[tuple[str, str]]) -> ListQuery:
    query = ListQuery(limit=spec.default_limit, offset=0)
    orders: list[tuple[str, bool]] = []
    ids: list[int] = []
    for key, value in pairs:
        bracketed = _BRACKET.match(key)
        if key in ("ids[]", "ids"):
            ids.extend(int(part) for part in value.split(",") if part.strip().lstrip("-").isdigit())
        elif bracketed and bracketed.group(1) == "orders":
            orders.append(_order(bracketed.group(2), value))
        else:
            _apply_parameter(spec, query, key, value)
    query.orders = tuple(orders)
    query.ids = tuple(ids) if ids else None
    if spec.key != "contacts":
        # id_greater / id_less / ids are "only available with the Contacts endpoint"
        # (https://developers.activecampaign.com/reference/pagination); elsewhere they are ignored
        # like any unknown parameter.
        query.id_greater = query.id_less = query.ids = None
    return query


def _apply_parameter(spec: Spec, query: ListQuery, key: str, value: str) -> None:
    if key == "limit":
        limit = _int_param("limit", value)
        # Default 20, at most 100; what the API does with 0 or more than 100 is not documented: the
        # emulator takes the default for 0 or less and clamps above 100 silently.
        query.limit = spec.default_limit if limit <= 0 else min(limit, MAX_LIMIT)
    elif key == "offset":
        query.offset = max(0, _int_param("offset", value))
    elif key == "id_greater":
        query.id_greater = _int_param(key, value)
    elif key == "id_less":
        query.id_less = _int_param(key, value)
    elif key == "include":
        query.includes = tuple(name.strip() for name in value.split(",") if name.strip())
    else:
        match = _BRACKET.match(key)
        if match and match.group(1) == "filters" and not match.group(3):
            query.filters[match.group(2)] = value
        else:
            query.params[key] = value


def _order(field_name: str, value: str) -> tuple[str, bool]:
    """orders[<field>]=ASC|DESC (either case) -> (field, descending); another direction is a 422."""
    direction = value.strip().upper()
    if direction not in ("ASC", "DESC"):
        detail = f'Invalid order direction: "{value}". Allowed values are: "ASC", "DESC"'
        raise _invalid("orders", detail, title="The orders direction is invalid")
    return field_name, direction == "DESC"


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


# resource -> filters[<name>] -> integer column it must equal (the filters each endpoint documents)
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

Predicate = Callable[[int], bool]


@dataclass
class _Plan:
    """The filter part of a query, normalised, plus what its result depends on."""

    key: tuple
    uses_data: bool
    run: Callable[[], list[int]]


@dataclass
class _PlanParts:
    predicates: list[Predicate] = field(default_factory=list)
    key: list[Any] = field(default_factory=list)
    uses_data: bool = False


def _plan(dataset: Dataset, spec: Spec, query: ListQuery) -> _Plan:
    table = dataset.tables[spec.key]
    parts = _PlanParts()
    if spec.key in _DATE_FILTER_RESOURCES:
        _add_date_filters(parts, table, query)
    _add_equality_filters(parts, table, spec, query)
    _add_text_filters(parts, dataset, spec, query)
    if spec.key == "activities":
        _add_activity_filters(parts, table, query)
    candidates: Callable[[], list[int]] | None = None
    if spec.key == "contacts":
        candidates, candidate_key = _contact_candidates(dataset, query)
        parts.key.extend(candidate_key)
    predicates = parts.predicates

    def run() -> list[int]:
        positions = candidates() if candidates is not None else table.alive_positions()
        if not predicates:
            return list(positions)
        if len(predicates) == 1:
            only = predicates[0]
            return [position for position in positions if only(position)]
        return [position for position in positions if all(predicate(position) for predicate in predicates)]

    return _Plan(tuple(parts.key), parts.uses_data, run)


def _add_date_filters(parts: _PlanParts, table: Table, query: ListQuery) -> None:
    """filters[updated_after|updated_before|created_after|created_before]: after is >=, before is <.

    That is documented for deals (https://developers.activecampaign.com/reference/deal); for contacts
    the inclusivity is not documented, the emulator applies the same."""
    for name in _DATE_FILTERS:
        raw = query.filters.get(name)
        if raw is None:
            continue
        bound = _date_bound(name, raw)
        column = table.updated if name.startswith("updated") else table.created
        parts.uses_data = True
        parts.key.append((name, bound))
        if name.endswith("after"):
            parts.predicates.append(lambda position, column=column, bound=bound: column[position] >= bound)
        else:
            parts.predicates.append(lambda position, column=column, bound=bound: column[position] < bound)


def _add_equality_filters(parts: _PlanParts, table: Table, spec: Spec, query: ListQuery) -> None:
    for name, column_name in _EQ_FILTERS.get(spec.key, {}).items():
        raw = query.filters.get(name)
        if raw is None or raw == "":
            continue
        wanted = _as_int(raw)
        parts.key.append((name, wanted))
        column = table.cols[column_name]
        if wanted is None:
            parts.predicates.append(lambda position: False)
        else:
            parts.predicates.append(lambda position, column=column, wanted=wanted: column[position] == wanted)


def _add_activity_filters(parts: _PlanParts, table: Table, query: ListQuery) -> None:
    """/activities takes `contact=<id>` and `after=<date>` (on tstamp, the row's creation) as plain
    parameters (https://developers.activecampaign.com/reference/list-all-activities); the emulator
    reads `after` as >=, like the other date filters."""
    contact = query.params.get("contact")
    if contact:
        wanted = _as_int(contact)
        parts.key.append(("contact", wanted))
        column = table.cols["contact"]
        parts.predicates.append(lambda position: wanted is not None and column[position] == wanted)
    after = query.params.get("after")
    if after:
        bound = _date_bound("after", after)
        parts.uses_data = True
        parts.key.append(("after", bound))
        parts.predicates.append(lambda position: table.created[position] >= bound)


def _add_text_filters(parts: _PlanParts, dataset: Dataset, spec: Spec, query: ListQuery) -> None:
    for name, record_field in _TEXT_FILTERS.get(spec.key, {}).items():
        raw = query.filters.get(name)
        if raw is None or raw == "":
            continue
        parts.uses_data = True
        parts.key.append((name, raw))
        if spec.key == "fieldValues":
            # filters[val] matches the whole stored value in recorded responses; the emulator
            # compares exactly.
            parts.predicates.append(lambda position, wanted=raw: field_value_text(dataset, position) == wanted)
        else:
            # Filters match "equals" or "contains" case by case, per the pagination reference; for
            # titles the emulator chooses a case-insensitive "contains".
            needle = raw.casefold()
            parts.predicates.append(
                lambda position, record_field=record_field, needle=needle: (
                    needle in str(dataset.render(spec.key, position).get(record_field, "")).casefold()
                )
            )


# --- contacts: ids[], email, listid, status, tagid ---------------------------------------------

PositionSet = Callable[[], set[int]]


def _contact_candidates(dataset: Dataset, query: ListQuery) -> tuple[Callable[[], list[int]] | None, list[Any]]:
    """Positions allowed by ids[] / email / listid / tagid / status (None = no restriction), and
    the parts of the cache key they add."""
    key: list[Any] = []
    sets: list[PositionSet] = []
    for restriction in (_by_ids, _by_email, _by_list, _by_tag):
        found = restriction(dataset, query)
        if found is not None:
            key.append(found[0])
            sets.append(found[1])
    if not sets:
        return None, key

    def candidates() -> list[int]:
        allowed = sets[0]()
        for positions in sets[1:]:
            allowed &= positions()
        return sorted(allowed)

    return candidates, key


def _live_positions(contacts: Table, contact_ids: set[int]) -> set[int]:
    return {position for position in map(contacts.pos_of, contact_ids) if position is not None}


def _by_ids(dataset: Dataset, query: ListQuery) -> tuple[Any, PositionSet] | None:
    if query.ids is None:
        return None
    ids = query.ids
    return ("ids", ids), lambda: _live_positions(dataset.tables["contacts"], set(ids))


def _by_email(dataset: Dataset, query: ListQuery) -> tuple[Any, PositionSet] | None:
    email = query.params.get("email")
    if not email:
        return None
    wanted = email.strip().lower()
    contacts = dataset.tables["contacts"]

    def by_email() -> set[int]:
        # Generated emails embed the id ("first.last.<id>@domain"): find the row directly.
        match = re.search(r"(\d+)@", wanted)
        if not match:
            return set()
        position = contacts.pos_of(int(match.group(1)))
        if position is None or contact_names(dataset.seed, contacts.ids[position])[2].lower() != wanted:
            return set()
        return {position}

    return ("email", email.lower()), by_email


def _by_list(dataset: Dataset, query: ListQuery) -> tuple[Any, PositionSet] | None:
    """listid and status (-1 = any, the default) select contacts by their list memberships."""
    list_id = _as_int(query.params.get("listid", "") or "0") or 0
    parsed_status = _as_int(query.params.get("status", "-1") or "-1")
    status = -1 if parsed_status is None else parsed_status
    if not list_id and status == -1:
        return None
    memberships = dataset.tables["contactLists"]

    def by_list() -> set[int]:
        rows = memberships.group_index("list").get(list_id, []) if list_id else memberships.alive_positions()
        contact_column, status_column = memberships.cols["contact"], memberships.cols["status"]
        wanted = {contact_column[row] for row in rows if status == -1 or status_column[row] == status}
        return _live_positions(dataset.tables["contacts"], wanted)

    return ("listid", list_id, status, memberships.struct_version, memberships.data_version), by_list


def _by_tag(dataset: Dataset, query: ListQuery) -> tuple[Any, PositionSet] | None:
    tag_id = _as_int(query.params.get("tagid", "") or "0") or 0
    if not tag_id:
        return None
    contact_tags = dataset.tables["contactTags"]

    def by_tag() -> set[int]:
        contact_column = contact_tags.cols["contact"]
        wanted = {contact_column[row] for row in contact_tags.group_index("tag").get(tag_id, [])}
        return _live_positions(dataset.tables["contacts"], wanted)

    return ("tagid", tag_id, contact_tags.struct_version), by_tag


# --- ordering ---------------------------------------------------------------------------------


def _order_column(dataset: Dataset, spec: Spec, name: str) -> tuple[str, Any] | None:
    table = dataset.tables[spec.key]
    if name == "id":
        return "id", table.ids
    if name in spec.created:
        return "created", table.created
    if name in spec.updated:
        return "updated", table.updated
    # "Not all fields are available for ordering" (pagination reference); what the API does with
    # the others is not documented, the emulator ignores them.
    return None


def _default_keys(dataset: Dataset, spec: Spec) -> Any:
    """Sort keys of the default order: a fixed pseudo-random permutation of ids.

    The API documents no default order, and it is not by id: recorded /deals pages come back as
    ids 1, 5, 9, 2, ... Sorting by a hash of (seed, id) pages stably while data is unchanged, and
    new ids land inside the order; the rare hash ties keep ascending id order (the sort is stable).
    """
    return dataset.tables[spec.key].default_keys(mix64(dataset.seed ^ 0xDEFA) & 0xFFFFFFFF)


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
        self._entries: OrderedDict[tuple, tuple[Any, int]] = OrderedDict()
        self._max_items = max_items
        self._max_weight = max_weight
        self._weight = 0

    def get(self, key: tuple) -> Any:
        hit = self._entries.get(key)
        if hit is None:
            return None
        self._entries.move_to_end(key)
        return hit[0]

    def put(self, key: tuple, value: Any) -> None:
        weight = len(value) if isinstance(value, list) else 1
        old = self._entries.pop(key, None)
        if old is not None:
            self._weight -= old[1]
        self._entries[key] = (value, weight)
        self._weight += weight
        while len(self._entries) > 1 and (len(self._entries) > self._max_items or self._weight > self._max_weight):
            _, (_, evicted_weight) = self._entries.popitem(last=False)
            self._weight -= evicted_weight


def query_cache(dataset: Dataset) -> _LRU:
    cache = getattr(dataset, "_query_cache", None)
    if cache is None:
        cache = _LRU()
        dataset._query_cache = cache
    return cache


# An order: (field name, descending, (column kind, column)).
Order = tuple[str, bool, tuple[str, Any]]


def run(dataset: Dataset, spec: Spec, query: ListQuery) -> Result:
    """Filtered, ordered, paged positions. Call with dataset.lock held."""
    table = dataset.tables[spec.key]
    plan = _plan(dataset, spec, query)
    orders: list[Order] = [
        (name, descending, column)
        for name, descending in query.orders
        if (column := _order_column(dataset, spec, name)) is not None
    ]
    uses_data = plan.uses_data or any(kind != "id" for _, _, (kind, _) in orders)
    primary_id = bool(orders) and orders[0][2][0] == "id"
    bounded = query.id_greater is not None or query.id_less is not None
    bounds_in_key = bounded and not primary_id
    key = (
        spec.key,
        plan.key,
        tuple((kind, descending) for _, descending, (kind, _) in orders),
        (query.id_greater, query.id_less) if bounds_in_key else None,
        ("data", table.data_version) if uses_data else ("struct", table.struct_version),
    )
    cache = query_cache(dataset)
    ordered = cache.get(key)
    if ordered is None:
        ordered = _ordered_positions(dataset, spec, query, plan, orders, bounds_in_key)
        cache.put(key, ordered)
    start, end = 0, len(ordered)
    if bounded and primary_id:
        start, end = _id_range(table, ordered, query, descending=orders[0][1])
    first = start + query.offset
    page = ordered[first : min(end, first + query.limit)] if first < end else []
    return Result(page, end - start, ordered, start, end, key)


def _ordered_positions(
    dataset: Dataset, spec: Spec, query: ListQuery, plan: _Plan, orders: list[Order], bounds_in_key: bool
) -> list[int]:
    positions = plan.run()  # ascending positions == ascending ids
    if bounds_in_key:
        ids = dataset.tables[spec.key].ids
        low = query.id_greater if query.id_greater is not None else -(1 << 62)
        high = query.id_less if query.id_less is not None else (1 << 62)
        positions = [position for position in positions if low < ids[position] < high]
    if not orders:
        positions.sort(key=_default_keys(dataset, spec).__getitem__)
    else:
        # Successive stable sorts from the last key to the first give a multi-key order with
        # mixed directions. Ties keep ascending id order; the API's order of ties is not documented.
        for _, descending, (_, column) in reversed(orders):
            positions.sort(key=column.__getitem__, reverse=descending)
    return positions


def _id_range(table: Table, ordered: list[int], query: ListQuery, descending: bool) -> tuple[int, int]:
    """[start, end) of `ordered` (sorted by id) within id_greater < id < id_less, by bisection."""
    ids = table.ids
    start, end = 0, len(ordered)
    if not descending:
        if query.id_greater is not None:
            start = bisect_right(ordered, query.id_greater, key=ids.__getitem__)
        if query.id_less is not None:
            end = bisect_left(ordered, query.id_less, key=ids.__getitem__)
    else:

        def negated_id(position: int) -> int:  # descending ids are ascending negatives
            return -ids[position]

        if query.id_greater is not None:
            end = bisect_left(ordered, -query.id_greater, key=negated_id)
        if query.id_less is not None:
            start = bisect_right(ordered, -query.id_less, key=negated_id)
    return start, max(start, end)


def warm(dataset: Dataset, min_rows: int = 2000) -> None:
    """Build the default order of the big tables ahead of the first request (run in a background
    thread at start so that start-up itself stays short)."""
    for key, spec in SPECS.items():
        if len(dataset.tables[key]) < min_rows:
            continue
        with dataset.lock:
            run(dataset, spec, ListQuery(limit=1, offset=0))


__all__ = ["ListQuery", "QueryError", "Result", "parse", "run", "warm", "SPECS", "MAX_LIMIT"]
