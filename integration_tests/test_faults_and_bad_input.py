"""Faults, bad input and secrets, each through the real entrypoint (`python main.py`) against the
emulator. The account's API key is a distinctive canary: no output of any run may contain it."""

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from activecampaign_emulator import Emulator, Fault
from integration_tests.emulator_expectations import STREAM_COLLECTIONS
from source_activecampaign.dates import parse_date_time
from source_activecampaign.run import run
from testing.connector_runner import (
    ConnectorInputs,
    ConnectorRun,
    KilledRun,
    configured_catalog,
    run_main,
    run_main_until_killed,
    sync_modes,
)
from testing.retry_waits import retry_waits_skipped
from unit_tests.network_servers import UNRESOLVABLE_URL, closed_port_url, self_signed_tls_url, silent_server_url

CANARY_KEY = "ac-canary-key-7f3e9b2d41c8a6e5-do-not-leak"


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    with Emulator(contacts=200, seed=7, api_key=CANARY_KEY) as running:
        yield running


@pytest.fixture(autouse=True)
def clean_modes(emulator: Emulator) -> Iterator[None]:
    yield
    emulator.faults.clear()
    emulator.set_options(
        rate_limit=None,
        retry_after=1,
        error_rate=0.0,
        mutate_every=0,
        forbidden_body="json",
        forbidden_resources=frozenset(),
        payment_required=False,
        account_redirect=None,
        deals_access="full",
    )


@pytest.fixture(scope="module")
def catalog(emulator: Emulator) -> dict[str, Any]:
    inputs = ConnectorInputs()
    run = run_main(inputs.args("discover", _config(emulator)))
    return run.of_type("CATALOG")[0]["catalog"]


def _assert_no_secret(run: ConnectorRun) -> None:
    assert CANARY_KEY not in run.stdout and CANARY_KEY not in run.stderr


def _check(inputs: ConnectorInputs, config: dict[str, Any]) -> ConnectorRun:
    run = run_main(inputs.args("check", config))
    _assert_no_secret(run)
    return run


def _read_args(
    inputs: ConnectorInputs, config: dict[str, Any], catalog: dict[str, Any], streams: dict[str, str], state: Any = None
) -> list[str]:
    return inputs.args("read", config, configured_catalog(streams, catalog), state)


def _read(
    inputs: ConnectorInputs, config: dict[str, Any], catalog: dict[str, Any], streams: dict[str, str], state: Any = None
) -> ConnectorRun:
    run = run_main(_read_args(inputs, config, catalog, streams, state))
    _assert_no_secret(run)
    return run


def _config(emulator: Emulator, **overrides: Any) -> dict[str, Any]:
    return {"api_url": emulator.url, "api_key": CANARY_KEY, **overrides}


def _ids(run: ConnectorRun, stream: str) -> list[int]:
    return sorted(record["id"] for record in run.records(stream))


def _emulator_ids(emulator: Emulator, stream: str) -> list[int]:
    return sorted(int(row["id"]) for row in emulator.dataset.rows(STREAM_COLLECTIONS[stream]))


# --- faults: the sync recovers and delivers everything ------------------------------------------


def test_long_retry_after_is_honoured_and_the_wait_is_logged(
    emulator: Emulator, catalog, inputs: ConnectorInputs, capfd: pytest.CaptureFixture
) -> None:
    # In process, through the same `run` that main.py calls, with the sleep patched: the CDK's
    # WaitTimeFromHeader waits the header's seconds plus one, which no test should spend for real.
    emulator.faults.add(
        Fault(
            "status",
            path_pattern="/tags$",
            status=429,
            body={"message": "Too Many Requests"},
            headers={"Retry-After": "3"},
        )
    )

    with retry_waits_skipped() as sleep:
        run(_read_args(inputs, _config(emulator), catalog, {"tags": "full_refresh"}))

    output = capfd.readouterr()
    connector = ConnectorRun.from_output(0, output.out, output.err)
    assert _ids(connector, "tags") == _emulator_ids(emulator, "tags")
    assert 4.0 in [call.args[0] for call in sleep.call_args_list]
    assert any("Rate limit exceeded (HTTP 429). Retrying in 4.0 seconds" in log for log in connector.logs())
    _assert_no_secret(connector)


@pytest.mark.parametrize(
    "fault",
    [
        pytest.param(Fault("status", path_pattern="/contacts$", status=500, times=2), id="500"),
        pytest.param(
            Fault("status", path_pattern="/contacts$", status=502, body="<html>Bad Gateway</html>"), id="502 html"
        ),
        pytest.param(Fault("status", path_pattern="/contacts$", status=503), id="503"),
        pytest.param(Fault("status", path_pattern="/contacts$", status=504), id="504"),
        pytest.param(Fault("reset", path_pattern="/contacts$"), id="connection reset"),
        pytest.param(Fault("html", path_pattern="/contacts$"), id="200 with an HTML page"),
        pytest.param(Fault("empty", path_pattern="/contacts$"), id="200 with an empty body"),
        pytest.param(Fault("truncated", path_pattern="/contacts$"), id="200 with a cut JSON body"),
    ],
)
def test_transient_fault_is_retried_and_every_record_arrives_once(
    emulator: Emulator, catalog, inputs: ConnectorInputs, fault: Fault
) -> None:
    emulator.faults.add(fault)

    run = _read(inputs, _config(emulator), catalog, {"contacts": "full_refresh"})

    assert run.exit_code == 0, run.error_messages()
    assert _ids(run, "contacts") == _emulator_ids(emulator, "contacts")
    assert emulator.faults.pending() == []
    # Only a 429 is a rate limit; the CDK says "Rate limit exceeded" for any wait a backoff
    # strategy computes, so the manifest computes none but Retry-After's.
    assert [log for log in run.logs() if "Rate limit" in log] == []


def test_a_body_that_stays_non_json_fails_naming_the_stream_and_path(
    emulator: Emulator, catalog, inputs: ConnectorInputs, capfd: pytest.CaptureFixture
) -> None:
    # In process, through the same `run` that main.py calls, so that the eight backoff waits
    # (about four minutes against the real API) can be skipped.
    emulator.faults.add(Fault("html", path_pattern="/tags$", times=50))

    with retry_waits_skipped(), pytest.raises(AirbyteTracedException) as failure:
        run(_read_args(inputs, _config(emulator), catalog, {"tags": "full_refresh"}))

    assert failure.value.message == (
        'During the sync, the following streams did not sync successfully: tags: AirbyteTracedException("Exhausted '
        f"available request attempts. Exception: Stream 'tags': ActiveCampaign answered {emulator.url}/api/3/tags "
        "with HTTP 200. The body is not JSON (Content-Type text/html; charset=UTF-8). Such answers are retried as "
        "passing faults; if they persist, check that the API URL is the account's API address from Settings > "
        'Developer.")'
    )
    output = capfd.readouterr()
    assert CANARY_KEY not in output.out and CANARY_KEY not in output.err


def test_records_updated_and_inserted_between_pages_are_neither_lost_nor_repeated(
    emulator: Emulator, catalog, inputs: ConnectorInputs
) -> None:
    before = {stream: set(_emulator_ids(emulator, stream)) for stream in ("contacts", "deals")}
    emulator.set_options(mutate_every=2)

    run = _read(inputs, _config(emulator), catalog, {"contacts": "full_refresh", "deals": "full_refresh"})

    assert run.exit_code == 0, run.error_messages()
    for stream in ("contacts", "deals"):
        ids = _ids(run, stream)
        assert len(ids) == len(set(ids)), f"{stream}: a record came twice"
        assert before[stream] <= set(ids), f"{stream}: records present before the sync are missing"


def test_a_sync_killed_mid_read_resumes_from_its_last_state_and_loses_nothing(
    emulator: Emulator, catalog, inputs: ConnectorInputs
) -> None:
    # From a state of 2019 the contacts are read in 30-day windows, each checkpointed.
    initial_cursor = {"udate": "2019-01-01T00:00:00+0000"}
    initial_state = [
        {"type": "STREAM", "stream": {"stream_descriptor": {"name": "contacts"}, "stream_state": initial_cursor}}
    ]

    oldest_update = min(parse_date_time(row["udate"]) for row in emulator.dataset.rows("contacts"))

    def checkpointed_past_a_contact(run: KilledRun) -> bool:
        # Windows are read side by side and the state moves only when the oldest open one closes: a
        # state past the initial one may still stand before every contact's update time (its windows
        # held none), and a resume from it rightly reads them all. Only a state past a contact tests
        # that the resume skips what was read.
        return any(parse_date_time(state["stream"]["stream_state"]["udate"]) > oldest_update for state in run.states)

    emulator.set_options(latency_ms=30)
    killed = run_main_until_killed(
        _read_args(inputs, _config(emulator), catalog, {"contacts": "incremental"}, initial_state),
        checkpointed_past_a_contact,
    )
    first_records = killed.ids["contacts"]
    last_state = killed.states[-1]
    emulator.set_options(latency_ms=0)

    resumed = _read(inputs, _config(emulator), catalog, {"contacts": "incremental"}, state=[last_state])

    assert resumed.exit_code == 0, resumed.error_messages()
    all_contacts = set(_emulator_ids(emulator, "contacts"))
    assert first_records < all_contacts, "the first sync was not cut short"
    assert all_contacts <= first_records | set(_ids(resumed, "contacts"))
    assert len(set(_ids(resumed, "contacts"))) < len(all_contacts), "the resumed sync started over instead of resuming"


# --- bad input: a clear, actionable message -------------------------------------------------------


@pytest.mark.parametrize("forbidden_body", ["json", "empty"])
def test_check_with_a_revoked_key_fails_saying_where_to_find_the_key(
    emulator: Emulator, inputs: ConnectorInputs, forbidden_body: str
) -> None:
    emulator.set_options(forbidden_body=forbidden_body)

    run = _check(inputs, {"api_url": emulator.url, "api_key": "ac-revoked-key-0000000000000000"})

    status = run.connection_status()
    assert status["status"] == "FAILED"
    # The CDK reports the check's failure as the repr of its reason.
    assert status["message"] == repr(
        f"Stream api_user is not available: Stream 'api_user': ActiveCampaign answered {emulator.url}/api/3/users/me "
        "with HTTP 403. It refused the API key: the key is invalid, revoked, or its user lacks "
        "permission. Copy the key from Settings > Developer in ActiveCampaign."
    )


@pytest.mark.parametrize(
    "api_url, expected",
    [
        pytest.param("not a url", "is not a URL", id="not a URL"),
        pytest.param("http://youraccount.api-us1.com", "is not https", id="not https"),
        pytest.param(
            "https://youraccount.activehosted.com/app/contacts",
            "looks like a page of ActiveCampaign's website or web app",
            id="web app page",
        ),
    ],
)
def test_check_with_a_wrong_api_url_fails_saying_which_and_the_expected_form(
    inputs: ConnectorInputs, api_url: str, expected: str
) -> None:
    run = _check(inputs, {"api_url": api_url, "api_key": CANARY_KEY})

    status = run.connection_status()
    assert status["status"] == "FAILED"
    assert expected in status["message"] and "https://<account>.api-us1.com" in status["message"]


@pytest.mark.parametrize(
    "server, expected",
    [
        pytest.param(
            lambda: nullcontext(UNRESOLVABLE_URL),
            "Could not reach no-such-account.invalid: its host name could not be resolved (DNS).",
            id="host name that does not resolve",
        ),
        pytest.param(
            closed_port_url, "Could not reach {host}: the connection was refused", id="closed port on loopback"
        ),
        pytest.param(
            self_signed_tls_url,
            "Could not reach {host}: its TLS certificate is not trusted by this machine (self-signed certificate).",
            id="self-signed TLS certificate",
        ),
        pytest.param(
            # https: the TLS handshake waits the 10 s connect timeout, the shortest way to a silent server.
            lambda: silent_server_url("https"),
            "{host} accepted the connection but sent no answer within 10 s.",
            id="server that accepts and never answers",
        ),
    ],
)
def test_check_against_a_url_that_cannot_answer_fails_naming_host_and_cause(
    inputs: ConnectorInputs, server: Callable[[], AbstractContextManager[str]], expected: str
) -> None:
    with server() as url:
        run = _check(inputs, {"api_url": url, "api_key": CANARY_KEY})

    status = run.connection_status()
    assert status["status"] == "FAILED"
    assert expected.format(host=url.split("://", 1)[1]) in status["message"], status["message"]
    assert "https://<account>.api-us1.com" in status["message"]
    # One quick retry, then the answer: two attempts, one wait of a second.
    assert [log for log in run.logs() if "retrying" in log] == [
        log for log in run.logs() if "after 1 tries. Waiting 1 seconds then retrying" in log
    ]
    assert len([log for log in run.logs() if "retrying" in log]) == 1
    assert [log for log in run.logs() if "Rate limit" in log] == []


class _TrapHandler(BaseHTTPRequestHandler):
    hits: list[dict[str, str]] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        _TrapHandler.hits.append(dict(self.headers))
        body = b"<html>login</html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


def test_a_redirect_to_a_login_page_fails_check_and_nothing_is_sent_to_the_other_host(
    emulator: Emulator, inputs: ConnectorInputs
) -> None:
    trap = ThreadingHTTPServer(("127.0.0.1", 0), _TrapHandler)
    threading.Thread(target=trap.serve_forever, daemon=True).start()
    _TrapHandler.hits = []
    emulator.set_options(account_redirect=f"http://127.0.0.1:{trap.server_address[1]}/login/")
    try:
        run = _check(inputs, _config(emulator))
    finally:
        trap.shutdown()

    status = run.connection_status()
    assert status["status"] == "FAILED"
    assert status["message"] == repr(
        f"Stream api_user is not available: Stream 'api_user': ActiveCampaign answered {emulator.url}/api/3/users/me "
        "with HTTP 302. It redirected to another page instead of answering: the API URL is probably wrong (a wrong "
        "account name, or the account's web address). Copy the API URL from Settings > Developer in ActiveCampaign; "
        "it looks like https://<account>.api-us1.com."
    )
    assert _TrapHandler.hits == []


def test_a_stream_the_key_may_not_read_is_skipped_with_a_warning_and_the_others_sync(
    emulator: Emulator, catalog, inputs: ConnectorInputs
) -> None:
    emulator.set_options(forbidden_resources=frozenset({"lists"}))

    run = _read(inputs, _config(emulator), catalog, {"lists": "full_refresh", "tags": "full_refresh"})

    assert run.exit_code == 0, run.error_messages()
    assert run.records("lists") == []
    assert _ids(run, "tags") == _emulator_ids(emulator, "tags")
    assert [warning for warning in run.logs("WARN") if warning.startswith("Skipping stream")] == [
        f"Skipping stream 'lists': ActiveCampaign answered {emulator.url}/api/3/lists with HTTP 403 (\"You do not "
        "have permission to view lists.\"). Give the API key's user group that permission in ActiveCampaign "
        "(Settings > Users > Groups) to sync it."
    ]


def test_402_fails_quoting_the_api(emulator: Emulator, catalog, inputs: ConnectorInputs) -> None:
    emulator.set_options(payment_required=True)

    run = _read(inputs, _config(emulator), catalog, {"tags": "full_refresh"})

    assert run.exit_code == 1
    assert run.error_messages()[0] == (
        f"Stream 'tags': ActiveCampaign answered {emulator.url}/api/3/tags with HTTP 402 (\"Payment Required: this "
        "account's payment is past due and API access is suspended.\"). The account has a payment issue: its plan "
        "must be active for the API to answer."
    )


@pytest.mark.parametrize(
    "stream, path, status, body, expected",
    [
        # A 404 skips most streams (an account without the feature); lists exist in every account.
        pytest.param(
            "lists",
            "/lists$",
            404,
            {"message": "No Result found for _List with id 9"},
            'with HTTP 404 ("No Result found for _List with id 9"). Every account has this resource, so the API URL '
            "points somewhere else: check that it is the one shown under Settings > Developer.",
            id="404",
        ),
        pytest.param(
            "tags",
            "/tags$",
            422,
            {"errors": [{"title": "Invalid filter", "detail": "The filter field is not valid", "code": "invalid"}]},
            'with HTTP 422 ("The filter field is not valid"). ActiveCampaign did not accept the request the '
            "connector sent: please report this message to the connector's maintainers.",
            id="422",
        ),
    ],
)
def test_client_errors_fail_quoting_the_apis_own_text(
    emulator: Emulator,
    catalog,
    inputs: ConnectorInputs,
    stream: str,
    path: str,
    status: int,
    body: dict[str, Any],
    expected: str,
) -> None:
    emulator.faults.add(Fault("status", path_pattern=path, status=status, body=body))

    run = _read(inputs, _config(emulator), catalog, {stream: "full_refresh"})

    assert run.exit_code == 1
    assert (
        run.error_messages()[0]
        == f"Stream '{stream}': ActiveCampaign answered {emulator.url}/api/3{path[:-1]} {expected}"
    )


@pytest.mark.parametrize(
    "overrides, expected",
    [
        pytest.param(
            {"start_date": "next tuesday"},
            "Config field 'start_date': 'next tuesday' is not in the expected form",
            id="bad start_date",
        ),
        pytest.param(
            {"requests_per_second": 9},
            "Config field 'requests_per_second': 9 is greater than the maximum of 5",
            id="rps too high",
        ),
        pytest.param(
            {"requests_per_second": "fast"},
            "Config field 'requests_per_second': 'fast' is not of type 'integer'",
            id="rps not a number",
        ),
        pytest.param(
            {"extract_contact_custom_fields": "yes"},
            "Config field 'extract_contact_custom_fields': 'yes' is not of type 'boolean'",
            id="option not a boolean",
        ),
    ],
)
def test_a_bad_config_is_rejected_by_check_and_read_naming_the_field(
    emulator: Emulator, catalog, inputs: ConnectorInputs, overrides: dict[str, Any], expected: str
) -> None:
    config = _config(emulator, **overrides)

    check = _check(inputs, config)
    read = _read(inputs, config, catalog, {"tags": "full_refresh"})

    assert check.connection_status()["status"] == "FAILED" and expected in check.connection_status()["message"]
    assert read.exit_code == 1 and read.records() == []
    assert any(expected in message for message in read.error_messages())


@pytest.mark.parametrize(
    "state, warning",
    [
        pytest.param({"udate": "garbage"}, "'udate' is \"garbage\", not a date-time", id="corrupt cursor value"),
        pytest.param({"last_seen_id": 17}, "'udate' is null, not a date-time", id="state of another shape"),
    ],
)
def test_an_unusable_state_is_dropped_with_a_warning_and_the_stream_reads_everything(
    emulator: Emulator, catalog, inputs: ConnectorInputs, state: dict[str, Any], warning: str
) -> None:
    saved = [{"type": "STREAM", "stream": {"stream_descriptor": {"name": "contacts"}, "stream_state": state}}]

    run = _read(inputs, _config(emulator), catalog, {"contacts": "incremental"}, state=saved)

    assert run.exit_code == 0, run.error_messages()
    assert _ids(run, "contacts") == _emulator_ids(emulator, "contacts")
    assert any(warning in log for log in run.logs("WARN"))


def test_a_state_file_that_is_not_json_fails_naming_the_file(
    emulator: Emulator, catalog, inputs: ConnectorInputs
) -> None:
    broken = inputs.directory / "state.json"
    broken.write_text('[{"type": "STREAM", "stream": ')
    run = run_main(
        _read_args(inputs, _config(emulator), catalog, {"contacts": "incremental"}) + ["--state", str(broken)]
    )

    assert run.exit_code == 1
    assert any(
        f"The state file {broken} could not be used" in message and "without --state" in message
        for message in run.error_messages()
    )
    _assert_no_secret(run)


# --- secrets ---------------------------------------------------------------------------------------


def test_the_key_appears_in_no_output_of_spec_check_discover_and_a_full_read(
    emulator: Emulator, catalog, inputs: ConnectorInputs
) -> None:
    config = _config(emulator, extract_contact_custom_fields=True, extract_deal_custom_fields=True)
    runs = [
        run_main(["spec"]),
        _check(inputs, config),
        run_main(["discover", "--config", str(inputs.write("config.json", config))]),
        _read(inputs, config, catalog, sync_modes(catalog, incremental=False)),
    ]

    for connector_run in runs:
        assert connector_run.exit_code == 0, connector_run.error_messages()
        _assert_no_secret(connector_run)
    # The state holds no config value either.
    assert CANARY_KEY not in json.dumps(runs[-1].states())
