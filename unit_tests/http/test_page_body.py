"""A page's body parsed once: what the decoder yields and what response.json() returns are the CDK's."""

import pytest
import requests
from airbyte_cdk.sources.declarative.decoders import JsonDecoder

from source_activecampaign.http.page_body import PageBodyDecoder, page_body, parsed_body_served

BODIES = [
    b'{"contacts": [{"id": "1"}], "meta": {"total": "1"}}',
    b'[{"id": "1"}, {"id": "2"}]',
    b"[]",
    b"{}",
    b"",
    b"null",
    b"0",
    b"<html>Bad gateway</html>",
    b'{"value": NaN}',
    b'{"cut": [1, 2',
]


def _response(content: bytes) -> requests.Response:
    response = requests.Response()
    response.status_code = 200
    response._content = content
    return response


@pytest.mark.parametrize("content", BODIES)
def test_the_decoder_yields_what_the_cdks_json_decoder_yields(content: bytes) -> None:
    ours = list(PageBodyDecoder(parameters={}).decode(_response(content)))
    cdk = list(JsonDecoder(parameters={}).decode(_response(content)))
    assert repr(ours) == repr(cdk)


def test_the_body_is_parsed_once_and_the_same_object_is_read_each_time() -> None:
    response = _response(BODIES[0])
    decoder = PageBodyDecoder(parameters={})

    first, again = next(decoder.decode(response)), next(decoder.decode(response))

    assert first is again is page_body(response)
    assert first == {"contacts": [{"id": "1"}], "meta": {"total": "1"}}


@pytest.mark.parametrize("content", BODIES)
def test_response_json_gives_what_requests_gives_or_raises_as_it_does(content: bytes) -> None:
    served, plain = _response(content), _response(content)
    with parsed_body_served(served):
        try:
            expected = plain.json()
        except requests.exceptions.JSONDecodeError:
            with pytest.raises(requests.exceptions.JSONDecodeError):
                served.json()
            return
        assert repr(served.json()) == repr(expected)


def test_response_json_is_the_parsed_body_itself_while_served_and_its_own_after() -> None:
    response = _response(BODIES[0])
    with parsed_body_served(response):
        assert response.json() is page_body(response)
    assert response.json() is not page_body(response) and response.json() == page_body(response)


def test_a_response_does_not_hold_its_parsed_body_which_the_thread_keeps_for_its_last_pages_only() -> None:
    response = _response(BODIES[0])
    first = page_body(response)
    assert page_body(response) is first
    for other in BODIES[1:4]:
        page_body(_response(other))
    assert page_body(response) is not first and page_body(response) == first
    assert all(value is not first for value in vars(response).values())
