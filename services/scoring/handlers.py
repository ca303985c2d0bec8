"""Scoring's handlers: resolved events update a customer's inputs and re-score them; loyalty's events keep the
members' balance and tier for segments; profile's merges and erasures are honoured. Each publishes what changed
(through the outbox, in the batch's transaction); the use cases are service.py's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from contracts.codec import Decoder
from contracts.envelope import Envelope
from contracts.internal import (
    RESOLVED_EVENT_TYPES,
    AcquisitionChanged,
    ProfileErased,
    ProfileMerged,
    ProfileUnmerged,
    resolved_custom_model,
)
from contracts.loyalty import LOYALTY_EVENT_TYPES
from runtime.consumer import Delivery, HandlerResult
from runtime.db import Connection
from runtime.handlers import LifecycleDecoding, PerWorkspaceHandler, events_by_workspace
from runtime.outbox import OutboundMessage
from runtime.unit_of_work import Work
from services.scoring import service
from services.scoring.service import ScoringContext


class ResolvedHandler(PerWorkspaceHandler[ScoringContext]):
    """`flywheel.events.resolved`: fold each event into its customer's inputs, then re-score those customers.

    Segments are evaluated within the context's `budget_ms` per workspace (FLYWHEEL_STATEMENT_TIMEOUT_MS): one
    that runs past it is marked failing and the batch goes on (services/scoring/segment_eval.py)."""

    def __init__(self, context: ScoringContext) -> None:
        super().__init__(context, Decoder(RESOLVED_EVENT_TYPES, resolved_custom_model))

    async def handle_workspace(
        self, conn: Connection, workspace: str, events: Sequence[Envelope], now: dt.datetime
    ) -> list[OutboundMessage]:
        work = Work(conn)
        await service.apply_customer_events(work, workspace, events, now, self.context.budget_ms)
        return work.messages


class LoyaltyHandler(PerWorkspaceHandler[ScoringContext]):
    """`flywheel.loyalty.events`: keep each member's loyalty balance and tier (the latest by event time), then
    re-evaluate their segments (segment.entered / exited as for any other change)."""

    def __init__(self, context: ScoringContext) -> None:
        super().__init__(context, Decoder(LOYALTY_EVENT_TYPES))

    async def handle_workspace(
        self, conn: Connection, workspace: str, events: Sequence[Envelope], now: dt.datetime
    ) -> list[OutboundMessage]:
        work = Work(conn)
        await service.apply_loyalty_events(work, workspace, events, now, self.context.budget_ms)
        return work.messages


class LifecycleHandler(LifecycleDecoding[ScoringContext]):
    """`flywheel.profile.lifecycle`: fold merged customers into their survivor (and give them back when the merge
    is undone); forget erased customers; keep
    each customer's acquisition source (the latest decision by its time)."""

    async def handle(self, conn: Connection, deliveries: Sequence[Delivery[Envelope]]) -> HandlerResult:
        now, budget_ms = self.context.now(), self.context.budget_ms
        work = Work(conn)
        sizes = service.size_changes(now)
        acquisitions: list[Delivery[Envelope]] = []  # consecutive ones, applied together per workspace

        async def record_acquisitions() -> None:
            for workspace, batch in events_by_workspace(acquisitions):
                await service.record_acquisitions(work, workspace, batch)
            acquisitions.clear()

        for delivery in deliveries:  # in order: a merge and a later erasure of the survivor must compose
            event = delivery.event
            if isinstance(event, AcquisitionChanged):
                acquisitions.append(delivery)
                continue
            await record_acquisitions()
            if isinstance(event, ProfileMerged):
                data = event.data
                await service.merge_customers(
                    work, event.workspace, data.survivor_id, data.merged_id, now, budget_ms, sizes, data.merge_id
                )
            elif isinstance(event, ProfileUnmerged):
                await service.unmerge_customers(work, event.workspace, event.data, now, budget_ms, sizes)
            elif isinstance(event, ProfileErased):
                await service.erase_customers(
                    work, event.workspace, sorted({event.data.customer_id, *event.data.erased_ids}), sizes
                )
        await record_acquisitions()
        await sizes.record(conn)  # last: after every customer row the merges locked (segment_store.py)
        return HandlerResult(publish=work.messages)
