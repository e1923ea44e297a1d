"""Custom objects (https://developers.activecampaign.com/docs/custom-objects-api-guide): the
account's schemas, as apps from the marketplace and the account's own integrations define them, and
their records, each related to a contact.

The schemas are fixed definitions of different shapes; only their records are seeded rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from .context import IdSequence, SeedContext, pick


@dataclass(frozen=True)
class CustomField:
    id: str
    label: str
    type: str  # text, textarea, number, currency, date, datetime, dropdown or multiselect
    options: tuple[str, ...] = ()


@dataclass(frozen=True)
class CustomObjectSchema:
    slug: str
    singular: str
    plural: str
    visibility: str  # "public" for a marketplace app's schema, "private" for the account's own
    fields: tuple[CustomField, ...]
    has_many_contacts: bool
    records_per_contact: float


CUSTOM_OBJECT_SCHEMAS: tuple[CustomObjectSchema, ...] = (
    CustomObjectSchema(
        "shop-order",
        "Shop order",
        "Shop orders",
        "public",
        (
            CustomField("order-total", "Order total", "currency"),
            CustomField("items", "Items", "number"),
            CustomField("placed-on", "Placed on", "date"),
            CustomField("shipped-at", "Shipped at", "datetime"),
            CustomField("status", "Status", "dropdown", ("pending", "paid", "shipped", "refunded")),
            CustomField("gift-note", "Gift note", "textarea"),
        ),
        has_many_contacts=False,
        records_per_contact=0.1,
    ),
    CustomObjectSchema(
        "appointment",
        "Appointment",
        "Appointments",
        "public",
        (
            CustomField("event-type", "Event type", "dropdown", ("demo", "onboarding", "check-in")),
            CustomField("topics", "Topics", "multiselect", ("pricing", "integrations", "reporting", "billing")),
            CustomField("starts-at", "Starts at", "datetime"),
            CustomField("duration", "Duration (minutes)", "number"),
            CustomField("organizer", "Organizer", "text"),
        ),
        has_many_contacts=True,
        records_per_contact=0.05,
    ),
    CustomObjectSchema(
        "support-ticket",
        "Support ticket",
        "Support tickets",
        "private",
        (
            CustomField("subject", "Subject", "text"),
            CustomField("priority", "Priority", "dropdown", ("low", "normal", "high", "urgent")),
            CustomField("opened-on", "Opened on", "date"),
            CustomField("satisfaction", "Satisfaction", "number"),
        ),
        has_many_contacts=False,
        records_per_contact=0.04,
    ),
)


def seed_custom_objects(context: SeedContext) -> None:
    """Records of every schema, made in the last year of the span, each related to a contact."""
    rng = context.rng("customObjectRecords")
    records, ids = context.tables["customObjectRecords"], IdSequence(rng)
    contact_ids = context.ids("contacts")
    for schema_position, schema in enumerate(CUSTOM_OBJECT_SCHEMAS):
        for _ in range(max(2, int(context.contacts * schema.records_per_contact))):
            created = max(context.clock.start, context.clock.end - int(rng.random() * 365 * 86_400))
            records.append(
                ids.next(),
                created,
                context.later(rng, created),
                schema=schema_position,
                contact=pick(rng, contact_ids),
            )
