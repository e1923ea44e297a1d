"""The pager side of a first read's checkpoints: each page read is reported, and an offset sequence
resumes where it stopped."""

import logging
from collections.abc import Mapping
from dataclasses import InitVar, dataclass
from typing import Any

import requests
from airbyte_cdk.sources.declarative.decoders import Decoder
from airbyte_cdk.sources.declarative.interpolation.interpolated_string import InterpolatedString
from airbyte_cdk.sources.declarative.requesters.paginators.paginator import (
    page_size_override_kwargs,
    stream_slice_kwargs,
)
from airbyte_cdk.sources.declarative.requesters.paginators.strategies.offset_increment import OffsetIncrement
from airbyte_cdk.sources.declarative.requesters.paginators.strategies.pagination_strategy import PaginationStrategy
from airbyte_cdk.sources.types import Config, Record, StreamSlice

from source_activecampaign.checkpoints.cursor import report_page
from source_activecampaign.checkpoints.read_so_far import RESUME_AFTER_ID, RESUME_OFFSET

logger = logging.getLogger("airbyte")


@dataclass
class CheckpointedPagination(PaginationStrategy):
    """``strategy``, telling the first read's checkpoints of every page it reads.

    The CDK asks for the next page token once the page's records are all emitted, so the token is
    where the read can resume: after a keyset page, the last id read (contacts); after an offset
    page, the next offset. Reads without checkpoints (incremental reads, whose slices carry none) page
    exactly as ``strategy`` does.

    Usage::

        pagination_strategy:
          type: CustomPaginationStrategy
          class_name: source_activecampaign.checkpoints.paging.CheckpointedPagination
          strategy:
            type: CursorPagination
            cursor_value: "{{ last_record['id'] }}"
            ...

    A page of ids 101..200 of the range (100, 2500] -> token 200, and the checkpoint counts ids up to
    200 of that range as read.

    ``decoder`` is the paginator's, which the CDK hands to a strategy it builds but not to one nested in
    a custom strategy (that one gets a ``JsonDecoder`` of its own, and parsed every page again): it is
    handed on to ``strategy`` here, so that the page parsed once for the records is the one paged by.
    """

    strategy: PaginationStrategy
    config: Config
    parameters: InitVar[Mapping[str, Any]]
    decoder: Decoder | None = None

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        if self.decoder is not None and isinstance(getattr(self.strategy, "decoder", None), Decoder):
            self.strategy.decoder = self.decoder  # type: ignore[attr-defined]  # CursorPagination, OffsetIncrement

    @property
    def initial_token(self) -> Any | None:
        return self.strategy.initial_token

    def next_page_token(
        self,
        response: requests.Response,
        last_page_size: int,
        last_record: Record | None,
        last_page_token_value: Any | None = None,
        page_size_override: int | None = None,
        stream_slice: StreamSlice | None = None,
    ) -> Any | None:
        token = self.strategy.next_page_token(
            response,
            last_page_size,
            last_record,
            last_page_token_value,
            **page_size_override_kwargs(page_size_override),
            **stream_slice_kwargs(self.strategy.next_page_token, stream_slice),
        )
        report_page(stream_slice, token, last_record)
        return token

    def get_page_size(self) -> int | None:
        return self.strategy.get_page_size()


# The token that reads a partition again from its first record (a falsy 0 would end the paging).
FROM_THE_START = "0"


@dataclass
class ResumableOffsetIncrement(OffsetIncrement):
    """``OffsetIncrement`` whose first page is at the partition's ``offset``, checked against ``after_id``.

    A resumed offset sequence asks again, from a little before where it stopped, for records it has read
    (see ``UnreadPartition.resumed``): the record it read last (``after_id``) must be on that first page,
    or records before it were deleted or added meanwhile, or the API does not keep its order, and the
    offset no longer says what was read. Then the partition is read again from its start, with a
    warning; nothing is skipped. Records of the first page up to ``after_id`` come again, which the
    destination's primary key dedup absorbs.

    The request parameters write the offset (``{{ next_page_token['next_page_token'] if next_page_token
    else stream_partition.get('offset', 0) }}``), and ``inject_on_first_request`` stays off.

    Partition ``{"offset": "1150", "after_id": "1200"}``, record 1200 is the 50th of the page at 1150
    -> next offset 1250; not on it -> next offset 0.
    """

    records_field: InterpolatedString | str = ""

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        super().__post_init__(parameters)
        self._records_field = str(
            InterpolatedString.create(str(self.records_field), parameters=parameters).eval(self.config)
        )

    def next_page_token(
        self,
        response: requests.Response,
        last_page_size: int,
        last_record: Record | None,
        last_page_token_value: Any | None = None,
        page_size_override: int | None = None,
        stream_slice: StreamSlice | None = None,
    ) -> Any | None:
        partition = stream_slice.partition if stream_slice is not None else {}
        if last_page_token_value is None:
            after_id = partition.get(RESUME_AFTER_ID)
            if after_id is not None and not self._holds(response, str(after_id)):
                logger.warning(
                    f"{self._records_field}: the record read last before the sync stopped ({after_id}) is no "
                    f"longer where it was; records were added or deleted meanwhile. Reading {dict(partition)} "
                    "again from its start, so that none is skipped."
                )
                return FROM_THE_START
            last_page_token_value = int(partition.get(RESUME_OFFSET) or 0)
        return super().next_page_token(
            response,
            last_page_size,
            last_record,
            int(last_page_token_value),
            page_size_override=page_size_override,
            stream_slice=stream_slice,
        )

    def _holds(self, response: requests.Response, record_id: str) -> bool:
        body = next(self.decoder.decode(response), {})
        rows = body.get(self._records_field) if isinstance(body, Mapping) else None
        return isinstance(rows, list) and any(
            isinstance(row, Mapping) and str(row.get("id")) == record_id for row in rows
        )
