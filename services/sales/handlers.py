"""Sales' Kafka handlers, one transaction per batch: journeys' task requests become tasks; resolved events
and scoring's changes fold into the customer signals lead scores and cross-sell read (and a high-value
customer turning high churn risk opens a task); merges and erasures are honoured."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from contracts.envelope import Envelope
from contracts.inbound import IdentifyEvent, PurchaseEvent, RefundEvent, VisitEvent
from contracts.internal import ProfileErased, ProfileMerged, ResolvedEnvelope
from contracts.journey import SalesTaskRequested
from contracts.scoring import ChurnRiskChanged, RfmSegmentChanged
from contracts.traits import apply_traits
from runtime import erasures, merges
from runtime.consumer import Delivery, HandlerResult
from runtime.db import Connection
from runtime.handlers import (
    DecodingHandler,
    LifecycleDecoding,
    PerWorkspaceHandler,
    events_by_workspace,
    with_customers,
)
from runtime.outbox import OutboundMessage
from runtime.unit_of_work import Work
from services.sales import deal_store, signal_store, task_store
from services.sales.domain.assignment import Assigner
from services.sales.events import stable_id
from services.sales.service import add_tasks
from services.sales.signal_store import Signals
from services.sales.task_store import NewTask

AT_RISK_TASK_DUE = dt.timedelta(days=1)


class JourneyActionsHandler(DecodingHandler):
    """`sales.task_requested` (other actions on the topic are for other services): one task per action,
    its id derived from the action id, so a replayed action finds its task and adds none."""

    async def handle(self, conn: Connection, deliveries: Sequence[Delivery[Envelope]]) -> HandlerResult:
        now = self._clock()
        result = HandlerResult()
        for workspace, events in events_by_workspace(deliveries):
            requests = [e for e in events if isinstance(e, SalesTaskRequested)]
            if not requests:
                continue
            survivors = await merges.survivors(conn, workspace, (e.data.customer_id for e in requests))
            customers = {survivors.get(c, c) for c in (e.data.customer_id for e in requests)}
            gone = await erasures.erased(conn, workspace, customers)  # an erasure lasts: no task for them
            requests = [e for e in requests if survivors.get(e.data.customer_id, e.data.customer_id) not in gone]
            customers -= gone
            if not requests:
                continue
            owners = await task_store.owners_of(conn, workspace, customers)
            teams = await task_store.lock_teams(conn, workspace, {e.data.team for e in requests if e.data.team})
            assigner = Assigner(owners, teams)
            tasks = []
            for request in requests:
                customer_id = survivors.get(request.data.customer_id, request.data.customer_id)
                tasks.append(
                    NewTask(
                        task_id=stable_id("t", workspace, "journey", request.id),
                        title=request.data.title,
                        reason=request.data.reason,
                        due_at=request.data.due_at,
                        source="journey",
                        assignee=assigner.assignee(request.data.assignee_rule, customer_id, request.data.team),
                        team=request.data.team if request.data.assignee_rule == "round_robin" else None,
                        customer_id=customer_id,
                    )
                )
            await task_store.save_turns(conn, workspace, teams)
            work = Work(conn)
            await add_tasks(work, workspace, tasks, now)
            result.publish.extend(work.messages)
        return result


class SignalsHandler(PerWorkspaceHandler):
    """Resolved events and scoring's changes, folded into each customer's signals."""

    async def handle_workspace(
        self, conn: Connection, workspace: str, events: Sequence[Envelope], now: dt.datetime
    ) -> list[OutboundMessage]:
        owned = await with_customers(conn, workspace, events)
        signals = await signal_store.load_signals(conn, workspace, {c for _, c in owned})
        settings = await deal_store.get_settings(conn, workspace)
        bought: set[tuple[str, str]] = set()
        at_risk: list[tuple[str, ChurnRiskChanged]] = []
        for event, customer_id in owned:
            record = signals[customer_id]
            _fold(record, event, customer_id, bought)
            if isinstance(event, ChurnRiskChanged):
                if event.data.current != "high":
                    record.at_risk_since = None
                elif record.at_risk_since is None and settings.is_high_value(
                    record.facts.rfm_segment, Decimal(record.facts.revenue)
                ):
                    record.at_risk_since = event.time
                    at_risk.append((customer_id, event))
        await signal_store.save_signals(conn, workspace, signals)
        await signal_store.add_categories(conn, workspace, sorted(bought))
        if not at_risk:
            return []
        owners = await task_store.owners_of(conn, workspace, (c for c, _ in at_risk))
        tasks = [
            NewTask(
                task_id=stable_id("t", workspace, "signal", customer_id, event.id),
                title=f"High-value customer {customer_id} at high churn risk",
                reason="; ".join(event.data.reasons),
                due_at=now + AT_RISK_TASK_DUE,
                source="signal",
                assignee=owners.get(customer_id),
                customer_id=customer_id,
            )
            for customer_id, event in at_risk
        ]
        work = Work(conn)
        await add_tasks(work, workspace, tasks, now)
        return work.messages


def _fold(record: Signals, event: Envelope, customer_id: str, bought: set[tuple[str, str]]) -> None:
    facts = record.facts
    if isinstance(event, RfmSegmentChanged):
        facts.rfm_segment = event.data.current
        return
    if isinstance(event, ChurnRiskChanged):
        facts.churn_band = event.data.current
        return
    if not isinstance(event, ResolvedEnvelope):
        return  # other scoring changes say nothing a lead score reads
    if facts.last_activity_at is None or event.time > facts.last_activity_at:
        facts.last_activity_at = event.time
    if isinstance(event, VisitEvent):
        facts.visits += 1
    elif isinstance(event, PurchaseEvent):
        facts.purchases += 1
        facts.revenue = Decimal(facts.revenue) + event.data.amount
        bought.update((customer_id, item.category) for item in event.data.items if item.category)
    elif isinstance(event, RefundEvent):
        facts.revenue = max(Decimal(0), Decimal(facts.revenue) - event.data.amount)
    elif isinstance(event, IdentifyEvent):
        facts.traits, record.trait_times = apply_traits(facts.traits, record.trait_times, event.data.traits, event.time)


class LifecycleHandler(LifecycleDecoding):
    """A merge folds the merged customer's deals, tasks, signals, categories and owner into the survivor;
    an erasure deletes what sales holds on the ids (see signal_store.erase for what stays)."""

    async def handle(self, conn: Connection, deliveries: Sequence[Delivery[Envelope]]) -> HandlerResult:
        for delivery in deliveries:
            event = delivery.event
            if isinstance(event, ProfileMerged):
                await signal_store.fold_merged(conn, event.workspace, event.data.survivor_id, event.data.merged_id)
            elif isinstance(event, ProfileErased):
                ids = sorted({event.data.customer_id, *event.data.erased_ids})
                await signal_store.erase(conn, event.workspace, ids)
        return HandlerResult()
