"""What every record builder shares: the Row view of a stored row, text helpers, and the
derivations other resources and the filters also need (contact names and emails, field values,
product prices).

A builder turns one stored row (columns in table.py) into the API's dict, with the field names,
value types and date forms of the reference (§5, §6) and the example bodies. Everything not held
in a column is derived from a per-record PRNG seeded by (seed, resource, id), so a record reads the
same on every request; touch() overrides land on top via Table.overrides.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import words as W
from ..dates import date_only, iso
from ..rng import RowRng, row_seed
from ..seeding import FIELD_TYPES

if TYPE_CHECKING:
    from ..dataset import Dataset
    from ..table import Table


class Row:
    """What a builder sees of one stored row."""

    __slots__ = ("ds", "t", "pos", "id", "base", "rng", "key")

    def __init__(self, ds: Dataset, key: str, t: Table, pos: int, base: str) -> None:
        self.ds = ds
        self.key = key
        self.t = t
        self.pos = pos
        self.id = t.ids[pos]
        self.base = base
        self.rng = RowRng(row_seed(ds.seed, key, self.id))

    @property
    def created(self) -> int:
        return self.t.created[self.pos]

    @property
    def updated(self) -> int:
        return self.t.updated[self.pos]

    @property
    def old(self) -> bool:
        """Created before the zero-date cutoff: such rows carry MySQL zero dates where newer rows
        carry null (reference §6, form 7)."""
        return self.t.created[self.pos] < self.ds.clock.zero_date_cutoff

    def col(self, name: str) -> int:
        return self.t.cols[name][self.pos]

    def ref(self, name: str) -> str | None:
        """A foreign-key column as the API writes it: string id, or null when unset."""
        v = self.t.cols[name][self.pos]
        return str(v) if v else None

    def links(self, *names: str) -> dict[str, str]:
        prefix = f"{self.base}/{self.key}/{self.id}/"
        return {n: prefix + n for n in names}


def sid(v: int) -> str:
    return str(v)


def ascii_slug(text: str) -> str:
    out = "".join(ch for ch in text.lower() if ch.isascii() and ch.isalnum())
    return out


def some_words(rng: RowRng, n: int) -> str:
    return " ".join(rng.choice(W.WORDS) for _ in range(n))


def sentence(rng: RowRng, n: int) -> str:
    s = some_words(rng, n)
    return s[:1].upper() + s[1:] + "."


def company(rng: RowRng) -> str:
    suffix = rng.choice(W.COMPANY_SUFFIXES)
    return f"{rng.choice(W.COMPANY_WORDS)} {suffix}".strip()


# --- shared derivations (also used by filters and by other resources) ------------------------


def contact_names(seed: int, contact_id: int) -> tuple[str, str, str]:
    """(firstName, lastName, email) of a contact; emails embed the id so that `email=` filters
    can find the row without scanning (see query.py)."""
    rng = RowRng(row_seed(seed, "contacts", contact_id))
    first = rng.choice(W.FIRST_NAMES)
    last = rng.choice(W.LAST_NAMES)
    domain = rng.choice(W.DOMAINS)
    local = ".".join(p for p in (ascii_slug(first), ascii_slug(last)) if p) or "contact"
    return first, last, f"{local}.{contact_id}@{domain}"


def user_email(user_id: int) -> str:
    return f"user{user_id}@example.com"


OPTION_LABELS: dict[str, tuple[str, ...]] = {
    "dropdown": ("Small", "Medium", "Large", "X-Large"),
    "radio": ("Yes", "No", "Peut-être", "たぶん"),
    "checkbox": ("Email", "SMS", "Phone", "WhatsApp"),
}

FIELD_DEFS: dict[str, tuple[str, str]] = {
    "text": ("Favourite Food", "FAVOURITE_FOOD"),
    "textarea": ("Notes / Remarques", "NOTES_REMARQUES"),
    "date": ("Birthday", "BIRTHDAY"),
    "dropdown": ("T-Shirt Size", "TSHIRT_SIZE"),
    "radio": ("Newsletter Opt-in", "NEWSLETTER_OPTIN"),
    "checkbox": ("Preferred Channels", "PREFERRED_CHANNELS"),
    "datetime": ("Last Demo", "LAST_DEMO"),
    "hidden": ("Lead Source", "LEAD_SOURCE"),
}


def field_type_of(ds: Dataset, field_id: int) -> str:
    fields = ds.tables["fields"]
    pos = fields.pos_of(field_id)
    if pos is None:
        return "text"
    return FIELD_TYPES[fields.cols["type"][pos] % len(FIELD_TYPES)]


def field_value_text(ds: Dataset, pos: int) -> str:
    """fieldValues.value: always a string in the form of the field's type (reference §13)."""
    t = ds.tables["fieldValues"]
    override = t.overrides.get(pos)
    if override is not None and "value" in override:
        return override["value"]
    rng = RowRng(row_seed(ds.seed, "fieldValues", t.ids[pos]) ^ 0x55)
    ftype = field_type_of(ds, t.cols["field"][pos])
    if ftype == "date":
        return date_only(t.created[pos] - rng.below(40 * 365) * 86400) or ""
    if ftype == "datetime":
        return iso(t.created[pos] + rng.below(60) * 86400) or ""
    if ftype in ("dropdown", "radio"):
        return rng.choice(OPTION_LABELS[ftype][:3])
    if ftype == "checkbox":
        picked = [o for o in OPTION_LABELS["checkbox"] if rng.chance(0.5)] or ["Email"]
        return "||" + "||".join(picked) + "||"
    if ftype == "textarea":
        return sentence(rng, 4) + "\n" + sentence(rng, 3)
    if ftype == "hidden":
        return rng.choice(("google", "linkedin", "referral", "", "webinar"))
    return rng.choice(("Burger", "Pizza", "Sushi 🍣", "Crème brûlée", "Pho", "", "Käsespätzle", "寿司"))


def product_price(ds: Dataset, pos: int) -> tuple[int, int]:
    """(price in cents, quantity) of an order product; orders sum them for totalPrice."""
    t = ds.tables["ecomOrderProducts"]
    rng = RowRng(row_seed(ds.seed, "ecomOrderProducts", t.ids[pos]) ^ 0x77)
    return 199 + rng.below(200) * 50, 1 + rng.below(3)
