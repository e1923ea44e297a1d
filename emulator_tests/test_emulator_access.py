"""Who may read what: bad keys, forbidden resources, unpaid accounts, wrong hosts, deal permissions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import requests

from activecampaign_emulator import Emulator
from activecampaign_emulator.dates import ACCOUNT_TZ
from emulator_tests.emulator_client import get, parse_iso, walk_offset


def test_bad_or_missing_key_403(start_emulator: Callable[..., Emulator]) -> None:
    emulator = start_emulator()
    r = requests.get(f"{emulator.url}/api/3/contacts", headers={"Api-Token": "wrong"})
    assert r.status_code == 403 and r.json() == {"message": "Forbidden"}
    assert r.headers["Content-Type"] == "application/json"
    assert "wrong" not in r.text
    assert requests.get(f"{emulator.url}/api/3/users/me").status_code == 403
    emulator.set_options(forbidden_body="empty")
    r = requests.get(f"{emulator.url}/api/3/users/me", headers={"Api-Token": "wrong"})
    assert r.status_code == 403 and r.content == b"" and "Content-Type" not in r.headers


def test_forbidden_resources_and_payment(start_emulator: Callable[..., Emulator]) -> None:
    emulator = start_emulator(forbidden_resources=frozenset({"lists"}))
    r = get(emulator, "lists")
    assert r.status_code == 403
    assert r.json() == {
        "errors": [{"status": 403, "title": "Forbidden", "detail": "You do not have permission to view lists."}]
    }
    assert get(emulator, "tags").status_code == 200
    emulator.set_options(payment_required=True)
    r = get(emulator, "tags")
    assert r.status_code == 402 and "payment" in r.json()["message"].lower()


def test_account_redirect(start_emulator: Callable[..., Emulator]) -> None:
    emulator = start_emulator(account_redirect="https://www.example.com/login")
    r = get(emulator, "users/me", allow_redirects=False)
    assert r.status_code == 302
    assert r.headers["Location"] == "https://www.example.com/login"
    assert r.headers["Content-Type"].startswith("text/html") and r.text.lstrip().startswith("<!DOCTYPE html>")


def test_deals_pipeline_partial(start_emulator: Callable[..., Emulator]) -> None:
    emulator = start_emulator(contacts=200, deals_access="pipeline-partial")
    groups = [g["id"] for g in emulator.dataset.rows("dealGroups")]
    hidden = set(groups[1::2])
    full_rows = {d["id"]: d for d in emulator.dataset.rows("deals")}
    body = get(emulator, "deals?limit=100").json()
    assert body["meta"]["total"] == len(full_rows)
    restricted = [d for d in body["deals"] if d.get("isDisabled") is True]
    visible = [d for d in body["deals"] if d.get("isDisabled") is False]
    assert restricted and visible
    for d in restricted:
        assert list(d) == ["title", "id", "isDisabled"]
        assert full_rows[d["id"]]["group"] in hidden and d["title"] == full_rows[d["id"]]["title"]
    assert all(d["group"] not in hidden for d in visible)
    # server-side filters still apply on the hidden dates of restricted rows
    after = walk_offset(emulator, "deals", "&filters[updated_after]=2023-01-01")
    expect = {i for i, d in full_rows.items() if parse_iso(d["mdate"]) >= datetime(2023, 1, 1, tzinfo=ACCOUNT_TZ)}
    assert {d["id"] for d in after} == expect
    one = next(iter(restricted))
    assert get(emulator, f"deals/{one['id']}").json() == {"deal": one}


def test_deals_all_restricted_and_none(start_emulator: Callable[..., Emulator]) -> None:
    emulator = start_emulator(deals_access="all-restricted")
    deals = walk_offset(emulator, "deals")
    assert deals and all(list(d) == ["title", "id", "isDisabled"] for d in deals)
    emulator.set_options(deals_access="none")
    r = get(emulator, "deals")
    assert r.status_code == 403
    assert r.json() == {
        "errors": [{"status": 403, "title": "Forbidden", "detail": "You do not have permission to view deals."}]
    }
    assert get(emulator, "deals/1").status_code == 403
    assert get(emulator, "contacts").status_code == 200
    assert len(emulator.dataset.rows("deals")[0]) > 3  # rows() stays full whatever the mode
