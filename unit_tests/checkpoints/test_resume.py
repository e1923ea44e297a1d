"""A killed first read's checkpoints move from the saved state into the config."""

from datetime import datetime, timezone
from typing import Any

from airbyte_cdk.models import AirbyteStateMessage, SyncMode
from airbyte_cdk.test.catalog_builder import CatalogBuilder
from airbyte_cdk.test.state_builder import StateBuilder

from source_activecampaign.checkpoints.resume import (
    CHECKPOINTS_CONFIG_KEY,
    checkpoint_of,
    take_checkpoints,
    without_checkpoints,
)
from source_activecampaign.source import SourceActivecampaign
from unit_tests.mock_server.config import ConfigBuilder

CHECKPOINT = {"first_read": {"started_at": "2025-07-01T10:00:00+0000", "unread": [{"partition": {}}]}}


def _names(state: list[AirbyteStateMessage] | None) -> list[str]:
    return [message.stream.stream_descriptor.name for message in state or [] if message.stream is not None]


def test_checkpoints_are_taken_out_of_the_state_and_other_states_kept() -> None:
    state = (
        StateBuilder()
        .with_stream_state("deals", CHECKPOINT)
        .with_stream_state("contacts", {"udate": "2025-06-30T00:00:00+0000"})
        .with_stream_state("tags", {"use_global_cursor": False, "states": []})
        .build()
    )

    kept, checkpoints = take_checkpoints(state)

    assert _names(kept) == ["contacts", "tags"]
    assert checkpoints == {"deals": CHECKPOINT}


def test_no_state_no_checkpoint() -> None:
    assert take_checkpoints(None) == (None, {})
    assert take_checkpoints([]) == ([], {})


def test_a_stream_finds_its_checkpoint_in_the_config() -> None:
    config: dict[str, Any] = {CHECKPOINTS_CONFIG_KEY: {"deals": CHECKPOINT, "contacts": {"first_read": "garbage"}}}
    assert checkpoint_of(config, "deals") == CHECKPOINT["first_read"]
    assert checkpoint_of(config, "contacts") is None
    assert checkpoint_of(config, "tags") is None
    assert checkpoint_of({}, "deals") is None


def test_a_stream_that_must_read_everything_again_loses_its_checkpoint_and_the_others_keep_theirs() -> None:
    state = (
        StateBuilder()
        .with_stream_state("contact_tags", CHECKPOINT)
        .with_stream_state("deals", CHECKPOINT)
        .with_stream_state("tags", {"updated_timestamp": "2025-06-30T00:00:00+0000"})
        .build()
    )

    assert _names(without_checkpoints(state, ["contact_tags", "tags"])) == ["deals", "tags"]
    assert without_checkpoints(state, []) is state


def test_given_a_deletion_check_due_when_a_killed_first_read_left_a_checkpoint_then_it_reads_everything() -> None:
    # contact_tags was killed midway through a first read more than a week ago: its check is due, and a
    # check counts only when it read the whole collection. deals' check is not due: it resumes.
    checked = {"last_deletions_check": "2025-06-01T00:00:00+00:00"}
    state = (
        StateBuilder()
        .with_stream_state("contact_tags", {**CHECKPOINT, **checked})
        .with_stream_state("deals", {**CHECKPOINT, "last_deletions_check": datetime.now(timezone.utc).isoformat()})
        .build()
    )
    catalog = (
        CatalogBuilder()
        .with_stream("contact_tags", SyncMode.incremental)
        .with_stream("deals", SyncMode.incremental)
        .build()
    )

    source = SourceActivecampaign(config=ConfigBuilder().build(), catalog=catalog, state=state)

    assert set(source.planned_config[CHECKPOINTS_CONFIG_KEY]) == {"deals"}
    assert _names(source.planned_state) == []
