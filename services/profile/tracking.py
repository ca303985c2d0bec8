"""Profile's use cases of the tracking plan (the workspace's own event types): declare a type's new version, list
the plan with counts, check inbound custom events against the plan when they are consumed, and count accepted and
refused events per type batch-wise.

The gateway checks custom events before publishing them (a 422 naming the field), with the plan it got from here
a moment ago; profile checks every custom event again on consumption, against the plan as it is then: a type
changed meanwhile, or an event published to Kafka directly, is dead-lettered with the reason naming the field."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from contracts.envelope import Envelope
from contracts.http import profile as http
from contracts.inbound import INBOUND_EVENT_TYPES, CustomEvent
from contracts.tracking_plan import UNDECLARED, EventType, SchemaBudget, check_schema, reason
from runtime.consumer import Delivery, Rejection
from runtime.db import Connection
from services.profile import event_type_store
from services.profile.settings import ProfileServiceSettings

Batches = list[tuple[str, list[Delivery[Envelope]]]]


def schema_budget(settings: ProfileServiceSettings) -> SchemaBudget:
    return SchemaBudget(
        settings.event_schema_max_bytes, settings.event_schema_max_depth, settings.event_schema_max_keywords
    )


async def put_event_type(
    conn: Connection, settings: ProfileServiceSettings, workspace: str, name: str, body: http.EventTypeIn
) -> http.EventTypeInfo:
    """A new version of the type (the name was checked by the route); InvalidPlan for a schema the plan cannot
    hold, QuotaExceeded past the quotas."""
    schema = check_schema(body.schema_, schema_budget(settings))
    await event_type_store.put_version(
        conn,
        workspace,
        name,
        body.description,
        schema,
        body.unknown_fields,
        settings.quota_event_types,
        settings.quota_event_type_versions,
    )
    stored = await event_type_store.versions(conn, workspace, name)
    counts = await event_type_store.counts(conn, workspace)
    return _custom_info(name, stored, counts.get(name, (0, 0)))


async def list_event_types(conn: Connection, workspace: str) -> http.EventTypeList:
    """The built-in types, then the workspace's own, by name, each with its counts."""
    counts = await event_type_store.counts(conn, workspace)
    stored = await event_type_store.versions(conn, workspace)
    by_name: dict[str, list[event_type_store.StoredVersion]] = {}
    for version in stored:
        by_name.setdefault(version.name, []).append(version)
    builtin = [
        http.EventTypeInfo(name=name, builtin=True, counts=_counts(counts.get(name, (0, 0))))
        for name in sorted(INBOUND_EVENT_TYPES)
    ]
    custom = [_custom_info(name, versions, counts.get(name, (0, 0))) for name, versions in sorted(by_name.items())]
    return http.EventTypeList(items=[*builtin, *custom])


def _counts(found: tuple[int, int]) -> http.EventTypeCounts:
    return http.EventTypeCounts(accepted=found[0], rejected=found[1])


def _custom_info(
    name: str, versions: Sequence[event_type_store.StoredVersion], found: tuple[int, int]
) -> http.EventTypeInfo:
    latest = versions[-1]
    return http.EventTypeInfo(
        name=name,
        builtin=False,
        description=latest.description,
        version=latest.version,
        schema=latest.schema,
        unknown_fields=latest.unknown_fields,
        versions=[
            http.EventTypeVersion(
                version=v.version, description=v.description, unknown_fields=v.unknown_fields, created_at=v.created_at
            )
            for v in versions
        ],
        counts=_counts(found),
    )


async def record_rejections(conn: Connection, workspace: str, rejections: http.EventTypeRejections) -> None:
    """Events the gateway refused (422) before publishing, added to their types' `rejected`: only declared types
    are counted (a name the workspace never declared would be a row per name, without bound)."""
    declared = (await event_type_store.current(conn, [workspace])).get(workspace, {})
    counts = {n: (0, c) for n, c in rejections.counts.items() if n in declared}
    await event_type_store.add_counts(conn, workspace, counts)


async def check_custom_events(conn: Connection, batches: Batches) -> tuple[Batches, list[Rejection]]:
    """Each workspace's events without the custom ones its plan refuses (an undeclared type, data the current
    version's schema refuses), and those refused with the reason naming the field."""
    with_custom = [ws for ws, ds in batches if any(isinstance(d.event, CustomEvent) for d in ds)]
    if not with_custom:
        return batches, []
    plans = await event_type_store.current(conn, with_custom)
    kept: Batches = []
    rejected: list[Rejection] = []
    for workspace, deliveries in batches:
        plan = plans.get(workspace, {})
        passing = []
        for delivery in deliveries:
            problem = _problem(plan, delivery.event)
            if problem is None:
                passing.append(delivery)
            else:
                rejected.append(Rejection(delivery.record, problem))
        if passing:
            kept.append((workspace, passing))
    return kept, rejected


def _problem(plan: dict[str, EventType], event: Envelope) -> str | None:
    if not isinstance(event, CustomEvent):
        return None
    declared = plan.get(event.type)
    if declared is None:
        return f"type: {UNDECLARED}"
    errors = declared.errors(event.data.model_dump(mode="json"))
    return reason(event.type, errors) if errors else None


async def count_batch(
    conn: Connection, workspace: str, deliveries: Sequence[Delivery[Envelope]], rejected: Sequence[Rejection]
) -> None:
    """Add one workspace's batch to its types' counts: each event accepted unless refused (one statement)."""
    refused = {id(r.record) for r in rejected}
    # Every type here is built in or declared: check_custom_events took the undeclared ones out.
    accepted = Counter(d.event.type for d in deliveries if id(d.record) not in refused)
    refused_types = Counter(d.event.type for d in deliveries if id(d.record) in refused)
    names = set(accepted) | set(refused_types)
    await event_type_store.add_counts(conn, workspace, {n: (accepted[n], refused_types[n]) for n in names})


async def count_refused(
    conn: Connection, deliveries: Sequence[Delivery[Envelope]], refused: Sequence[Rejection]
) -> None:
    """The custom events the plan refused (check_custom_events), added to their types' `rejected`; those of an
    undeclared type are not counted (a row per name a producer makes up would have no bound)."""
    if not refused:
        return
    records = {id(r.record) for r in refused}
    per_workspace: dict[str, Counter[str]] = {}
    for delivery in deliveries:
        if id(delivery.record) in records:
            per_workspace.setdefault(delivery.event.workspace, Counter())[delivery.event.type] += 1
    plans = await event_type_store.current(conn, per_workspace)
    for workspace, found in sorted(per_workspace.items()):
        declared = plans.get(workspace, {})
        await event_type_store.add_counts(conn, workspace, {n: (0, c) for n, c in found.items() if n in declared})
