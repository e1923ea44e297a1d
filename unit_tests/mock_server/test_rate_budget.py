"""The rate budget every stream shares: the manifest's `api_budget`, built by the source as the
adaptive share of the account's rate limit (`account_rate_share.py`), or as written when
`adapt_to_other_clients` is off."""

import pytest
from airbyte_cdk.test.mock_http import HttpMocker, HttpResponse

from unit_tests.mock_server.config import ConfigBuilder
from unit_tests.mock_server.read_helpers import read_stream
from unit_tests.mock_server.request_builder import ActiveCampaignRequestBuilder

TAGS_PAGE = ActiveCampaignRequestBuilder.collection("tags").with_offset_page(0)
# The window held 5 calls when this request reached it: 4 were another client's.
FULL_WINDOW = {"Content-Type": "application/json", "RateLimit-Limit": "5", "RateLimit-Remaining": "0"}
TAGS = HttpResponse('{"tags": [{"id": "1", "tag": "VIP"}], "meta": {"total": "1"}}', 200, FULL_WINDOW)
SHARED = "The account's rate limit is shared with other clients; syncing at 1 request per second."


@pytest.mark.parametrize(
    "config, logged",
    [
        pytest.param(ConfigBuilder().build(), [SHARED], id="default: the share adapts and says so"),
        pytest.param(
            ConfigBuilder().with_adapt_to_other_clients(False).build(), [], id="adapt_to_other_clients off: fixed rate"
        ),
    ],
)
def test_rate_limit_remaining_sets_the_connectors_share(config: dict[str, object], logged: list[str]) -> None:
    with HttpMocker() as http_mocker:
        http_mocker.get(TAGS_PAGE.build(), TAGS)

        output = read_stream("tags", config)

    assert [record.record.data["id"] for record in output.records] == [1]
    assert [log.log.message for log in output.logs if "rate limit" in log.log.message] == logged
