"""Contacts and what hangs off them: lists, tags, custom fields and their values, automations,
accounts."""

from __future__ import annotations

import random

from ..table import Table
from .columns import ACCOUNT_FIELD_TYPES, AUTOMATION_COUNT, FIELD_TYPES, OPTION_FIELD_TYPES
from .context import IdSequence, SeedContext, by_share, pick

# contactLists `status` codes, as the contacts endpoint's `status` filter documents them
# (https://developers.activecampaign.com/reference/list-all-contacts)
UNCONFIRMED, ACTIVE, UNSUBSCRIBED, BOUNCED = 0, 1, 2, 3


def seed_contacts(context: SeedContext) -> None:
    context.catalogue("automations", AUTOMATION_COUNT)
    context.catalogue("lists", max(3, context.contacts // 500))
    context.catalogue("tags", context.contacts // 100 + 5)
    _seed_fields(context)
    _ContactSeeder(context).seed()
    _seed_accounts(context)


def _seed_fields(context: SeedContext) -> None:
    """One contact custom field per type; choice fields get 3 or 4 options."""
    rng = context.rng("fields")
    fields, options, relations = (context.tables[name] for name in ("fields", "fieldOptions", "fieldRels"))
    field_ids = IdSequence(rng, gap_rate=0.2)
    option_ids, relation_ids = IdSequence(rng, gap_rate=0.1), IdSequence(rng, gap_rate=0.1)
    for type_index, field_type in enumerate(FIELD_TYPES):
        created = context.early(rng, 90)
        field = field_ids.next()
        fields.append(field, created, context.later(rng, created), type=type_index)
        relations.append(relation_ids.next(), created, created, field=field)
        if field_type in OPTION_FIELD_TYPES:
            for order in range(3 + int(rng.random() * 2)):
                options.append(option_ids.next(), created, created, field=field, order=order)


class _ContactSeeder:
    """Contacts, one at a time with their child rows: about 1.2 list memberships, 1.5 tags,
    2 custom field values and 0.5 automation runs per contact."""

    def __init__(self, context: SeedContext) -> None:
        self.context = context
        self.rng: random.Random = context.rng("contacts")
        self.list_ids, self.tag_ids = context.ids("lists"), context.ids("tags")
        self.field_ids, self.automation_ids = context.ids("fields"), context.ids("automations")
        names = ("contactLists", "contactTags", "fieldValues", "contactAutomations")
        self.memberships, self.contact_tags, self.field_values, self.runs = (context.tables[name] for name in names)
        self.contact_ids = IdSequence(self.rng)
        sequences = context.id_sequences(self.rng, 4)
        self.membership_ids, self.contact_tag_ids, self.field_value_ids, self.run_ids = sequences

    def seed(self) -> None:
        context, rng = self.context, self.rng
        contacts = context.tables["contacts"]
        for _, created in context.spread(rng, context.contacts, slot_first=True):
            updated = context.later(rng, created)
            contact = self.contact_ids.next()
            contacts.append(contact, created, updated)
            self._list_memberships(contact, created, updated)
            self._tags(contact, created)
            self._field_values(contact, created, updated)
            self._automation_run(contact, created)

    def _edited_with_contact(self, moment: int, contact_updated: int, chance: float) -> int:
        """A child row's update time: the contact's own, with `chance`, else its creation time."""
        return max(moment, contact_updated if self.rng.random() < chance else moment)

    def _list_memberships(self, contact: int, created: int, updated: int) -> None:
        rng, list_ids = self.rng, self.list_ids
        first_list = int(rng.random() * len(list_ids))
        for offset in range(2 if rng.random() < 0.2 else 1):
            status = by_share(rng.random(), ((0.75, ACTIVE), (0.9, UNSUBSCRIBED), (0.95, UNCONFIRMED)), BOUNCED)
            subscribed = self.context.near(rng, created, 2)
            self.memberships.append(
                self.membership_ids.next(),
                subscribed,
                self._edited_with_contact(subscribed, updated, 0.5),
                contact=contact,
                list=list_ids[(first_list + offset) % len(list_ids)],
                status=status,
            )

    def _tags(self, contact: int, created: int) -> None:
        rng, tag_ids = self.rng, self.tag_ids
        tag_count = by_share(rng.random(), ((0.15, 0), (0.5, 1), (0.85, 2)), 3)
        first_tag = int(rng.random() * len(tag_ids))
        for number in range(tag_count):
            tagged = self.context.near(rng, created, 60)
            tag = tag_ids[(first_tag + number * 7) % len(tag_ids)]
            self.contact_tags.append(self.contact_tag_ids.next(), tagged, tagged, contact=contact, tag=tag)

    def _field_values(self, contact: int, created: int, updated: int) -> None:
        rng = self.rng
        for field in self.field_ids:
            if rng.random() < 0.25:
                filled = self.context.near(rng, created, 1)
                self.field_values.append(
                    self.field_value_ids.next(),
                    filled,
                    self._edited_with_contact(filled, updated, 0.3),
                    contact=contact,
                    field=field,
                )

    def _automation_run(self, contact: int, created: int) -> None:
        rng = self.rng
        if rng.random() < 0.5:
            entered = self.context.near(rng, created, 90)
            self.runs.append(
                self.run_ids.next(),
                entered,
                self.context.near(rng, entered, 20),
                contact=contact,
                automation=pick(rng, self.automation_ids),
            )


def _seed_accounts(context: SeedContext) -> None:
    """Accounts (companies), their contacts, and their custom field values (half the fields each)."""
    context.custom_field_catalogue("accountCustomFieldMeta", ACCOUNT_FIELD_TYPES)
    rng = context.rng("accounts")
    accounts: Table = context.tables["accounts"]
    account_ids = IdSequence(rng)
    for _, created in context.spread(rng, max(1, context.contacts // 20)):
        accounts.append(account_ids.next(), created, context.later(rng, created))
    contact_ids = context.ids("contacts")
    members = context.tables["accountContacts"]
    member_ids = IdSequence(rng)
    for _, created in context.spread(rng, max(2, context.contacts // 10)):
        members.append(
            member_ids.next(),
            created,
            context.later(rng, created),
            account=pick(rng, accounts.ids),
            contact=pick(rng, contact_ids),
        )
    values = context.tables["accountCustomFieldData"]
    value_ids = IdSequence(rng)
    field_ids = context.ids("accountCustomFieldMeta")
    for position, account in enumerate(accounts.ids):
        for field in field_ids:
            if rng.random() < 0.5:
                filled = context.near(rng, accounts.created[position], 10)
                value = value_ids.next()
                values.append(value, filled, context.later(rng, filled), accountId=account, customFieldId=field)
