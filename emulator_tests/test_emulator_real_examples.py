"""The emulator's records against the real API bodies kept beside the repository."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from activecampaign_emulator import Emulator
from activecampaign_emulator.collection_specs import SPECS
from emulator_tests.emulator_client import date_form

# Real API bodies (recordings and the reference's examples) live beside the repository, not in it.
EXAMPLES = Path(os.environ.get("AC_API_EXAMPLES", Path(__file__).resolve().parents[2] / "shared" / "ac_api_examples"))

EXAMPLE_ALIASES = {
    "campaign_links": "links",
    "contact_contactLists": "contactLists",
    "contact_fieldValues": "fieldValues",
    "contact_deals": "deals",
    "contact_contactTags": "contactTags",
    "contact_contactAutomations": "contactAutomations",
    "contact_bounceLogs": "bounceLogs",
}


TYPE_EXCEPTIONS = {
    ("contactAutomations", "completedElements"): "an int in the reference's per-contact example, a string in its "
    "/contactAutomations example; the emulator chooses int",
    ("contactAutomations", "totalElements"): "same as completedElements",
    ("dealCustomFieldMeta", "fieldDefault"): "a string or null in recorded responses; the reference's example "
    "shows the int 1",
    ("accountCustomFieldMeta", "fieldDefault"): "kept like dealCustomFieldMeta (string or null); only a doc example "
    "with int 1 exists",
}


KEY_EXCEPTIONS: dict[tuple[str, str], str] = {}


FORM_EXCEPTIONS = {
    ("dealCustomFieldData", "createdTimestamp"): "recorded responses send +00:00; the reference shows naive",
    ("dealCustomFieldData", "updatedTimestamp"): "same",
    ("dealCustomFieldMeta", "createdTimestamp"): "same",
    ("dealCustomFieldMeta", "updatedTimestamp"): "same",
    ("fieldValues", "value"): "a value, not a timestamp: datetime custom fields hold ISO values",
}


def _type_name(v: Any) -> str:
    return "null" if v is None else type(v).__name__


def _example_rows(path: Path, collection: str) -> list[dict[str, Any]]:
    body = json.loads(path.read_text())
    rows = body.get(collection, []) if isinstance(body, dict) else []
    # restricted deal rows are checked by test_deals_pipeline_partial
    return [r for r in rows if isinstance(r, dict) and not (len(r) == 3 and r.get("isDisabled") in (True, 1))]


def test_types_and_keys_match_real_examples(emulator: Emulator) -> None:
    if not EXAMPLES.is_dir():
        pytest.skip(f"shared examples absent ({EXAMPLES}); they are not part of the repository")
    checked = 0
    problems: list[str] = []
    forms_by_collection: dict[str, dict[str, set[str]]] = {}
    for path in sorted(EXAMPLES.glob("*.json")):
        endpoint = path.name.split("__")[0]
        collection = EXAMPLE_ALIASES.get(endpoint, endpoint)
        if collection not in SPECS:
            continue
        rows = _example_rows(path, collection)
        if not rows:
            continue
        checked += 1
        ex_types: dict[str, set[str]] = {}
        for r in rows:
            for k, v in r.items():
                ex_types.setdefault(k, set()).add(_type_name(v))
                form = date_form(v)
                if form:
                    forms_by_collection.setdefault(collection, {}).setdefault(k, set()).add(form)
        em_types: dict[str, set[str]] = {}
        for r in emulator.dataset.rows(collection):
            for k, v in r.items():
                em_types.setdefault(k, set()).add(_type_name(v))
        for k, types in ex_types.items():
            if k not in em_types:
                if (collection, k) not in KEY_EXCEPTIONS:
                    problems.append(f"{path.name}: key {k!r} missing from the emulator's {collection}")
                continue
            ex_real, em_real = types - {"null"}, em_types[k] - {"null"}
            if ex_real and not em_real <= ex_real and (collection, k) not in TYPE_EXCEPTIONS:
                problems.append(
                    f"{path.name}: {k!r} is {sorted(em_real)} in the emulator, {sorted(ex_real)} in the example"
                )
    for collection, keys in forms_by_collection.items():
        em_forms: dict[str, set[str]] = {}
        for r in emulator.dataset.rows(collection):
            for k, v in r.items():
                form = date_form(v)
                if form:
                    em_forms.setdefault(k, set()).add(form)
        for k, forms in keys.items():
            extra = em_forms.get(k, set()) - forms
            if extra and (collection, k) not in FORM_EXCEPTIONS:
                problems.append(
                    f"{collection}.{k}: date forms {sorted(extra)} not seen in any example ({sorted(forms)})"
                )
    assert checked >= 40
    assert not problems, "\n".join(problems)
