"""What deal, quote and task operations do, in the caller's transaction: the domain decides, the stores
write, and the events they cause go to the outbox in the same transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Literal

import asyncpg

from runtime.db import Connection
from runtime.outbox import OutboundMessage, write_outbox
from services.sales import deal_store, task_store
from services.sales.domain import quotes as quote_rules
from services.sales.domain.moves import check_close, plan_move
from services.sales.domain.pipeline import Pipeline
from services.sales.events import deal_data, sales_event, stable_id, task_event
from services.sales.task_store import NewTask


class NotFound(Exception):
    pass


async def add_tasks(
    conn: Connection, workspace: str, tasks: Sequence[NewTask], now: dt.datetime
) -> tuple[list[asyncpg.Record], list[OutboundMessage]]:
    """Insert tasks (those that exist already are left alone) and announce the new ones."""
    created = await task_store.insert_tasks(conn, workspace, tasks, now)
    return created, [task_event(workspace, "sales.task_created", row, now) for row in created]


def sop_tasks(
    workspace: str, pipeline: Pipeline, deal: asyncpg.Record | dict[str, Any], stage: str, seq: int, now: dt.datetime
) -> list[NewTask]:
    """The checklist of `stage` as tasks of this stage entry, for the deal's owner."""
    found = pipeline.stage(stage)
    return [
        NewTask(
            task_id=stable_id("t", workspace, "sop", deal["deal_id"], seq, item.id),
            title=item.title,
            due_at=now + dt.timedelta(days=item.due_in_days),
            source="sop",
            assignee=deal["owner"],
            customer_id=deal["customer_id"],
            deal_id=deal["deal_id"],
            stage_seq=seq,
            checklist_item=item.id,
            required=item.required,
        )
        for item in (found.checklist if found else [])
    ]


async def create_deal(
    conn: Connection, workspace: str, pipeline: Pipeline, deal: dict[str, Any], now: dt.datetime
) -> None:
    """A new deal in its pipeline's first stage (or the stage given), with that stage's SOP tasks."""
    deal = {**deal, "stage": deal.get("stage") or pipeline.first_stage.id}
    if await deal_store.insert_deal(conn, workspace, deal, now):
        _, events = await add_tasks(conn, workspace, sop_tasks(workspace, pipeline, deal, deal["stage"], 0, now), now)
        await write_outbox(conn, events)


async def locked_deal(conn: Connection, workspace: str, deal_id: str) -> asyncpg.Record:
    deal = await deal_store.get_deal(conn, workspace, deal_id, lock=True)
    if deal is None:
        raise NotFound(f"no deal {deal_id!r} in this workspace")
    return deal


async def move_deal(
    conn: Connection, workspace: str, pipeline: Pipeline, deal_id: str, target: str, override: str | None,
    now: dt.datetime,
) -> None:  # fmt: skip
    """Move the deal if the rules allow (MoveRefused otherwise); entering a stage creates its SOP tasks."""
    deal = await locked_deal(conn, workspace, deal_id)
    open_required = await task_store.open_required_items(conn, workspace, deal_id, deal["stage_seq"])
    move = plan_move(
        pipeline,
        status=deal["status"],
        current=deal["stage"],
        target=target,
        open_required=open_required,
        fields=deal["fields"],
        override_reason=override,
    )
    if move is None:
        return
    seq = deal["stage_seq"] + 1
    await deal_store.enter_stage(conn, workspace, deal_id, target, seq, now, move.override_reason, move.overridden)
    _, events = await add_tasks(conn, workspace, sop_tasks(workspace, pipeline, deal, target, seq, now), now)
    data = {
        **deal_data(deal),
        "previous_stage": deal["stage"],
        "stage": target,
        "backwards": move.backwards,
        "override_reason": move.override_reason,
        "overridden": list(move.overridden),
    }
    events.append(
        sales_event(workspace, "sales.deal_stage_changed", f"sales.deal_stage_changed:{deal_id}:{seq}", data, now)
    )
    await write_outbox(conn, events)


async def close_deal(
    conn: Connection, workspace: str, deal_id: str, outcome: Literal["won", "lost"], reason: str | None,
    now: dt.datetime,
) -> None:  # fmt: skip
    deal = await locked_deal(conn, workspace, deal_id)
    if not check_close(deal["status"], outcome):
        return
    closed = await deal_store.close_deal(conn, workspace, deal_id, outcome, reason, now)
    cycle_days = (now - deal["created_at"]).total_seconds() / 86400
    data = {**deal_data(closed), "stage": closed["stage"], "reason": reason, "cycle_days": max(cycle_days, 0.0)}
    await write_outbox(
        conn, [sales_event(workspace, f"sales.deal_{outcome}", f"sales.deal_{outcome}:{deal_id}", data, now)]
    )


def _quote_data(quote: asyncpg.Record, deal: asyncpg.Record) -> dict[str, Any]:
    return {
        "quote_id": quote["quote_id"],
        "deal_id": quote["deal_id"],
        "customer_id": deal["customer_id"],
        "discount_percent": str(quote["discount_percent"].normalize()),
        "threshold_percent": str(quote["threshold_percent"].normalize()),
        "total": str(quote["total"]),
        "currency": quote["currency"],
    }


async def create_quote(
    conn: Connection, workspace: str, quote_id: str, deal_id: str, lines: list[quote_rules.QuoteLine],
    discount: Decimal, now: dt.datetime,
) -> None:  # fmt: skip
    deal = await locked_deal(conn, workspace, deal_id)
    if deal["status"] != "open":
        raise quote_rules.QuoteRuleError(409, f"the deal is {deal['status']}; quotes are for open deals")
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
        "currency": deal["currency"],
        "status": status,
    }
    if await deal_store.insert_quote(conn, workspace, quote, now) and status == "pending_approval":
        stored = await deal_store.get_quote(conn, workspace, quote_id)
        assert stored is not None
        event_id = f"sales.quote_approval_requested:{quote_id}"
        data = _quote_data(stored, deal)
        await write_outbox(conn, [sales_event(workspace, "sales.quote_approval_requested", event_id, data, now)])


async def _locked_quote(conn: Connection, workspace: str, quote_id: str) -> tuple[asyncpg.Record, asyncpg.Record]:
    quote = await deal_store.get_quote(conn, workspace, quote_id, lock=True)
    if quote is None:
        raise NotFound(f"no quote {quote_id!r} in this workspace")
    return quote, await locked_deal(conn, workspace, quote["deal_id"])


async def decide_quote(
    conn: Connection, workspace: str, quote_id: str, decision: Literal["approved", "rejected"], approver: str,
    approver_key_id: str | None, comment: str, now: dt.datetime,
) -> None:  # fmt: skip
    """`approver` is the deciding API key's owner and `approver_key_id` that key, both from the gateway."""
    quote, deal = await _locked_quote(conn, workspace, quote_id)
    managers = (await deal_store.get_settings(conn, workspace)).managers
    if not quote_rules.decide(quote["status"], decision, approver, managers):
        return
    await deal_store.decide_quote(conn, workspace, quote_id, decision, approver, approver_key_id, comment, now)
    data = {**_quote_data(quote, deal), "decision": decision, "approver": approver, "comment": comment}
    await write_outbox(
        conn, [sales_event(workspace, "sales.quote_decided", f"sales.quote_decided:{quote_id}", data, now)]
    )


async def accept_quote(conn: Connection, workspace: str, quote_id: str, now: dt.datetime) -> None:
    """Accepting an approved (or under-threshold) quote wins its deal at the quote's total."""
    quote, deal = await _locked_quote(conn, workspace, quote_id)
    if not quote_rules.check_accept(quote["status"]):
        return
    if deal["status"] != "open":
        raise quote_rules.QuoteRuleError(409, f"the deal is already {deal['status']}")
    await deal_store.accept_quote(conn, workspace, quote_id, quote["total"], now)
    await close_deal(conn, workspace, deal["deal_id"], "won", f"accepted quote {quote_id}", now)
