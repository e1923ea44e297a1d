"""Record shapes of campaigns, messages, campaign links, forms, segments, templates, webhooks."""

from __future__ import annotations

from typing import Any

from .. import words
from ..dates import iso, naive
from ..rng import RowRng
from .common import Row, sentence, sid, some_words


def send_counters(rng: RowRng, sent: int, opens: int, unique_opens: int, clicks: int) -> dict[str, str]:
    """The sending and engagement counters a campaign and each of its messages carry, as strings;
    the counters not given are drawn below the ones they count a part of."""
    return {
        "send_amt": str(sent),
        "total_amt": str(sent),
        "opens": str(opens),
        "uniqueopens": str(unique_opens),
        "linkclicks": str(clicks),
        "uniquelinkclicks": str(rng.below(clicks + 1)),
        "subscriberclicks": str(rng.below(clicks + 1)),
        "forwards": "0",
        "uniqueforwards": "0",
        "hardbounces": str(rng.below(10)),
        "softbounces": str(rng.below(20)),
        "unsubscribes": str(rng.below(15)),
        "unsubreasons": "0",
        "updates": "0",
        "socialshares": "0",
        "replies": "0",
        "uniquereplies": "0",
    }


def campaign(row: Row) -> dict[str, Any]:
    rng = row.rng
    sent = rng.chance(0.8)
    send_amt = rng.below(5000) if sent else 0
    opens = rng.below(send_amt + 1)
    unique_opens = rng.below(opens + 1)
    clicks = rng.below(unique_opens + 1)
    sdate = iso(row.created + 3600 * (1 + rng.below(72))) if sent else None
    return {
        "type": rng.choice(("single", "single", "recurring", "split", "responder", "text")),
        "userid": "1",
        "segmentid": "0",
        "bounceid": "-1",
        "realcid": "0",
        "sendid": "0",
        "threadid": "0",
        "seriesid": "0",
        "formid": "0",
        "basetemplateid": rng.hex(40),
        "basemessageid": "0",
        "addressid": "0",
        "source": "web",
        "name": f"{rng.choice(words.WORDS).title()} {rng.choice(words.WORDS)} #{row.pos + 1}",
        "cdate": iso(row.created),
        "mdate": iso(row.updated),
        "sdate": sdate,
        "ldate": sdate,
        **send_counters(rng, send_amt, opens, unique_opens, clicks),
        "status": "5" if sent else "0",
        "public": "1",
        "mail_transfer": "0",
        "mail_send": "1" if sent else "0",
        "mail_cleanup": "1" if sent else "0",
        "mailer_log_file": "0",
        "tracklinks": "all",
        "tracklinksanalytics": "0",
        "trackreads": "1",
        "trackreadsanalytics": "1",
        "analytics_campaign_name": "",
        "tweet": "0",
        "facebook": "0",
        "survey": "",
        "embed_images": "0",
        "htmlunsub": "1",
        "textunsub": "1",
        "htmlunsubdata": None,
        "textunsubdata": None,
        "recurring": "day1",
        "willrecur": "0",
        "split_type": "even",
        "split_content": "0",
        "split_offset": "2",
        "split_offset_type": "day",
        "split_winner_messageid": "0",
        "split_winner_awaiting": "0",
        "responder_offset": "0",
        "responder_type": "subscribe",
        "responder_existing": "0",
        "reminder_field": "sdate",
        "reminder_format": None,
        "reminder_type": "month_day",
        "reminder_offset": "0",
        "reminder_offset_type": "day",
        "reminder_offset_sign": "+",
        "reminder_last_cron_run": None,
        "activerss_interval": "day1",
        "activerss_url": None,
        "activerss_items": "10",
        "ip4": str(rng.between(16777216, 4294967295)),
        "laststep": "summary" if sent else "designer",
        "managetext": "0",
        "schedule": "0",
        "scheduleddate": None,
        "waitpreview": "0",
        "deletestamp": None,
        "replysys": "0",
        "links": row.links("user", "automation", "campaignMessage", "campaignMessages", "links", "campaignLists"),
        "id": sid(row.id),
        "user": "1",
        "automation": None,
    }


def message(row: Row) -> dict[str, Any]:
    rng = row.rng
    subject = f"{rng.choice(words.WORDS).title()} – {some_words(rng, 3)}"
    body = sentence(rng, 12)
    return {
        "userid": "1",
        "ed_instanceid": "0",
        "ed_version": "1",
        "cdate": iso(row.created),
        "mdate": iso(row.updated),
        "name": "",
        "fromname": rng.choice(("Team Example", "Équipe Exemple", "サポート")),
        "fromemail": "news@example.com",
        "reply2": "reply@example.com",
        "priority": "3",
        "charset": "utf-8",
        "encoding": "quoted-printable",
        "format": "mime",
        "subject": subject,
        "preheader_text": "",
        "text": f"{subject}\n\n{body}\n\nUnsubscribe: %UNSUBSCRIBELINK%",
        "html": f"<!DOCTYPE html><html><body><h1>{subject}</h1><p>{body}</p>"
        f'<a href="https://www.example.com/offer?id={row.id}">Read more</a></body></html>',
        "htmlfetch": "now",
        "textfetch": "now",
        "hidden": "0",
        "preview_mime": "",
        "preview_data": None,
        "links": row.links("user"),
        "id": sid(row.id),
        "user": "1",
    }


def campaign_link(row: Row) -> dict[str, Any]:
    message_id = row.column("message")
    is_tracker = message_id == 0
    return {
        "campaignid": str(row.column("campaign")),
        "messageid": str(message_id),
        "link": "open" if is_tracker else f"https://www.example.com/landing/{row.id}?utm_source=ac",
        "name": "Read Tracker" if is_tracker else row.rng.choice(("Read more", "Jetzt kaufen", "詳しくはこちら", "")),
        "ref": "",
        "tracked": "1",
        "links": row.links("campaign", "message"),
        "id": sid(row.id),
        "campaign": row.ref("campaign"),
        "message": row.ref("message"),
    }


def form(row: Row) -> dict[str, Any]:
    rng = row.rng
    return {
        "name": rng.choice(("Newsletter signup", "Demo request", "Kontaktformular", "お問い合わせ", "Webinar 🎥")),
        "action": "",
        "actiondata": {"actions": [{"type": "subscribe-to-list", "email": "owner@example.com", "list": "1"}]},
        "submit": "show-thank-you",
        "submitdata": {"url": ""},
        "url": "",
        "layout": rng.choice(("inline-form", "floating-box", "modal")),
        "title": "",
        "body": "",
        "button": "Submit",
        "thanks": "Thanks for signing up!",
        # Nested style values have flipped between int and string (public clients' changelogs); keep one of each.
        "style": {
            "background": "FFFFFF",
            "dark": True,
            "fontcolor": "000000",
            "layout": "normal",
            "border": {"width": 0, "style": "solid", "color": "B0B0B0", "radius": 0},
            "width": 500,
            "ac_branding": True,
            "button": {
                "padding": rng.choice((10, "10")),
                "background": "333333",
                "fontcolor": "FFFFFF",
                "border": {"radius": 4, "color": "333333", "style": "solid", "width": 0},
            },
        },
        "options": {
            "blanks_overwrite": True,
            "confaction": "show-message",
            "sendoptin": True,
            "optin_id": 1,
            "optin_created": True,
            "confform": "2",
        },
        "cfields": [
            {"type": "header", "header": "Subscribe", "class": f"_x{rng.digits(8)}"},
            {
                "header": "Email",
                "type": "email",
                "default_text": "Type your email",
                "required": True,
                "class": f"_x{rng.digits(8)}",
            },
        ],
        "parentformid": "0",
        "userid": "1",
        "addressid": "0",
        "cdate": iso(row.created),
        "udate": iso(row.updated),
        "entries": str(rng.below(500)),
        "aid": "0",
        "defaultscreenshot": "http://img-us1.com/default-form.gif",
        "recent": [],
        "contacts": rng.below(300),
        "deals": rng.below(20),
        "links": row.links("address"),
        "id": sid(row.id),
        "address": None,
    }


def segment(row: Row) -> dict[str, Any]:
    return {
        "name": row.rng.choice(("Engaged last 30 days", "VIP customers", "Kunden DE", "未開封", "Bounced 🚫")),
        "logic": "and",
        "hidden": "0",
        "seriesid": "0",
        "created_timestamp": naive(row.created),
        "updated_timestamp": naive(row.updated),
        "created_by": "1",
        "updated_by": "1",
        "links": [],
        "id": sid(row.id),
    }


def webhook(row: Row) -> dict[str, Any]:
    events = (["subscribe", "unsubscribe"], ["deal_add", "deal_update"], ["contact_tag_added", "update", "sent"])
    sources = (["public", "admin"], ["system"], ["public", "admin", "api", "system"])
    return {
        "cdate": iso(row.created),
        "listid": "0",
        "name": f"Hook {row.pos + 1}",
        "url": f"https://hooks.example.com/ac/{row.id}",
        "events": events[row.pos % 3],
        "sources": sources[row.pos % 3],
        "links": [],
        "id": sid(row.id),
    }


def template(row: Row) -> dict[str, Any]:
    return {
        "userid": "1",
        "ed_instanceid": "0",
        "ed_version": "0",
        "name": f"Template {row.pos + 1}",
        "subject": None if row.pos % 2 else "Monthly newsletter",
        "content": "<html><body><p>%FIRSTNAME%, voici nos nouveautés</p></body></html>",
        "categoryid": "1",
        "used": str(row.rng.below(10)),
        "waitpreview": "0",
        "importnum": "0",
        # naive "YYYY-MM-DD HH:MM:SS" on templates, as the API reference's template example shows
        "mdate": naive(row.updated),
        "preview_content": None,
        "modified": "1",
        "hidden": "0",
        "links": [],
        "id": sid(row.id),
    }
