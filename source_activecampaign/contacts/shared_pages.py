"""One request for a page that several streams of the same sync read.

The contacts pages carry the rows of their child streams (`include=contactTags,...`), so contacts
and each selected child stream read the very same pages. Each stream reads them through its own
retriever, partitions and cursor, as the CDK expects; this requester makes the first of them to ask
for a page send the request, and hands the others the same response.

The CDK's own request cache (`use_cache`) cannot do this: with the entrypoint's
``REQUEST_CACHE_PATH`` it keeps one file per requester name, so two streams never share it; it keeps
every response until the process ends, so a whole read of a large account would sit on disk or, in
memory, in the process; and two streams asking at once both miss it and both send the request.
"""

import gzip
import io
import json
import os
import shutil
import tempfile
import threading
import weakref
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, MutableMapping
from dataclasses import InitVar, dataclass, field
from typing import Any, TypeVar

import orjson
import requests
from airbyte_cdk.sources.declarative.auth.declarative_authenticator import DeclarativeAuthenticator
from airbyte_cdk.sources.declarative.interpolation.interpolated_string import InterpolatedString
from airbyte_cdk.sources.declarative.requesters.requester import HttpMethod, Requester
from airbyte_cdk.sources.types import Config, StreamSlice, StreamState
from airbyte_cdk.utils.constants import ENV_REQUEST_CACHE_PATH
from requests.structures import CaseInsensitiveDict

from source_activecampaign.http.page_body import page_body

# A part of a page: a top-level key, and the fields kept of each row of the list there (None: all of it).
Part = tuple[str, tuple[str, ...] | None]
# What a reader reads of a page: its parts, or None for the whole page.
Reads = tuple[Part, ...] | None
# The part that is the whole page, as the API sent it.
_WHOLE_PAGE = "*"


def parse_reads(reads: Iterable[str] | None) -> Reads:
    """``["contacts.id", "contacts.contactTags", "contactTags"]`` -> the parts read:
    ``(("contactTags", None), ("contacts", ("contactTags", "id")))``; None or empty: the whole page."""
    fields: dict[str, set[str] | None] = {}
    for path in reads or []:
        key, _, row_field = path.partition(".")
        if not row_field:
            fields[key] = None
        elif key not in fields or fields[key] is not None:
            fields.setdefault(key, set()).add(row_field)  # type: ignore[union-attr]
    if not fields:
        return None
    return tuple(sorted((key, tuple(sorted(kept)) if kept is not None else None) for key, kept in fields.items()))


def _part_of(body: Mapping[str, Any], part: Part) -> Any:
    key, kept = part
    value = body[key]
    if kept is None or not isinstance(value, list):
        return value
    return [{name: row[name] for name in kept if name in row} if isinstance(row, dict) else row for row in value]


@dataclass
class _KeptPart:
    """A part of a page kept for the other readers: its JSON in memory, or gzipped in a file past the
    memory budget."""

    size: int
    content: bytes | None = None
    path: str | None = None


class _Entry:
    """One page: sent once, its parts kept until every other reader took it."""

    def __init__(self, readers_left: int) -> None:
        self.readers_left = readers_left
        self.reading = 0
        self.ready = threading.Event()
        # part -> where it is kept, or None when the page has no such key; _WHOLE_PAGE -> the body as sent.
        self.parts: dict[Part | str, _KeptPart | None] = {}
        self.url = ""
        self.headers: dict[str, str] = {}

    @property
    def kept(self) -> bool:
        return bool(self.parts)


class SharedPages:
    """Responses of requests that ``readers`` streams each make once in this sync.

    ``response_for(key, send, reads=...)`` sends the request the first time a key is asked for and
    returns the response; the next ``readers - 1`` asks for the same key get a copy of it without a
    request, and the copy is deleted after the last of them. An ask while the request is in flight
    waits for it instead of sending it again. If that request fails, the waiting reader sends its
    own, so an error is reported by each stream's own error handler.

    A reader that reads only part of a page says so when it is built (``register``): a child stream
    reads its own rows and each contact's list of their ids, not the contacts. The first reader keeps
    for the others only the parts they read, each once, so the others do not parse the whole page
    again: their copy is a page with only those keys (``{"contacts": [{"id": ..., "contactTags":
    [...]}], "contactTags": [...]}``). A reader of the whole page (``reads`` None) gets the page as
    sent.

    Kept parts stay in memory up to ``memory_budget`` bytes in all, and go to gzip files in a temporary
    folder (under the entrypoint's cache folder when it has one) past it, so memory does not grow with
    the pages that wait for a slower stream. The readers of a first read stay within a page of one
    another (read in turns), so a few pages are kept at a time: compressing each part to a file and
    reading it back cost more CPU than the rest of the work on its rows.
    """

    def __init__(self, readers: int, patience: float = 10.0, memory_budget: int = 32 * 1024 * 1024) -> None:
        self._readers = readers
        self._lock = threading.Lock()
        self._entries: dict[str, _Entry] = {}
        # Pages each reader asked for in each sequence read in turns, and how long a reader that would
        # send the next page waits for the others (see ``response_for``).
        self._asked: dict[str, dict[str, int]] = {}
        self._caught_up = threading.Condition(self._lock)
        self._patience = patience
        self._reads: Counter[Reads] = Counter()
        self._memory_budget = memory_budget
        self._in_memory = 0
        self._folder = tempfile.mkdtemp(prefix="activecampaign-pages-", dir=os.environ.get(ENV_REQUEST_CACHE_PATH))
        self._finalizer = weakref.finalize(self, shutil.rmtree, self._folder, True)

    def register(self, reads: Reads) -> None:
        """A reader of these pages, and what it reads of them (before any page is asked for)."""
        with self._lock:
            self._reads[reads] += 1

    def response_for(
        self,
        key: str,
        send: Callable[[], requests.Response | None],
        reader: str = "",
        sequence: str | None = None,
        *,
        reads: Reads = None,
    ) -> requests.Response | None:
        """The response to the request ``key``; ``reader`` asks for it as its next page of ``sequence``
        (a sequence read in turns, or None), and reads ``reads`` of it (None: the whole page).

        In a sequence read in turns, a reader that would send the request for a page waits until every
        other reader has asked for the page before it (or ``patience`` seconds): the readers stay within a
        page of one another, so that the pages requested are the pages they have all read, save the last.
        A reader behind the others never waits, its pages being there already."""
        if self._readers <= 1:
            return send()
        with self._lock:
            position = self._asked_for(sequence, reader) if sequence is not None else 0
            entry = self._entries.get(key)
            sender = entry is None
            if entry is None:
                entry = self._entries[key] = _Entry(self._readers - 1)
            if sender and sequence is not None and position > 0:
                self._caught_up.wait_for(lambda: self._all_asked(sequence, reader, position), timeout=self._patience)
        if sender:
            return self._send_and_keep(key, entry, send, reads)
        entry.ready.wait()
        with self._lock:
            if not entry.kept or entry.readers_left == 0:
                taken = False
            else:
                taken = True
                entry.readers_left -= 1
                entry.reading += 1
                if entry.readers_left == 0:
                    self._entries.pop(key, None)
        copy = self._take(entry, reads) if taken else None
        return copy if copy is not None else send()

    def _asked_for(self, sequence: str, reader: str) -> int:
        """Counts ``reader``'s ask in ``sequence``: how many pages of it it had asked for before."""
        asked = self._asked.setdefault(sequence, {})
        position = asked.get(reader, 0)
        asked[reader] = position + 1
        self._caught_up.notify_all()
        return position

    def _all_asked(self, sequence: str, reader: str, pages: int) -> bool:
        asked = self._asked.get(sequence, {})
        return len(asked) >= self._readers and all(count >= pages for other, count in asked.items() if other != reader)

    def _send_and_keep(
        self, key: str, entry: _Entry, send: Callable[[], requests.Response | None], reads: Reads
    ) -> requests.Response | None:
        try:
            response = send()
            if response is not None and response.ok:
                self._keep_parts(entry, response, reads)
                entry.url = response.url
                entry.headers = dict(response.headers)
            return response
        finally:
            if not entry.kept:
                with self._lock:
                    self._entries.pop(key, None)
            entry.ready.set()

    def _keep_parts(self, entry: _Entry, response: requests.Response, reads: Reads) -> None:
        with self._lock:
            others = Counter(self._reads)
        others[reads] -= 1
        needed = [other for other, count in others.items() if count > 0]
        body = page_body(response)
        parts: dict[Part | str, bytes | None] = {}
        for other in needed:
            if other is None or not isinstance(body, dict):
                parts[_WHOLE_PAGE] = response.content
                continue
            for part in other:
                if part not in parts:
                    parts[part] = orjson.dumps(_part_of(body, part)) if part[0] in body else None
        if not parts:
            # No reader registered (built elsewhere than in a manifest): the whole page.
            parts[_WHOLE_PAGE] = response.content
        for kept_part, content in parts.items():
            entry.parts[kept_part] = self._keep(content) if content is not None else None

    def _keep(self, content: bytes) -> _KeptPart:
        with self._lock:
            in_memory = self._in_memory + len(content) <= self._memory_budget
            if in_memory:
                self._in_memory += len(content)
        if in_memory:
            return _KeptPart(len(content), content=content)
        descriptor, path = tempfile.mkstemp(dir=self._folder, suffix=".json.gz")
        with os.fdopen(descriptor, "wb") as file:
            file.write(gzip.compress(content, compresslevel=1))
        return _KeptPart(len(content), path=path)

    @staticmethod
    def _read(kept: _KeptPart) -> bytes:
        if kept.content is not None:
            return kept.content
        assert kept.path is not None
        with open(kept.path, "rb") as file:
            return gzip.decompress(file.read())

    def _drop(self, entry: _Entry) -> None:
        """Frees what ``entry`` kept, once every reader took its copy."""
        for kept in entry.parts.values():
            if kept is None:
                continue
            if kept.path is not None:
                os.remove(kept.path)
            else:
                with self._lock:
                    self._in_memory -= kept.size
            kept.content = None

    def _take(self, entry: _Entry, reads: Reads) -> requests.Response | None:
        try:
            if reads is not None and all(part in entry.parts for part in reads):
                members = [
                    orjson.dumps(part[0]) + b":" + self._read(kept)
                    for part in reads
                    if (kept := entry.parts[part]) is not None
                ]
                content = b"{" + b",".join(members) + b"}"
            elif (whole := entry.parts.get(_WHOLE_PAGE)) is not None:
                content = self._read(whole)
            else:
                return None
        finally:
            with self._lock:
                entry.reading -= 1
                last = entry.readers_left == 0 and entry.reading == 0
            if last:
                self._drop(entry)
        response = requests.Response()
        response.status_code = 200
        # The body as the public `raw` stream, which `content` reads; a plain file object, so that the
        # original's Content-Encoding is not applied a second time.
        response.raw = io.BytesIO(content)
        response.headers = CaseInsensitiveDict(entry.headers)
        response.url = entry.url
        response.encoding = "utf-8"
        return response

    def pages_kept(self) -> int:
        with self._lock:
            return sum(1 for entry in self._entries.values() if entry.kept)

    def bytes_in_memory(self) -> int:
        """The size of the parts kept in memory now."""
        with self._lock:
            return self._in_memory


_SHARED: dict[tuple[type, str], Any] = {}
_SHARED_LOCK = threading.Lock()
Shared = TypeVar("Shared")


def _shared(kind: type[Shared], name: str, make: Callable[[], Shared]) -> Shared:
    """The ``kind`` the streams of this process share under ``name`` (one name per sync and group of
    readers), made by the first to ask."""
    with _SHARED_LOCK:
        found = _SHARED.get((kind, name))
        if found is None:
            found = _SHARED[(kind, name)] = make()
        assert isinstance(found, kind)
        return found


def shared_pages(name: str, readers: int) -> SharedPages:
    """The pages shared under ``name`` in this process."""
    return _shared(SharedPages, name, lambda: SharedPages(readers))


class ReadingTurns:
    """Streams that read the same pages take their partitions in turns: the n-th partition of every
    reader is handed to the CDK before the (n+1)-th of any.

    The CDK reads partitions in the order they are handed to it. Handed stream by stream, as its
    partition generators do, the first stream would read (and request) every page while the others
    queue behind it and read the kept copies afterwards: at 20,000 contacts the child streams took
    their first page only after contacts had requested most of theirs, a read killed then had
    requested pages the child streams had not read, and the copies waited on disk. Handed in turns,
    every reader reads each range while it is requested, and a checkpoint of one is close to that of
    the others.

    ``wait_turn(reader, n)`` returns once every reader has handed over its partition n - 1 (or has no
    more); a reader that never shows up, or a wait longer than ``patience`` seconds, ends the turns
    for everyone instead of holding the sync.
    """

    def __init__(self, readers: int, patience: float = 60.0) -> None:
        self._readers = readers
        self._patience = patience
        self._handed: dict[str, int] = {}
        self._done: set[str] = set()
        self._given_up = False
        self._turn = threading.Condition()

    def wait_turn(self, reader: str, index: int) -> None:
        with self._turn:
            self._handed.setdefault(reader, 0)
            if not self._turn.wait_for(lambda: self._given_up or self._all_handed(index), timeout=self._patience):
                self._given_up = True
                self._turn.notify_all()

    def handed(self, reader: str, index: int) -> None:
        with self._turn:
            self._handed[reader] = max(self._handed.get(reader, 0), index + 1)
            self._turn.notify_all()

    def finished(self, reader: str) -> None:
        with self._turn:
            self._handed.setdefault(reader, 0)
            self._done.add(reader)
            self._turn.notify_all()

    @property
    def gave_up(self) -> bool:
        return self._given_up

    def _all_handed(self, index: int) -> bool:
        if index == 0:
            return True
        if len(self._handed) < self._readers:
            return False
        return all(count >= index or reader in self._done for reader, count in self._handed.items())


def reading_turns(name: str, readers: int) -> ReadingTurns:
    """The turns of the readers of the pages shared under ``name`` in this process."""
    return _shared(ReadingTurns, name, lambda: ReadingTurns(readers))


@dataclass
class SharedPagesRequester(Requester):
    """A declared ``HttpRequester`` whose pages several streams of the sync read once.

    Every request to the API still goes through ``requester``: its rate budget, error handler and
    authenticator apply. ``share`` names the pages (empty: no sharing) and ``readers`` says how
    many streams read them in this sync; both come from the sync's plan in the config. ``reads``
    lists what this reader reads of a page (``key`` for a top-level value, ``key.field`` for that
    field of each of its rows); without it, the whole page.

    Usage::

        requester:
          type: CustomRequester
          class_name: source_activecampaign.contacts.shared_pages.SharedPagesRequester
          requester:
            $ref: "#/definitions/requester"
          share: "{{ config['contact_pages']['pages_share'] }}"
          readers: "{{ config['contact_pages']['pages_readers'] }}"
          reads: ["contacts.id", "contacts.contactTags", "contactTags"]

    Three readers of page ``?id_greater=0&include=contactTags``: the first sends it, the second and
    third get its copy; a fourth ask for it sends it again.
    """

    requester: Requester
    config: Config
    parameters: InitVar[Mapping[str, Any]]
    share: InterpolatedString | str = ""
    readers: InterpolatedString | str | int = 1
    # The readers read the pages of each id range in turns (``SharedPages.response_for``): a first read.
    in_turns: bool = False
    reads: list[str] | None = field(default=None)

    def __post_init__(self, parameters: Mapping[str, Any] | None) -> None:
        self._reader = str((parameters or {}).get("name", ""))
        share = str(InterpolatedString.create(str(self.share), parameters=parameters or {}).eval(self.config))
        readers = int(InterpolatedString.create(str(self.readers), parameters=parameters or {}).eval(self.config) or 1)
        self._reads = parse_reads(
            str(InterpolatedString.create(path, parameters=parameters or {}).eval(self.config))
            for path in self.reads or []
        )
        self._pages = shared_pages(share, readers) if share and readers > 1 else None
        if self._pages is not None:
            self._pages.register(self._reads)

    def send_request(
        self,
        stream_state: StreamState | None = None,
        stream_slice: StreamSlice | None = None,
        next_page_token: Mapping[str, Any] | None = None,
        path: str | None = None,
        request_headers: Mapping[str, Any] | None = None,
        request_params: Mapping[str, Any] | None = None,
        request_body_data: Mapping[str, Any] | str | None = None,
        request_body_json: Mapping[str, Any] | None = None,
        log_formatter: Callable[[requests.Response], Any] | None = None,
    ) -> requests.Response | None:
        def send() -> requests.Response | None:
            return self.requester.send_request(
                stream_state=stream_state,
                stream_slice=stream_slice,
                next_page_token=next_page_token,
                path=path,
                request_headers=request_headers,
                request_params=request_params,
                request_body_data=request_body_data,
                request_body_json=request_body_json,
                log_formatter=log_formatter,
            )

        if self._pages is None:
            return send()
        url = path or self.requester.get_url(
            stream_state=stream_state, stream_slice=stream_slice, next_page_token=next_page_token
        )
        params = {
            **self.requester.get_request_params(
                stream_state=stream_state, stream_slice=stream_slice, next_page_token=next_page_token
            ),
            **(request_params or {}),
        }
        key = json.dumps([url, sorted((str(name), str(value)) for name, value in params.items())])
        sequence = f"ids below {params.get('id_less') or '-'}" if self.in_turns else None
        return self._pages.response_for(key, send, self._reader, sequence, reads=self._reads)

    # The rest is the declared requester's.
    def get_authenticator(self) -> DeclarativeAuthenticator:
        return self.requester.get_authenticator()

    def get_url(
        self,
        *,
        stream_state: StreamState | None = None,
        stream_slice: StreamSlice | None = None,
        next_page_token: Mapping[str, Any] | None = None,
    ) -> str:
        return self.requester.get_url(
            stream_state=stream_state, stream_slice=stream_slice, next_page_token=next_page_token
        )

    def get_url_base(
        self,
        *,
        stream_state: StreamState | None = None,
        stream_slice: StreamSlice | None = None,
        next_page_token: Mapping[str, Any] | None = None,
    ) -> str:
        return self.requester.get_url_base(
            stream_state=stream_state, stream_slice=stream_slice, next_page_token=next_page_token
        )

    def get_path(
        self,
        *,
        stream_state: StreamState | None = None,
        stream_slice: StreamSlice | None = None,
        next_page_token: Mapping[str, Any] | None = None,
    ) -> str:
        return self.requester.get_path(
            stream_state=stream_state, stream_slice=stream_slice, next_page_token=next_page_token
        )

    def get_method(self) -> HttpMethod:
        return self.requester.get_method()

    def get_request_params(
        self,
        *,
        stream_state: StreamState | None = None,
        stream_slice: StreamSlice | None = None,
        next_page_token: Mapping[str, Any] | None = None,
    ) -> MutableMapping[str, Any]:
        return self.requester.get_request_params(
            stream_state=stream_state, stream_slice=stream_slice, next_page_token=next_page_token
        )

    def get_request_headers(
        self,
        *,
        stream_state: StreamState | None = None,
        stream_slice: StreamSlice | None = None,
        next_page_token: Mapping[str, Any] | None = None,
    ) -> Mapping[str, Any]:
        return self.requester.get_request_headers(
            stream_state=stream_state, stream_slice=stream_slice, next_page_token=next_page_token
        )

    def get_request_body_data(
        self,
        *,
        stream_state: StreamState | None = None,
        stream_slice: StreamSlice | None = None,
        next_page_token: Mapping[str, Any] | None = None,
    ) -> Mapping[str, Any] | str:
        return self.requester.get_request_body_data(
            stream_state=stream_state, stream_slice=stream_slice, next_page_token=next_page_token
        )

    def get_request_body_json(
        self,
        *,
        stream_state: StreamState | None = None,
        stream_slice: StreamSlice | None = None,
        next_page_token: Mapping[str, Any] | None = None,
    ) -> Mapping[str, Any]:
        return self.requester.get_request_body_json(
            stream_state=stream_state, stream_slice=stream_slice, next_page_token=next_page_token
        )
