from typing import Any

from airbyte_cdk.test.mock_http import HttpRequest

from unit_tests.mock_server.config import API_KEY, API_URL


class ActiveCampaignRequestBuilder:
    """A GET on /api/3/<path> with the exact query the connector must send."""

    def __init__(self, path: str) -> None:
        self._path = path
        self._query: dict[str, Any] = {}

    @classmethod
    def collection(cls, path: str) -> "ActiveCampaignRequestBuilder":
        return cls(path)

    def with_offset_page(self, offset: int) -> "ActiveCampaignRequestBuilder":
        self._query.update({"limit": "100", "offset": str(offset)})
        return self

    def with_keyset_page(
        self, id_greater: int | None = None, id_less: int | None = None
    ) -> "ActiveCampaignRequestBuilder":
        self._query.update({"limit": "100", "orders[id]": "ASC"})
        if id_greater is not None:
            self._query["id_greater"] = str(id_greater)
        if id_less is not None:
            self._query["id_less"] = str(id_less)
        return self

    @classmethod
    def newest_contact(cls) -> "ActiveCampaignRequestBuilder":
        return cls("contacts").with_param("orders[id]", "DESC").with_param("limit", "1")

    def with_update_window(self, updated_after: str, updated_before: str) -> "ActiveCampaignRequestBuilder":
        """An incremental window of contacts or deals: updated_after inclusive, updated_before exclusive."""
        return self.with_param("filters[updated_after]", updated_after).with_param(
            "filters[updated_before]", updated_before
        )

    def with_param(self, name: str, value: str) -> "ActiveCampaignRequestBuilder":
        self._query[name] = value
        return self

    def build(self) -> HttpRequest:
        return HttpRequest(
            url=f"{API_URL}/api/3/{self._path}",
            query_params=self._query or None,
            headers={"Api-Token": API_KEY},
        )
