"""Deals and what hangs off them: pipelines and stages, activities, custom fields and their values,
secondary contacts, notes and tasks."""

from __future__ import annotations

import random

from ..dates import NULL
from .columns import DEAL_FIELD_TYPES, REL_CONTACT, REL_DEAL
from .context import IdSequence, SeedContext, by_share, pick

# deals `status` codes, as the deals endpoint's `filters[status]` documents them
# (https://developers.activecampaign.com/reference/deal)
OPEN, WON, LOST = 0, 1, 2


def seed_deals(context: SeedContext) -> None:
    # The account's default task types come with it: null dates, as the API reference's example shows.
    context.catalogue("dealTasktypes", 4, null_dates=lambda index: True)
    context.catalogue("taskOutcomes", 4)
    context.catalogue("dealRoles", 3)
    context.custom_field_catalogue("dealCustomFieldMeta", DEAL_FIELD_TYPES)
    _seed_outcomes_of_task_types(context)
    _DealSeeder(context, _seed_pipelines(context)).seed()
    _seed_pipeline_users(context)
    _seed_notes(context)
    _seed_tasks(context)


def _seed_pipelines(context: SeedContext) -> dict[int, list[int]]:
    """Pipelines of 4 to 6 stages, created in the first half of the span; -> stage ids per pipeline.

    The first pipeline's stages are the account's defaults: recorded API responses show their cdate
    and udate as null."""
    rng = context.rng("dealGroups")
    pipelines, stages = context.tables["dealGroups"], context.tables["dealStages"]
    pipeline_ids, stage_ids = IdSequence(rng, gap_rate=0.1), IdSequence(rng, gap_rate=0.05)
    stages_of: dict[int, list[int]] = {}
    for number in range(3 + context.contacts // 5000):
        created = context.clock.start + int(rng.random() * context.clock.span * 0.5)
        pipeline = pipeline_ids.next()
        currency = 0 if number % 3 else 1
        pipelines.append(pipeline, created, context.later(rng, created), currency=currency)
        stages_of[pipeline] = []
        for order in range(4 + int(rng.random() * 3)):
            stage = stage_ids.next()
            if number == 0:
                stages.append(stage, NULL, NULL, group=pipeline, order=order)
            else:
                stages.append(stage, created, context.later(rng, created), group=pipeline, order=order)
            stages_of[pipeline].append(stage)
    return stages_of


class _DealSeeder:
    """Deals (one per 4 contacts), each with 1 to 5 activities and about 1.5 custom field values,
    then the secondary contacts of some deals."""

    def __init__(self, context: SeedContext, stages_of: dict[int, list[int]]) -> None:
        self.context = context
        self.stages_of = stages_of
        self.rng: random.Random = context.rng("deals")
        self.deals = context.tables["deals"]
        self.activities, self.field_values = context.tables["dealActivities"], context.tables["dealCustomFieldData"]
        self.deal_ids = IdSequence(self.rng)
        self.activity_ids, self.field_value_ids = context.id_sequences(self.rng, 2)
        self.pipeline_ids, self.user_ids = context.ids("dealGroups"), context.ids("users")
        self.account_ids, self.contact_ids = context.ids("accounts"), context.ids("contacts")
        self.pipeline_currency = dict(
            zip(self.pipeline_ids, context.tables["dealGroups"].cols["currency"], strict=True)
        )
        self.custom_field_ids = context.ids("dealCustomFieldMeta")

    def seed(self) -> None:
        for _, created in self.context.spread(self.rng, max(2, self.context.contacts // 4)):
            self._deal(created)
        self._secondary_contacts()

    def _deal(self, created: int) -> None:
        rng = self.rng
        updated = self.context.later(rng, created)
        pipeline = pick(rng, self.pipeline_ids)
        stage = pick(rng, self.stages_of[pipeline])
        status = by_share(rng.random(), ((0.6, OPEN), (0.85, WON)), LOST)
        value = int(rng.random() * rng.random() * 5_000_000)  # cents; a product of draws: most deals are small
        account = pick(rng, self.account_ids) if rng.random() < 0.6 else 0
        deal = self.deal_ids.next()
        self.deals.append(
            deal,
            created,
            updated,
            contact=pick(rng, self.contact_ids),
            group=pipeline,
            stage=stage,
            owner=pick(rng, self.user_ids),
            status=status,
            value=value,
            currency=self.pipeline_currency[pipeline],
            account=account,
        )
        self._activities(deal, stage, created)
        self._custom_field_values(deal, created, updated)

    def _activities(self, deal: int, stage: int, created: int) -> None:
        """The deal's creation, then up to 4 later events in its stage within 120 days."""
        rng = self.rng
        for number in range(1 + int(rng.random() * 5)):
            moment = created if number == 0 else self.context.near(rng, created, 120)
            activity = self.activity_ids.next()
            user = pick(rng, self.user_ids)
            self.activities.append(activity, moment, moment, deal=deal, stage=stage if number else 0, user=user)

    def _custom_field_values(self, deal: int, created: int, updated: int) -> None:
        rng = self.rng
        for field in self.custom_field_ids:
            if rng.random() < 0.3:
                filled = self.context.near(rng, created, 5)
                self.field_values.append(
                    self.field_value_ids.next(),
                    filled,
                    max(filled, updated if rng.random() < 0.4 else filled),
                    dealId=deal,
                    customFieldId=field,
                )

    def _secondary_contacts(self) -> None:
        """contactDeals: other contacts on one deal in 5 (deals may repeat), added within 10 days."""
        rng, deals = self.rng, self.deals
        contact_deals = self.context.tables["contactDeals"]
        contact_deal_ids = IdSequence(rng)
        for _ in range(max(2, self.context.contacts // 20)):
            position = int(rng.random() * len(deals.ids))
            added = self.context.near(rng, deals.created[position], 10)
            contact_deal = contact_deal_ids.next()
            contact = pick(rng, self.contact_ids)
            contact_deals.append(contact_deal, added, added, contact=contact, deal=deals.ids[position])


def _related_deal_or_contact(context: SeedContext, rng: random.Random, deal_share: float) -> tuple[int, int]:
    """(relid, reltype) of a note or task: a deal with `deal_share`, else a contact."""
    if rng.random() < deal_share:
        return pick(rng, context.tables["deals"].ids), REL_DEAL
    return pick(rng, context.tables["contacts"].ids), REL_CONTACT


def _seed_notes(context: SeedContext) -> None:
    """Notes (one per 10 contacts), half on deals and half on contacts."""
    rng = context.rng("notes")
    notes, note_ids, user_ids = context.tables["notes"], IdSequence(rng), context.ids("users")
    for _, created in context.spread(rng, max(2, context.contacts // 10)):
        relid, reltype = _related_deal_or_contact(context, rng, 0.5)
        note = note_ids.next()
        updated = context.later(rng, created)
        notes.append(note, created, updated, relid=relid, reltype=reltype, user=pick(rng, user_ids))


def _seed_tasks(context: SeedContext) -> None:
    """Tasks (one per 10 contacts), 70% on deals, each of a task type, by one user for another."""
    rng = context.rng("dealTasks")
    tasks, task_ids, user_ids = context.tables["dealTasks"], IdSequence(rng), context.ids("users")
    task_type_ids = context.ids("dealTasktypes")
    for _, created in context.spread(rng, max(2, context.contacts // 10)):
        relid, reltype = _related_deal_or_contact(context, rng, 0.7)
        tasks.append(
            task_ids.next(),
            created,
            context.later(rng, created),
            relid=relid,
            reltype=reltype,
            tasktype=pick(rng, task_type_ids),
            user=pick(rng, user_ids),
            assignee=pick(rng, user_ids),
        )


def _seed_outcomes_of_task_types(context: SeedContext) -> None:
    """Each task type offers two of the task outcomes, in a display order."""
    rng = context.rng("tasktypeOutcomeRels")
    relations, ids = context.tables["tasktypeOutcomeRels"], IdSequence(rng, gap_rate=0.0)
    outcome_ids = context.ids("taskOutcomes")
    for number, task_type in enumerate(context.ids("dealTasktypes")):
        for offset in range(2):
            created = context.early(rng, 180)
            outcome = outcome_ids[(number + offset) % len(outcome_ids)]
            relations.append(ids.next(), created, context.later(rng, created), tasktype=task_type, outcome=outcome)


def _seed_pipeline_users(context: SeedContext) -> None:
    """Two users are given each pipeline, when it is made."""
    rng = context.rng("dealGroupUsers")
    members, ids = context.tables["dealGroupUsers"], IdSequence(rng, gap_rate=0.0)
    pipelines, user_ids = context.tables["dealGroups"], context.ids("users")
    for position, pipeline in enumerate(pipelines.ids):
        first = int(rng.random() * len(user_ids))
        for offset in range(2):
            created = pipelines.created[position]
            user = user_ids[(first + offset) % len(user_ids)]
            members.append(ids.next(), created, created, dealGroup=pipeline, user=user)
