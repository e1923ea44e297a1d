"""The Emulator object: dataset + HTTP server + modes, started in daemon threads."""

from __future__ import annotations

import threading
import time
from typing import Any

from .api import Api
from .clock import Clock, Sleep
from .dataset import Dataset
from .faults import FaultQueue
from .options import EmulatorOptions
from .query import warm
from .rate_limit import RateLimiter
from .seeding import DataUntil, SeedClock
from .server import EmulatorHTTPServer, Pipeline
from .stats import Stats

DEFAULT_API_KEY = "ac-emulator-key-0123456789abcdef"


class Emulator:
    def __init__(
        self,
        contacts: int = 200,
        seed: int = 42,
        api_key: str = DEFAULT_API_KEY,
        options: EmulatorOptions | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        data_until: DataUntil = None,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
    ) -> None:
        """`data_until`: None seeds dates over 2019-01-01 .. 2025-06-30; "now", "YYYY-MM-DD" or a
        date moves them (the same span of time) to end there (see seeding.SeedClock).

        `clock` and `sleep` are the time the rate limit, the request log, latency and slow faults
        run on: real by default, a clock.ManualClock in tests."""
        self.api_key = api_key
        self.seed = seed
        self.host = host
        self.port = port
        self.options: EmulatorOptions = options if options is not None else EmulatorOptions()
        self._options_lock = threading.Lock()
        self.dataset = Dataset(contacts, seed, SeedClock.until(data_until))
        self.api = Api(self.dataset)
        self.stats = Stats()
        self.faults = FaultQueue()
        self.clock = clock
        self.sleep = sleep
        self.rate_limiter = RateLimiter(clock, on_background_call=self.stats.record_background_call)
        self.pipeline = Pipeline(seed)
        self._server: EmulatorHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle ------------------------------------------------------------------------------

    def start(self) -> Emulator:
        if self._server is not None:
            return self
        server = EmulatorHTTPServer((self.host, self.port), self)
        self._server = server
        self.port = server.server_address[1]
        self.dataset.base_url = self.url + "/api/3"
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.1}, name=f"ac-emulator:{self.port}", daemon=True
        )
        self._thread.start()
        threading.Thread(target=warm, args=(self.dataset,), name="ac-emulator-warm", daemon=True).start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        server.close_connections()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    # --- modes and counters -------------------------------------------------------------------

    def set_options(self, **changes: Any) -> EmulatorOptions:
        """Change modes at runtime; requests in flight keep the options they started with."""
        with self._options_lock:
            self.options = self.options.with_changes(**changes)
            return self.options

    def reset_stats(self) -> None:
        self.stats.reset()

    def mutate_once(self) -> None:
        """The mutate_every step: records changing while a sync reads them."""
        self.dataset.touch("contacts", count=1)
        self.dataset.touch("deals", count=1)
        self.dataset.insert("contacts", count=1)
