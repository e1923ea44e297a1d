"""Deletions in ActiveCampaign reaching the destination: a periodic check per stream of which ids it
emitted are gone, emitted as records with ``_ab_cdc_deleted_at`` (docs/activecampaign.md, "Deletions")."""
