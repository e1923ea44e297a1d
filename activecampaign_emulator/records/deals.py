"""Record shapes of the deals side: deals, pipelines, stages, tasks, notes, activities, custom fields."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .. import words as W
from ..dates import ZERO_DATETIME, date_only, iso, naive, utc
from ..rng import RowRng, row_seed
from ..seeding import ACCOUNT_FIELD_TYPES, DEAL_FIELD_TYPES, REL_DEAL
from .common import Row, sentence, sid

if TYPE_CHECKING:
    from ..dataset import Dataset


DEAL_LINKS = (
    "dealActivities",
    "contact",
    "contactDeals",
    "group",
    "nextTask",
    "notes",
    "account",
    "customerAccount",
    "organization",
    "owner",
    "scoreValues",
    "stage",
    "tasks",
    "dealCustomFieldData",
)


def deal_title(r: Row) -> str:
    rng = RowRng(row_seed(r.ds.seed, "deals", r.id) ^ 0x2)
    return f"{rng.choice(W.COMPANY_WORDS)} – {rng.choice(W.WORDS)} {rng.choice(W.WORDS)}"


def deal(r: Row) -> dict[str, Any]:
    rng = r.rng
    c, m = r.created, r.updated
    status = r.col("status")
    account = r.ref("account")
    win = rng.below(101) if rng.chance(0.4) else None
    tasks = r.ds.tables["dealTasks"]
    next_task = next(
        (p for p in tasks.group_index("relid").get(r.id, []) if tasks.cols["reltype"][p] == REL_DEAL), None
    )
    if status:
        edate: str | None = naive(m)
    else:
        edate = ZERO_DATETIME if r.old and rng.chance(0.5) else None
    record: dict[str, Any] = {
        "hash": rng.hex(8),
        "owner": r.ref("owner"),
        "contact": r.ref("contact"),
        "organization": account,
        "group": r.ref("group"),
        "stage": r.ref("stage"),
        "title": deal_title(r),
        "description": rng.choice(("", sentence(rng, 6), "Renewal – see notes ✅")),
        "percent": str(rng.choice((0, 0, 10, 50, 90))),
        "cdate": iso(c),
        "mdate": iso(m),
        "nextdate": iso(tasks.created[next_task] + 86400) if next_task is not None else None,
        "nexttaskid": str(tasks.ids[next_task]) if next_task is not None else None,
        "value": str(r.col("value")),
        "currency": W.CURRENCIES[r.col("currency") % len(W.CURRENCIES)],
        "winProbability": win,
        "winProbabilityMdate": iso(m) if win is not None else None,
        "status": str(status),
        "activitycount": str(1 + rng.below(12)),
        "nextdealid": sid(r.id),
        "edate": edate,
        "links": r.links(*DEAL_LINKS),
        "id": sid(r.id),
        "isDisabled": False,
        "account": account,
        "customerAccount": account,
    }
    if next_task is not None:
        # Only deals with a pending task carry `nextTask` (deals__acdocs, contact_deals__varunraja-jest).
        out: dict[str, Any] = {}
        for k, v in record.items():
            out[k] = v
            if k == "isDisabled":
                out["nextTask"] = str(tasks.ids[next_task])
        record = out
    return record


def deal_group(r: Row) -> dict[str, Any]:
    stages = r.ds.tables["dealStages"]
    stage_ids = [str(stages.ids[p]) for p in stages.group_index("group").get(r.id, [])]
    names = W.PIPELINE_NAMES
    title = names[r.pos % len(names)] + (f" {r.pos // len(names) + 1}" if r.pos >= len(names) else "")
    return {
        "title": title,
        "currency": W.CURRENCIES[r.col("currency") % len(W.CURRENCIES)],
        "autoassign": "1",
        "allusers": "1" if r.pos % 2 == 0 else "0",
        "allgroups": "1",
        "win_probability_initialize_date": None,
        "cdate": iso(r.created),
        "udate": iso(r.updated),
        "stages": stage_ids,
        "links": r.links("stages", "dealGroupUsers", "dealGroupGroups", "winProbabilityFeatures"),
        "id": sid(r.id),
    }


def deal_stage(r: Row) -> dict[str, Any]:
    order = r.col("order")
    return {
        "group": r.ref("group"),
        "title": W.STAGE_NAMES[order % len(W.STAGE_NAMES)],
        "color": W.STAGE_COLORS[order % len(W.STAGE_COLORS)],
        "order": str(order + 1),
        "width": "280",
        "dealOrder": "next-action DESC",
        "cardRegion1": "title",
        "cardRegion2": "next-action",
        "cardRegion3": "show-avatar",
        "cardRegion4": "contact-fullname-orgname",
        "cardRegion5": "value",
        "cdate": iso(r.created),
        "udate": iso(r.updated),
        "links": r.links("group"),
        "id": sid(r.id),
    }


def note(r: Row) -> dict[str, Any]:
    is_deal = r.col("reltype") == REL_DEAL
    relid = str(r.col("relid"))
    user = r.ref("user")
    return {
        "relid": relid,
        "reltype": "Deal" if is_deal else "Subscriber",
        "userid": user or "0",
        "is_draft": "0",
        "cdate": iso(r.created),
        "mdate": iso(r.updated),
        "note": r.rng.choice(
            (
                "Called, no answer.",
                "Rappeler lundi 📞",
                "Sent the proposal.",
                "見積もり送付済み",
                "Budget approved ✅",
                "",
            )
        ),
        "links": r.links("activities", "user", "mentions", "notes", "owner"),
        "id": sid(r.id),
        "user": user,
        "owner": {"type": "deal" if is_deal else "contact", "id": relid},
    }


def deal_task(r: Row) -> dict[str, Any]:
    rng = r.rng
    is_deal = r.col("reltype") == REL_DEAL
    relid = str(r.col("relid"))
    due = r.created + rng.between(1, 30) * 86400
    status = 1 if rng.chance(0.5) else 0
    return {
        "id": sid(r.id),
        "duedate": iso(due),
        "edate": iso(due + 900),
        "status": status,
        "title": rng.choice((None, "Follow up", "Rückruf", "Send contract ✍️")),
        "note": rng.choice(("", "Discuss pricing", "Préparer la démo")),
        "relid": relid,
        "reltype": "Deal" if is_deal else "Subscriber",
        "dealTasktype": r.ref("tasktype"),
        "cdate": iso(r.created),
        "udate": iso(r.updated),
        "automation": None,
        "doneAutomation": None,
        "user": r.ref("user"),
        "assignee": r.ref("assignee"),
        "owner": {"type": "deal" if is_deal else "contact", "id": relid},
        "outcomeId": (1 + rng.below(3)) if status else None,
        "outcomeInfo": None,
        "links": r.links(
            "activities",
            "automation",
            "dealTasktype",
            "doneAutomation",
            "notes",
            "owner",
            "taskNotifications",
            "user",
            "assignee",
        ),
    }


def deal_tasktype(r: Row) -> dict[str, Any]:
    titles = ("Call", "Email", "Meeting", "To-do")
    return {
        "cdate": iso(r.created),
        "defduration": "0",
        "id": sid(r.id),
        "links": [],
        "status": "0",
        "title": titles[r.pos % len(titles)] if r.pos < len(titles) else f"Type {r.pos + 1}",
        "udate": iso(r.updated),
    }


def task_outcome(r: Row) -> dict[str, Any]:
    defs = (
        ("Interested", "POSITIVE"),
        ("Not interested", "NEGATIVE"),
        ("Left a voicemail", "NEUTRAL"),
        ("Rappel prévu", "NEUTRAL"),
    )
    title, sentiment = defs[r.pos % len(defs)]
    return {
        "title": title,
        "sentiment": sentiment,
        "disabled": "1" if r.pos == 3 else "0",
        "created_by": "1",
        "updated_by": "1",
        # ISO with offset here, not naive, per the docs example (reference §6 traps).
        "created_utc_timestamp": iso(r.created),
        "updated_utc_timestamp": iso(r.updated),
        "dealTasktype_ids": [],
        "links": r.links("tasktypeOutcomeRels", "dealTasks"),
        "id": sid(r.id),
    }


def contact_deal(r: Row) -> dict[str, Any]:
    return {
        "deal": r.ref("deal"),
        "contact": r.ref("contact"),
        "cdate": iso(r.created),
        "links": r.links("deal", "contact"),
        "id": sid(r.id),
    }


DEAL_FIELD_DEFS = {
    "date": ("Forecasted Close Date", "DEAL_FORECASTED_CLOSE_DATE", 13),
    "text": ("Competitor", "DEAL_COMPETITOR", None),
    "dropdown": ("Product Line", "DEAL_PRODUCT_LINE", None),
    "currency": ("Setup Fee", "DEAL_SETUP_FEE", None),
    "number": ("Seats", "DEAL_SEATS", None),
}


ACCOUNT_FIELD_DEFS = {
    "text": ("Industry", "ACCOUNT_INDUSTRY"),
    "multiselect": ("Regions", "ACCOUNT_REGIONS"),
    "number": ("Employees", "ACCOUNT_EMPLOYEES"),
}


DROPDOWN_VALUES = ["Basic", "Pro", "Enterprise"]


REGION_VALUES = ["EMEA", "APAC", "AMER"]


def _custom_meta(
    r: Row,
    ftype: str,
    label: str,
    perstag: str,
    known: int | None,
    stamp: Callable[[int], str | None],
    options: list[str] | None,
    link: str,
) -> dict[str, Any]:
    return {
        "id": sid(r.id),
        "fieldLabel": label,
        "fieldType": ftype,
        "fieldOptions": options,
        # string or null, as recorded live (dealCustomFieldMeta_by_id__mhenrixon-vcr); the docs show int 1.
        "fieldDefault": options[0] if options else None,
        "fieldDefaultCurrency": "usd" if ftype == "currency" else None,
        "isFormVisible": 1 if r.pos % 2 else 0,
        "isRequired": 0,
        "displayOrder": r.pos + 1,
        "personalization": perstag,
        "knownFieldId": known,
        "hideFieldFlag": 0,
        "createdTimestamp": stamp(r.created),
        "updatedTimestamp": stamp(r.updated),
        "links": r.links(link),
    }


def deal_custom_field_meta(r: Row) -> dict[str, Any]:
    ftype = DEAL_FIELD_TYPES[r.col("type") % len(DEAL_FIELD_TYPES)]
    label, perstag, known = DEAL_FIELD_DEFS[ftype]
    # +00:00 timestamps on deal custom fields (reference §6 form 3, live)
    return _custom_meta(
        r,
        ftype,
        label,
        perstag,
        known,
        utc,
        list(DROPDOWN_VALUES) if ftype == "dropdown" else None,
        "dealCustomFieldData",
    )


def account_custom_field_meta(r: Row) -> dict[str, Any]:
    ftype = ACCOUNT_FIELD_TYPES[r.col("type") % len(ACCOUNT_FIELD_TYPES)]
    label, perstag = ACCOUNT_FIELD_DEFS[ftype]
    # naive timestamps on account custom fields (accountCustomFieldMeta__acdocs)
    return _custom_meta(
        r,
        ftype,
        label,
        perstag,
        None,
        naive,
        list(REGION_VALUES) if ftype == "multiselect" else None,
        "accountCustomFieldData",
    )


def _custom_value(rng: RowRng, ftype: str, created: int) -> str:
    if ftype == "date":
        return date_only(created + rng.below(180) * 86400) or ""
    if ftype == "dropdown":
        return rng.choice(DROPDOWN_VALUES)
    if ftype == "multiselect":
        return "||" + "||".join(REGION_VALUES[: 1 + rng.below(3)]) + "||"
    if ftype == "currency":
        return f"{rng.below(5000)}.{rng.below(100):02d}"
    if ftype == "number":
        return str(rng.below(500))
    return rng.choice(("Globex", "Initech", "Software – SaaS", "Logística", "製造業", ""))


def _meta_type(ds: Dataset, table: str, meta_id: int, types: tuple[str, ...]) -> str:
    t = ds.tables[table]
    pos = t.pos_of(meta_id)
    return types[t.cols["type"][pos] % len(types)] if pos is not None else "text"


def deal_custom_field_datum(r: Row) -> dict[str, Any]:
    meta = r.col("customFieldId")
    ftype = _meta_type(r.ds, "dealCustomFieldMeta", meta, DEAL_FIELD_TYPES)
    return {
        "id": sid(r.id),
        "dealCustomFieldMetumId": meta,
        "dealId": r.col("dealId"),
        "customFieldId": meta,
        "createdTimestamp": utc(r.created),
        "updatedTimestamp": utc(r.updated),
        "fieldValue": _custom_value(r.rng, ftype, r.created),
        "links": r.links("deal", "dealCustomFieldMetum"),
    }


def account_custom_field_datum(r: Row) -> dict[str, Any]:
    meta = r.col("customFieldId")
    ftype = _meta_type(r.ds, "accountCustomFieldMeta", meta, ACCOUNT_FIELD_TYPES)
    return {
        "id": sid(r.id),
        "accountCustomFieldMetumId": meta,
        "accountId": r.col("accountId"),
        "customFieldId": meta,
        "createdTimestamp": naive(r.created),
        "updatedTimestamp": naive(r.updated),
        "fieldValue": _custom_value(r.rng, ftype, r.created),
        "links": r.links("account", "accountCustomFieldMetum"),
    }


def deal_activity(r: Row) -> dict[str, Any]:
    rng = r.rng
    stage = r.col("stage")
    first = stage == 0
    data_type = "" if first else rng.choice(("d_stageid", "note", "contact", "task"))
    return {
        "d_id": str(r.col("deal")),
        "d_stageid": str(stage),
        "userid": str(r.col("user")),
        "dataId": "0" if first else str(rng.below(5000)),
        "dataType": data_type,
        "dataAction": "add" if first else rng.choice(("add", "update", "complete")),
        "dataOldval": "" if first else rng.choice(("", "12", "Ancien titre")),
        "cdate": iso(r.created),
        "sortdate": iso(r.created),
        "isAddtask": "0",
        "deleted": "1" if rng.chance(0.02) else "0",
        "seriesid": "0",
        "links": r.links("deal", "stage", "user", "automation", "activity"),
        "id": sid(r.id),
        "deal": r.ref("deal"),
        "stage": r.ref("stage"),
        "user": r.ref("user"),
        "automation": None,
    }


def deal_role(r: Row) -> dict[str, Any]:
    titles = ("Decision maker", "Contributor", "Champion 🏆")
    return {
        "title": titles[r.pos % len(titles)],
        # ISO on dealRoles per the docs (reference §13)
        "created_timestamp": iso(r.created),
        "updated_timestamp": iso(r.updated),
        "links": r.links("contactDeals"),
        "id": sid(r.id),
    }
