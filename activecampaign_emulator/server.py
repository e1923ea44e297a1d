"""HTTP handling: the per-request pipeline in front of the API.

Order of checks for an API request (each may answer on its own):
wrong host redirect -> Api-Token -> payment (402) -> rate limit (429) -> queued faults ->
random 5xx (error_rate) -> method -> the API. Latency is added to every API response.
"""

from __future__ import annotations

import random
import socket
import struct
import threading
import time
import traceback
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, parse_qsl, unquote

from . import admin
from .faults import Fault
from .options import EmulatorOptions
from .responses import RESET, Response, html_response, json_response, message, phrase
from .stats import RequestLogEntry

if TYPE_CHECKING:
    from .emulator import Emulator

API_PREFIX = "/api/3/"
NOMINAL_RATE_LIMIT = 5  # documented limit, reported in RateLimit-Limit when no limit is enforced

_JSON_HEADERS = {
    "Cache-Control": "no-store, no-cache, must-revalidate",
    "Pragma": "no-cache",
    "Expires": "Thu, 19 Nov 1981 08:52:00 GMT",
}


class EmulatorHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    # Do not join handler threads on close: pooled keep-alive connections would block stop().
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], emulator: Emulator) -> None:
        self.emulator = emulator
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, ApiHandler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """End pooled keep-alive connections too, so a stopped emulator stops answering."""
        with self._connections_lock:
            connections = list(self._connections)
            self._connections.clear()
        for conn in connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class Pipeline:
    """State shared by all requests that is not part of the dataset."""

    def __init__(self, seed: int) -> None:
        self._lock = threading.Lock()
        self._error_rng = random.Random(seed * 104729 + 5)
        self._list_requests = 0

    def draw_error(self, rate: float) -> int | None:
        if rate <= 0:
            return None
        with self._lock:
            hit = self._error_rng.random() < rate
            status = self._error_rng.choice((500, 502, 503, 504)) if hit else None
        return status

    def count_list_request(self, every: int) -> bool:
        """True when this list request is the N-th one (and mutations are due).

        Only served lists count (not 429s or faults), so retries do not move the mutations (INF)."""
        with self._lock:
            self._list_requests += 1
            return every > 0 and self._list_requests % every == 0


def _server_error(status: int) -> Response:
    # Gateways answer HTML, the application JSON: alternate so clients handle both.
    if status in (502, 504):
        return html_response(status, f"{status} {phrase(status)}", "The upstream server did not answer in time.")
    return message(status, phrase(status))


def _fault_response(fault: Fault) -> Response:
    if fault.kind == "html":
        return html_response(200, "Log in", "Please log in to continue.")
    if fault.kind == "empty":
        return Response(200, b"", "application/json")
    status = int(fault.status or 500)
    body = fault.body
    headers = dict(fault.headers or {})
    content_type: str | None = "application/json"
    for k in list(headers):
        if k.lower() == "content-type":
            content_type = headers.pop(k)
    if body is None:
        return Response(status, json_response(status, {"message": phrase(status)}).body, content_type, headers)
    if isinstance(body, (dict, list)):
        return Response(status, json_response(status, body).body, content_type, headers)
    raw = body if isinstance(body, bytes) else str(body).encode("utf-8")
    return Response(status, raw, content_type, headers)


class ApiHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive with Content-Length: the connector pools connections
    disable_nagle_algorithm = True
    timeout = 300  # idle keep-alive connections end after 5 minutes, as behind a real proxy
    server_version = "ac-emulator"
    sys_version = ""
    server: EmulatorHTTPServer

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - signature from the base class
        pass  # quiet: tests and the benchmark read stats instead

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PUT(self) -> None:
        self._dispatch("PUT")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def do_PATCH(self) -> None:
        self._dispatch("PATCH")

    def do_HEAD(self) -> None:
        self._dispatch("HEAD")

    # --- plumbing -------------------------------------------------------------------------------

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _send(self, resp: Response, method: str) -> None:
        self.send_response(resp.status)
        if resp.content_type is not None:
            self.send_header("Content-Type", resp.content_type)
        for k, v in resp.headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(resp.body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        # Headers and body in one write: two small writes on a keep-alive socket meet Nagle and
        # delayed ACKs and cost ~40 ms per response.
        self._headers_buffer.append(b"\r\n")
        if method != "HEAD" and resp.body:
            self._headers_buffer.append(resp.body)
        self.flush_headers()

    def _reset(self) -> None:
        """Drop the connection without a response (RST rather than FIN, like a crashed proxy)."""
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
        except OSError:
            pass

    def _dispatch(self, method: str) -> None:
        path, _, raw_query = self.path.partition("?")
        if path.startswith(admin.PREFIX):
            body = self._read_body()
            self._send(
                admin.handle(self.server.emulator, method, path, raw_query, body, self.client_address[0]), method
            )
            return
        emu = self.server.emulator
        started = time.monotonic()
        emu.stats.begin()
        recorded = False

        def record(status: int) -> None:
            # Logged before the last byte goes out, so a client that has its answer sees it in stats.
            nonlocal recorded
            recorded = True
            headers = {k: ("***" if k.lower() == "api-token" else v) for k, v in self.headers.items()}
            emu.stats.end(
                RequestLogEntry(
                    method,
                    path,
                    parse_qs(raw_query, keep_blank_values=True),
                    status,
                    started,
                    time.monotonic(),
                    headers,
                )
            )

        try:
            if method not in ("GET", "HEAD"):
                self._read_body()  # drain it so the keep-alive connection stays in sync
            try:
                resp = self._api(method, path, raw_query)
            except Exception:  # an emulator bug: answer 500 and show it, never hang the client
                traceback.print_exc()
                resp = message(500, "Internal emulator error")
            if resp is RESET:
                record(0)  # status 0: no answer
                self._reset()
                return
            latency = emu.options.latency_ms
            if latency > 0:
                time.sleep(latency / 1000.0)
            resp.headers.setdefault("X-Request-Id", str(uuid.uuid4()))
            record(resp.status)
            self._send(resp, method)
        finally:
            if not recorded:
                record(500)

    def _api(self, method: str, path: str, raw_query: str) -> Response:
        emu = self.server.emulator
        opts: EmulatorOptions = emu.options

        if opts.account_redirect:
            return html_response(
                302,
                "Redirecting",
                f'Redirecting to <a href="{opts.account_redirect}">login</a>.',
                {"Location": opts.account_redirect},
            )

        token = self.headers.get("Api-Token")
        if token != emu.api_key:
            if opts.forbidden_body == "empty":
                return Response(403, b"", None)
            return message(403, "Forbidden")

        if opts.payment_required:
            # Body undocumented (reference §9: 402 "account payment issues"); wording INF.
            return message(402, "Payment Required: this account's payment is past due and API access is suspended.")

        accepted, remaining = emu.rate_limiter.admit(opts.rate_limit, opts.background_rps)
        if not accepted:
            return json_response(
                429,
                {"message": "Too Many Requests"},
                {
                    "Retry-After": str(int(opts.retry_after)),
                    "RateLimit-Limit": str(opts.rate_limit),
                    "RateLimit-Remaining": "0",
                },
            )

        truncate = False
        fault = emu.faults.take(path) if path.startswith(API_PREFIX) or path.rstrip("/") == "/api/3" else None
        if fault is not None:
            if fault.kind == "reset":
                return RESET
            if fault.kind == "slow":
                time.sleep(max(0.0, fault.delay_s))
            elif fault.kind == "truncated":
                truncate = True
            else:
                return _fault_response(fault)

        error_status = emu.pipeline.draw_error(opts.error_rate)
        if error_status is not None:
            return _server_error(error_status)

        if method not in ("GET", "HEAD"):
            return message(405, "Method Not Allowed")  # only reads are emulated (INF)

        if not path.startswith(API_PREFIX):
            return message(404, "Not Found")
        segments = [unquote(s) for s in path[len(API_PREFIX) :].split("/") if s]
        host = self.headers.get("Host") or f"{self.server.server_address[0]}:{self.server.server_address[1]}"
        base = f"http://{host}/api/3"
        pairs = parse_qsl(raw_query, keep_blank_values=True)
        resp = emu.api.handle(segments, pairs, opts, base, raw_query)
        for k, v in _JSON_HEADERS.items():
            resp.headers.setdefault(k, v)

        if resp.is_list and resp.status == 200 and emu.pipeline.count_list_request(opts.mutate_every):
            emu.mutate_once()

        if opts.ratelimit_headers and 200 <= resp.status < 300:
            limit = opts.rate_limit if opts.rate_limit is not None else NOMINAL_RATE_LIMIT
            if remaining < 0:
                remaining = max(0, limit - emu.rate_limiter.used(opts.background_rps))
            resp.headers["RateLimit-Limit"] = str(limit)
            resp.headers["RateLimit-Remaining"] = str(remaining)

        if truncate and resp.body:
            resp.body = resp.body[: len(resp.body) // 2]
        return resp
