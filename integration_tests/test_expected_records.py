"""A full refresh of every stream against the seeded emulator reads exactly the expected records."""

from activecampaign_emulator import Emulator
from testing.expected_records import SEED, SEEDED_CONTACTS, load_expected_records, read_every_stream


def test_full_refresh_of_every_stream_reads_exactly_the_expected_records() -> None:
    with Emulator(contacts=SEEDED_CONTACTS, seed=SEED) as emulator:
        records = read_every_stream(emulator)

    expected = load_expected_records()
    assert {line["stream"] for line in records} == {line["stream"] for line in expected}
    for stream in sorted({line["stream"] for line in expected}):
        assert [line for line in records if line["stream"] == stream] == [
            line for line in expected if line["stream"] == stream
        ], stream
