"""The whole catalog's state at a million contacts, midway through its first sync, stays small: the
platform holds every state message until the destination commits it."""

import json
from typing import Any

from source_activecampaign.checkpoints.read_so_far import IdRangeProgress, PartitionOffsetProgress, UnreadPartition
from source_activecampaign.contacts.id_ranges import id_ranges
from source_activecampaign.deals.creation_windows import window_count

CONTACTS = 1_000_000
DEALS = 250_000  # a deal for every four contacts, as in the emulator's accounts
STREAMS_WITH_A_CURSOR = 60  # every other incremental stream of the catalog, its final state written
CONTACT_STREAMS = [
    "contacts",
    "contact_tags",
    "contact_lists",
    "custom_field_values",
    "contact_automations",
    "account_contacts",
]


def _state(stream: str, stream_state: dict[str, Any]) -> dict[str, Any]:
    return {"type": "STREAM", "stream": {"stream_descriptor": {"name": stream}, "stream_state": stream_state}}


def _checkpoint(fields: dict[str, Any] | None) -> dict[str, Any]:
    assert fields is not None
    envelope = {"started_at": "2025-07-01T10:00:00+0000", "newest_cursor_value": "2025-06-30T23:59:59-0500"}
    return {"first_read": {**envelope, **fields}}


def _contacts_midway() -> dict[str, Any]:
    """Half the ranges read, the next eight (two in flight for each of four sequences) partly, and
    every fourth of the following ones done out of order: more gaps than a read in turns leaves."""
    ranges = id_ranges(CONTACTS, 2_500, 4, 100)
    progress = IdRangeProgress(newest_id=CONTACTS)
    partitions = [handle for _, handle in progress.partitions(ranges)]
    for handle in partitions[:200]:
        handle.done()
    for index, handle in enumerate(partitions[200:208]):
        handle.page_read(str(500_000 + index * 2_500 + 1_234), None)
    for handle in partitions[208:240:4]:
        handle.done()
    return _checkpoint(progress.checkpoint())


def _deals_at_the_start() -> dict[str, Any]:
    """Every window unread, each with an offset: the largest a deals checkpoint gets."""
    windows = window_count(DEALS, 2_500, 10_000, 4)
    unread = [
        UnreadPartition(
            {
                "created_after": f"2023-01-{day:02}T08:00:00-06:00",
                "created_before": f"2023-01-{day + 1:02}T16:30:00-05:00",
            },
            9_900,
            str(249_000 + day),
        )
        for day in range(1, windows + 1)
    ]
    progress = PartitionOffsetProgress(unread, overlap=50)
    list(progress.partitions([]))
    return _checkpoint(progress.checkpoint())


def test_the_whole_catalogs_state_midway_through_the_first_sync_at_a_million_contacts_is_under_20_kb() -> None:
    custom_object = _checkpoint(
        {"unread": [{"partition": {}, "offset": 123_400, "after_id": "9ea7d45d-eb4b-4e80-8cf8-b092be59c398"}]}
    )
    states = [
        *(_state(stream, _contacts_midway()) for stream in CONTACT_STREAMS),
        _state("deals", _deals_at_the_start()),
        *(_state(f"custom_object_{slug}", custom_object) for slug in ("shop_order", "appointment", "support_ticket")),
        *(
            _state(f"stream_{index}", {"updated_timestamp": "2025-06-30T23:59:59+0000"})
            for index in range(STREAMS_WITH_A_CURSOR)
        ),
    ]

    size = len(json.dumps(states))

    assert size < 20_000, size
    assert len(json.dumps(states[0])) < 700, states[0]
    assert len(json.dumps(states[len(CONTACT_STREAMS)])) < 5_000, "deals"
