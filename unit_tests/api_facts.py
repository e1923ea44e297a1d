"""How the ActiveCampaign API v3 writes its values, as response bodies small enough to read.

Each fact is a body the API sends for one stream family, written here from the behaviour its public
reference documents (the page named in ``source``) or, where only live responses show a form, from
the shape the bundled emulator reproduces (``activecampaign_emulator``, which names its reasons). The
values are made up; the forms are the API's:

- ids and foreign keys as strings (``"id": "5"``), counters and flags as numeric strings (``"0"``);
- ISO 8601 with the account's UTC offset, which follows daylight saving (``-05:00`` in summer,
  ``-06:00`` in winter); ISO in UTC (``+00:00``) on deal custom field data;
- naive ``YYYY-MM-DD HH:MM:SS`` in the account's local time, also in the ``*_utc_timestamp``
  fields, which are not UTC;
- zero dates ``0000-00-00`` and ``0000-00-00 00:00:00`` for "no date", and ``null`` for the same on
  newer records;
- ``[]`` (PHP's empty array) standing for an empty object (``links``);
- empty strings for missing text; a few real ints and bools (deal custom field data's ids, e-commerce
  amounts in cents, ``winProbability``, ``email_empty``), and ``1`` for ``true`` on restricted deals.

``expected`` holds what the connector must make of some of those values (the first record's, after
the schema's normalisation), so the tests check the outcome, not only that it validates. The
schema tests (``test_schemas_match_api_examples.py``) and the normalisation walk
(``records/test_normalization_walk.py``) run every fact on every run; the real bodies kept beside
the repository, when present, are an extra.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

REFERENCE = "https://developers.activecampaign.com/reference"


@dataclass(frozen=True)
class ApiFact:
    name: str
    stream: str  # the stream whose schema types the rows
    key: str  # where the rows are in the body
    body: Mapping[str, Any]  # the response body, envelope and all
    source: str  # the public reference page, or the emulator module that reproduces live responses
    shows: str  # what the body is a fact of
    expected: Mapping[str, Any] = field(default_factory=dict)  # the first record's values once normalised

    @property
    def records(self) -> list[dict[str, Any]]:
        rows = self.body[self.key]
        return list(rows) if isinstance(rows, list) else [rows]


API_FACTS = (
    ApiFact(
        name="contacts",
        stream="contacts",
        key="contacts",
        source=f"{REFERENCE}/list-all-contacts",
        shows="string ids and counters, zero dates on an older contact and nulls on a newer one, ISO with the "
        "account's offset on both sides of daylight saving, naive *_utc_timestamp in local time, the top-level "
        "scoreValues sideload, meta.total as a string",
        body={
            "scoreValues": [],
            "contacts": [
                {
                    "cdate": "2020-01-14T09:03:11-06:00",
                    "email": "ana@example.com",
                    "phone": "",
                    "firstName": "Ana",
                    "lastName": "Lima",
                    "orgid": "0",
                    "orgname": "",
                    "segmentio_id": "",
                    "bounced_hard": "0",
                    "bounced_soft": "1",
                    "bounced_date": "0000-00-00",
                    "ip": "0",
                    "ua": "",
                    "hash": "3f1b2c",
                    "socialdata_lastcheck": "0000-00-00 00:00:00",
                    "email_local": "",
                    "email_domain": "",
                    "sentcnt": "12",
                    "rating_tstamp": "0000-00-00",
                    "gravatar": "1",
                    "deleted": "0",
                    "anonymized": "0",
                    "adate": "2020-06-02T17:40:05-05:00",
                    "udate": "2020-06-02T17:40:05-05:00",
                    "edate": None,
                    "deleted_at": "0000-00-00 00:00:00",
                    "created_utc_timestamp": "2020-01-14 09:03:11",
                    "updated_utc_timestamp": "2020-06-02 17:40:05",
                    "created_timestamp": "2020-01-14 09:03:11",
                    "updated_timestamp": "2020-06-02 17:40:05",
                    "created_by": None,
                    "updated_by": "1",
                    "email_empty": False,
                    "scoreValues": [],
                    "accountContacts": ["4"],
                    "links": {"contactLists": "https://acct.api-us1.com/api/3/contacts/27/contactLists"},
                    "id": "27",
                    "organization": None,
                },
                {
                    "cdate": "2024-11-03T08:00:00-06:00",
                    "email": "bo@example.com",
                    "orgid": "",
                    "bounced_date": None,
                    "rating_tstamp": None,
                    "socialdata_lastcheck": None,
                    "deleted_at": None,
                    "udate": "2024-11-03T08:00:00-06:00",
                    "gravatar": "0",
                    "email_empty": False,
                    "id": "31",
                    "links": {},
                },
            ],
            "meta": {"total": "2", "page_input": {"limit": 20, "offset": 0, "search": None}},
        },
        expected={
            "id": 27,
            "orgid": 0,
            "sentcnt": 12,
            "bounced_soft": 1,
            "gravatar": True,
            "deleted": False,
            "bounced_date": None,
            "rating_tstamp": None,
            "socialdata_lastcheck": None,
            "deleted_at": None,
            "cdate": "2020-01-14T09:03:11-06:00",
            "udate": "2020-06-02T17:40:05-05:00",
            "created_utc_timestamp": "2020-01-14T09:03:11",
            "updated_by": 1,
            "created_by": None,
            "email_empty": False,
            "accountContacts": [4],
        },
    ),
    ApiFact(
        name="deals with a restricted row",
        stream="deals",
        key="deals",
        source=f"{REFERENCE}/list-all-deals",
        shows="a full deal (value in cents as a string, winProbability an int or null, edate naive or a zero "
        "date) beside a deal of a pipeline the user may not manage, which carries only id, title and "
        "isDisabled set to 1; meta.total an int, meta.currencies an object",
        body={
            "deals": [
                {
                    "hash": "a9c1e0",
                    "owner": "1",
                    "contact": "27",
                    "organization": None,
                    "group": "2",
                    "stage": "7",
                    "title": "Annual plan",
                    "description": "",
                    "percent": "0",
                    "cdate": "2021-03-09T10:12:00-06:00",
                    "mdate": "2021-03-30T16:45:12-05:00",
                    "nextdate": None,
                    "nexttaskid": "0",
                    "value": "129900",
                    "currency": "usd",
                    "winProbability": None,
                    "winProbabilityMdate": None,
                    "status": "0",
                    "activitycount": "3",
                    "nextdealid": "0",
                    "edate": "0000-00-00 00:00:00",
                    "links": {"contact": "https://acct.api-us1.com/api/3/deals/12/contact"},
                    "id": "12",
                    "isDisabled": False,
                    "account": None,
                    "customerAccount": None,
                },
                {"id": "13", "isDisabled": 1, "title": "Renewal"},
            ],
            "meta": {"currencies": {"USD": {"total": "1", "value": "129900", "currency": "USD"}}, "total": 2},
        },
        expected={
            "id": 12,
            "owner": 1,
            "value": 129900,
            "percent": 0.0,
            "winProbability": None,
            "edate": None,
            "mdate": "2021-03-30T16:45:12-05:00",
            "nexttaskid": 0,
            "isDisabled": False,
        },
    ),
    ApiFact(
        name="restricted deal alone",
        stream="deals",
        key="deals",
        source=f"{REFERENCE}/deal",
        shows="without the pipeline permission a deal is id, title and isDisabled (1) only: no dates",
        body={"deals": [{"id": "13", "isDisabled": 1, "title": "Renewal"}], "meta": {"total": 1}},
        expected={"id": 13, "isDisabled": True, "title": "Renewal"},
    ),
    ApiFact(
        name="deal custom field data",
        stream="deal_custom_field_values",
        key="dealCustomFieldData",
        source="activecampaign_emulator/records/deals.py (live responses: ISO in UTC, +00:00; the reference "
        "shows naive timestamps)",
        shows="a string id beside int dealId, customFieldId and dealCustomFieldMetumId; timestamps in UTC",
        body={
            "dealCustomFieldData": [
                {
                    "id": "40",
                    "dealId": 12,
                    "customFieldId": 3,
                    "dealCustomFieldMetumId": 3,
                    "createdTimestamp": "2021-03-09T16:12:00+00:00",
                    "updatedTimestamp": "2021-03-30T21:45:12+00:00",
                    "fieldValue": "Enterprise",
                    "links": [],
                }
            ],
            "meta": {"total": 1},
        },
        expected={
            "id": 40,
            "dealId": 12,
            "customFieldId": 3,
            "updatedTimestamp": "2021-03-30T21:45:12+00:00",
            "links": None,
        },
    ),
    ApiFact(
        name="account custom field meta",
        stream="account_custom_fields",
        key="accountCustomFieldMeta",
        source=f"{REFERENCE}/list-all-custom-fields-meta",
        shows="no meta at all; int flags (0, 1) for booleans; fieldOptions null or a list; an int fieldDefault "
        "in a text column; naive timestamps",
        body={
            "accountCustomFieldMeta": [
                {
                    "id": "1",
                    "fieldLabel": "Tier",
                    "fieldType": "dropdown",
                    "fieldOptions": ["Gold", "Silver"],
                    "fieldDefault": 1,
                    "fieldDefaultCurrency": None,
                    "isFormVisible": 1,
                    "isRequired": 0,
                    "displayOrder": 2,
                    "personalization": "",
                    "knownFieldId": None,
                    "hideFieldFlag": 0,
                    "createdTimestamp": "2021-02-01 11:20:00",
                    "updatedTimestamp": "2021-02-05 08:02:09",
                    "links": {"accountCustomFieldData": "https://acct.api-us1.com/api/3/accountCustomFieldMeta/1"},
                },
                {"id": "2", "fieldLabel": "Notes", "fieldType": "text", "fieldOptions": None, "isFormVisible": 0},
            ]
        },
        expected={
            "id": 1,
            "fieldOptions": ["Gold", "Silver"],
            "fieldDefault": "1",
            "isFormVisible": True,
            "isRequired": False,
            "hideFieldFlag": False,
            "personalization": "",
            "updatedTimestamp": "2021-02-05T08:02:09",
        },
    ),
    ApiFact(
        name="accounts",
        stream="accounts",
        key="accounts",
        source=f"{REFERENCE}/list-all-accounts",
        shows="camelCase ISO timestamps with the account's offset; counts as strings; links as [] when the "
        "record has none (PHP writes an empty map as an empty array)",
        body={
            "accounts": [
                {
                    "name": "Lima & Co",
                    "accountUrl": "",
                    "createdTimestamp": "2021-02-05T08:02:09-06:00",
                    "updatedTimestamp": "2021-07-19T13:30:00-05:00",
                    "contactCount": "3",
                    "dealCount": "0",
                    "links": [],
                    "id": "4",
                }
            ],
            "meta": {"total": "1"},
        },
        expected={"id": 4, "contactCount": 3, "dealCount": 0, "links": None, "accountUrl": ""},
    ),
    ApiFact(
        name="tags",
        stream="tags",
        key="tags",
        source=f"{REFERENCE}/retrieve-all-tags",
        shows="naive created_timestamp and updated_timestamp beside an ISO cdate; subscriber_count a string",
        body={
            "tags": [
                {
                    "tagType": "contact",
                    "tag": "vip",
                    "description": "",
                    "subscriber_count": "41",
                    "cdate": "2020-08-21T12:00:31-05:00",
                    "created_timestamp": "2020-08-21 12:00:31",
                    "updated_timestamp": "2022-02-11 07:15:44",
                    "created_by": None,
                    "updated_by": None,
                    "links": {"contactGoalTags": "https://acct.api-us1.com/api/3/tags/9/contactGoalTags"},
                    "id": "9",
                }
            ],
            "meta": {"total": "1"},
        },
        expected={"id": 9, "subscriber_count": 41, "updated_timestamp": "2022-02-11T07:15:44", "updated_by": None},
    ),
    ApiFact(
        name="default deal stage",
        stream="deal_stages",
        key="dealStages",
        source=f"{REFERENCE}/list-all-deal-stages",
        shows="the stages a pipeline is made with have null cdate and udate; order and width numeric strings",
        body={
            "dealStages": [
                {
                    "group": "2",
                    "title": "To Contact",
                    "color": "32B0FC",
                    "order": "1",
                    "width": "280",
                    "cdate": None,
                    "udate": None,
                    "links": {"group": "https://acct.api-us1.com/api/3/dealStages/7/group"},
                    "id": "7",
                }
            ],
            "meta": {"total": "1"},
        },
        expected={"id": 7, "group": 2, "order": 1, "width": 280, "cdate": None, "udate": None},
    ),
    ApiFact(
        name="pipelines",
        stream="deal_pipelines",
        key="dealGroups",
        source=f"{REFERENCE}/list-all-pipelines",
        shows="stages as a list of string ids, flags as numeric strings, the dealStages sideload beside",
        body={
            "dealGroups": [
                {
                    "title": "Sales",
                    "currency": "usd",
                    "autoassign": "1",
                    "allusers": "1",
                    "allgroups": "0",
                    "win_probability_initialize_date": None,
                    "cdate": "2019-05-20T09:10:11-05:00",
                    "udate": "2019-05-20T09:10:11-05:00",
                    "stages": ["7", "8"],
                    "links": {"dealGroupUsers": "https://acct.api-us1.com/api/3/dealGroups/2/dealGroupUsers"},
                    "id": "2",
                }
            ],
            "dealStages": [],
            "meta": {"total": "1"},
        },
        expected={"id": 2, "autoassign": 1, "allusers": True, "allgroups": False, "stages": [7, 8]},
    ),
    ApiFact(
        name="users",
        stream="users",
        key="users",
        source=f"{REFERENCE}/list-all-users",
        shows="the account owner has null cdate and udate; password_updated_utc_timestamp a zero date",
        body={
            "users": [
                {
                    "username": "admin",
                    "firstName": "Ana",
                    "lastName": "Lima",
                    "email": "ana@example.com",
                    "phone": "",
                    "signature": None,
                    "localZoneid": "America/Chicago",
                    "password_updated_utc_timestamp": "0000-00-00 00:00:00",
                    "cdate": None,
                    "udate": None,
                    "mfaEnabled": "0",
                    "links": {"lists": "https://acct.api-us1.com/api/3/users/1/lists"},
                    "id": "1",
                }
            ],
            "meta": {"total": "1"},
        },
        expected={"id": 1, "password_updated_utc_timestamp": None, "cdate": None, "mfaEnabled": False},
    ),
    ApiFact(
        name="custom field values",
        stream="custom_field_values",
        key="fieldValues",
        source=f"{REFERENCE}/list-all-custom-field-values",
        shows="a value is always a string, whatever the field's type: a date field's YYYY-MM-DD, a "
        "multiselect's ||a||b||, an empty string",
        body={
            "fieldValues": [
                {
                    "contact": "27",
                    "field": "3",
                    "value": "2018-05-10",
                    "cdate": "2020-01-14T09:03:11-06:00",
                    "udate": "2020-01-14T09:03:11-06:00",
                    "created_by": None,
                    "updated_by": None,
                    "links": {"owner": "https://acct.api-us1.com/api/3/fieldValues/88/owner"},
                    "id": "88",
                    "owner": "27",
                },
                {"contact": "27", "field": "4", "value": "||Red||Blue||", "id": "89", "owner": "27"},
                {"contact": "31", "field": "4", "value": "", "id": "90", "owner": "31"},
            ],
            "meta": {"total": "3"},
        },
        expected={"id": 88, "contact": 27, "field": 3, "value": "2018-05-10", "owner": 27},
    ),
    ApiFact(
        name="contact automations",
        stream="contact_automations",
        key="contactAutomations",
        source=f"{REFERENCE}/list-all-contact-automations",
        shows="real ints for completed, completeValue, completedElements and totalElements beside string ids; "
        "remdate null while the contact is in the automation",
        body={
            "contactAutomations": [
                {
                    "contact": "27",
                    "seriesid": "2",
                    "startid": "0",
                    "status": "1",
                    "batchid": None,
                    "adddate": "2021-04-01T10:00:00-05:00",
                    "remdate": None,
                    "timespan": None,
                    "lastblock": "5",
                    "lastlogid": "0",
                    "lastdate": "2021-04-02T10:00:00-05:00",
                    "in_als": "0",
                    "completedElements": 2,
                    "totalElements": 4,
                    "completed": 0,
                    "completeValue": 50,
                    "links": {"automation": "https://acct.api-us1.com/api/3/contactAutomations/61/automation"},
                    "id": "61",
                    "automation": "2",
                }
            ],
            "meta": {"total": "1", "showcase_stats": []},
        },
        expected={
            "id": 61,
            "status": 1,
            "completed": False,
            "completeValue": 50,
            "completedElements": 2,
            "remdate": None,
            "timespan": None,
        },
    ),
    ApiFact(
        name="e-commerce orders",
        stream="ecommerce_orders",
        key="ecomOrders",
        source=f"{REFERENCE}/list-all-orders",
        shows="amounts as ints in cents, state an int, ids as strings; the reference's example writes an hour "
        "without its leading zero (2019-09-06T2:10:00-05:00), which must still parse",
        body={
            "ecomOrders": [
                {
                    "externalid": "3001",
                    "source": "1",
                    "email": "ana@example.com",
                    "currency": "USD",
                    "connectionid": "1",
                    "customerid": "5",
                    "orderNumber": "3001",
                    "orderUrl": "",
                    "totalPrice": 4599,
                    "shippingAmount": 500,
                    "taxAmount": 99,
                    "discountAmount": 0,
                    "externalCreatedDate": "2021-05-06T2:10:00-05:00",
                    "totalProducts": 2,
                    "createdDate": "2021-05-06T02:10:04-05:00",
                    "updatedDate": "2021-05-06T02:10:04-05:00",
                    "state": 1,
                    "connection": "1",
                    "customer": "5",
                    "orderDate": "2021-05-06T02:10:00-05:00",
                    "tstamp": "2021-05-06T02:10:04-05:00",
                    "links": {"orderProducts": "https://acct.api-us1.com/api/3/ecomOrders/8/orderProducts"},
                    "id": "8",
                }
            ],
            "meta": {"total": "1"},
        },
        expected={
            "id": 8,
            "totalPrice": 4599,
            "connectionid": 1,
            "state": 1,
            "externalCreatedDate": "2021-05-06T02:10:00-05:00",
            "orderUrl": "",
        },
    ),
    ApiFact(
        name="contact lists",
        stream="contact_lists",
        key="contactLists",
        source=f"{REFERENCE}/get-contact",
        shows="a contact's list memberships as /contacts/{id} sideloads them: sdate null until the contact "
        "subscribes, status and flags as numeric strings, naive created_timestamp",
        body={
            "contact": {"id": "27", "email": "ana@example.com"},
            "contactLists": [
                {
                    "contact": "27",
                    "list": "1",
                    "form": None,
                    "seriesid": "0",
                    "sdate": None,
                    "udate": None,
                    "status": "1",
                    "responder": "1",
                    "sync": "0",
                    "unsubreason": None,
                    "campaign": None,
                    "message": None,
                    "first_name": "Ana",
                    "last_name": "Lima",
                    "ip4Sub": "0",
                    "sourceid": "0",
                    "autosyncLog": None,
                    "ip4_last": "0",
                    "ip4Unsub": "0",
                    "created_timestamp": "2020-01-14 09:03:11",
                    "updated_timestamp": "2020-01-14 09:03:11",
                    "created_by": None,
                    "updated_by": None,
                    "unsubscribeAutomation": None,
                    "links": {"list": "https://acct.api-us1.com/api/3/contactLists/14/list"},
                    "id": "14",
                    "automation": None,
                }
            ],
        },
        expected={
            "id": 14,
            "list": 1,
            "status": 1,
            "responder": True,
            "sync": False,
            "sdate": None,
            "created_timestamp": "2020-01-14T09:03:11",
        },
    ),
)
