"""A first read killed midway, resumed: its checkpoints move from the saved state into the config.

The CDK picks a stream's first read (``StateDelegatingStream``'s ``full_refresh_stream``) only when the
stream has no state, and a checkpoint is a state. So the source takes every checkpoint out of the
state it hands the CDK and puts it under ``first_read_checkpoints`` in the config, where the first
read's cursor (``FirstReadCursor``) resumes from it; every other state is left as it is.

State ``[{"type": "STREAM", "stream": {"stream_descriptor": {"name": "deals"}, "stream_state":
{"first_read": {...}}}}, <contacts' state>]`` -> the state ``[<contacts' state>]`` and
``{"deals": {"first_read": {...}}}``.
"""

from collections.abc import Collection, Mapping
from typing import Any

from airbyte_cdk.models import AirbyteStateMessage, AirbyteStateType
from airbyte_cdk.sources.connector_state_manager import ConnectorStateManager

from source_activecampaign.checkpoints.read_so_far import CHECKPOINT_KEY

CHECKPOINTS_CONFIG_KEY = "first_read_checkpoints"


def is_checkpoint(stream_state: Mapping[str, Any] | None) -> bool:
    return isinstance(stream_state, Mapping) and isinstance(stream_state.get(CHECKPOINT_KEY), Mapping)


def take_checkpoints(
    state: list[AirbyteStateMessage] | None,
) -> tuple[list[AirbyteStateMessage] | None, dict[str, Mapping[str, Any]]]:
    """The state without the streams' checkpoints, and the checkpoints by stream name."""
    if not state:
        return state, {}
    states = ConnectorStateManager(state=state)
    checkpoints: dict[str, Mapping[str, Any]] = {}
    kept: list[AirbyteStateMessage] = []
    for message in state:
        stream = message.stream if message.type == AirbyteStateType.STREAM else None
        if stream is not None and stream.stream_descriptor.namespace is None:
            name = stream.stream_descriptor.name
            stream_state = states.get_stream_state(name, None)
            if is_checkpoint(stream_state):
                checkpoints[name] = dict(stream_state)
                continue
        kept.append(message)
    return kept, checkpoints


def without_checkpoints(
    state: list[AirbyteStateMessage] | None, streams: Collection[str]
) -> list[AirbyteStateMessage] | None:
    """The state without the checkpoints of ``streams``, which read everything again: a stream whose
    deletion check is due must read its whole collection for the check to count, not what a killed
    first read left."""
    if not state or not streams:
        return state
    states = ConnectorStateManager(state=state)
    return [
        message
        for message in state
        if not (
            message.type == AirbyteStateType.STREAM
            and message.stream is not None
            and message.stream.stream_descriptor.name in streams
            and is_checkpoint(states.get_stream_state(message.stream.stream_descriptor.name, None))
        )
    ]


def checkpoint_of(config: Mapping[str, Any], stream_name: str) -> Mapping[str, Any] | None:
    """The checkpoint fields ``stream_name`` resumes from, if it was killed midway through a first read."""
    checkpoints = config.get(CHECKPOINTS_CONFIG_KEY)
    checkpoint = checkpoints.get(stream_name) if isinstance(checkpoints, Mapping) else None
    fields = checkpoint.get(CHECKPOINT_KEY) if isinstance(checkpoint, Mapping) else None
    return fields if isinstance(fields, Mapping) else None
