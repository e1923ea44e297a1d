"""Collections with their own rules: custom objects, the site tracking whitelist, activities, and
features an account may not have."""

from __future__ import annotations

from collections.abc import Callable

from activecampaign_emulator import Emulator
from activecampaign_emulator.seeding import CUSTOM_OBJECT_SCHEMAS
from emulator_tests.emulator_client import get


def test_custom_object_schemas_of_different_shapes_and_their_records_paged(
    start_emulator: Callable[..., Emulator],
) -> None:
    emulator = start_emulator(contacts=60)
    body = get(emulator, "customObjects/schemas").json()
    schemas = body["schemas"]
    assert [schema["slug"] for schema in schemas] == [schema.slug for schema in CUSTOM_OBJECT_SCHEMAS]
    assert body["meta"] == {"total": 3, "count": 3, "limit": 20, "offset": 0}
    assert len({tuple(field["type"] for field in schema["fields"]) for schema in schemas}) == 3
    assert {field["type"] for schema in schemas for field in schema["fields"]} == {
        "text",
        "textarea",
        "number",
        "currency",
        "date",
        "datetime",
        "dropdown",
        "multiselect",
    }
    orders = schemas[0]
    assert get(emulator, f"customObjects/schemas/{orders['id']}").json() == {"schema": orders}

    first = get(emulator, f"customObjects/records/{orders['id']}?limit=4&offset=0").json()
    rest = get(emulator, f"customObjects/records/{orders['id']}?limit=4&offset=4").json()
    total = first["meta"]["total"]
    assert total == 6 and first["meta"] == {"total": 6, "count": 4, "limit": 4, "offset": 0}
    records = first["records"] + rest["records"]
    assert len({record["id"] for record in records}) == total
    record = records[0]
    assert set(record) == {
        "id",
        "externalId",
        "schemaId",
        "fields",
        "relationships",
        "createdTimestamp",
        "updatedTimestamp",
    }
    assert record["schemaId"] == orders["id"] and record["relationships"]["primary-contact"][0].isdigit()
    assert record["createdTimestamp"].endswith("Z") and len(record["createdTimestamp"].split(".")[1]) == 10
    assert {field["id"] for field in record["fields"]} <= {field["id"] for field in orders["fields"]}
    assert get(emulator, "customObjects/records/not-a-schema").status_code == 404
    assert get(emulator, "customObjectRecords").status_code == 404


def test_custom_objects_refused_on_a_plan_without_them(start_emulator: Callable[..., Emulator]) -> None:
    emulator = start_emulator(forbidden_resources="customObjects")
    assert get(emulator, "customObjects/schemas").status_code == 403
    emulator.set_options(forbidden_resources="", missing_resources="customObjects")
    assert get(emulator, "customObjects/schemas").status_code == 404


def test_site_tracking_domains_are_names_without_id_paging_or_meta(start_emulator: Callable[..., Emulator]) -> None:
    emulator = start_emulator()
    body = get(emulator, "siteTrackingDomains?limit=1&offset=1").json()
    assert list(body) == ["siteTrackingDomains"]
    domains = sorted(row["name"] for row in body["siteTrackingDomains"])
    assert domains == sorted(row["name"] for row in emulator.dataset.rows("siteTrackingDomains"))
    assert len(domains) == 3 and all(list(row) == ["name"] for row in body["siteTrackingDomains"])
    single = get(emulator, "siteTrackingDomains/example.com")
    assert single.status_code == 405 and single.headers["Allow"] == "DELETE"


def test_activities_filter_on_contact_and_after_and_may_require_a_contact(
    start_emulator: Callable[..., Emulator],
) -> None:
    emulator = start_emulator()
    rows = emulator.dataset.rows("activities")
    contact = rows[0]["subscriberid"]
    by_contact = get(emulator, f"activities?contact={contact}&limit=100").json()["activities"]
    assert sorted(row["id"] for row in by_contact) == sorted(
        row["id"] for row in rows if row["subscriberid"] == contact
    )
    middle = sorted(row["tstamp"] for row in rows)[len(rows) // 2]
    after = get(emulator, f"activities?after={middle}&limit=100").json()["activities"]
    assert after and {row["id"] for row in after} == {row["id"] for row in rows if row["tstamp"] >= middle}

    emulator.set_options(activities_require_contact=True)
    refused = get(emulator, "activities")
    assert refused.status_code == 422
    assert refused.json() == {
        "errors": [{"status": 422, "title": "Invalid Input Parameter", "detail": "Parameter contact is required."}]
    }
    assert get(emulator, f"activities?contact={contact}").status_code == 200


def test_collections_of_missing_features_answer_404_like_an_unknown_route(
    start_emulator: Callable[..., Emulator],
) -> None:
    emulator = start_emulator(missing_resources="sms,links")
    missing = get(emulator, "sms")
    assert missing.status_code == 404 and missing.json() == {"message": "Unknown resource: sms"}
    campaign = emulator.dataset.rows("campaigns")[0]["id"]
    assert get(emulator, f"campaigns/{campaign}/links").status_code == 404
    assert get(emulator, "conversions").status_code == 200
