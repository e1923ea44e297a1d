"""The API proper: routes under /api/3/, envelopes, sideloads, meta, and deal access modes.

Everything here assumes the request already passed auth, the rate limit and fault injection
(server.py); it only turns (path, query, options) into a Response.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import query as queries
from .collection_specs import SPECS, Row, Spec, deal_title
from .options import EmulatorOptions
from .records import custom_objects
from .responses import Response, errors, json_response, message
from .seeding import CUSTOM_OBJECT_SCHEMAS
from .words import CURRENCIES

if TYPE_CHECKING:
    from .dataset import Dataset

Record = dict[str, Any]
Renderer = Callable[[int], Record]

# (parent collection, sub path) -> (child collection, foreign-key column, envelope key)
SUB_RESOURCES: dict[tuple[str, str], tuple[str, str, str]] = {
    ("campaigns", "links"): ("links", "campaign", "links"),
    ("ecomOrders", "orderProducts"): ("ecomOrderProducts", "orderid", "ecomOrderProducts"),
    ("contacts", "fieldValues"): ("fieldValues", "contact", "fieldValues"),
    ("contacts", "contactLists"): ("contactLists", "contact", "contactLists"),
    ("contacts", "contactTags"): ("contactTags", "contact", "contactTags"),
    ("contacts", "contactAutomations"): ("contactAutomations", "contact", "contactAutomations"),
    ("contacts", "contactDeals"): ("contactDeals", "contact", "contactDeals"),
    ("contacts", "accountContacts"): ("accountContacts", "contact", "accountContacts"),
    ("contacts", "deals"): ("deals", "contact", "deals"),
    ("deals", "dealCustomFieldData"): ("dealCustomFieldData", "dealId", "dealCustomFieldData"),
    ("deals", "dealActivities"): ("dealActivities", "deal", "dealActivities"),
    ("dealGroups", "stages"): ("dealStages", "group", "dealStages"),
}

# include=<name> on /contacts and /deals: name -> (child collection, foreign-key column)
INCLUDES: dict[str, dict[str, tuple[str, str]]] = {
    "contacts": {
        "fieldValues": ("fieldValues", "contact"),
        "contactLists": ("contactLists", "contact"),
        "contactTags": ("contactTags", "contact"),
        "contactAutomations": ("contactAutomations", "contact"),
        "accountContacts": ("accountContacts", "contact"),
        "contactDeals": ("contactDeals", "contact"),
        "deals": ("deals", "contact"),
    },
    "deals": {"dealCustomFieldData": ("dealCustomFieldData", "dealId")},
}

# What GET /contacts/{id} sideloads, in the order recorded responses show them.
CONTACT_SINGLE_SIDELOADS = ("contactAutomations", "contactLists", "deals", "fieldValues", "geoIps", "accountContacts")

# The API's own links ask /contacts/{id}/contactAutomations for limit=1000, so per-contact lists
# take more than the usual 100.
SUB_RESOURCE_MAX_LIMIT = 1000


def not_found(spec: Spec, raw_id: str) -> Response:
    if spec.model is None:
        return errors(404, "Not Found")
    return message(404, f"No Result found for {spec.model} with id {raw_id}")


def forbidden_resource(collection: str) -> Response:
    return errors(403, "Forbidden", f"You do not have permission to view {collection}.")


def _invalid_paging() -> Response:
    error = {
        "status": 422,
        "title": "Invalid attribute",
        "detail": "limit and offset must be integers",
        "code": "invalid",
        "source": {"pointer": "/limit"},
    }
    return json_response(422, {"errors": [error]})


class Api:
    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset

    # --- deal access ----------------------------------------------------------------------

    def _restricted_pipelines(self) -> frozenset[int]:
        """Which pipelines the key's user may not manage is not documented per account; the emulator
        chooses every second pipeline by id (the 2nd, 4th, ...)."""
        pipelines = self.dataset.tables["dealGroups"]
        alive = pipelines.alive_positions()
        return frozenset(pipelines.ids[position] for index, position in enumerate(alive) if index % 2 == 1)

    def _deal_view(self, options: EmulatorOptions, base: str) -> Renderer:
        """position -> rendered deal, restricted per the access mode: without permission on a
        pipeline, the API returns only `id`, `title` and `isDisabled` for its deals
        (https://developers.activecampaign.com/reference/deal).

        Only the rendering is restricted: filters and orders run on the stored columns, so a
        restricted row still matches filters[updated_after] etc. by its hidden mdate/cdate, and
        meta.total / meta.currencies count it, as recorded responses count restricted rows."""
        dataset = self.dataset
        table = dataset.tables["deals"]
        mode = options.deals_access
        restricted = self._restricted_pipelines() if mode == "pipeline-partial" else frozenset()
        pipeline_column = table.cols["group"]

        def view(position: int) -> Record:
            if mode == "all-restricted" or (mode == "pipeline-partial" and pipeline_column[position] in restricted):
                row = Row(dataset, "deals", table, position, base)
                title = table.overrides.get(position, {}).get("title") or deal_title(row)
                # exactly these keys in this order, as recorded
                return {"title": title, "id": str(table.ids[position]), "isDisabled": True}
            return dataset.render("deals", position, base)

        return view

    def _renderer(self, resource: str, options: EmulatorOptions, base: str) -> Renderer:
        if resource == "deals":
            return self._deal_view(options, base)
        dataset = self.dataset
        return lambda position: dataset.render(resource, position, base)

    # --- entry point -----------------------------------------------------------------------

    def handle(
        self, segments: list[str], pairs: list[tuple[str, str]], options: EmulatorOptions, base: str, raw_query: str
    ) -> Response:
        if not segments:
            return message(404, "Not Found")
        collection = segments[0]
        if collection in options.forbidden_resources:
            return forbidden_resource(collection)
        if collection == "users" and len(segments) == 2 and segments[1] == "me":
            return self._users_me(base)
        spec = SPECS.get(collection)
        if collection in options.missing_resources or (spec is None and collection != "customObjects"):
            # An unknown collection's answer is not documented; the emulator chooses a JSON 404, and
            # answers the same for a collection of a feature the account does not have.
            return message(404, f"Unknown resource: {collection}")
        if collection == "customObjects":
            return self._custom_objects(segments[1:], pairs, base)
        if spec is None or not spec.routed:
            return message(404, f"Unknown resource: {collection}")
        if collection == "deals" and options.deals_access == "none":
            return forbidden_resource("deals")
        if collection == "activities" and options.activities_require_contact and not dict(pairs).get("contact"):
            # The reference documents `contact` as required; its 422 follows the documented shape of
            # a missing parameter ("Parameter userId is required.").
            return errors(422, "Invalid Input Parameter", "Parameter contact is required.")
        if len(segments) == 1:
            return self._list(spec, pairs, options, base, raw_query)
        if len(segments) == 2 and not spec.paged:
            # Reading one whitelisted domain is not supported: 405 with Allow: DELETE, per the reference.
            response = message(405, "Method Not Allowed")
            response.headers["Allow"] = "DELETE"
            return response
        if len(segments) == 2:
            return self._single(spec, segments[1], options, base)
        if len(segments) == 3 and (collection, segments[2]) in SUB_RESOURCES:
            return self._sub_list(spec, segments[1], segments[2], pairs, options, base)
        return message(404, "Not Found")

    # --- custom objects ---------------------------------------------------------------------

    def _custom_objects(self, segments: list[str], pairs: list[tuple[str, str]], base: str) -> Response:
        """GET /customObjects/schemas, /customObjects/schemas/<id> and /customObjects/records/<schema id>
        (https://developers.activecampaign.com/docs/custom-objects-api-guide): offset paging, default
        20 and at most 100 per page, records in the order they were created (the API documents none).
        An unknown schema id answers the JSON:API 404 (the emulator's choice)."""
        spec = SPECS["customObjectRecords"]
        try:
            query = queries.parse(spec, pairs)
        except queries.QueryError as error:
            return json_response(error.status, error.body)
        dataset = self.dataset
        with dataset.lock:
            positions = {
                custom_objects.schema_id(dataset.seed, index): index for index in range(len(CUSTOM_OBJECT_SCHEMAS))
            }
            if segments == ["schemas"]:
                schemas = [custom_objects.schema(dataset, index) for index in positions.values()]
                page = schemas[query.offset : query.offset + query.limit]
                return json_response(200, {"schemas": page, "meta": _records_meta(len(schemas), query, len(page))})
            if len(segments) == 3 and segments[0] == "records" and segments[1] in positions:
                return self._custom_object_record(positions[segments[1]], segments[2], base)
            if len(segments) != 2 or segments[0] not in ("schemas", "records") or segments[1] not in positions:
                return errors(404, "Not Found")
            schema_position = positions[segments[1]]
            if segments[0] == "schemas":
                return json_response(200, {"schema": custom_objects.schema(dataset, schema_position)})
            rows = dataset.tables["customObjectRecords"].group_index("schema").get(schema_position, [])
            page_rows = rows[query.offset : query.offset + query.limit]
            records = [dataset.render("customObjectRecords", position, base) for position in page_rows]
        return json_response(
            200, {"records": records, "meta": _records_meta(len(rows), query, len(records))}, is_list=True
        )

    def _custom_object_record(self, schema_position: int, record_id: str, base: str) -> Response:
        """GET /customObjects/records/<schema id>/<record id>: {"record": {...}}, or the JSON:API 404
        for an id that is not (or no longer) one of the schema's records."""
        dataset = self.dataset
        for position in dataset.tables["customObjectRecords"].group_index("schema").get(schema_position, []):
            record = dataset.render("customObjectRecords", position, base)
            if record["id"] == record_id:
                return json_response(200, {"record": record})
        return errors(404, "Not Found")

    # --- single records ---------------------------------------------------------------------

    def _users_me(self, base: str) -> Response:
        dataset = self.dataset
        with dataset.lock:
            users = dataset.tables["users"]
            alive = users.alive_positions()
            if not alive:
                return message(404, "No Result found for User with id me")
            # The key belongs to the account owner (user 1).
            return json_response(200, {"user": dataset.render("users", alive[0], base)})

    def _single(self, spec: Spec, raw_id: str, options: EmulatorOptions, base: str) -> Response:
        dataset = self.dataset
        if not raw_id.isdigit():
            return not_found(spec, raw_id)
        with dataset.lock:
            table = dataset.tables[spec.key]
            position = table.pos_of(int(raw_id))
            if position is None:
                return not_found(spec, raw_id)
            record = self._renderer(spec.key, options, base)(position)
            body: dict[str, Any] = {}
            row_id = table.ids[position]
            if spec.key == "contacts":
                for name in CONTACT_SINGLE_SIDELOADS:
                    rows = (
                        [] if name == "geoIps" else self._children(*INCLUDES["contacts"][name], [row_id], options, base)
                    )
                    body[name] = rows
                    record[name] = [row["id"] for row in rows]
            elif spec.key == "dealGroups":
                body["dealStages"] = self._children("dealStages", "group", [row_id], options, base)
            elif spec.key == "fields":
                body["fieldOptions"] = self._children("fieldOptions", "field", [row_id], options, base)
                body["fieldRels"] = self._children("fieldRels", "field", [row_id], options, base)
            body[spec.singular] = record
            return json_response(200, body)

    def _children(
        self, child: str, column: str, parent_ids: list[int], options: EmulatorOptions, base: str
    ) -> list[Record]:
        if child == "deals" and options.deals_access == "none":
            return []  # without deals permission no deals are sideloaded (the emulator's choice)
        index = self.dataset.tables[child].group_index(column)
        render = self._renderer(child, options, base)
        return [render(position) for parent_id in parent_ids for position in index.get(parent_id, [])]

    # --- lists -------------------------------------------------------------------------------

    def _list(
        self, spec: Spec, pairs: list[tuple[str, str]], options: EmulatorOptions, base: str, raw_query: str
    ) -> Response:
        dataset = self.dataset
        if not spec.paged:
            pairs = [(key, value) for key, value in pairs if key not in ("limit", "offset")]
        try:
            query = queries.parse(spec, pairs)
            with dataset.lock:
                result = queries.run(dataset, spec, query)
                render = self._renderer(spec.key, options, base)
                positions = result.positions
                if spec.key in options.rows_dropped_from_pages:
                    positions = positions[:-1]  # meta.total below still counts the row left out
                records = [render(position) for position in positions]
                body: dict[str, Any] = {}
                self._sideloads(spec, query, records, positions, body, options, base)
                body[spec.key] = records
                meta = self._meta(spec, query, result, records, raw_query)
        except queries.QueryError as error:
            return json_response(error.status, error.body)
        if meta is not None:
            body["meta"] = meta
        return json_response(200, body, is_list=True)

    def _sideloads(
        self,
        spec: Spec,
        query: queries.ListQuery,
        records: list[Record],
        positions: list[int],
        body: dict[str, Any],
        options: EmulatorOptions,
        base: str,
    ) -> None:
        """The arrays a list always carries beside its records, then those asked for with include=."""
        page_ids = [self.dataset.tables[spec.key].ids[position] for position in positions]
        if spec.key == "contacts":
            body["scoreValues"] = []
        if spec.key == "dealGroups":
            body["dealStages"] = self._children("dealStages", "group", page_ids, options, base)
        if spec.key == "fields":
            body["fieldOptions"] = self._children("fieldOptions", "field", page_ids, options, base)
            body["fieldRels"] = self._children("fieldRels", "field", page_ids, options, base)
        known = INCLUDES.get(spec.key, {})
        for name in query.includes:
            # Dotted (nested) include names are reported to work but never shown; the emulator
            # ignores them, and unknown names, without an error.
            if name in known:
                body[name] = self._included(*known[name], name, records, page_ids, options, base)

    def _included(
        self,
        child: str,
        column: str,
        name: str,
        records: list[Record],
        page_ids: list[int],
        options: EmulatorOptions,
        base: str,
    ) -> list[Record]:
        """One include=<name>: the child rows of the page, and their ids on each record."""
        index = self.dataset.tables[child].group_index(column)
        render = self._renderer(child, options, base)
        no_deals = child == "deals" and options.deals_access == "none"
        rows: list[Record] = []
        for record, parent_id in zip(records, page_ids, strict=True):
            if record.get("isDisabled") is True:
                continue  # restricted deals carry no relations (the emulator's choice)
            children = [] if no_deals else [render(position) for position in index.get(parent_id, [])]
            record[name] = [child_row["id"] for child_row in children]
            rows.extend(children)
        return rows if options.sideload_cap is None else rows[: options.sideload_cap]

    def _meta(
        self, spec: Spec, query: queries.ListQuery, result: queries.Result, records: list[Record], raw_query: str
    ) -> dict[str, Any] | None:
        total = result.total
        kind = spec.meta
        if kind == "none":
            return None
        if kind == "int":
            return {"total": total}
        if kind == "deals":
            return {"currencies": self._currencies(result), "total": total}
        meta: dict[str, Any] = {"total": str(total)}
        if kind == "contacts":
            meta["sortable"] = True
            meta["page_input"] = _contacts_page_input(query, raw_query)
        elif kind == "fields":
            meta["selected"] = None
        elif kind == "automations":
            starts = [
                {"id": str(index + 1), "series": record["id"], "type": "subscribe"}
                for index, record in enumerate(records)
            ]
            meta["starts"] = starts
            meta["filtered"] = False
            meta["smsLogs"] = []
        elif kind == "contactAutomations":
            meta["showcase_stats"] = []
        return meta

    def _currencies(self, result: queries.Result) -> Any:
        """meta.currencies over every matching deal, restricted ones included, as recorded; `[]`
        (PHP's empty array) when nothing matches."""
        cache = queries.query_cache(self.dataset)
        cache_key = ("__currencies__", result.key, result.start, result.end)
        cached = cache.get(cache_key)
        if cached is not None:
            return cached
        table = self.dataset.tables["deals"]
        currency_column, value_column = table.cols["currency"], table.cols["value"]
        sums: dict[str, list[int]] = {}
        for position in result.matched():
            code = CURRENCIES[currency_column[position] % len(CURRENCIES)].upper()
            count_and_value = sums.setdefault(code, [0, 0])
            count_and_value[0] += 1
            count_and_value[1] += value_column[position]
        currencies: Any = {
            code: {"total": str(count), "value": str(value), "currency": code, "isDisabled": False}
            for code, (count, value) in sorted(sums.items())
        }
        currencies = currencies or []
        cache.put(cache_key, currencies)
        return currencies

    def _sub_list(
        self, spec: Spec, raw_id: str, sub: str, pairs: list[tuple[str, str]], options: EmulatorOptions, base: str
    ) -> Response:
        """Per-parent lists such as /campaigns/{id}/links: all rows in id order and no meta.

        Paging of these lists is not documented; the emulator returns every row without `limit` and
        applies limit/offset up to 1000 with it."""
        child, column, envelope = SUB_RESOURCES[(spec.key, sub)]
        if child in options.forbidden_resources:
            return forbidden_resource(child)
        if child in options.missing_resources:
            return message(404, f"Unknown resource: {sub}")
        if child == "deals" and options.deals_access == "none":
            return forbidden_resource("deals")
        params = dict(pairs)
        try:
            limit = int(params["limit"]) if "limit" in params else None
            offset = max(0, int(params.get("offset", 0)))
        except ValueError:
            return _invalid_paging()
        if not raw_id.isdigit():
            return not_found(spec, raw_id)
        with self.dataset.lock:
            if self.dataset.tables[spec.key].pos_of(int(raw_id)) is None:
                return not_found(spec, raw_id)
            positions = self.dataset.tables[child].group_index(column).get(int(raw_id), [])
            end = None if limit is None else offset + max(1, min(limit, SUB_RESOURCE_MAX_LIMIT))
            render = self._renderer(child, options, base)
            rows = [render(position) for position in positions[offset:end]]
        return json_response(200, {envelope: rows}, is_list=True)


def _records_meta(total: int, query: queries.ListQuery, count: int) -> dict[str, int]:
    """meta of the custom-object lists, as the reference's example of a schema's records shows it."""
    return {"total": total, "count": count, "limit": query.limit, "offset": query.offset}


def _contacts_page_input(query: queries.ListQuery, raw_query: str) -> dict[str, Any]:
    """meta.page_input of /contacts, as recorded responses show it; cacheid is an md5 of the query."""

    def as_int(name: str, default: int) -> int:
        try:
            return int(query.params.get(name, default))
        except (TypeError, ValueError):
            return default

    return {
        "segmentid": as_int("segmentid", 0),
        "formid": as_int("formid", 0),
        "listid": as_int("listid", 0),
        "tagid": as_int("tagid", 0),
        "limit": query.limit,
        "offset": query.offset,
        "search": query.params.get("search"),
        "sort": query.params.get("sort"),
        "seriesid": as_int("seriesid", 0),
        "waitid": as_int("waitid", 0),
        "status": as_int("status", -1),
        "forceQuery": 0,
        "cacheid": hashlib.md5(raw_query.encode("utf-8")).hexdigest(),
    }
