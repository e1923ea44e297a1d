"""A first sync killed with SIGKILL at several points and resumed from the last states it emitted, as a
platform does after a worker restart: through main.py against the emulator, with the requests of the
resumed sync counted from the emulator's log.

Each first read checkpoints what it has read as its pages are read. The resumed sync reads only what
its checkpoints say is left: contacts and the child streams on its pages the ids one of them had not
read (from where each range stopped, without asking for the newest contact again), deals the windows
of creation time not finished (each from the offset it had reached, half a page back), a custom
object's records from their offset. Nothing is lost: the killed and the resumed sync together hold
every record, and the incremental reads after them catch the records changed while the sync was down.
"""

from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

import pytest

from activecampaign_emulator import Emulator
from integration_tests.emulator_expectations import STREAM_COLLECTIONS
from source_activecampaign.checkpoints.read_so_far import IdIntervals, unread_ids
from source_activecampaign.contacts.id_ranges import ranges_left
from testing.connector_runner import (
    ConnectorInputs,
    ConnectorRun,
    KilledRun,
    configured_catalog,
    cursor_state,
    run_main,
    run_main_until_killed,
)

API_KEY = "ac-resume-test-key-4c1d9e2b7a56f083"
CHILDREN = ["contact_tags", "contact_lists", "custom_field_values", "contact_automations", "account_contacts"]
ON_THE_CONTACTS_PAGES = ["contacts", *CHILDREN]
PAGE = 100


def _running_emulator(contacts: int) -> Iterator[Emulator]:
    with Emulator(contacts=contacts, seed=11, api_key=API_KEY) as running:
        running.set_options(latency_ms=20)
        yield running


def _discovered_catalog(emulator: Emulator) -> dict[str, Any]:
    config = ConnectorInputs().write("config.json", {"api_url": emulator.url, "api_key": API_KEY})
    return run_main(["discover", "--config", str(config)]).of_type("CATALOG")[0]["catalog"]


def _read_args(
    inputs: ConnectorInputs, emulator: Emulator, catalog: dict[str, Any], streams: Sequence[str]
) -> list[str]:
    return inputs.args(
        "read",
        {"api_url": emulator.url, "api_key": API_KEY},
        configured_catalog({stream: "incremental" for stream in streams}, catalog),
    )


def _read(
    inputs: ConnectorInputs, emulator: Emulator, args: list[str], state: list[dict[str, Any]]
) -> tuple[ConnectorRun, list[Any]]:
    """A sync from ``state`` and the requests it made (not a request of the killed sync that the
    emulator answered after it was killed)."""
    emulator.reset_stats()
    started = emulator.clock()
    run = run_main([*args, "--state", str(inputs.write("state.json", state))])
    assert run.exit_code == 0, run.error_messages()
    return run, [entry for entry in emulator.stats.log if entry.started_at >= started]


def _killed(args: list[str], kill_when: Callable[[KilledRun], bool]) -> KilledRun:
    killed = run_main_until_killed(args, kill_when)
    for state in killed.last_states():
        assert "first_read" in state["stream"]["stream_state"], "a first read had finished before the kill"
    return killed


def _all_ids(emulator: Emulator, stream: str) -> set[Any]:
    return {_id(row["id"]) for row in emulator.dataset.rows(STREAM_COLLECTIONS[stream])}


def _id(value: Any) -> Any:
    return int(value) if str(value).isdigit() else value


def _emitted(killed: KilledRun, resumed: ConnectorRun, stream: str) -> set[Any]:
    return {_id(i) for i in killed.ids.get(stream, set())} | {_id(r["id"]) for r in resumed.records(stream)}


def _checkpoint(killed: KilledRun, stream: str) -> Mapping[str, Any]:
    state = killed.stream_state(stream)
    assert state is not None and "first_read" in state, f"{stream} had emitted no checkpoint"
    return state["first_read"]


def _has_checkpoints(streams: Sequence[str]) -> Callable[[KilledRun], bool]:
    return lambda run: all(run.stream_state(stream) is not None for stream in streams)


# --- contacts and the child streams on its pages ---------------------------------------------------


def _keyset_pages(contact_ids: Sequence[int], id_greater: int, id_less: int | None) -> int:
    """Requests of one id range paged by id: full pages, then a short one, unless the last full page
    ends on the range's last id (the pager stops there)."""
    ids = [i for i in contact_ids if i > id_greater and (id_less is None or i < id_less)]
    full, rest = divmod(len(ids), PAGE)
    if rest or not ids:
        return full + 1
    return full if id_less is not None and ids[-1] == id_less - 1 else full + 1


@pytest.fixture(scope="module")
def contacts_emulator() -> Iterator[Emulator]:
    # 5,000 contacts: four id ranges of 1,331, 53 pages read by six streams.
    yield from _running_emulator(5_000)


@pytest.fixture(scope="module")
def contacts_catalog(contacts_emulator: Emulator) -> dict[str, Any]:
    return _discovered_catalog(contacts_emulator)


def _group_records(emulator: Emulator) -> int:
    return sum(len(_all_ids(emulator, stream)) for stream in ON_THE_CONTACTS_PAGES)


@pytest.mark.parametrize(
    "share",
    [
        pytest.param(0.1, id="early"),
        pytest.param(0.5, id="midway"),
        pytest.param(0.85, id="late"),
    ],
)
def test_contacts_and_their_child_streams_killed_resume_together_from_what_they_had_read(
    contacts_emulator: Emulator, contacts_catalog: dict[str, Any], inputs: ConnectorInputs, share: float
) -> None:
    emulator = contacts_emulator
    args = _read_args(inputs, emulator, contacts_catalog, ON_THE_CONTACTS_PAGES)
    threshold = share * _group_records(emulator)
    killed = _killed(args, lambda run: _has_checkpoints(ON_THE_CONTACTS_PAGES)(run) and run.records >= threshold)

    resumed, log = _read(inputs, emulator, args, killed.last_states())

    for stream in ON_THE_CONTACTS_PAGES:
        assert _emitted(killed, resumed, stream) == _all_ids(emulator, stream), stream
        assert set(cursor_state(resumed.final_state(stream) or {})) == {_cursor_field(contacts_catalog, stream)}, stream
    # The ids one of the six had not read, split at the newest id the killed sync split them at; each
    # page read once for all six, and no request for the newest contact.
    checkpoints = [_checkpoint(killed, stream) for stream in ON_THE_CONTACTS_PAGES]
    left = unread_ids([IdIntervals.from_json(checkpoint["read_ids"]) for checkpoint in checkpoints])
    ranges = ranges_left(left, checkpoints[0]["newest_id"], 2_500, 4, PAGE)
    contact_ids = sorted(_all_ids(emulator, "contacts"))
    expected = sum(
        _keyset_pages(contact_ids, int(r["id_greater"]), int(r["id_less"]) if "id_less" in r else None) for r in ranges
    )
    assert {entry.path for entry in log} == {"/api/3/contacts"}
    assert all(entry.query.get("orders[id]") == ["ASC"] for entry in log)
    assert len(log) == expected
    if share >= 0.5:
        assert left.as_json() != [[0, None]], "the resumed sync read everything again"


def _cursor_field(catalog: dict[str, Any], stream: str) -> str:
    return next(s["default_cursor_field"][0] for s in catalog["streams"] if s["name"] == stream)


@pytest.fixture
def changing_emulator() -> Iterator[Emulator]:
    yield from _running_emulator(5_000)


def test_records_changed_while_the_sync_was_down_come_with_the_incremental_reads_after_it(
    changing_emulator: Emulator, inputs: ConnectorInputs
) -> None:
    emulator = changing_emulator
    catalog = _discovered_catalog(emulator)
    streams = ["contacts", "contact_tags"]
    args = _read_args(inputs, emulator, catalog, streams)
    half = 0.5 * sum(len(_all_ids(emulator, stream)) for stream in streams)
    killed = _killed(args, lambda run: _has_checkpoints(streams)(run) and run.records >= half)
    # While the sync is down: contacts already read change, a tag of a contact already read too, and a
    # contact and a tag are added.
    read = IdIntervals.from_json(_checkpoint(killed, "contacts")["read_ids"])
    assert read is not None
    read_contacts = [
        i for i in sorted(_all_ids(emulator, "contacts")) if any(lo < i <= (hi or i) for lo, hi in read.as_intervals())
    ]
    changed_contacts = {int(i) for i in emulator.dataset.touch("contacts", ids=read_contacts[:3])}
    tag_of_a_read_contact = next(
        row["id"] for row in emulator.dataset.rows("contactTags") if int(row["contact"]) in read_contacts[:50]
    )
    changed_tags = {int(i) for i in emulator.dataset.touch("contactTags", ids=[tag_of_a_read_contact])}
    new_contact = int(emulator.dataset.insert("contacts")[0])
    new_tag = int(emulator.dataset.insert("contactTags")[0])

    resumed, _ = _read(inputs, emulator, args, killed.last_states())
    incremental, _ = _read(inputs, emulator, args, resumed.final_states())

    for stream in streams:
        assert _emitted(killed, resumed, stream) | {_id(r["id"]) for r in incremental.records(stream)} == _all_ids(
            emulator, stream
        ), stream
    now_changed = {
        int(row["id"]): _instant(row["udate"])
        for row in emulator.dataset.rows("contacts")
        if int(row["id"]) in changed_contacts
    }
    assert {
        r["id"]: _instant(r["udate"]) for r in incremental.records("contacts") if r["id"] in changed_contacts
    } == now_changed
    assert new_contact in _emitted(killed, resumed, "contacts") | {r["id"] for r in incremental.records("contacts")}
    assert changed_tags | {new_tag} <= {r["id"] for r in incremental.records("contact_tags")}


def _instant(value: str) -> datetime:
    return datetime.fromisoformat(value)


# --- deals -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def deals_emulator() -> Iterator[Emulator]:
    # 20,000 contacts: 5,000 deals in two windows of creation time, 1,000 appointments (a custom object).
    yield from _running_emulator(20_000)


@pytest.fixture(scope="module")
def deals_catalog(deals_emulator: Emulator) -> dict[str, Any]:
    return _discovered_catalog(deals_emulator)


def _offset_pages(records: int, offset: int) -> int:
    """Requests of an offset sequence from ``offset``: full pages, then a short (maybe empty) one."""
    return (records - offset) // PAGE + 1


def _resumed_at(entry: Mapping[str, Any]) -> int:
    """Where an unfinished partition of a checkpoint is asked for again: half a page before its offset."""
    return max(0, int(entry.get("offset", 0)) - PAGE // 2) if "after_id" in entry else 0


def _in_window(cdate: str, partition: Mapping[str, str]) -> bool:
    created = datetime.fromisoformat(cdate)
    after, before = partition.get("created_after"), partition.get("created_before")
    return (after is None or created >= datetime.fromisoformat(after)) and (
        before is None or created < datetime.fromisoformat(before)
    )


@pytest.mark.parametrize("share", [pytest.param(0.3, id="early"), pytest.param(0.8, id="late")])
def test_deals_killed_resume_each_unfinished_window_at_its_offset(
    deals_emulator: Emulator, deals_catalog: dict[str, Any], inputs: ConnectorInputs, share: float
) -> None:
    emulator = deals_emulator
    args = _read_args(inputs, emulator, deals_catalog, ["deals"])
    deals = emulator.dataset.rows("deals")
    killed = _killed(args, lambda run: _has_checkpoints(["deals"])(run) and run.records >= share * len(deals))

    resumed, log = _read(inputs, emulator, args, killed.last_states())

    assert _emitted(killed, resumed, "deals") == _all_ids(emulator, "deals")
    unread = _checkpoint(killed, "deals")["unread"]
    assert unread, "every window was finished before the kill"
    expected = sum(
        _offset_pages(sum(1 for deal in deals if _in_window(deal["cdate"], entry["partition"])), _resumed_at(entry))
        for entry in unread
    )
    # No request to place the windows again (limit=1): only the pages left.
    assert all(entry.query["limit"] == ["100"] for entry in log)
    assert len(log) == expected
    assert cursor_state(resumed.final_state("deals") or {}) == {
        "mdate": max(datetime.fromisoformat(deal["mdate"]) for deal in deals).strftime("%Y-%m-%dT%H:%M:%S%z")
    }


# --- a custom object -------------------------------------------------------------------------------


def _appointments(emulator: Emulator) -> list[dict[str, Any]]:
    return [row for row in emulator.dataset.rows("customObjectRecords") if row["externalId"].startswith("appointment-")]


def test_a_custom_object_killed_twice_resumes_at_its_offset_each_time(
    deals_emulator: Emulator, deals_catalog: dict[str, Any], inputs: ConnectorInputs
) -> None:
    emulator = deals_emulator
    stream = "custom_object_appointment"
    args = _read_args(inputs, emulator, deals_catalog, [stream])
    records = len(_appointments(emulator))

    first = _killed(args, lambda run: _has_checkpoints([stream])(run) and run.records >= 0.3 * records)
    first_checkpoint = _checkpoint(first, stream)
    emulator.reset_stats()
    state_file = str(inputs.write("state.json", first.last_states()))
    second = run_main_until_killed(
        [*args, "--state", state_file],
        lambda run: (
            run.stream_state(stream) is not None and _checkpoint(run, stream) != first_checkpoint and run.records >= 100
        ),
    )
    second_checkpoint = _checkpoint(second, stream)
    resumed, log = _read(inputs, emulator, args, second.last_states())

    # The first attempt's start stays the start of the first read.
    assert second_checkpoint["started_at"] == first_checkpoint["started_at"]
    assert {_id(i) for run in (first, second) for i in run.ids.get(stream, set())} | {
        r["id"] for r in resumed.records(stream)
    } == {row["id"] for row in _appointments(emulator)}
    (entry,) = second_checkpoint["unread"]
    pages = [e for e in log if e.path.startswith("/api/3/customObjects/records/")]
    assert pages[0].query["offset"] == [str(_resumed_at(entry))]
    assert len(pages) == _offset_pages(records, _resumed_at(entry))
