"""A read's requests and records by stream: which stream asked for a path, per-stream lines, the contact
child streams' requests, records against the emulator's own rows and against another read's."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from testing.connector_runner import REPO_ROOT
from tools.benchmark.reading import Read
from tools.emulator_process import EmulatorProcess

# The contact child streams that ride on the contacts pages, and the collection each reads on its own.
CONTACT_CHILDREN = {
    "contact_tags": "contactTags",
    "contact_lists": "contactLists",
    "custom_field_values": "fieldValues",
    "contact_automations": "contactAutomations",
    "account_contacts": "accountContacts",
}


class StreamPaths:
    """Request path -> the stream(s) that read it, from the manifest: a stream's `$parameters.path` or
    its requester's `path`, templated parts matching any segment. A path several streams share is
    named after the one of them that was read, or after all of them."""

    def __init__(self) -> None:
        manifest = yaml.safe_load((REPO_ROOT / "manifest.yaml").read_text())
        names: dict[str, list[str]] = {}
        for name, path in _named_paths(manifest):
            pattern = re.sub(r"\\\{\\\{.*?\\\}\\\}", "[^/]+", re.escape(path.strip("/")))
            if name not in names.setdefault(pattern, []):
                names[pattern].append(name)
        self._patterns = [(re.compile(f"/api/3/{p}"), n) for p, n in names.items()]

    def __call__(self, path: str, read: Sequence[str] | None = None) -> str:
        names = next((n for pattern, n in self._patterns if pattern.fullmatch(path)), [path])
        chosen = [n for n in names if read is None or n in read]
        return chosen[0] if len(chosen) == 1 else "+".join(names)


def _named_paths(manifest: Any) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            params = node.get("$parameters")
            requester = (
                (node.get("retriever") or {}).get("requester") if isinstance(node.get("retriever"), dict) else None
            )
            path = (requester or {}).get("path") if isinstance(requester, dict) else None
            if isinstance(params, dict) and isinstance(params.get("name"), str):
                path = path if isinstance(path, str) and "parameters" not in path else params.get("path")
                if isinstance(path, str):
                    out.append((params["name"], path))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(manifest)
    return out


def requests_by_stream(result: Read, read: Sequence[str]) -> Counter[str]:
    paths = StreamPaths()
    requests: Counter[str] = Counter()
    for path, count in result.requests_by_path().items():
        requests[paths(path, read)] += count
    return requests


def per_stream(result: Read, read: Sequence[str]) -> list[str]:
    """Records and requests of each stream, one line each."""
    requests = requests_by_stream(result, read)
    names = sorted(set(result.records) | set(requests))
    width = max([len(n) for n in names] + [6])
    lines = [f"{'stream':<{width}} {'records':>9} {'requests':>9}"]
    lines += [f"{n:<{width}} {result.records.get(n, 0):>9,} {requests.get(n, 0):>9,}" for n in names]
    return lines


def child_requests(result: Read) -> int:
    """Requests made for the contact child streams: their collections, a contact's own lists, and
    contacts pages asked with one of their includes."""
    kinds = set(CONTACT_CHILDREN.values())
    count = 0
    for entry in result.log:
        path = entry["path"].removeprefix("/api/3/")
        included = {kind for value in (entry.get("query") or {}).get("include", []) for kind in value.split(",")}
        if path in kinds or (path.startswith("contacts/") and path.rsplit("/", 1)[-1] in kinds) or included & kinds:
            count += 1
    return count


def collection_total(emu: EmulatorProcess, resource: str) -> int:
    """How many rows the emulator holds in a collection, asked of its admin endpoint: outside the API's
    rate limit, which the read just measured may have used to the last call of its last second, and
    without the rows themselves (this process's peak RSS is carried into the connector processes it
    starts later)."""
    return int(emu.admin(f"count/{resource}")["count"])


def rows_exact(emu: EmulatorProcess, result: Read, streams: Sequence[str]) -> str:
    """Records per stream against the emulator's own rows."""
    differ = []
    for stream in streams:
        rows = collection_total(emu, CONTACT_CHILDREN.get(stream, stream))
        if result.records.get(stream, 0) != rows:
            differ.append(f"{stream} {result.records.get(stream, 0):,} of {rows:,}")
    return "every row exact" if not differ else "rows differ: " + ", ".join(differ)


def _record_fingerprints(path: Path, emulator_url: str) -> dict[str, tuple[int, int, int]]:
    """Per stream of a file of RECORD lines: records, distinct ids, and an order-free hash of the
    records' data (``emitted_at`` left out, the emulator's URL in ``links`` made one), so that two
    reads compare without holding either."""
    counts: Counter[str] = Counter()
    ids: dict[str, set[Any]] = defaultdict(set)
    digests: Counter[str] = Counter()
    with path.open("rb") as lines:
        for line in lines:
            record = json.loads(line.replace(emulator_url.encode(), b"{EMULATOR_URL}"))["record"]
            stream, data = record["stream"], record["data"]
            counts[stream] += 1
            ids[stream].add(data.get("id"))
            digest = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).digest()
            digests[stream] = (digests[stream] + int.from_bytes(digest[:16], "big")) % (1 << 128)
    return {stream: (counts[stream], len(ids[stream]), digests[stream]) for stream in counts}


def same_records(first: tuple[Path, str], second: tuple[Path, str], first_name: str) -> str:
    """Whether the second read (its records' file, its emulator's URL) emitted the very records of
    the first, each once."""
    before, after = _record_fingerprints(*first), _record_fingerprints(*second)
    differ = [stream for stream in sorted(set(before) | set(after)) if before.get(stream) != after.get(stream)]
    repeated = [stream for stream, (count, distinct, _) in after.items() if count != distinct]
    if differ or repeated:
        return (
            f"records differ from {first_name}'s: {', '.join(differ) or 'none'}; "
            f"repeated ids: {', '.join(repeated) or 'none'}"
        )
    return (
        f"the records of {first_name}, each once "
        f"({sum(count for count, _, _ in after.values()):,} in {len(after)} streams)"
    )
