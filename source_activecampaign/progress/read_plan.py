"""What each stream of a sync reads, as far as its estimate and its completeness check need to know.

An estimate is worth sending only where the API counts what the read will emit: a stream the API
filters on the server (contacts, deals, activities) or one read without a filter. A stream filtered
on the client (every other stream with a timestamp) emits only rows at or after its start (the
start date, or the saved state less a day), so the collection's size says nothing of what it will
emit unless it reads from the very start: no state and no start date.

A read takes a whole collection when it is not a server-side incremental read from a state (a
window of update time) or a read of changed contacts: only then can the rows it read be held to the
API's count of the collection.

Which streams filter on the client, and which read one partition per record of another collection
(``SubstreamPartitionRouter``: stages per pipeline, links per campaign), is read from the manifest,
not repeated here.
"""

import datetime
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from airbyte_cdk.models import AirbyteStateMessage, ConfiguredAirbyteCatalog, SyncMode
from airbyte_cdk.sources.connector_state_manager import ConnectorStateManager

from source_activecampaign.contacts.pages_plan import ContactPagesPlan, cursor_value
from source_activecampaign.deletions.plan import CONFIG_KEY as DELETIONS_CONFIG_KEY

Cursor = Literal["none", "client", "server"]
# The readings of a contact child that emit every row of its collection (unless the pages are read from
# the stream's state).
FROM_START = ("pages", "reconcile", "reconcile_pages")


@dataclass(frozen=True)
class StreamShape:
    """How a stream of the manifest reads: its cursor, and the collection whose records it is read per."""

    cursor: Cursor = "none"
    parent_collection: str | None = None
    # The parent records come through a client-side cursor: a start date leaves some out, and their partitions.
    parent_filtered_on_client: bool = False


@dataclass(frozen=True)
class StreamReadPlan:
    """``estimated``: the API counts what the read emits. ``whole_collection``: the read takes every
    row of its collection. ``parent_collection``: the collection it reads one partition per record of.
    ``window_span``: a server-side read from a state, in windows of update time that must cover
    (state's cursor, sync's start) before their counts add up to the read's."""

    estimated: bool
    whole_collection: bool
    parent_collection: str | None = None
    window_span: tuple[datetime.datetime, datetime.datetime] | None = None


def _parent_stream(definition: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The stream whose records a ``SubstreamPartitionRouter`` makes the partitions of."""
    retriever = definition.get("retriever") or {}
    routers = retriever.get("partition_router") if isinstance(retriever, Mapping) else None
    for router in routers if isinstance(routers, list) else [routers]:
        if isinstance(router, Mapping) and router.get("type") == "SubstreamPartitionRouter":
            for parent in router.get("parent_stream_configs") or []:
                stream = parent.get("stream")
                if isinstance(stream, Mapping):
                    return stream
    return None


def _shape(definition: Mapping[str, Any]) -> StreamShape:
    if definition.get("type") == "StateDelegatingStream":
        # Its first read (no state) emits what its later reads would from no state: the checkpointed
        # first reads filter on the start date as the later reads do, and activities' sends the API the
        # `after` its later reads send. Its first read's cursor is client-side only to drop rows before
        # the start date, so the later reads' cursor says how the stream is filtered.
        return StreamShape(_shape(definition.get("incremental_stream") or {}).cursor)
    incremental = definition.get("incremental_sync")
    cursor: Cursor
    if not isinstance(incremental, Mapping) or not incremental:
        cursor = "none"
    else:
        cursor = "client" if incremental.get("is_client_side_incremental") else "server"
    parent = _parent_stream(definition)
    if parent is None:
        return StreamShape(cursor)
    path = parent.get("path") or (parent.get("$parameters") or {}).get("path")
    return StreamShape(cursor, str(path) if path else None, _shape(parent).cursor == "client")


def _definitions(streams: Any) -> Iterator[Mapping[str, Any]]:
    for definition in streams or []:
        if not isinstance(definition, Mapping):
            continue
        if definition.get("type") == "ConditionalStreams":
            yield from _definitions(definition.get("streams"))
        else:
            yield definition


def _name(definition: Mapping[str, Any]) -> str:
    return str(definition.get("name") or (definition.get("$parameters") or {}).get("name") or "")


@dataclass(frozen=True)
class ManifestShapes:
    """Every stream's shape by name; ``generated`` for the streams the manifest builds at run time
    (one per custom-object schema)."""

    by_name: Mapping[str, StreamShape]
    generated: StreamShape

    @classmethod
    def of(cls, manifest: Mapping[str, Any]) -> "ManifestShapes":
        """``manifest``: resolved, with its references and parameters in place (``resolved_manifest``)."""
        by_name: dict[str, StreamShape] = {}
        for definition in _definitions(manifest.get("streams")):
            shape = _shape(definition)
            name = _name(definition)
            known = by_name.get(name)
            # A stream defined several ways (a contact child stream per plan) filters on the client in any.
            if known is None or (shape.cursor == "client" and known.cursor != "client"):
                by_name[name] = shape
        templates = [
            _shape(dynamic.get("stream_template") or {})
            for dynamic in manifest.get("dynamic_streams") or []
            if isinstance(dynamic, Mapping)
        ]
        generated = next((shape for shape in templates if shape.cursor == "client"), None)
        return cls(by_name, generated or (templates[0] if templates else StreamShape("client")))

    def shape(self, name: str) -> StreamShape:
        return self.by_name.get(name, self.generated)


def plan_reads(
    shapes: ManifestShapes,
    catalog: ConfiguredAirbyteCatalog,
    state: list[AirbyteStateMessage] | None,
    config: Mapping[str, Any],
    now: datetime.datetime,
) -> dict[str, StreamReadPlan]:
    """The plan of every stream of the catalog at the sync's start (``now``). ``config`` is the
    source's, with the contact pages' plan (``contact_pages.children``: how each contact child
    stream reads in this sync) and the deletion checks' (``deletions.checks``); ``state`` the state the
    CDK is given (without the state of a stream whose deletion check reads it as a first read)."""
    states = ConnectorStateManager(state=state or [])
    children = ContactPagesPlan.in_config(config).children
    checks = set((config.get(DELETIONS_CONFIG_KEY) or {}).get("checks") or [])
    start_date = bool(config.get("start_date"))
    plans: dict[str, StreamReadPlan] = {}
    for configured in catalog.streams:
        name = configured.stream.name
        shape = shapes.shape(name)
        from_state = configured.sync_mode == SyncMode.incremental and bool(states.get_stream_state(name, None))
        # Partitions of parents a start date leaves out: the parents' count is not the partitions'.
        parents_counted = not (shape.parent_filtered_on_client and start_date)
        if shape.cursor == "none":
            plans[name] = StreamReadPlan(parents_counted, True, shape.parent_collection)
        elif shape.cursor == "server" and from_state:
            cursor_field = (configured.cursor_field or configured.stream.default_cursor_field or [""])[0]
            since = cursor_value(states.get_stream_state(name, None) or {}, cursor_field)
            span = (since, now) if since is not None else None
            plans[name] = StreamReadPlan(span is not None, False, shape.parent_collection, span)
        elif shape.cursor == "server":
            plans[name] = StreamReadPlan(parents_counted, True, shape.parent_collection)
        else:
            child_mode = children.get(name)
            # Pages read from a state (for a deletion check, or as the cheaper read than the collection)
            # emit the rows changed since the state, as its collection would.
            pages_from_state = child_mode == "pages" and (from_state or name in checks)
            from_start = (child_mode in FROM_START and not pages_from_state) if child_mode else not from_state
            plans[name] = StreamReadPlan(
                from_start and not start_date, child_mode != "changed", shape.parent_collection
            )
    return plans
