"""A sync's deletion checks: what each stream's check concludes, and the messages the sync emits."""

import datetime
from typing import Any

import pytest
from airbyte_cdk.models import (
    AirbyteMessage,
    AirbyteRecordMessage,
    AirbyteStateBlob,
    AirbyteStateMessage,
    AirbyteStateType,
    AirbyteStreamState,
    AirbyteStreamStatus,
    AirbyteStreamStatusTraceMessage,
    AirbyteTraceMessage,
    StreamDescriptor,
    TraceType,
    Type,
)

from source_activecampaign.deletions.checks import DeletionChecks, StreamCheck, deletion_checks, is_deletion
from source_activecampaign.deletions.id_set import IdSet
from source_activecampaign.deletions.plan import EMITTED_IDS, LAST_CHECK, DeletionPlan, StreamDeletions

NOW = datetime.datetime(2024, 3, 1, 12, 0, tzinfo=datetime.timezone.utc)
CHECKED_AT = "2024-03-01T12:00:00+00:00"
LAST_WEEK = datetime.datetime(2024, 2, 23, 12, 0, tzinfo=datetime.timezone.utc)


def _stream(emitted: list[Any] | None = (1, 2, 3, 4), due: bool = True, first_read: bool = False) -> StreamDeletions:
    return StreamDeletions(
        name="tags",
        primary_key="id",
        text_ids=False,
        first_read=first_read,
        emitted=None if emitted is None else IdSet.of(emitted),
        last_check=None if first_read or emitted is None else LAST_WEEK,
        due=due,
    )


class FakeLookup:
    """Answers lookups from a table of statuses (200 alive, 404 gone, anything else unknown)."""

    def __init__(self, statuses: dict[Any, int | None]) -> None:
        self.statuses = statuses
        self.asked: list[Any] = []

    def confirm(self, stream: str, vanished: IdSet, seen: IdSet) -> tuple[IdSet, IdSet, IdSet]:
        self.asked = vanished.ids()
        by = {"gone": [], "alive": [], "unknown": []}
        for identifier in vanished.ids():
            status = self.statuses.get(identifier)
            by["gone" if status == 404 else "alive" if status == 200 else "unknown"].append(identifier)
        return IdSet.of(by["gone"]), IdSet.of(by["alive"]), IdSet.of(by["unknown"])


def _check(plan: StreamDeletions, emitted: list[Any], pages: list[tuple[list[Any], bool]], **flags: Any) -> StreamCheck:
    check = StreamCheck(plan, CHECKED_AT)
    for identifier in emitted:
        check.note_emitted({"id": identifier})
    for ids, whole in pages:
        check.note_page(ids, whole, flags.get("lookup"))
    if flags.get("skipped"):
        check.note_skipped()
    return check


def _decoded(keys: dict[str, str]) -> dict[str, Any]:
    return {**keys, EMITTED_IDS: IdSet.decode(keys[EMITTED_IDS]).ids()} if EMITTED_IDS in keys else keys


@pytest.mark.parametrize(
    "plan, emitted, pages, finished, flags, expected",
    [
        pytest.param(
            _stream(),
            [3],
            [([1, 3], True)],
            True,
            {},
            ([2, 4], {EMITTED_IDS: [1, 3], LAST_CHECK: CHECKED_AT}),
            id="ids 2 and 4 gone from a whole read paged by id: deletions",
        ),
        pytest.param(
            _stream(),
            [5],
            [(["1", "2"], True), (["3", "4", "5"], True)],
            True,
            {},
            ([], {EMITTED_IDS: [1, 2, 3, 4, 5], LAST_CHECK: CHECKED_AT}),
            id="nothing gone, a new id emitted: no deletion, the new id kept",
        ),
        pytest.param(_stream(due=False), [5], [], True, {}, None, id="not due: no conclusion"),
        pytest.param(_stream(), [], [([1], True)], False, {}, None, id="the stream did not finish: none"),
        pytest.param(_stream(), [], [([1], True)], True, {"skipped": True}, None, id="a page skipped (403/404): none"),
        pytest.param(
            _stream(), [], [([1], True), ([2], False)], True, {}, None, id="a page not of the whole collection: none"
        ),
        pytest.param(_stream(), [], [], True, {}, None, id="no page read: none"),
        pytest.param(
            _stream(emitted=None),
            [],
            [([1, 2, 7], True)],
            True,
            {},
            ([], {EMITTED_IDS: [1, 2, 7], LAST_CHECK: CHECKED_AT}),
            id="due without ids written down: they are, and nothing is deleted",
        ),
        pytest.param(
            _stream(emitted=None, due=False),
            [7],
            [([1, 2], True)],
            True,
            {},
            ([], {EMITTED_IDS: [1, 2, 7], LAST_CHECK: CHECKED_AT}),
            id="not due, no ids yet, a whole read: it writes them down",
        ),
        pytest.param(
            _stream(emitted=None, due=False),
            [7],
            [([7], False)],
            True,
            {},
            None,
            id="not due, no ids yet, a read of changes only: nothing concluded",
        ),
        pytest.param(
            _stream(),
            [],
            [([1], True)],
            True,
            {"lookup": FakeLookup({2: 404, 3: 200, 4: 500})},
            ([2], {EMITTED_IDS: [1, 3, 4], LAST_CHECK: "2024-02-23T12:00:00+00:00"}),
            id="paged by offset: 404 deleted, 200 kept, an unknown answer kept and the check stays due",
        ),
        pytest.param(
            _stream(),
            [],
            [([1, 3], True)],
            True,
            {"lookup": FakeLookup({2: 404, 4: 404})},
            ([2, 4], {EMITTED_IDS: [1, 3], LAST_CHECK: CHECKED_AT}),
            id="paged by offset, every missing id answers 404: all deleted",
        ),
    ],
)
def test_given_a_stream_check_when_it_finishes_then_it_concludes_as_expected(
    plan: StreamDeletions,
    emitted: list[Any],
    pages: list[tuple[list[Any], bool]],
    finished: bool,
    flags: dict[str, Any],
    expected: tuple[list[Any], dict[str, Any]] | None,
) -> None:
    outcome = _check(plan, emitted, pages, **flags).finish(finished)

    assert (outcome and (outcome[0], _decoded(outcome[1]))) == expected


def test_given_a_check_with_nothing_vanished_then_no_lookup_is_made() -> None:
    lookup = FakeLookup({})
    _check(_stream(), [], [([1, 2, 3, 4], True)], lookup=lookup).finish(True)
    assert lookup.asked == []


@pytest.mark.parametrize(
    "plan, expected",
    [
        pytest.param(
            _stream(),
            {EMITTED_IDS: [1, 2, 3, 4, 9], LAST_CHECK: "2024-02-23T12:00:00+00:00"},
            id="the saved ids and more",
        ),
        pytest.param(
            _stream(emitted=None, due=False, first_read=True),
            {EMITTED_IDS: [9], LAST_CHECK: CHECKED_AT},
            id="a first read: where the record of ids begins",
        ),
        pytest.param(
            _stream(emitted=None, due=False),
            {LAST_CHECK: CHECKED_AT},
            id="a state from before the feature: no ids until a whole read, the clock starts",
        ),
    ],
)
def test_given_ids_emitted_when_a_state_goes_out_before_the_end_then_it_carries_them(
    plan: StreamDeletions, expected: dict[str, Any]
) -> None:
    check = _check(plan, [9], [([1], True)])
    assert _decoded(check.state_keys()) == expected


# --- the sync's messages -----------------------------------------------------------------------


def _record(stream: str, data: dict[str, Any]) -> AirbyteMessage:
    return AirbyteMessage(type=Type.RECORD, record=AirbyteRecordMessage(stream=stream, data=data, emitted_at=1))


def _state(stream: str, **values: Any) -> AirbyteMessage:
    blob = AirbyteStreamState(stream_descriptor=StreamDescriptor(name=stream), stream_state=AirbyteStateBlob(**values))
    return AirbyteMessage(type=Type.STATE, state=AirbyteStateMessage(type=AirbyteStateType.STREAM, stream=blob))


def _status(stream: str, status: AirbyteStreamStatus) -> AirbyteMessage:
    trace = AirbyteTraceMessage(
        type=TraceType.STREAM_STATUS,
        emitted_at=1,
        stream_status=AirbyteStreamStatusTraceMessage(stream_descriptor=StreamDescriptor(name=stream), status=status),
    )
    return AirbyteMessage(type=Type.TRACE, trace=trace)


def _shown(message: AirbyteMessage) -> tuple[Any, ...]:
    if message.type == Type.RECORD:
        return ("record", message.record.stream, message.record.data)
    if message.type == Type.STATE:
        values = dict(message.state.stream.stream_state.__dict__)
        if EMITTED_IDS in values:
            values[EMITTED_IDS] = IdSet.decode(values[EMITTED_IDS]).ids()
        return ("state", message.state.stream.stream_descriptor.name, values)
    return ("status", message.trace.stream_status.stream_descriptor.name, message.trace.stream_status.status.name)


def _sync(status: AirbyteStreamStatus) -> list[AirbyteMessage]:
    """What the CDK emits for tags (due, ids 1-4 emitted before) and lists (not tracked)."""
    return [
        _record("tags", {"id": 1, "tag": "a"}),
        _record("lists", {"id": 8}),
        _state("tags", updated_timestamp="2024-02-29T00:00:00+0000"),
        _status("tags", status),
        _state("tags", updated_timestamp="2024-02-29T00:00:00+0000"),
    ]


def test_given_a_due_stream_that_completes_then_its_deletions_and_state_come_before_its_end() -> None:
    checks = DeletionChecks(DeletionPlan("sync-1", NOW, {"tags": _stream()}))
    checks.checking("tags").note_page([1, 3], True, None)

    shown = [_shown(message) for message in checks.watch(_sync(AirbyteStreamStatus.COMPLETE))]

    before = {EMITTED_IDS: [1, 2, 3, 4], LAST_CHECK: "2024-02-23T12:00:00+00:00"}
    after = {EMITTED_IDS: [1, 3], LAST_CHECK: CHECKED_AT}
    cursor = {"updated_timestamp": "2024-02-29T00:00:00+0000"}
    assert shown == [
        ("record", "tags", {"id": 1, "tag": "a"}),
        ("record", "lists", {"id": 8}),
        ("state", "tags", {**cursor, **before}),
        ("record", "tags", {"id": 2, "_ab_cdc_deleted_at": CHECKED_AT}),
        ("record", "tags", {"id": 4, "_ab_cdc_deleted_at": CHECKED_AT}),
        ("state", "tags", {**cursor, **after}),
        ("status", "tags", "COMPLETE"),
        ("state", "tags", {**cursor, **after}),
    ]


def test_given_a_due_stream_that_does_not_complete_then_no_deletion_and_its_states_keep_the_saved_ids() -> None:
    checks = DeletionChecks(DeletionPlan("sync-2", NOW, {"tags": _stream()}))
    checks.checking("tags").note_page([1, 3], True, None)

    shown = [_shown(message) for message in checks.watch(_sync(AirbyteStreamStatus.INCOMPLETE))]

    assert [message for message in shown if message[0] == "record" and message[1] == "tags"] == [
        ("record", "tags", {"id": 1, "tag": "a"})
    ]
    assert [message[2][EMITTED_IDS] for message in shown if message[0] == "state"] == [[1, 2, 3, 4], [1, 2, 3, 4]]


def test_given_text_ids_then_deletion_records_carry_them_as_text() -> None:
    stream = StreamDeletions("custom_object_orders", "id", True, False, IdSet.of(["a-1", "b-2"]), LAST_WEEK, True)
    checks = DeletionChecks(DeletionPlan("sync-3", NOW, {stream.name: stream}))
    checks.checking(stream.name).note_page(["a-1"], True, None)
    messages = [_state(stream.name, updatedTimestamp="x"), _status(stream.name, AirbyteStreamStatus.COMPLETE)]

    records = [message.record.data for message in checks.watch(messages) if message.type == Type.RECORD]

    assert records == [{"id": "b-2", "_ab_cdc_deleted_at": CHECKED_AT}] and all(map(is_deletion, records))


def test_given_a_plan_then_components_find_its_checks_through_the_config() -> None:
    checks = DeletionChecks(DeletionPlan("sync-4", NOW, {"tags": _stream(), "lists": _stream(due=False)}))
    config = {"deletions": {"sync": "sync-4"}}

    assert deletion_checks(config) is checks
    assert checks.checking("tags") is not None and checks.checking("lists") is None
    assert deletion_checks({"deletions": {"sync": "another"}}) is None and deletion_checks({}) is None


def test_given_nothing_tracked_then_the_messages_pass_untouched() -> None:
    checks = DeletionChecks(DeletionPlan("sync-5", NOW))
    messages = _sync(AirbyteStreamStatus.COMPLETE)
    assert list(checks.watch(messages)) == messages


def test_given_states_in_quick_succession_then_their_ids_lag_at_most_until_the_streams_end(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = iter([100.0, 101.0, 102.0, 103.0])
    monkeypatch.setattr("source_activecampaign.deletions.checks.time.monotonic", lambda: next(clock))
    checks = DeletionChecks(DeletionPlan("sync-6", NOW, {"tags": _stream(emitted=[1], due=False)}))
    messages = [
        _record("tags", {"id": 5}),
        _state("tags", updated_timestamp="a"),
        _record("tags", {"id": 6}),
        _state("tags", updated_timestamp="b"),
        _status("tags", AirbyteStreamStatus.COMPLETE),
    ]

    shown = [_shown(message) for message in checks.watch(messages) if message.type == Type.STATE]

    last_check = {LAST_CHECK: "2024-02-23T12:00:00+00:00"}
    assert shown == [
        ("state", "tags", {"updated_timestamp": "a", EMITTED_IDS: [1, 5], **last_check}),
        ("state", "tags", {"updated_timestamp": "b", EMITTED_IDS: [1, 5], **last_check}),
        ("state", "tags", {"updated_timestamp": "b", EMITTED_IDS: [1, 5, 6], **last_check}),
    ]
