"""What the first reads in partitions share: partitions the manifest's request parameters write into
the request, and checkpoints of what was read of them."""

from collections.abc import Iterable, Mapping
from dataclasses import InitVar, dataclass
from typing import Any

from airbyte_cdk.sources.declarative.partition_routers.partition_router import PartitionRouter
from airbyte_cdk.sources.types import Config, StreamSlice, StreamState

from source_activecampaign.checkpoints.read_so_far import FirstReadProgress, PartitionOffsetProgress, UnreadPartition


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


class FirstReadPartitionRouter(RequestParameterPartitionRouter):
    """The partitions of a first read that checkpoints as it goes.

    A stream whose partition router is one of these gets ``FirstReadCursor``
    (``source_activecampaign.checkpoints.cursor``) instead of the CDK's cursor of partitioned streams: a
    checkpoint of what was read at most every ``seconds_between_checkpoints``, and a resumed read that
    reads only what its checkpoint says is left. The router says how what was read is written down
    (``first_read_progress``); its pager must report its pages
    (``source_activecampaign.checkpoints.paging.CheckpointedPagination``).
    """

    seconds_between_checkpoints: float | str

    def first_read_progress(self, checkpoint: Mapping[str, Any] | None) -> FirstReadProgress | None:
        """What was read, from a checkpoint of this first read (None: a first read from the start); None
        when the checkpoint does not say it in this router's terms."""
        raise NotImplementedError


def offset_progress(checkpoint: Mapping[str, Any] | None, page_size: int) -> FirstReadProgress | None:
    """Progress of offset-paged partitions; resumed ones ask again for half a page before their offset."""
    if checkpoint is None:
        return PartitionOffsetProgress(None, page_size // 2)
    entries = checkpoint.get("unread")
    unread = [UnreadPartition.from_json(entry) for entry in entries] if isinstance(entries, list) else None
    if unread is None or any(entry is None for entry in unread):
        return None
    return PartitionOffsetProgress([entry for entry in unread if entry is not None], page_size // 2)


@dataclass
class WholeCollectionPartitionRouter(FirstReadPartitionRouter):
    """A collection read as one offset sequence, checkpointed as it goes (custom-object records: the
    API offers no filter to split them by).

    Usage::

        partition_router:
          type: CustomPartitionRouter
          class_name: source_activecampaign.first_read_partitions.WholeCollectionPartitionRouter
          page_size: 100
          seconds_between_checkpoints: 1

    One partition, ``{}``; resumed, ``{"offset": "250", "after_id": "301"}`` (see ``ResumableOffsetIncrement``).
    """

    config: Config
    parameters: InitVar[Mapping[str, Any]]
    page_size: int | str = 100
    seconds_between_checkpoints: float | str = 1.0

    def stream_slices(self) -> Iterable[StreamSlice]:
        yield StreamSlice(partition={}, cursor_slice={})

    def first_read_progress(self, checkpoint: Mapping[str, Any] | None) -> FirstReadProgress | None:
        return offset_progress(checkpoint, int(self.page_size))
