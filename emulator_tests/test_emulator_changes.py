"""Data that changes: touch, insert, delete and mutate_every."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import requests

import activecampaign_emulator.dataset as dataset_module
from activecampaign_emulator import Emulator
from activecampaign_emulator.dates import iso, local_epoch
from emulator_tests.emulator_client import get, walk_offset

# The emulator's "now" for rows changed in these tests, after every seeded date.
NOW = local_epoch(2026, 3, 2, 9, 30)


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dataset_module, "now_epoch", lambda: NOW)


def test_mutate_every(start_emulator: Callable[..., Emulator]) -> None:
    emulator = start_emulator(mutate_every=3)
    before = {c["id"] for c in emulator.dataset.rows("contacts")}
    for _ in range(2):
        get(emulator, "tags")
    assert {c["id"] for c in emulator.dataset.rows("contacts")} == before
    get(emulator, "tags")
    after = emulator.dataset.rows("contacts")
    new = [c for c in after if c["id"] not in before]
    assert len(new) == 1 and int(new[0]["id"]) > max(int(i) for i in before)
    touched = [c for c in after if c["id"] in before and c["udate"] == iso(NOW)]
    assert len(touched) == 1
    assert len([d for d in emulator.dataset.rows("deals") if d["mdate"] == iso(NOW)]) == 1
    assert get(emulator, "tags/1").status_code == 200  # single GETs do not count
    assert len(emulator.dataset.rows("contacts")) == len(after)


def test_touch_insert_delete(start_emulator: Callable[..., Emulator]) -> None:
    emulator = start_emulator()
    ds = emulator.dataset
    old = {c["id"]: c for c in ds.rows("contacts")}
    touched = ds.touch("contacts", count=2)
    assert len(touched) == 2
    for cid in touched:
        c = get(emulator, f"contacts/{cid}").json()["contact"]
        assert c["udate"] == iso(NOW) == "2026-03-02T09:30:00-06:00"
        assert c["phone"] != old[cid]["phone"] or c["udate"] != old[cid]["udate"]
        assert c["cdate"] == old[cid]["cdate"]
    assert ds.touch("deals", ids=["1"]) == ["1"]
    assert get(emulator, "deals/1").json()["deal"]["mdate"] == iso(NOW)
    changed = get(emulator, "deals?filters[updated_after]=" + requests.utils.quote(iso(NOW) or ""))
    assert [deal["id"] for deal in changed.json()["deals"]] == ["1"]

    new_ids = ds.insert("contacts", count=2)
    assert [int(i) for i in new_ids] == [max(int(i) for i in old) + 1, max(int(i) for i in old) + 2]
    walked = {c["id"] for c in walk_offset(emulator, "contacts")}
    assert set(new_ids) <= walked
    ds.insert("deals")
    ds.insert("fieldValues")

    victim = touched[0]
    ds.delete("contacts", [victim])
    assert get(emulator, f"contacts/{victim}").status_code == 404
    assert victim not in {c["id"] for c in walk_offset(emulator, "contacts")}
    assert get(emulator, "contacts").json()["meta"]["total"] == str(len(old) + 2 - 1)
    assert victim not in {c["id"] for c in ds.rows("contacts")}
