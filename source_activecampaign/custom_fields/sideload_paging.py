"""Offset paging for a stream made of a sideload (``custom_field_options`` from ``/fields``)."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import requests
from airbyte_cdk.sources.declarative.requesters.paginators.strategies.offset_increment import OffsetIncrement
from airbyte_cdk.sources.types import Record, StreamSlice


@dataclass
class CollectionOffsetIncrement(OffsetIncrement):
    """``OffsetIncrement`` that counts the rows of the collection paged, not the records extracted.

    A stream of sideloaded rows extracts ``fieldOptions`` from pages of ``/fields``; a page of 100
    fields may carry 3 options or 300. The offset must move by the fields the page held, and the read
    must stop on a page of fewer fields than the page size, whatever the options. The CDK's own
    strategies count extracted records, and ``CursorPagination`` cannot see the previous offset.

    Usage::

        pagination_strategy:
          type: CustomPaginationStrategy
          class_name: source_activecampaign.custom_fields.sideload_paging.CollectionOffsetIncrement
          page_size: 100
          inject_on_first_request: true
          collection_field: fields

    ``{"fields": [100 rows], "fieldOptions": [3 rows]}`` at offset 0 -> next offset 100;
    ``{"fields": [2 rows], "fieldOptions": [250 rows]}`` -> no next page.
    """

    collection_field: str = ""

    def next_page_token(
        self,
        response: requests.Response,
        last_page_size: int,
        last_record: Record | None,
        last_page_token_value: Any | None = None,
        page_size_override: int | None = None,
        stream_slice: StreamSlice | None = None,
    ) -> Any | None:
        body = next(self.decoder.decode(response), {})
        rows = body.get(self.collection_field) if isinstance(body, Mapping) else None
        collection_rows = len(rows) if isinstance(rows, list) else 0
        page_size = page_size_override if page_size_override is not None else self.get_page_size()
        if collection_rows == 0 or (page_size and collection_rows < page_size):
            return None
        return (last_page_token_value or 0) + collection_rows
