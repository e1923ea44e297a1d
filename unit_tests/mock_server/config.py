from typing import Any

API_URL = "https://testaccount.api-us1.com"
# Long and distinctive: the CDK masks secrets by substring in every log line, so a short key
# would mangle ordinary words.
API_KEY = "ac-unit-test-key-5f0c2d9e7b1a48c6"


class ConfigBuilder:
    def __init__(self) -> None:
        self._config: dict[str, Any] = {"api_url": API_URL, "api_key": API_KEY}

    def with_start_date(self, start_date: str) -> "ConfigBuilder":
        self._config["start_date"] = start_date
        return self

    def without_deletion_checks(self) -> "ConfigBuilder":
        """deletions_check_days 0: for tests of other behaviours that start from a saved state, which
        would otherwise lack the deletion keys and run the deletion check's first (baseline) read."""
        self._config["deletions_check_days"] = 0
        return self

    def with_adapt_to_other_clients(self, adapt: bool) -> "ConfigBuilder":
        self._config["adapt_to_other_clients"] = adapt
        return self

    def build(self) -> dict[str, Any]:
        return dict(self._config)
