"""Admin endpoints under /__emulator/ for process mode (the CLI).

Loopback clients only, no key, and never counted in stats or the rate limit.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from .dataset import UnknownResource
from .faults import Fault
from .responses import Response

if TYPE_CHECKING:
    from .emulator import Emulator

PREFIX = "/__emulator/"
_LOOPBACK = ("127.0.0.1", "::1", "::ffff:127.0.0.1")


def _json(status: int, body: Any) -> Response:
    # Plain JSON (not the PHP form): this is the emulator's own interface, not the API.
    return Response(status, json.dumps(body, ensure_ascii=False).encode("utf-8"), "application/json")


def handle(emulator: Emulator, method: str, path: str, raw_query: str, body: bytes, client_ip: str) -> Response:
    if client_ip not in _LOOPBACK and not client_ip.startswith("127."):
        return _json(403, {"message": "admin endpoints are loopback-only"})
    action = path[len(PREFIX) :].strip("/")
    try:
        payload = json.loads(body.decode("utf-8")) if body.strip() else {}
    except (ValueError, UnicodeDecodeError):
        return _json(400, {"message": "body must be JSON"})
    if not isinstance(payload, dict):
        return _json(400, {"message": "body must be a JSON object"})
    try:
        response = _act(emulator, method, action, raw_query, payload)
    except UnknownResource as error:
        return _json(404, {"message": f"unknown resource {error.args[0]}"})
    except (KeyError, ValueError, TypeError) as error:
        return _json(400, {"message": str(error)})
    return response or _json(404, {"message": f"no admin endpoint {method} {path}"})


def _act(emulator: Emulator, method: str, action: str, raw_query: str, payload: dict[str, Any]) -> Response | None:
    if method == "GET" and action == "stats":
        with_log = parse_qs(raw_query).get("log", ["0"])[0] not in ("0", "", "false")
        return _json(200, emulator.stats.snapshot(with_log=with_log))
    if method == "POST" and action == "reset-stats":
        emulator.reset_stats()
        return _json(200, {"ok": True})
    if method == "GET" and action == "options":
        return _json(200, emulator.options.to_json())
    if method == "POST" and action == "options":
        emulator.set_options(**payload)
        return _json(200, emulator.options.to_json())
    if method == "POST" and action in ("touch", "insert", "delete"):
        return _change_data(emulator, action, payload)
    if method == "POST" and action == "faults":
        emulator.faults.add(Fault(**payload))
        return _json(200, {"pending": len(emulator.faults)})
    if method == "POST" and action == "faults/clear":
        emulator.faults.clear()
        return _json(200, {"pending": 0})
    if method == "GET" and action.startswith("count/"):
        return _json(200, {"count": emulator.dataset.count(action[len("count/") :])})
    if method == "GET" and action.startswith("rows/"):
        return _json(200, {"rows": emulator.dataset.rows(action[len("rows/") :])})
    return None


def _change_data(emulator: Emulator, action: str, payload: dict[str, Any]) -> Response:
    """touch / insert / delete rows of {"resource": ..., "ids": [...] or "count": n}; a delete also takes
    `"cascade": false` to leave the rows the app would delete with them (Dataset.delete)."""
    resource = payload.get("resource")
    if not isinstance(resource, str):
        return _json(400, {"message": "resource is required"})
    ids = payload.get("ids")
    count = payload.get("count")
    if action == "touch":
        return _json(200, {"ids": emulator.dataset.touch(resource, ids=ids, count=count)})
    if action == "insert":
        return _json(200, {"ids": emulator.dataset.insert(resource, count=int(count or 1))})
    if ids is None:
        # delete by count: pick deterministic-random live rows, like touch
        ids = emulator.dataset.pick_ids(resource, int(count or 1))
    deleted = emulator.dataset.delete(resource, ids, cascade=bool(payload.get("cascade", True)))
    cascaded = {child: child_ids for child, child_ids in deleted.items() if child != resource and child_ids}
    return _json(200, {"ids": deleted[resource], "cascaded": cascaded})
