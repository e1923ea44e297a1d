import json
from typing import Any

import pytest
import requests

from source_activecampaign import progress
from source_activecampaign.progress.facts import SyncFacts

API = "https://acme.api-us1.com/api/3/"


class Clock:
    """Seconds that move only when a test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def sync(clock: Clock) -> SyncFacts:
    """A new sync for the test, the one the components' hooks report to."""
    return progress.begin_sync(clock)


def page(url: str, body: Any, status: int = 200) -> requests.Response:
    """An answer to ``url`` (relative to the API) with ``body``."""
    response = requests.Response()
    response.status_code = status
    response._content = json.dumps(body).encode()
    response.url = API + url
    return response
