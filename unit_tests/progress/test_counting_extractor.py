"""The manifest's extractor: records as a DpathExtractor takes them, and each page told to the sync."""

from typing import Any

import pytest
from airbyte_cdk.sources.declarative.extractors.dpath_extractor import DpathExtractor

from source_activecampaign.progress.counting_extractor import CountingDpathExtractor
from source_activecampaign.progress.facts import SyncFacts
from unit_tests.progress.conftest import page


@pytest.mark.parametrize(
    "body",
    [
        pytest.param({"tags": [{"id": "1"}, {"id": "2"}], "meta": {"total": "2"}}, id="a list"),
        pytest.param({"tags": {"id": "1"}}, id="one record (a single-record envelope)"),
        pytest.param({"tags": []}, id="an empty page"),
        pytest.param({"meta": {"total": "0"}}, id="no records key"),
        pytest.param({"tags": {}}, id="an empty object"),
    ],
)
def test_records_are_those_a_dpath_extractor_takes(sync: SyncFacts, body: dict[str, Any]) -> None:
    parameters = {"name": "tags", "path": "tags", "data_field": "tags"}
    counting = CountingDpathExtractor(field_path=["{{ parameters['data_field'] }}"], config={}, parameters=parameters)
    plain = DpathExtractor(field_path=["{{ parameters['data_field'] }}"], config={}, parameters=parameters)

    answer = page("tags?offset=0&limit=100", body)
    assert list(counting.extract_records(answer)) == list(plain.extract_records(answer))


def test_each_page_is_told_with_its_count_and_rows(sync: SyncFacts) -> None:
    extractor = CountingDpathExtractor(
        field_path=["tags"], config={}, parameters={"name": "tags", "path": "tags", "data_field": "tags"}
    )
    body = {"tags": [{"id": str(index)} for index in range(100)], "meta": {"total": "130"}}

    list(extractor.extract_records(page("tags?offset=0&limit=100", body)))

    assert sync.evaluate("tags", lambda facts, collections: (facts.rows_read, dict(collections))) == (
        100,
        {("tags", ()): 130},
    )


def test_a_stream_made_of_a_sideload_is_told_as_rows_beside_the_pages_records(sync: SyncFacts) -> None:
    extractor = CountingDpathExtractor(
        field_path=["fieldOptions"],
        config={},
        parameters={"name": "custom_field_options", "path": "fields", "data_field": "fieldOptions"},
    )
    body = {"fields": [{"id": "1"}, {"id": "2"}], "fieldOptions": [{"id": "7"}] * 5, "meta": {"total": "2"}}

    records = list(extractor.extract_records(page("fields?offset=0&limit=100", body)))

    assert len(records) == 5
    assert sync.evaluate(
        "custom_field_options",
        lambda facts, _: (facts.parent_collection, facts.rows_per_parent.parents, facts.rows_per_parent.rows),
    ) == ("fields", 2, 5)
