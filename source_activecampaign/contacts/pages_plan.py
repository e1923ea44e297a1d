"""Which streams read the contacts pages in this sync, and how each contact child stream is read.

Five child streams can ride on the contacts pages (`include=`): their rows come with the contacts
they belong to. Whether they do depends on what the sync selected and on the saved state, which
only the source's constructor sees; the plan made here goes into the config under
``contact_pages``, where the manifest reads it.

How each child stream is read (``ContactPagesPlan.children[<stream>]``, a ``ChildReading``):

- ``pages``: every contacts page, with the child rows included, filtered on the client like a
  collection: full refresh, or no state yet; and, with state, whenever the pages are the cheaper
  exact read (below).
- ``collection``: incremental with state: the child collection in full, filtered on the client
  (exact), where it costs fewer requests than the pages.
- ``changed``: incremental with state and ``contact_children_from_changed_contacts`` on: the pages
  of contacts updated since the stream's state, with the child rows included.
- ``reconcile``: the same option on, and the last full read of the child collection is
  ``contact_children_full_read_days`` or more ago (or unknown): the collection in full, every row.

An incremental sync reads every row of a child either way (``changed`` aside), so it takes the way
that costs fewer requests: a page of contacts costs one request per 100 contacts and carries every
child kind, a collection one request per 100 of its own rows. The pages are the cheaper read when
they are read in this sync anyway (by another child, or by contacts' first read or deletion check),
and when a child whose rows most contacts have (``CHILDREN_ON_MOST_CONTACTS``: list memberships,
tags, field values) would read its collection: that collection alone costs about as many requests
as the pages, and the other children then ride on them for nothing. Only the children few contacts
have rows of (automations entered, account links) read their collections when nothing else reads
the pages.

A stream whose deletion check runs in this sync (``checks``, deletions/plan.py) reads every contacts
page: ``pages`` (its rows changed since its state), or with the option on ``reconcile_pages`` (every
row, which is also its periodic full read). Each contact lists the ids of its rows, so the pages show
exactly which rows are gone, and contacts' own check reads the very same pages.

Contacts shares the pages (one request for each, whoever asks first) when it reads them all in this
sync: full refresh, no state, or its deletion check, and no start date (with one, its pages leave out
older contacts, whose children still count).

The manifest reads the plan's fields by name (``config['contact_pages']``) and picks each child's
stream definition by its ``ChildReading``; ``unit_tests/contacts/test_pages_plan_contract.py`` holds
the two to the same names, and the values copied from the manifest below to the manifest's.
"""

import datetime
import logging
import uuid
from collections.abc import Collection, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from airbyte_cdk.models import AirbyteStateMessage, ConfiguredAirbyteCatalog, SyncMode
from airbyte_cdk.sources.connector_state_manager import ConnectorStateManager

from source_activecampaign.checkpoints.read_so_far import CHECKPOINT_KEY, IdIntervals, unread_ids
from source_activecampaign.checkpoints.resume import is_checkpoint
from source_activecampaign.dates import utc_date_time

logger = logging.getLogger("airbyte")

# stream -> (the include name, which is also each contact's list of ids, and the row cursor)
CHILDREN_ON_CONTACT_PAGES: Mapping[str, tuple[str, str]] = {
    "contact_tags": ("contactTags", "updated_timestamp"),
    "contact_lists": ("contactLists", "updated_timestamp"),
    "custom_field_values": ("fieldValues", "udate"),
    "contact_automations": ("contactAutomations", "lastdate"),
    "account_contacts": ("accountContacts", "updatedTimestamp"),
}

ChildReading = Literal["pages", "reconcile_pages", "changed", "collection", "reconcile"]
# The readings that read every contacts page.
ON_PAGES: tuple[ChildReading, ...] = ("pages", "reconcile_pages")
# The children whose rows most contacts have, one or more each: a contact is on a list, tagged, and has
# a value for each custom field filled in; its automations and account links are fewer.
CHILDREN_ON_MOST_CONTACTS = frozenset({"contact_lists", "contact_tags", "custom_field_values"})

CONFIG_KEY = "contact_pages"
RECONCILED_AT = "last_reconciliation"
# The manifest's `sync_start` without a start date, the `lookback_window` and `datetime_format` of its
# client-side cursor.
SYNC_START_WITHOUT_START_DATE = datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc)
LOOKBACK = datetime.timedelta(days=1)
STATE_DATETIME_FORMAT = "%Y-%m-%dT%H:%M:%S%z"


@dataclass(frozen=True)
class ContactPagesPlan:
    """This sync's plan: which streams read the contacts pages, and how each contact child is read.

    The defaults are the plan of a sync that reads no contacts pages at all. ``as_config`` is what the
    manifest reads under ``config['contact_pages']`` (the config holds JSON values only), and
    ``in_config`` reads it back.
    """

    # How each selected child stream is read; a child not in it reads its collection.
    children: Mapping[str, ChildReading] = field(default_factory=dict)
    # The newest contact, asked once for every first read in id ranges (contacts' and the children's).
    ranges_share: str = ""
    ranges_readers: int = 0
    # The contacts pages of a first read, shared by the children reading them and maybe contacts.
    pages_share: str = ""
    pages_readers: int = 0
    pages_include: str = ""
    # Contacts' own pages: the shared ones, or its own with only its custom fields included.
    contacts_share: str = ""
    contacts_include: str = ""
    # The pages of contacts changed since ``changed_since``, shared by the children read that way.
    changed_share: str = ""
    changed_readers: int = 0
    changed_include: str = ""
    changed_since: str = ""
    # When this sync started, written down by a reconciling read.
    synced_at: str = ""
    # First reads killed midway: the ids one of the readers of the ranges had not read, and the newest
    # id the killed sync split them at (``ids_left``); None when they read everything.
    unread_ids: list[list[int | None]] | None = None
    newest_id: int | None = None
    # Workers of the sync: two for each reader of the shared pages, so that they read each range at
    # once (``ReadingTurns``), and at least the five that keep the rate budget full.
    workers: int = 5

    def as_config(self) -> dict[str, Any]:
        return {**asdict(self), "children": dict(self.children)}

    @classmethod
    def in_config(cls, config: Mapping[str, Any]) -> "ContactPagesPlan":
        """The plan ``config`` holds, or the plan of no contacts pages when it holds none."""
        return cls(**(config.get(CONFIG_KEY) or {}))


def cursor_value(state: Mapping[str, Any], cursor_field: str) -> datetime.datetime | None:
    """The state's cursor, whether flat (``{udate: X}``) or per id range (``{"state": {udate: X}, ...}``)."""
    overall = state.get("state")
    value = state.get(cursor_field, overall.get(cursor_field) if isinstance(overall, Mapping) else None)
    return utc_date_time(value)


def last_full_read(state: Mapping[str, Any], cursor_field: str) -> datetime.datetime | None:
    """When the child collection was last read in full.

    Recorded as ``last_reconciliation`` by a reconciling read. A state without it was left by a
    full read (a first read, or syncs with the option off, which read the collection in full every
    time), whose newest row stands in for the time it ran.
    """
    return utc_date_time(state.get(RECONCILED_AT)) or cursor_value(state, cursor_field)


def ids_left(states: list[Mapping[str, Any]]) -> tuple[list[list[int | None]], int] | None:
    """Where the first reads of contacts and of the child streams on its pages resume, together.

    They read the same pages, one request each, only if they read the same id ranges: so all of them
    read the ids that one of them has not read (each checkpoint keeps the ids its stream read), split
    at the newest id the killed sync split them at. A reader without a checkpoint reads everything, and
    so do the others: None.

    Checkpoints of contacts ``(0, 3000]`` read and of contact_tags ``(0, 2500]`` read, at newest id
    5,000 -> ``([[2500, None]], 5000)``.
    """
    read: list[IdIntervals | None] = []
    newest: list[int] = []
    for state in states:
        checkpoint = state.get(CHECKPOINT_KEY) if is_checkpoint(state) else None
        newest_id = checkpoint.get("newest_id") if checkpoint is not None else None
        ids = IdIntervals.from_json(checkpoint.get("read_ids")) if checkpoint is not None else None
        if ids is None or not isinstance(newest_id, int) or isinstance(newest_id, bool):
            return None
        read.append(ids)
        newest.append(newest_id)
    if not read:
        return None
    return unread_ids(read).as_json(), max(newest)


def plan_contact_pages(
    config: Mapping[str, Any],
    catalog: ConfiguredAirbyteCatalog | None,
    state: list[AirbyteStateMessage] | None,
    now: datetime.datetime,
    checks: Collection[str] = (),
) -> ContactPagesPlan:
    selected = {stream.stream.name: stream.sync_mode for stream in (catalog.streams if catalog else [])}
    states = ConnectorStateManager(state=state)

    def saved_state(name: str) -> Mapping[str, Any]:
        return states.get_stream_state(name, None) or {} if name in selected else {}

    def first_read(name: str) -> bool:
        # No state, or one without a cursor to resume from (a first read cut short): a first read.
        cursor_field = CHILDREN_ON_CONTACT_PAGES[name][1] if name in CHILDREN_ON_CONTACT_PAGES else "udate"
        return selected.get(name) == SyncMode.full_refresh or cursor_value(saved_state(name), cursor_field) is None

    def reads_everything(name: str) -> bool:
        return first_read(name) or name in checks

    from_changed_contacts = bool(config.get("contact_children_from_changed_contacts"))
    days = config.get("contact_children_full_read_days")
    # A value the spec refuses is reported by the config check, by field; the plan must not fail first.
    full_read_days = days if isinstance(days, int) and not isinstance(days, bool) and days >= 1 else 7
    sync_start = utc_date_time(config.get("start_date")) or SYNC_START_WITHOUT_START_DATE

    children: dict[str, ChildReading] = {}
    changed_since: datetime.datetime | None = None
    for name, (_, cursor_field) in CHILDREN_ON_CONTACT_PAGES.items():
        if name not in selected:
            continue
        if first_read(name):
            children[name] = "pages"
        elif name in checks:
            children[name] = "reconcile_pages" if from_changed_contacts else "pages"
        elif not from_changed_contacts:
            children[name] = "collection"
        else:
            stream_state = saved_state(name)
            cursor = cursor_value(stream_state, cursor_field)
            reconciled = last_full_read(stream_state, cursor_field)
            if (
                cursor is None
                or cursor <= sync_start
                or reconciled is None
                or now - reconciled >= datetime.timedelta(days=full_read_days)
            ):
                children[name] = "reconcile"
            else:
                children[name] = "changed"
                changed_since = min(changed_since or cursor, cursor)

    # The cheaper exact read for the children that would read their collection (see the module's doc).
    collections = [name for name, mode in children.items() if mode == "collection"]
    pages_read_anyway = any(mode in ON_PAGES for mode in children.values()) or (
        "contacts" in selected and reads_everything("contacts") and not config.get("start_date")
    )
    if collections and (pages_read_anyway or CHILDREN_ON_MOST_CONTACTS & set(collections)):
        children.update({name: "pages" for name in collections})

    sync = uuid.uuid4().hex
    on_pages = [name for name, mode in children.items() if mode in ON_PAGES]
    contacts_shares = (
        bool(on_pages) and "contacts" in selected and reads_everything("contacts") and not config.get("start_date")
    )
    custom_fields = ["fieldValues"] if config.get("extract_contact_custom_fields") else []

    def includes(names: list[str], extra: list[str]) -> str:
        kinds = [CHILDREN_ON_CONTACT_PAGES[name][0] for name in names] + extra
        return ",".join(sorted(set(kinds)))

    pages_include = includes(on_pages, custom_fields if contacts_shares else [])
    changed = [name for name, mode in children.items() if mode == "changed"]
    # Every first read of contacts or of a child splits the ids at the same newest contact.
    range_readers = on_pages + (["contacts"] if "contacts" in selected and reads_everything("contacts") else [])
    ranges_readers = len(range_readers)
    resume = ids_left([saved_state(name) for name in range_readers])
    pages_readers = len(on_pages) + (1 if contacts_shares else 0)
    return ContactPagesPlan(
        ranges_share=f"{sync}-ranges" if ranges_readers > 1 else "",
        ranges_readers=ranges_readers,
        children=children,
        pages_share=f"{sync}-pages" if on_pages else "",
        pages_readers=pages_readers,
        pages_include=pages_include,
        contacts_share=f"{sync}-pages" if contacts_shares else "",
        contacts_include=pages_include if contacts_shares else includes([], custom_fields),
        changed_share=f"{sync}-changed" if changed else "",
        changed_readers=len(changed),
        changed_include=includes(changed, []),
        changed_since=(changed_since - LOOKBACK).strftime(STATE_DATETIME_FORMAT) if changed_since else "",
        synced_at=now.strftime(STATE_DATETIME_FORMAT),
        unread_ids=resume[0] if resume else None,
        newest_id=resume[1] if resume else None,
        workers=max(5, 2 * pages_readers),
    )
