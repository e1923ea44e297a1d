"""A killed first read's checkpoints move from the saved state into the config."""

from typing import Any

from airbyte_cdk.models import AirbyteStateMessage
from airbyte_cdk.test.state_builder import StateBuilder

from source_activecampaign.checkpoints.resume import CHECKPOINTS_CONFIG_KEY, checkpoint_of, take_checkpoints

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
