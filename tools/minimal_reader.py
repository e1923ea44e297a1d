"""The floor of CPU per record: the contacts pages read with nothing but ``orjson`` (benchmark only).

Reads the very pages the connector reads for contacts and its five child streams on a first sync
(`GET /contacts?orders[id]=ASC&id_greater=N&limit=100&include=...`, keyset paged to the end), and
for each page does one ``orjson.loads`` and, for each row of ``contacts`` and of each included
array, one ``orjson.dumps`` as an Airbyte RECORD line on stdout. No schema, no cursor, no state, no
check of the sideloads: what any reader of these pages must spend at least. The benchmark runs it
beside the connector against the same emulator and prints both CPU figures per record and their
ratio (``tools/wire_speed.py``).

    python -m tools.minimal_reader --api-url URL --api-key KEY [--include contactTags,...]
"""

from __future__ import annotations

import argparse
import sys
import time

import orjson
import requests

# The include kind of each child stream that rides on the contacts pages, by stream name.
CHILD_KINDS = {
    "contact_tags": "contactTags",
    "contact_lists": "contactLists",
    "custom_field_values": "fieldValues",
    "contact_automations": "contactAutomations",
    "account_contacts": "accountContacts",
}
PAGE_SIZE = 100


def read(api_url: str, api_key: str, kinds: dict[str, str], out: object) -> int:
    """Writes every RECORD line to ``out`` (a binary file); returns the number of records."""
    write = out.write  # type: ignore[attr-defined]
    session = requests.Session()
    session.headers.update({"Api-Token": api_key, "Accept": "application/json"})
    include = ",".join(sorted(kinds.values()))
    prefixes = {
        stream: b'{"type":"RECORD","record":{"stream":"' + stream.encode() + b'","data":'
        for stream in ["contacts", *kinds]
    }
    last_id = "0"
    records = 0
    while True:
        params = {"orders[id]": "ASC", "id_greater": last_id, "limit": str(PAGE_SIZE), "include": include}
        response = session.get(f"{api_url}/api/3/contacts", params=params, timeout=60)
        response.raise_for_status()
        body = orjson.loads(response.content)
        emitted_at = b',"emitted_at":' + str(int(time.time() * 1000)).encode() + b"}}\n"
        contacts = body.get("contacts") or []
        for stream, prefix in prefixes.items():
            for row in body.get(CHILD_KINDS.get(stream, stream)) or []:
                write(prefix + orjson.dumps(row) + emitted_at)
                records += 1
        if len(contacts) < PAGE_SIZE:
            return records
        last_id = str(contacts[-1]["id"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--api-url", required=True)
    parser.add_argument("--api-key", required=True)
    parser.add_argument(
        "--streams", default=",".join(CHILD_KINDS), help="child streams whose rows the pages include (comma-separated)"
    )
    options = parser.parse_args(argv)
    kinds = {stream: CHILD_KINDS[stream] for stream in options.streams.split(",") if stream}
    read(options.api_url.rstrip("/"), options.api_key, kinds, sys.stdout.buffer)
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
