"""The API proper: routes under /api/3/, envelopes, sideloads, meta, and deal access modes.

Everything here assumes the request already passed auth, the rate limit and fault injection
(server.py); it only turns (path, query, options) into a Response.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from . import query as Q
from .collection_specs import SPECS, Row, Spec, deal_title
from .options import EmulatorOptions
from .responses import Response, errors, json_response, message
from .words import CURRENCIES

if TYPE_CHECKING:
    from .dataset import Dataset

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

# What GET /contacts/{id} sideloads (contact_by_id__mhenrixon-vcr), in that order.
CONTACT_SINGLE_SIDELOADS = ("contactAutomations", "contactLists", "deals", "fieldValues", "geoIps", "accountContacts")

SUB_RESOURCE_MAX_LIMIT = 1000  # the live API links /contacts/{id}/contactAutomations?limit=1000 (reference §3)


def not_found(spec: Spec, raw_id: str) -> Response:
    if spec.model is None:
        return errors(404, "Not Found")
    return message(404, f"No Result found for {spec.model} with id {raw_id}")


def forbidden_resource(collection: str) -> Response:
    return errors(403, "Forbidden", f"You do not have permission to view {collection}.")


class Api:
    def __init__(self, ds: Dataset) -> None:
        self.ds = ds

    # --- deal access ----------------------------------------------------------------------

    def _restricted_groups(self) -> frozenset[int]:
        groups = self.ds.tables["dealGroups"]
        alive = groups.alive_positions()
        # "every second pipeline by id" (INF): the 2nd, 4th, ... pipelines
        return frozenset(groups.ids[p] for i, p in enumerate(alive) if i % 2 == 1)

    def _deal_view(self, opts: EmulatorOptions, base: str) -> Any:
        """pos -> rendered deal, restricted per the access mode (reference §10).

        Only the rendering is restricted: filters and orders run on the stored columns, so a
        restricted row still matches filters[updated_after] etc. by its hidden mdate/cdate, and
        meta.total / meta.currencies count it (INF; the recording counts restricted rows)."""
        ds = self.ds
        t = ds.tables["deals"]
        mode = opts.deals_access
        restricted = self._restricted_groups() if mode == "pipeline-partial" else frozenset()
        group_col = t.cols["group"]

        def view(pos: int) -> dict[str, Any]:
            if mode == "all-restricted" or (mode == "pipeline-partial" and group_col[pos] in restricted):
                title = t.overrides.get(pos, {}).get("title") or deal_title(Row(ds, "deals", t, pos, base))
                # exactly these keys in this order (deals_partial_access__mhenrixon-vcr)
                return {"title": title, "id": str(t.ids[pos]), "isDisabled": True}
            return ds.render("deals", pos, base)

        return view

    def _renderer(self, resource: str, opts: EmulatorOptions, base: str) -> Any:
        if resource == "deals":
            return self._deal_view(opts, base)
        ds = self.ds
        return lambda pos: ds.render(resource, pos, base)

    # --- entry point -----------------------------------------------------------------------

    def handle(
        self, segments: list[str], pairs: list[tuple[str, str]], opts: EmulatorOptions, base: str, raw_query: str
    ) -> Response:
        if not segments:
            return message(404, "Not Found")
        collection = segments[0]
        if collection in opts.forbidden_resources:
            return forbidden_resource(collection)
        if collection == "users" and len(segments) == 2 and segments[1] == "me":
            return self._users_me(base)
        spec = SPECS.get(collection)
        if spec is None:
            # Unknown collection: JSON 404 (INF).
            return message(404, f"Unknown resource: {collection}")
        if collection == "deals" and opts.deals_access == "none":
            return forbidden_resource("deals")
        if len(segments) == 1:
            return self._list(spec, pairs, opts, base, raw_query)
        if len(segments) == 2:
            return self._single(spec, segments[1], opts, base)
        if len(segments) == 3 and (collection, segments[2]) in SUB_RESOURCES:
            return self._sub_list(spec, segments[1], segments[2], pairs, opts, base)
        return message(404, "Not Found")

    # --- single records ---------------------------------------------------------------------

    def _users_me(self, base: str) -> Response:
        ds = self.ds
        with ds.lock:
            users = ds.tables["users"]
            alive = users.alive_positions()
            if not alive:
                return message(404, "No Result found for User with id me")
            # The key belongs to the account owner (user 1).
            return json_response(200, {"user": ds.render("users", alive[0], base)})

    def _single(self, spec: Spec, raw_id: str, opts: EmulatorOptions, base: str) -> Response:
        ds = self.ds
        if not raw_id.isdigit():
            return not_found(spec, raw_id)
        with ds.lock:
            t = ds.tables[spec.key]
            pos = t.pos_of(int(raw_id))
            if pos is None:
                return not_found(spec, raw_id)
            record = self._renderer(spec.key, opts, base)(pos)
            body: dict[str, Any] = {}
            if spec.key == "contacts":
                for name in CONTACT_SINGLE_SIDELOADS:
                    if name == "geoIps":
                        rows: list[dict[str, Any]] = []
                    else:
                        child, col = INCLUDES["contacts"][name]
                        rows = self._children(child, col, [int(record["id"])], opts, base)
                    body[name] = rows
                    record[name] = [r["id"] for r in rows]
            elif spec.key == "dealGroups":
                body["dealStages"] = self._children("dealStages", "group", [t.ids[pos]], opts, base)
            elif spec.key == "fields":
                body["fieldOptions"] = self._children("fieldOptions", "field", [t.ids[pos]], opts, base)
                body["fieldRels"] = self._children("fieldRels", "field", [t.ids[pos]], opts, base)
            body[spec.singular] = record
            return json_response(200, body)

    def _children(
        self, child: str, column: str, parent_ids: list[int], opts: EmulatorOptions, base: str
    ) -> list[dict[str, Any]]:
        ds = self.ds
        if child == "deals" and opts.deals_access == "none":
            return []  # INF: no deals sideload without deals permission
        index = ds.tables[child].group_index(column)
        render = self._renderer(child, opts, base)
        return [render(p) for pid in parent_ids for p in index.get(pid, [])]

    # --- lists -------------------------------------------------------------------------------

    def _list(
        self, spec: Spec, pairs: list[tuple[str, str]], opts: EmulatorOptions, base: str, raw_query: str
    ) -> Response:
        ds = self.ds
        try:
            q = Q.parse(spec, pairs)
            with ds.lock:
                result = Q.run(ds, spec, q)
                render = self._renderer(spec.key, opts, base)
                records = [render(p) for p in result.positions]
                body: dict[str, Any] = {}
                self._sideloads(spec, q, records, result.positions, body, opts, base)
                body[spec.key] = records
                meta = self._meta(spec, q, result, records, raw_query)
        except Q.QueryError as e:
            return json_response(e.status, e.body)
        if meta is not None:
            body["meta"] = meta
        return json_response(200, body, is_list=True)

    def _sideloads(
        self,
        spec: Spec,
        q: Q.ListQuery,
        records: list[dict[str, Any]],
        positions: list[int],
        body: dict[str, Any],
        opts: EmulatorOptions,
        base: str,
    ) -> None:
        ds = self.ds
        page_ids = [ds.tables[spec.key].ids[p] for p in positions]
        if spec.key == "contacts":
            body["scoreValues"] = []
        if spec.key == "dealGroups":
            body["dealStages"] = self._children("dealStages", "group", page_ids, opts, base)
        if spec.key == "fields":
            body["fieldOptions"] = self._children("fieldOptions", "field", page_ids, opts, base)
            body["fieldRels"] = self._children("fieldRels", "field", page_ids, opts, base)
        known = INCLUDES.get(spec.key, {})
        for name in q.includes:
            # Dotted (nested) and unknown include names are ignored (INF).
            if name not in known:
                continue
            child, col = known[name]
            index = ds.tables[child].group_index(col)
            render = self._renderer(child, opts, base)
            rows: list[dict[str, Any]] = []
            for rec, pid in zip(records, page_ids, strict=True):
                if rec.get("isDisabled") is True:
                    continue  # restricted deals carry no relations (INF)
                kids = (
                    [render(p) for p in index.get(pid, [])]
                    if not (child == "deals" and opts.deals_access == "none")
                    else []
                )
                rec[name] = [k["id"] for k in kids]
                rows.extend(kids)
            body[name] = rows

    def _meta(
        self, spec: Spec, q: Q.ListQuery, result: Q.Result, records: list[dict[str, Any]], raw_query: str
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

            def as_int(name: str, default: int) -> int:
                try:
                    return int(q.params.get(name, default))
                except (TypeError, ValueError):
                    return default

            meta["sortable"] = True
            meta["page_input"] = {
                "segmentid": as_int("segmentid", 0),
                "formid": as_int("formid", 0),
                "listid": as_int("listid", 0),
                "tagid": as_int("tagid", 0),
                "limit": q.limit,
                "offset": q.offset,
                "search": q.params.get("search"),
                "sort": q.params.get("sort"),
                "seriesid": as_int("seriesid", 0),
                "waitid": as_int("waitid", 0),
                "status": as_int("status", -1),
                "forceQuery": 0,
                "cacheid": hashlib.md5(raw_query.encode("utf-8")).hexdigest(),
            }
        elif kind == "fields":
            meta["selected"] = None
        elif kind == "automations":
            meta["starts"] = [{"id": str(i + 1), "series": r["id"], "type": "subscribe"} for i, r in enumerate(records)]
            meta["filtered"] = False
            meta["smsLogs"] = []
        elif kind == "contactAutomations":
            meta["showcase_stats"] = []
        return meta

    def _currencies(self, result: Q.Result) -> Any:
        """meta.currencies over every matching deal, restricted ones included (the recording counts
        all 11); `[]` when nothing matches (deals_empty__mhenrixon-vcr)."""
        cache = Q.ds_cache(self.ds)
        cache_key = ("__currencies__", result.key, result.start, result.end)
        cached = cache.get(cache_key)
        if cached is not None:
            return cached
        t = self.ds.tables["deals"]
        cur, val = t.cols["currency"], t.cols["value"]
        sums: dict[str, list[int]] = {}
        for p in result.matched():
            code = CURRENCIES[cur[p] % len(CURRENCIES)].upper()
            s = sums.get(code)
            if s is None:
                sums[code] = [1, val[p]]
            else:
                s[0] += 1
                s[1] += val[p]
        out: Any = (
            {
                code: {"total": str(n), "value": str(v), "currency": code, "isDisabled": False}
                for code, (n, v) in sorted(sums.items())
            }
            if sums
            else []
        )
        cache.put(cache_key, out)
        return out

    def _sub_list(
        self, spec: Spec, raw_id: str, sub: str, pairs: list[tuple[str, str]], opts: EmulatorOptions, base: str
    ) -> Response:
        """Per-parent lists such as /campaigns/{id}/links: all rows in id order and no meta.

        Without `limit` every row comes back; with it, limit/offset apply up to 1000 (INF)."""
        ds = self.ds
        child, col, envelope = SUB_RESOURCES[(spec.key, sub)]
        if child in opts.forbidden_resources:
            return forbidden_resource(child)
        if child == "deals" and opts.deals_access == "none":
            return forbidden_resource("deals")
        params = dict(pairs)
        try:
            limit = int(params["limit"]) if "limit" in params else None
            offset = max(0, int(params.get("offset", 0)))
        except ValueError:
            return json_response(
                422,
                {
                    "errors": [
                        {
                            "status": 422,
                            "title": "Invalid attribute",
                            "detail": "limit and offset must be integers",
                            "code": "invalid",
                            "source": {"pointer": "/limit"},
                        }
                    ]
                },
            )
        if not raw_id.isdigit():
            return not_found(spec, raw_id)
        with ds.lock:
            if ds.tables[spec.key].pos_of(int(raw_id)) is None:
                return not_found(spec, raw_id)
            positions = ds.tables[child].group_index(col).get(int(raw_id), [])
            if limit is not None:
                limit = max(1, min(limit, SUB_RESOURCE_MAX_LIMIT))
                positions = positions[offset : offset + limit]
            else:
                positions = positions[offset:]
            render = self._renderer(child, opts, base)
            rows = [render(p) for p in positions]
        return json_response(200, {envelope: rows}, is_list=True)
