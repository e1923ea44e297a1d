"""Every record and the final state of two whole-account reads of the emulator, and what differs between two.

A change to the record path (extraction, transformations, normalisation, cursors, output) must leave
what the connector emits as it was. ``take`` reads the whole emulator account twice through ``main.py``:

- ``full_refresh``: every stream, full refresh, options off;
- ``first_incremental``: every stream incremental where it can be, no state, both custom-field
  options on (contacts and deals carry their custom fields as columns);

and keeps, per read, each stream's records (canonical JSON, sorted: compared as parsed JSON, order
aside) and the final state of each stream. ``digest`` makes of it what is small enough to keep in the
repository (per read and stream: how many records and one hash of them all; the final states in full).
``tools/record_snapshot.py`` writes and compares them from the command line;
``integration_tests/test_record_snapshot.py`` holds the connector to a digest.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import Any

from activecampaign_emulator import Emulator
from testing.connector_runner import ConnectorInputs, configured_catalog, run_main, sync_modes

READS = {
    "full_refresh": ({}, False),
    "first_incremental": ({"extract_contact_custom_fields": True, "extract_deal_custom_fields": True}, True),
}
URL_PLACEHOLDER = "{EMULATOR_URL}"
SEED = 42


def _comparable_state(state: Any) -> Any:
    """A per-partition state's ``lookback_window`` is how long the CDK's sync ran, in seconds, and a
    stream's ``last_deletions_check`` when it ran: both differ from one read to the next whatever the
    connector does."""
    if not isinstance(state, dict):
        return state
    varying = {"last_deletions_check", "lookback_window"} if "states" in state else {"last_deletions_check"}
    return {key: value for key, value in state.items() if key not in varying}


def _canonical(value: Any, emulator_url: str) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False).replace(emulator_url, URL_PLACEHOLDER)


def take(emulator: Emulator, repo: Path) -> dict[str, Any]:
    """{read: {"records": {stream: [canonical record, ...] sorted}, "states": {stream: canonical state}}}."""
    snapshot: dict[str, Any] = {}
    for label, (options, incremental) in READS.items():
        inputs = ConnectorInputs()
        config = {"api_url": emulator.url, "api_key": emulator.api_key, **options}
        discover = run_main(inputs.args("discover", config), repo_root=repo)
        discovered = discover.of_type("CATALOG")[0]["catalog"]
        catalog = configured_catalog(sync_modes(discovered, incremental=incremental), discovered)
        run = run_main(inputs.args("read", config, catalog), timeout=1800, repo_root=repo)
        if run.exit_code != 0:
            raise RuntimeError(f"{label}: read failed: {run.error_messages() or run.stderr[-2000:]}")
        records: dict[str, list[str]] = {}
        for stream, rows in run.records_by_stream().items():
            records[stream] = sorted(_canonical(row, emulator.url) for row in rows)
        states = {
            message["stream"]["stream_descriptor"]["name"]: _canonical(
                _comparable_state(message["stream"]["stream_state"]), emulator.url
            )
            for message in run.final_states()
        }
        snapshot[label] = {"records": records, "states": states}
    return snapshot


def digest(snapshot: dict[str, Any]) -> dict[str, Any]:
    """{read: {"records": {stream: [count, sha256 of the sorted records]}, "states": {stream: state}}}."""
    return {
        label: {
            "records": {
                stream: [len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest()]
                for stream, rows in sorted(read["records"].items())
            },
            "states": dict(sorted(read["states"].items())),
        }
        for label, read in snapshot.items()
        if label in READS
    }


def digest_differences(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """One line per read and stream whose records or final state differ between two digests."""
    lines: list[str] = []
    for label in READS:
        old, new = before.get(label, {}), after.get(label, {})
        for part in ("records", "states"):
            for stream in sorted(set(old.get(part, {})) | set(new.get(part, {}))):
                was, now = old.get(part, {}).get(stream), new.get(part, {}).get(stream)
                if was != now:
                    what = "records (count, hash)" if part == "records" else "final state"
                    lines.append(f"{label} {stream}: {what} {was} -> {now}")
    return lines


def differences(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """One line per stream whose records or final state differ, empty when every read is the same."""
    lines: list[str] = []
    for label in READS:
        old, new = before.get(label, {}), after.get(label, {})
        for stream in sorted(set(old.get("records", {})) | set(new.get("records", {}))):
            was = Counter(old.get("records", {}).get(stream, []))
            now = Counter(new.get("records", {}).get(stream, []))
            if was != now:
                gone, added = was - now, now - was
                example = next(iter(added or gone))
                lines.append(
                    f"{label} {stream}: {sum(was.values())} -> {sum(now.values())} records, {sum(gone.values())} "
                    f"no longer emitted, {sum(added.values())} new; e.g. {example[:300]}"
                )
        for stream in sorted(set(old.get("states", {})) | set(new.get("states", {}))):
            was_state, now_state = old.get("states", {}).get(stream), new.get("states", {}).get(stream)
            if was_state != now_state:
                lines.append(f"{label} {stream}: final state {was_state} -> {now_state}")
    return lines
