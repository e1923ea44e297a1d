import json
from typing import Any, Dict, List, Mapping, Optional

from airbyte_cdk.test.mock_http import HttpResponse


def collection_response(
    data_field: str,
    records: List[Mapping[str, Any]],
    total: Any = None,
    sideloads: Optional[Mapping[str, List[Mapping[str, Any]]]] = None,
    status_code: int = 200,
) -> HttpResponse:
    """An API list body: the records under the resource's key, sideloads beside it, meta.total."""
    body: Dict[str, Any] = {data_field: list(records), **(sideloads or {})}
    if total is not None:
        body["meta"] = {"total": total}
    return HttpResponse(json.dumps(body), status_code, {"Content-Type": "application/json"})


def error_response(
    status_code: int, body: Optional[Mapping[str, Any]] = None, headers: Optional[Dict[str, str]] = None
) -> HttpResponse:
    all_headers = {"Content-Type": "application/json"} if body is not None else {}
    all_headers.update(headers or {})
    return HttpResponse("" if body is None else json.dumps(body), status_code, all_headers)


def records(count: int, start_id: int = 1, **fields: Any) -> List[Dict[str, Any]]:
    """`count` rows with consecutive string ids and the given fields, as the API writes them."""
    return [{"id": str(start_id + offset), **fields} for offset in range(count)]
