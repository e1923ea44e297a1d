"""What each stream reads in a sync, as its estimate and its completeness check need to know."""

import datetime
from collections.abc import Mapping
from typing import Any

import pytest
from airbyte_cdk.models import SyncMode
from airbyte_cdk.test.catalog_builder import CatalogBuilder
from airbyte_cdk.test.state_builder import StateBuilder

from source_activecampaign.progress.read_plan import ManifestShapes, StreamReadPlan, StreamShape, plan_reads
from source_activecampaign.source import SourceActivecampaign

NOW = datetime.datetime(2024, 9, 1, tzinfo=datetime.timezone.utc)
STATE_CURSOR = "2024-03-01T00:00:00+0000"
FULL, INCREMENTAL = SyncMode.full_refresh, SyncMode.incremental


@pytest.fixture(scope="module")
def shapes() -> ManifestShapes:
    source = SourceActivecampaign(config={"api_url": "https://acme.api-us1.com", "api_key": "ac-plan-key-0000"})
    return ManifestShapes.of(source.resolved_manifest)


@pytest.mark.parametrize(
    "stream, shape",
    [
        pytest.param("contacts", StreamShape("server"), id="contacts: filtered by the API"),
        pytest.param("deals", StreamShape("server"), id="deals: filtered by the API"),
        pytest.param("activities", StreamShape("server"), id="activities: filtered by the API (after)"),
        pytest.param("tags", StreamShape("client"), id="tags: filtered by the connector"),
        pytest.param("contact_tags", StreamShape("client"), id="a contact child stream, however it reads"),
        pytest.param("segments", StreamShape("none"), id="no cursor"),
        pytest.param("deal_stages", StreamShape("client", "dealGroups", True), id="stages per pipeline"),
        pytest.param("campaign_links", StreamShape("none", "campaigns", True), id="links per campaign"),
        pytest.param("custom_object_shop_order", StreamShape("client"), id="a stream built per custom object"),
    ],
)
def test_manifest_shapes(shapes: ManifestShapes, stream: str, shape: StreamShape) -> None:
    assert shapes.shape(stream) == shape


def _plan(
    shapes: ManifestShapes,
    streams: Mapping[str, SyncMode],
    states: Mapping[str, Any] | None = None,
    **config: Any,
) -> dict[str, StreamReadPlan]:
    catalog = CatalogBuilder()
    for name, sync_mode in streams.items():
        catalog = catalog.with_stream(name, sync_mode)
    state = StateBuilder()
    for name, stream_state in (states or {}).items():
        state = state.with_stream_state(name, stream_state)
    built = catalog.build()
    for configured in built.streams:
        if configured.stream.name == "contacts":
            configured.cursor_field = ["udate"]
    return plan_reads(shapes, built, state.build(), config, NOW)


ESTIMATED_WHOLE = StreamReadPlan(True, True)
FILTERED_WHOLE = StreamReadPlan(False, True)


@pytest.mark.parametrize(
    "streams, states, config, expected",
    [
        pytest.param({"tags": FULL}, {}, {}, ESTIMATED_WHOLE, id="full refresh"),
        pytest.param({"tags": INCREMENTAL}, {}, {}, ESTIMATED_WHOLE, id="first incremental read"),
        pytest.param(
            {"tags": INCREMENTAL},
            {"tags": {"updated_timestamp": STATE_CURSOR}},
            {},
            FILTERED_WHOLE,
            id="from a state: only rows changed since",
        ),
        pytest.param(
            {"tags": FULL},
            {"tags": {"updated_timestamp": STATE_CURSOR}},
            {},
            ESTIMATED_WHOLE,
            id="a full refresh ignores the state",
        ),
        pytest.param({"tags": FULL}, {}, {"start_date": "2024-01-01"}, FILTERED_WHOLE, id="a start date"),
        pytest.param({"segments": FULL}, {}, {"start_date": "2024-01-01"}, ESTIMATED_WHOLE, id="no cursor"),
        pytest.param(
            {"campaign_links": FULL},
            {},
            {"start_date": "2024-01-01"},
            StreamReadPlan(False, True, "campaigns"),
            id="per campaign, campaigns filtered by the start date",
        ),
        pytest.param(
            {"contacts": FULL}, {}, {"start_date": "2024-01-01"}, ESTIMATED_WHOLE, id="contacts: the API filters"
        ),
        pytest.param(
            {"contacts": INCREMENTAL},
            {"contacts": {"udate": STATE_CURSOR}},
            {},
            StreamReadPlan(
                True,
                False,
                window_span=(datetime.datetime(2024, 3, 1, tzinfo=datetime.timezone.utc), NOW),
            ),
            id="contacts from a state: windows from it to now",
        ),
        pytest.param(
            {"contacts": INCREMENTAL},
            {"contacts": {"udate": "garbage"}},
            {},
            StreamReadPlan(False, False),
            id="contacts from a state without a date: nothing to hold the windows to",
        ),
        pytest.param(
            {"contact_tags": INCREMENTAL},
            {"contact_tags": {"updated_timestamp": STATE_CURSOR}},
            {"contact_pages": {"children": {"contact_tags": "changed"}}},
            StreamReadPlan(False, False),
            id="a child stream from changed contacts: neither counted nor whole",
        ),
        pytest.param(
            {"contact_tags": INCREMENTAL},
            {"contact_tags": {"updated_timestamp": STATE_CURSOR}},
            {"contact_pages": {"children": {"contact_tags": "reconcile"}}},
            ESTIMATED_WHOLE,
            id="a child stream's periodic full read: every row",
        ),
        pytest.param(
            {"contact_tags": INCREMENTAL},
            {"contact_tags": {"updated_timestamp": STATE_CURSOR}},
            {"contact_pages": {"children": {"contact_tags": "collection"}}},
            FILTERED_WHOLE,
            id="a child stream read as its collection, from a state",
        ),
        pytest.param(
            {"contact_tags": INCREMENTAL},
            {"contact_tags": {"updated_timestamp": STATE_CURSOR}},
            {"contact_pages": {"children": {"contact_tags": "pages"}}, "deletions": {"checks": ["contact_tags"]}},
            FILTERED_WHOLE,
            id="a child stream's deletion check: every page, only the rows changed since its state",
        ),
        pytest.param(
            {"contact_tags": INCREMENTAL},
            {"contact_tags": {"updated_timestamp": STATE_CURSOR}},
            {"contact_pages": {"children": {"contact_tags": "pages"}}},
            FILTERED_WHOLE,
            id="a child stream reading the pages from a state, cheaper than its collection: the rows changed since",
        ),
        pytest.param(
            {"contact_tags": INCREMENTAL},
            {},
            {"contact_pages": {"children": {"contact_tags": "pages"}}},
            ESTIMATED_WHOLE,
            id="a child stream's first read of the pages: every row",
        ),
        pytest.param(
            {"contact_tags": INCREMENTAL},
            {"contact_tags": {"updated_timestamp": STATE_CURSOR}},
            {
                "contact_pages": {"children": {"contact_tags": "reconcile_pages"}},
                "deletions": {"checks": ["contact_tags"]},
            },
            ESTIMATED_WHOLE,
            id="a child stream's deletion check that is its periodic full read too: every row",
        ),
        pytest.param(
            {"contacts": INCREMENTAL},
            {},
            {"deletions": {"checks": ["contacts"]}},
            ESTIMATED_WHOLE,
            id="contacts' deletion check: given no state, a first read",
        ),
    ],
)
def test_plan_reads(
    shapes: ManifestShapes,
    streams: Mapping[str, SyncMode],
    states: Mapping[str, Any],
    config: Mapping[str, Any],
    expected: StreamReadPlan,
) -> None:
    ((_, plan),) = _plan(shapes, streams, states, **config).items()

    assert plan == expected
