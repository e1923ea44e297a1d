"""Contacts and its five child streams (contact_tags, contact_lists, custom_field_values,
contact_automations, account_contacts), which ride on the contacts pages (`include=`)."""

from __future__ import annotations

from collections.abc import Sequence

from tools.benchmark.accounts import Workspace, catalog_streams, emulator_process, full_refresh_row
from tools.benchmark.bench import CHANGED_SHARE, Bench, Row, progress
from tools.benchmark.reading import Read, read
from tools.benchmark.scenarios.contacts import with_memory_ratio
from tools.benchmark.scenarios.incremental import first_read_then_changes, request_bound
from tools.benchmark.streams import CONTACT_CHILDREN, child_requests, per_stream, rows_exact, same_records

CONTACTS_AND_CHILDREN = ["contacts", *CONTACT_CHILDREN]


def contact_children_on_pages(
    bench: Bench, contacts: int = 20_000, sideload_cap: int = 3, streams: Sequence[str] | None = None
) -> list[Row]:
    """Every stream, full refresh, 5 rps and 200 ms (whole_account_first_sync's read): the child streams
    on the contacts pages. Then the same with the emulator capping each sideload at 3 rows while each
    contact's id lists stay whole: the connector must notice and still sync every row (records counted
    against the emulator's rows, and the six streams' records compared with the whole-sideload read's).
    The comparison holds every record's id in this process, whose peak RSS Linux carries into the
    connector processes it starts later: the registry runs this scenario last. (`streams`: the streams
    read, every stream by default; contacts and its child streams are always among them.)"""
    n = bench.size(contacts)
    ws = Workspace(bench, "contact_children_on_pages")
    results: dict[bool, tuple[Read, str, str, list[str]]] = {}
    for capped in (False, True):
        label = "read-capped" if capped else "read-whole"
        extra = ["--sideload-cap", str(sideload_cap)] if capped else []
        with emulator_process(bench, n, limited=True, extra=extra) as emu:
            config = ws.config(emu, limited=True)
            catalog = ws.catalog(config, streams, incremental=False, name="catalog-read")
            progress(
                f"contact_children_on_pages: {', '.join(streams or ['every stream'])}, "
                f"{_sideloads(capped, sideload_cap)}, {n:,} contacts"
            )
            result = read(emu, config, catalog, None, ws.dir, label, keep_records_of=CONTACTS_AND_CHILDREN)
            exact = rows_exact(emu, result, CONTACTS_AND_CHILDREN)
            results[capped] = (result, exact, emu.url, catalog_streams(catalog))
    same = same_records(
        (ws.dir / "read-whole.records.jsonl", results[False][2]),
        (ws.dir / "read-capped.records.jsonl", results[True][2]),
        "the whole-sideload read",
    )
    rows = []
    for capped, (result, exact, _, every) in results.items():
        rows.append(
            Row(
                "contact_children_on_pages",
                f"{'all' if streams is None else len(every)} streams, full refresh, {_sideloads(capped, sideload_cap)}",
                n,
                True,
                result,
                notes=[exact, *([same] if capped else []), f"child streams {child_requests(result):,} req"],
                verbose=per_stream(result, every),
            )
        )
    return rows


def _sideloads(capped: bool, cap: int) -> str:
    return f"sideloads capped at {cap} rows" if capped else "whole sideloads"


def contact_children_incremental(
    bench: Bench, contacts: int = 20_000, changed_share: float = CHANGED_SHARE
) -> list[Row]:
    """Contacts and the child streams incremental on data up to now; after the first read 1% of contacts
    change; the second read runs with `contact_children_from_changed_contacts` off (every contacts page,
    the child rows included: cheaper than each child collection in full) and on (the changed contacts'
    pages), the child streams' requests held to ceil(changed / 100) + 5."""
    n = bench.size(contacts)
    ws = Workspace(bench, "contact_children_incremental")
    with emulator_process(bench, n, limited=True, data_until="now") as emu:
        config = ws.config(emu, limited=True)
        catalog = ws.catalog(config, CONTACTS_AND_CHILDREN, incremental=True, name="catalog")
        progress(f"contact_children_incremental: contacts and its child streams, {n:,} contacts: first read")
        first, state, changed = first_read_then_changes(ws, emu, config, catalog, ["contacts"], changed_share)
        second: dict[bool, Read] = {}
        for option in (False, True):
            progress(
                f"contact_children_incremental: second read after {changed['contacts']} contacts changed, "
                f"option {'on' if option else 'off'}"
            )
            option_config = ws.config(
                emu, limited=True, name=f"config-option-{option}", contact_children_from_changed_contacts=option
            )
            second[option] = read(emu, option_config, catalog, state, ws.dir, f"read-2-option-{option}")
    bound = request_bound(changed["contacts"])
    scenario = "contact_children_incremental"
    rows = [
        Row(
            scenario,
            "contacts + its 5 child streams, incremental, first read",
            n,
            True,
            first,
            notes=[f"child streams {child_requests(first):,} req"],
            verbose=per_stream(first, CONTACTS_AND_CHILDREN),
        )
    ]
    for option, result in second.items():
        child = child_requests(result)
        verdict = ("within" if child <= bound else "OVER") if option else "every contacts page, exact"
        rows.append(
            Row(
                scenario,
                f"second read after {changed_share:.0%} changed, "
                f"contact_children_from_changed_contacts {'on' if option else 'off'}",
                n,
                True,
                result,
                rate_meaningful=option is False,
                notes=[
                    f"{changed['contacts']:,} contacts changed; child streams {child:,} req"
                    + (f" (bound {bound}: {verdict})" if option else f" ({verdict})")
                ],
                verbose=per_stream(result, CONTACTS_AND_CHILDREN),
            )
        )
    return rows


def contact_children_peak_memory(bench: Bench, contacts: int = 100_000) -> list[Row]:
    """Peak RSS of contacts and its child streams, full refresh, no limit and no latency, at two sizes
    ten times apart (`contacts` and a tenth of it): pages of 100 contacts with every child row."""
    large = bench.size(contacts)
    title = "contacts + its 5 child streams, peak RSS"
    rows = [
        full_refresh_row(
            bench, "contact_children_peak_memory", title, n, CONTACTS_AND_CHILDREN, False, f"read-{n}", profiled=False
        )
        for n in (max(20, large // 10), large)
    ]
    return with_memory_ratio(rows)
