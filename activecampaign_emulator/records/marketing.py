"""Record shapes of campaigns, messages, campaign links, forms, segments, templates, webhooks."""

from __future__ import annotations

from typing import Any

from .. import words as W
from ..dates import iso, naive
from .common import Row, sentence, sid, some_words


def campaign(r: Row) -> dict[str, Any]:
    rng = r.rng
    sent = rng.chance(0.8)
    send_amt = rng.below(5000) if sent else 0
    opens = rng.below(send_amt + 1)
    uniq = rng.below(opens + 1)
    clicks = rng.below(uniq + 1)
    sdate = iso(r.created + 3600 * (1 + rng.below(72))) if sent else None
    s = str
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
        "name": f"{rng.choice(W.WORDS).title()} {rng.choice(W.WORDS)} #{r.pos + 1}",
        "cdate": iso(r.created),
        "mdate": iso(r.updated),
        "sdate": sdate,
        "ldate": sdate,
        "send_amt": s(send_amt),
        "total_amt": s(send_amt),
        "opens": s(opens),
        "uniqueopens": s(uniq),
        "linkclicks": s(clicks),
        "uniquelinkclicks": s(rng.below(clicks + 1)),
        "subscriberclicks": s(rng.below(clicks + 1)),
        "forwards": "0",
        "uniqueforwards": "0",
        "hardbounces": s(rng.below(10)),
        "softbounces": s(rng.below(20)),
        "unsubscribes": s(rng.below(15)),
        "unsubreasons": "0",
        "updates": "0",
        "socialshares": "0",
        "replies": "0",
        "uniquereplies": "0",
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
        "ip4": s(rng.between(16777216, 4294967295)),
        "laststep": "summary" if sent else "designer",
        "managetext": "0",
        "schedule": "0",
        "scheduleddate": None,
        "waitpreview": "0",
        "deletestamp": None,
        "replysys": "0",
        "links": r.links("user", "automation", "campaignMessage", "campaignMessages", "links", "campaignLists"),
        "id": sid(r.id),
        "user": "1",
        "automation": None,
    }


def message(r: Row) -> dict[str, Any]:
    rng = r.rng
    subject = f"{rng.choice(W.WORDS).title()} – {some_words(rng, 3)}"
    body = sentence(rng, 12)
    return {
        "userid": "1",
        "ed_instanceid": "0",
        "ed_version": "1",
        "cdate": iso(r.created),
        "mdate": iso(r.updated),
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
        f'<a href="https://www.example.com/offer?id={r.id}">Read more</a></body></html>',
        "htmlfetch": "now",
        "textfetch": "now",
        "hidden": "0",
        "preview_mime": "",
        "preview_data": None,
        "links": r.links("user"),
        "id": sid(r.id),
        "user": "1",
    }


def campaign_link(r: Row) -> dict[str, Any]:
    msg = r.col("message")
    is_tracker = msg == 0
    return {
        "campaignid": str(r.col("campaign")),
        "messageid": str(msg),
        "link": "open" if is_tracker else f"https://www.example.com/landing/{r.id}?utm_source=ac",
        "name": "Read Tracker" if is_tracker else r.rng.choice(("Read more", "Jetzt kaufen", "詳しくはこちら", "")),
        "ref": "",
        "tracked": "1",
        "links": r.links("campaign", "message"),
        "id": sid(r.id),
        "campaign": r.ref("campaign"),
        "message": r.ref("message"),
    }


def form(r: Row) -> dict[str, Any]:
    rng = r.rng
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
        # Nested style values flip between int and string in the wild (reference §5); keep one of each.
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
        "cdate": iso(r.created),
        "udate": iso(r.updated),
        "entries": str(rng.below(500)),
        "aid": "0",
        "defaultscreenshot": "http://img-us1.com/default-form.gif",
        "recent": [],
        "contacts": rng.below(300),
        "deals": rng.below(20),
        "links": r.links("address"),
        "id": sid(r.id),
        "address": None,
    }


def segment(r: Row) -> dict[str, Any]:
    return {
        "name": r.rng.choice(("Engaged last 30 days", "VIP customers", "Kunden DE", "未開封", "Bounced 🚫")),
        "logic": "and",
        "hidden": "0",
        "seriesid": "0",
        "created_timestamp": naive(r.created),
        "updated_timestamp": naive(r.updated),
        "created_by": "1",
        "updated_by": "1",
        "links": [],
        "id": sid(r.id),
    }


def webhook(r: Row) -> dict[str, Any]:
    events = (["subscribe", "unsubscribe"], ["deal_add", "deal_update"], ["contact_tag_added", "update", "sent"])
    sources = (["public", "admin"], ["system"], ["public", "admin", "api", "system"])
    return {
        "cdate": iso(r.created),
        "listid": "0",
        "name": f"Hook {r.pos + 1}",
        "url": f"https://hooks.example.com/ac/{r.id}",
        "events": events[r.pos % 3],
        "sources": sources[r.pos % 3],
        "links": [],
        "id": sid(r.id),
    }


def template(r: Row) -> dict[str, Any]:
    return {
        "userid": "1",
        "ed_instanceid": "0",
        "ed_version": "0",
        "name": f"Template {r.pos + 1}",
        "subject": None if r.pos % 2 else "Monthly newsletter",
        "content": "<html><body><p>%FIRSTNAME%, voici nos nouveautés</p></body></html>",
        "categoryid": "1",
        "used": str(r.rng.below(10)),
        "waitpreview": "0",
        "importnum": "0",
        # naive on templates (template_by_id__acdocs, reference §6 form 2)
        "mdate": naive(r.updated),
        "preview_content": None,
        "modified": "1",
        "hidden": "0",
        "links": [],
        "id": sid(r.id),
    }
