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


def handle(emu: Emulator, method: str, path: str, raw_query: str, body: bytes, client_ip: str) -> Response:
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
        if method == "GET" and action == "stats":
            with_log = parse_qs(raw_query).get("log", ["0"])[0] not in ("0", "", "false")
            return _json(200, emu.stats.snapshot(with_log=with_log))
        if method == "POST" and action == "reset-stats":
            emu.reset_stats()
            return _json(200, {"ok": True})
        if method == "GET" and action == "options":
            return _json(200, emu.options.to_json())
        if method == "POST" and action == "options":
            emu.set_options(**payload)
            return _json(200, emu.options.to_json())
        if method == "POST" and action in ("touch", "insert", "delete"):
            resource = payload.get("resource")
            if not isinstance(resource, str):
                return _json(400, {"message": "resource is required"})
            ids = payload.get("ids")
            count = payload.get("count")
            if action == "touch":
                return _json(200, {"ids": emu.dataset.touch(resource, ids=ids, count=count)})
            if action == "insert":
                return _json(200, {"ids": emu.dataset.insert(resource, count=int(count or 1))})
            if ids is None:
                # delete by count: pick deterministic-random live rows, like touch
                ids = emu.dataset.pick_ids(resource, int(count or 1))
            emu.dataset.delete(resource, ids)
            return _json(200, {"ids": [str(i) for i in ids]})
        if method == "POST" and action == "faults":
            emu.faults.add(Fault(**payload))
            return _json(200, {"pending": len(emu.faults)})
        if method == "POST" and action == "faults/clear":
            emu.faults.clear()
            return _json(200, {"pending": 0})
        if method == "GET" and action.startswith("rows/"):
            return _json(200, {"rows": emu.dataset.rows(action[len("rows/") :])})
    except UnknownResource as e:
        return _json(404, {"message": f"unknown resource {e.args[0]}"})
    except (KeyError, ValueError, TypeError) as e:
        return _json(400, {"message": str(e)})
    return _json(404, {"message": f"no admin endpoint {method} {path}"})
