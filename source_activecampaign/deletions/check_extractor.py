"""The record path's part of the deletion check: which ids each page of a checked stream holds."""

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import InitVar, dataclass
from typing import Any

import requests
from airbyte_cdk.sources.declarative.decoders import Decoder
from airbyte_cdk.sources.declarative.extractors.record_extractor import RecordExtractor
from airbyte_cdk.sources.declarative.interpolation.interpolated_boolean import InterpolatedBoolean
from airbyte_cdk.sources.declarative.requesters.requester import Requester
from airbyte_cdk.sources.types import Config

from source_activecampaign.deletions.checks import StreamCheck, deletion_checks
from source_activecampaign.deletions.record_lookup import RecordLookup


@dataclass
class DeletionCheckExtractor(RecordExtractor):
    """Extracts with ``extractor`` and, while the stream's deletion check runs, notes each page's ids.

    The ids are noted before any filter: a client-side incremental stream reads its whole collection
    on every sync but emits only the rows changed since its state, and the check needs them all.
    On a sync without the stream's check it hands the inner extractor's records on untouched.

    ``whole_collection`` says whether the read this extractor serves is of the whole collection (a
    read of changed rows only, by update time, cannot show what is gone). ``record_requester`` is
    the URL of one row, ``stream_partition['id']``, for reads paged by offset, where a row can be
    missed while others are deleted (record_lookup.py); a read that cannot miss a row (keyset
    paging by id) declares none.

    Usage::

        extractor:
          type: CustomRecordExtractor
          class_name: source_activecampaign.deletions.check_extractor.DeletionCheckExtractor
          extractor:
            type: DpathExtractor
            field_path: ["{{ parameters['data_field'] }}"]
          record_requester:
            $ref: "#/definitions/record_lookup_requester"

    A page ``{"tags": [{"id": "3"}, {"id": "8"}]}`` of ``tags`` while its check runs: records 3 and 8
    as the inner extractor gives them, and ids 3 and 8 noted for the check.
    """

    extractor: RecordExtractor
    config: Config
    parameters: InitVar[Mapping[str, Any]]
    record_requester: Requester | None = None
    # The retriever's decoder, which the CDK hands the selector's extractor: passed on to the one
    # wrapped here, so that it decodes pages as it would unwrapped.
    decoder: Decoder | None = None
    whole_collection: InterpolatedBoolean | str | bool = True
    id_field: str = "id"
    max_lookups: int = 1000

    def __post_init__(self, parameters: Mapping[str, Any] | None) -> None:
        if self.decoder is not None and isinstance(getattr(self.extractor, "decoder", None), Decoder):
            self.extractor.decoder = self.decoder  # type: ignore[attr-defined]
        checks = deletion_checks(self.config)
        stream = str((parameters or {}).get("name", ""))
        self._check: StreamCheck | None = checks.checking(stream) if checks is not None else None
        self._whole = InterpolatedBoolean(condition=str(self.whole_collection), parameters=parameters or {}).eval(
            self.config
        )
        self._lookup = RecordLookup(self.record_requester, self.max_lookups) if self.record_requester else None

    def extract_records(self, response: requests.Response) -> Iterable[Mapping[str, Any]]:
        if self._check is None:
            return self.extractor.extract_records(response)
        return self._noting_ids(self._check, response)

    def _noting_ids(self, check: StreamCheck, response: requests.Response) -> Iterator[Mapping[str, Any]]:
        ids = []
        for record in self.extractor.extract_records(response):
            ids.append(record.get(self.id_field))
            yield record
        check.note_page(ids, self._whole, self._lookup)
