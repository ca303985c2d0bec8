"""The ledger of one message batch, in memory: what loyalty's ledger use cases (service.py) load for a workspace's
batch (members locked, their open lots, the orders it names, the entries already recorded), the events applied to
it in event time order, and what it then holds to write back and announce. No I/O: service.py loads and writes.

Also the ids every entry derives from its cause, and the balance as the program shows it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from contracts.envelope import Envelope
from contracts.http.loyalty import MAX_POINTS
from contracts.journey import LoyaltyPointsRequested
from contracts.loyalty import PointsChangedData, PointsEarnedData, TierChangedData
from contracts.referral import RewardGranted, RewardReversed
from services.loyalty.domain import earn, expiry, ledger, tiers
from services.loyalty.domain.program import Program
from services.loyalty.events import LoyaltyEvents
from services.loyalty.store import Entry, LotRow, LoyaltyMember, Order, PendingRefund

MAX_ENTRY_ID = 600  # contracts.loyalty: an entry id's length
BIRTHDAY = re.compile(r"^(?:\d{4}-|--)?(\d{2})-(\d{2})$")


@dataclass(frozen=True)
class PlacedOrder:
    """A purchase of the batch, for the redemptions its order confirms."""

    customer_id: str
    order_id: str
    at: dt.datetime


# --- ids, balances ------------------------------------------------------------------------------------------


def bounded_id(entry_id: str) -> str:
    """The entry id as is, or (longer than an entry id may be: a 512-character order id) its first part and a
    hash of the whole, the same every time."""
    if len(entry_id) <= MAX_ENTRY_ID:
        return entry_id
    return f"{entry_id[:500]}~{hashlib.sha256(entry_id.encode()).hexdigest()}"


def refund_entry_id(order_id: str, at: dt.datetime, amount: Decimal) -> str:
    """`reverse:refund:<order>:<time>:<amount>`: a refund has no id of its own, and the same refund republished
    under another event id has the same order, time and amount (time in UTC, amount normalised)."""
    when = at.astimezone(dt.UTC).isoformat()
    return bounded_id(f"reverse:refund:{order_id}:{when}:{format(amount.normalize(), 'f')}")


def award_id(award: earn.Award, customer_id: str, order_id: str, local_year: int) -> str:
    """A purchase award's entry id (domain.earn.award_entry_id), bounded."""
    return bounded_id(earn.award_entry_id(award, customer_id, order_id, local_year))


def survey_entry_id(customer_id: str, survey_id: str | None, at: dt.datetime) -> str:
    return bounded_id(f"bonus:survey:{customer_id}:{survey_id or at.astimezone(dt.UTC).isoformat()}")


def shown_points(program: Program, balance: int, debt: int) -> int:
    """The balance as the program shows it: under `negative_balance` a debt shows as a balance below zero; under
    `debt` the debt is shown apart."""
    return balance - debt if program.rules.refunds.shortfall == "negative_balance" else balance


def shown_balance(program: Program, member: LoyaltyMember) -> int:
    return shown_points(program, member.balance, member.debt)


def shown_debt(program: Program, member: LoyaltyMember) -> int:
    return member.debt if program.rules.refunds.shortfall == "debt" else 0


def birthday_month(value: Any) -> int | None:
    """The month of a `birthday` trait (YYYY-MM-DD, --MM-DD or MM-DD), None when it is not a date."""
    if not isinstance(value, str):
        return None
    found = BIRTHDAY.match(value.strip())
    if not found:
        return None
    month, day = int(found.group(1)), int(found.group(2))
    return month if 1 <= month <= 12 and 1 <= day <= 31 else None


def tier_multiplier(program: Program, member: LoyaltyMember) -> Decimal:
    rules = program.rules.tiers
    tier = tiers.tier_named(rules, member.tier) if rules is not None else None
    return tier.earn_multiplier if tier is not None else Decimal(1)


# --- the ledger of one batch, in memory ---------------------------------------------------------------------


@dataclass
class LedgerBook:
    """One workspace's batch: the members it touches (locked), their open lots, the orders it names and the
    entries already recorded; what the batch adds and changes, and the events that announce it."""

    program: Program
    members: dict[str, LoyaltyMember]
    orders: dict[str, Order]
    known: dict[str, Entry]
    events: LoyaltyEvents
    lots: dict[str, list[LotRow]] = field(default_factory=lambda: defaultdict(list))
    day_earned: dict[tuple[str, dt.date], int] = field(default_factory=lambda: defaultdict(int))
    new_entries: list[Entry] = field(default_factory=list)
    new_lots: list[LotRow] = field(default_factory=list)
    new_lot_ids: set[str] = field(default_factory=set)
    changed_lots: dict[str, LotRow] = field(default_factory=dict)
    new_orders: dict[str, Order] = field(default_factory=dict)
    changed_orders: dict[str, Order] = field(default_factory=dict)
    totals: dict[dt.date, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    qualifying: dict[str, Decimal] = field(default_factory=dict)  # each member's rolling value (tiers), kept current
    now: dt.datetime | None = None  # tier dates and the qualifying window's end (the service's clock)
    placed: list[PlacedOrder] = field(default_factory=list)
    pending: dict[str, list[PendingRefund]] = field(default_factory=lambda: defaultdict(list))  # by order
    new_pending: list[PendingRefund] = field(default_factory=list)
    applied_pending: list[str] = field(default_factory=list)

    def has(self, entry_id: str) -> bool:
        return entry_id in self.known

    def _record(self, entry: Entry) -> None:
        self.known[entry.entry_id] = entry
        self.new_entries.append(entry)

    def earn(
        self,
        customer_id: str,
        entry_id: str,
        points: int,
        reason: str,
        at: dt.datetime,
        *,
        rule: str | None = None,
        order_id: str | None = None,
    ) -> None:
        """Credit `points`: what the member owes is repaid first (that part makes no lot), the rest is a lot that
        expires as the program says."""
        if points <= 0 or self.has(entry_id):
            return
        points = min(points, MAX_POINTS)  # a budget: no single credit beyond what a program may name
        member = self.members[customer_id]
        self._record(Entry(entry_id, customer_id, "earn", points, reason, rule, order_id, self.program.version, at))
        repaid = ledger.repay_debt(member.debt, points)
        member.debt -= repaid
        expires_at = expiry.expires_at(self.program, at)
        if points > repaid:
            lot = LotRow(entry_id, customer_id, points - repaid, points - repaid, at, expires_at)
            self.new_lots.append(lot)
            self.new_lot_ids.add(lot.lot_id)
            self.lots[customer_id].append(lot)
            member.balance += points - repaid
        if reason in ("purchase", "bonus"):
            self.day_earned[(customer_id, earn.local_day(self.program, at))] += points
        self.totals[at.astimezone(dt.UTC).date()][0] += points
        if self._basis() == "points" and self._counts(at):
            self.qualifying[customer_id] = self.qualifying.get(customer_id, Decimal(0)) + points
        self.events.earned(
            PointsEarnedData(
                customer_id=customer_id,
                balance=shown_balance(self.program, member),
                program_version=self.program.version,
                entry_id=entry_id,
                points=points,
                reason=reason,
                order_id=order_id,
                rule=rule,
                expires_at=expires_at,
            )
        )

    def take_back(
        self,
        customer_id: str,
        entry_id: str,
        points: int,
        reason: str,
        description: str,
        at: dt.datetime,
        *,
        order_id: str | None = None,
    ) -> None:
        """Take `points` back (a refund, a reversed reward): from the lots expiring first, oldest first; what they
        do not hold becomes debt (shown below zero under `negative_balance`). The entry is recorded even for 0
        points, so its cause counts once."""
        if self.has(entry_id):
            return
        member = self.members[customer_id]
        self._record(Entry(entry_id, customer_id, "reverse", -points, reason, None, order_id, self.program.version, at))
        if points <= 0:
            return
        open_lots = {lot.lot_id: lot for lot in self.lots[customer_id] if lot.remaining > 0}
        takes = ledger.take_oldest_first(
            [ledger.Lot(lot.lot_id, lot.remaining, lot.earned_at, lot.expires_at) for lot in open_lots.values()],
            points,
        )
        taken = 0
        for take in takes:
            lot = open_lots[take.lot_id]
            lot.remaining -= take.points
            taken += take.points
            if lot.lot_id not in self.new_lot_ids:
                self.changed_lots[lot.lot_id] = lot
        member.balance -= taken
        member.debt += points - taken
        self.totals[at.astimezone(dt.UTC).date()][1] += points
        self.events.reversed(
            PointsChangedData(
                customer_id=customer_id,
                balance=shown_balance(self.program, member),
                program_version=self.program.version,
                entry_id=entry_id,
                points=-points,
                reason=description,
                order_id=order_id,
                debt=shown_debt(self.program, member),
            )
        )

    # -- tiers --

    def _basis(self) -> str | None:
        rules = self.program.rules.tiers
        return rules.basis if rules is not None else None

    def _counts(self, at: dt.datetime, currency: str | None = None) -> bool:
        """Whether something at `at` (in `currency`) counts toward the qualifying value: within the rolling
        window ending now (as store.qualifying_values counts), and in the program's currency."""
        rules = self.program.rules.tiers
        if rules is None or self.now is None or (currency is not None and currency != self.program.rules.currency):
            return False
        return at > expiry.add_months(self.now, -rules.window_months)

    def review_tier(self, customer_id: str) -> None:
        """After the member's qualifying value may have changed: up at once when it reaches a higher tier (so the
        batch's next purchase earns at the new tier's multiplier), renewed when back above it in grace; never
        down (only the review lowers a tier)."""
        rules = self.program.rules.tiers
        if rules is None or self.now is None:
            return
        member = self.members[customer_id]
        value = self.qualifying.get(customer_id, Decimal(0))
        state = tiers.TierState(member.tier, member.tier_since, member.tier_anniversary, member.tier_grace_until)
        decision = tiers.on_activity(rules, state, value, self.now)
        set_tier(member, decision.state)
        change = decision.change
        if change is not None and decision.state.since is not None:
            data = TierChangedData(
                customer_id=customer_id,
                balance=shown_balance(self.program, member),
                program_version=self.program.version,
                previous=change.previous,
                current=change.current,
                direction=change.direction,
                qualifying_value=format(value, "f"),
                reason=change.reason[:500],
            )
            self.events.tier_changed(data, decision.state.since)

    # -- the causes --

    def purchase(self, customer_id: str, data: Any, at: dt.datetime) -> None:
        """A purchase's order is kept once (republished under a new event id, it earns nothing more); its awards
        are earned by the program's rules."""
        order_id: str = data.order_id
        if order_id in self.orders:
            return
        member = self.members[customer_id]
        day = earn.local_day(self.program, at)
        facts = earn.MemberFacts(
            first_purchase=member.first_order_id is None,
            birthday_month=member.birthday_month,
            birthday_bonus_given_in=member.birthday_bonus_year,
            earned_on_day=self.day_earned[(customer_id, day)],
            tier_multiplier=tier_multiplier(self.program, member),
        )
        items = tuple(earn.Item(i.sku, i.category, i.quantity, Decimal(i.unit_price)) for i in data.items)
        purchase = earn.Purchase(order_id, Decimal(data.amount), data.currency, items, at)
        awards = earn.points_for_purchase(self.program, purchase, facts)
        order = Order(order_id, customer_id, Decimal(data.amount), data.currency, 0, Decimal(0), 0, at)
        for award in awards:
            entry_id = award_id(award, customer_id, order_id, day.year)
            if self.has(entry_id):
                continue
            points = min(award.points, MAX_POINTS)
            order.points += points
            self.earn(customer_id, entry_id, points, award.reason, at, rule=award.rule, order_id=order_id)
            if award.on == "birthday_month":
                member.birthday_bonus_year = day.year
        if order.points > 0 and member.first_order_id is None:
            member.first_order_id = order_id
        self.orders[order_id] = order
        self.new_orders[order_id] = order
        if self._basis() == "spend" and self._counts(order.at, order.currency):
            self.qualifying[customer_id] = self.qualifying.get(customer_id, Decimal(0)) + order.amount
        self.placed.append(PlacedOrder(customer_id, order_id, at))
        for waiting in sorted(self.pending.pop(order_id, []), key=lambda p: (p.at, p.entry_id)):
            self._reverse_refund(order, waiting.entry_id, waiting.amount, waiting.at)
            self.applied_pending.append(waiting.entry_id)
        self.review_tier(customer_id)

    def refund(self, customer_id: str, data: Any, at: dt.datetime) -> None:
        """Its order's points in proportion to the money refunded (cumulatively over the order's refunds). A
        refund of an order not seen yet waits for its purchase (pending_refunds)."""
        amount = Decimal(data.amount)
        entry_id = refund_entry_id(data.order_id, at, amount)
        if self.has(entry_id):
            return
        order = self.orders.get(data.order_id)
        if order is None:
            waiting = PendingRefund(entry_id, data.order_id, customer_id, amount, at)
            if all(p.entry_id != entry_id for p in self.pending[data.order_id]):
                self.pending[data.order_id].append(waiting)
                self.new_pending.append(waiting)
            return
        self._reverse_refund(order, entry_id, amount, at)
        self.review_tier(order.customer_id)

    def _reverse_refund(self, order: Order, entry_id: str, amount: Decimal, at: dt.datetime) -> None:
        if self.has(entry_id):
            return
        points = ledger.refund_reversal(order.points, order.amount, order.refunded, amount)
        points = max(min(points, order.points - order.reversed), 0)
        if self._basis() == "spend" and self._counts(order.at, order.currency):
            net_before = max(order.amount - order.refunded, Decimal(0))
            net_after = max(order.amount - order.refunded - amount, Decimal(0))
            value = self.qualifying.get(order.customer_id, Decimal(0))
            self.qualifying[order.customer_id] = max(value - (net_before - net_after), Decimal(0))
        order.refunded += amount
        order.reversed += points
        if order.order_id not in self.new_orders:
            self.changed_orders[order.order_id] = order
        description = f"refund of order {order.order_id} ({amount:f} of {order.amount:f})"
        self.take_back(order.customer_id, entry_id, points, "refund", description[:500], at, order_id=order.order_id)

    def survey(self, customer_id: str, data: Any, at: dt.datetime) -> None:
        base = survey_entry_id(customer_id, data.survey_id, at)
        day = earn.local_day(self.program, at)
        for index, award in enumerate(earn.points_for_survey_answer(self.program, self.day_earned[(customer_id, day)])):
            entry_id = base if index == 0 else bounded_id(f"{base}:{award.rule}")
            self.earn(customer_id, entry_id, award.points, "bonus", at, rule=award.rule)
        self.review_tier(customer_id)

    def identify(self, customer_id: str, data: Any) -> None:
        month = birthday_month((data.traits or {}).get("birthday"))
        if month is not None:
            self.members[customer_id].birthday_month = month

    def reward_granted(self, customer_id: str, event: RewardGranted) -> None:
        reward_id = event.data.reward_id
        if self.has(bounded_id(f"reverse:referral:{reward_id}")):  # reversed before it arrived
            return
        points = int(Decimal(event.data.value).to_integral_value(rounding=ROUND_FLOOR))
        self.earn(customer_id, bounded_id(f"referral:{reward_id}"), points, "referral_reward", event.time)
        self.review_tier(customer_id)

    def reward_reversed(self, customer_id: str, event: RewardReversed) -> None:
        reward_id = event.data.reward_id
        earned = self.known.get(bounded_id(f"referral:{reward_id}"))
        points = earned.points if earned is not None else 0  # 0: a mark that keeps a late grant from earning
        owner = earned.customer_id if earned is not None and earned.customer_id in self.members else customer_id
        description = f"referral reward {reward_id} reversed"[:500]
        self.take_back(
            owner, bounded_id(f"reverse:referral:{reward_id}"), points, "referral_reward", description, event.time
        )

    def journey_points(self, customer_id: str, event: LoyaltyPointsRequested) -> None:
        self.earn(customer_id, bounded_id(f"journey:{event.id}"), event.data.points, "journey", event.time)
        self.review_tier(customer_id)


def candidate_ids(program: Program, owned: Sequence[tuple[Envelope, str]]) -> set[str]:
    """Every entry id the batch could add (to load which are recorded already)."""
    ids: set[str] = set()
    bonuses = program.rules.earn.bonuses
    for event, customer_id in owned:
        data: Any = event.data
        if event.type == "purchase":
            year = earn.local_day(program, event.time).year
            awards = [earn.Award(1, "purchase", None)]
            awards += [earn.Award(1, "bonus", b.name or b.on, b.on) for b in bonuses]
            ids |= {award_id(a, customer_id, data.order_id, year) for a in awards}
        elif event.type == "refund":
            ids.add(refund_entry_id(data.order_id, event.time, Decimal(data.amount)))
        elif event.type == "survey":
            base = survey_entry_id(customer_id, data.survey_id, event.time)
            ids |= {base, *(bounded_id(f"{base}:{b.name or b.on}") for b in bonuses)}
        elif isinstance(event, RewardGranted | RewardReversed):
            ids |= {
                bounded_id(f"referral:{event.data.reward_id}"),
                bounded_id(f"reverse:referral:{event.data.reward_id}"),
            }
        elif isinstance(event, LoyaltyPointsRequested):
            ids.add(bounded_id(f"journey:{event.id}"))
    return ids


def applies(event: Envelope) -> bool:
    """Whether loyalty records anything for this event (other types on its topics are left alone)."""
    if event.type in ("purchase", "refund", "survey"):
        return True
    if event.type == "identify":
        return birthday_month((getattr(event.data, "traits", None) or {}).get("birthday")) is not None
    if isinstance(event, RewardGranted | RewardReversed):
        return event.data.kind == "points"
    return isinstance(event, LoyaltyPointsRequested)


def set_tier(member: LoyaltyMember, state: tiers.TierState) -> None:
    member.tier = state.tier
    member.tier_since = state.since
    member.tier_anniversary = state.anniversary
    member.tier_grace_until = state.grace_until
