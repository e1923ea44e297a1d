"""Deterministic seeding of every table from (contacts, seed, clock).

Only columns are produced here (ids, create/update epochs, foreign keys, small codes); record
bodies come from collection_specs.py. Proportions follow a typical account: deals N/4, contactLists
~1.2 N, contactTags ~1.5 N, fieldValues ~2 N and so on, with a floor so that every resource has
rows even for N = 20. Ids have occasional gaps (deleted rows in a real account, reference §7).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from .dates import ACCOUNT_TZ, NULL, local_epoch, now_epoch
from .rng import name_key
from .table import Table

DEFAULT_START = local_epoch(2019, 1, 1)
DEFAULT_END = local_epoch(2025, 6, 30, 23, 59, 59)
# Rows created before this carry MySQL zero dates where newer rows carry null (reference §6, form 7).
DEFAULT_ZERO_DATE_CUTOFF = local_epoch(2021, 1, 1)

DataUntil = str | date | datetime | None


@dataclass(frozen=True)
class SeedClock:
    """The time range the seeded data spans.

    By default 2019-01-01 .. 2025-06-30 (account time). `SeedClock.until(x)` keeps that length but
    ends at `x`: every seeded date (and the zero-date cutoff) moves by the same `shift` seconds, so
    an account synced up to today can be emulated; the data is otherwise identical.
    """

    shift: int = 0

    @classmethod
    def until(cls, data_until: DataUntil) -> SeedClock:
        """None: the default range. "now", "YYYY-MM-DD" (to the end of that day, account time), a
        date, or a datetime (naive = account time)."""
        if data_until is None:
            return cls()
        if isinstance(data_until, str):
            text = data_until.strip()
            if text.lower() == "now":
                return cls(now_epoch() - DEFAULT_END)
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                raise ValueError(f"data_until must be YYYY-MM-DD or 'now', not {data_until!r}")
            data_until = date.fromisoformat(text)
        if isinstance(data_until, datetime):
            aware = data_until if data_until.tzinfo else data_until.replace(tzinfo=ACCOUNT_TZ)
            return cls(int(aware.timestamp()) - DEFAULT_END)
        if isinstance(data_until, date):
            d = data_until
            return cls(local_epoch(d.year, d.month, d.day, 23, 59, 59) - DEFAULT_END)
        raise TypeError(f"data_until must be None, 'now', 'YYYY-MM-DD', a date or a datetime, not {data_until!r}")

    @property
    def start(self) -> int:
        return DEFAULT_START + self.shift

    @property
    def end(self) -> int:
        return DEFAULT_END + self.shift

    @property
    def span(self) -> int:
        return DEFAULT_END - DEFAULT_START

    @property
    def zero_date_cutoff(self) -> int:
        return DEFAULT_ZERO_DATE_CUTOFF + self.shift


# Fixed small catalogues: their sizes are referenced by collection_specs.py.
FIELD_TYPES: tuple[str, ...] = ("text", "textarea", "date", "dropdown", "radio", "checkbox", "datetime", "hidden")
OPTION_FIELD_TYPES = frozenset({"dropdown", "radio", "checkbox"})
DEAL_FIELD_TYPES: tuple[str, ...] = ("date", "text", "dropdown", "currency", "number")
ACCOUNT_FIELD_TYPES: tuple[str, ...] = ("text", "multiselect", "number")
N_USERS = 4
N_GROUPS = 3
N_AUTOMATIONS = 6

# (table, column) -> parent table, for columns that are plain foreign keys. Used to pick parents of
# inserted rows; seeding sets them explicitly.
FK_PARENTS: dict[tuple[str, str], str] = {
    ("deals", "contact"): "contacts",
    ("deals", "owner"): "users",
    ("deals", "account"): "accounts",
    ("dealStages", "group"): "dealGroups",
    ("accountContacts", "account"): "accounts",
    ("accountContacts", "contact"): "contacts",
    ("contactTags", "contact"): "contacts",
    ("contactTags", "tag"): "tags",
    ("fieldOptions", "field"): "fields",
    ("fieldRels", "field"): "fields",
    ("fieldValues", "contact"): "contacts",
    ("fieldValues", "field"): "fields",
    ("campaigns", "message"): "messages",
    ("links", "campaign"): "campaigns",
    ("links", "message"): "messages",
    ("dealTasks", "tasktype"): "dealTasktypes",
    ("dealTasks", "user"): "users",
    ("dealTasks", "assignee"): "users",
    ("contactAutomations", "contact"): "contacts",
    ("contactAutomations", "automation"): "automations",
    ("contactLists", "contact"): "contacts",
    ("contactLists", "list"): "lists",
    ("contactDeals", "contact"): "contacts",
    ("contactDeals", "deal"): "deals",
    ("dealCustomFieldData", "dealId"): "deals",
    ("dealCustomFieldData", "customFieldId"): "dealCustomFieldMeta",
    ("accountCustomFieldData", "accountId"): "accounts",
    ("accountCustomFieldData", "customFieldId"): "accountCustomFieldMeta",
    ("dealActivities", "deal"): "deals",
    ("dealActivities", "user"): "users",
    ("ecomCustomers", "contact"): "contacts",
    ("ecomCustomers", "connection"): "connections",
    ("ecomOrders", "customer"): "ecomCustomers",
    ("ecomOrders", "connection"): "connections",
    ("ecomOrderProducts", "orderid"): "ecomOrders",
    ("notes", "user"): "users",
}

TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "contacts": (),
    "deals": ("contact", "group", "stage", "owner", "status", "value", "currency", "account"),
    "dealGroups": ("currency",),
    "dealStages": ("group", "order"),
    "accounts": (),
    "accountContacts": ("account", "contact"),
    "lists": (),
    "tags": (),
    "contactTags": ("contact", "tag"),
    "fields": ("type",),
    "fieldOptions": ("field", "order"),
    "fieldRels": ("field",),
    "fieldValues": ("contact", "field"),
    "campaigns": ("message",),
    "messages": (),
    "links": ("campaign", "message"),
    "forms": (),
    "segments": (),
    "notes": ("relid", "reltype", "user"),
    "dealTasks": ("relid", "reltype", "tasktype", "user", "assignee"),
    "dealTasktypes": (),
    "taskOutcomes": (),
    "automations": (),
    "contactAutomations": ("contact", "automation"),
    "contactLists": ("contact", "list", "status"),
    "contactDeals": ("contact", "deal"),
    "users": (),
    "groups": (),
    "webhooks": (),
    "addresses": (),
    "brandings": (),
    "calendars": (),
    "scores": (),
    "savedResponses": (),
    "templates": (),
    "dealCustomFieldMeta": ("type",),
    "dealCustomFieldData": ("dealId", "customFieldId"),
    "accountCustomFieldMeta": ("type",),
    "accountCustomFieldData": ("accountId", "customFieldId"),
    "dealActivities": ("deal", "stage", "user"),
    "dealRoles": (),
    "connections": (),
    "ecomCustomers": ("contact", "connection"),
    "ecomOrders": ("customer", "connection"),
    "ecomOrderProducts": ("orderid",),
}

# notes / dealTasks `reltype` codes
REL_DEAL = 1
REL_CONTACT = 2


class _Ids:
    """Ascending ids with occasional gaps, like a real account after deletes."""

    def __init__(self, rng: random.Random, start: int = 1, gap_rate: float = 0.03) -> None:
        self._rng = rng
        self._next = start
        self._gap_rate = gap_rate

    def __call__(self) -> int:
        value = self._next
        r = self._rng.random()
        self._next += 1 + (int(r * 100) % 4 + 1 if r < self._gap_rate else 0)
        return value


def _rng(seed: int, resource: str) -> random.Random:
    return random.Random((seed << 32) ^ name_key(resource))


def build_tables(contacts: int, seed: int, clock: SeedClock | None = None) -> dict[str, Table]:
    if contacts < 1:
        raise ValueError("contacts must be >= 1")
    n = contacts
    clock = clock or SeedClock()
    start, end, span = clock.start, clock.end, clock.span

    def _later(rng: random.Random, t: int) -> int:
        """An update time at or after `t`: often equal, usually soon, sometimes much later."""
        r = rng.random()
        if r < 0.35 or t >= end:
            return t
        return t + int((end - t) * (r - 0.35) ** 3 / 0.274625)

    def _near(rng: random.Random, t: int, days: int = 30) -> int:
        return min(end, t + int(rng.random() * days * 86400))

    t: dict[str, Table] = {name: Table(name, cols) for name, cols in TABLE_COLUMNS.items()}

    def settings(
        name: str, count: int, first_id: int = 1, created_null: Callable[[int], bool] = lambda i: False
    ) -> None:
        """Small catalogue tables: created in the account's first months, edited later."""
        rng = _rng(seed, name)
        ids = _Ids(rng, first_id, gap_rate=0.0)
        tab = t[name]
        for i in range(count):
            c = start + int(rng.random() * 180 * 86400)
            if created_null(i):
                tab.append(ids(), NULL, NULL)
            else:
                tab.append(ids(), c, _later(rng, c))

    # --- users, groups and other settings -------------------------------------------------
    # User 1 is the account owner: null cdate/udate (reference §6 form 7).
    settings("users", N_USERS, created_null=lambda i: i == 0)
    settings("groups", N_GROUPS)
    settings("webhooks", 3)
    settings("addresses", 2)
    settings("brandings", 1)
    settings("calendars", 2)
    settings("scores", 3)
    settings("savedResponses", 3)
    settings("templates", 5)
    settings("forms", 5)
    settings("segments", 5)
    settings("automations", N_AUTOMATIONS)
    # Default task types come with the account and have null dates (dealTasktypes__acdocs).
    settings("dealTasktypes", 4, created_null=lambda i: True)
    settings("taskOutcomes", 4)
    settings("dealRoles", 3)
    settings("connections", 2)
    settings("accountCustomFieldMeta", len(ACCOUNT_FIELD_TYPES))
    for i in range(len(ACCOUNT_FIELD_TYPES)):
        t["accountCustomFieldMeta"].cols["type"][i] = i
    settings("dealCustomFieldMeta", len(DEAL_FIELD_TYPES))
    for i in range(len(DEAL_FIELD_TYPES)):
        t["dealCustomFieldMeta"].cols["type"][i] = i

    # --- contact custom fields -----------------------------------------------------------
    rng = _rng(seed, "fields")
    fields, options, rels = t["fields"], t["fieldOptions"], t["fieldRels"]
    fid, oid, rid = _Ids(rng, 1, 0.2), _Ids(rng, 1, 0.1), _Ids(rng, 1, 0.1)
    for type_index, field_type in enumerate(FIELD_TYPES):
        c = start + int(rng.random() * 90 * 86400)
        f = fid()
        fields.append(f, c, _later(rng, c), type=type_index)
        rels.append(rid(), c, c, field=f)
        if field_type in OPTION_FIELD_TYPES:
            for order in range(3 + int(rng.random() * 2)):
                options.append(oid(), c, c, field=f, order=order)
    field_ids = list(fields.ids)

    # --- lists, tags, pipelines, stages --------------------------------------------------
    settings("lists", max(3, n // 500))
    settings("tags", n // 100 + 5)
    list_ids, tag_ids = list(t["lists"].ids), list(t["tags"].ids)

    rng = _rng(seed, "dealGroups")
    groups, stages = t["dealGroups"], t["dealStages"]
    gid, sid = _Ids(rng, 1, 0.1), _Ids(rng, 1, 0.05)
    stages_of: dict[int, list[int]] = {}
    for p in range(3 + n // 5000):
        c = start + int(rng.random() * span * 0.5)
        g = gid()
        groups.append(g, c, _later(rng, c), currency=0 if p % 3 else 1)
        stage_list: list[int] = []
        for order in range(4 + int(rng.random() * 3)):
            s = sid()
            # The first pipeline's stages are the account defaults: null dates (reference §13).
            if p == 0:
                stages.append(s, NULL, NULL, group=g, order=order)
            else:
                stages.append(s, c, _later(rng, c), group=g, order=order)
            stage_list.append(s)
        stages_of[g] = stage_list
    group_ids = list(groups.ids)
    group_currency = {g: groups.cols["currency"][i] for i, g in enumerate(group_ids)}

    # --- contacts and their child rows ----------------------------------------------------
    rng = _rng(seed, "contacts")
    contacts_t = t["contacts"]
    cid = _Ids(rng, 1)
    c_lists, c_tags, c_fv, c_auto = t["contactLists"], t["contactTags"], t["fieldValues"], t["contactAutomations"]
    cl_id, ct_id, fv_id, ca_id = _Ids(rng), _Ids(rng), _Ids(rng), _Ids(rng)
    rnd = rng.random
    n_lists, n_tags, n_fields = len(list_ids), len(tag_ids), len(field_ids)
    step = span / n
    for i in range(n):
        c = start + int((i + rnd()) * step)
        u = _later(rng, c)
        contact = cid()
        contacts_t.append(contact, c, u)
        # list memberships: 1, sometimes 2 (~1.2 per contact)
        first_list = int(rnd() * n_lists)
        for k in range(2 if rnd() < 0.2 else 1):
            r = rnd()
            status = 1 if r < 0.75 else (2 if r < 0.9 else (0 if r < 0.95 else 3))
            lc = _near(rng, c, 2)
            c_lists.append(
                cl_id(),
                lc,
                max(lc, u if rnd() < 0.5 else lc),
                contact=contact,
                list=list_ids[(first_list + k) % n_lists],
                status=status,
            )
        # tags: 0..3 (~1.5 per contact)
        r = rnd()
        n_ct = 0 if r < 0.15 else (1 if r < 0.5 else (2 if r < 0.85 else 3))
        first_tag = int(rnd() * n_tags)
        for k in range(n_ct):
            tc = _near(rng, c, 60)
            c_tags.append(ct_id(), tc, tc, contact=contact, tag=tag_ids[(first_tag + k * 7) % n_tags])
        # custom field values: each field with p = 1/4 (~2 per contact)
        for f in range(n_fields):
            if rnd() < 0.25:
                fc = _near(rng, c, 1)
                c_fv.append(fv_id(), fc, max(fc, u if rnd() < 0.3 else fc), contact=contact, field=field_ids[f])
        if rnd() < 0.5:
            ac = _near(rng, c, 90)
            c_auto.append(
                ca_id(),
                ac,
                _near(rng, ac, 20),
                contact=contact,
                automation=t["automations"].ids[int(rnd() * N_AUTOMATIONS)],
            )
    contact_ids = contacts_t.ids
    n_contacts = len(contact_ids)

    def any_contact(r: float) -> int:
        return contact_ids[int(r * n_contacts)]

    # --- accounts --------------------------------------------------------------------------
    rng = _rng(seed, "accounts")
    accounts = t["accounts"]
    aid = _Ids(rng)
    n_accounts = max(1, n // 20)
    for i in range(n_accounts):
        c = start + int((i + rng.random()) * span / n_accounts)
        accounts.append(aid(), c, _later(rng, c))
    account_ids = accounts.ids
    acc_c = t["accountContacts"]
    acid = _Ids(rng)
    n_ac = max(2, n // 10)
    for i in range(n_ac):
        c = start + int((i + rng.random()) * span / n_ac)
        acc_c.append(
            acid(),
            c,
            _later(rng, c),
            account=account_ids[int(rng.random() * n_accounts)],
            contact=any_contact(rng.random()),
        )
    acfd = t["accountCustomFieldData"]
    acfd_id = _Ids(rng)
    meta_ids = list(t["accountCustomFieldMeta"].ids)
    for pos in range(n_accounts):
        c0 = accounts.created[pos]
        for m in meta_ids:
            if rng.random() < 0.5:
                c = _near(rng, c0, 10)
                acfd.append(acfd_id(), c, _later(rng, c), accountId=account_ids[pos], customFieldId=m)

    # --- deals and their child rows ---------------------------------------------------------
    rng = _rng(seed, "deals")
    rnd = rng.random
    deals = t["deals"]
    did = _Ids(rng)
    n_deals = max(2, n // 4)
    user_ids = list(t["users"].ids)
    activities, dcfd, contact_deals = t["dealActivities"], t["dealCustomFieldData"], t["contactDeals"]
    da_id, dcfd_id = _Ids(rng), _Ids(rng)
    dmeta_ids = list(t["dealCustomFieldMeta"].ids)
    for i in range(n_deals):
        c = start + int((i + rnd()) * span / n_deals)
        m = _later(rng, c)
        g = group_ids[int(rnd() * len(group_ids))]
        stage_list = stages_of[g]
        st = stage_list[int(rnd() * len(stage_list))]
        r = rnd()
        status = 0 if r < 0.6 else (1 if r < 0.85 else 2)
        value = int(rnd() * rnd() * 5_000_000)
        account = account_ids[int(rnd() * n_accounts)] if rnd() < 0.6 else 0
        deal = did()
        deals.append(
            deal,
            c,
            m,
            contact=any_contact(rnd()),
            group=g,
            stage=st,
            owner=user_ids[int(rnd() * len(user_ids))],
            status=status,
            value=value,
            currency=group_currency[g],
            account=account,
        )
        for k in range(1 + int(rnd() * 5)):
            ac = c if k == 0 else _near(rng, c, 120)
            activities.append(
                da_id(), ac, ac, deal=deal, stage=st if k else 0, user=user_ids[int(rnd() * len(user_ids))]
            )
        for meta in dmeta_ids:
            if rnd() < 0.3:
                dc = _near(rng, c, 5)
                dcfd.append(dcfd_id(), dc, max(dc, m if rnd() < 0.4 else dc), dealId=deal, customFieldId=meta)
    deal_ids = deals.ids

    cd_id = _Ids(rng)
    for _ in range(max(2, n // 20)):
        pos = int(rnd() * len(deal_ids))
        c = _near(rng, deals.created[pos], 10)
        contact_deals.append(cd_id(), c, c, contact=any_contact(rnd()), deal=deal_ids[pos])

    rng = _rng(seed, "notes")
    notes = t["notes"]
    nid = _Ids(rng)
    n_notes = max(2, n // 10)
    for i in range(n_notes):
        c = start + int((i + rng.random()) * span / n_notes)
        is_deal = rng.random() < 0.5
        relid = deal_ids[int(rng.random() * len(deal_ids))] if is_deal else any_contact(rng.random())
        notes.append(
            nid(),
            c,
            _later(rng, c),
            relid=relid,
            reltype=REL_DEAL if is_deal else REL_CONTACT,
            user=user_ids[int(rng.random() * len(user_ids))],
        )

    rng = _rng(seed, "dealTasks")
    tasks = t["dealTasks"]
    tid = _Ids(rng)
    tasktype_ids = list(t["dealTasktypes"].ids)
    n_tasks = max(2, n // 10)
    for i in range(n_tasks):
        c = start + int((i + rng.random()) * span / n_tasks)
        is_deal = rng.random() < 0.7
        relid = deal_ids[int(rng.random() * len(deal_ids))] if is_deal else any_contact(rng.random())
        tasks.append(
            tid(),
            c,
            _later(rng, c),
            relid=relid,
            reltype=REL_DEAL if is_deal else REL_CONTACT,
            tasktype=tasktype_ids[int(rng.random() * len(tasktype_ids))],
            user=user_ids[int(rng.random() * len(user_ids))],
            assignee=user_ids[int(rng.random() * len(user_ids))],
        )

    # --- campaigns, messages, links ----------------------------------------------------------
    rng = _rng(seed, "campaigns")
    n_campaigns = n // 200 + 3
    messages, campaigns, links = t["messages"], t["campaigns"], t["links"]
    mid, cmp_id, lid = _Ids(rng), _Ids(rng), _Ids(rng)
    for i in range(n_campaigns + 2):
        c = start + int((i + rng.random()) * span / (n_campaigns + 2))
        messages.append(mid(), c, _later(rng, c))
    message_ids = messages.ids
    for i in range(n_campaigns):
        c = messages.created[i]
        camp = cmp_id()
        campaigns.append(camp, c, _later(rng, c), message=message_ids[i])
        for k in range(2 + int(rng.random() * 3)):
            # the read tracker is not tied to a message (campaign_links__acdocs: messageid "0")
            links.append(lid(), c, c, campaign=camp, message=message_ids[i] if k else 0)

    # --- e-commerce ------------------------------------------------------------------------------
    rng = _rng(seed, "ecom")
    connection_ids = list(t["connections"].ids)
    customers, orders, products = t["ecomCustomers"], t["ecomOrders"], t["ecomOrderProducts"]
    ecid, eoid, epid = _Ids(rng), _Ids(rng), _Ids(rng)
    n_customers = max(2, n // 10)
    for i in range(n_customers):
        c = start + int((i + rng.random()) * span / n_customers)
        customers.append(
            ecid(),
            c,
            _later(rng, c),
            contact=any_contact(rng.random()),
            connection=connection_ids[int(rng.random() * len(connection_ids))],
        )
    customer_ids = customers.ids
    n_orders = max(2, n // 5)
    for i in range(n_orders):
        c = start + int((i + rng.random()) * span / n_orders)
        cpos = int(rng.random() * n_customers)
        order = eoid()
        u = _later(rng, c)
        orders.append(order, c, u, customer=customer_ids[cpos], connection=customers.cols["connection"][cpos])
        for _ in range(1 + int(rng.random() * 3)):
            products.append(epid(), c, u, orderid=order)

    for table in t.values():
        table.bump_struct()
    return t
