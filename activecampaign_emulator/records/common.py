"""What every record builder shares: the Row view of a stored row, text helpers, and the
derivations other resources and the filters also need (contact names and emails, field values,
product prices).

A builder turns one stored row (columns in table.py) into the API's dict, with the field names,
value types and date forms of the API's reference and of recorded responses: ids and most values
as strings, a few documented ints and bools, and the account's date forms (dates.py). Everything not held
in a column is derived from a per-record PRNG seeded by (seed, resource, id), so a record reads the
same on every request; touch() overrides land on top via Table.overrides.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import words
from ..dates import date_only, iso, naive
from ..rng import RowRng, row_seed
from ..seeding import FIELD_TYPES

if TYPE_CHECKING:
    from ..dataset import Dataset
    from ..table import Table


class Row:
    """What a builder sees of one stored row."""

    __slots__ = ("dataset", "table", "pos", "id", "base", "rng", "resource")

    def __init__(self, dataset: Dataset, resource: str, table: Table, pos: int, base: str) -> None:
        self.dataset = dataset
        self.resource = resource
        self.table = table
        self.pos = pos
        self.id = table.ids[pos]
        self.base = base
        self.rng = RowRng(row_seed(dataset.seed, resource, self.id))

    @property
    def created(self) -> int:
        return self.table.created[self.pos]

    @property
    def updated(self) -> int:
        return self.table.updated[self.pos]

    @property
    def old(self) -> bool:
        """Created before the zero-date cutoff: such rows carry MySQL zero dates
        ("0000-00-00 00:00:00") where newer rows carry null, as recorded accounts mix both."""
        return self.table.created[self.pos] < self.dataset.clock.zero_date_cutoff

    def column(self, name: str) -> int:
        return self.table.cols[name][self.pos]

    def ref(self, name: str) -> str | None:
        """A foreign-key column as the API writes it: string id, or null when unset."""
        row_id = self.table.cols[name][self.pos]
        return str(row_id) if row_id else None

    def links(self, *names: str) -> dict[str, str]:
        prefix = f"{self.base}/{self.resource}/{self.id}/"
        return {name: prefix + name for name in names}


def audit_columns(row: Row) -> dict[str, str | None]:
    """The creation and change columns of resources that carry both date forms and their authors
    (custom fields, account settings): ISO with the offset, then naive local time; authors stay null."""
    return {
        "cdate": iso(row.created),
        "udate": iso(row.updated),
        "created_timestamp": naive(row.created),
        "updated_timestamp": naive(row.updated),
        "created_by": None,
        "updated_by": None,
    }


def sid(value: int) -> str:
    """An id as the API writes it: a string."""
    return str(value)


def ascii_slug(text: str) -> str:
    out = "".join(character for character in text.lower() if character.isascii() and character.isalnum())
    return out


def some_words(rng: RowRng, count: int) -> str:
    return " ".join(rng.choice(words.WORDS) for _ in range(count))


def sentence(rng: RowRng, count: int) -> str:
    sentence_text = some_words(rng, count)
    return sentence_text[:1].upper() + sentence_text[1:] + "."


def company(rng: RowRng) -> str:
    suffix = rng.choice(words.COMPANY_SUFFIXES)
    return f"{rng.choice(words.COMPANY_WORDS)} {suffix}".strip()


# --- shared derivations (also used by filters and by other resources) ------------------------


def contact_names(seed: int, contact_id: int) -> tuple[str, str, str]:
    """(firstName, lastName, email) of a contact; emails embed the id so that `email=` filters
    can find the row without scanning (see query.py)."""
    rng = RowRng(row_seed(seed, "contacts", contact_id))
    first = rng.choice(words.FIRST_NAMES)
    last = rng.choice(words.LAST_NAMES)
    domain = rng.choice(words.DOMAINS)
    local = ".".join(part for part in (ascii_slug(first), ascii_slug(last)) if part) or "contact"
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


def field_type_of(dataset: Dataset, field_id: int) -> str:
    fields = dataset.tables["fields"]
    pos = fields.pos_of(field_id)
    if pos is None:
        return "text"
    return FIELD_TYPES[fields.cols["type"][pos] % len(FIELD_TYPES)]


def field_value_text(dataset: Dataset, pos: int) -> str:
    """fieldValues.value: always a string, in the form of the field's type (dates as YYYY-MM-DD,
    checkbox choices as "||a||b||")."""
    table = dataset.tables["fieldValues"]
    override = table.overrides.get(pos)
    if override is not None and "value" in override:
        return override["value"]
    rng = RowRng(row_seed(dataset.seed, "fieldValues", table.ids[pos]) ^ 0x55)
    field_type = field_type_of(dataset, table.cols["field"][pos])
    if field_type == "date":
        return date_only(table.created[pos] - rng.below(40 * 365) * 86400) or ""
    if field_type == "datetime":
        return iso(table.created[pos] + rng.below(60) * 86400) or ""
    if field_type in ("dropdown", "radio"):
        return rng.choice(OPTION_LABELS[field_type][:3])
    if field_type == "checkbox":
        picked = [option for option in OPTION_LABELS["checkbox"] if rng.chance(0.5)] or ["Email"]
        return "||" + "||".join(picked) + "||"
    if field_type == "textarea":
        return sentence(rng, 4) + "\n" + sentence(rng, 3)
    if field_type == "hidden":
        return rng.choice(("google", "linkedin", "referral", "", "webinar"))
    return rng.choice(("Burger", "Pizza", "Sushi 🍣", "Crème brûlée", "Pho", "", "Käsespätzle", "寿司"))


def product_price(dataset: Dataset, pos: int) -> tuple[int, int]:
    """(price in cents, quantity) of an order product; orders sum them for totalPrice."""
    table = dataset.tables["ecomOrderProducts"]
    rng = RowRng(row_seed(dataset.seed, "ecomOrderProducts", table.ids[pos]) ^ 0x77)
    return 199 + rng.below(200) * 50, 1 + rng.below(3)
