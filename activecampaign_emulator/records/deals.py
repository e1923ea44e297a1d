"""Record shapes of the deals side: deals, pipelines, stages, tasks, notes, activities, custom fields."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .. import words
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


def deal_title(row: Row) -> str:
    rng = RowRng(row_seed(row.dataset.seed, "deals", row.id) ^ 0x2)
    return f"{rng.choice(words.COMPANY_WORDS)} – {rng.choice(words.WORDS)} {rng.choice(words.WORDS)}"


def deal(row: Row) -> dict[str, Any]:
    rng = row.rng
    created, modified = row.created, row.updated
    status = row.column("status")
    account = row.ref("account")
    win = rng.below(101) if rng.chance(0.4) else None
    tasks = row.dataset.tables["dealTasks"]
    next_task = next(
        (
            position
            for position in tasks.group_index("relid").get(row.id, [])
            if tasks.cols["reltype"][position] == REL_DEAL
        ),
        None,
    )
    if status:
        edate: str | None = naive(modified)
    else:
        edate = ZERO_DATETIME if row.old and rng.chance(0.5) else None
    record: dict[str, Any] = {
        "hash": rng.hex(8),
        "owner": row.ref("owner"),
        "contact": row.ref("contact"),
        "organization": account,
        "group": row.ref("group"),
        "stage": row.ref("stage"),
        "title": deal_title(row),
        "description": rng.choice(("", sentence(rng, 6), "Renewal – see notes ✅")),
        "percent": str(rng.choice((0, 0, 10, 50, 90))),
        "cdate": iso(created),
        "mdate": iso(modified),
        "nextdate": iso(tasks.created[next_task] + 86400) if next_task is not None else None,
        "nexttaskid": str(tasks.ids[next_task]) if next_task is not None else None,
        "value": str(row.column("value")),
        "currency": words.CURRENCIES[row.column("currency") % len(words.CURRENCIES)],
        "winProbability": win,
        "winProbabilityMdate": iso(modified) if win is not None else None,
        "status": str(status),
        "activitycount": str(1 + rng.below(12)),
        "nextdealid": sid(row.id),
        "edate": edate,
        "links": row.links(*DEAL_LINKS),
        "id": sid(row.id),
        "isDisabled": False,
        "account": account,
        "customerAccount": account,
    }
    if next_task is not None:
        # Only deals with a pending task carry `nextTask`, right after isDisabled (the API reference's
        # deal examples and recorded responses).
        out: dict[str, Any] = {}
        for key, value in record.items():
            out[key] = value
            if key == "isDisabled":
                out["nextTask"] = str(tasks.ids[next_task])
        record = out
    return record


def deal_group(row: Row) -> dict[str, Any]:
    stages = row.dataset.tables["dealStages"]
    stage_ids = [str(stages.ids[position]) for position in stages.group_index("group").get(row.id, [])]
    names = words.PIPELINE_NAMES
    title = names[row.pos % len(names)] + (f" {row.pos // len(names) + 1}" if row.pos >= len(names) else "")
    return {
        "title": title,
        "currency": words.CURRENCIES[row.column("currency") % len(words.CURRENCIES)],
        "autoassign": "1",
        "allusers": "1" if row.pos % 2 == 0 else "0",
        "allgroups": "1",
        "win_probability_initialize_date": None,
        "cdate": iso(row.created),
        "udate": iso(row.updated),
        "stages": stage_ids,
        "links": row.links("stages", "dealGroupUsers", "dealGroupGroups", "winProbabilityFeatures"),
        "id": sid(row.id),
    }


def deal_stage(row: Row) -> dict[str, Any]:
    order = row.column("order")
    return {
        "group": row.ref("group"),
        "title": words.STAGE_NAMES[order % len(words.STAGE_NAMES)],
        "color": words.STAGE_COLORS[order % len(words.STAGE_COLORS)],
        "order": str(order + 1),
        "width": "280",
        "dealOrder": "next-action DESC",
        "cardRegion1": "title",
        "cardRegion2": "next-action",
        "cardRegion3": "show-avatar",
        "cardRegion4": "contact-fullname-orgname",
        "cardRegion5": "value",
        "cdate": iso(row.created),
        "udate": iso(row.updated),
        "links": row.links("group"),
        "id": sid(row.id),
    }


def note(row: Row) -> dict[str, Any]:
    is_deal = row.column("reltype") == REL_DEAL
    relid = str(row.column("relid"))
    user = row.ref("user")
    return {
        "relid": relid,
        "reltype": "Deal" if is_deal else "Subscriber",
        "userid": user or "0",
        "is_draft": "0",
        "cdate": iso(row.created),
        "mdate": iso(row.updated),
        "note": row.rng.choice(
            (
                "Called, no answer.",
                "Rappeler lundi 📞",
                "Sent the proposal.",
                "見積もり送付済み",
                "Budget approved ✅",
                "",
            )
        ),
        "links": row.links("activities", "user", "mentions", "notes", "owner"),
        "id": sid(row.id),
        "user": user,
        "owner": {"type": "deal" if is_deal else "contact", "id": relid},
    }


def deal_task(row: Row) -> dict[str, Any]:
    rng = row.rng
    is_deal = row.column("reltype") == REL_DEAL
    relid = str(row.column("relid"))
    due = row.created + rng.between(1, 30) * 86400
    status = 1 if rng.chance(0.5) else 0
    return {
        "id": sid(row.id),
        "duedate": iso(due),
        "edate": iso(due + 900),
        "status": status,
        "title": rng.choice((None, "Follow up", "Rückruf", "Send contract ✍️")),
        "note": rng.choice(("", "Discuss pricing", "Préparer la démo")),
        "relid": relid,
        "reltype": "Deal" if is_deal else "Subscriber",
        "dealTasktype": row.ref("tasktype"),
        "cdate": iso(row.created),
        "udate": iso(row.updated),
        "automation": None,
        "doneAutomation": None,
        "user": row.ref("user"),
        "assignee": row.ref("assignee"),
        "owner": {"type": "deal" if is_deal else "contact", "id": relid},
        "outcomeId": (1 + rng.below(3)) if status else None,
        "outcomeInfo": None,
        "links": row.links(
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


def deal_tasktype(row: Row) -> dict[str, Any]:
    titles = ("Call", "Email", "Meeting", "To-do")
    return {
        "cdate": iso(row.created),
        "defduration": "0",
        "id": sid(row.id),
        "links": [],
        "status": "0",
        "title": titles[row.pos % len(titles)] if row.pos < len(titles) else f"Type {row.pos + 1}",
        "udate": iso(row.updated),
    }


def task_outcome(row: Row) -> dict[str, Any]:
    outcomes = (
        ("Interested", "POSITIVE"),
        ("Not interested", "NEGATIVE"),
        ("Left a voicemail", "NEUTRAL"),
        ("Rappel prévu", "NEUTRAL"),
    )
    title, sentiment = outcomes[row.pos % len(outcomes)]
    return {
        "title": title,
        "sentiment": sentiment,
        "disabled": "1" if row.pos == 3 else "0",
        "created_by": "1",
        "updated_by": "1",
        # ISO with the account offset here, not naive as elsewhere, per the API reference's example.
        "created_utc_timestamp": iso(row.created),
        "updated_utc_timestamp": iso(row.updated),
        "dealTasktype_ids": [],
        "links": row.links("tasktypeOutcomeRels", "dealTasks"),
        "id": sid(row.id),
    }


def contact_deal(row: Row) -> dict[str, Any]:
    """A secondary contact of a deal. The reference's example shows deal, contact and cdate; rows of
    live accounts also carry the role and the *_timestamp columns (the schema Stitch's extractor
    checks against a live account)."""
    return {
        "deal": row.ref("deal"),
        "contact": row.ref("contact"),
        "role": str(1 + row.rng.below(3)),
        "cdate": iso(row.created),
        "created_timestamp": naive(row.created),
        "updated_timestamp": naive(row.updated),
        "created_by": "1",
        "updated_by": None,
        "links": row.links("deal", "contact", "role"),
        "id": sid(row.id),
    }


def deal_group_user(row: Row) -> dict[str, Any]:
    """A user's access to a pipeline; not in the API reference, the field names are those of
    Stitch's extractor."""
    return {
        "dealGroup": row.ref("dealGroup"),
        "user": row.ref("user"),
        "cdate": iso(row.created),
        "links": row.links("dealGroup", "user"),
        "id": sid(row.id),
    }


def tasktype_outcome_rel(row: Row) -> dict[str, Any]:
    """The reference's example of /tasktypeOutcomeRels: ids twice (tasktype_id and tasktype), the
    creation time in ISO and the update time naive."""
    task_type, outcome = str(row.column("tasktype")), str(row.column("outcome"))
    return {
        "tasktype_id": task_type,
        "outcome_id": outcome,
        "display_order": str(row.pos % 2),
        "created_by": "1",
        "created_utc_timestamp": iso(row.created),
        "updated_by": None,
        "updated_utc_timestamp": naive(row.updated),
        "links": row.links("tasktype", "outcome", "createdBy"),
        "id": sid(row.id),
        "tasktype": task_type,
        "outcome": outcome,
        "createdBy": "1",
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
    row: Row,
    field_type: str,
    label: str,
    perstag: str,
    known: int | None,
    stamp: Callable[[int], str | None],
    options: list[str] | None,
    link: str,
) -> dict[str, Any]:
    return {
        "id": sid(row.id),
        "fieldLabel": label,
        "fieldType": field_type,
        "fieldOptions": options,
        # A string or null in recorded responses (the API reference's example shows the int 1).
        "fieldDefault": options[0] if options else None,
        "fieldDefaultCurrency": "usd" if field_type == "currency" else None,
        "isFormVisible": 1 if row.pos % 2 else 0,
        "isRequired": 0,
        "displayOrder": row.pos + 1,
        "personalization": perstag,
        "knownFieldId": known,
        "hideFieldFlag": 0,
        "createdTimestamp": stamp(row.created),
        "updatedTimestamp": stamp(row.updated),
        "links": row.links(link),
    }


def deal_custom_field_meta(row: Row) -> dict[str, Any]:
    field_type = DEAL_FIELD_TYPES[row.column("type") % len(DEAL_FIELD_TYPES)]
    label, perstag, known = DEAL_FIELD_DEFS[field_type]
    # Deal custom fields carry UTC "+00:00" timestamps in recorded responses (the reference shows naive ones).
    return _custom_meta(
        row,
        field_type,
        label,
        perstag,
        known,
        utc,
        list(DROPDOWN_VALUES) if field_type == "dropdown" else None,
        "dealCustomFieldData",
    )


def account_custom_field_meta(row: Row) -> dict[str, Any]:
    field_type = ACCOUNT_FIELD_TYPES[row.column("type") % len(ACCOUNT_FIELD_TYPES)]
    label, perstag = ACCOUNT_FIELD_DEFS[field_type]
    # Account custom fields carry naive timestamps, as the API reference's example shows.
    return _custom_meta(
        row,
        field_type,
        label,
        perstag,
        None,
        naive,
        list(REGION_VALUES) if field_type == "multiselect" else None,
        "accountCustomFieldData",
    )


def _custom_value(rng: RowRng, field_type: str, created: int) -> str:
    if field_type == "date":
        return date_only(created + rng.below(180) * 86400) or ""
    if field_type == "dropdown":
        return rng.choice(DROPDOWN_VALUES)
    if field_type == "multiselect":
        return "||" + "||".join(REGION_VALUES[: 1 + rng.below(3)]) + "||"
    if field_type == "currency":
        return f"{rng.below(5000)}.{rng.below(100):02d}"
    if field_type == "number":
        return str(rng.below(500))
    return rng.choice(("Globex", "Initech", "Software – SaaS", "Logística", "製造業", ""))


def _meta_type(dataset: Dataset, table_name: str, meta_id: int, types: tuple[str, ...]) -> str:
    table = dataset.tables[table_name]
    pos = table.pos_of(meta_id)
    return types[table.cols["type"][pos] % len(types)] if pos is not None else "text"


def _custom_field_datum(
    row: Row, owner: str, field_types: tuple[str, ...], timestamp: Callable[[int], str | None]
) -> dict[str, Any]:
    """A custom field value of a deal or an account (``owner``): both lists have this shape; deals
    write their timestamps in UTC, accounts without a zone."""
    meta = row.column("customFieldId")
    field_type = _meta_type(row.dataset, f"{owner}CustomFieldMeta", meta, field_types)
    return {
        "id": sid(row.id),
        f"{owner}CustomFieldMetumId": meta,
        f"{owner}Id": row.column(f"{owner}Id"),
        "customFieldId": meta,
        "createdTimestamp": timestamp(row.created),
        "updatedTimestamp": timestamp(row.updated),
        "fieldValue": _custom_value(row.rng, field_type, row.created),
        "links": row.links(owner, f"{owner}CustomFieldMetum"),
    }


def deal_custom_field_datum(row: Row) -> dict[str, Any]:
    return _custom_field_datum(row, "deal", DEAL_FIELD_TYPES, utc)


def account_custom_field_datum(row: Row) -> dict[str, Any]:
    return _custom_field_datum(row, "account", ACCOUNT_FIELD_TYPES, naive)


def deal_activity(row: Row) -> dict[str, Any]:
    rng = row.rng
    stage = row.column("stage")
    first = stage == 0
    data_type = "" if first else rng.choice(("d_stageid", "note", "contact", "task"))
    return {
        "d_id": str(row.column("deal")),
        "d_stageid": str(stage),
        "userid": str(row.column("user")),
        "dataId": "0" if first else str(rng.below(5000)),
        "dataType": data_type,
        "dataAction": "add" if first else rng.choice(("add", "update", "complete")),
        "dataOldval": "" if first else rng.choice(("", "12", "Ancien titre")),
        "cdate": iso(row.created),
        "sortdate": iso(row.created),
        "isAddtask": "0",
        "deleted": "1" if rng.chance(0.02) else "0",
        "seriesid": "0",
        "links": row.links("deal", "stage", "user", "automation", "activity"),
        "id": sid(row.id),
        "deal": row.ref("deal"),
        "stage": row.ref("stage"),
        "user": row.ref("user"),
        "automation": None,
    }


def deal_role(row: Row) -> dict[str, Any]:
    titles = ("Decision maker", "Contributor", "Champion 🏆")
    return {
        "title": titles[row.pos % len(titles)],
        # ISO with the account offset on dealRoles, as the API reference's example shows
        "created_timestamp": iso(row.created),
        "updated_timestamp": iso(row.updated),
        "links": row.links("contactDeals"),
        "id": sid(row.id),
    }
