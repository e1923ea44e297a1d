"""Campaigns, their messages and tracked links; forms, segments, templates and webhooks."""

from __future__ import annotations

from .context import SeedContext


def seed_marketing(context: SeedContext) -> None:
    for name, count in (("webhooks", 3), ("templates", 5), ("forms", 5), ("segments", 5)):
        context.catalogue(name, count)
    _seed_campaigns(context)


def _seed_campaigns(context: SeedContext) -> None:
    """One message per campaign plus two no campaign uses; each campaign tracks 2 to 4 links."""
    rng = context.rng("campaigns")
    campaign_count = context.contacts // 200 + 3
    messages, campaigns, links = (context.tables[name] for name in ("messages", "campaigns", "links"))
    message_ids, campaign_ids, link_ids = context.id_sequences(rng, 3)
    for _, created in context.spread(rng, campaign_count + 2):
        messages.append(message_ids.next(), created, context.later(rng, created))
    for index in range(campaign_count):
        created = messages.created[index]
        message = messages.ids[index]
        campaign = campaign_ids.next()
        campaigns.append(campaign, created, context.later(rng, created), message=message)
        for link_number in range(2 + int(rng.random() * 3)):
            # The first link is the open tracker, tied to no message (messageid "0" in the API
            # reference's example of a campaign's links).
            links.append(link_ids.next(), created, created, campaign=campaign, message=message if link_number else 0)
