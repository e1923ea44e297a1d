"""An answer's JSON body, parsed once.

The CDK parses a page once for its error handler (with the standard library, once for each of the
filters that reads the body: three in this manifest), once for the record selector and once more
for the paginator. A contacts page with its child rows is about 700 rows; each parse of it costs
more than the rest of the work on those rows. Here the body is parsed once (``orjson``) and kept on
the response, and the error handler, the record selector and the paginator all read that one.
"""

import json
from collections.abc import Generator, Mapping, MutableMapping
from dataclasses import InitVar, dataclass
from typing import Any

import orjson
import requests
from airbyte_cdk.sources.declarative.decoders import JsonDecoder

# On the response: (its parsed body or None, whether orjson read it).
_BODY_ATTRIBUTE = "_activecampaign_body"


def _parsed(response: requests.Response) -> tuple[Any, bool]:
    parsed: tuple[Any, bool] | None = response.__dict__.get(_BODY_ATTRIBUTE)
    if parsed is None:
        # As the CDK's JsonParser: what orjson refuses the standard library may read (NaN, ...), and a
        # body neither reads (or none at all) is no JSON.
        try:
            parsed = (orjson.loads(response.content), True)
        except Exception:
            try:
                parsed = (json.loads(response.content.decode("utf-8")), False)
            except Exception:
                parsed = (None, False)
        response.__dict__[_BODY_ATTRIBUTE] = parsed
    return parsed


def page_body(response: requests.Response) -> Any:
    """The response's body as parsed JSON, parsed on the first call only; ``None`` when it is not JSON."""
    return _parsed(response)[0]


def serve_parsed_body(response: requests.Response) -> None:
    """Makes ``response.json()`` return the body parsed once, where the CDK's filters call it.

    Only a body ``orjson`` reads is served so: anything else keeps ``requests``' own ``json()``, with
    its own result or error.
    """
    body, by_orjson = _parsed(response)
    if by_orjson:
        response.json = lambda **_: body  # type: ignore[method-assign]


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
