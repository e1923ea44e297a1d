"""Requests that get no HTTP answer: what the message says (`network_faults`), and how a read
retries them (the manifest's error handler: the CDK's doubling back-off, the cause in every log)."""

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from unittest.mock import patch

import pytest
import requests

from source_activecampaign.http.network_faults import describe_network_fault
from unit_tests.mock_server.config import ConfigBuilder
from unit_tests.mock_server.read_helpers import read_stream
from unit_tests.network_servers import (
    UNRESOLVABLE_URL,
    closed_port_url,
    self_signed_tls_url,
    silent_server_url,
)


def _failure(url: str, timeout: float = 5) -> requests.RequestException:
    try:
        requests.get(f"{url}/api/3/users/me", timeout=timeout)
    except requests.RequestException as error:
        return error
    raise AssertionError(f"{url} answered")


def _host(url: str) -> str:
    return url.split("://", 1)[1]


@pytest.mark.parametrize(
    "server, timeout, expected",
    [
        pytest.param(
            lambda: nullcontext(UNRESOLVABLE_URL),
            5,
            "Could not reach {host}: its host name could not be resolved (DNS). Check the API URL: Copy the API URL "
            "from Settings > Developer",
            id="host name that does not resolve",
        ),
        pytest.param(
            closed_port_url,
            5,
            "Could not reach {host}: the connection was refused (nothing accepts connections there). Check the API "
            "URL and its port",
            id="closed port",
        ),
        pytest.param(
            self_signed_tls_url,
            5,
            "Could not reach {host}: its TLS certificate is not trusted by this machine (self-signed certificate). "
            "If the machine reaches the internet through a proxy that inspects TLS",
            id="self-signed TLS certificate",
        ),
        pytest.param(
            silent_server_url,
            0.2,
            "{host} accepted the connection but sent no answer within 0.2 s. ActiveCampaign may be slow or down",
            id="server that never answers",
        ),
        pytest.param(
            lambda: silent_server_url("https"),
            0.2,
            "{host} accepted the connection but sent no answer within 0.2 s.",
            id="server that never finishes the TLS handshake",
        ),
    ],
)
def test_given_a_request_without_answer_then_the_message_names_host_cause_and_fix(
    server: Callable[[], AbstractContextManager[str]], timeout: float, expected: str
) -> None:
    with server() as url:
        message = describe_network_fault(_failure(url, timeout))

    assert message.startswith(expected.format(host=_host(url))), message


def test_given_a_connect_timeout_then_the_message_says_no_connection_within_the_timeout() -> None:
    request = requests.Request("GET", "https://acct.api-us1.com/api/3/users/me").prepare()
    error = requests.exceptions.ConnectTimeout(
        "HTTPSConnectionPool(host='acct.api-us1.com', port=443): Max retries exceeded (Caused by "
        "ConnectTimeoutError(..., 'Connection to acct.api-us1.com timed out. (connect timeout=10)'))",
        request=request,
    )

    assert describe_network_fault(error).startswith(
        "Could not reach acct.api-us1.com: no connection within 10 s. A firewall may be dropping the traffic"
    )


def test_given_a_refused_connection_when_read_then_retried_8_times_over_about_4_minutes_logging_the_cause() -> None:
    with closed_port_url() as url, patch("time.sleep") as sleep:
        output = read_stream("tags", {**ConfigBuilder().build(), "api_url": url}, expecting_exception=True)

    cause = f"Could not reach {_host(url)}: the connection was refused"
    # The back-off's waits are whole seconds; the rate budget's own short sleeps are fractions.
    waits = [call.args[0] for call in sleep.call_args_list if isinstance(call.args[0], int)]
    assert waits == [1, 2, 4, 8, 16, 32, 64, 128]
    retry_logs = [log.log.message for log in output.logs if "retrying" in log.log.message]
    assert len(retry_logs) == 8 and all(cause in message for message in retry_logs), retry_logs
    assert not [log.log.message for log in output.logs if "Rate limit" in log.log.message]
    assert any(cause in error.trace.error.message for error in output.errors)
