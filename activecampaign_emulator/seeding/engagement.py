"""What contacts did with the account's emails and automations: activities, emails sent, email
activities, bounces, tracking data; automation blocks and goals; campaigns' lists and messages;
conversions, site messages and SMS."""

from __future__ import annotations

import random

from ..table import Table
from .columns import BLOCK_KINDS
from .context import IdSequence, SeedContext, pick

START, SEND, WAIT, ADD_TAG, GOAL = range(len(BLOCK_KINDS))


def seed_engagement(context: SeedContext) -> None:
    _seed_automation_blocks(context)
    _seed_campaign_parts(context)
    _seed_conversions(context)
    _seed_contact_engagement(context)
    _seed_site_messages_and_sms(context)


def _seed_automation_blocks(context: SeedContext) -> None:
    """Each automation: a start block, then 2 to 5 send / wait / add-tag blocks, some ending in a goal
    (a goals row of its own)."""
    rng = context.rng("automationBlocks")
    blocks, goals = context.tables["automationBlocks"], context.tables["goals"]
    block_ids, goal_ids = IdSequence(rng, gap_rate=0.05), IdSequence(rng, gap_rate=0.0)
    automations = context.tables["automations"]
    for position, automation in enumerate(automations.ids):
        created = max(automations.created[position], context.clock.start)
        kinds = [START] + [pick(rng, (SEND, WAIT, ADD_TAG, SEND)) for _ in range(2 + int(rng.random() * 4))]
        if rng.random() < 0.6:
            kinds.append(GOAL)
        parent = 0
        for order, kind in enumerate(kinds):
            block = block_ids.next()
            blocks.append(
                block,
                created,
                context.later(rng, created),
                automation=automation,
                parent=parent,
                order=order,
                kind=kind,
            )
            if kind == GOAL:
                goals.append(goal_ids.next(), created, created, automation=automation, block=block)
            parent = block


def _seed_campaign_parts(context: SeedContext) -> None:
    """Each campaign is sent to one or two lists, and sends its one message."""
    rng = context.rng("campaignLists")
    campaigns, lists = context.tables["campaigns"], context.ids("lists")
    campaign_lists, campaign_messages = context.tables["campaignLists"], context.tables["campaignMessages"]
    list_ids, message_ids = IdSequence(rng), IdSequence(rng)
    for position, campaign in enumerate(campaigns.ids):
        created = campaigns.created[position]
        first = int(rng.random() * len(lists))
        for offset in range(2 if rng.random() < 0.3 else 1):
            campaign_lists.append(
                list_ids.next(),
                created,
                context.later(rng, created),
                campaign=campaign,
                list=lists[(first + offset) % len(lists)],
            )
        message = campaigns.cols["message"][position]
        campaign_messages.append(message_ids.next(), created, created, campaign=campaign, message=message)


def _seed_conversions(context: SeedContext) -> None:
    """Three conversions, each counted by one or two triggers (some held by an automation's goal), and
    the contacts that converted (one per 20 contacts)."""
    context.catalogue("conversions", 3)
    rng = context.rng("conversionTriggers")
    triggers, conversions = context.tables["conversionTriggers"], context.tables["conversions"]
    trigger_ids = IdSequence(rng, gap_rate=0.0)
    goal_blocks = list(context.tables["goals"].cols["block"]) or [0]
    for position, conversion in enumerate(conversions.ids):
        created = conversions.created[position]
        for _ in range(1 + int(rng.random() * 2)):
            block = pick(rng, goal_blocks) if rng.random() < 0.5 else 0
            triggers.append(
                trigger_ids.next(), created, context.later(rng, created), conversion=conversion, block=block
            )
    converted = context.tables["contactConversions"]
    converted_ids = IdSequence(rng)
    contacts = context.tables["contacts"]
    for _ in range(max(2, context.contacts // 20)):
        position = int(rng.random() * len(contacts.ids))
        trigger = int(rng.random() * len(triggers.ids))
        moment = context.near(rng, contacts.created[position], 60)
        converted.append(
            converted_ids.next(),
            moment,
            moment,
            contact=contacts.ids[position],
            conversion=triggers.cols["conversion"][trigger],
            trigger=triggers.ids[trigger],
        )


def _seed_contact_engagement(context: SeedContext) -> None:
    """Per contact, in one pass: tracking data for one in three, activities for one in two, an email
    from a user for one in ten, a logged email activity for one in ten, a bounce for one in fifty."""
    rng = context.rng("activities")
    contacts = context.tables["contacts"]
    user_ids, message_ids, deal_ids = context.ids("users"), context.ids("messages"), context.ids("deals")
    campaigns = context.tables["campaigns"]
    names = ("activities", "contactData", "contactEmails", "emailActivities", "bounceLogs")
    activities, tracking, emails, email_activities, bounces = (context.tables[name] for name in names)
    sequences = [IdSequence(rng) for _ in names]
    for position, contact in enumerate(contacts.ids):
        created = contacts.created[position]
        if rng.random() < 1 / 3 or position < 2:
            seen = context.near(rng, created, 30)
            tracking.append(sequences[1].next(), seen, context.later(rng, seen), contact=contact)
        if rng.random() < 0.5 or position < 5:
            moment = context.near(rng, created, 120)
            user = pick(rng, user_ids) if rng.random() < 0.3 else 0
            activities.append(
                sequences[0].next(), moment, moment, contact=contact, user=user, kind=int(rng.random() * 5)
            )
        if rng.random() < 0.1 or position < 3:
            sent = context.near(rng, created, 90)
            emails.append(
                sequences[2].next(),
                sent,
                sent,
                contact=contact,
                message=pick(rng, message_ids),
                user=pick(rng, user_ids),
            )
        if rng.random() < 0.1 or position < 3:
            logged = context.near(rng, created, 90)
            deal = pick(rng, deal_ids) if rng.random() < 0.5 else 0
            email_activities.append(
                sequences[3].next(), logged, logged, contact=contact, deal=deal, user=pick(rng, user_ids)
            )
        if rng.random() < 0.02 or position < 2:
            _bounce(context, rng, bounces, sequences[4], contact, created, campaigns)


def _bounce(
    context: SeedContext,
    rng: random.Random,
    bounces: Table,
    ids: IdSequence,
    contact: int,
    created: int,
    campaigns: Table,
) -> None:
    """One bounce of a campaign's email to the contact, logged once."""
    campaign_position = int(rng.random() * len(campaigns.ids))
    bounced = context.near(rng, max(created, campaigns.created[campaign_position]), 10)
    bounces.append(
        ids.next(),
        bounced,
        bounced,
        contact=contact,
        campaign=campaigns.ids[campaign_position],
        message=campaigns.cols["message"][campaign_position],
    )


def _seed_site_messages_and_sms(context: SeedContext) -> None:
    """Two site messages and two SMS broadcasts, each shown or sent by an automation."""
    rng = context.rng("siteMessages")
    automation_ids, user_ids = context.ids("automations"), context.ids("users")
    for name in ("siteMessages", "sms"):
        table, ids = context.tables[name], IdSequence(rng, gap_rate=0.0)
        for _ in range(2):
            created = context.early(rng, 365)
            columns = {"automation": pick(rng, automation_ids)}
            if name == "sms":
                columns["user"] = pick(rng, user_ids)
            table.append(ids.next(), created, context.later(rng, created), **columns)
