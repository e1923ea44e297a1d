"""Deletions: a contact with the rows the app deletes with it, a deal, one tag taken off a contact,
and a custom-object record; each gone from every list that showed it and 404 on its own URL."""

from __future__ import annotations

from collections.abc import Callable

import requests

from activecampaign_emulator import Emulator
from activecampaign_emulator.dataset import CASCADES
from emulator_tests.emulator_client import get, walk_offset

CONTACT_CHILDREN = ["contactTags", "contactLists", "fieldValues", "contactAutomations", "accountContacts"]


def _ids(rows: list[dict]) -> set[str]:
    return {str(row["id"]) for row in rows}


def _a_contact_with_every_child(emulator: Emulator) -> str:
    """A contact that has at least one row of each child kind on the contacts pages."""
    owners = [{str(row["contact"]) for row in emulator.dataset.rows(kind)} for kind in CONTACT_CHILDREN]
    return sorted(set.intersection(*owners), key=int)[0]


def test_given_a_contact_deleted_then_its_child_rows_go_with_it_everywhere(
    start_emulator: Callable[..., Emulator],
) -> None:
    emulator = start_emulator(contacts=300)
    victim = _a_contact_with_every_child(emulator)
    children = {
        kind: sorted(str(row["id"]) for row in emulator.dataset.rows(kind) if str(row["contact"]) == victim)
        for kind in [*CONTACT_CHILDREN, "contactDeals"]
    }
    others_before = {kind: len(emulator.dataset.rows(kind)) - len(ids) for kind, ids in children.items()}

    answer = requests.post(
        f"{emulator.url}/__emulator/delete", json={"resource": "contacts", "ids": [victim]}, timeout=5
    ).json()

    assert answer == {"ids": [victim], "cascaded": {kind: ids for kind, ids in children.items() if ids}}
    assert get(emulator, f"contacts/{victim}").status_code == 404
    assert get(emulator, f"contacts/{victim}/contactTags").status_code == 404
    for kind, ids in children.items():
        assert not set(ids) & _ids(walk_offset(emulator, kind)), kind
        assert len(emulator.dataset.rows(kind)) == others_before[kind], kind
        for row_id in ids:
            assert get(emulator, f"{kind}/{row_id}").status_code == 404, (kind, row_id)
    # The contacts pages neither list the contact nor carry its rows.
    page = get(emulator, f"contacts?orders[id]=ASC&limit=100&include={','.join(CONTACT_CHILDREN)}").json()
    assert victim not in _ids(page["contacts"])
    for kind, ids in children.items():
        if kind in CONTACT_CHILDREN:
            assert not set(ids) & _ids(page[kind]), kind


def test_given_cascade_off_when_a_contact_is_deleted_then_its_rows_stay_and_refer_to_it(
    start_emulator: Callable[..., Emulator],
) -> None:
    emulator = start_emulator(contacts=300)
    victim = _a_contact_with_every_child(emulator)
    tags = sorted(str(row["id"]) for row in emulator.dataset.rows("contactTags") if str(row["contact"]) == victim)

    answer = requests.post(
        f"{emulator.url}/__emulator/delete",
        json={"resource": "contacts", "ids": [victim], "cascade": False},
        timeout=5,
    ).json()

    assert answer == {"ids": [victim], "cascaded": {}}
    assert get(emulator, f"contacts/{victim}").status_code == 404
    assert set(tags) <= _ids(walk_offset(emulator, "contactTags"))


def test_given_a_deal_deleted_then_it_and_its_custom_field_data_are_gone(
    start_emulator: Callable[..., Emulator],
) -> None:
    emulator = start_emulator(contacts=300)
    data = emulator.dataset.rows("dealCustomFieldData")
    victim = str(data[0]["dealId"])
    its_data = sorted(str(row["id"]) for row in data if str(row["dealId"]) == victim)
    total_before = int(get(emulator, "deals").json()["meta"]["total"])

    deleted = emulator.dataset.delete("deals", [victim])

    assert deleted["deals"] == [victim] and deleted["dealCustomFieldData"] == its_data
    assert get(emulator, f"deals/{victim}").status_code == 404
    assert int(get(emulator, "deals").json()["meta"]["total"]) == total_before - 1
    assert victim not in _ids(walk_offset(emulator, "deals"))
    assert not set(its_data) & _ids(walk_offset(emulator, "dealCustomFieldData"))
    assert {child for child, _ in CASCADES["deals"]} == {"dealCustomFieldData", "contactDeals"}


def test_given_a_tag_taken_off_a_contact_then_the_contact_stays_and_no_longer_lists_it(
    start_emulator: Callable[..., Emulator],
) -> None:
    emulator = start_emulator(contacts=60)
    tag = emulator.dataset.rows("contactTags")[0]
    contact, tag_id = str(tag["contact"]), str(tag["id"])
    others = sorted(str(row["id"]) for row in emulator.dataset.rows("contactTags") if str(row["contact"]) == contact)

    assert emulator.dataset.delete("contactTags", [tag_id]) == {"contactTags": [tag_id]}

    assert get(emulator, f"contactTags/{tag_id}").status_code == 404
    assert tag_id not in _ids(walk_offset(emulator, "contactTags"))
    assert get(emulator, f"contacts/{contact}").status_code == 200
    own = get(emulator, f"contacts/{contact}/contactTags").json()["contactTags"]
    assert sorted(row["id"] for row in own) == [row_id for row_id in others if row_id != tag_id]
    page = get(emulator, "contacts?orders[id]=ASC&limit=100&include=contactTags").json()
    listed = next(record["contactTags"] for record in page["contacts"] if record["id"] == contact)
    assert tag_id not in listed and tag_id not in _ids(page["contactTags"])


def test_given_a_custom_object_record_then_its_own_url_answers_until_it_is_deleted(
    start_emulator: Callable[..., Emulator],
) -> None:
    emulator = start_emulator(contacts=60)
    schema = get(emulator, "customObjects/schemas").json()["schemas"][0]
    records = get(emulator, f"customObjects/records/{schema['id']}?limit=100").json()["records"]
    record = records[0]

    assert get(emulator, f"customObjects/records/{schema['id']}/{record['id']}").json() == {"record": record}

    table = emulator.dataset.tables["customObjectRecords"]
    position = table.group_index("schema")[0][0]
    emulator.dataset.delete("customObjectRecords", [table.ids[position]])

    assert get(emulator, f"customObjects/records/{schema['id']}/{record['id']}").status_code == 404
    after = get(emulator, f"customObjects/records/{schema['id']}?limit=100").json()["records"]
    assert [row["id"] for row in after] == [row["id"] for row in records[1:]]
    assert get(emulator, f"customObjects/records/{schema['id']}/not-a-record").status_code == 404
