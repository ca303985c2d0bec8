"""Profile's handler of `flywheel.events.inbound`: resolve identities, record facts and stats, and
republish each accepted event with its canonical customer id (through the outbox); the use case is
service.resolve_inbound, in the consumer loop's transaction."""

from __future__ import annotations

from collections.abc import Sequence

from contracts.cloudevents import decode_inbound_message, kafka_receipt
from contracts.envelope import Envelope
from runtime.consumer import Decoded, Delivery, HandlerResult, Record, RetryBatch
from runtime.db import Connection
from runtime.handlers import ContextHandler, by_workspace
from runtime.unit_of_work import Work
from services.profile import attribute_store, guard_store, service, store, tracking
from services.profile.guard import limits_by_workspace, weak_kinds_by_workspace
from services.profile.service import ProfileContext


class InboundHandler(ContextHandler[ProfileContext]):
    packs_outbox = True  # each batch republishes every accepted event: one outbox row per topic, not per event

    def __init__(self, context: ProfileContext) -> None:
        super().__init__(context)
        self._rules = context.inbound_rules  # read once: settings do not change while the service runs

    def decode(self, record: Record) -> Envelope | Decoded[Envelope]:
        """Either CloudEvents Kafka mode (contracts/cloudevents.py). A binary-mode event, or one without `time`
        (which gets the record's timestamp), is made structured once: those bytes are stored and republished."""
        receipt = kafka_receipt(record.timestamp, record.timestamp_type)
        event, structured = decode_inbound_message(record.value, record.headers, receipt)
        return event if structured is record.value else Decoded(event, structured or b"")

    async def handle(self, conn: Connection, deliveries: Sequence[Delivery[Envelope]]) -> HandlerResult:
        # Custom events are checked against the workspace's tracking plan as it is now (tracking.py).
        batches, refused = await tracking.check_custom_events(conn, by_workspace(deliveries))
        with_identify = [ws for ws, ds in batches if any(d.event.type == "identify" for d in ds)]
        definitions = await attribute_store.load_definitions(conn, with_identify) if with_identify else {}
        stored = await guard_store.load_settings(conn, [ws for ws, _ in batches])
        limits = limits_by_workspace({ws: x.limits for ws, x in stored.items()}, (ws for ws, _ in batches))
        weak = weak_kinds_by_workspace({ws: x.weak_kinds for ws, x in stored.items()}, (ws for ws, _ in batches))
        work = Work(conn)
        result = HandlerResult(rejected=refused)
        try:
            for workspace, batch in batches:
                rules, found = self._rules, definitions.get(workspace, {})
                rejected = await service.resolve_inbound(
                    work, rules, workspace, batch, found, limits[workspace], weak[workspace]
                )
                result.rejected.extend(rejected)
                await tracking.count_batch(conn, workspace, batch, rejected)
            await tracking.count_refused(conn, deliveries, refused)
        except store.ConcurrentChange as exc:  # a concurrent batch got there first: this one runs again
            raise RetryBatch(str(exc)) from exc
        result.publish.extend(work.messages)
        return result
