"""The referral engine: applies one workspace's events, in event-time order, to the state the store
loaded for them, and records what changed and what to announce. No I/O: the handler loads a `Book`,
calls the engine, and writes back what the book marks dirty."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from services.referral.domain import rules
from services.referral.domain.program import Program, Reward, RewardKind
from services.referral.domain.rules import RewardStatus, Touch


@dataclass
class Customer:
    first_purchase_at: dt.datetime | None = None
    identifiers: set[tuple[str, str]] = field(default_factory=set)


@dataclass
class Attribution:
    friend_id: str
    program_id: str
    referrer_id: str
    code: str
    first_touch_at: dt.datetime
    attributed_at: dt.datetime
    status: Literal["signed_up", "purchased", "rejected"]
    reason: str | None = None
    fraud: str | None = None
    signed_up_at: dt.datetime | None = None
    purchased_at: dt.datetime | None = None
    order_id: str | None = None
    qualified: bool = False
    device_id: str | None = None
    email_domain: str | None = None


@dataclass
class RewardEntry:
    reward_id: str
    program_id: str
    beneficiary_id: str
    role: Literal["referrer", "friend"]
    kind: RewardKind
    value: Decimal
    trigger: Literal["signup", "first_purchase", "tier"]
    referrer_id: str
    friend_id: str | None
    status: RewardStatus
    reason: str | None
    created_at: dt.datetime
    tier: str | None = None
    order_id: str | None = None


@dataclass
class Purchase:
    order_id: str
    customer_id: str
    amount: Decimal
    refunded: Decimal
    purchased_at: dt.datetime


Announcement = tuple[Literal["attributed", "granted", "held", "reversed"], Attribution | RewardEntry]


@dataclass
class Book:
    """The state one batch needs, loaded by the store; the engine changes it and marks what it changed."""

    programs: dict[str, Program] = field(default_factory=dict)
    codes: dict[str, tuple[str, str]] = field(default_factory=dict)  # code -> (program_id, referrer_id)
    customers: defaultdict[str, Customer] = field(default_factory=lambda: defaultdict(Customer))
    touches: defaultdict[str, list[Touch]] = field(default_factory=lambda: defaultdict(list))  # by friend
    attributions: dict[str, Attribution] = field(default_factory=dict)  # by friend
    rewards: dict[str, RewardEntry] = field(default_factory=dict)
    purchases: dict[str, Purchase] = field(default_factory=dict)
    budget_used: defaultdict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    monthly: defaultdict[tuple[str, str, str], int] = field(default_factory=lambda: defaultdict(int))
    successful: defaultdict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    device_signups: defaultdict[tuple[str, str], list[dt.datetime]] = field(default_factory=lambda: defaultdict(list))
    domain_signups: defaultdict[tuple[str, str], list[dt.datetime]] = field(default_factory=lambda: defaultdict(list))
    segments: set[tuple[str, str]] = field(default_factory=set)  # (segment id or name, customer_id)


@dataclass
class BookChanges:
    touches: list[Touch] = field(default_factory=list)
    invites: list[Touch] = field(default_factory=list)
    attributions: set[str] = field(default_factory=set)
    rewards: set[str] = field(default_factory=set)
    purchases: set[str] = field(default_factory=set)
    customers: set[str] = field(default_factory=set)
    announcements: list[Announcement] = field(default_factory=list)


def eligible(program: Program, referrer_id: str, segments: set[tuple[str, str]]) -> bool:
    segment = program.eligibility.segment
    return program.eligibility.who == "everyone" or (segment is not None and (segment, referrer_id) in segments)


class Engine:
    def __init__(self, book: Book) -> None:
        self.book = book
        self.changes = BookChanges()

    def observe(self, customer_id: str, identifiers: set[tuple[str, str]]) -> None:
        customer = self.book.customers[customer_id]
        if not identifiers <= customer.identifiers:
            customer.identifiers |= identifiers
            self.changes.customers.add(customer_id)

    def referral(self, customer_id: str, action: str, code: str, at: dt.datetime) -> None:
        owner = self.book.codes.get(code)
        if owner is None:
            return  # a code this workspace never issued: nothing to attribute to
        program_id, referrer_id = owner
        touch = Touch(customer_id, program_id, code, referrer_id, action, at)
        if action == "invite_sent":
            self.changes.invites.append(touch)
            return
        self._touch(touch)
        if action == "signed_up":
            attribution = self._attribute(customer_id, at)
            if attribution is not None and attribution.status != "rejected" and attribution.signed_up_at is None:
                attribution.signed_up_at = at
                self._signed_up(attribution, at)

    def purchase(self, customer_id: str, order_id: str, amount: Decimal, code: str | None, at: dt.datetime) -> None:
        if order_id in self.book.purchases:
            return  # the same order again (a re-sent event under a new id)
        self.book.purchases[order_id] = Purchase(order_id, customer_id, amount, Decimal(0), at)
        self.changes.purchases.add(order_id)
        if code and code in self.book.codes:
            program_id, referrer_id = self.book.codes[code]
            self._touch(Touch(customer_id, program_id, code, referrer_id, "purchase", at))
        customer = self.book.customers[customer_id]
        attribution = self.book.attributions.get(customer_id)
        if attribution is None and self.book.touches.get(customer_id):
            attribution = self._attribute(customer_id, at)
        if customer.first_purchase_at is None or at < customer.first_purchase_at:
            customer.first_purchase_at = at
            self.changes.customers.add(customer_id)
        if attribution is None or attribution.status == "rejected":
            return
        program = self.book.programs.get(attribution.program_id)
        if program is None or at - attribution.first_touch_at > program.window:
            return
        if attribution.purchased_at is None:
            attribution.purchased_at = at
            attribution.status = "purchased"
            self.changes.attributions.add(customer_id)
        for role, rule in (("referrer", program.referrer_reward), ("friend", program.friend_reward)):
            if rule is not None and rules.purchase_qualifies(rule, amount):
                self._reward(program, attribution, role, rule, at, order_id)  # type: ignore[arg-type]
        qualifying = rules.qualifying_rule(program)
        if not attribution.qualified and rules.purchase_qualifies(qualifying, amount):
            attribution.order_id = order_id
            self._qualified(program, attribution, at)
        elif attribution.order_id is None and any(
            r.order_id == order_id for r in self.book.rewards.values() if r.friend_id == customer_id
        ):
            attribution.order_id = order_id

    def refund(self, order_id: str, amount: Decimal, at: dt.datetime) -> None:
        purchase = self.book.purchases.get(order_id)
        if purchase is None:
            return  # a refund of an order before this service's time: no reward can hang on it
        purchase.refunded += amount
        self.changes.purchases.add(order_id)
        attribution = self.book.attributions.get(purchase.customer_id)
        if attribution is None or attribution.status == "rejected":
            return
        program = self.book.programs.get(attribution.program_id)
        if program is None:
            return
        reason = f"qualifying purchase {order_id} refunded"

        def no_longer_qualifies(rule: Reward | None) -> bool:
            return rule is not None and rules.refund_reverses(
                rule, purchase.amount, purchase.refunded, purchase.purchased_at, at, program.window
            )

        for reward in self.book.rewards.values():
            if reward.friend_id == attribution.friend_id and reward.order_id == order_id:
                rule = program.referrer_reward if reward.role == "referrer" else program.friend_reward
                if no_longer_qualifies(rule):
                    self.reverse(reward, reason)
        qualifying = rules.qualifying_rule(program)
        if attribution.qualified and attribution.order_id == order_id and no_longer_qualifies(qualifying):
            attribution.qualified = False
            self.book.successful[(attribution.program_id, attribution.referrer_id)] -= 1
            self.changes.attributions.add(attribution.friend_id)

    def reverse(self, reward: RewardEntry, reason: str) -> None:
        """A granted reward is reversed (announced); a held one is refused (it was never granted)."""
        if reward.status not in ("granted", "held"):
            return
        if reward.kind == "amount":
            self.book.budget_used[reward.program_id] -= reward.value
        if reward.status == "granted":
            reward.status = "reversed"
            self.changes.announcements.append(("reversed", reward))
        else:
            reward.status = "rejected"
        reward.reason = reason
        self.changes.rewards.add(reward.reward_id)

    def _touch(self, touch: Touch) -> None:
        if touch not in self.book.touches[touch.friend_id]:
            self.book.touches[touch.friend_id].append(touch)
            self.changes.touches.append(touch)

    def _attribute(self, friend_id: str, at: dt.datetime) -> Attribution | None:
        """The friend's attribution: made once, from the first touch within the window."""
        existing = self.book.attributions.get(friend_id)
        if existing is not None:
            return existing
        windows = {pid: p.window for pid, p in self.book.programs.items()}
        touch = rules.first_touch(self.book.touches[friend_id], at, windows)
        if touch is None:
            return None
        program = self.book.programs[touch.program_id]
        friend = self.book.customers[friend_id]
        device = min((v for k, v in friend.identifiers if k == "anonymous_id"), default=None)
        domain = rules.email_domain(min((v for k, v in friend.identifiers if k == "email"), default=None))
        reason = self._refusal(program, touch, friend)
        attribution = Attribution(
            friend_id=friend_id,
            program_id=touch.program_id,
            referrer_id=touch.referrer_id,
            code=touch.code,
            first_touch_at=touch.at,
            attributed_at=at,
            status="rejected" if reason else "signed_up",
            reason=reason,
            device_id=device,
            email_domain=domain,
        )
        if reason is None:
            attribution.fraud = self._fraud(program, attribution, at)
        self.book.attributions[friend_id] = attribution
        self.changes.attributions.add(friend_id)
        self.changes.announcements.append(("attributed", attribution))
        return attribution

    def _refusal(self, program: Program, touch: Touch, friend: Customer) -> str | None:
        if not program.running_at(touch.at):
            return "program not running at the first touch"
        if not eligible(program, touch.referrer_id, self.book.segments):
            return f"referrer not eligible: not in segment {program.eligibility.segment}"
        referrer = self.book.customers[touch.referrer_id]
        return rules.self_referral_reason(
            touch.friend_id, touch.referrer_id, friend.identifiers, referrer.identifiers
        ) or rules.existing_customer_reason(friend.first_purchase_at, touch.at)

    def _fraud(self, program: Program, attribution: Attribution, at: dt.datetime) -> str | None:
        pid = attribution.program_id
        device_times = self.book.device_signups[(pid, attribution.device_id)] if attribution.device_id else []
        domain_times = self.book.domain_signups[(pid, attribution.email_domain)] if attribution.email_domain else []
        device_times.append(at)
        domain_times.append(at)
        return rules.fraud_reason(
            program.fraud, at, attribution.device_id, device_times, attribution.email_domain, domain_times
        )

    def _signed_up(self, attribution: Attribution, at: dt.datetime) -> None:
        self.changes.attributions.add(attribution.friend_id)
        program = self.book.programs[attribution.program_id]
        for role, rule in (("referrer", program.referrer_reward), ("friend", program.friend_reward)):
            if rule is not None and rule.trigger == "signup":
                self._reward(program, attribution, role, rule, at, None)  # type: ignore[arg-type]
        if rules.qualifying_rule(program).trigger == "signup" and not attribution.qualified:
            self._qualified(program, attribution, at)

    def _qualified(self, program: Program, attribution: Attribution, at: dt.datetime) -> None:
        attribution.qualified = True
        self.changes.attributions.add(attribution.friend_id)
        key = (attribution.program_id, attribution.referrer_id)
        self.book.successful[key] += 1
        prefix = f"rw_{attribution.program_id}_{attribution.referrer_id}_tier_"
        done = [int(r[len(prefix) :]) for r in self.book.rewards if r.startswith(prefix)]
        for tier in rules.tiers_reached(program.tiers, self.book.successful[key], done):
            if tier.reward is None:
                continue
            entry = self._entry(program, attribution, "referrer", tier.reward.kind, tier.reward.value, "tier", at)
            entry.reward_id, entry.tier, entry.friend_id = f"{prefix}{tier.friends}", tier.name, None
            self._decide(program, entry, attribution.fraud, monthly=False)

    def _reward(
        self,
        program: Program,
        attribution: Attribution,
        role: Literal["referrer", "friend"],
        rule: Reward,
        at: dt.datetime,
        order_id: str | None,
    ) -> None:
        entry = self._entry(program, attribution, role, rule.kind, rule.value, rule.trigger, at)
        if entry.reward_id in self.book.rewards:
            return  # once per attribution and role
        entry.order_id = order_id
        self._decide(program, entry, attribution.fraud, monthly=role == "referrer")

    @staticmethod
    def _entry(
        program: Program,
        attribution: Attribution,
        role: Literal["referrer", "friend"],
        kind: RewardKind,
        value: Decimal,
        trigger: Literal["signup", "first_purchase", "tier"],
        at: dt.datetime,
    ) -> RewardEntry:
        return RewardEntry(
            reward_id=f"rw_{attribution.program_id}_{attribution.friend_id}_{role}",
            program_id=attribution.program_id,
            beneficiary_id=attribution.referrer_id if role == "referrer" else attribution.friend_id,
            role=role,
            kind=kind,
            value=value,
            trigger=trigger,
            referrer_id=attribution.referrer_id,
            friend_id=attribution.friend_id,
            status="granted",
            reason=None,
            created_at=at,
        )

    def _decide(self, program: Program, entry: RewardEntry, fraud: str | None, *, monthly: bool) -> None:
        month = (entry.program_id, entry.referrer_id, rules.month_of(entry.created_at))
        usage = rules.Usage(self.book.monthly[month], self.book.budget_used[entry.program_id])
        decision = rules.decide_reward(
            program, entry.kind, entry.value, counts_toward_monthly_limit=monthly, usage=usage, fraud=fraud
        )
        entry.status, entry.reason = decision.status, decision.reason
        if decision.status in ("granted", "held"):
            if monthly:
                self.book.monthly[month] += 1
            if entry.kind == "amount":
                self.book.budget_used[entry.program_id] += entry.value
            self.changes.announcements.append((decision.status, entry))
        self.book.rewards[entry.reward_id] = entry
        self.changes.rewards.add(entry.reward_id)
