"""Deterministic seeding of every table from (contacts, seed, clock).

Only columns are produced here (ids, create/update epochs, foreign keys, small codes); record
bodies come from collection_specs.py. Proportions follow a typical account: deals N/4, contactLists
~1.2 N, contactTags ~1.5 N, fieldValues ~2 N and so on, with a floor so that every resource has
rows even for N = 20. Ids have occasional gaps, as a real account's do after deletes.

One seeder per area of the API, like records/: settings, contacts, deals, marketing, e-commerce.
"""

from __future__ import annotations

from ..table import Table
from .columns import (
    ACCOUNT_FIELD_TYPES,
    BLOCK_KINDS,
    DEAL_FIELD_TYPES,
    FIELD_TYPES,
    FK_PARENTS,
    OPTION_FIELD_TYPES,
    REL_CONTACT,
    REL_DEAL,
    TABLE_COLUMNS,
)
from .contacts import seed_contacts
from .context import SeedContext
from .custom_objects import CUSTOM_OBJECT_SCHEMAS, CustomField, CustomObjectSchema, seed_custom_objects
from .deals import seed_deals
from .ecommerce import seed_ecommerce, seed_order_activities
from .engagement import seed_engagement
from .marketing import seed_marketing
from .settings import seed_settings
from .time_span import DataUntil, SeedClock

# In dependency order: each seeder reads only ids of tables seeded before it.
SEEDERS = (
    seed_settings,
    seed_contacts,
    seed_deals,
    seed_marketing,
    seed_ecommerce,
    seed_order_activities,
    seed_engagement,
    seed_custom_objects,
)


def build_tables(contacts: int, seed: int, clock: SeedClock | None = None) -> dict[str, Table]:
    if contacts < 1:
        raise ValueError("contacts must be >= 1")
    tables = {name: Table(name, columns) for name, columns in TABLE_COLUMNS.items()}
    context = SeedContext(contacts, seed, clock or SeedClock(), tables)
    for seeder in SEEDERS:
        seeder(context)
    for table in tables.values():
        table.bump_struct()
    return tables


__all__ = [
    "ACCOUNT_FIELD_TYPES",
    "BLOCK_KINDS",
    "CUSTOM_OBJECT_SCHEMAS",
    "CustomField",
    "CustomObjectSchema",
    "DEAL_FIELD_TYPES",
    "FIELD_TYPES",
    "FK_PARENTS",
    "OPTION_FIELD_TYPES",
    "REL_CONTACT",
    "REL_DEAL",
    "DataUntil",
    "SeedClock",
    "build_tables",
]
