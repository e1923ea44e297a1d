"""The registry of resources: per collection, its record builder and API conventions.

The builders themselves live in records/ (one module per area of the API).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .records.common import Row, contact_names, field_value_text
from .records.contacts import (
    account,
    account_contact,
    automation,
    contact,
    contact_automation,
    contact_list,
    contact_tag,
    field,
    field_option,
    field_rel,
    field_value,
    list_,
    tag,
)
from .records.custom_objects import custom_object_record
from .records.deals import (
    account_custom_field_datum,
    account_custom_field_meta,
    contact_deal,
    deal,
    deal_activity,
    deal_custom_field_datum,
    deal_custom_field_meta,
    deal_group,
    deal_group_user,
    deal_role,
    deal_stage,
    deal_task,
    deal_tasktype,
    deal_title,
    note,
    task_outcome,
    tasktype_outcome_rel,
)
from .records.ecommerce import ecom_customer, ecom_order, ecom_order_activity, ecom_order_product
from .records.engagement import (
    activity,
    automation_block,
    bounce_log,
    campaign_list,
    campaign_message,
    contact_conversion,
    contact_datum,
    contact_email,
    conversion,
    conversion_trigger,
    email_activity,
    goal,
    site_message,
    sms,
)
from .records.marketing import campaign, campaign_link, form, message, segment, template, webhook
from .records.settings import (
    address,
    branding,
    calendar,
    config,
    connection,
    group,
    group_limit,
    saved_response,
    score,
    site_tracking_domain,
    user,
)


@dataclass(frozen=True)
class Spec:
    key: str
    singular: str
    # Internal model name in the 404 body "No Result found for <Model> with id <id>", as recorded and
    # documented (Subscriber for contacts, _List for lists...); None means the JSON:API form
    # {"errors": [{"status": 404, "title": "Not Found"}]} the custom field endpoints document. Where
    # no public source shows the name, the emulator chooses the resource's own.
    model: str | None
    build: Callable[[Row], dict[str, Any]]
    # Record fields carrying the stored create / update epochs; usable in orders[...]. The first
    # update name is the one touch() is said to bump.
    created: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    # "string" | "int" | "none" | "contacts" | "deals" | "fields" | "automations" | "contactAutomations"
    meta: str = "string"
    default_limit: int = 20
    # An ordinary field that touch() changes so that the change is visible in the body.
    touch_field: str | None = None
    # False for a list that neither pages nor counts (the site tracking whitelist): every row, no meta.
    paged: bool = True
    # False for rows served only under another route (custom-object records, under
    # /customObjects/records/<schema id>), not as /api/3/<key>.
    routed: bool = True


_SPECS = [
    Spec(
        "contacts",
        "contact",
        "Subscriber",
        contact,
        ("cdate", "created_timestamp", "created_utc_timestamp"),
        ("udate", "updated_timestamp", "updated_utc_timestamp"),
        "contacts",
        touch_field="phone",
    ),
    Spec("deals", "deal", "Deal", deal, ("cdate",), ("mdate",), "deals", touch_field="description"),
    Spec("dealGroups", "dealGroup", "DealGroup", deal_group, ("cdate",), ("udate",), touch_field="title"),
    Spec("dealStages", "dealStage", "DealStage", deal_stage, ("cdate",), ("udate",), touch_field="color"),
    Spec(
        "accounts",
        "account",
        "CustomerAccount",
        account,
        ("createdTimestamp",),
        ("updatedTimestamp",),
        touch_field="accountUrl",
    ),
    Spec(
        "accountContacts",
        "accountContact",
        "CustomerAccountSubscriber",
        account_contact,
        ("createdTimestamp",),
        ("updatedTimestamp",),
        touch_field="jobTitle",
    ),
    Spec(
        "lists",
        "list",
        "_List",
        list_,
        ("cdate", "created_timestamp"),
        ("udate", "updated_timestamp"),
        touch_field="sender_reminder",
    ),
    Spec("tags", "tag", "Tag", tag, ("cdate", "created_timestamp"), ("updated_timestamp",), touch_field="description"),
    Spec(
        "contactTags",
        "contactTag",
        "SubscriberTag",
        contact_tag,
        ("cdate", "created_timestamp"),
        ("updated_timestamp",),
        touch_field="updated_by",
    ),
    Spec(
        "fields",
        "field",
        "Field",
        field,
        ("cdate", "created_timestamp"),
        ("udate", "updated_timestamp"),
        "fields",
        default_limit=100,
        touch_field="descript",
    ),
    Spec("fieldOptions", "fieldOption", "FieldOption", field_option, ("cdate",), ("udate",), touch_field="label"),
    Spec("fieldRels", "fieldRel", "FieldRel", field_rel, ("cdate",), (), touch_field="dorder"),
    Spec("fieldValues", "fieldValue", "FieldValue", field_value, ("cdate",), ("udate",), touch_field="value"),
    Spec("campaigns", "campaign", "Campaign", campaign, ("cdate",), ("mdate",), touch_field="name"),
    Spec("messages", "message", "Message", message, ("cdate",), ("mdate",), touch_field="subject"),
    Spec("links", "link", "Link", campaign_link, (), (), touch_field="name"),
    Spec("forms", "form", "Form", form, ("cdate",), ("udate",), touch_field="thanks"),
    Spec("segments", "segment", "Segment", segment, ("created_timestamp",), ("updated_timestamp",), touch_field="name"),
    Spec("notes", "note", "Note", note, ("cdate",), ("mdate",), touch_field="note"),
    Spec("dealTasks", "dealTask", "DealTask", deal_task, ("cdate",), ("udate",), touch_field="note"),
    Spec(
        "dealTasktypes",
        "dealTasktype",
        "DealTasktype",
        deal_tasktype,
        ("cdate",),
        ("udate",),
        touch_field="defduration",
    ),
    Spec(
        "taskOutcomes",
        "taskOutcome",
        "TaskOutcome",
        task_outcome,
        ("created_utc_timestamp",),
        ("updated_utc_timestamp",),
        touch_field="title",
    ),
    Spec(
        "automations", "automation", "Automation", automation, ("cdate",), ("mdate",), "automations", touch_field="name"
    ),
    Spec(
        "contactAutomations",
        "contactAutomation",
        "SubscriberSeries",
        contact_automation,
        ("adddate",),
        ("lastdate",),
        "contactAutomations",
        touch_field="lastblock",
    ),
    Spec(
        "contactLists",
        "contactList",
        "SubscriberList",
        contact_list,
        ("created_timestamp",),
        ("udate", "updated_timestamp"),
        touch_field="sourceid",
    ),
    Spec(
        "contactDeals",
        "contactDeal",
        "SubscriberDeal",
        contact_deal,
        ("cdate", "created_timestamp"),
        ("updated_timestamp",),
    ),
    Spec("users", "user", "User", user, ("cdate",), ("udate",), touch_field="phone"),
    Spec("groups", "group", "Group", group, ("sdate",), (), touch_field="descript"),
    Spec("webhooks", "webhook", "Webhook", webhook, ("cdate",), (), touch_field="name"),
    Spec(
        "addresses",
        "address",
        "Address",
        address,
        ("created_timestamp",),
        ("updated_timestamp",),
        touch_field="address2",
    ),
    Spec("brandings", "branding", "Branding", branding, (), (), touch_field="headerTextValue"),
    Spec("calendars", "calendar", "Calendar", calendar, ("cdate",), ("mdate",), touch_field="title"),
    Spec("scores", "score", "Score", score, ("cdate",), ("mdate",), touch_field="descript"),
    Spec(
        "savedResponses",
        "savedResponse",
        "SavedResponse",
        saved_response,
        ("cdate",),
        ("mdate",),
        touch_field="subject",
    ),
    Spec("templates", "template", "Template", template, (), ("mdate",), touch_field="name"),
    Spec(
        "dealCustomFieldMeta",
        "dealCustomFieldMetum",
        None,
        deal_custom_field_meta,
        ("createdTimestamp",),
        ("updatedTimestamp",),
        "none",
        default_limit=100,
        touch_field="fieldLabel",
    ),
    Spec(
        "dealCustomFieldData",
        "dealCustomFieldDatum",
        None,
        deal_custom_field_datum,
        ("createdTimestamp",),
        ("updatedTimestamp",),
        "int",
        touch_field="fieldValue",
    ),
    Spec(
        "accountCustomFieldMeta",
        "accountCustomFieldMetum",
        None,
        account_custom_field_meta,
        ("createdTimestamp",),
        ("updatedTimestamp",),
        "none",
        default_limit=100,
        touch_field="fieldLabel",
    ),
    Spec(
        "accountCustomFieldData",
        "accountCustomFieldDatum",
        None,
        account_custom_field_datum,
        ("createdTimestamp",),
        ("updatedTimestamp",),
        "none",
        touch_field="fieldValue",
    ),
    Spec("dealActivities", "dealActivity", "DealActivity", deal_activity, ("cdate",), (), touch_field="dataOldval"),
    Spec(
        "dealRoles",
        "dealRole",
        "DealRole",
        deal_role,
        ("created_timestamp",),
        ("updated_timestamp",),
        touch_field="title",
    ),
    Spec("connections", "connection", "Connection", connection, ("cdate",), ("udate",), touch_field="name"),
    Spec(
        "ecomCustomers",
        "ecomCustomer",
        "EcomCustomer",
        ecom_customer,
        (),
        ("tstamp",),
        touch_field="avgProductCategory",
    ),
    Spec(
        "ecomOrders",
        "ecomOrder",
        "EcomOrder",
        ecom_order,
        ("createdDate",),
        ("updatedDate", "tstamp"),
        touch_field="shippingMethod",
    ),
    Spec(
        "ecomOrderProducts",
        "ecomOrderProduct",
        "EcomOrderProduct",
        ecom_order_product,
        ("createdDate",),
        ("updatedDate", "tstamp"),
        "none",
        touch_field="description",
    ),
]

# Collections the API reference does not list; Stitch's extractor reads them account-wide. Model
# names in their 404 bodies are not public; the emulator chooses the resource's own.
_SPECS += [
    Spec("activities", "activity", "Activity", activity, ("tstamp",), (), touch_field="permission"),
    Spec(
        "automationBlocks",
        "automationBlock",
        "AutomationBlock",
        automation_block,
        ("cdate",),
        ("mdate",),
        touch_field="ordernum",
    ),
    Spec("goals", "goal", "Goal", goal, ("cdate",), (), touch_field="name"),
    Spec(
        "bounceLogs",
        "bounceLog",
        "BounceLog",
        bounce_log,
        ("tstamp", "created_timestamp"),
        ("updated_timestamp",),
        touch_field="error",
    ),
    # The singular key is documented: GET /contacts/{id}/contactData answers {"contactDatum": ...}.
    Spec(
        "contactData", "contactDatum", "ContactDatum", contact_datum, ("geoTstamp",), ("tstamp",), touch_field="geoCity"
    ),
    Spec("contactEmails", "contactEmail", "ContactEmail", contact_email, ("sdate",), (), touch_field="source"),
    Spec("emailActivities", "emailActivity", "EmailActivity", email_activity, ("tstamp",), (), touch_field="subject"),
    Spec(
        "campaignLists", "campaignList", "CampaignList", campaign_list, ("cdate",), ("udate",), touch_field="list_amt"
    ),
    Spec("campaignMessages", "campaignMessage", "CampaignMessage", campaign_message, (), (), touch_field="subject"),
    Spec("conversions", "conversion", "Conversion", conversion, ("cdate",), ("udate",), touch_field="name"),
    Spec(
        "conversionTriggers",
        "conversionTrigger",
        "ConversionTrigger",
        conversion_trigger,
        ("cdate",),
        ("udate",),
        touch_field="value",
    ),
    Spec(
        "contactConversions",
        "contactConversion",
        "ContactConversion",
        contact_conversion,
        ("cdate",),
        (),
        touch_field="modifier",
    ),
    Spec("siteMessages", "siteMessage", "SiteMessage", site_message, (), ("ldate",), touch_field="name"),
    Spec("sms", "sms", "Sms", sms, ("sdate",), ("tstamp", "ldate"), touch_field="msg"),
    Spec(
        "configs",
        "config",
        "Config",
        config,
        ("cdate", "created_timestamp"),
        ("udate", "updated_timestamp"),
        touch_field="val",
    ),
    Spec("dealGroupUsers", "dealGroupUser", "DealGroupUser", deal_group_user, ("cdate",), ()),
    Spec(
        "ecomOrderActivities",
        "ecomOrderActivity",
        "EcomOrderActivity",
        ecom_order_activity,
        ("createdDate",),
        ("updatedDate",),
        touch_field="shippingMethod",
    ),
]
# Documented collections added with them.
_SPECS += [
    Spec(
        "tasktypeOutcomeRels",
        "tasktypeOutcomeRel",
        "TasktypeOutcomeRel",
        tasktype_outcome_rel,
        ("created_utc_timestamp",),
        ("updated_utc_timestamp",),
        touch_field="display_order",
    ),
    Spec("groupLimits", "groupLimit", "GroupLimit", group_limit, (), (), touch_field="limitMail"),
    # Rows without an id: "Filtering, ordering and pagination are not supported", nor is reading one
    # domain (https://developers.activecampaign.com/reference/sitetrackingdomains). Whether the list
    # carries a meta is not shown; the emulator sends none.
    Spec("siteTrackingDomains", "siteTrackingDomain", None, site_tracking_domain, (), (), "none", paged=False),
    Spec(
        "customObjectRecords",
        "record",
        None,
        custom_object_record,
        ("createdTimestamp",),
        ("updatedTimestamp",),
        "int",
        touch_field="externalId",
        routed=False,
    ),
]

SPECS: dict[str, Spec] = {s.key: s for s in _SPECS}


__all__ = ["Row", "Spec", "SPECS", "contact_names", "deal_title", "field_value_text"]
