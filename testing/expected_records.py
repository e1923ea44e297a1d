"""The expected-records file: every record a full refresh of every stream reads from the emulator
seeded with 20 contacts and seed 42, one JSON line per record, sorted by stream and id.

    python -m testing.expected_records          # compare a fresh read with the file
    python -m testing.expected_records --write  # rewrite the file after a deliberate change

The emulator's URL (its port changes every run) is written as {EMULATOR_URL} in `links`.
"""

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from activecampaign_emulator import Emulator
from testing.connector_runner import ConnectorInputs, configured_catalog, run_main, sync_modes

EXPECTED_RECORDS_PATH = Path(__file__).resolve().parents[1] / "integration_tests" / "expected_records.jsonl"
SEEDED_CONTACTS = 20
SEED = 42


def read_every_stream(emulator: Emulator) -> list[dict[str, Any]]:
    inputs = ConnectorInputs()
    config = {"api_url": emulator.url, "api_key": emulator.api_key}
    discovered = run_main(inputs.args("discover", config)).of_type("CATALOG")[0]["catalog"]
    run = run_main(
        inputs.args("read", config, configured_catalog(sync_modes(discovered, incremental=False), discovered))
    )
    if run.exit_code != 0:
        raise RuntimeError(f"read failed: {run.error_messages() or run.stderr[-2000:]}")
    lines = [
        {"stream": message["record"]["stream"], "data": message["record"]["data"]} for message in run.of_type("RECORD")
    ]
    # site_tracking_domains rows have no id: their key is the domain's name.
    lines.sort(key=lambda line: (line["stream"], line["data"].get("id", line["data"].get("name"))))
    return json.loads(json.dumps(lines).replace(emulator.url, "{EMULATOR_URL}"))


def load_expected_records() -> list[dict[str, Any]]:
    return [json.loads(line) for line in EXPECTED_RECORDS_PATH.read_text(encoding="utf-8").splitlines() if line]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true", help="rewrite the expected-records file")
    write = parser.parse_args().write
    with Emulator(contacts=SEEDED_CONTACTS, seed=SEED) as emulator:
        records = read_every_stream(emulator)
    if write:
        EXPECTED_RECORDS_PATH.write_text(
            "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in records), encoding="utf-8"
        )
        print(f"wrote {len(records)} records to {EXPECTED_RECORDS_PATH}")
        return 0
    expected = load_expected_records()
    print(
        f"read {len(records)} records; the file holds {len(expected)}; {'same' if records == expected else 'DIFFERENT'}"
    )
    return 0 if records == expected else 1


if __name__ == "__main__":
    sys.exit(main())
