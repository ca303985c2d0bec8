"""Sales' use cases (deals, quotes, tasks), called by its API, consumers and jobs, each in the caller's unit of
work (runtime.unit_of_work): the domain decides, the stores write, and the events they cause (events.py) are
published when it commits."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from contracts.envelope import Envelope
from contracts.inbound import IdentifyEvent, PurchaseEvent, RefundEvent, VisitEvent
from contracts.internal import ProfileUnmergedData, ResolvedEnvelope
from contracts.journey import SalesTaskRequested
from contracts.scoring import MAX_CHURN_REASON_LENGTH, MAX_CHURN_REASONS, ChurnRiskChanged, RfmSegmentChanged
from contracts.traits import apply_traits
from runtime import erasures, merge_undo, merges
from runtime.context import ServiceContext
from runtime.db import Connection
from runtime.errors import NotFound
from runtime.handlers import with_customers
from runtime.unit_of_work import Work
from services.sales import deal_store, quote_store, signal_store, task_store
from services.sales.deal_store import Deal
from services.sales.domain import quotes as quote_rules
from services.sales.domain.assignment import Assigner
from services.sales.domain.moves import check_close, plan_move
from services.sales.domain.pipeline import Pipeline
from services.sales.events import deal_data, sales_event, stable_id, task_event
from services.sales.quote_store import Quote
from services.sales.settings import SalesServiceSettings
from services.sales.signal_store import Signals
from services.sales.task_store import NewTask, Task

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SalesContext(ServiceContext[SalesServiceSettings]):
    """What sales' api, handlers and jobs are given (built by wiring.py)."""


async def add_tasks(work: Work, workspace: str, tasks: Sequence[NewTask], now: dt.datetime) -> list[Task]:
    """Insert tasks (those that exist already are left alone) and announce the new ones."""
    created = await task_store.insert_tasks(work.conn, workspace, tasks, now)
    work.publish_all(task_event(workspace, "sales.task_created", task, now) for task in created)
    return created


async def complete_task(work: Work, workspace: str, task_id: str, by: str | None, now: dt.datetime) -> None:
    """Mark the task done and announce it; completing it again changes nothing."""
    task = await task_store.complete_task(work.conn, workspace, task_id, by, now)
    if task is not None:
        extra = {"completed_at": task.completed_at, "completed_by": task.completed_by}
        work.publish(task_event(workspace, "sales.task_completed", task, now, **extra))


def sop_tasks(
    workspace: str, pipeline: Pipeline, deal: Deal | dict[str, Any], stage: str, seq: int, now: dt.datetime
) -> list[NewTask]:
    """The checklist of `stage` as tasks of this stage entry, for the deal's owner (`deal` as stored, or the
    fields of a new one)."""
    found = pipeline.stage(stage)
    values = deal if isinstance(deal, dict) else vars(deal)
    return [
        NewTask(
            task_id=stable_id("t", workspace, "sop", values["deal_id"], seq, item.id),
            title=item.title,
            due_at=now + dt.timedelta(days=item.due_in_days),
            source="sop",
            assignee=values["owner"],
            customer_id=values["customer_id"],
            deal_id=values["deal_id"],
            stage_seq=seq,
            checklist_item=item.id,
            required=item.required,
        )
        for item in (found.checklist if found else [])
    ]


async def create_deal(work: Work, workspace: str, pipeline: Pipeline, deal: dict[str, Any], now: dt.datetime) -> None:
    """A new deal in its pipeline's first stage (or the stage given), with that stage's SOP tasks."""
    deal = {**deal, "stage": deal.get("stage") or pipeline.first_stage.id}
    if await deal_store.insert_deal(work.conn, workspace, deal, now):
        await add_tasks(work, workspace, sop_tasks(workspace, pipeline, deal, deal["stage"], 0, now), now)


async def locked_deal(conn: Connection, workspace: str, deal_id: str) -> Deal:
    deal = await deal_store.get_deal(conn, workspace, deal_id, lock=True)
    if deal is None:
        raise NotFound(f"no deal {deal_id!r} in this workspace")
    return deal


async def move_deal(
    work: Work, workspace: str, pipeline: Pipeline, deal_id: str, target: str, override: str | None,
    now: dt.datetime,
) -> None:  # fmt: skip
    """Move the deal if the rules allow (MoveRefused otherwise); entering a stage creates its SOP tasks."""
    conn = work.conn
    deal = await locked_deal(conn, workspace, deal_id)
    open_required = await task_store.open_required_items(conn, workspace, deal_id, deal.stage_seq)
    move = plan_move(
        pipeline,
        status=deal.status,
        current=deal.stage,
        target=target,
        open_required=open_required,
        fields=deal.fields,
        override_reason=override,
    )
    if move is None:
        return
    seq = deal.stage_seq + 1
    await deal_store.enter_stage(conn, workspace, deal_id, target, seq, now, move.override_reason, move.overridden)
    await add_tasks(work, workspace, sop_tasks(workspace, pipeline, deal, target, seq, now), now)
    data = {
        **deal_data(deal),
        "previous_stage": deal.stage,
        "stage": target,
        "backwards": move.backwards,
        "override_reason": move.override_reason,
        "overridden": list(move.overridden),
    }
    work.publish(
        sales_event(workspace, "sales.deal_stage_changed", f"sales.deal_stage_changed:{deal_id}:{seq}", data, now)
    )


async def close_deal(
    work: Work, workspace: str, deal_id: str, outcome: Literal["won", "lost"], reason: str | None,
    now: dt.datetime,
) -> None:  # fmt: skip
    deal = await locked_deal(work.conn, workspace, deal_id)
    if not check_close(deal.status, outcome):
        return
    closed = await deal_store.close_deal(work.conn, workspace, deal_id, outcome, reason, now)
    cycle_days = (now - deal.created_at).total_seconds() / 86400
    data = {**deal_data(closed), "stage": closed.stage, "reason": reason, "cycle_days": max(cycle_days, 0.0)}
    work.publish(sales_event(workspace, f"sales.deal_{outcome}", f"sales.deal_{outcome}:{deal_id}", data, now))


def _quote_data(quote: Quote, deal: Deal) -> dict[str, Any]:
    return {
        "quote_id": quote.quote_id,
        "deal_id": quote.deal_id,
        "customer_id": deal.customer_id,
        "discount_percent": str(quote.discount_percent.normalize()),
        "threshold_percent": str(quote.threshold_percent.normalize()),
        "total": str(quote.total),
        "currency": quote.currency,
    }


async def create_quote(
    work: Work, workspace: str, quote_id: str, deal_id: str, lines: list[quote_rules.QuoteLine],
    discount: Decimal, now: dt.datetime, requested_by: str | None = None, requested_key_id: str | None = None,
) -> None:  # fmt: skip
    """`requested_by` is the creating API key's owner and `requested_key_id` that key, both from the gateway."""
    conn = work.conn
    deal = await locked_deal(conn, workspace, deal_id)
    if deal.status != "open":
        raise quote_rules.QuoteRuleError(409, f"the deal is {deal.status}; quotes are for open deals")
    threshold = (await deal_store.get_settings(conn, workspace)).discount_approval_threshold_percent
    subtotal, total = quote_rules.totals(lines, discount)
    status = quote_rules.initial_status(discount, threshold)
    quote = {
        "quote_id": quote_id,
        "deal_id": deal_id,
        "lines": [line.model_dump(mode="json") for line in lines],
        "discount_percent": discount,
        "threshold_percent": threshold,
        "subtotal": subtotal,
        "total": total,
        "currency": deal.currency,
        "status": status,
        "requested_by": requested_by,
        "requested_key_id": requested_key_id,
    }
    if await quote_store.insert_quote(conn, workspace, quote, now) and status == "pending_approval":
        stored = await quote_store.get_quote(conn, workspace, quote_id)
        assert stored is not None
        event_id = f"sales.quote_approval_requested:{quote_id}"
        data = _quote_data(stored, deal)
        work.publish(sales_event(workspace, "sales.quote_approval_requested", event_id, data, now))


async def _locked_quote(conn: Connection, workspace: str, quote_id: str) -> tuple[Quote, Deal]:
    quote = await quote_store.get_quote(conn, workspace, quote_id, lock=True)
    if quote is None:
        raise NotFound(f"no quote {quote_id!r} in this workspace")
    return quote, await locked_deal(conn, workspace, quote.deal_id)


async def decide_quote(
    work: Work, workspace: str, quote_id: str, decision: Literal["approved", "rejected"], approver: str,
    approver_key_id: str | None, comment: str, now: dt.datetime,
) -> None:  # fmt: skip
    """`approver` is the deciding API key's owner and `approver_key_id` that key, both from the gateway."""
    conn = work.conn
    quote, deal = await _locked_quote(conn, workspace, quote_id)
    managers = (await deal_store.get_settings(conn, workspace)).managers
    if not quote_rules.decide(quote.status, decision, approver, managers):
        return
    await quote_store.decide_quote(conn, workspace, quote_id, decision, approver, approver_key_id, comment, now)
    data = {**_quote_data(quote, deal), "decision": decision, "approver": approver, "comment": comment}
    work.publish(sales_event(workspace, "sales.quote_decided", f"sales.quote_decided:{quote_id}", data, now))


async def accept_quote(work: Work, workspace: str, quote_id: str, now: dt.datetime) -> None:
    """Accepting an approved (or under-threshold) quote wins its deal at the quote's total."""
    quote, deal = await _locked_quote(work.conn, workspace, quote_id)
    if not quote_rules.check_accept(quote.status):
        return
    if deal.status != "open":
        raise quote_rules.QuoteRuleError(409, f"the deal is already {deal.status}")
    await quote_store.accept_quote(work.conn, workspace, quote_id, quote.total, now)
    await close_deal(work, workspace, deal.deal_id, "won", f"accepted quote {quote_id}", now)


# --- consumers' use cases -----------------------------------------------------------------------

AT_RISK_TASK_DUE = dt.timedelta(days=1)


async def request_tasks(work: Work, workspace: str, requests: Sequence[SalesTaskRequested], now: dt.datetime) -> None:
    """Journeys' task requests: one task per action, its id derived from the action id, so a replayed action
    finds its task and adds none. The customer is the one the request names now (after merges); an erased
    customer gets none."""
    conn = work.conn
    survivors = await merges.survivors(conn, workspace, (e.data.customer_id for e in requests))
    customers = {survivors.get(c, c) for c in (e.data.customer_id for e in requests)}
    gone = await erasures.erased(conn, workspace, customers)  # an erasure lasts: no task for them
    requests = [e for e in requests if survivors.get(e.data.customer_id, e.data.customer_id) not in gone]
    customers -= gone
    if not requests:
        return
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
                churn_reasons=tuple(request.data.churn_reasons),
                predicted_clv=_amount(request.data.predicted_clv),
            )
        )
    await task_store.save_turns(conn, workspace, teams)
    await add_tasks(work, workspace, tasks, now)


async def fold_signals(work: Work, workspace: str, events: Sequence[Envelope], now: dt.datetime) -> None:
    """Resolved events and scoring's changes, folded into each customer's signals (what lead scores and
    cross-sell read); a high-value customer turning high churn risk opens a task for their owner."""
    conn = work.conn
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
        return
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
            churn_reasons=tuple(r[:MAX_CHURN_REASON_LENGTH] for r in event.data.reasons[:MAX_CHURN_REASONS]),
            predicted_clv=_amount(event.data.predicted_clv),
        )
        for customer_id, event in at_risk
    ]
    await add_tasks(work, workspace, tasks, now)


def _amount(text: str | None) -> Decimal | None:
    """A contract's decimal string (validated by its pattern) as the Decimal it stands for."""
    return None if text is None else Decimal(text)


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


async def merge_customers(work: Work, workspace: str, survivor: str, merged: str, merge_id: str | None = None) -> None:
    """Fold the merged customer's deals, tasks, signals, categories and owner into the survivor."""
    merge = merge_undo.merge_id_of(survivor, merged, merge_id)
    await signal_store.fold_merged(work.conn, workspace, survivor, merged, merge)


async def unmerge_customers(work: Work, workspace: str, undo: ProfileUnmergedData) -> None:
    """An undone merge: both customers' signals, categories and owner are what they were before it; deals and
    tasks go back to their customer with what happened to them since (stages, status). Signals are counts per
    customer, not rows per event: activity after the merge stays counted on the survivor. Without the merge's
    snapshot (never seen, or older than the retention) only the redirect goes (logged)."""
    outcome = await signal_store.restore_merged(work.conn, workspace, undo.merge_id, undo.survivor_id, undo.restored_id)
    if outcome is merge_undo.Restore.MISSING:
        log.warning(
            "profile.unmerged without a snapshot of the merge",
            extra={"workspace": workspace, "merge_id": undo.merge_id, "outcome": outcome.value},
        )


async def erase_customers(work: Work, workspace: str, ids: Sequence[str]) -> None:
    """Delete what sales holds on the ids (see signal_store.erase for what stays)."""
    await signal_store.erase(work.conn, workspace, list(ids))
