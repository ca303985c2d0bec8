"""Profile's handler of `flywheel.events.inbound`: resolve identities, record facts and stats, and
republish each accepted event with its canonical customer id (through the outbox); the use case is
service.resolve_inbound, in the consumer loop's transaction."""

from __future__ import annotations

from collections.abc import Sequence

from contracts.codec import decode_inbound
from contracts.envelope import Envelope
from runtime.consumer import Delivery, HandlerResult, Record, RetryBatch
from runtime.db import Connection
from runtime.handlers import by_workspace
from runtime.unit_of_work import Work
from services.profile import attribute_store, service, store
from services.profile.domain import TraitBudget
from services.profile.ledger import IdentifierHasher


class InboundHandler:
    def __init__(self, default_phone_region: str | None, trait_budget: TraitBudget, hasher: IdentifierHasher) -> None:
        self._rules = service.InboundRules(default_phone_region, trait_budget, hasher)

    def decode(self, record: Record) -> Envelope:
        return decode_inbound(record.value)

    async def handle(self, conn: Connection, deliveries: Sequence[Delivery[Envelope]]) -> HandlerResult:
        batches = by_workspace(deliveries)
        with_identify = [ws for ws, ds in batches if any(d.event.type == "identify" for d in ds)]
        definitions = await attribute_store.load_definitions(conn, with_identify) if with_identify else {}
        work = Work(conn)
        result = HandlerResult()
        try:
            for workspace, batch in batches:
                rules, found = self._rules, definitions.get(workspace, {})
                result.rejected.extend(await service.resolve_inbound(work, rules, workspace, batch, found))
        except store.ConcurrentChange as exc:  # a concurrent batch got there first: this one runs again
            raise RetryBatch(str(exc)) from exc
        result.publish.extend(work.messages)
        return result
