"""HTTP handling: the per-request pipeline in front of the API.

Order of checks for an API request (each may answer on its own):
wrong host redirect -> Api-Token -> payment (402) -> rate limit (429) -> queued faults ->
random 5xx (error_rate) -> random refusal of the good key (forbidden_rate) -> method -> the API,
whose 200 may then carry an odd body (odd_body_rate). Latency is added to every API response.

Time (the log's timestamps, latency, slow faults) runs on the Emulator's clock and sleep.
"""

from __future__ import annotations

import random
import socket
import struct
import threading
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
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class Pipeline:
    """State shared by all requests that is not part of the dataset."""

    def __init__(self, seed: int) -> None:
        self._lock = threading.Lock()
        # One generator per kind of draw: switching one on leaves the others' draws as they were.
        self._error_rng = random.Random(seed * 104729 + 5)
        self._refusal_rng = random.Random(seed * 104729 + 11)
        self._odd_body_rng = random.Random(seed * 104729 + 13)
        self._list_requests = 0

    def draw_error(self, rate: float) -> int | None:
        if rate <= 0:
            return None
        with self._lock:
            hit = self._error_rng.random() < rate
            status = self._error_rng.choice((500, 502, 503, 504)) if hit else None
        return status

    def draw_refusal(self, rate: float) -> bool:
        if rate <= 0:
            return False
        with self._lock:
            return self._refusal_rng.random() < rate

    def draw_odd_body(self, rate: float, kinds: frozenset[str]) -> str | None:
        if rate <= 0:
            return None
        with self._lock:
            hit = self._odd_body_rng.random() < rate
            return self._odd_body_rng.choice(sorted(kinds)) if hit else None

    def count_list_request(self, every: int) -> bool:
        """True when this list request is the N-th one (and mutations are due).

        Only served lists count, not 429s or faults, so that a client's retries do not move the
        mutations (mutate_every is the emulator's own feature)."""
        with self._lock:
            self._list_requests += 1
            return every > 0 and self._list_requests % every == 0


def _server_error(status: int) -> Response:
    # Gateways answer HTML, the application JSON: alternate so clients handle both.
    if status in (502, 504):
        return html_response(status, f"{status} {phrase(status)}", "The upstream server did not answer in time.")
    return message(status, phrase(status))


# Faults that answer in place of the API; "slow" and "truncated" change the API's own answer.
ANSWERING_FAULTS = frozenset({"status", "html", "empty", "reset"})


def _odd_body(kind: str, response: Response) -> Response:
    """A 200 whose body is not what it says: a proxy's HTML page, nothing, or the JSON cut short."""
    if kind == "html":
        return html_response(200, "Log in", "Please log in to continue.")
    if kind == "empty":
        return Response(200, b"", "application/json")
    response.body = response.body[: len(response.body) // 2]
    return response


def _fault_response(fault: Fault) -> Response:
    if fault.kind == "reset":
        return RESET
    if fault.kind in ("html", "empty"):
        return _odd_body(fault.kind, Response(200))
    status = int(fault.status or 500)
    headers = dict(fault.headers or {})
    content_type: str | None = "application/json"
    for name in list(headers):
        if name.lower() == "content-type":
            content_type = headers.pop(name)
    return Response(status, _fault_body(status, fault.body), content_type, headers)


def _fault_body(status: int, body: Any) -> bytes:
    if body is None:
        return json_response(status, {"message": phrase(status)}).body
    if isinstance(body, (dict, list)):
        return json_response(status, body).body
    return body if isinstance(body, bytes) else str(body).encode("utf-8")


def _key_refused(options: EmulatorOptions) -> Response:
    """A missing or invalid Api-Token answers 403 (https://developers.activecampaign.com/reference/authentication);
    an empty 403 without Content-Type has been reported too, hence forbidden_body="empty". A good key
    refused now and then (forbidden_rate) is answered the same: nothing tells the two apart."""
    if options.forbidden_body == "empty":
        return Response(403, b"", None)
    return message(403, "Forbidden")


def _too_many_requests(options: EmulatorOptions) -> Response:
    """429 with Retry-After and the RateLimit-* headers the API documents
    (https://developers.activecampaign.com/reference/rate-limits). The body is not documented; the
    emulator chooses a JSON message."""
    headers = {
        "Retry-After": str(int(options.retry_after)),
        "RateLimit-Limit": str(options.rate_limit),
        "RateLimit-Remaining": "0",
    }
    return json_response(429, {"message": "Too Many Requests"}, headers)


def _is_api_path(path: str) -> bool:
    return path.startswith(API_PREFIX) or path.rstrip("/") == "/api/3"


class _RequestRecorder:
    """Logs one API request in the emulator's stats exactly once."""

    def __init__(self, emulator: Emulator, method: str, path: str, raw_query: str, headers: Any) -> None:
        self.emulator = emulator
        self.method, self.path, self.raw_query = method, path, raw_query
        self.headers = headers
        self.recorded = False
        self.started_at = emulator.clock()
        emulator.stats.begin()

    def record(self, status: int) -> None:
        """Called before the last byte goes out, so a client that has its answer sees it in stats.
        Status 0: the connection was dropped without an answer."""
        self.recorded = True
        headers = {name: ("***" if name.lower() == "api-token" else value) for name, value in self.headers.items()}
        query = parse_qs(self.raw_query, keep_blank_values=True)
        entry = RequestLogEntry(self.method, self.path, query, status, self.started_at, self.emulator.clock(), headers)
        self.emulator.stats.end(entry)


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

    def _send(self, response: Response, method: str) -> None:
        self.send_response(response.status)
        if response.content_type is not None:
            self.send_header("Content-Type", response.content_type)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        # Headers and body in one write: two small writes on a keep-alive socket meet Nagle and
        # delayed ACKs and cost ~40 ms per response.
        self._headers_buffer.append(b"\r\n")
        if method != "HEAD" and response.body:
            self._headers_buffer.append(response.body)
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
            response = admin.handle(self.server.emulator, method, path, raw_query, body, self.client_address[0])
            self._send(response, method)
        else:
            self._serve_api(method, path, raw_query)

    def _serve_api(self, method: str, path: str, raw_query: str) -> None:
        emulator = self.server.emulator
        recorder = _RequestRecorder(emulator, method, path, raw_query, self.headers)
        try:
            if method not in ("GET", "HEAD"):
                self._read_body()  # drain it so the keep-alive connection stays in sync
            response = self._answer(method, path, raw_query)
            if response is RESET:
                recorder.record(0)
                self._reset()
                return
            latency = emulator.options.latency_ms
            if latency > 0:
                emulator.sleep(latency / 1000.0)
            response.headers.setdefault("X-Request-Id", str(uuid.uuid4()))
            recorder.record(response.status)
            self._send(response, method)
        finally:
            if not recorder.recorded:
                recorder.record(500)

    def _answer(self, method: str, path: str, raw_query: str) -> Response:
        try:
            return self._api(method, path, raw_query)
        except Exception:  # an emulator bug: answer 500 and show it, never hang the client
            traceback.print_exc()
            return message(500, "Internal emulator error")

    # --- the request pipeline -------------------------------------------------------------------

    def _api(self, method: str, path: str, raw_query: str) -> Response:
        emulator = self.server.emulator
        options: EmulatorOptions = emulator.options
        refusal = self._refuse_account(options)
        if refusal is not None:
            return refusal
        accepted, remaining = emulator.rate_limiter.admit(options.rate_limit, options.background)
        if not accepted:
            return _too_many_requests(options)
        fault = emulator.faults.take(path) if _is_api_path(path) else None
        if fault is not None and fault.kind in ANSWERING_FAULTS:
            return _fault_response(fault)
        if fault is not None and fault.kind == "slow":
            emulator.sleep(max(0.0, fault.delay_s))
        error_status = emulator.pipeline.draw_error(options.error_rate)
        if error_status is not None:
            return _server_error(error_status)
        if emulator.pipeline.draw_refusal(options.forbidden_rate):
            return _key_refused(options)
        if method not in ("GET", "HEAD"):
            return message(405, "Method Not Allowed")  # the API takes writes; the emulator serves reads only
        if not path.startswith(API_PREFIX):
            return message(404, "Not Found")
        response = self._route(path, raw_query, options)
        if response.is_list and response.status == 200 and emulator.pipeline.count_list_request(options.mutate_every):
            emulator.mutate_once()
        if options.ratelimit_headers and 200 <= response.status < 300:
            self._add_rate_limit_headers(response, options, remaining)
        if fault is not None and fault.kind == "truncated" and response.body:
            response = _odd_body("truncated", response)
        odd_body = emulator.pipeline.draw_odd_body(options.odd_body_rate, options.odd_bodies)
        if odd_body is not None and response.status == 200 and response.body:
            response = _odd_body(odd_body, response)
        return response

    def _refuse_account(self, options: EmulatorOptions) -> Response | None:
        """The answers before any resource: wrong account host, bad key, unpaid account."""
        emulator = self.server.emulator
        if options.account_redirect:
            # A wrong account host is redirected to an HTML login page, as public clients report;
            # the emulator sends a 302 to the configured URL.
            link = f'Redirecting to <a href="{options.account_redirect}">login</a>.'
            return html_response(302, "Redirecting", link, {"Location": options.account_redirect})
        if self.headers.get("Api-Token") != emulator.api_key:
            return _key_refused(options)
        if options.payment_required:
            # 402 means the account has payment issues (https://developers.activecampaign.com/reference/errors);
            # its body is not documented, the emulator chooses a JSON message.
            return message(402, "Payment Required: this account's payment is past due and API access is suspended.")
        return None

    def _route(self, path: str, raw_query: str, options: EmulatorOptions) -> Response:
        emulator = self.server.emulator
        segments = [unquote(segment) for segment in path[len(API_PREFIX) :].split("/") if segment]
        address = self.server.server_address
        host = self.headers.get("Host") or f"{address[0]}:{address[1]}"
        pairs = parse_qsl(raw_query, keep_blank_values=True)
        response = emulator.api.handle(segments, pairs, options, f"http://{host}/api/3", raw_query)
        for name, value in _JSON_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    def _add_rate_limit_headers(self, response: Response, options: EmulatorOptions, remaining: int) -> None:
        """RateLimit-Limit and RateLimit-Remaining on a success, as the API documents them on 429s
        (https://developers.activecampaign.com/reference/rate-limits); whether 2xx responses carry
        them is not documented, so the emulator sends them only with ratelimit_headers on."""
        rate_limiter = self.server.emulator.rate_limiter
        limit = options.rate_limit if options.rate_limit is not None else NOMINAL_RATE_LIMIT
        if remaining < 0:
            remaining = max(0, limit - rate_limiter.used(options.rate_limit, options.background))
        response.headers["RateLimit-Limit"] = str(limit)
        response.headers["RateLimit-Remaining"] = str(remaining)
