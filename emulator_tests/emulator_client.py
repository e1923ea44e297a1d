"""Helpers for the emulator's tests: a requests session with the key, list walks, date forms."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import requests

from activecampaign_emulator import Emulator


def api_session(emulator: Emulator) -> requests.Session:
    session = requests.Session()
    session.headers["Api-Token"] = emulator.api_key
    return session


def get(emulator: Emulator, path: str, **kw: Any) -> requests.Response:
    return api_session(emulator).get(f"{emulator.url}/api/3/{path}", timeout=10, **kw)


def walk_offset(emulator: Emulator, collection: str, extra: str = "") -> list[dict[str, Any]]:
    session = api_session(emulator)
    out: list[dict[str, Any]] = []
    offset = 0
    while True:
        body = session.get(f"{emulator.url}/api/3/{collection}?limit=100&offset={offset}{extra}", timeout=10).json()
        page = body[collection]
        out.extend(page)
        if len(page) < 100:
            return out
        offset += 100


def parse_iso(value: str) -> datetime:
    return datetime.fromisoformat(value)


DATE_FORMS = (
    ("zero", re.compile(r"^0000-00-00( 00:00:00)?$")),
    ("utc", re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$")),
    ("iso", re.compile(r"^\d{4}-\d\d-\d\dT\d{1,2}:\d\d:\d\d[+-]\d\d:\d\d$")),
    ("naive", re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")),
    ("date", re.compile(r"^\d{4}-\d\d-\d\d$")),
)


def date_form(v: Any) -> str | None:
    if isinstance(v, str):
        for name, rx in DATE_FORMS:
            if rx.match(v):
                return name
    return None
