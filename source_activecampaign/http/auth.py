"""The `Api-Token` header, sent only to the account's own host."""

import logging
from collections.abc import Mapping
from dataclasses import InitVar, dataclass
from typing import Any

import requests
from airbyte_cdk.sources.declarative.auth.declarative_authenticator import DeclarativeAuthenticator
from airbyte_cdk.sources.declarative.interpolation.interpolated_string import InterpolatedString
from airbyte_cdk.sources.types import Config

logger = logging.getLogger("airbyte")


def _drop_redirect_target(response: requests.Response, *args: Any, **kwargs: Any) -> None:
    # requests drops an Authorization header on a cross-host redirect but keeps any other header,
    # so it would carry Api-Token to whatever host the redirect names. Without its Location the
    # response is not a redirect to requests, and the error handler reports the 3xx instead.
    if response.is_redirect:
        del response.headers["Location"]


@dataclass
class ApiTokenAuthenticator(DeclarativeAuthenticator):
    """Sends the key in the ``Api-Token`` header, and only ever to the account's own host.

    ActiveCampaign answers a wrong account name with a redirect to a login page. Following it would
    send the key to another host, so responses to these requests are never followed.

    Usage::

        authenticator:
          type: CustomAuthenticator
          class_name: source_activecampaign.http.auth.ApiTokenAuthenticator
          api_token: "{{ config['api_key'] }}"
    """

    api_token: InterpolatedString | str
    config: Config
    parameters: InitVar[Mapping[str, Any]]

    def __post_init__(self, parameters: Mapping[str, Any] | None) -> None:
        self._api_token = InterpolatedString.create(self.api_token, parameters=parameters or {})

    @property
    def auth_header(self) -> str:
        return "Api-Token"

    @property
    def token(self) -> str:
        return str(self._api_token.eval(self.config))

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers.update(self.get_auth_header())
        # requests-stubs leave register_hook untyped; a prepared request always has the response list.
        request.hooks["response"].append(_drop_redirect_target)
        return request
