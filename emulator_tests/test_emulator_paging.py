"""Paging, ordering, filters and include= on the emulator's lists."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
import requests

from activecampaign_emulator import Emulator
from activecampaign_emulator.dates import ACCOUNT_TZ
from emulator_tests.emulator_client import api_session, get, parse_iso, walk_offset


def test_paging_default_clamp_offset(emulator: Emulator) -> None:
    assert len(get(emulator, "contacts").json()["contacts"]) == 20
    assert len(get(emulator, "contacts?limit=1000").json()["contacts"]) == 100
    assert len(get(emulator, "contacts?limit=7").json()["contacts"]) == 7
    first = [c["id"] for c in get(emulator, "contacts?limit=40").json()["contacts"]]
    second = [c["id"] for c in get(emulator, "contacts?limit=20&offset=20").json()["contacts"]]
    assert second == first[20:]
    assert get(emulator, "contacts?offset=100000").json()["contacts"] == []
    assert get(emulator, "contacts?limit=abc").status_code == 422
    assert get(emulator, "contacts?offset=1.5").status_code == 422


@pytest.mark.parametrize("collection", ["contacts", "deals", "fieldValues", "contactTags"])
def test_full_offset_walk_returns_every_row_once(emulator: Emulator, collection: str) -> None:
    rows = walk_offset(emulator, collection)
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    assert set(ids) == {r["id"] for r in emulator.dataset.rows(collection)}


def test_no_default_order_by_id_but_stable(emulator: Emulator) -> None:
    ids = [int(c["id"]) for c in get(emulator, "contacts?limit=100").json()["contacts"]]
    assert ids != sorted(ids) and ids != sorted(ids, reverse=True)
    assert ids == [int(c["id"]) for c in get(emulator, "contacts?limit=100").json()["contacts"]]


def test_orders(emulator: Emulator) -> None:
    asc = [int(c["id"]) for c in walk_offset(emulator, "contacts", "&orders[id]=ASC")]
    assert asc == sorted(asc)
    desc = [int(c["id"]) for c in get(emulator, "contacts?limit=100&orders[id]=desc").json()["contacts"]]
    assert desc == sorted(asc, reverse=True)[:100]
    by_cdate = get(emulator, "deals?limit=100&orders[cdate]=ASC").json()["deals"]
    assert [parse_iso(d["cdate"]) for d in by_cdate] == sorted(parse_iso(d["cdate"]) for d in by_cdate)
    by_mdate = get(emulator, "deals?limit=100&orders[mdate]=DESC").json()["deals"]
    assert [parse_iso(d["mdate"]) for d in by_mdate] == sorted((parse_iso(d["mdate"]) for d in by_mdate), reverse=True)
    r = get(emulator, "contacts?orders[id]=DASC")
    assert r.status_code == 422
    error = r.json()["errors"][0]
    assert error["title"] == "The orders direction is invalid" and error["source"] == {"pointer": "/orders"}


def test_id_greater_keyset_walk(emulator: Emulator) -> None:
    session = api_session(emulator)
    seen: list[int] = []
    last = 0
    while True:
        page = session.get(f"{emulator.url}/api/3/contacts?orders[id]=ASC&limit=100&id_greater={last}").json()[
            "contacts"
        ]
        seen.extend(int(c["id"]) for c in page)
        if len(page) < 100:
            break
        last = int(page[-1]["id"])
    assert seen == sorted({int(c["id"]) for c in emulator.dataset.rows("contacts")})
    body = get(emulator, f"contacts?orders[id]=ASC&id_greater={seen[10]}&id_less={seen[20]}").json()
    assert [int(c["id"]) for c in body["contacts"]] == seen[11:20]
    assert body["meta"]["total"] == "9"


def _formats(value: str) -> dict[str, str]:
    """One instant in each accepted filter format."""
    dt = parse_iso(value)
    utc = dt.astimezone(timezone.utc)
    off = dt.strftime("%z")
    return {
        "iso-offset": dt.isoformat(),
        "iso-compact-offset": dt.strftime("%Y-%m-%dT%H:%M:%S") + off,
        "iso-z": utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "iso-z-fraction": utc.strftime("%Y-%m-%dT%H:%M:%S.000000Z"),
        "naive-local": dt.strftime("%Y-%m-%d %H:%M:%S"),
    }


@pytest.mark.parametrize("collection,field", [("contacts", "udate"), ("deals", "mdate")])
def test_updated_after_and_before_in_each_format(emulator: Emulator, collection: str, field: str) -> None:
    rows = emulator.dataset.rows(collection)
    pivot = sorted(rows, key=lambda r: parse_iso(r[field]))[len(rows) // 2]
    at = parse_iso(pivot[field])
    expect_after = {r["id"] for r in rows if parse_iso(r[field]) >= at}
    expect_before = {r["id"] for r in rows if parse_iso(r[field]) < at}
    for name, value in _formats(pivot[field]).items():
        after = {
            r["id"] for r in walk_offset(emulator, collection, f"&filters[updated_after]={requests.utils.quote(value)}")
        }
        before = {
            r["id"]
            for r in walk_offset(emulator, collection, f"&filters[updated_before]={requests.utils.quote(value)}")
        }
        assert after == expect_after, name
        assert before == expect_before, name
        assert pivot["id"] in after and pivot["id"] not in before  # >= and <
    day = at.strftime("%Y-%m-%d")
    midnight = datetime.fromisoformat(day).replace(tzinfo=ACCOUNT_TZ)
    date_only = {r["id"] for r in walk_offset(emulator, collection, f"&filters[updated_after]={day}")}
    assert date_only == {r["id"] for r in rows if parse_iso(r[field]) >= midnight}
    assert get(emulator, f"{collection}?filters[updated_after]=yesterday").status_code == 422


def test_created_filters_and_combination(emulator: Emulator) -> None:
    rows = emulator.dataset.rows("contacts")
    bound = "2022-01-01T00:00:00-06:00"
    got = {
        r["id"] for r in walk_offset(emulator, "contacts", f"&filters[created_before]={requests.utils.quote(bound)}")
    }
    assert got == {r["id"] for r in rows if parse_iso(r["cdate"]) < parse_iso(bound)}
    both = walk_offset(emulator, "contacts", "&filters[created_after]=2021-01-01&filters[updated_before]=2024-01-01")
    assert all(parse_iso(r["cdate"]) >= datetime(2021, 1, 1, tzinfo=ACCOUNT_TZ) for r in both)


def test_deals_windows_of_creation_time_split_the_deals_with_their_totals(emulator: Emulator) -> None:
    # created_after is >= and created_before < (https://developers.activecampaign.com/reference/list-all-deals),
    # so windows sharing a bound hold every deal once, the deal at the bound in the later window.
    rows = emulator.dataset.rows("deals")
    bound = sorted(rows, key=lambda r: parse_iso(r["cdate"]))[len(rows) // 2]["cdate"]
    before = f"&filters[created_before]={requests.utils.quote(bound)}"
    after = f"&filters[created_after]={requests.utils.quote(bound)}"
    earlier, later = ({r["id"] for r in walk_offset(emulator, "deals", part)} for part in (before, after))
    assert earlier | later == {r["id"] for r in rows} and not earlier & later
    assert [r["id"] for r in rows if r["cdate"] == bound][0] in later
    totals = [get(emulator, f"deals?limit=1{part}").json()["meta"]["total"] for part in (before, after)]
    assert totals == [len(earlier), len(later)]


def test_contact_filters(emulator: Emulator) -> None:
    ds = emulator.dataset
    target = ds.rows("contacts")[5]
    body = get(emulator, f"contacts?email={requests.utils.quote(target['email'])}").json()
    assert [c["id"] for c in body["contacts"]] == [target["id"]]
    assert get(emulator, "contacts?email=nobody%40example.com").json()["contacts"] == []
    list_id = ds.rows("lists")[0]["id"]
    in_list = {m["contact"] for m in ds.rows("contactLists") if m["list"] == list_id}
    assert {c["id"] for c in walk_offset(emulator, "contacts", f"&listid={list_id}")} == in_list
    unsub = {m["contact"] for m in ds.rows("contactLists") if m["list"] == list_id and m["status"] == "2"}
    assert {c["id"] for c in walk_offset(emulator, "contacts", f"&listid={list_id}&status=2")} == unsub
    tag_id = ds.rows("tags")[0]["id"]
    tagged = {m["contact"] for m in ds.rows("contactTags") if m["tag"] == tag_id}
    assert {c["id"] for c in walk_offset(emulator, "contacts", f"&tagid={tag_id}")} == tagged
    some = [c["id"] for c in ds.rows("contacts")[:3]]
    got = get(emulator, "contacts?" + "&".join(f"ids[]={i}" for i in some)).json()["contacts"]
    assert sorted(c["id"] for c in got) == sorted(some)
    assert get(emulator, "contacts?unknown_param=1&filters[nope]=2").status_code == 200


def test_other_filters(emulator: Emulator) -> None:
    ds = emulator.dataset
    group = ds.rows("dealGroups")[1]
    stages = get(emulator, f"dealStages?filters[d_groupid]={group['id']}").json()["dealStages"]
    assert stages and {s["group"] for s in stages} == {group["id"]}
    assert sorted(s["id"] for s in stages) == sorted(group["stages"])
    assert 4 <= len(stages) <= 6
    titled = get(emulator, "dealStages?filters[title]=follow").json()["dealStages"]
    assert titled and all("follow" in s["title"].lower() for s in titled)
    deals = walk_offset(emulator, "deals", f"&filters[group]={group['id']}&filters[status]=0")
    assert deals and all(d["group"] == group["id"] and d["status"] == "0" for d in deals)
    assert len(deals) == sum(1 for d in ds.rows("deals") if d["group"] == group["id"] and d["status"] == "0")
    fv = walk_offset(emulator, "fieldValues", "&filters[fieldid]=1")
    assert fv and all(v["field"] == "1" for v in fv)
    value = next(v["value"] for v in ds.rows("fieldValues") if v["value"])
    by_val = get(emulator, f"fieldValues?filters[val]={requests.utils.quote(value)}&limit=100").json()["fieldValues"]
    assert by_val and all(v["value"] == value for v in by_val)
    ac = ds.rows("accountContacts")[0]
    got = get(emulator, f"accountContacts?filters[contact]={ac['contact']}").json()["accountContacts"]
    assert ac["id"] in {x["id"] for x in got} and all(x["contact"] == ac["contact"] for x in got)
    datum = ds.rows("dealCustomFieldData")[0]
    got = get(emulator, f"dealCustomFieldData?filters[dealId]={datum['dealId']}").json()
    assert got["dealCustomFieldData"] and all(x["dealId"] == datum["dealId"] for x in got["dealCustomFieldData"])
    # other resources ignore the date filters, like the API (the connector must filter client-side)
    assert get(emulator, "lists?filters[updated_after]=2099-01-01").json()["meta"]["total"] == str(
        len(ds.rows("lists"))
    )


def test_include_field_values(emulator: Emulator) -> None:
    body = get(emulator, "contacts?include=fieldValues&limit=50").json()
    page_ids = {c["id"] for c in body["contacts"]}
    expected = {v["id"]: v for v in emulator.dataset.rows("fieldValues") if v["contact"] in page_ids}
    assert {v["id"] for v in body["fieldValues"]} == set(expected)
    for c in body["contacts"]:
        assert c["fieldValues"] == [v["id"] for v in body["fieldValues"] if v["contact"] == c["id"]]
    plain = get(emulator, "contacts?include=geoIps.geoAddress,nonsense&limit=5")
    assert plain.status_code == 200 and "fieldValues" not in plain.json()


CONTACT_CHILDREN = ("contactTags", "contactLists", "contactAutomations", "accountContacts", "fieldValues")


def test_include_every_contact_child_at_once(emulator: Emulator) -> None:
    body = get(emulator, f"contacts?include={','.join(CONTACT_CHILDREN)}&limit=100").json()
    page_ids = {c["id"] for c in body["contacts"]}
    for name in CONTACT_CHILDREN:
        expected = [row["id"] for row in emulator.dataset.rows(name) if row["contact"] in page_ids]
        assert sorted(row["id"] for row in body[name]) == sorted(expected), name
        for contact in body["contacts"]:
            assert contact[name] == [row["id"] for row in body[name] if row["contact"] == contact["id"]], name


def test_given_a_sideload_cap_when_included_then_each_array_is_trimmed_and_the_id_lists_stay_whole(
    emulator: Emulator,
) -> None:
    emulator.set_options(sideload_cap=2)
    try:
        body = get(emulator, "contacts?include=contactTags,contactLists&limit=100").json()
    finally:
        emulator.set_options(sideload_cap=None)
    page_ids = {c["id"] for c in body["contacts"]}
    for name in ("contactTags", "contactLists"):
        every_id = [row["id"] for row in emulator.dataset.rows(name) if row["contact"] in page_ids]
        assert len(every_id) > 2 and len(body[name]) == 2, name
        assert sorted(i for contact in body["contacts"] for i in contact[name]) == sorted(every_id), name


@pytest.mark.parametrize("collection", ["tags", "contacts", "deals"])
def test_given_rows_dropped_from_pages_when_listed_then_each_page_leaves_out_its_last_row_and_meta_total_counts_it(
    emulator: Emulator, collection: str
) -> None:
    whole = get(emulator, f"{collection}?limit=100").json()
    emulator.set_options(rows_dropped_from_pages=[collection])
    try:
        short = get(emulator, f"{collection}?limit=100").json()
        second_page = get(emulator, f"{collection}?limit=5&offset=5").json()
        other = get(emulator, "lists?limit=100").json()
    finally:
        emulator.set_options(rows_dropped_from_pages=[])

    assert short[collection] == whole[collection][:-1]
    assert short["meta"]["total"] == whole["meta"]["total"]
    assert [row["id"] for row in second_page[collection]] == [row["id"] for row in whole[collection][5:10]][:-1]
    assert len(other["lists"]) == int(other["meta"]["total"])


def test_include_deal_custom_field_data(emulator: Emulator) -> None:
    body = get(emulator, "deals?include=dealCustomFieldData&limit=100").json()
    page_ids = {int(d["id"]) for d in body["deals"]}
    assert {x["dealId"] for x in body["dealCustomFieldData"]} <= page_ids
    for d in body["deals"]:
        assert d["dealCustomFieldData"] == [x["id"] for x in body["dealCustomFieldData"] if x["dealId"] == int(d["id"])]
