"""Record shapes of account settings: users, groups, addresses, brandings, calendars, scores,
saved responses, e-commerce connections."""

from __future__ import annotations

from typing import Any

from .. import words as W
from ..dates import ZERO_DATETIME, iso, naive
from .common import Row, company, sid, user_email


def user(r: Row) -> dict[str, Any]:
    defs = (
        ("admin", "Avery", "Owner"),
        ("jdoe", "José", "Domínguez"),
        ("mika", "美咲", "佐藤"),
        ("sven", "Sven", "Ölund"),
    )
    username, first, last = defs[r.pos % len(defs)]
    if r.pos >= len(defs):
        username += str(r.pos)
    owner = r.pos == 0
    return {
        "username": username,
        "firstName": first,
        "lastName": last,
        "email": user_email(r.id),
        "phone": "",
        "signature": "" if owner else None,
        "localZoneid": W.TIMEZONES[r.pos % len(W.TIMEZONES)],
        "password_updated_utc_timestamp": ZERO_DATETIME if owner else None,
        "cdate": iso(r.created),
        "udate": iso(r.updated),
        "mfaEnabled": "0",
        "links": r.links(
            "lists",
            "userGroup",
            "dealGroupTotals",
            "dealGroupUsers",
            "configs",
            "dealConnection",
            "userConversationsPermission",
            "seatUser",
        ),
        "id": sid(r.id),
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


def group(r: Row) -> dict[str, Any]:
    rng = r.rng
    admin = r.pos == 0
    titles = ("Admin", "Sales", "Marketing", "Support")
    out: dict[str, Any] = {
        "title": titles[r.pos % len(titles)],
        "descript": "This is a group for admin users (people that can manage content)" if admin else "",
        "unsubscribelink": "0",
        "optinconfirm": "0",
        "p_admin": "1" if admin else "0",
    }
    for flag in GROUP_FLAGS:
        out[flag] = "1" if admin or rng.chance(0.5) else "0"
    out.update(
        {"sdate": iso(r.created), "reqApproval": "0", "reqApproval1st": "2", "reqApprovalNotify": "", "socialdata": "0"}
    )
    for flag in GROUP_FLAGS_LATE:
        out[flag] = "1" if admin or rng.chance(0.3) else "0"
    out["links"] = r.links(
        "userGroups", "groupLimit", "dealGroupGroups", "listGroups", "addressGroups", "automationGroups"
    )
    out["id"] = sid(r.id)
    return out


def address(r: Row) -> dict[str, Any]:
    rng = r.rng
    return {
        "companyName": company(rng),
        "address1": rng.choice(("Seestraße 5", "1 Example Way", "12 rue de l'Exemple")),
        "address2": "",
        "city": rng.choice(W.CITIES),
        "state": rng.choice(("IL", "Brandenburg", "")),
        "district": "",
        "zip": rng.digits(5),
        "country": rng.choice(W.COUNTRIES),
        "allgroup": "0",
        "isDefault": "1" if r.pos == 0 else "0",
        "created_timestamp": naive(r.created),
        "updated_timestamp": naive(r.updated),
        "created_by": None,
        "updated_by": None,
        "links": r.links("addressGroup", "addressList", "forms"),
        "id": sid(r.id),
    }


def branding(r: Row) -> dict[str, Any]:
    return {
        "groupid": str(r.pos + 3),
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
        # A branding setting that happens to be named "links" (brandings__acdocs), not a links object.
        "links": "1",
        "help": "1",
        "adminTemplateHtm": "",
        "adminTemplateCss": "",
        "publicTemplateHtm": "",
        "publicTemplateCss": "body { font-family: 'Helvetica Neue', sans-serif; }",
        "favicon": None,
        "id": sid(r.id),
    }


def calendar(r: Row) -> dict[str, Any]:
    return {
        "userid": "1",
        "title": ("Deals calendar", "Tâches équipe")[r.pos % 2],
        "type": "All",
        "token": r.rng.hex(32),
        "notification": "0",
        "cdate": iso(r.created),
        "mdate": iso(r.updated),
        "links": r.links("calendarRels", "calendarUsers"),
        "id": sid(r.id),
    }


def score(r: Row) -> dict[str, Any]:
    defs = (("contact", "Engagement Score"), ("deal", "Deal Score"), ("contact", "Link Clicks ⭐"))
    reltype, name = defs[r.pos % len(defs)]
    return {
        "reltype": reltype,
        "name": name,
        "descript": "+10 points per open",
        "status": "1",
        "cdate": iso(r.created),
        "mdate": iso(r.updated),
        "links": [],
        "id": sid(r.id),
    }


def saved_response(r: Row) -> dict[str, Any]:
    used = r.rng.chance(0.5)
    return {
        "title": ("Intro", "Pricing", "Suivi")[r.pos % 3],
        "subject": "Quick question",
        "body": "Hi %FIRSTNAME%, thanks for your time – ¡gracias!",
        "ldate": iso(r.updated) if used else None,
        "last_sent_user_id": "1" if used else None,
        "cdate": iso(r.created),
        # Never-edited responses have a null mdate (savedResponses__acdocs).
        "mdate": iso(r.updated) if r.updated != r.created else None,
        "links": r.links("user", "savedResponseCategorySavedResponse"),
        "id": sid(r.id),
    }


def connection(r: Row) -> dict[str, Any]:
    svc = ("shopify", "woocommerce", "bigcommerce")[r.pos % 3]
    return {
        "service": svc,
        "externalid": f"store{r.id}.example.com",
        "name": ("Example Store", "Boutique Exemple", "サンプル店")[r.pos % 3],
        "isInternal": "0",
        "status": "1",
        "syncStatus": "0",
        "lastSync": iso(r.updated),
        "logoUrl": "",
        "linkUrl": "",
        "listId": "0",
        "cdate": iso(r.created),
        "udate": iso(r.updated),
        "links": r.links("customers"),
        "id": sid(r.id),
    }
