"""Records of the emulator's seeded account: envelopes, meta, sideloads, single records, value
types, dates, determinism."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest

from activecampaign_emulator import Emulator
from activecampaign_emulator.collection_specs import SPECS
from activecampaign_emulator.dates import ACCOUNT_TZ, NULL
from activecampaign_emulator.seeding import time_span
from emulator_tests.emulator_client import api_session, date_form, get, parse_iso

NO_META = {
    "dealCustomFieldMeta",
    "accountCustomFieldMeta",
    "accountCustomFieldData",
    "ecomOrderProducts",
    "siteTrackingDomains",
}

# Lists served as /api/3/<collection> (custom-object records are under /customObjects/records/).
ROUTED = sorted(collection for collection, spec in SPECS.items() if spec.routed)
# Rows with no id, whose single record cannot be read (test_emulator_collections.py).
WITHOUT_ID = {"siteTrackingDomains"}


INT_TOTAL = {"deals", "dealCustomFieldData"}


SINGULARS = {
    "dealCustomFieldMeta": "dealCustomFieldMetum",
    "dealCustomFieldData": "dealCustomFieldDatum",
    "accountCustomFieldMeta": "accountCustomFieldMetum",
    "accountCustomFieldData": "accountCustomFieldDatum",
    "addresses": "address",
    "dealActivities": "dealActivity",
    "contactData": "contactDatum",
}


@pytest.mark.parametrize("collection", ROUTED)
def test_list_envelope_and_meta_form(emulator: Emulator, collection: str) -> None:
    r = get(emulator, collection)
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "application/json"
    assert r.headers["X-Request-Id"]
    assert int(r.headers["Content-Length"]) == len(r.content)
    body = r.json()
    rows = body[collection]
    assert rows, f"{collection} is empty"
    assert collection in WITHOUT_ID or all(isinstance(row["id"], str) for row in rows)
    if collection in NO_META:
        assert "meta" not in body
    elif collection in INT_TOTAL:
        assert isinstance(body["meta"]["total"], int)
    else:
        assert isinstance(body["meta"]["total"], str)
    if "meta" in body:
        assert int(body["meta"]["total"]) == len(emulator.dataset.rows(collection))


def test_collection_specific_meta_and_sideloads(emulator: Emulator) -> None:
    contacts = get(emulator, "contacts").json()
    assert contacts["scoreValues"] == []
    assert contacts["meta"]["sortable"] is True
    page_input = contacts["meta"]["page_input"]
    assert page_input["limit"] == 20 and page_input["offset"] == 0 and page_input["status"] == -1
    assert re.fullmatch(r"[0-9a-f]{32}", page_input["cacheid"])

    deals = get(emulator, "deals").json()
    currencies = deals["meta"]["currencies"]
    assert isinstance(currencies, dict) and currencies
    assert sum(int(c["total"]) for c in currencies.values()) == deals["meta"]["total"]
    assert all(code.isupper() and c["currency"] == code for code, c in currencies.items())
    empty = get(emulator, "deals?filters[updated_after]=2099-01-01").json()
    assert empty["meta"] == {"currencies": [], "total": 0}

    groups = get(emulator, "dealGroups").json()
    stage_ids = {s["id"] for s in groups["dealStages"]}
    assert stage_ids == {sid for g in groups["dealGroups"] for sid in g["stages"]}
    assert all(s["group"] in {g["id"] for g in groups["dealGroups"]} for s in groups["dealStages"])

    fields = get(emulator, "fields").json()
    assert fields["meta"]["selected"] is None
    assert {o["id"] for o in fields["fieldOptions"]} == {o for f in fields["fields"] for o in f["options"]}
    assert {r["id"] for r in fields["fieldRels"]} == {o for f in fields["fields"] for o in f["relations"]}
    assert {f["type"] for f in fields["fields"]} >= {"dropdown", "radio", "checkbox", "text", "date"}
    assert all(f["perstag"] for f in fields["fields"])

    assert get(emulator, "automations").json()["meta"]["filtered"] is False
    assert get(emulator, "contactAutomations").json()["meta"]["showcase_stats"] == []


def test_every_resource_non_empty_at_20_contacts(start_emulator: Callable[..., Emulator]) -> None:
    emulator = start_emulator(contacts=20)
    for collection in SPECS:
        assert emulator.dataset.rows(collection), collection
    for collection in ROUTED:
        assert get(emulator, collection).json()[collection], collection


def test_single_records_and_singular_keys(emulator: Emulator) -> None:
    for collection in set(ROUTED) - WITHOUT_ID:
        spec = SPECS[collection]
        row = emulator.dataset.rows(collection)[0]
        body = get(emulator, f"{collection}/{row['id']}").json()
        assert spec.singular == SINGULARS.get(collection, spec.singular)
        assert body[spec.singular]["id"] == row["id"], collection
    contact = get(emulator, "contacts/1").json()
    for side in ("contactAutomations", "contactLists", "deals", "fieldValues", "geoIps", "accountContacts"):
        assert isinstance(contact[side], list)
        assert contact["contact"][side] == [x["id"] for x in contact[side]]
    assert "dealStages" in get(emulator, "dealGroups/1").json()
    me = get(emulator, "users/me").json()
    assert me["user"]["id"] == "1" and me["user"]["cdate"] is None


def test_sub_resource_lists_have_no_meta(emulator: Emulator) -> None:
    campaign = emulator.dataset.rows("campaigns")[0]["id"]
    body = get(emulator, f"campaigns/{campaign}/links").json()
    assert list(body) == ["links"] and body["links"]
    assert all(link["campaignid"] == campaign for link in body["links"])
    order = emulator.dataset.rows("ecomOrders")[0]
    body = get(emulator, f"ecomOrders/{order['id']}/orderProducts").json()
    assert list(body) == ["ecomOrderProducts"]
    assert [p["id"] for p in body["ecomOrderProducts"]] == order["orderProducts"]
    assert order["totalProducts"] == len(order["orderProducts"])
    assert get(emulator, "campaigns/999999/links").status_code == 404


def test_not_found_shapes(emulator: Emulator) -> None:
    r = get(emulator, "tags/999999")
    assert r.status_code == 404 and r.json() == {"message": "No Result found for Tag with id 999999"}
    assert get(emulator, "contacts/999999").json() == {"message": "No Result found for Subscriber with id 999999"}
    assert get(emulator, "lists/999999").json() == {"message": "No Result found for _List with id 999999"}
    r = get(emulator, "accountCustomFieldMeta/999999")
    assert r.status_code == 404 and r.json() == {"errors": [{"status": 404, "title": "Not Found"}]}
    r = get(emulator, "noSuchThing")
    assert r.status_code == 404 and "message" in r.json()
    r = api_session(emulator).post(f"{emulator.url}/api/3/contacts", json={})
    assert r.status_code == 405 and r.headers["Content-Type"] == "application/json"


def test_php_style_json(emulator: Emulator) -> None:
    raw = get(emulator, "contacts?limit=100").content
    assert b"\\/" in raw and b"http://" not in raw
    assert all(b < 0x80 for b in raw)
    assert b"\\u" in raw  # non-ASCII names are escaped


def test_value_types_and_date_forms(emulator: Emulator) -> None:
    contacts = emulator.dataset.rows("contacts")
    offsets = {c["cdate"][-6:] for c in contacts}
    assert offsets == {"-05:00", "-06:00"}  # DST shows in the data
    for c in contacts[:50]:
        local = parse_iso(c["cdate"]).astimezone(ACCOUNT_TZ)
        assert c["created_utc_timestamp"] == local.strftime("%Y-%m-%d %H:%M:%S")  # "utc" is local wall clock
        assert c["email_empty"] is False
    assert any(c["deleted_at"] == "0000-00-00 00:00:00" for c in contacts)
    assert any(c["deleted_at"] is None for c in contacts)
    assert any(not c["firstName"].isascii() for c in contacts)
    lo, hi = datetime(2019, 1, 1, tzinfo=ACCOUNT_TZ), datetime(2025, 7, 1, tzinfo=ACCOUNT_TZ)
    assert all(lo <= parse_iso(c["cdate"]) <= parse_iso(c["udate"]) < hi for c in contacts)
    stages = emulator.dataset.rows("dealStages")
    assert any(s["cdate"] is None and s["udate"] is None for s in stages)
    meta = emulator.dataset.rows("dealCustomFieldMeta")[0]
    assert meta["createdTimestamp"].endswith("+00:00") and isinstance(meta["isFormVisible"], int)
    datum = emulator.dataset.rows("dealCustomFieldData")[0]
    assert isinstance(datum["dealId"], int) and isinstance(datum["id"], str)
    deal = emulator.dataset.rows("deals")[0]
    assert isinstance(deal["isDisabled"], bool) and deal["value"].isdigit()
    ids = [int(c["id"]) for c in contacts]
    assert ids != list(range(ids[0], ids[0] + len(ids)))  # sparse ids


def test_cross_references_are_consistent(emulator: Emulator) -> None:
    ds = emulator.dataset
    contact_ids = {c["id"] for c in ds.rows("contacts")}
    stage_group = {s["id"]: s["group"] for s in ds.rows("dealStages")}
    for d in ds.rows("deals"):
        assert d["contact"] in contact_ids and stage_group[d["stage"]] == d["group"]
    field_ids = {f["id"] for f in ds.rows("fields")}
    assert all(v["contact"] in contact_ids and v["field"] in field_ids for v in ds.rows("fieldValues"))
    deal_ids = {int(d["id"]) for d in ds.rows("deals")}
    assert all(x["dealId"] in deal_ids for x in ds.rows("dealCustomFieldData"))


def test_deterministic_for_seed() -> None:
    a, b, c = Emulator(contacts=30, seed=1), Emulator(contacts=30, seed=1), Emulator(contacts=30, seed=2)
    assert a.dataset.rows("contacts") == b.dataset.rows("contacts")
    assert a.dataset.rows("deals") == b.dataset.rows("deals")
    assert a.dataset.rows("contacts") != c.dataset.rows("contacts")


def test_data_until_moves_every_seeded_date(monkeypatch: pytest.MonkeyPatch) -> None:
    default = Emulator(contacts=60, seed=5)
    assert Emulator(contacts=60, seed=5, data_until="2025-06-30").dataset.rows("contacts") == default.dataset.rows(
        "contacts"
    )
    moved = Emulator(contacts=60, seed=5, data_until="2026-11-20")
    assert moved.dataset.rows("deals") == Emulator(contacts=60, seed=5, data_until=date(2026, 11, 20)).dataset.rows(
        "deals"
    )
    end = datetime(2026, 11, 20, 23, 59, 59, tzinfo=ACCOUNT_TZ)
    shift = moved.dataset.clock.shift
    assert shift == end.timestamp() - datetime(2025, 6, 30, 23, 59, 59, tzinfo=ACCOUNT_TZ).timestamp()
    for name, table in default.dataset.tables.items():  # the same rows, every date moved by the same shift
        other = moved.dataset.tables[name]
        assert list(other.ids) == list(table.ids) and other.cols == table.cols, name
        for column in ("created", "updated"):
            assert list(getattr(other, column)) == [v if v == NULL else v + shift for v in getattr(table, column)], name
    for name in ("contacts", "deals", "fieldValues", "notes"):  # records differ only in date strings
        for a, b in zip(default.dataset.rows(name), moved.dataset.rows(name), strict=True):
            assert {k for k in a if a[k] != b[k] and not date_form(b[k])} == set(), name
    contacts = moved.dataset.rows("contacts")
    newest = max(parse_iso(c["udate"]) for c in contacts)
    assert end - timedelta(days=90) < newest <= end
    assert min(parse_iso(c["cdate"]) for c in contacts) >= end - timedelta(days=2373)  # 2019-01-01..2025-06-30
    monkeypatch.setattr(time_span, "now_epoch", lambda: 1_780_000_000)
    now = Emulator(contacts=20, seed=5, data_until="now").dataset.clock
    assert now.end == 1_780_000_000 and now.span == moved.dataset.clock.span
    for bad in ("2026-13-01", "yesterday", "2026-11-20T10:00"):
        with pytest.raises(ValueError):
            Emulator(contacts=20, data_until=bad)
