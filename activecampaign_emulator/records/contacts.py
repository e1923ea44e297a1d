"""Record shapes of contacts and what hangs off them: lists, tags, custom fields, automations, accounts."""

from __future__ import annotations

from typing import Any

from .. import words
from ..dates import ZERO_DATE, ZERO_DATETIME, iso, naive
from ..rng import RowRng, row_seed
from ..seeding import FIELD_TYPES
from .common import (
    FIELD_DEFS,
    OPTION_LABELS,
    Row,
    ascii_slug,
    audit_columns,
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


def contact(row: Row) -> dict[str, Any]:
    first, last, email = contact_names(row.dataset.seed, row.id)
    rng = RowRng(row_seed(row.dataset.seed, "contacts", row.id) ^ 0x1)
    created, updated = row.created, row.updated
    links = row.links(*CONTACT_LINKS)
    # Recorded responses link this one with a page size and an order.
    links["contactAutomations"] += "?limit=1000&orders%5Blastdate%5D=DESC"
    old = row.old
    adate = iso(min(updated, created + rng.below(90 * 86400))) if rng.chance(0.4) else None
    return {
        "cdate": iso(created),
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
        "udate": iso(updated),
        "edate": None,
        "deleted_at": ZERO_DATETIME if old else None,
        "created_utc_timestamp": naive(created),
        "updated_utc_timestamp": naive(updated),
        "created_timestamp": naive(created),
        "updated_timestamp": naive(updated),
        "created_by": None if old else "0",
        "updated_by": None if old else "0",
        "mpp_tracking": "0",
        "email_empty": False,
        "scoreValues": [],
        "accountContacts": [],
        "links": links,
        "id": sid(row.id),
        "organization": None,
    }


def account(row: Row) -> dict[str, Any]:
    rng = row.rng
    name = company(rng)
    members = row.dataset.tables["accountContacts"].group_index("account").get(row.id, [])
    slug = ascii_slug(name) or "account"
    return {
        "name": name,
        "accountUrl": rng.choice((f"https://www.{slug}.example.com/", None, "")),
        "createdTimestamp": iso(row.created),
        "updatedTimestamp": iso(row.updated),
        "contactCount": str(len(members)),
        # A real count comes only with count_deals=true; the emulator does not count and always says "0".
        "dealCount": "0",
        "links": row.links("notes", "accountCustomFieldData", "accountContacts", "emailActivities", "contactEmails"),
        "id": sid(row.id),
    }


def account_contact(row: Row) -> dict[str, Any]:
    return {
        "account": row.ref("account"),
        "contact": row.ref("contact"),
        "jobTitle": row.rng.choice(words.JOB_TITLES),
        "createdTimestamp": iso(row.created),
        "updatedTimestamp": iso(row.updated),
        "links": row.links("account", "contact"),
        "id": sid(row.id),
    }


def list_(row: Row) -> dict[str, Any]:
    rng = row.rng
    names = words.LIST_NAMES
    name = names[row.pos % len(names)] + (f" {row.pos // len(names) + 1}" if row.pos >= len(names) else "")
    user = "1" if row.pos % 3 else None
    return {
        "stringid": (ascii_slug(name) or "list") + f"-{row.id}",
        "userid": user or "0",
        "name": name,
        "cdate": iso(row.created),
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
        "udate": iso(row.updated),
        "created_timestamp": naive(row.created),
        "updated_timestamp": naive(row.updated),
        "created_by": None,
        "updated_by": None,
        "links": row.links("contactGoalLists", "user", "addressLists"),
        "id": sid(row.id),
        "user": user,
    }


def tag(row: Row) -> dict[str, Any]:
    names = words.TAG_NAMES
    name = names[row.pos % len(names)] + (f" {row.pos // len(names) + 1}" if row.pos >= len(names) else "")
    count = len(row.dataset.tables["contactTags"].group_index("tag").get(row.id, []))
    return {
        "tagType": "contact",
        "tag": name,
        "description": row.rng.choice(("", "Imported", "Segment für DACH", "自動タグ")),
        "subscriber_count": str(count),
        "cdate": iso(row.created),
        "created_timestamp": naive(row.created),
        "updated_timestamp": naive(row.updated),
        "created_by": None,
        "updated_by": None,
        "links": row.links("contactGoalTags"),
        "id": sid(row.id),
    }


def contact_tag(row: Row) -> dict[str, Any]:
    return {
        "contact": row.ref("contact"),
        "tag": row.ref("tag"),
        "cdate": iso(row.created),
        "created_timestamp": naive(row.created),
        "updated_timestamp": naive(row.updated),
        "created_by": None,
        "updated_by": None,
        "links": row.links("contact", "tag"),
        "id": sid(row.id),
    }


def field(row: Row) -> dict[str, Any]:
    field_type = FIELD_TYPES[row.column("type") % len(FIELD_TYPES)]
    title, perstag = FIELD_DEFS[field_type]
    options = row.dataset.tables["fieldOptions"]
    relations = row.dataset.tables["fieldRels"]
    return {
        "title": title,
        "descript": None if field_type == "hidden" else f"{title} ({field_type})",
        "type": field_type,
        "isrequired": "0",
        "perstag": perstag,
        "defval": "" if field_type != "dropdown" else "Medium",
        "show_in_list": "0",
        "rows": "0",
        "cols": "0",
        "visible": "1",
        "service": "",
        "ordernum": str(row.pos + 1),
        **audit_columns(row),
        "options": [str(options.ids[position]) for position in options.group_index("field").get(row.id, [])],
        "relations": [str(relations.ids[position]) for position in relations.group_index("field").get(row.id, [])],
        "links": row.links("options", "relations"),
        "id": sid(row.id),
    }


def field_option(row: Row) -> dict[str, Any]:
    field_type = field_type_of(row.dataset, row.column("field"))
    labels = OPTION_LABELS.get(field_type, OPTION_LABELS["dropdown"])
    order = row.column("order")
    label = labels[order % len(labels)]
    return {
        "field": row.ref("field"),
        "orderid": str(order),
        "value": label,
        "label": label,
        "isdefault": "1" if order == 1 and field_type == "dropdown" else "0",
        "cdate": iso(row.created),
        "udate": iso(row.updated),
        "links": row.links("field"),
        "id": sid(row.id),
    }


def field_rel(row: Row) -> dict[str, Any]:
    return {
        "field": row.ref("field"),
        "relid": "0",
        "dorder": "0",
        "cdate": iso(row.created),
        "links": [],
        "id": sid(row.id),
    }


def field_value(row: Row) -> dict[str, Any]:
    old = row.old
    return {
        "contact": row.ref("contact"),
        "field": row.ref("field"),
        "value": field_value_text(row.dataset, row.pos),
        "cdate": iso(row.created),
        "udate": iso(row.updated),
        "created_by": None if old else "0",
        "updated_by": None if old else "0",
        "links": row.links("owner", "field"),
        "id": sid(row.id),
        "owner": row.ref("contact"),
    }


def automation(row: Row) -> dict[str, Any]:
    names = ("Welcome series", "Abandoned cart 🛒", "Re-engagement", "Lead scoring", "Bienvenue", "誕生日メール")
    return {
        "name": names[row.pos % len(names)],
        "cdate": iso(row.created),
        "mdate": iso(row.updated),
        "userid": "1",
        "status": row.rng.choice(("1", "1", "2")),
        "entered": str(row.rng.below(5000)),
        "exited": str(row.rng.below(3000)),
        "hidden": "0",
        "defaultscreenshot": "http://img-us1.com/default-series.gif",
        "screenshot": "",
        "links": row.links("campaigns", "contactGoals", "contactAutomations", "blocks", "goals", "sms", "sitemessages"),
        "id": sid(row.id),
    }


def contact_automation(row: Row) -> dict[str, Any]:
    rng = row.rng
    done = row.updated != row.created and rng.chance(0.6)
    total = 1 + rng.below(8)
    automation_id = row.ref("automation")
    return {
        "contact": row.ref("contact"),
        "seriesid": automation_id,
        "startid": "0",
        "status": "2" if done else "1",
        "batchid": "completed" if done else None,
        "adddate": iso(row.created),
        "remdate": iso(row.updated) if done else None,
        "timespan": str(row.updated - row.created) if done else None,
        "lastblock": str(1 + rng.below(total)),
        "lastlogid": "0",
        "lastdate": iso(row.updated),
        "in_als": "0",
        # The API reference's examples disagree (strings on /contactAutomations, ints per contact);
        # the emulator chooses ints.
        "completedElements": total if done else rng.below(total),
        "totalElements": total,
        "completed": 1 if done else 0,
        "completeValue": 100 if done else rng.below(100),
        "links": row.links("automation", "contact", "contactGoals"),
        "id": sid(row.id),
        "automation": automation_id,
    }


def contact_list(row: Row) -> dict[str, Any]:
    first, last, _ = contact_names(row.dataset.seed, row.column("contact"))
    status = row.column("status")
    unsub = status == 2
    return {
        "contact": row.ref("contact"),
        "list": row.ref("list"),
        "form": None,
        "seriesid": "0",
        "sdate": iso(row.created) if status != 0 else None,
        "udate": iso(row.updated),
        "status": str(status),
        "responder": "1",
        "sync": "0",
        "unsubreason": row.rng.choice(("Too many emails", "Trop d'e-mails", "")) if unsub else None,
        "campaign": None,
        "message": None,
        "first_name": first,
        "last_name": last,
        "ip4Sub": "0",
        "sourceid": str(row.rng.below(5)),
        "autosyncLog": None,
        "ip4_last": "0",
        "ip4Unsub": "0",
        "created_timestamp": naive(row.created),
        "updated_timestamp": naive(row.updated),
        "created_by": None,
        "updated_by": None,
        "unsubscribeAutomation": None,
        "links": row.links(
            "automation", "list", "contact", "form", "autosyncLog", "campaign", "unsubscribeAutomation", "message"
        ),
        "id": sid(row.id),
        "automation": None,
    }
