"""python -m activecampaign_emulator: flags, the admin endpoints, --data-until."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import requests

from activecampaign_emulator.dates import ACCOUNT_TZ
from emulator_tests.emulator_client import parse_iso

REPO = Path(__file__).resolve().parents[1]


def _start(*flags: str) -> subprocess.Popen[str]:
    """The emulator as a process on a free port with 40 contacts and `flags`."""
    command = [sys.executable, "-m", "activecampaign_emulator", "--port", "0", "--contacts", "40", *flags]
    return subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_cli_process_mode() -> None:
    proc = _start(
        "--rate-limit",
        "50",
        "--forbidden-resources",
        "lists,forms",
        "--deals-access",
        "pipeline-partial",
        "--rows-dropped-from-pages",
        "tags",
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()
        assert re.fullmatch(r"EMULATOR_URL=http://127\.0\.0\.1:\d+", line), line
        url = line.split("=", 1)[1]
        key = {"Api-Token": "ac-emulator-key-0123456789abcdef"}
        assert requests.get(f"{url}/api/3/users/me", headers=key, timeout=5).status_code == 200
        assert requests.get(f"{url}/api/3/lists", headers=key, timeout=5).status_code == 403
        tags = requests.get(f"{url}/api/3/tags?limit=100", headers=key, timeout=5).json()
        assert len(tags["tags"]) == int(tags["meta"]["total"]) - 1
        stats = requests.get(f"{url}/__emulator/stats", timeout=5).json()
        assert stats["requests"] == 3 and "log" not in stats
        assert len(requests.get(f"{url}/__emulator/stats?log=1", timeout=5).json()["log"]) == 3
        opts = requests.post(f"{url}/__emulator/options", json={"forbidden_resources": []}, timeout=5).json()
        assert opts["forbidden_resources"] == [] and opts["deals_access"] == "pipeline-partial"
        assert requests.get(f"{url}/api/3/lists", headers=key, timeout=5).status_code == 200
        inserted = requests.post(
            f"{url}/__emulator/insert", json={"resource": "contacts", "count": 2}, timeout=5
        ).json()
        assert len(inserted["ids"]) == 2
        touched = requests.post(f"{url}/__emulator/touch", json={"resource": "deals", "ids": ["1"]}, timeout=5).json()
        assert touched == {"ids": ["1"]}
        deleted = requests.post(
            f"{url}/__emulator/delete", json={"resource": "contacts", "ids": inserted["ids"][:1]}, timeout=5
        ).json()
        assert deleted == {"ids": inserted["ids"][:1], "cascaded": {}}
        rows = requests.get(f"{url}/__emulator/rows/contacts", timeout=5).json()["rows"]
        assert len(rows) == 41
        assert requests.get(f"{url}/__emulator/count/contacts", timeout=5).json() == {"count": 41}
        assert requests.post(f"{url}/__emulator/reset-stats", timeout=5).json() == {"ok": True}
        assert requests.get(f"{url}/__emulator/stats", timeout=5).json()["requests"] == 0
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_cli_data_until() -> None:
    bad = subprocess.run(
        [sys.executable, "-m", "activecampaign_emulator", "--data-until", "soon"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr
    proc = _start("--data-until", "2024-03-31")
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip().split("=", 1)[1]
        key = {"Api-Token": "ac-emulator-key-0123456789abcdef"}
        newest = requests.get(f"{url}/api/3/contacts?orders[udate]=DESC&limit=1", headers=key, timeout=5).json()
        udate = parse_iso(newest["contacts"][0]["udate"])
        assert datetime(2024, 1, 1, tzinfo=ACCOUNT_TZ) < udate < datetime(2024, 4, 1, tzinfo=ACCOUNT_TZ)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_cli_misbehaviour_flags() -> None:
    proc = _start("--forbidden-rate", "1", "--odd-body-rate", "0.25", "--odd-bodies", "empty,html")
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip().split("=", 1)[1]
        options = requests.get(f"{url}/__emulator/options", timeout=5).json()
        assert (options["forbidden_rate"], options["odd_body_rate"], options["odd_bodies"]) == (
            1.0,
            0.25,
            ["empty", "html"],
        )
        key = {"Api-Token": "ac-emulator-key-0123456789abcdef"}
        assert requests.get(f"{url}/api/3/tags", headers=key, timeout=5).status_code == 403
    finally:
        proc.kill()
        proc.wait()
