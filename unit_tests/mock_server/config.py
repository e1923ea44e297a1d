from typing import Any

API_URL = "https://testaccount.api-us1.com"
# Long and distinctive: the CDK masks secrets by substring in every log line, so a short key
# would mangle ordinary words.
API_KEY = "ac-unit-test-key-5f0c2d9e7b1a48c6"


class ConfigBuilder:
    def __init__(self) -> None:
        self._config: dict[str, Any] = {"api_url": API_URL, "api_key": API_KEY}

    def with_api_url(self, api_url: str) -> "ConfigBuilder":
        self._config["api_url"] = api_url
        return self

    def with_start_date(self, start_date: str) -> "ConfigBuilder":
        self._config["start_date"] = start_date
        return self

    def with_requests_per_second(self, requests_per_second: int) -> "ConfigBuilder":
        self._config["requests_per_second"] = requests_per_second
        return self

    def build(self) -> dict[str, Any]:
        return dict(self._config)
