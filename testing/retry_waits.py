"""The waits before the HTTP client's retries, skipped in tests that run the connector in process."""

from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace
from unittest.mock import Mock, patch


@contextmanager
def retry_waits_skipped() -> Iterator[Mock]:
    """Skips the waits the CDK's HTTP client takes before a retry (a 429's Retry-After, a 5xx's
    backoff) and hands the mock that records them; the rate budget's waits are kept.

    Patching ``time.sleep`` itself would also skip the budget's waits between requests: its
    acquire then retries without waiting and, on a fast machine, runs through its 100,000 attempts
    and fails the read with ``CallRateLimitHit`` once a read makes more than a second's calls."""
    sleep = Mock()
    waits = SimpleNamespace(sleep=sleep)
    with (
        patch("airbyte_cdk.sources.streams.http.rate_limiting.time", waits),
        patch("backoff._sync.time", waits),
    ):
        yield sleep
