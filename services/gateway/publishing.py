"""Publishing accepted events to `flywheel.events.inbound`, for every door of ingestion (POST /v1/events and the
Segment-compatible API): one path, so each answers only once Kafka acknowledged every event it names."""

from __future__ import annotations

import asyncio
from typing import Any

from aiokafka.errors import MessageSizeTooLargeError

from contracts.envelope import CONTENT_TYPE
from contracts.topics import INBOUND
from runtime.problems import ProblemError
from runtime.telemetry import inject_headers
from services.gateway.deps import GatewayContext
from services.gateway.domain import BatchPlan
from services.gateway.tracking_plans import report_rejections


async def publish(state: GatewayContext, plan: BatchPlan) -> list[str]:
    """Queue every valid event (concurrent requests' events share one produce: services.gateway.produce_batching),
    then wait for all acks: answering only once they are durable.

    An event too large for the broker becomes a per-event error; any other broker failure answers 503
    naming the events that did get through (the client can retry the rest; ids are de-duplicated).
    """
    state.runtime.producer  # noqa: B018 - not connected to the broker: 503 at once, nothing queued
    headers = inject_headers([("content-type", CONTENT_TYPE.encode())])
    queued = [(event, state.events_out.send(INBOUND, event.value, event.key, headers)) for event in plan.publish]
    results = await _acknowledgements([acked for _, acked in queued], state.runtime.settings.publish_timeout_s)
    accepted: list[str] = []
    failed = False
    for (event, _), result in zip(queued, results, strict=True):
        if isinstance(result, MessageSizeTooLargeError):
            plan.invalid_count += 1
            plan.errors.append(
                {"index": event.index, "id": event.event_id, "field": "(event)", "message": "too large for the broker"}
            )
        elif isinstance(result, BaseException):
            failed = True
        else:
            accepted.append(event.event_id)
    plan.errors.sort(key=lambda err: int(err["index"]))
    if failed:
        raise ProblemError(
            503,
            "the event broker did not confirm every event; retry those not listed in `accepted`",
            headers={"Retry-After": "1"},
            extra={"accepted": accepted, "errors": plan.errors},
        )
    return accepted


class _NotAcknowledged(Exception):
    """Kafka did not acknowledge the event within the publish timeout (it may still land: ids are de-duplicated)."""


async def _acknowledgements(acks: list[asyncio.Future[Any]], timeout_s: float) -> list[object]:
    """Each ack's result or exception, waiting at most `timeout_s`: with the broker away the producer would hold a
    request for its whole delivery timeout. An ack still pending counts as failed; it is left to finish (what
    it fails with later is retrieved, not logged as unretrieved)."""
    if not acks:
        return []
    _, pending = await asyncio.wait(acks, timeout=timeout_s)
    for ack in pending:
        ack.add_done_callback(lambda done: done.cancelled() or done.exception())
    return [_outcome(ack, pending) for ack in acks]


def _outcome(ack: asyncio.Future[Any], pending: set[asyncio.Future[Any]]) -> object:
    if ack in pending or ack.cancelled():
        return _NotAcknowledged()
    return ack.exception() or ack.result()


async def publish_plan(
    state: GatewayContext, workspace: str, plan: BatchPlan, sent: str, extra: dict[str, Any] | None = None
) -> list[str]:
    """Count the custom events the tracking plan refused, publish the valid events, and answer 422 naming every
    invalid one (with the ids accepted beside them) when there are any. `sent` says what came, e.g. "3 event(s)";
    `extra` adds fields to the 422 (before `errors`)."""
    await report_rejections(state.profile, workspace, plan.refused_custom)
    accepted = await publish(state, plan)
    if plan.errors:
        raise ProblemError(
            422,
            f"{plan.invalid_count} of {sent} are invalid; {len(accepted)} accepted",
            type_="validation",
            extra={"accepted": accepted, **(extra or {}), "errors": plan.errors},
        )
    return accepted
