"""A sync's progress through the real entrypoint against the emulator: estimates while it runs, the
summary at its end, and a full read held to the API's own count."""

import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from activecampaign_emulator import Emulator, Fault
from integration_tests.conftest import emulator_config
from integration_tests.emulator_expectations import STREAM_COLLECTIONS
from source_activecampaign.run import run
from testing.connector_runner import ConnectorInputs, ConnectorRun, configured_catalog, run_main, sync_modes
from testing.retry_waits import retry_waits_skipped

# The streams the API filters on the server, and those without a cursor: the API counts what they
# emit on any sync. Every other stream filters on the client.
SERVER_SIDE = {"contacts", "deals", "activities"}
SUMMARY_LINE = re.compile(
    r"Sync summary, stream (?P<stream>\w+): (?P<records>[\d,]+) records?(?: \((?P<details>[^)]*)\))?; "
    r"(?P<requests>[\d,]+) requests?, (?P<rate_limited>[\d,]+) answered 429, (?P<retried>[\d,]+) retried; "
)
SYNC_LINE = re.compile(
    r"Sync summary: (?P<streams>[\d,]+) streams?, (?P<records>[\d,]+) records?, (?P<requests>[\d,]+) requests?, "
    r"(?P<rate_limited>[\d,]+) answered 429, (?P<retried>[\d,]+) retried; "
)


def _number(text: str) -> int:
    return int(text.replace(",", ""))


def _stream_summaries(run: ConnectorRun) -> dict[str, dict[str, Any]]:
    summaries = {}
    for log in run.logs("INFO"):
        found = SUMMARY_LINE.match(log)
        if found:
            summary: dict[str, Any] = {
                key: _number(found[key]) for key in ("records", "requests", "rate_limited", "retried")
            }
            summary["details"] = found["details"] or ""
            summaries[found["stream"]] = summary
    return summaries


def _sync_summary(run: ConnectorRun) -> dict[str, int]:
    (found,) = [match for log in run.logs("INFO") if (match := SYNC_LINE.match(log))]
    return {key: _number(found[key]) for key in ("streams", "records", "requests", "rate_limited", "retried")}


def _within(estimate: int, records: int, share: float = 0.05) -> bool:
    return abs(estimate - records) <= share * records


@pytest.fixture(scope="module")
def larger_emulator() -> Iterator[Emulator]:
    """1,000 contacts: enough for the child streams' estimates to be projected before their last page."""
    with Emulator(contacts=1000, seed=42, api_key="ac-emulator-key-0123456789abcdef") as running:
        yield running


@pytest.fixture(scope="module")
def larger_catalog(larger_emulator: Emulator) -> dict[str, Any]:
    run = run_main(ConnectorInputs().args("discover", emulator_config(larger_emulator)))
    return run.of_type("CATALOG")[0]["catalog"]


def test_given_a_full_refresh_of_every_stream_then_each_is_estimated_within_5_percent_at_no_cost_in_requests(
    larger_emulator: Emulator, larger_catalog: dict[str, Any], inputs: ConnectorInputs
) -> None:
    larger_emulator.reset_stats()
    streams = sync_modes(larger_catalog, incremental=False)

    read = run_main(inputs.args("read", emulator_config(larger_emulator), configured_catalog(streams, larger_catalog)))

    assert read.exit_code == 0, read.error_messages()
    records = Counter(message["record"]["stream"] for message in read.of_type("RECORD"))
    estimates = read.estimates()
    assert set(estimates) == set(streams)
    for stream, sent in estimates.items():
        assert all(_within(estimate, records[stream]) for estimate in sent), (stream, sent, records[stream])
    # Estimates cost no request: every request asking for one row is one of the two plans made
    # before this change (the newest contact places contacts' id ranges, the oldest deal deals'
    # windows of creation time), and the summary counts every request the emulator answered.
    log = larger_emulator.stats.snapshot(with_log=True)["log"]
    single_rows = [(entry["path"], entry["query"]) for entry in log if entry["query"].get("limit") == ["1"]]
    plans = [
        ("/api/3/contacts", {"orders[id]": ["DESC"], "limit": ["1"]}),
        ("/api/3/deals", {"orders[cdate]": ["ASC"], "offset": ["0"], "limit": ["1"]}),
    ]
    assert sorted(single_rows, key=str) == sorted(plans, key=str)
    assert _sync_summary(read)["requests"] == len(log)
    assert read.logs("WARN") == [log for log in read.logs("WARN") if "Could not find cursor field" in log]


def test_incremental_syncs_send_estimates_only_where_the_api_counts_what_they_emit(
    emulator: Emulator, discovered_catalog: dict[str, Any], inputs: ConnectorInputs
) -> None:
    streams = sync_modes(discovered_catalog, incremental=True)
    without_cursor = {name for name, mode in streams.items() if mode == "full_refresh"}
    catalog = configured_catalog(streams, discovered_catalog)
    config = emulator_config(emulator)

    first = run_main(inputs.args("read", config, catalog))
    emulator.dataset.touch("contacts", count=12)
    emulator.dataset.touch("deals", count=4)
    second = run_main(inputs.args("read", config, catalog, first.final_states()))
    with_start_date = run_main(inputs.args("read", {**config, "start_date": "2024-06-01"}, catalog))

    for read in (first, second, with_start_date):
        assert read.exit_code == 0, read.error_messages()
        records = Counter(message["record"]["stream"] for message in read.of_type("RECORD"))
        for stream, sent in read.estimates().items():
            assert all(_within(estimate, records[stream]) for estimate in sent), (stream, sent, records[stream])
    # No state and no start date: every stream emits all the API counts.
    assert set(first.estimates()) == set(streams)
    # From a state, a stream filtered on the client emits the rows changed since, which no count says.
    assert set(second.estimates()) == SERVER_SIDE | without_cursor
    # A start date: the same, except links, whose campaigns the start date leaves out.
    assert set(with_start_date.estimates()) == SERVER_SIDE | without_cursor - {"campaign_links"}


def test_the_end_of_sync_summary_matches_the_emulators_request_log(
    emulator: Emulator, discovered_catalog: dict[str, Any], inputs: ConnectorInputs, capfd: pytest.CaptureFixture
) -> None:
    streams = {"tags": "full_refresh", "notes": "full_refresh", "lists": "incremental", "contacts": "full_refresh"}
    emulator.faults.add(Fault("status", path_pattern="/tags$", status=429, headers={"Retry-After": "1"}))
    emulator.faults.add(Fault("status", path_pattern="/notes$", status=500, times=2))
    emulator.reset_stats()
    try:
        # In process, through the same `run` that main.py calls, so that the waits before the retries
        # are skipped rather than spent.
        with retry_waits_skipped():
            run(inputs.args("read", emulator_config(emulator), configured_catalog(streams, discovered_catalog)))
    finally:
        emulator.faults.clear()
    output = capfd.readouterr()
    read = ConnectorRun.from_output(0, output.out, output.err)

    log = emulator.stats.snapshot(with_log=True)["log"]
    # The newest contact, which places contacts' id ranges, is the plan's request, not a page of contacts.
    pages = [entry for entry in log if entry["query"].get("orders[id]") != ["DESC"]]
    summaries = _stream_summaries(read)
    records = Counter(message["record"]["stream"] for message in read.of_type("RECORD"))
    assert set(summaries) == set(streams)
    for stream in streams:
        answers = [entry for entry in pages if entry["path"] == f"/api/3/{STREAM_COLLECTIONS[stream]}"]
        retried = [entry for entry in answers if entry["status"] == 429 or entry["status"] >= 500]
        assert summaries[stream]["requests"] == len(answers), stream
        assert summaries[stream]["rate_limited"] == sum(entry["status"] == 429 for entry in answers), stream
        assert summaries[stream]["retried"] == len(retried), stream
        assert summaries[stream]["records"] == records[stream], stream
    assert (summaries["tags"]["rate_limited"], summaries["notes"]["retried"]) == (1, 2)
    assert _sync_summary(read) == {
        "streams": len(streams),
        "records": sum(records.values()),
        "requests": len(log),
        "rate_limited": sum(entry["status"] == 429 for entry in log),
        "retried": sum(entry["status"] == 429 or entry["status"] >= 500 for entry in log),
    }
    assert "ActiveCampaign counts 7" in summaries["tags"]["details"]


@pytest.mark.parametrize("stream", ["tags", "contacts"])
def test_given_the_api_leaves_a_row_out_of_its_pages_when_a_full_read_then_a_warning_names_the_stream_and_figures(
    emulator: Emulator, discovered_catalog: dict[str, Any], inputs: ConnectorInputs, stream: str
) -> None:
    collection = STREAM_COLLECTIONS[stream]
    total = len(emulator.dataset.rows(collection))
    streams = {stream: "full_refresh", "notes": "full_refresh"}
    emulator.set_options(rows_dropped_from_pages=[collection])
    try:
        read = run_main(inputs.args("read", emulator_config(emulator), configured_catalog(streams, discovered_catalog)))
    finally:
        emulator.set_options(rows_dropped_from_pages=[])

    assert read.exit_code == 0, read.error_messages()
    got = len(read.records(stream))
    assert got < total
    warnings = [log for log in read.logs("WARN") if "read its whole collection" in log]
    missing = f"{total - got:,} row{'' if total - got == 1 else 's'}"
    assert warnings == [
        f"Stream '{stream}' read its whole collection and got {got:,} rows where ActiveCampaign counts {total:,} "
        f"(meta.total): {missing} not synced. Rows deleted while the sync ran explain a gap like this; "
        "if the next sync comes out short again, ActiveCampaign is leaving rows out of its pages: report it to "
        "ActiveCampaign's support with the stream's name."
    ]


def test_rows_left_out_on_purpose_are_named_apart_and_raise_no_warning(
    emulator: Emulator, discovered_catalog: dict[str, Any], inputs: ConnectorInputs
) -> None:
    streams = {"notes": "full_refresh", "deals": "full_refresh"}
    config = emulator_config(emulator, start_date="2024-06-01")
    emulator.set_options(deals_access="pipeline-partial")
    try:
        read = run_main(inputs.args("read", config, configured_catalog(streams, discovered_catalog)))
    finally:
        emulator.set_options(deals_access="full")

    assert read.exit_code == 0, read.error_messages()
    summaries = _stream_summaries(read)
    notes_total = len(emulator.dataset.rows("notes"))
    notes = len(read.records("notes"))
    restricted = sum("mdate" not in deal for deal in read.records("deals"))
    assert 0 < notes < notes_total and restricted > 0
    assert summaries["notes"]["details"] == (
        f"{notes_total - notes:,} more read and left out as older than the start date or the saved state; "
        f"ActiveCampaign counts {notes_total:,}"
    )
    deals = len(read.records("deals"))
    assert summaries["deals"]["details"] == (
        f"{restricted:,} of them restricted deals with id, title and isDisabled only; ActiveCampaign counts {deals:,}"
    )
    assert not [log for log in read.logs("WARN") if "read its whole collection" in log]
