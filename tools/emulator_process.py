"""The emulator as a child process, as a user would run it beside the connector (the demo, the benchmark)."""

import json
import subprocess
import sys
import urllib.request
from collections.abc import Mapping
from typing import Any

from testing.connector_runner import REPO_ROOT

EMULATOR_API_KEY = "ac-demo-key-0f9e8d7c6b5a4f3e2d1c"


class EmulatorProcess:
    """``python -m activecampaign_emulator`` on a free port, with its admin endpoints at hand.

    ``extra_args`` are the emulator's own options (``--rate-limit 5``, ``--data-until now`` ...).
    """

    def __init__(self, contacts: int, extra_args: list[str] | None = None, api_key: str = EMULATOR_API_KEY) -> None:
        self.api_key = api_key
        self._command = [
            sys.executable,
            "-m",
            "activecampaign_emulator",
            "--port",
            "0",
            "--contacts",
            str(contacts),
            "--api-key",
            api_key,
            *(extra_args or []),
        ]
        self._process: subprocess.Popen[str] | None = None
        self.url = ""

    def __enter__(self) -> "EmulatorProcess":
        self._process = subprocess.Popen(self._command, cwd=REPO_ROOT, stdout=subprocess.PIPE, text=True)
        first_line = self._process.stdout.readline().strip() if self._process.stdout else ""
        if not first_line.startswith("EMULATOR_URL="):
            self._process.kill()
            raise RuntimeError(f"the emulator did not start (it printed {first_line!r})")
        self.url = first_line.split("=", 1)[1]
        return self

    def __exit__(self, *exc_info: Any) -> None:
        if self._process:
            self._process.terminate()
            self._process.wait(timeout=10)

    def connector_config(self, **overrides: Any) -> dict[str, Any]:
        """A connector config for this account."""
        return {"api_url": self.url, "api_key": self.api_key, **overrides}

    def admin(self, path: str, body: Mapping[str, Any] | None = None) -> Any:
        """GET (or POST ``body`` to) ``/__emulator/<path>``: stats, options, touch, insert ..."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"{self.url}/__emulator/{path}", data=data, method="POST" if data else "GET")
        request.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read() or b"null")
