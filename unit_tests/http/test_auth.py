"""The Api-Token header, and redirects never followed."""

import requests

from source_activecampaign.http.auth import ApiTokenAuthenticator, _drop_redirect_target


def test_api_token_authenticator_sets_the_header_and_refuses_to_follow_redirects() -> None:
    authenticator = ApiTokenAuthenticator(
        api_token="{{ config['api_key'] }}", config={"api_key": "k-123"}, parameters={}
    )
    request = requests.Request("GET", "https://acct.api-us1.com/api/3/users/me").prepare()

    authenticator(request)
    redirect = requests.Response()
    redirect.status_code = 302
    redirect.headers["Location"] = "https://www.activecampaign.com/login/"
    for hook in request.hooks["response"]:
        hook(redirect)

    assert request.headers["Api-Token"] == "k-123"
    assert redirect.status_code == 302 and not redirect.is_redirect


def test_redirect_hook_leaves_ordinary_responses_alone() -> None:
    response = requests.Response()
    response.status_code = 200
    response.headers["Location"] = "https://acct.api-us1.com/api/3/contacts/1"

    _drop_redirect_target(response)

    assert response.headers["Location"] == "https://acct.api-us1.com/api/3/contacts/1"
