"""Loyalty's use cases, called by its consumers (handlers.py) and its API (api.py): each runs in a unit of work
(runtime.unit_of_work) where the domain decides, the stores load and write, and events.py builds what is
announced.

The ledger use cases take a whole message batch of one workspace: they load what the batch needs (one query per
kind of row), lock the members it touches (FOR UPDATE, in id order), apply the events in event time order in
memory (`ledger_book.LedgerBook`), and write back only what changed. Every entry's id derives from its cause
(`earn:order:<order>`, `reverse:refund:<order>:<time>:<amount>`, `referral:<reward>`, `journey:<action>`...),
and an event whose entry is already in the ledger changes nothing: replaying a batch, or the same purchases and
refunds under new event ids, gives the same ledger.

Without a program in the workspace, events are recorded nowhere. With an inactive one, a purchase keeps its
order row (earning nothing), so a later refund of it takes back nothing once the program is active again, and
the qualifying spend counts it; nothing else is recorded.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Sequence
from dataclasses import astuple, dataclass, replace
from decimal import Decimal
from typing import Any

from contracts.envelope import Envelope
from contracts.http.loyalty import LoyaltyProgramIn
from contracts.journey import LoyaltyPointsRequested
from contracts.loyalty import (
    PointsExpiredData,
    PointsExpiringData,
    PointsRedeemedData,
    TierChangedData,
)
from contracts.referral import RewardGranted, RewardReversed
from runtime import quotas
from runtime.context import ServiceContext
from runtime.db import Connection
from runtime.errors import Conflict
from runtime.handlers import with_customers
from runtime.unit_of_work import Work
from services.loyalty import expiry_store, metrics, program_store, redemption_store, store
from services.loyalty.domain import earn, expiry, ledger, redemption, tiers
from services.loyalty.domain.program import Program
from services.loyalty.events import LoyaltyEvents
from services.loyalty.ledger_book import (
    LedgerBook,
    PlacedOrder,
    applies,
    candidate_ids,
    shown_points,
)
from services.loyalty.redemption_store import MemberChange, ProgramRow, StoredRedemption
from services.loyalty.settings import LoyaltyServiceSettings
from services.loyalty.store import DailyTotal, Entry, LotRow, LoyaltyMember, Order

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoyaltyContext(ServiceContext[LoyaltyServiceSettings]):
    """What loyalty's api, handlers and jobs are given (built by wiring.py)."""


class ConcurrentLedgerWrite(Exception):
    """An entry the batch meant to add was added meanwhile by another writer: the batch is rolled back and retried."""


async def apply_events(work: Work, workspace: str, events: Sequence[Envelope], now: dt.datetime) -> None:
    """Purchases, refunds, survey answers and birthdays (resolved events), referral rewards of kind points and
    journeys' point requests of one workspace, in event time order, into the ledger."""
    conn = work.conn
    relevant = [event for event in events if applies(event)]
    if not relevant:
        return
    stored = await program_store.current(conn, workspace)
    if stored is None:
        return  # no program: recorded nowhere
    program = stored.program
    owned = sorted(await with_customers(conn, workspace, relevant), key=lambda item: item[0].time)
    if not program.rules.active:
        await _keep_orders(work, workspace, owned)
        return
    order_ids = {e.data.order_id for e, _ in owned if e.type in ("purchase", "refund")}
    orders = await store.orders(conn, workspace, order_ids)
    customers = {c for _, c in owned} | {o.customer_id for o in orders.values()}
    members = await store.lock_members(conn, workspace, customers, now)  # before reading entries: see `_write`
    as_read = {customer_id: astuple(member) for customer_id, member in members.items()}
    known = await store.entries(conn, workspace, candidate_ids(program, owned))
    book = LedgerBook(program, members, orders, known, LoyaltyEvents(workspace, now), now=now)
    purchased = {e.data.order_id for e, _ in owned if e.type == "purchase"} - set(orders)
    for waiting in await store.pending_refunds(conn, workspace, purchased):
        book.pending[waiting.order_id].append(waiting)
    if (rules := program.rules.tiers) is not None:
        book.qualifying = await store.qualifying_values(
            conn, workspace, customers, rules.basis, program.rules.currency, rules.window_months, now
        )
    for customer_id, open_lots in (await redemption_store.open_lots(conn, workspace, customers)).items():
        book.lots[customer_id].extend(open_lots)
    since = min(e.time for e, _ in owned) - dt.timedelta(days=2)
    for customer_id, at, points in await store.earned_since(conn, workspace, customers, since):
        book.day_earned[(customer_id, earn.local_day(program, at))] += points
    for event, customer_id in owned:
        data: Any = event.data
        if event.type == "purchase":
            book.purchase(customer_id, data, event.time)
        elif event.type == "refund":
            book.refund(customer_id, data, event.time)
        elif event.type == "survey":
            book.survey(customer_id, data, event.time)
        elif event.type == "identify":
            book.identify(customer_id, data)
        elif isinstance(event, RewardGranted):
            book.reward_granted(customer_id, event)
        elif isinstance(event, RewardReversed):
            book.reward_reversed(customer_id, event)
        elif isinstance(event, LoyaltyPointsRequested):
            book.journey_points(customer_id, event)
    await _write(work, workspace, book, now)
    changed = [m for customer_id, m in sorted(book.members.items()) if astuple(m) != as_read[customer_id]]
    await store.save_members(conn, workspace, changed, now)  # only those that changed: each is a customer.changed
    work.publish_all(book.events.messages)
    earned = sum(entry.points for entry in book.new_entries if entry.kind == "earn")
    taken_back = -sum(entry.points for entry in book.new_entries if entry.kind == "reverse")
    work.after_commit(
        lambda: metrics.count_points("earned", earned), lambda: metrics.count_points("reversed", taken_back)
    )
    await confirm_redemptions(work, workspace, book.placed)


async def _keep_orders(work: Work, workspace: str, owned: Sequence[tuple[Envelope, str]]) -> None:
    """An inactive program's purchases: the order rows alone, earning nothing."""
    new: dict[str, Order] = {}
    for event, customer_id in owned:
        data: Any = event.data
        if event.type == "purchase" and data.order_id not in new:
            amount = Decimal(data.amount)
            new[data.order_id] = Order(data.order_id, customer_id, amount, data.currency, 0, Decimal(0), 0, event.time)
    await store.insert_orders(work.conn, workspace, list(new.values()))


async def _write(work: Work, workspace: str, book: LedgerBook, now: dt.datetime) -> None:
    conn = work.conn
    added = await store.insert_entries(conn, workspace, book.new_entries, now)
    if added != {entry.entry_id for entry in book.new_entries}:
        raise ConcurrentLedgerWrite(f"{len(book.new_entries) - len(added)} entries were recorded meanwhile")
    await store.insert_orders(conn, workspace, list(book.new_orders.values()))
    await store.update_orders(conn, workspace, list(book.changed_orders.values()))
    await store.save_pending_refunds(conn, workspace, book.new_pending, book.applied_pending)
    await store.insert_lots(conn, workspace, book.new_lots)
    await store.update_lots(conn, workspace, list(book.changed_lots.values()))
    totals = [DailyTotal(day, earned=e, reversed=r) for day, (e, r) in sorted(book.totals.items())]
    await store.add_daily_totals(conn, workspace, totals)


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


def parse_program(row: ProgramRow) -> Program:
    return Program(row.version, LoyaltyProgramIn.model_validate(row.document))


def redemption_id(workspace: str, customer_id: str, order_id: str) -> str:
    """`rd_` and a hash of (workspace, customer, order): asking twice for one order finds the same redemption."""
    digest = hashlib.sha256("\x1f".join((workspace, customer_id, order_id)).encode()).hexdigest()
    return f"rd_{digest[:24]}"


def available(member: LoyaltyMember | None) -> int:
    """What a member may redeem now: the balance less debt and open holds, never below 0."""
    return 0 if member is None else max(0, member.balance - member.debt - member.held)


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
    member: LoyaltyMember | None
    lots: list[LotRow]
    holds: list[StoredRedemption]
    qualifying_value: Decimal | None  # None without tiers


async def points_of(conn: Connection, workspace: str, customer_id: str, now: dt.datetime) -> PointsState:
    """The member's points: balance, at most the 200 oldest open lots, open holds (those past their time, not yet
    released by the job, are left out and do not count against `available`), the qualifying value. One snapshot
    (a repeatable-read transaction). NoProgram."""
    async with conn.transaction(isolation="repeatable_read", readonly=True):
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
            values = await store.qualifying_values(
                conn, workspace, [customer_id], rules.basis, program.rules.currency, rules.window_months, now
            )
            value = values.get(customer_id, Decimal(0))
    overdue = sum(h.points for h in holds if h.expires_at <= now)
    live = [h for h in holds if h.expires_at > now]
    return PointsState(program, replace(member, held=max(member.held - overdue, 0)), lots, live, value)


@dataclass(frozen=True)
class Redeemed:
    redemption: StoredRedemption
    created: bool
    available: int
    released: int = 0  # the member's holds past their time released on the way


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
    member = (await store.existing_members(conn, workspace, [customer_id])).get(customer_id)
    existing = await redemption_store.redemption_of_order(conn, workspace, order_id)
    if existing is not None:
        if existing.customer_id != customer_id:
            raise OrderTaken(order_id)
        return Redeemed(existing, False, available(member))
    if member is not None:  # the member's holds past their time go first, so they do not count
        member, released = await _release(conn, workspace, member, now)
    else:
        released = 0
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
    return Redeemed(held, True, available(after[customer_id]), released)


async def _release(
    conn: Connection, workspace: str, member: LoyaltyMember, now: dt.datetime
) -> tuple[LoyaltyMember, int]:
    due = await redemption_store.due_holds_of(conn, workspace, [member.customer_id], now)
    released = await redemption_store.settle(conn, workspace, due, "released", now)
    if not released:
        return member, 0
    change = MemberChange(member.customer_id, held=-sum(r.points for r in released))
    after = await redemption_store.change_members(conn, workspace, [change], now)
    return after[member.customer_id], len(released)


async def confirm_redemptions(work: Work, workspace: str, orders: Sequence[PlacedOrder]) -> int:
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
    members = await store.existing_members(conn, workspace, {r.customer_id for r in held})
    settled = await redemption_store.settle(conn, workspace, [r.redemption_id for r in held], "redeemed", now)
    lots = await redemption_store.open_lots(conn, workspace, members, lock=True)
    entries = [
        Entry(
            f"redeem:{r.redemption_id}",
            r.customer_id,
            "redeem",
            -r.points,
            "redemption",
            None,
            r.order_id,
            program.version,
            by_order[r.order_id].at,
        )
        for r in settled
    ]
    inserted = await store.insert_entries(conn, workspace, entries, now)
    takes: list[ledger.Take] = []
    changes: list[MemberChange] = []
    totals: list[DailyTotal] = []
    outbox = LoyaltyEvents(workspace, now)
    balances = {c: (m.balance, m.debt) for c, m in members.items()}
    for r in sorted(settled, key=lambda r: (r.created_at, r.redemption_id)):
        changes.append(MemberChange(r.customer_id, held=-r.points))
        if f"redeem:{r.redemption_id}" not in inserted:
            continue
        member_lots = [lot.lot for lot in lots.get(r.customer_id, [])]
        taken = ledger.take_oldest_first(member_lots, r.points)
        takes.extend(taken)
        spent = {t.lot_id: t.points for t in taken}
        for lot in lots.get(r.customer_id, []):
            lot.remaining -= spent.get(lot.lot_id, 0)
        lots[r.customer_id] = [lot for lot in lots.get(r.customer_id, []) if lot.remaining > 0]
        changes.append(MemberChange(r.customer_id, balance=-r.points))
        balance, debt = balances.get(r.customer_id, (0, 0))
        balance, debt = max(balance - r.points, 0), debt + max(r.points - balance, 0)
        balances[r.customer_id] = (balance, debt)
        totals.append(DailyTotal(by_order[r.order_id].at.astimezone(dt.UTC).date(), redeemed=r.points))
        data = PointsRedeemedData(
            customer_id=r.customer_id,
            balance=shown_points(program, balance, debt),
            program_version=program.version,
            entry_id=f"redeem:{r.redemption_id}",
            redemption_id=r.redemption_id,
            points=r.points,
            order_id=r.order_id,
            value=str(r.value.quantize(Decimal("0.01"))),
            currency=r.currency,
        )
        outbox.redeemed(data)
    await redemption_store.take_from_lots(conn, workspace, takes)
    await redemption_store.change_members(conn, workspace, changes, now)
    await store.add_daily_totals(conn, workspace, totals)
    work.publish_all(outbox.messages)
    confirmed = [r for r in settled if f"redeem:{r.redemption_id}" in inserted]
    work.after_commit(
        lambda: metrics.count_redemption("confirmed", len(confirmed)),
        lambda: metrics.count_points("redeemed", sum(r.points for r in confirmed)),
    )
    return len(inserted)


async def expire_lots(
    work: Work, workspace: str, program: Program, due: Sequence[expiry_store.Due], now: dt.datetime
) -> int:
    """The due lots expire: `expire:<lot_id>` entries, the lots emptied, balances down, `loyalty.points_expired`
    (each with the member's balance after it). Returns how many lots expired."""
    conn = work.conn
    members = await store.existing_members(conn, workspace, {d.customer_id for d in due})
    expired = await expiry_store.expire_due_lots(conn, workspace, [d.key for d in due], program.version, now)
    outbox = LoyaltyEvents(workspace, now)
    balances = {c: (m.balance, m.debt) for c, m in members.items()}
    for lot in sorted(expired, key=lambda lot: (lot.expires_at or now, lot.lot_id)):
        balance, debt = balances.get(lot.customer_id, (0, 0))
        balance = max(balance - lot.remaining, 0)
        balances[lot.customer_id] = (balance, debt)
        data = PointsExpiredData(
            customer_id=lot.customer_id,
            balance=shown_points(program, balance, debt),
            program_version=program.version,
            entry_id=f"expire:{lot.lot_id}",
            lot_id=lot.lot_id,
            points=lot.remaining,
        )
        outbox.expired(data)
    work.publish_all(outbox.messages)
    points = sum(lot.remaining for lot in expired)
    work.after_commit(lambda: metrics.count_points("expired", points))
    return len(expired)


async def notice_lots(work: Work, workspace: str, program: Program, lots: Sequence[LotRow], now: dt.datetime) -> int:
    """`loyalty.points_expiring` for the lots whose notice is due (domain.expiry.notice_from), once per lot
    (lots.notified_at). Returns how many were noticed."""
    conn = work.conn
    due = [lot for lot in lots if lot.expires_at is not None and expiry.notice_from(program, lot.expires_at) <= now]
    noticed = await expiry_store.mark_noticed(conn, workspace, [lot.lot_id for lot in due], now)
    if not noticed:
        return 0
    members = await redemption_store.members(conn, workspace, {lot.customer_id for lot in noticed})
    outbox = LoyaltyEvents(workspace, now)
    for lot in noticed:
        member = members.get(lot.customer_id)
        assert lot.expires_at is not None
        data = PointsExpiringData(
            customer_id=lot.customer_id,
            balance=shown_points(program, member.balance, member.debt) if member else 0,
            program_version=program.version,
            lot_id=lot.lot_id,
            points=lot.remaining,
            expires_at=lot.expires_at,
        )
        outbox.expiring(data)
    work.publish_all(outbox.messages)
    return len(noticed)


async def release_holds(work: Work, workspace: str, due: Sequence[expiry_store.Due], now: dt.datetime) -> int:
    """Holds past their time are released (`released`, the member's held points down). A hold was never
    announced, so its release is not either. Returns how many were released."""
    conn = work.conn
    await store.existing_members(conn, workspace, {d.customer_id for d in due})
    released = await redemption_store.settle(conn, workspace, [d.key for d in due], "released", now)
    changes = [MemberChange(r.customer_id, held=-r.points) for r in released]
    await redemption_store.change_members(conn, workspace, changes, now)
    work.after_commit(lambda: metrics.count_redemption("released", len(released)))
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
    members = await store.existing_members(conn, workspace, customer_ids)
    values = await store.qualifying_values(
        conn, workspace, members, rules.basis, program.rules.currency, rules.window_months, now
    )
    outbox = LoyaltyEvents(workspace, now)
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
            data = TierChangedData(
                customer_id=customer_id,
                balance=shown_points(program, member.balance, member.debt),
                program_version=program.version,
                previous=change.previous,
                current=change.current,
                direction=change.direction,
                qualifying_value=format(value, "f"),
                reason=change.reason,
            )
            outbox.tier_changed(data, after.since or now)
    await expiry_store.set_tiers(conn, workspace, states, now)
    work.publish_all(outbox.messages)
    return len(states)
