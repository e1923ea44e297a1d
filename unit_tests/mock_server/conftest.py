from pathlib import Path

import pytest
from airbyte_cdk.utils.constants import ENV_REQUEST_CACHE_PATH


@pytest.fixture(autouse=True)
def request_cache_of_this_test_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The CDK caches the answers of parent streams and of the custom-object schemas request. Without
    REQUEST_CACHE_PATH that cache is one in-memory database for the whole process, so a test could
    be answered from another test's responses instead of its own mocks; a directory per test keeps
    each test's cache to itself."""
    monkeypatch.setenv(ENV_REQUEST_CACHE_PATH, str(tmp_path))
