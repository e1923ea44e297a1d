"""The state migrations, as tables of saved state in and state out."""

from typing import Any

import pytest
from airbyte_cdk.sources.declarative.parsers.model_to_component_factory import ModelToComponentFactory

from source_activecampaign.state.first_read_resume import RangeStateToCursorState
from source_activecampaign.state.unusable_state_reset import UnusableStateReset

# --- state migrations ------------------------------------------------------------------------------

UDATE = "2024-02-19T13:20:49+0000"
# The CDK's concurrent form, which it converts itself.
CONCURRENT_STATE = {
    "state_type": "date-range",
    "slices": [{"start": "2024-01-01T00:00:00+0000", "end": UDATE, "most_recent_cursor_value": UDATE}],
}
# What the first read of contacts leaves: one cursor per id range, and the newest over all of them.
RANGE_STATE = {
    "use_global_cursor": False,
    "states": [
        {"partition": {"id_greater": "0", "id_less": "5001"}, "cursor": {"udate": "2024-02-01T00:00:00+0000"}},
        {"partition": {"id_greater": "5000"}, "cursor": {"udate": UDATE}},
    ],
    "state": {"udate": UDATE},
    "lookback_window": 1,
}
# What deal stages, read per pipeline, leave.
PER_PIPELINE_STATE = {
    "use_global_cursor": False,
    "states": [
        {"partition": {"parent_slice": {}, "pipeline_id": 1}, "cursor": {"udate": "2000-01-01T00:00:00+0000"}},
        {"partition": {"parent_slice": {}, "pipeline_id": 2}, "cursor": {"udate": UDATE}},
    ],
    "state": {"udate": UDATE},
    "lookback_window": 1,
    "parent_state": {},
}
_CONTACTS = {"name": "contacts", "cursor_field": "udate"}


def _with(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {**base, **changes}


def _range_state_to_cursor_state() -> RangeStateToCursorState:
    return RangeStateToCursorState(cursor_field="{{ parameters['cursor_field'] }}", config={}, parameters=_CONTACTS)


def _unusable_state_reset() -> UnusableStateReset:
    return UnusableStateReset(cursor_field="{{ parameters['cursor_field'] }}", config={}, parameters=_CONTACTS)


@pytest.mark.parametrize(
    "state, migrated",
    [
        pytest.param(RANGE_STATE, {"udate": UDATE}, id="range state to its newest cursor"),
        pytest.param(_with(RANGE_STATE, states=[]), {"udate": UDATE}, id="no range has a cursor yet"),
        pytest.param({}, None, id="empty state"),
        pytest.param({"udate": UDATE}, None, id="already a cursor state"),
        pytest.param(_with(RANGE_STATE, udate=UDATE), None, id="cursor at the top beside ranges"),
        # A first read killed before every range was done: no overall cursor, so it starts over.
        pytest.param({"states": RANGE_STATE["states"]}, {}, id="ranges without an overall cursor"),
        pytest.param(_with(RANGE_STATE, state={}), {}, id="overall state without the cursor field"),
        pytest.param(_with(RANGE_STATE, state="garbage"), {}, id="overall state not an object"),
        pytest.param(CONCURRENT_STATE, None, id="concurrent form"),
    ],
)
def test_range_state_to_cursor_state(
    state: dict[str, Any], migrated: dict[str, Any] | None, caplog: pytest.LogCaptureFixture
) -> None:
    migration = _range_state_to_cursor_state()

    assert migration.should_migrate(state) is (migrated is not None)
    if migrated is not None:
        assert migration.migrate(state) == migrated
    interrupted = any("The first sync of stream 'contacts' was interrupted" in r.message for r in caplog.records)
    assert interrupted is (migrated == {})


# What a first read of deals in windows of creation time leaves when it is killed: the windows the CDK
# has closed carry their newest mdate, the others the first read's start.
START = "2000-01-01T00:00:00+0000"
A, B, C = "2023-01-02T08:00:00-06:00", "2023-07-14T16:30:00-05:00", "2024-01-05T09:00:00-06:00"
_DEALS = {"name": "deals", "cursor_field": "mdate"}


def _window(lower: str, upper: str | None, mdate: str) -> dict[str, Any]:
    partition = {"created_after": lower, **({"created_before": upper} if upper else {})}
    return {"partition": partition, "cursor": {"mdate": mdate}}


def _windows_migration(first_read_start: str = START) -> RangeStateToCursorState:
    return RangeStateToCursorState(
        cursor_field="{{ parameters['cursor_field'] }}",
        config={},
        parameters=_DEALS,
        lower_bound_key="created_after",
        upper_bound_key="created_before",
        first_read_start=first_read_start,
    )


@pytest.mark.parametrize(
    "windows, first_read_start, migrated",
    [
        pytest.param(
            [_window(A, B, "2024-02-01T10:00:00-0600"), _window(B, C, START), _window(C, None, START)],
            START,
            {"mdate": B},
            id="first window closed: from the second's lower bound",
        ),
        pytest.param(
            [_window(B, C, "2024-02-01T10:00:00-0600"), _window(A, B, START)],
            START,
            {"mdate": A},
            id="a later window closed first: from the lowest unfinished one, whatever the order",
        ),
        pytest.param(
            [_window(A, B, "2024-02-01T10:00:00-0600"), _window(B, C, "2024-02-02T10:00:00-0600")],
            START,
            {"mdate": C},
            id="every window begun is closed: from the upper bound of the last (the next was not begun)",
        ),
        pytest.param(
            [_window(A, B, "2024-02-01T10:00:00-0600"), _window(B, None, "2024-02-02T10:00:00-0600")],
            START,
            {"mdate": B},
            id="the open-ended last window closed too: from its lower bound",
        ),
        pytest.param(
            [_window(A, B, "2024-01-01T00:00:00+0000"), _window(B, None, "2024-02-02T10:00:00-0600")],
            "2024-01-01T00:00:00+0000",
            {"mdate": A},
            id="a window still at the start date is not finished",
        ),
        pytest.param(
            [_window(A, B, "2024-02-01T10:00:00-0600"), {"partition": {}, "cursor": {"mdate": START}}],
            START,
            {},
            id="a partition without a lower bound: start over",
        ),
        pytest.param(
            [_window(A, B, "2024-02-01T10:00:00-0600"), _window("garbage", None, START)],
            START,
            {},
            id="a lower bound that is not a date-time: start over",
        ),
    ],
)
def test_interrupted_first_read_in_creation_windows_resumes_from_the_first_unfinished_window(
    windows: list[dict[str, Any]], first_read_start: str, migrated: dict[str, Any]
) -> None:
    state = {"use_global_cursor": False, "states": windows, "lookback_window": 0}
    migration = _windows_migration(first_read_start)

    assert migration.should_migrate(state) is True
    assert migration.migrate(state) == migrated


def test_finished_first_read_in_creation_windows_continues_from_its_newest_cursor() -> None:
    state = {
        "use_global_cursor": False,
        "states": [_window(A, B, "2024-02-01T10:00:00-0600"), _window(B, None, "2024-02-05T10:00:00-0600")],
        "state": {"mdate": "2024-02-05T10:00:00-0600"},
        "lookback_window": 12,
    }

    assert _windows_migration().migrate(state) == {"mdate": "2024-02-05T10:00:00-0600"}


@pytest.mark.parametrize(
    "state",
    [
        pytest.param({}, id="empty state: nothing to resume from, nothing to reset"),
        pytest.param({"udate": "2024-02-19T13:20:49-06:00"}, id="ISO with offset"),
        pytest.param({"udate": UDATE}, id="the CDK's own format"),
        pytest.param({"udate": "2024-02-19 13:20:49"}, id="naive timestamp"),
        pytest.param({"udate": "2024-02-19"}, id="date"),
        pytest.param(CONCURRENT_STATE, id="concurrent form, left to the CDK"),
        pytest.param(PER_PIPELINE_STATE, id="per-partition form with a cursor in every partition"),
        pytest.param(_with(PER_PIPELINE_STATE, states=[]), id="per-partition form, overall cursor only"),
        pytest.param({"states": PER_PIPELINE_STATE["states"]}, id="per-partition form, partition cursors only"),
    ],
)
def test_given_a_usable_state_then_it_is_kept(state: dict[str, Any]) -> None:
    assert _unusable_state_reset().should_migrate(state) is False


@pytest.mark.parametrize(
    "state, named",
    [
        pytest.param({"udate": "garbage"}, '"garbage"', id="garbage cursor"),
        pytest.param({"last_seen_id": 17}, "null", id="missing cursor"),
        pytest.param({"udate": None}, "null", id="null cursor"),
        pytest.param({"udate": ""}, '""', id="empty cursor"),
        pytest.param({"udate": "0000-00-00 00:00:00"}, '"0000-00-00 00:00:00"', id="zero date"),
        pytest.param({"udate": 1708370449}, "1708370449", id="epoch seconds"),
        pytest.param({"udate": "2024-13-45T00:00:00+0000"}, '"2024-13-45T00:00:00+0000"', id="impossible date"),
        pytest.param({"state_type": "date-range"}, "null", id="half of the concurrent form"),
        pytest.param(
            _with(
                PER_PIPELINE_STATE,
                states=[{"partition": {"pipeline_id": 1}, "cursor": {"udate": "garbage"}}],
            ),
            '"garbage"',
            id="per-partition form, one partition's cursor garbage",
        ),
        pytest.param(
            _with(PER_PIPELINE_STATE, states=[{"partition": {"pipeline_id": 1}, "cursor": {}}]),
            "null",
            id="per-partition form, one partition without a cursor",
        ),
        pytest.param(
            _with(PER_PIPELINE_STATE, states=["garbage"]), '"garbage"', id="per-partition entry not an object"
        ),
        pytest.param(_with(PER_PIPELINE_STATE, states="garbage"), '"garbage"', id="partitions not a list"),
        pytest.param(_with(PER_PIPELINE_STATE, state={"udate": "later"}), '"later"', id="overall cursor garbage"),
    ],
)
def test_given_an_unusable_state_then_it_is_dropped_with_a_warning_naming_the_value(
    state: dict[str, Any], named: str, caplog: pytest.LogCaptureFixture
) -> None:
    migration = _unusable_state_reset()

    assert migration.should_migrate(state) is True
    assert migration.migrate(state) == {}
    assert caplog.messages == [
        f"The saved state of stream 'contacts' cannot be resumed from: its 'udate' is {named}, not a date-time. "
        "The stream syncs again from the start date (or from the beginning); records synced before are read "
        "again and nothing is skipped."
    ]


@pytest.mark.parametrize(
    "state, resumed_from",
    [
        pytest.param(RANGE_STATE, {"udate": UDATE}, id="range state: resumes from its newest cursor"),
        pytest.param(_with(RANGE_STATE, state={"udate": "garbage"}), {}, id="range state with a garbage cursor: reset"),
        pytest.param({"udate": UDATE}, {"udate": UDATE}, id="cursor state: as it is"),
        pytest.param({}, {}, id="no state"),
    ],
)
def test_contacts_incremental_state_after_both_migrations_in_the_manifests_order(
    state: dict[str, Any], resumed_from: dict[str, Any]
) -> None:
    migrations = [_range_state_to_cursor_state(), _unusable_state_reset()]

    assert ModelToComponentFactory.apply_stream_state_migrations(migrations, dict(state)) == resumed_from
