"""Every record and the final state of a whole-account read of the emulator, written down and compared.

A change to the record path (extraction, transformations, normalisation, cursors, output) must leave
what the connector emits as it was. This reads the whole emulator account twice through ``main.py``:

- ``full_refresh``: every stream, full refresh, options off;
- ``first_incremental``: every stream incremental where it can be, no state, both custom-field
  options on (contacts and deals carry their custom fields as columns);

and keeps, per read, each stream's records (canonical JSON, sorted: compared as parsed JSON, order
aside) and the final state of each stream.

    python -m tools.record_snapshot write out/snapshot-before        # before a change
    python -m tools.record_snapshot compare out/snapshot-before      # after it: exit 1 on any difference

A digest of a snapshot (per read and stream: how many records and one hash of them all; the final
states in full) is small enough to keep in the repository: ``integration_tests/test_record_snapshot.py``
holds every change to the digest of a 500-contact account, ``write-digest`` writes it anew after a
deliberate change of what is emitted.

    python -m tools.record_snapshot write-digest integration_tests/record_snapshot_digest.json --contacts 500

``--repo DIR`` reads with the connector of another checkout (say, a worktree at an older commit),
with the emulator of this one; ``--contacts N`` sets the account's size (default 2,000, the demo's).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from activecampaign_emulator import Emulator
from testing.connector_runner import REPO_ROOT
from testing.record_snapshot import SEED, differences, digest, take


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=["write", "compare", "write-digest"])
    parser.add_argument("folder", type=Path, help="the snapshot's folder (write-digest: the digest file)")
    parser.add_argument("--contacts", type=int, default=2_000)
    parser.add_argument("--repo", type=Path, default=REPO_ROOT, help="the checkout whose connector reads")
    args = parser.parse_args(argv)
    path = args.folder / "snapshot.json"
    with Emulator(contacts=args.contacts, seed=SEED) as emulator:
        snapshot = take(emulator, args.repo.resolve())
    counts = {label: sum(len(rows) for rows in read["records"].values()) for label, read in snapshot.items()}
    if args.action == "write-digest":
        args.folder.write_text(json.dumps({"contacts": args.contacts, **digest(snapshot)}, indent=1) + "\n")
        print(f"wrote the digest of {counts} records and the final states to {args.folder}")
        return 0
    if args.action == "write":
        args.folder.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"contacts": args.contacts, **snapshot}))
        print(f"wrote {counts} records and the final states to {path}")
        return 0
    before = json.loads(path.read_text())
    if before.get("contacts") != args.contacts:
        print(f"{path} was taken at {before.get('contacts')} contacts, not {args.contacts}")
        return 2
    found = differences(before, snapshot)
    print(f"read {counts} records; {'the same records and final states' if not found else 'DIFFERENT:'}")
    for line in found:
        print(f"  {line}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
