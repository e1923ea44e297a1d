"""Nothing the connector emits changes unnoticed: both whole-account reads of 500 contacts against their digest.

The record snapshot (``testing/record_snapshot.py``) reads every stream of the seeded emulator twice,
a full refresh with the options off and a first incremental read with the custom-field columns on,
and keeps each stream's records (compared as parsed JSON, order aside) and final state. The digest
of that snapshot is kept beside this test; a change to the record path (extraction, normalisation,
cursors, output) that changes a record or a final state fails here, naming the read and the stream.
After a deliberate change of what is emitted, write the digest anew:

    python -m tools.record_snapshot write-digest integration_tests/record_snapshot_digest.json --contacts 500

and to see what changed, ``write`` a full snapshot at the commit before and ``compare`` with it.
"""

import json
from pathlib import Path

from activecampaign_emulator import Emulator
from testing.connector_runner import REPO_ROOT
from testing.record_snapshot import SEED, digest, digest_differences, take

DIGEST_PATH = Path(__file__).resolve().parent / "record_snapshot_digest.json"


def test_both_whole_account_reads_emit_the_records_and_final_states_of_the_digest() -> None:
    expected = json.loads(DIGEST_PATH.read_text())
    with Emulator(contacts=expected["contacts"], seed=SEED) as emulator:
        found = digest(take(emulator, REPO_ROOT))

    assert not digest_differences(expected, found), "\n".join(digest_differences(expected, found))
    assert sum(count for count, _ in found["full_refresh"]["records"].values()) > 5_000
