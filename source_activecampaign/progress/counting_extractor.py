"""The manifest's record extractor: a ``DpathExtractor`` that tells the sync's progress of each page."""

from collections.abc import Iterable, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any

import requests
from airbyte_cdk.sources.declarative.extractors.dpath_extractor import DpathExtractor
from airbyte_cdk.sources.declarative.interpolation.interpolated_string import InterpolatedString

from source_activecampaign import progress


def records_at(body: Any, path: list[str]) -> list[MutableMapping[str, Any]]:
    """The records under ``path`` of a page: a list as it is, one record as a list of one, else none.

    A plain walk: ``dpath.get`` globs its way through every node of the page to find one key.
    """
    found = body
    for key in path:
        found = found.get(key) if isinstance(found, Mapping) else None
    if isinstance(found, list):
        return found
    return [found] if isinstance(found, MutableMapping) and found else []


@dataclass
class CountingDpathExtractor(DpathExtractor):
    """Extracts a page's records as ``DpathExtractor`` does, and reports the page (``progress.page_read``):
    its request, ``meta.total`` and how many records it gave.

    When the stream's records are a sideload of the collection its request names (the options of
    ``/fields`` pages: ``path: fields``, ``data_field: fieldOptions``), ``meta.total`` counts that
    collection's records, not the stream's: the page is reported with how many records of the
    collection it held, from which the stream's rows per record are projected.

    Usage::

        extractor:
          type: CustomRecordExtractor
          class_name: source_activecampaign.progress.counting_extractor.CountingDpathExtractor
          field_path: ["{{ parameters['data_field'] }}"]

    ``{"tags": [3 rows], "meta": {"total": "7"}}`` from ``/tags?offset=0&limit=100`` -> the three rows,
    and the stream's progress knows the collection holds 7.
    """

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        super().__post_init__(parameters or {})
        parameters = parameters or {}
        # The path as DpathExtractor reads it: interpolated with the config and parameters alone.
        self._records_path = [
            str(InterpolatedString.create(part, parameters=parameters).eval(self.config)) for part in self.field_path
        ]
        self._stream_name = str(parameters.get("name", ""))
        path, data_field = parameters.get("path"), parameters.get("data_field")
        # A literal path naming a key of the page other than the stream's own: the stream reads a sideload.
        self._collection_key = path if isinstance(path, str) and path.isidentifier() and path != data_field else None

    def extract_records(self, response: requests.Response) -> Iterable[MutableMapping[Any, Any]]:
        for body in self.decoder.decode(response):
            records = records_at(body, self._records_path)
            collection = body.get(self._collection_key) if self._collection_key and isinstance(body, Mapping) else None
            listed = progress.RowsListed(len(collection), rows=len(records)) if isinstance(collection, list) else None
            progress.page_read(self._stream_name, response.url or "", body, len(records), listed)
            yield from self.page_records(body, records)

    def page_records(self, body: Any, records: list[MutableMapping[str, Any]]) -> Iterable[MutableMapping[Any, Any]]:
        """The records a page gives the stream, from those at the path (a subclass adds to them)."""
        return records
