"""Account settings: users, groups, addresses, brandings, calendars, scores, saved responses and
e-commerce connections, all small tables made in the account's first months."""

from __future__ import annotations

from .columns import GROUP_COUNT, USER_COUNT
from .context import SeedContext


def seed_settings(context: SeedContext) -> None:
    # User 1 is the account owner, made with the account: recorded API responses show its cdate and
    # udate as null.
    context.catalogue("users", USER_COUNT, null_dates=lambda index: index == 0)
    context.catalogue("groups", GROUP_COUNT)
    context.catalogue("addresses", 2)
    context.catalogue("brandings", 1)
    context.catalogue("calendars", 2)
    context.catalogue("scores", 3)
    context.catalogue("savedResponses", 3)
    context.catalogue("connections", 2)
    context.catalogue("configs", 6)
    context.catalogue("siteTrackingDomains", 3)
    _seed_group_limits(context)


def _seed_group_limits(context: SeedContext) -> None:
    """One row of sending limits per user group, made with the group."""
    limits, groups = context.tables["groupLimits"], context.tables["groups"]
    for position, group in enumerate(groups.ids):
        limits.append(group, groups.created[position], groups.updated[position], group=group)
