"""Record shapes of activities, emails sent and logged, bounces, contact tracking data, automation
blocks and goals, campaigns' lists and messages, conversions, site messages and SMS.

The API reference does not describe these collections; Stitch's production extractor
(singer-io/tap-activecampaign) reads them account-wide, and its schemas, which its tests check
against a live account, give the field names. Values are strings like everywhere in the API.
Where a row was never changed its update field is null, as the reference's example of saved
responses shows for mdate; for these collections that is the emulator's choice.
"""

from __future__ import annotations

import json
from typing import Any

from ..dates import iso, naive
from ..seeding import BLOCK_KINDS
from .common import Row, contact_names, sentence, sid, some_words, user_email
from .marketing import send_counters


def _changed(row: Row) -> str | None:
    """The update time of a row, null while it was never changed."""
    return iso(row.updated) if row.updated != row.created else None


def _id_text(row: Row, column: str) -> str:
    """A foreign key as the legacy `*id` columns write it: "0" when unset, never null."""
    return str(row.column(column))


# (reference type, action) of an activity, by its `kind` column.
_ACTIVITY_KINDS = (
    ("Log", "open"),
    ("Log", "click"),
    ("SubscriberList", "subscribe"),
    ("SubscriberSeries", "start"),
    ("Note", "add"),
)


def activity(row: Row) -> dict[str, Any]:
    rng = row.rng
    reference_type, action = _ACTIVITY_KINDS[row.column("kind") % len(_ACTIVITY_KINDS)]
    reference_id = str(1 + rng.below(5000))
    details = (
        {"campaignid": str(1 + rng.below(40)), "messageid": str(1 + rng.below(40))} if reference_type == "Log" else {}
    )
    return {
        "tstamp": iso(row.created),
        "subscriberid": _id_text(row, "contact"),
        "reference_type": reference_type,
        "reference_id": reference_id,
        "reference_action": action,
        "json_data": json.dumps(details) if details else None,
        "userid": _id_text(row, "user"),
        "permission": "",
        "reference_model_name": reference_type,
        "reference": {"type": reference_type.lower(), "id": reference_id},
        "links": row.links("notes", "recipients", "reference", "user"),
        "id": sid(row.id),
        "user": row.ref("user"),
    }


def _block_params(row: Row, kind: str) -> dict[str, Any]:
    """A block's settings, by its type, as a live account's automation canvas shows them."""
    rng = row.rng
    if kind == "start":
        return {"starts": [str(1 + rng.below(9))]}
    if kind == "send":
        return {
            "campaignid": 1 + rng.below(40),
            "sendtype": rng.choice(("imm", "opt")),
            "emailname": some_words(rng, 3),
        }
    if kind == "wait":
        return {"waittype": "for", "waittime": 1 + rng.below(7), "waitdurt": rng.choice(("hour", "day"))}
    if kind == "addtag":
        return {"tagIds": [str(1 + rng.below(20))]}
    return {"name": f"Goal: {some_words(rng, 2)}", "position": "anywhere", "unmet": "end", "segmentid": rng.below(50)}


def automation_block(row: Row) -> dict[str, Any]:
    kind = BLOCK_KINDS[row.column("kind") % len(BLOCK_KINDS)]
    return {
        "automation": row.ref("automation"),
        "parent": _id_text(row, "parent"),
        "type": kind,
        "ordernum": str(row.column("order")),
        "params": _block_params(row, kind),
        "deleted": "0",
        "cdate": iso(row.created),
        "mdate": _changed(row),
        "links": row.links("automation", "parent", "children"),
        "id": sid(row.id),
    }


def goal(row: Row) -> dict[str, Any]:
    return {
        "blockid": _id_text(row, "block"),
        "seriesid": _id_text(row, "automation"),
        "name": f"Goal: {some_words(row.rng, 2)}",
        "cdate": iso(row.created),
        "dirty_stats": "0",
        "links": row.links("automation", "automationBlock"),
        "id": sid(row.id),
        "automation": row.ref("automation"),
        "automation_block": row.ref("block"),
    }


def bounce_log(row: Row) -> dict[str, Any]:
    """The shape of the reference's example of a contact's bounce logs, which the account-wide list
    shares."""
    rng = row.rng
    _, _, email = contact_names(row.dataset.seed, row.column("contact"))
    code = str(rng.choice((48, 50, 52, 60, 71)))
    return {
        "tstamp": iso(row.created),
        "bounceid": str(1 + rng.below(2)),
        "subscriberid": _id_text(row, "contact"),
        "campaignid": _id_text(row, "campaign"),
        "messageid": _id_text(row, "message"),
        "codeid": code,
        "email": email,
        "error": rng.choice(("", "550 5.1.1 User unknown", "552 Mailbox full")),
        "source": f"Return-Path: <>\nReceived: from mx{rng.below(9)}.example.net ...",
        "created_timestamp": naive(row.created),
        "updated_timestamp": naive(row.updated),
        "created_by": None,
        "updated_by": None,
        "links": row.links("bounce", "contact", "campaign", "message", "code"),
        "id": sid(row.id),
        "bounce": str(1 + rng.below(2)),
        "contact": row.ref("contact"),
        "campaign": row.ref("campaign"),
        "message": row.ref("message"),
        "code": code,
    }


_CITIES = (
    ("US", "United States", "Illinois", "Chicago", "60601", "America/Chicago", "-06:00"),
    ("FR", "France", "Île-de-France", "Paris", "75001", "Europe/Paris", "+01:00"),
    ("JP", "Japan", "Tokyo", "東京", "100-0001", "Asia/Tokyo", "+09:00"),
    ("DE", "Germany", "Bayern", "München", "80331", "Europe/Berlin", "+01:00"),
)


def contact_datum(row: Row) -> dict[str, Any]:
    """A contact's tracking data. Field names mix camelCase and snake_case as public clients of the
    API show them (geoCountry2 next to geo_country)."""
    rng = row.rng
    code, country, state, city, postcode, zone, offset = rng.choice(_CITIES)
    tracked = rng.chance(0.6)
    return {
        "contact": row.ref("contact"),
        "tstamp": iso(row.updated),
        "geoTstamp": iso(row.created),
        "geoIp4": f"{rng.between(11, 223)}.{rng.below(256)}.{rng.below(256)}.{rng.below(256)}",
        "geoCountry2": code,
        "geo_country": country,
        "geoState": state,
        "geoCity": city,
        "geoZip": postcode,
        "geoArea": "0",
        "geoLat": f"{rng.between(-60, 60)}.{rng.digits(4)}",
        "geoLon": f"{rng.between(-150, 150)}.{rng.digits(4)}",
        "geoTz": zone,
        "geoTzOffset": offset,
        "ga_campaign_source": rng.choice(("google", "newsletter", "")) if tracked else "",
        "ga_campaign_name": rng.choice(("spring-sale", "webinar", "")) if tracked else "",
        "ga_campaign_medium": rng.choice(("cpc", "email", "")) if tracked else "",
        "ga_campaign_term": "",
        "ga_campaign_content": "",
        "ga_campaign_customsegment": "",
        "ga_first_visit": None,
        "ga_times_visited": str(rng.below(30)) if tracked else "0",
        "fb_id": "",
        "fb_name": "",
        "tw_id": "",
        "created_timestamp": naive(row.created),
        "updated_timestamp": naive(row.updated),
        "created_by": None,
        "updated_by": None,
        "links": row.links("contact"),
        "id": sid(row.id),
    }


def contact_email(row: Row) -> dict[str, Any]:
    """An email a user sent to a contact from the CRM."""
    rng = row.rng
    return {
        "messageid": _id_text(row, "message"),
        "seriesid": "0",
        "messageheader": f"Subject: {sentence(rng, 4)}",
        "userid": _id_text(row, "user"),
        "d_id": "0",
        "subscriberid": _id_text(row, "contact"),
        "account": "0",
        "ip": f"10.{rng.below(256)}.{rng.below(256)}.{rng.below(256)}",
        "sdate": iso(row.created),
        "source": rng.choice(("crm", "gmail", "outlook")),
        "links": row.links("user", "deal", "contact", "message"),
        "id": sid(row.id),
        "user": row.ref("user"),
        "deal": None,
        "contact": row.ref("contact"),
        "message": row.ref("message"),
    }


def email_activity(row: Row) -> dict[str, Any]:
    """An email logged on a contact (and its deal, when there is one) by the email integration."""
    rng = row.rng
    first, last, email = contact_names(row.dataset.seed, row.column("contact"))
    deal = row.ref("deal")
    return {
        "subscriberid": _id_text(row, "contact"),
        "userid": _id_text(row, "user"),
        "d_id": _id_text(row, "deal"),
        "account": "0",
        "reltype": "Deal" if deal else "Subscriber",
        "relid": deal or _id_text(row, "contact"),
        "from_name": f"{first} {last}",
        "from_address": email,
        "to_address": user_email(row.column("user")),
        "cc_address": "",
        "subject": sentence(rng, 4),
        "message": sentence(rng, 9),
        "message_html": f"<p>{sentence(rng, 9)}</p>",
        "tstamp": iso(row.created),
        "links": row.links("contact", "deal", "user"),
        "id": sid(row.id),
        "contact": row.ref("contact"),
        "deal": deal,
        "user": row.ref("user"),
        "reference": {"type": "deal" if deal else "contact", "id": deal or _id_text(row, "contact")},
    }


def campaign_list(row: Row) -> dict[str, Any]:
    rng = row.rng
    return {
        "campaignid": _id_text(row, "campaign"),
        "listid": _id_text(row, "list"),
        "userid": "1",
        "list_amt": str(rng.below(5000)),
        "name": f"{some_words(rng, 2).title()}",
        "cdate": iso(row.created),
        "udate": _changed(row),
        "links": row.links("campaign", "list", "user"),
        "id": sid(row.id),
        "user": "1",
        "list": row.ref("list"),
        "campaign": row.ref("campaign"),
    }


def campaign_message(row: Row) -> dict[str, Any]:
    """A campaign's message and its send counters; a split test divides the sends between messages."""
    rng = row.rng
    sent = rng.below(5000)
    opens = rng.below(sent + 1)
    unique_opens = rng.below(opens + 1)
    return {
        "messageid": _id_text(row, "message"),
        "campaignid": _id_text(row, "campaign"),
        "percentage": "100.00",
        "sourcesize": "0",
        **send_counters(rng, sent, opens, unique_opens, rng.below(unique_opens + 1)),
        "spamcheck_score": "0",
        "spamcheck_max": "0",
        "initial_split_percentage": "100.00",
        "screenshot": f"https://img.example.com/screenshots/{row.id}.png",
        "subject": sentence(rng, 5),
        "links": row.links("campaign", "message"),
        "id": sid(row.id),
        "campaign": row.ref("campaign"),
        "message": row.ref("message"),
    }


def conversion(row: Row) -> dict[str, Any]:
    names = ("Trial started", "Demo booked", "Purchase")
    return {
        "name": names[row.pos % len(names)],
        "value": str(row.rng.choice((0, 2500, 9900))),
        "currency": "usd",
        "limit": "1",
        "enforce_limit": row.rng.choice(("0", "1")),
        "cdate": iso(row.created),
        "udate": _changed(row),
        "links": row.links("contactConversions", "conversionTriggers"),
        "id": sid(row.id),
    }


def conversion_trigger(row: Row) -> dict[str, Any]:
    rng = row.rng
    return {
        "conversion": row.ref("conversion"),
        "trigger_type": rng.choice(("page_visit", "event", "goal")),
        "modifier": rng.choice(("contains", "equals")),
        "value": rng.choice(("/thank-you", "checkout_complete", "")),
        "dynamic": "0",
        "retroactive": rng.choice(("0", "1")),
        "cdate": iso(row.created),
        "udate": _changed(row),
        "automation_block": row.ref("block"),
        "links": row.links("conversion", "automationBlock"),
        "id": sid(row.id),
    }


def contact_conversion(row: Row) -> dict[str, Any]:
    rng = row.rng
    return {
        "contact": row.ref("contact"),
        "conversion": row.ref("conversion"),
        "conversionTrigger": row.ref("trigger"),
        "converted_by_type": rng.choice(("Log", "Event", "SubscriberSeries")),
        "converted_by_id": str(1 + rng.below(5000)),
        "trigger_type": rng.choice(("page_visit", "event", "goal")),
        "modifier": "contains",
        "value": str(rng.choice((0, 2500, 9900))),
        "currency": "usd",
        "dynamic": "0",
        "cdate": iso(row.created),
        "links": row.links("contact", "conversion", "conversionTrigger"),
        "id": sid(row.id),
    }


def site_message(row: Row) -> dict[str, Any]:
    rng = row.rng
    return {
        "name": f"{some_words(rng, 2).title()} banner",
        "automation": row.ref("automation"),
        "template": {
            "initial": {"headline": sentence(rng, 3), "button": "Learn more", "position": "bottom-right"},
            "detailed": {"body": sentence(rng, 8), "image": f"https://img.example.com/site-messages/{row.id}.png"},
        },
        "ldate": iso(row.updated),
        "links": row.links("automation"),
        "id": sid(row.id),
    }


def sms(row: Row) -> dict[str, Any]:
    rng = row.rng
    sent = rng.below(800)
    return {
        "userid": _id_text(row, "user"),
        "seriesid": _id_text(row, "automation"),
        "msg": f"{sentence(rng, 6)} Reply STOP to opt out.",
        "tstamp": iso(row.updated),
        "tf_day": "mon,tue,wed,thu,fri",
        "tf_hr_from": "9",
        "tf_hr_to": "18",
        "sent": str(sent),
        "failed": str(rng.below(sent // 20 + 1)),
        "unsubscribes": str(rng.below(10)),
        "replies": str(rng.below(40)),
        "uniquereplies": str(rng.below(30)),
        "sdate": iso(row.created),
        "ldate": iso(row.updated),
        "links": row.links("user", "automation"),
        "id": sid(row.id),
        "user": row.ref("user"),
        "automation": row.ref("automation"),
    }
