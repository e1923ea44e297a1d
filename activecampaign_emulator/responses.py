"""Response values and the PHP-style JSON encoding of the API."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any


def php_json(body: Any) -> bytes:
    """JSON as the API's PHP backend writes it: non-ASCII as \\uXXXX and "/" as "\\/", as recorded
    responses show.

    Replacing every "/" in the encoded text is safe: outside strings JSON has no "/", and inside a
    string "\\/" is the standard escape for "/" (an escaped backslash before it stays escaped).
    """
    text = json.dumps(body, ensure_ascii=True, separators=(",", ":"))
    return text.replace("/", "\\/").encode("ascii")


@dataclass
class Response:
    status: int
    body: bytes = b""
    # None = send no Content-Type header at all: a bad key has been reported to get such an empty 403.
    content_type: str | None = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    # The record list of a successful list request (used by mutate_every).
    is_list: bool = False


def json_response(status: int, body: Any, headers: dict[str, str] | None = None, is_list: bool = False) -> Response:
    return Response(status, php_json(body), "application/json", dict(headers or {}), is_list)


def message(status: int, text: str) -> Response:
    return json_response(status, {"message": text})


def errors(status: int, title: str, detail: str | None = None) -> Response:
    item: dict[str, Any] = {"status": status, "title": title}
    if detail is not None:
        item["detail"] = detail
    return json_response(status, {"errors": [item]})


def html_response(status: int, title: str, text: str, headers: dict[str, str] | None = None) -> Response:
    page = (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>' + title + "</title></head>"
        "<body><h1>" + title + "</h1><p>" + text + "</p></body></html>\n"
    )
    return Response(status, page.encode("utf-8"), "text/html; charset=UTF-8", dict(headers or {}))


def phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


# Marker: close the connection without answering (the "reset" fault).
RESET = Response(0)
