"""An answer's JSON body, parsed once.

The CDK parses a page once for its error handler (with the standard library, once for each of the
filters that reads the body: three in this manifest), once for the record selector and once more
for the paginator. A contacts page with its child rows is about 700 rows; each parse of it costs
more than the rest of the work on those rows. Here the body is parsed once (``orjson``) and kept on
the response, and the error handler, the record selector and the paginator all read that one.
"""

import json
import threading
import weakref
from collections.abc import Generator, Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from dataclasses import InitVar, dataclass
from typing import Any

import orjson
import requests
from airbyte_cdk.sources.declarative.decoders import JsonDecoder

# The bodies a thread parsed last, newest first: (the response, weakly, its body or None, whether
# orjson read it). Not on the response: the CDK's rate budget leaves a reference cycle through the
# frames of each request that waited for its turn, which keeps the response alive until the cycle
# collector runs; a parsed page (a few MB of dicts) must not live that long with it.
_RECENT = threading.local()
_KEPT_PER_THREAD = 3


def _parsed(response: requests.Response) -> tuple[Any, bool]:
    recent: list[tuple[weakref.ref[requests.Response], Any, bool]] = _RECENT.__dict__.setdefault("bodies", [])
    for kept, body, by_orjson in recent:
        if kept() is response:
            return body, by_orjson
    # As the CDK's JsonParser: what orjson refuses the standard library may read (NaN, ...), and a
    # body neither reads (or none at all) is no JSON.
    try:
        body, by_orjson = orjson.loads(response.content), True
    except Exception:
        try:
            body, by_orjson = json.loads(response.content.decode("utf-8")), False
        except Exception:
            body, by_orjson = None, False
    recent.insert(0, (weakref.ref(response), body, by_orjson))
    del recent[_KEPT_PER_THREAD:]
    return body, by_orjson


def page_body(response: requests.Response) -> Any:
    """The response's body as parsed JSON, parsed once for the pages a thread is reading; ``None`` when it
    is not JSON."""
    return _parsed(response)[0]


@contextmanager
def parsed_body_served(response: requests.Response) -> Iterator[None]:
    """While open, ``response.json()`` returns the body parsed once, where the CDK's filters call it.

    Only a body ``orjson`` reads is served so: anything else keeps ``requests``' own ``json()``, with
    its own result or error.
    """
    body, by_orjson = _parsed(response)
    if not by_orjson:
        yield
        return
    response.json = lambda **_: body  # type: ignore[method-assign]
    try:
        yield
    finally:
        del response.json


@dataclass
class PageBodyDecoder(JsonDecoder):
    """The CDK's ``JsonDecoder``, reading the body parsed once (:func:`page_body`).

    Declared on the retriever, the CDK hands it to the record selector's extractor and to the
    paginator, so neither parses the page again::

        retriever:
          type: SimpleRetriever
          decoder:
            type: CustomDecoder
            class_name: source_activecampaign.http.page_body.PageBodyDecoder

    What it yields is what ``JsonDecoder`` yields: the body, or each element of a body that is a
    list; ``{}`` for an empty list, and ``{}`` twice for a body that is empty or not JSON (once for
    the error it catches, once for having yielded nothing).
    """

    parameters: InitVar[Mapping[str, Any]]

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        super().__init__(parameters)

    def decode(self, response: requests.Response) -> Generator[MutableMapping[str, Any], None, None]:
        body = page_body(response)
        if body is None:
            yield {}
            yield {}
        elif isinstance(body, list):
            yield from body or [{}]
        else:
            yield body
