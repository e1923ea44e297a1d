"""Record shapes of contacts and what hangs off them: lists, tags, custom fields, automations, accounts."""

from __future__ import annotations

from typing import Any

from .. import words as W
from ..dates import ZERO_DATE, ZERO_DATETIME, iso, naive
from ..rng import RowRng, row_seed
from ..seeding import FIELD_TYPES
from .common import (
    FIELD_DEFS,
    OPTION_LABELS,
    Row,
    ascii_slug,
    company,
    contact_names,
    field_type_of,
    field_value_text,
    sid,
)

CONTACT_LINKS = (
    "bounceLogs",
    "contactAutomations",
    "contactData",
    "contactGoals",
    "contactLists",
    "contactLogs",
    "contactTags",
    "contactDeals",
    "deals",
    "fieldValues",
    "geoIps",
    "notes",
    "organization",
    "plusAppend",
    "trackingLogs",
    "scoreValues",
    "accountContacts",
    "automationEntryCounts",
)


def contact(r: Row) -> dict[str, Any]:
    first, last, email = contact_names(r.ds.seed, r.id)
    rng = RowRng(row_seed(r.ds.seed, "contacts", r.id) ^ 0x1)
    c, u = r.created, r.updated
    links = r.links(*CONTACT_LINKS)
    # The live API links this one with a page size and order (contacts__mhenrixon-vcr).
    links["contactAutomations"] += "?limit=1000&orders%5Blastdate%5D=DESC"
    old = r.old
    adate = iso(min(u, c + rng.below(90 * 86400))) if rng.chance(0.4) else None
    return {
        "cdate": iso(c),
        "email": email,
        "phone": rng.choice(
            ("", f"+1 312 555 {rng.digits(4)}", f"+49 30 {rng.digits(7)}", f"(312) 555-{rng.digits(4)}")
        ),
        "firstName": first,
        "lastName": last,
        "orgid": "0",
        "orgname": "",
        "segmentio_id": "",
        "bounced_hard": "1" if rng.chance(0.02) else "0",
        "bounced_soft": "0",
        "bounced_date": ZERO_DATE if old else None,
        "ip": "0" if rng.chance(0.7) else str(rng.between(16777216, 4294967295)),
        "ua": "" if old else None,
        "hash": rng.hex(32),
        "socialdata_lastcheck": ZERO_DATETIME if old else None,
        "email_local": "",
        "email_domain": "",
        "sentcnt": str(rng.below(40)),
        "rating_tstamp": ZERO_DATE if old else None,
        "gravatar": "1" if rng.chance(0.3) else "0",
        "deleted": "0",
        "anonymized": "0",
        "adate": adate,
        "udate": iso(u),
        "edate": None,
        "deleted_at": ZERO_DATETIME if old else None,
        "created_utc_timestamp": naive(c),
        "updated_utc_timestamp": naive(u),
        "created_timestamp": naive(c),
        "updated_timestamp": naive(u),
        "created_by": None if old else "0",
        "updated_by": None if old else "0",
        "mpp_tracking": "0",
        "email_empty": False,
        "scoreValues": [],
        "accountContacts": [],
        "links": links,
        "id": sid(r.id),
        "organization": None,
    }


def account(r: Row) -> dict[str, Any]:
    rng = r.rng
    name = company(rng)
    members = r.ds.tables["accountContacts"].group_index("account").get(r.id, [])
    slug = ascii_slug(name) or "account"
    return {
        "name": name,
        "accountUrl": rng.choice((f"https://www.{slug}.example.com/", None, "")),
        "createdTimestamp": iso(r.created),
        "updatedTimestamp": iso(r.updated),
        "contactCount": str(len(members)),
        # Reference §13: a real count only with count_deals=true; the emulator never counts (INF).
        "dealCount": "0",
        "links": r.links("notes", "accountCustomFieldData", "accountContacts", "emailActivities", "contactEmails"),
        "id": sid(r.id),
    }


def account_contact(r: Row) -> dict[str, Any]:
    return {
        "account": r.ref("account"),
        "contact": r.ref("contact"),
        "jobTitle": r.rng.choice(W.JOB_TITLES),
        "createdTimestamp": iso(r.created),
        "updatedTimestamp": iso(r.updated),
        "links": r.links("account", "contact"),
        "id": sid(r.id),
    }


def list_(r: Row) -> dict[str, Any]:
    rng = r.rng
    names = W.LIST_NAMES
    name = names[r.pos % len(names)] + (f" {r.pos // len(names) + 1}" if r.pos >= len(names) else "")
    user = "1" if r.pos % 3 else None
    return {
        "stringid": (ascii_slug(name) or "list") + f"-{r.id}",
        "userid": user or "0",
        "name": name,
        "cdate": iso(r.created),
        "p_use_tracking": "1",
        "p_use_analytics_read": "0",
        "p_use_analytics_link": "0",
        "p_use_twitter": "0",
        "p_use_facebook": "0",
        "p_embed_image": "1",
        "p_use_captcha": "1",
        "send_last_broadcast": "0",
        "private": "0",
        "analytics_domains": None,
        "analytics_source": "",
        "analytics_ua": "",
        "twitter_token": "",
        "twitter_token_secret": "",
        "facebook_session": None,
        "carboncopy": None,
        "subscription_notify": None,
        "unsubscription_notify": None,
        "require_name": "0",
        "get_unsubscribe_reason": "0",
        "to_name": "Subscriber",
        "optinoptout": "1",
        "sender_name": "",
        "sender_addr1": "",
        "sender_addr2": "",
        "sender_city": "",
        "sender_state": "",
        "sender_zip": "",
        "sender_country": "",
        "sender_phone": "",
        "sender_url": "https://www.example.com",
        "sender_reminder": rng.choice(("You signed up on our website.", "Vous êtes inscrit·e à notre liste.", "")),
        "fulladdress": rng.choice((None, "")),
        "optinmessageid": "0",
        "optoutconf": "0",
        "deletestamp": None,
        "udate": iso(r.updated),
        "created_timestamp": naive(r.created),
        "updated_timestamp": naive(r.updated),
        "created_by": None,
        "updated_by": None,
        "links": r.links("contactGoalLists", "user", "addressLists"),
        "id": sid(r.id),
        "user": user,
    }


def tag(r: Row) -> dict[str, Any]:
    names = W.TAG_NAMES
    name = names[r.pos % len(names)] + (f" {r.pos // len(names) + 1}" if r.pos >= len(names) else "")
    count = len(r.ds.tables["contactTags"].group_index("tag").get(r.id, []))
    return {
        "tagType": "contact",
        "tag": name,
        "description": r.rng.choice(("", "Imported", "Segment für DACH", "自動タグ")),
        "subscriber_count": str(count),
        "cdate": iso(r.created),
        "created_timestamp": naive(r.created),
        "updated_timestamp": naive(r.updated),
        "created_by": None,
        "updated_by": None,
        "links": r.links("contactGoalTags"),
        "id": sid(r.id),
    }


def contact_tag(r: Row) -> dict[str, Any]:
    return {
        "contact": r.ref("contact"),
        "tag": r.ref("tag"),
        "cdate": iso(r.created),
        "created_timestamp": naive(r.created),
        "updated_timestamp": naive(r.updated),
        "created_by": None,
        "updated_by": None,
        "links": r.links("contact", "tag"),
        "id": sid(r.id),
    }


def field(r: Row) -> dict[str, Any]:
    ftype = FIELD_TYPES[r.col("type") % len(FIELD_TYPES)]
    title, perstag = FIELD_DEFS[ftype]
    options = r.ds.tables["fieldOptions"]
    rels = r.ds.tables["fieldRels"]
    return {
        "title": title,
        "descript": None if ftype == "hidden" else f"{title} ({ftype})",
        "type": ftype,
        "isrequired": "0",
        "perstag": perstag,
        "defval": "" if ftype != "dropdown" else "Medium",
        "show_in_list": "0",
        "rows": "0",
        "cols": "0",
        "visible": "1",
        "service": "",
        "ordernum": str(r.pos + 1),
        "cdate": iso(r.created),
        "udate": iso(r.updated),
        "created_timestamp": naive(r.created),
        "updated_timestamp": naive(r.updated),
        "created_by": None,
        "updated_by": None,
        "options": [str(options.ids[p]) for p in options.group_index("field").get(r.id, [])],
        "relations": [str(rels.ids[p]) for p in rels.group_index("field").get(r.id, [])],
        "links": r.links("options", "relations"),
        "id": sid(r.id),
    }


def field_option(r: Row) -> dict[str, Any]:
    ftype = field_type_of(r.ds, r.col("field"))
    labels = OPTION_LABELS.get(ftype, OPTION_LABELS["dropdown"])
    order = r.col("order")
    label = labels[order % len(labels)]
    return {
        "field": r.ref("field"),
        "orderid": str(order),
        "value": label,
        "label": label,
        "isdefault": "1" if order == 1 and ftype == "dropdown" else "0",
        "cdate": iso(r.created),
        "udate": iso(r.updated),
        "links": r.links("field"),
        "id": sid(r.id),
    }


def field_rel(r: Row) -> dict[str, Any]:
    return {
        "field": r.ref("field"),
        "relid": "0",
        "dorder": "0",
        "cdate": iso(r.created),
        "links": [],
        "id": sid(r.id),
    }


def field_value(r: Row) -> dict[str, Any]:
    old = r.old
    return {
        "contact": r.ref("contact"),
        "field": r.ref("field"),
        "value": field_value_text(r.ds, r.pos),
        "cdate": iso(r.created),
        "udate": iso(r.updated),
        "created_by": None if old else "0",
        "updated_by": None if old else "0",
        "links": r.links("owner", "field"),
        "id": sid(r.id),
        "owner": r.ref("contact"),
    }


def automation(r: Row) -> dict[str, Any]:
    names = ("Welcome series", "Abandoned cart 🛒", "Re-engagement", "Lead scoring", "Bienvenue", "誕生日メール")
    return {
        "name": names[r.pos % len(names)],
        "cdate": iso(r.created),
        "mdate": iso(r.updated),
        "userid": "1",
        "status": r.rng.choice(("1", "1", "2")),
        "entered": str(r.rng.below(5000)),
        "exited": str(r.rng.below(3000)),
        "hidden": "0",
        "defaultscreenshot": "http://img-us1.com/default-series.gif",
        "screenshot": "",
        "links": r.links("campaigns", "contactGoals", "contactAutomations", "blocks", "goals", "sms", "sitemessages"),
        "id": sid(r.id),
    }


def contact_automation(r: Row) -> dict[str, Any]:
    rng = r.rng
    done = r.updated != r.created and rng.chance(0.6)
    total = 1 + rng.below(8)
    automation_id = r.ref("automation")
    return {
        "contact": r.ref("contact"),
        "seriesid": automation_id,
        "startid": "0",
        "status": "2" if done else "1",
        "batchid": "completed" if done else None,
        "adddate": iso(r.created),
        "remdate": iso(r.updated) if done else None,
        "timespan": str(r.updated - r.created) if done else None,
        "lastblock": str(1 + rng.below(total)),
        "lastlogid": "0",
        "lastdate": iso(r.updated),
        "in_als": "0",
        # Ints per reference §5 (the /contactAutomations doc example shows strings; the per-contact
        # example shows ints): the emulator chose ints.
        "completedElements": total if done else rng.below(total),
        "totalElements": total,
        "completed": 1 if done else 0,
        "completeValue": 100 if done else rng.below(100),
        "links": r.links("automation", "contact", "contactGoals"),
        "id": sid(r.id),
        "automation": automation_id,
    }


def contact_list(r: Row) -> dict[str, Any]:
    first, last, _ = contact_names(r.ds.seed, r.col("contact"))
    status = r.col("status")
    unsub = status == 2
    return {
        "contact": r.ref("contact"),
        "list": r.ref("list"),
        "form": None,
        "seriesid": "0",
        "sdate": iso(r.created) if status != 0 else None,
        "udate": iso(r.updated),
        "status": str(status),
        "responder": "1",
        "sync": "0",
        "unsubreason": r.rng.choice(("Too many emails", "Trop d'e-mails", "")) if unsub else None,
        "campaign": None,
        "message": None,
        "first_name": first,
        "last_name": last,
        "ip4Sub": "0",
        "sourceid": str(r.rng.below(5)),
        "autosyncLog": None,
        "ip4_last": "0",
        "ip4Unsub": "0",
        "created_timestamp": naive(r.created),
        "updated_timestamp": naive(r.updated),
        "created_by": None,
        "updated_by": None,
        "unsubscribeAutomation": None,
        "links": r.links(
            "automation", "list", "contact", "form", "autosyncLog", "campaign", "unsubscribeAutomation", "message"
        ),
        "id": sid(r.id),
        "automation": None,
    }
