"""Loyalty's use cases, called by its consumers (handlers.py), its API (api.py, api_points.py) and its jobs
(jobs.py): each runs in a unit of work (runtime.unit_of_work), where the domain decides, the stores load and
write, and events.py builds what is announced."""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from contracts.http.loyalty import LoyaltyProgramIn
from contracts.loyalty import PointsExpiredData, PointsExpiringData, PointsRedeemedData, TierChangedData
from runtime import quotas
from runtime.context import ServiceContext
from runtime.db import Connection
from runtime.errors import Conflict
from runtime.unit_of_work import Work
from services.loyalty import expiry_store, redemption_store
from services.loyalty.domain import expiry, ledger, redemption, tiers
from services.loyalty.domain.program import Program
from services.loyalty.events import Outbox
from services.loyalty.redemption_store import (
    DayTotals,
    MemberChange,
    MemberRow,
    NewEntry,
    OpenLot,
    ProgramRow,
    StoredRedemption,
)
from services.loyalty.settings import LoyaltyServiceSettings


@dataclass(frozen=True)
class LoyaltyContext(ServiceContext[LoyaltyServiceSettings]):
    """What loyalty's api, handlers and jobs are given (built by wiring.py)."""


# --- Points view, redemptions, jobs (helper A3) -----------------------------------------------------------


HOLDS = quotas.LOYALTY_HOLDS


class NoProgram(LookupError):
    def __init__(self) -> None:
        super().__init__("this workspace has no loyalty program (PUT one first)")


class RedemptionRefused(Exception):
    def __init__(self, refusal: redemption.Refusal) -> None:
        super().__init__(refusal.detail)
        self.refusal = refusal


class OrderTaken(Conflict):
    def __init__(self, order_id: str) -> None:
        super().__init__(f"order {order_id!r} already has a redemption of another member")


class PurchasedOrder(Protocol):
    """What confirming a redemption reads of a purchase (the handler's own record of it)."""

    @property
    def customer_id(self) -> str: ...

    @property
    def order_id(self) -> str: ...

    @property
    def at(self) -> dt.datetime: ...


def parse_program(row: ProgramRow) -> Program:
    return Program(row.version, LoyaltyProgramIn.model_validate(row.document))


def redemption_id(workspace: str, customer_id: str, order_id: str) -> str:
    """`rd_` and a hash of (workspace, customer, order): asking twice for one order finds the same redemption."""
    digest = hashlib.sha256("\x1f".join((workspace, customer_id, order_id)).encode()).hexdigest()
    return f"rd_{digest[:24]}"


def shown_balance(program: Program, balance: int, debt: int) -> int:
    """The balance as the program shows it: under `negative_balance` a debt shows as a balance below zero; under
    `debt` the debt is shown apart."""
    return balance - debt if program.rules.refunds.shortfall == "negative_balance" else balance


def available(member: MemberRow | None) -> int:
    """What a member may redeem now: the balance less debt and open holds, never below 0."""
    return 0 if member is None else max(0, member.balance - member.debt - member.held)


def months_before(at: dt.datetime, months: int) -> dt.datetime:
    """The same wall-clock time `months` earlier, the day clamped to the month's last."""
    years, month = divmod(at.month - 1 - months, 12)
    year = at.year + years
    day = min(at.day, calendar.monthrange(year, month + 1)[1])
    return at.replace(year=year, month=month + 1, day=day)


async def current_program(conn: Connection, workspace: str) -> Program:
    """The workspace's program now; NoProgram when it has none."""
    row = (await redemption_store.current_programs(conn, [workspace])).get(workspace)
    if row is None:
        raise NoProgram()
    return parse_program(row)


@dataclass(frozen=True)
class PointsState:
    """A member's points as the points view shows them (member None: no ledger yet)."""

    program: Program
    member: MemberRow | None
    lots: list[OpenLot]
    holds: list[StoredRedemption]
    qualifying_value: Decimal | None  # None without tiers


async def points_of(conn: Connection, workspace: str, customer_id: str, now: dt.datetime) -> PointsState:
    """The member's points: balance, at most the 200 oldest open lots, open holds, the qualifying value. NoProgram."""
    program = await current_program(conn, workspace)
    member = await redemption_store.get_member(conn, workspace, customer_id)
    if member is None:
        return PointsState(program, None, [], [], Decimal(0) if program.rules.tiers else None)
    limit = redemption_store.MAX_LISTED
    lots = (await redemption_store.open_lots(conn, workspace, [customer_id], limit=limit)).get(customer_id, [])
    holds = await redemption_store.open_holds(conn, workspace, customer_id, limit)
    value: Decimal | None = None
    rules = program.rules.tiers
    if rules is not None:
        since = months_before(now, rules.window_months)
        values = await expiry_store.qualifying_values(
            conn, workspace, [customer_id], rules.basis, program.rules.currency, since, now
        )
        value = values.get(customer_id, Decimal(0))
    return PointsState(program, member, lots, holds, value)


@dataclass(frozen=True)
class Redeemed:
    redemption: StoredRedemption
    created: bool
    available: int


async def redeem(
    work: Work,
    workspace: str,
    customer_id: str,
    points: int,
    order_id: str,
    order_total: Decimal | None,
    now: dt.datetime,
    max_holds: int,
) -> Redeemed:
    """Holds `points` of the member for the order (the member row locked FOR UPDATE until commit, so racing
    requests take turns and never overspend). An existing redemption of the order is answered unchanged.
    NoProgram, OrderTaken, RedemptionRefused, or quotas.QuotaExceeded beyond `max_holds` open holds."""
    conn = work.conn
    program = await current_program(conn, workspace)
    member = (await redemption_store.lock_members(conn, workspace, [customer_id])).get(customer_id)
    existing = await redemption_store.redemption_of_order(conn, workspace, order_id)
    if existing is not None:
        if existing.customer_id != customer_id:
            raise OrderTaken(order_id)
        return Redeemed(existing, False, available(member))
    if member is not None:  # the member's holds past their time go first, so they do not count
        member = await _release(conn, workspace, member, now)
    free = available(member)
    refusal = redemption.check_redemption(program, points, free, order_total)
    if refusal is not None:
        raise RedemptionRefused(refusal)
    assert member is not None  # nothing is available without a member row
    quotas.check(HOLDS.usage(max_holds, await redemption_store.count_open_holds(conn, workspace, customer_id)))
    held = StoredRedemption(
        redemption_id=redemption_id(workspace, customer_id, order_id),
        customer_id=customer_id,
        order_id=order_id,
        points=points,
        value=redemption.value_of(program, points),
        currency=program.rules.currency,
        status="held",
        created_at=now,
        expires_at=now + dt.timedelta(minutes=program.rules.redemption.hold_minutes),
        settled_at=None,
    )
    if not await redemption_store.insert_hold(conn, workspace, held):
        raise OrderTaken(order_id)  # another member's request for this order got there first
    after = await redemption_store.change_members(conn, workspace, [MemberChange(customer_id, held=points)], now)
    return Redeemed(held, True, available(after[customer_id]))


async def _release(conn: Connection, workspace: str, member: MemberRow, now: dt.datetime) -> MemberRow:
    due = await redemption_store.due_holds_of(conn, workspace, [member.customer_id], now)
    released = await redemption_store.settle(conn, workspace, due, "released", now)
    if not released:
        return member
    change = MemberChange(member.customer_id, held=-sum(r.points for r in released))
    return (await redemption_store.change_members(conn, workspace, [change], now))[member.customer_id]


async def confirm_redemptions(work: Work, workspace: str, orders: Sequence[PurchasedOrder]) -> int:
    """The batch's purchases confirm the held redemptions of their orders (the same member's): a redeem entry
    `redeem:<redemption_id>` taking lots oldest first, balance and held down, `loyalty.points_redeemed`. A
    released (or already redeemed) redemption redeems nothing. One statement per kind of row for the batch;
    returns how many were redeemed."""
    conn = work.conn
    by_order = {o.order_id: o for o in orders}
    if not by_order:
        return 0
    held = [
        r
        for r in await redemption_store.held_for_orders(conn, workspace, by_order)
        if r.customer_id == by_order[r.order_id].customer_id
    ]
    if not held:
        return 0
    program = await current_program(conn, workspace)
    now = max(o.at for o in orders)
    members = await redemption_store.lock_members(conn, workspace, {r.customer_id for r in held})
    settled = await redemption_store.settle(conn, workspace, [r.redemption_id for r in held], "redeemed", now)
    lots = await redemption_store.open_lots(conn, workspace, members, lock=True)
    entries = [
        NewEntry(
            f"redeem:{r.redemption_id}",
            r.customer_id,
            "redeem",
            -r.points,
            "redemption",
            r.order_id,
            program.version,
            by_order[r.order_id].at,
        )
        for r in settled
    ]
    inserted = await redemption_store.insert_entries(conn, workspace, entries, now)
    takes: list[ledger.Take] = []
    changes: list[MemberChange] = []
    totals: list[DayTotals] = []
    outbox = Outbox(workspace, now)
    balances = {c: (m.balance, m.debt) for c, m in members.items()}
    for r in sorted(settled, key=lambda r: (r.created_at, r.redemption_id)):
        changes.append(MemberChange(r.customer_id, held=-r.points))
        if f"redeem:{r.redemption_id}" not in inserted:
            continue
        member_lots = [lot.lot for lot in lots.get(r.customer_id, [])]
        taken = ledger.take_oldest_first(member_lots, r.points)
        takes.extend(taken)
        spent = {t.lot_id: t.points for t in taken}
        lots[r.customer_id] = [
            OpenLot(
                lot.lot_id,
                lot.customer_id,
                lot.earned,
                lot.remaining - spent.get(lot.lot_id, 0),
                lot.earned_at,
                lot.expires_at,
            )
            for lot in lots.get(r.customer_id, [])
            if lot.remaining - spent.get(lot.lot_id, 0) > 0
        ]
        changes.append(MemberChange(r.customer_id, balance=-r.points))
        balance, debt = balances.get(r.customer_id, (0, 0))
        balance, debt = max(balance - r.points, 0), debt + max(r.points - balance, 0)
        balances[r.customer_id] = (balance, debt)
        totals.append(DayTotals(by_order[r.order_id].at.astimezone(dt.UTC).date(), redeemed=r.points))
        data = PointsRedeemedData(
            customer_id=r.customer_id,
            balance=shown_balance(program, balance, debt),
            program_version=program.version,
            entry_id=f"redeem:{r.redemption_id}",
            redemption_id=r.redemption_id,
            points=r.points,
            order_id=r.order_id,
            value=str(r.value.quantize(Decimal("0.01"))),
            currency=r.currency,
        )
        outbox.points_redeemed(data)
    await redemption_store.take_from_lots(conn, workspace, takes)
    await redemption_store.change_members(conn, workspace, changes, now)
    await redemption_store.add_daily_totals(conn, workspace, totals)
    work.publish_all(outbox.messages)
    return len(inserted)


async def expire_lots(
    work: Work, workspace: str, program: Program, due: Sequence[expiry_store.Due], now: dt.datetime
) -> int:
    """The due lots expire: `expire:<lot_id>` entries, the lots emptied, balances down, `loyalty.points_expired`
    (each with the member's balance after it). Returns how many lots expired."""
    conn = work.conn
    members = await redemption_store.lock_members(conn, workspace, {d.customer_id for d in due})
    lots = await expiry_store.lock_due_lots(conn, workspace, [d.key for d in due], now)
    entries = [
        NewEntry(
            f"expire:{lot.lot_id}",
            lot.customer_id,
            "expire",
            -lot.remaining,
            "expiry",
            None,
            program.version,
            lot.expires_at or now,
        )
        for lot in lots
    ]
    inserted = await redemption_store.insert_entries(conn, workspace, entries, now)
    expired = [lot for lot in lots if f"expire:{lot.lot_id}" in inserted]
    outbox = Outbox(workspace, now)
    balances = {c: (m.balance, m.debt) for c, m in members.items()}
    for lot in sorted(expired, key=lambda lot: (lot.expires_at or now, lot.lot_id)):
        balance, debt = balances.get(lot.customer_id, (0, 0))
        balance = max(balance - lot.remaining, 0)
        balances[lot.customer_id] = (balance, debt)
        data = PointsExpiredData(
            customer_id=lot.customer_id,
            balance=shown_balance(program, balance, debt),
            program_version=program.version,
            entry_id=f"expire:{lot.lot_id}",
            lot_id=lot.lot_id,
            points=lot.remaining,
        )
        outbox.points_expired(data)
    await expiry_store.empty_lots(conn, workspace, [lot.lot_id for lot in expired])
    changes = [MemberChange(lot.customer_id, balance=-lot.remaining) for lot in expired]
    await redemption_store.change_members(conn, workspace, changes, now)
    totals = [DayTotals((lot.expires_at or now).astimezone(dt.UTC).date(), expired=lot.remaining) for lot in expired]
    await redemption_store.add_daily_totals(conn, workspace, totals)
    work.publish_all(outbox.messages)
    return len(expired)


async def notice_lots(work: Work, workspace: str, program: Program, lots: Sequence[OpenLot], now: dt.datetime) -> int:
    """`loyalty.points_expiring` for the lots whose notice is due (domain.expiry.notice_from), once per lot
    (lots.notified_at). Returns how many were noticed."""
    conn = work.conn
    due = [lot for lot in lots if lot.expires_at is not None and expiry.notice_from(program, lot.expires_at) <= now]
    noticed = await expiry_store.mark_noticed(conn, workspace, [lot.lot_id for lot in due], now)
    if not noticed:
        return 0
    members = await redemption_store.members(conn, workspace, {lot.customer_id for lot in noticed})
    outbox = Outbox(workspace, now)
    for lot in noticed:
        member = members.get(lot.customer_id)
        assert lot.expires_at is not None
        data = PointsExpiringData(
            customer_id=lot.customer_id,
            balance=shown_balance(program, member.balance, member.debt) if member else 0,
            program_version=program.version,
            lot_id=lot.lot_id,
            points=lot.remaining,
            expires_at=lot.expires_at,
        )
        outbox.points_expiring(data)
    work.publish_all(outbox.messages)
    return len(noticed)


async def release_holds(work: Work, workspace: str, due: Sequence[expiry_store.Due], now: dt.datetime) -> int:
    """Holds past their time are released (`released`, the member's held points down). A hold was never
    announced, so its release is not either. Returns how many were released."""
    conn = work.conn
    await redemption_store.lock_members(conn, workspace, {d.customer_id for d in due})
    released = await redemption_store.settle(conn, workspace, [d.key for d in due], "released", now)
    changes = [MemberChange(r.customer_id, held=-r.points) for r in released]
    await redemption_store.change_members(conn, workspace, changes, now)
    return len(released)


async def review_tiers(
    work: Work, workspace: str, program: Program, customer_ids: Sequence[str], now: dt.datetime
) -> int:
    """The tier review (domain.tiers.at_review) of members whose anniversary or grace end has passed: renewed,
    put in grace, or lowered (`loyalty.tier_changed`). Returns how many members' tier state changed."""
    rules = program.rules.tiers
    if rules is None:
        return 0
    conn = work.conn
    members = await redemption_store.lock_members(conn, workspace, customer_ids)
    since = months_before(now, rules.window_months)
    values = await expiry_store.qualifying_values(
        conn, workspace, members, rules.basis, program.rules.currency, since, now
    )
    outbox = Outbox(workspace, now)
    states = []
    for customer_id, member in sorted(members.items()):
        before = tiers.TierState(member.tier, member.tier_since, member.tier_anniversary, member.tier_grace_until)
        if before.tier is None or before.anniversary is None or before.anniversary > now:
            continue
        if before.grace_until is not None and before.grace_until > now:
            continue
        value = values.get(customer_id, Decimal(0))
        decision = tiers.at_review(rules, before, value, now)
        after = decision.state
        if after == before:
            continue
        states.append((customer_id, after.tier, after.since, after.anniversary, after.grace_until))
        if decision.change is not None:
            change = decision.change
            cause = f"review:{(before.grace_until or before.anniversary).isoformat()}"
            data = TierChangedData(
                customer_id=customer_id,
                balance=shown_balance(program, member.balance, member.debt),
                program_version=program.version,
                previous=change.previous,
                current=change.current,
                direction=change.direction,
                qualifying_value=format(value, "f"),
                reason=change.reason,
            )
            outbox.tier_changed(data, cause)
    await expiry_store.set_tiers(conn, workspace, states, now)
    work.publish_all(outbox.messages)
    return len(states)
