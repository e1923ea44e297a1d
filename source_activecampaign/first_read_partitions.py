"""Partition routers whose partitions reach the request through the manifest's request_parameters."""

from collections.abc import Mapping
from typing import Any

from airbyte_cdk.sources.declarative.partition_routers.partition_router import PartitionRouter
from airbyte_cdk.sources.types import StreamState


class RequestParameterPartitionRouter(PartitionRouter):
    """A router that injects nothing itself and keeps no state of its own.

    Its partitions (contacts' id ranges, deals' windows of creation time) are written into the request
    by the manifest's ``request_parameters`` (``{{ stream_partition.get('id_less', '') }}``), which
    also carry the page token, so that a parameter comes from one place; the cursor keeps the state.
    """

    def get_request_params(self, *args: Any, **kwargs: Any) -> Mapping[str, Any]:
        return {}

    def get_request_headers(self, *args: Any, **kwargs: Any) -> Mapping[str, Any]:
        return {}

    def get_request_body_data(self, *args: Any, **kwargs: Any) -> Mapping[str, Any]:
        return {}

    def get_request_body_json(self, *args: Any, **kwargs: Any) -> Mapping[str, Any]:
        return {}

    def get_stream_state(self) -> Mapping[str, StreamState] | None:
        return None
