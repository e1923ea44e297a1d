"""What the seeders store per table: the columns, their foreign keys, and the small catalogues
whose sizes the record builders (records/) also read."""

from __future__ import annotations

FIELD_TYPES: tuple[str, ...] = ("text", "textarea", "date", "dropdown", "radio", "checkbox", "datetime", "hidden")
OPTION_FIELD_TYPES = frozenset({"dropdown", "radio", "checkbox"})
DEAL_FIELD_TYPES: tuple[str, ...] = ("date", "text", "dropdown", "currency", "number")
ACCOUNT_FIELD_TYPES: tuple[str, ...] = ("text", "multiselect", "number")
USER_COUNT = 4
GROUP_COUNT = 3
AUTOMATION_COUNT = 6

# notes / dealTasks `reltype` codes
REL_DEAL = 1
REL_CONTACT = 2

# (table, column) -> parent table, for columns that are plain foreign keys. Used to pick parents of
# inserted rows; seeding sets them explicitly.
FK_PARENTS: dict[tuple[str, str], str] = {
    ("deals", "contact"): "contacts",
    ("deals", "owner"): "users",
    ("deals", "account"): "accounts",
    ("dealStages", "group"): "dealGroups",
    ("accountContacts", "account"): "accounts",
    ("accountContacts", "contact"): "contacts",
    ("contactTags", "contact"): "contacts",
    ("contactTags", "tag"): "tags",
    ("fieldOptions", "field"): "fields",
    ("fieldRels", "field"): "fields",
    ("fieldValues", "contact"): "contacts",
    ("fieldValues", "field"): "fields",
    ("campaigns", "message"): "messages",
    ("links", "campaign"): "campaigns",
    ("links", "message"): "messages",
    ("dealTasks", "tasktype"): "dealTasktypes",
    ("dealTasks", "user"): "users",
    ("dealTasks", "assignee"): "users",
    ("contactAutomations", "contact"): "contacts",
    ("contactAutomations", "automation"): "automations",
    ("contactLists", "contact"): "contacts",
    ("contactLists", "list"): "lists",
    ("contactDeals", "contact"): "contacts",
    ("contactDeals", "deal"): "deals",
    ("dealCustomFieldData", "dealId"): "deals",
    ("dealCustomFieldData", "customFieldId"): "dealCustomFieldMeta",
    ("accountCustomFieldData", "accountId"): "accounts",
    ("accountCustomFieldData", "customFieldId"): "accountCustomFieldMeta",
    ("dealActivities", "deal"): "deals",
    ("dealActivities", "user"): "users",
    ("ecomCustomers", "contact"): "contacts",
    ("ecomCustomers", "connection"): "connections",
    ("ecomOrders", "customer"): "ecomCustomers",
    ("ecomOrders", "connection"): "connections",
    ("ecomOrderProducts", "orderid"): "ecomOrders",
    ("notes", "user"): "users",
}

TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "contacts": (),
    "deals": ("contact", "group", "stage", "owner", "status", "value", "currency", "account"),
    "dealGroups": ("currency",),
    "dealStages": ("group", "order"),
    "accounts": (),
    "accountContacts": ("account", "contact"),
    "lists": (),
    "tags": (),
    "contactTags": ("contact", "tag"),
    "fields": ("type",),
    "fieldOptions": ("field", "order"),
    "fieldRels": ("field",),
    "fieldValues": ("contact", "field"),
    "campaigns": ("message",),
    "messages": (),
    "links": ("campaign", "message"),
    "forms": (),
    "segments": (),
    "notes": ("relid", "reltype", "user"),
    "dealTasks": ("relid", "reltype", "tasktype", "user", "assignee"),
    "dealTasktypes": (),
    "taskOutcomes": (),
    "automations": (),
    "contactAutomations": ("contact", "automation"),
    "contactLists": ("contact", "list", "status"),
    "contactDeals": ("contact", "deal"),
    "users": (),
    "groups": (),
    "webhooks": (),
    "addresses": (),
    "brandings": (),
    "calendars": (),
    "scores": (),
    "savedResponses": (),
    "templates": (),
    "dealCustomFieldMeta": ("type",),
    "dealCustomFieldData": ("dealId", "customFieldId"),
    "accountCustomFieldMeta": ("type",),
    "accountCustomFieldData": ("accountId", "customFieldId"),
    "dealActivities": ("deal", "stage", "user"),
    "dealRoles": (),
    "connections": (),
    "ecomCustomers": ("contact", "connection"),
    "ecomOrders": ("customer", "connection"),
    "ecomOrderProducts": ("orderid",),
}
