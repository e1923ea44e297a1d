"""The deletion check: what it costs in requests, what it finds, and how much state it keeps."""

from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path
from typing import Any

from tools.benchmark.accounts import Workspace, emulator_process
from tools.benchmark.bench import Bench, Row, progress
from tools.benchmark.reading import Read, read
from tools.emulator_process import EmulatorProcess

STREAMS = ["contacts", "deals", "contact_tags"]
DELETED_AT = "_ab_cdc_deleted_at"
# The synthetic account of the state-size figure: a million contacts, one id in ten deleted at random.
SYNTHETIC_CONTACTS = 1_000_000
SYNTHETIC_DELETED_SHARE = 0.1


def deletion_check(bench: Bench, contacts: int = 20_000, deleted_share: float = 0.001) -> list[Row]:
    """Contacts, deals and contact_tags, incremental, at 5 requests per second and 200 ms, on an
    account synced often (`--data-until now`). A first read saves the state; then 0.1% of contacts
    (with the rows the app deletes with them), of deals and of contact tags are deleted. A second read
    starts from the state with no check due: an ordinary incremental sync. A third starts from its state
    with every stream's `last_deletions_check` a week back: the check. The check's requests by path
    against the ordinary sync's (contacts and deals re-read every record; contact_tags rides on the
    contacts pages; an id a read by offset missed costs one lookup), the deletions it emitted against
    those made, each stream's state size; and, computed, the state a million contact ids take when one
    in ten was deleted at random."""
    n = bench.size(contacts)
    ws = Workspace(bench, "deletion_check")
    with emulator_process(bench, n, limited=True, data_until="now") as emu:
        config = ws.config(emu, limited=True)
        catalog = ws.catalog(config, STREAMS, incremental=True, name="catalog")
        progress(f"deletion_check: {', '.join(STREAMS)} incremental, {n:,} contacts: first read")
        first = read(emu, config, catalog, None, ws.dir, "read-1")
        deleted = _delete(emu, first, deleted_share)
        made = ", ".join(f"{len(ids):,} {stream}" for stream, ids in deleted.items())
        progress(f"deletion_check: {made} deleted; a sync with no check due")
        ordinary = read(emu, config, catalog, ws.state(first.states.values(), "state-1"), ws.dir, "read-2")
        progress("deletion_check: the sync whose check is due")
        due = ws.state(_checked_a_week_ago(ordinary.states.values()), "state-2")
        check = read(emu, config, catalog, due, ws.dir, "read-3", keep_records_of=STREAMS)
    emitted = _deletions(ws.dir / "read-3.records.jsonl")
    exact = "deletions exact" if emitted == deleted else f"deletions DIFFER: made {deleted}, emitted {emitted}"
    before, after = _requests_by_path(ordinary), _requests_by_path(check)
    details = [f"{'path':<16} {'ordinary sync':>14} {'check':>7}"]
    details += [f"{path:<16} {before.get(path, 0):>14,} {after.get(path, 0):>7,}" for path in sorted(before | after)]
    details.append(f"{'stream':<16} {'deleted':>8} {'emitted':>8} {'state bytes':>12}")
    details += [
        f"{stream:<16} {len(deleted[stream]):>8,} {len(emitted.get(stream, [])):>8,} {_state_bytes(check, stream):>12,}"
        for stream in STREAMS
    ]
    details.append(_synthetic_state())
    return [
        Row("deletion_check", "first read", n, True, first),
        Row("deletion_check", "incremental sync, no check due", n, True, ordinary, rate_meaningful=False),
        Row(
            "deletion_check",
            "incremental sync, check due",
            n,
            True,
            check,
            notes=[exact, f"{check.requests:,} req against {ordinary.requests:,} without the check"],
            details=details,
        ),
    ]


def _delete(emu: EmulatorProcess, first: Read, share: float) -> dict[str, list[int]]:
    """Deletes ``share`` of contacts (their tags go with them), of deals and of contact tags; every id gone
    by stream."""

    def count(stream: str) -> int:
        return math.ceil(first.records[stream] * share)

    contacts = emu.admin("delete", {"resource": "contacts", "count": count("contacts")})
    deals = emu.admin("delete", {"resource": "deals", "count": count("deals")})
    tags = emu.admin("delete", {"resource": "contactTags", "count": count("contact_tags")})
    return {
        "contacts": sorted(int(row_id) for row_id in contacts["ids"]),
        "deals": sorted(int(row_id) for row_id in deals["ids"]),
        "contact_tags": sorted(int(row_id) for row_id in contacts["cascaded"].get("contactTags", []) + tags["ids"]),
    }


def _checked_a_week_ago(states: Any) -> list[Any]:
    """The states with each stream's last check long enough ago for the next one to be due."""
    due: list[Any] = []
    for state in states:
        stream_state = {**state["stream"]["stream_state"], "last_deletions_check": "2000-01-01T00:00:00+00:00"}
        due.append({**state, "stream": {**state["stream"], "stream_state": stream_state}})
    return due


def _deletions(records: Path) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {stream: [] for stream in STREAMS}
    with records.open("rb") as lines:
        for line in lines:
            record = json.loads(line)["record"]
            if record["data"].get(DELETED_AT):
                found[record["stream"]].append(record["data"]["id"])
    return {stream: sorted(ids) for stream, ids in found.items()}


def _requests_by_path(result: Read) -> Counter[str]:
    """Requests by collection, a row's own URL (a lookup) counted as `<collection>/{id}`."""
    paths: Counter[str] = Counter()
    for entry in result.log:
        parts = entry["path"].removeprefix("/api/3/").split("/")
        paths[parts[0] + ("/{id}" if len(parts) == 2 else "/..." if len(parts) > 2 else "")] += 1
    return paths


def _state_bytes(result: Read, stream: str) -> int:
    return len(json.dumps(result.states[stream]["stream"]["stream_state"]))


def _synthetic_state() -> str:
    """The contacts state of a million contacts, one id in ten deleted at random: after an incremental
    sync (the cursor and the deletion keys), and right after a check, which is a first read and leaves
    a cursor per id range of 2,500 ids until the next sync."""
    # Imported here: every benchmark run imports the registry, and this process's peak memory is
    # handed on to every connector process it starts.
    import numpy as np

    from source_activecampaign.deletions.id_set import IdSet

    span = int(SYNTHETIC_CONTACTS / (1 - SYNTHETIC_DELETED_SHARE))
    rng = np.random.default_rng(20)
    ids = np.sort(rng.choice(np.arange(1, span + 1), SYNTHETIC_CONTACTS, replace=False)).astype(np.int64)
    cursor = {"udate": "2024-02-19T13:20:49-0600"}
    keys = {"emitted_ids": IdSet(ids).encode(), "last_deletions_check": "2024-03-01T12:00:00+00:00"}
    ranges = [
        {"partition": {"id_greater": str(low), "id_less": str(low + 2_501)}, "cursor": cursor}
        for low in range(0, span, 2_500)
    ]
    after_check = {"use_global_cursor": False, "states": ranges, "state": cursor, "lookback_window": 1, **keys}
    return (
        f"computed: {SYNTHETIC_CONTACTS:,} contact ids, {SYNTHETIC_DELETED_SHARE:.0%} deleted at random: "
        f"emitted_ids {len(keys['emitted_ids']) / 1024:,.1f} KB; contacts' state "
        f"{len(json.dumps({**cursor, **keys})) / 1024:,.1f} KB after an incremental sync, "
        f"{len(json.dumps(after_check)) / 1024:,.1f} KB right after a check ({len(ranges)} id ranges)"
    )
