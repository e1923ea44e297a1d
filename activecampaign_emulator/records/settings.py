"""Record shapes of account settings: users, groups and their limits, addresses, brandings,
calendars, scores, saved responses, e-commerce connections, configs, site tracking domains."""

from __future__ import annotations

from typing import Any

from .. import words
from ..dates import ZERO_DATETIME, iso, naive
from .common import Row, audit_columns, company, sid, user_email


def user(row: Row) -> dict[str, Any]:
    profiles = (
        ("admin", "Avery", "Owner"),
        ("jdoe", "José", "Domínguez"),
        ("mika", "美咲", "佐藤"),
        ("sven", "Sven", "Ölund"),
    )
    username, first, last = profiles[row.pos % len(profiles)]
    if row.pos >= len(profiles):
        username += str(row.pos)
    owner = row.pos == 0
    return {
        "username": username,
        "firstName": first,
        "lastName": last,
        "email": user_email(row.id),
        "phone": "",
        "signature": "" if owner else None,
        "localZoneid": words.TIMEZONES[row.pos % len(words.TIMEZONES)],
        "password_updated_utc_timestamp": ZERO_DATETIME if owner else None,
        "cdate": iso(row.created),
        "udate": iso(row.updated),
        "mfaEnabled": "0",
        "links": row.links(
            "lists",
            "userGroup",
            "dealGroupTotals",
            "dealGroupUsers",
            "configs",
            "dealConnection",
            "userConversationsPermission",
            "seatUser",
        ),
        "id": sid(row.id),
    }


GROUP_FLAGS = (
    "pgListAdd",
    "pgListEdit",
    "pgListDelete",
    "pgListHeaders",
    "pgListEmailaccount",
    "pgListBounce",
    "pgMessageAdd",
    "pgMessageEdit",
    "pgMessageDelete",
    "pgMessageSend",
    "pgContactAdd",
    "pgContactEdit",
    "pgContactDelete",
    "pgContactMerge",
    "pgContactImport",
    "pgContactApprove",
    "pgContactExport",
    "pgContactSync",
    "pgContactFilters",
    "pgContactActions",
    "pgContactFields",
    "pg_user_add",
    "pg_user_edit",
    "pg_user_delete",
    "pgGroupAdd",
    "pgGroupEdit",
    "pgGroupDelete",
    "pgTemplateAdd",
    "pgTemplateEdit",
    "pgTemplateDelete",
    "pgPersonalizationAdd",
    "pgPersonalizationEdit",
    "pgPersonalizationDelete",
    "pgAutomationManage",
    "pgFormEdit",
    "pgReportsCampaign",
    "pgReportsList",
    "pgReportsUser",
    "pgReportsTrend",
    "pgReportsDeal",
    "pgStartupReports",
    "pgStartupGettingstarted",
    "pgAccountAdd",
    "pgAccountEdit",
    "pgAccountDelete",
    "pgAccountManageCustomField",
    "pgDeal",
    "pgDealDelete",
    "pgDealReassign",
    "pgDealFields",
    "pgDealGroupAdd",
    "pgDealGroupEdit",
    "pgDealGroupDelete",
    "pgSavedResponsesManage",
)


GROUP_FLAGS_LATE = (
    "pgMfaAdmin",
    "pgDealExport",
    "pgDealManageRoles",
    "pgAccountNoteAdd",
    "pgAccountNoteEdit",
    "pgAccountNoteDelete",
    "pgDealNoteAdd",
    "pgDealNoteEdit",
    "pgDealNoteDelete",
    "pgDealListAll",
    "pgTagManage",
    "pgContactResubscribe",
    "pgDealImport",
    "pgAccountImport",
    "pgAccountExport",
)


def group(row: Row) -> dict[str, Any]:
    rng = row.rng
    admin = row.pos == 0
    titles = ("Admin", "Sales", "Marketing", "Support")
    out: dict[str, Any] = {
        "title": titles[row.pos % len(titles)],
        "descript": "This is a group for admin users (people that can manage content)" if admin else "",
        "unsubscribelink": "0",
        "optinconfirm": "0",
        "p_admin": "1" if admin else "0",
    }
    for flag in GROUP_FLAGS:
        out[flag] = "1" if admin or rng.chance(0.5) else "0"
    out.update(
        {
            "sdate": iso(row.created),
            "reqApproval": "0",
            "reqApproval1st": "2",
            "reqApprovalNotify": "",
            "socialdata": "0",
        }
    )
    for flag in GROUP_FLAGS_LATE:
        out[flag] = "1" if admin or rng.chance(0.3) else "0"
    out["links"] = row.links(
        "userGroups", "groupLimit", "dealGroupGroups", "listGroups", "addressGroups", "automationGroups"
    )
    out["id"] = sid(row.id)
    return out


def address(row: Row) -> dict[str, Any]:
    rng = row.rng
    return {
        "companyName": company(rng),
        "address1": rng.choice(("Seestraße 5", "1 Example Way", "12 rue de l'Exemple")),
        "address2": "",
        "city": rng.choice(words.CITIES),
        "state": rng.choice(("IL", "Brandenburg", "")),
        "district": "",
        "zip": rng.digits(5),
        "country": rng.choice(words.COUNTRIES),
        "allgroup": "0",
        "isDefault": "1" if row.pos == 0 else "0",
        "created_timestamp": naive(row.created),
        "updated_timestamp": naive(row.updated),
        "created_by": None,
        "updated_by": None,
        "links": row.links("addressGroup", "addressList", "forms"),
        "id": sid(row.id),
    }


def branding(row: Row) -> dict[str, Any]:
    return {
        "groupid": str(row.pos + 3),
        "siteName": "Example Email Marketing",
        "siteLogo": "https://www.example.com/logo.png",
        "siteLogoSmall": "https://www.example.com/logo_small.png",
        "headerTextValue": "",
        "headerHtmlValue": "<p>Header</p>",
        "footerTextValue": "",
        "footerHtmlValue": "<p>Footer – © Example</p>",
        "copyright": "1",
        "version": "1",
        "license": "1",
        # A branding setting that happens to be named "links" (the API reference's example), not a links object.
        "links": "1",
        "help": "1",
        "adminTemplateHtm": "",
        "adminTemplateCss": "",
        "publicTemplateHtm": "",
        "publicTemplateCss": "body { font-family: 'Helvetica Neue', sans-serif; }",
        "favicon": None,
        "id": sid(row.id),
    }


def calendar(row: Row) -> dict[str, Any]:
    return {
        "userid": "1",
        "title": ("Deals calendar", "Tâches équipe")[row.pos % 2],
        "type": "All",
        "token": row.rng.hex(32),
        "notification": "0",
        "cdate": iso(row.created),
        "mdate": iso(row.updated),
        "links": row.links("calendarRels", "calendarUsers"),
        "id": sid(row.id),
    }


def score(row: Row) -> dict[str, Any]:
    kinds = (("contact", "Engagement Score"), ("deal", "Deal Score"), ("contact", "Link Clicks ⭐"))
    reltype, name = kinds[row.pos % len(kinds)]
    return {
        "reltype": reltype,
        "name": name,
        "descript": "+10 points per open",
        "status": "1",
        "cdate": iso(row.created),
        "mdate": iso(row.updated),
        "links": [],
        "id": sid(row.id),
    }


def saved_response(row: Row) -> dict[str, Any]:
    used = row.rng.chance(0.5)
    return {
        "title": ("Intro", "Pricing", "Suivi")[row.pos % 3],
        "subject": "Quick question",
        "body": "Hi %FIRSTNAME%, thanks for your time – ¡gracias!",
        "ldate": iso(row.updated) if used else None,
        "last_sent_user_id": "1" if used else None,
        "cdate": iso(row.created),
        # Never-edited responses have a null mdate, as the API reference's example shows.
        "mdate": iso(row.updated) if row.updated != row.created else None,
        "links": row.links("user", "savedResponseCategorySavedResponse"),
        "id": sid(row.id),
    }


def connection(row: Row) -> dict[str, Any]:
    service = ("shopify", "woocommerce", "bigcommerce")[row.pos % 3]
    return {
        "service": service,
        "externalid": f"store{row.id}.example.com",
        "name": ("Example Store", "Boutique Exemple", "サンプル店")[row.pos % 3],
        "isInternal": "0",
        "status": "1",
        "syncStatus": "0",
        "lastSync": iso(row.updated),
        "logoUrl": "",
        "linkUrl": "",
        "listId": "0",
        "cdate": iso(row.created),
        "udate": iso(row.updated),
        "links": row.links("customers"),
        "id": sid(row.id),
    }


def group_limit(row: Row) -> dict[str, Any]:
    """A user group's limits, as the reference's example of /groupLimits shows them; 0 is no limit."""
    group = str(row.column("group"))
    return {
        "groupid": group,
        "limitMail": "0" if row.pos == 0 else str(row.rng.choice((0, 5000, 20000))),
        "limitMailType": "month",
        "limitContact": "0",
        "limitList": "0",
        "limitCampaign": "0",
        "limitCampaignType": "month",
        "limitAttachment": "-1",
        "limitUser": "0",
        "abuseRatio": "4",
        "forceSenderInfo": "0",
        "links": row.links("group"),
        "id": sid(row.id),
        "group": group,
    }


_CONFIGS = (
    ("site", "timezone", "America/Chicago"),
    ("site", "language", "english"),
    ("deals", "default_currency", "usd"),
    ("mail", "sender_name", "Example Co"),
    ("tracking", "site_tracking", "1"),
    ("contacts", "default_status", "1"),
)


def config(row: Row) -> dict[str, Any]:
    """An account setting. The collection is not in the API reference; its field names follow the
    schema of Stitch's extractor, which reads it."""
    section, item, value = _CONFIGS[row.pos % len(_CONFIGS)]
    return {
        "keyname": f"{section}.{item}",
        "section": section,
        "item": item,
        "userid": "0",
        "val": value,
        **audit_columns(row),
        "links": row.links("owner"),
        "id": sid(row.id),
        "owner": None,
    }


def site_tracking_domain(row: Row) -> dict[str, Any]:
    """A whitelisted domain: its name is all the row holds, with no id
    (https://developers.activecampaign.com/reference/sitetrackingdomains)."""
    domains = ("example.com", "*.example.com", "shop.example.org", "exemple.fr")
    return {"name": domains[row.pos % len(domains)]}
