"""deal_stages: a child of deal_pipelines, one request series per pipeline.

Manifest: `deal_stages_stream`, a SubstreamPartitionRouter over `deal_pipelines_stream` sending
`filters[d_groupid]=<pipeline id>` and adding `pipeline_id` to each stage.
"""

from typing import Any
from unittest import TestCase

from airbyte_cdk.test.mock_http import HttpMocker

from unit_tests.mock_server.config import ConfigBuilder
from unit_tests.mock_server.read_helpers import read_stream
from unit_tests.mock_server.request_builder import ActiveCampaignRequestBuilder
from unit_tests.mock_server.response_builder import collection_response


def _given_pipelines(http_mocker: HttpMocker, pipelines: list[dict[str, Any]], stages: list[dict[str, Any]]) -> None:
    """One page of /dealGroups, its stages sideloaded as the API sends them."""
    http_mocker.get(
        ActiveCampaignRequestBuilder.collection("dealGroups").with_offset_page(0).build(),
        collection_response("dealGroups", pipelines, total=str(len(pipelines)), sideloads={"dealStages": stages}),
    )


class TestDealStages(TestCase):
    @HttpMocker()
    def test_given_two_pipelines_when_read_then_stages_requested_per_pipeline_and_carry_its_id(
        self, http_mocker: HttpMocker
    ) -> None:
        _given_pipelines(
            http_mocker,
            [{"id": "1", "title": "Sales", "stages": ["1", "2"]}, {"id": "4", "title": "Partners", "stages": ["7"]}],
            [{"id": "1", "group": "1"}, {"id": "2", "group": "1"}, {"id": "7", "group": "4"}],
        )
        for pipeline_id, stages in (
            ("1", [{"id": "1", "title": "To contact", "group": "1"}, {"id": "2", "title": "Won", "group": "1"}]),
            ("4", [{"id": "7", "title": "Intro", "group": "4", "cdate": None, "udate": None}]),
        ):
            http_mocker.get(
                ActiveCampaignRequestBuilder.collection("dealStages")
                .with_offset_page(0)
                .with_param("filters[d_groupid]", pipeline_id)
                .build(),
                collection_response("dealStages", stages, total=str(len(stages))),
            )

        output = read_stream("deal_stages", ConfigBuilder().build())

        stages = sorted((record.record.data for record in output.records), key=lambda stage: stage["id"])
        assert stages == [
            {"id": 1, "title": "To contact", "group": 1, "pipeline_id": 1},
            {"id": 2, "title": "Won", "group": 1, "pipeline_id": 1},
            {"id": 7, "title": "Intro", "group": 4, "pipeline_id": 4},
        ]

    @HttpMocker()
    def test_given_pipelines_when_read_then_only_the_pipeline_rows_are_records_not_the_sideloaded_stages(
        self, http_mocker: HttpMocker
    ) -> None:
        _given_pipelines(http_mocker, [{"id": "1", "title": "Sales"}], [{"id": "1", "group": "1"}])

        output = read_stream("deal_pipelines", ConfigBuilder().build())

        assert [record.record.data for record in output.records] == [{"id": 1, "title": "Sales"}]
