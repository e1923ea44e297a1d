import json
from collections.abc import Mapping
from typing import Any

from airbyte_cdk.test.mock_http import HttpResponse


def collection_response(
    data_field: str,
    records: list[Mapping[str, Any]],
    total: Any = None,
    sideloads: Mapping[str, list[Mapping[str, Any]]] | None = None,
    status_code: int = 200,
) -> HttpResponse:
    """An API list body: the records under the resource's key, sideloads beside it, meta.total."""
    body: dict[str, Any] = {data_field: list(records), **(sideloads or {})}
    if total is not None:
        body["meta"] = {"total": total}
    return HttpResponse(json.dumps(body), status_code, {"Content-Type": "application/json"})


def error_response(
    status_code: int, body: Mapping[str, Any] | None = None, headers: dict[str, str] | None = None
) -> HttpResponse:
    all_headers = {"Content-Type": "application/json"} if body is not None else {}
    all_headers.update(headers or {})
    return HttpResponse("" if body is None else json.dumps(body), status_code, all_headers)


def records(count: int, start_id: int = 1, **fields: Any) -> list[dict[str, Any]]:
    """`count` rows with consecutive string ids and the given fields, as the API writes them."""
    return [{"id": str(start_id + offset), **fields} for offset in range(count)]
