"""Config: API URL normalisation (manifest `config_normalization_rules`) and the messages of
`config_checks` for every kind of bad input."""

import tempfile

import pytest

from source_activecampaign.config_checks import config_problems
from source_activecampaign.source import SourceActivecampaign
from unit_tests.mock_server.config import API_KEY

SPEC = SourceActivecampaign().spec(None).connectionSpecification


def _config(**fields: object) -> dict[str, object]:
    """A config with a good URL and key, and `fields` in place of or beside them."""
    return {"api_url": "https://acct.api-us1.com", "api_key": API_KEY, **fields}


def _normalised_api_url(api_url: str) -> str:
    """The config the source reads with, after the manifest's normalisation (``configure`` returns it)."""
    with tempfile.TemporaryDirectory() as folder:
        return str(SourceActivecampaign(config=_config(api_url=api_url)).configure({}, folder)["api_url"])


@pytest.mark.parametrize(
    "pasted",
    [
        pytest.param("https://acct.api-us1.com", id="as shown"),
        pytest.param("https://acct.api-us1.com/", id="trailing slash"),
        pytest.param("https://acct.api-us1.com/api/3", id="with /api/3"),
        pytest.param("https://acct.api-us1.com/api/3/", id="with /api/3/"),
        pytest.param("  https://acct.api-us1.com//api/3//  ", id="spaces and doubled slashes"),
        pytest.param("https://acct.api-us1.com/API/3/", id="with /API/3/ in capitals"),
        pytest.param("https://acct.api-us1.com/Api/3", id="with /Api/3 in mixed case"),
        pytest.param("acct.api-us1.com", id="no scheme"),
        pytest.param("acct.api-us1.com/api/3/", id="no scheme, with /api/3/"),
    ],
)
def test_given_pasted_api_url_when_normalised_then_scheme_and_host_only(pasted: str) -> None:
    assert _normalised_api_url(pasted) == "https://acct.api-us1.com"


def test_given_a_valid_config_then_no_problem() -> None:
    assert config_problems(_config(start_date="2024-01-01", requests_per_second=3), SPEC) == []
    assert config_problems(_config(deletions_check_days=0), SPEC) == []


def test_given_a_value_that_is_not_a_host_when_normalised_then_no_scheme_is_added() -> None:
    # Left as typed, so that the config check names it as not a URL instead of a made-up host.
    assert _normalised_api_url("not a url") == "not a url"


def test_given_loopback_http_then_accepted_for_local_test_servers() -> None:
    assert config_problems(_config(api_url="http://127.0.0.1:8080"), SPEC) == []
    assert config_problems(_config(api_url="http://localhost:8080"), SPEC) == []


@pytest.mark.parametrize(
    "config, expected",
    [
        pytest.param({"api_key": API_KEY}, "Config field 'api_url' is required.", id="missing api_url"),
        pytest.param(
            {"api_url": "https://acct.api-us1.com"}, "Config field 'api_key' is required.", id="missing api_key"
        ),
        pytest.param(
            _config(api_url="acct api-us1"),
            "Config field 'api_url': 'acct api-us1' is not a URL.",
            id="not a URL",
        ),
        pytest.param(_config(api_url="http://acct.api-us1.com"), "is not https", id="plain http"),
        pytest.param(
            _config(api_url="https://acct.activehosted.com/app/contacts"),
            "looks like a page of ActiveCampaign's website or web app",
            id="web app page",
        ),
        pytest.param(
            _config(api_url="https://www.activecampaign.com"),
            "looks like a page of ActiveCampaign's website",
            id="vendor website",
        ),
        pytest.param(
            _config(api_url=42),
            "Config field 'api_url': 42 is not of type 'string'",
            id="api_url not a string",
        ),
        pytest.param(
            _config(start_date="yesterday"),
            "Config field 'start_date': 'yesterday' is not in the expected form. YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ",
            id="bad start_date",
        ),
        pytest.param(
            _config(requests_per_second=7),
            "Config field 'requests_per_second': 7 is greater than the maximum of 5.",
            id="rps above 5",
        ),
        pytest.param(
            _config(requests_per_second=0),
            "Config field 'requests_per_second': 0 is less than the minimum of 1.",
            id="rps below 1",
        ),
        pytest.param(
            _config(requests_per_second="fast"),
            "Config field 'requests_per_second': 'fast' is not of type 'integer'",
            id="rps not a number",
        ),
        pytest.param(
            _config(deletions_check_days=400),
            "Config field 'deletions_check_days': 400 is greater than the maximum of 365. How often each incremental",
            id="deletion checks past a year",
        ),
        pytest.param(
            _config(deletions_check_days=-1),
            "Config field 'deletions_check_days': -1 is less than the minimum of 0.",
            id="deletion checks negative",
        ),
    ],
)
def test_given_bad_config_then_the_problem_names_the_field_and_the_fix(config, expected: str) -> None:
    problems = " ".join(config_problems(config, SPEC))
    assert expected in problems


def test_given_api_key_of_wrong_type_then_its_value_is_not_echoed() -> None:
    problems = " ".join(config_problems(_config(api_key=123456789), SPEC))
    assert "Config field 'api_key' is not a valid string." in problems
    assert "123456789" not in problems
