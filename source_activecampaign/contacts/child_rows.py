"""The rows of a contact child stream (tags, list memberships, ...) taken from the contacts pages.

`GET /contacts?include=contactTags` puts the page's contact tags in a top-level `contactTags`
array, and each contact lists the ids of its own: `{"id": "7", "contactTags": ["12", "13"]}`. The
API may cap or trim a sideload, so the list on each contact is the check: a listed id missing from
the sideload is fetched through that contact's own list (`/contacts/7/contactTags`), and when that
keeps happening the stream stops trusting the sideload and reads the child collection on its own.
"""

import logging
import threading
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from dataclasses import InitVar, dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlparse

import requests
from airbyte_cdk.sources.declarative.decoders import Decoder, JsonDecoder
from airbyte_cdk.sources.declarative.extractors.http_selector import HttpSelector
from airbyte_cdk.sources.declarative.extractors.record_extractor import RecordExtractor
from airbyte_cdk.sources.declarative.interpolation.interpolated_string import InterpolatedString
from airbyte_cdk.sources.declarative.requesters.paginators.paginator import Paginator
from airbyte_cdk.sources.declarative.requesters.requester import Requester
from airbyte_cdk.sources.declarative.retrievers.simple_retriever import SimpleRetriever
from airbyte_cdk.sources.types import Config, StreamSlice

from source_activecampaign import progress

logger = logging.getLogger("airbyte")


def _page_ids_interval(response: requests.Response, contact_ids: list[int], page_size: int) -> tuple[int, float]:
    """The contact ids a keyset page answers for: every existing contact with an id in (low, high].

    A full page ends at its last contact; a short page is the end of its id range (`id_less`), or
    of the whole list.
    """
    query = parse_qs(urlparse(response.url or "").query)
    low = int(query.get("id_greater", ["0"])[0] or 0)
    if contact_ids and len(contact_ids) >= page_size:
        return low, float(max(contact_ids))
    upper = query.get("id_less", [""])[0]
    return low, float(int(upper) - 1) if upper else float("inf")


@dataclass
class _Covered:
    """Contact ids whose children came from pages, as (low, high] intervals."""

    intervals: list[tuple[int, float]] = field(default_factory=list)

    def __contains__(self, contact_id: int) -> bool:
        return any(low < contact_id <= high for low, high in self.intervals)


@dataclass
class ContactChildRowsExtractor(RecordExtractor):
    """Extracts one child kind's rows from a page of contacts, checked against the ids it lists.

    Input (``rows_field: contactTags``)::

        {"contacts": [{"id": "7", "contactTags": ["12", "13"]}, {"id": "8", "contactTags": []}],
         "contactTags": [{"id": "12", "contact": "7", ...}]}

    Output: tag 12, then tag 13 read from ``/contacts/7/contactTags`` through the declared
    ``contact_rows_requester`` (the rate budget and error handler apply). Each row comes once: a
    sideloaded row only for a contact of the page, a fetched row only if the page did not carry it.

    A contact without the id list (the API ignored the include) counts as incomplete too. Once more
    than ``fallback_after_contacts`` contacts of the sync were incomplete, the stream reads the
    child collection on its own (``collection_requester``) instead, once, and emits from it the rows
    of every contact whose page it had not taken rows from; later pages give nothing, once the
    collection is read (a page is done, and checkpointed, only when its rows are out). Both extra
    reads are paged by ``rows_paginator`` and selected by ``rows_selector``.
    """

    rows_field: str
    contact_rows_requester: Requester
    collection_requester: Requester
    rows_selector: HttpSelector
    rows_paginator: Paginator
    config: Config
    parameters: InitVar[Mapping[str, Any]]
    contact_key: str = "contact"
    page_size: int = 100
    fallback_after_contacts: int = 25
    decoder: Decoder = field(default_factory=lambda: JsonDecoder(parameters={}))

    def __post_init__(self, parameters: Mapping[str, Any] | None) -> None:
        self._stream_name = str((parameters or {}).get("name", ""))
        self._rows_field = str(
            InterpolatedString.create(self.rows_field, parameters=parameters or {}).eval(self.config)
        )
        self._contact_rows_retriever = self._retriever(self.contact_rows_requester, parameters or {})
        self._collection_retriever = self._retriever(self.collection_requester, parameters or {})
        self._lock = threading.Lock()
        self._covered = _Covered()
        self._incomplete_contacts = 0
        self._reads_collection = False
        # Set once the collection read on its own has ended; whether it read to its end.
        self._collection_read = threading.Event()
        self._collection_whole = False

    def _retriever(self, requester: Requester, parameters: Mapping[str, Any]) -> SimpleRetriever:
        # Assembled here: the CDK cannot build a SimpleRetriever nested in a custom component (the
        # factory requires `transformations`, and an empty list is dropped from $parameters).
        return SimpleRetriever(
            requester=requester,
            record_selector=self.rows_selector,
            paginator=self.rows_paginator,
            config=self.config,
            parameters=parameters,
            name=self._stream_name,
            primary_key="id",
        )

    def extract_records(self, response: requests.Response) -> Iterable[MutableMapping[Any, Any]]:
        for body in self.decoder.decode(response):
            yield from self._page_rows(response, body if isinstance(body, Mapping) else {})

    def _page_rows(self, response: requests.Response, body: Mapping[str, Any]) -> Iterator[MutableMapping[Any, Any]]:
        contacts = [contact for contact in body.get("contacts") or [] if isinstance(contact, Mapping)]
        contact_ids = {str(contact.get("id")) for contact in contacts}
        rows: dict[str, MutableMapping[str, Any]] = {}
        for row in body.get(self._rows_field) or []:
            if isinstance(row, MutableMapping) and str(row.get(self.contact_key)) in contact_ids:
                rows.setdefault(str(row.get("id")), row)
        incomplete = [contact for contact in contacts if not self._is_complete(contact, rows)]
        interval = _page_ids_interval(response, [int(contact_id) for contact_id in contact_ids], self.page_size)

        with self._lock:
            after_the_collection = self._reads_collection
            covered = None
            if not after_the_collection:
                if incomplete and self._incomplete_contacts == 0:
                    logger.warning(
                        f"{self._stream_name}: ActiveCampaign's page of contacts listed {self._rows_field} it did not "
                        f"include; they are read contact by contact (/contacts/{{id}}/{self._rows_field})."
                    )
                self._incomplete_contacts += len(incomplete)
                if self._incomplete_contacts > self.fallback_after_contacts:
                    self._reads_collection = True
                    covered = _Covered(list(self._covered.intervals))
                else:
                    self._covered.intervals.append(interval)

        if after_the_collection:
            self._wait_for_the_collection()
            return
        # The rows each contact lists are what the stream's estimate is projected from.
        listed = [len(ids) for contact in contacts if isinstance(ids := contact.get(self._rows_field), list)]
        taken = len(rows) if covered is None else 0
        progress.page_read(self._stream_name, response.url or "", body, taken, progress.RowsListed(len(listed), listed))
        if covered is not None:
            try:
                yield from self._collection_rows_outside(covered)
                self._collection_whole = True
            finally:
                self._collection_read.set()
            return
        yield from rows.values()
        for contact in incomplete:
            yield from self._contact_rows(str(contact.get("id")), rows)

    def _wait_for_the_collection(self) -> None:
        """A page read while the collection is read on its own holds nothing more, but is done only once
        the collection is: the first read's checkpoint counts a page as read when it is done, and the
        rows of its contacts come with the collection."""
        self._collection_read.wait()
        if not self._collection_whole:
            raise RuntimeError(
                f"{self._stream_name}: the read of /{self._rows_field} on its own, which replaced the contacts "
                "pages, did not finish; the sync can be run again, and resumes where it stopped."
            )

    def _is_complete(self, contact: Mapping[str, Any], rows: Mapping[str, Any]) -> bool:
        listed = contact.get(self._rows_field)
        return isinstance(listed, list) and all(str(row_id) in rows for row_id in listed)

    def _contact_rows(self, contact_id: str, emitted: Mapping[str, Any]) -> Iterator[MutableMapping[Any, Any]]:
        stream_slice = StreamSlice(partition={"contact_id": contact_id}, cursor_slice={})
        for record in self._contact_rows_retriever.read_records(records_schema={}, stream_slice=stream_slice):
            if isinstance(record, Mapping) and str(record.get("id")) not in emitted:
                yield dict(record)

    def _collection_rows_outside(self, covered: _Covered) -> Iterator[MutableMapping[Any, Any]]:
        logger.warning(
            f"{self._stream_name}: ActiveCampaign left out {self._rows_field} of more than "
            f"{self.fallback_after_contacts} contacts; reading them from /{self._rows_field} on its own for "
            "the rest of this sync instead."
        )
        for record in self._collection_retriever.read_records(
            records_schema={}, stream_slice=StreamSlice(partition={}, cursor_slice={})
        ):
            contact = record.get(self.contact_key) if isinstance(record, Mapping) else None
            if isinstance(record, Mapping) and not (str(contact).isdigit() and int(str(contact)) in covered):
                yield dict(record)
