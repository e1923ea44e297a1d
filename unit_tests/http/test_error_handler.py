"""The error handler's own additions to the CDK's."""

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from airbyte_cdk.sources.declarative.requesters.error_handlers import HttpResponseFilter
from airbyte_cdk.sources.streams.http.error_handlers.response_models import ResponseAction

from source_activecampaign.http.error_handler import WarnOnIgnoreErrorHandler


def test_warn_on_ignore_error_handler_warns_once_per_stream_across_threads(caplog: pytest.LogCaptureFixture) -> None:
    handler = WarnOnIgnoreErrorHandler(
        config={},
        parameters={},
        response_filters=[
            HttpResponseFilter(
                config={}, parameters={}, http_codes={404}, action="IGNORE", error_message="Skipping stream 'x'"
            )
        ],
    )
    not_found = requests.Response()
    not_found.status_code = 404

    with ThreadPoolExecutor(max_workers=8) as pool:
        actions = list(pool.map(lambda _: handler.interpret_response(not_found).response_action, range(40)))

    assert set(actions) == {ResponseAction.IGNORE}
    assert [record.message for record in caplog.records if record.levelname == "WARNING"] == ["Skipping stream 'x'"]
