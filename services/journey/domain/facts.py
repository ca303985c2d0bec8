"""What journeys know of a customer, folded from resolved events, scoring's changes and loyalty's events (no I/O).

Conditions and message templates read these facts (`traits.*`, `stats.*`, `scores.*` -- among them `p_alive`,
`predicted_clv` and the latest `churn_reasons` --, `segments`,
`events.<type>.count`, `loyalty.tier`, `loyalty.balance`). Loyalty's tier and balance are the latest by event
time (every loyalty event carries the balance after it, `loyalty.tier_changed` the tier), so a late event older
than what is known changes nothing but its count. The record is JSON-friendly as stored: times are RFC 3339
strings in UTC and money is a decimal string. What conditions read (`FactsRecord.facts`) holds money as the
exact Decimal it stands for, so an operator compares an amount as scoring's numeric columns do ("120.50" eq
120.5; the condition grammar, contracts/conditions.py) and a template still writes it as stored.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from contracts.envelope import Envelope
from contracts.inbound import IdentifyEvent, PurchaseEvent, RefundEvent, SurveyEvent, TicketEvent, VisitEvent
from contracts.loyalty import LOYALTY_EVENT_TYPES, PointsExpiring, TierChanged
from contracts.scoring import (
    ChurnRiskChanged,
    CustomerDormant,
    CustomerReactivated,
    RfmSegmentChanged,
    ScoresChanged,
    SegmentEntered,
    SegmentExited,
)
from contracts.traits import apply_traits, merge_traits
from services.journey.domain.conditions import CustomerFacts


@dataclass
class FactsRecord:
    traits: dict[str, Any] = field(default_factory=dict)
    trait_times: dict[str, str] = field(default_factory=dict)
    stats: dict[str, Any] = field(default_factory=dict)
    scores: dict[str, Any] = field(default_factory=dict)
    segments: set[str] = field(default_factory=set)
    event_counts: dict[str, int] = field(default_factory=dict)
    # {"tier": str, "balance": int, "expiring_notice": {"points": int, "at": RFC 3339}} and each one's `<name>_at`:
    # the time of the event that set it (the latest wins); tier None: cleared (a tier_changed with current null)
    loyalty: dict[str, Any] = field(default_factory=dict)

    def _loyalty(self) -> dict[str, Any]:
        known: dict[str, Any] = {
            name: self.loyalty[name] for name in ("tier", "balance") if self.loyalty.get(name) is not None
        }  # a cleared tier reads as none at all
        notice = self.loyalty.get("expiring_notice")
        if isinstance(notice, dict):
            known |= {"expiring_points": notice.get("points"), "expiring_at": notice.get("at")}
        return known

    def facts(self, customer_id: str) -> CustomerFacts:
        """The customer as conditions and templates read it: money as Decimal, the rest as stored."""
        return CustomerFacts(
            customer_id=customer_id,
            traits=self.traits,
            stats={name: _amount(value) if name in MONEY_STATS else value for name, value in self.stats.items()},
            scores={name: _amount(value) if name in MONEY_SCORES else value for name, value in self.scores.items()},
            segments=frozenset(self.segments),
            event_counts=self.event_counts,
            loyalty=self._loyalty(),
        )


LOYALTY_FACTS = ("tier", "balance", "expiring_points", "expiring_at")
"""What conditions (tier, balance) and templates (all four) read of loyalty (`loyalty.<name>`): the expiring pair
is the latest `loyalty.points_expiring` notice's points and expiry time."""
_KEPT = ("tier", "balance", "expiring_notice")  # as stored, each with `<name>_at`
_LOYALTY_TYPES = frozenset(LOYALTY_EVENT_TYPES)


def _set_latest(loyalty: dict[str, Any], name: str, value: Any, stamp: str) -> None:
    """Keep `value` as `name` unless what is known came from a later event (at the same time, the later
    delivery wins: one member's events are in order on their topic)."""
    known = loyalty.get(f"{name}_at")
    if known is None or known <= stamp:
        loyalty[name] = value
        loyalty[f"{name}_at"] = stamp


MONEY_STATS = frozenset({"revenue", "refunded", "last_order_amount"})
"""The stats that hold an amount of money, stored as decimal strings (`fold`)."""
MONEY_SCORES = frozenset({"predicted_clv"})
"""The scores that hold an amount of money (decimal strings as scoring announces them)."""


def _amount(stored: Any) -> Any:
    """A stored amount as the exact Decimal it holds (a value that is not one stays as it is)."""
    if not isinstance(stored, str):
        return stored
    try:
        amount = Decimal(stored)
    except InvalidOperation:
        return stored
    return amount if amount.is_finite() else stored


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat()


def _later(stats: dict[str, Any], key: str, moment: dt.datetime) -> None:
    stamp = _stamp(moment)
    if stats.get(key) is None or stats[key] < stamp:
        stats[key] = stamp


def _add_money(stats: dict[str, Any], key: str, amount: Decimal) -> None:
    stats[key] = str(Decimal(stats.get(key, "0")) + amount)


def fold(record: FactsRecord, event: Envelope) -> None:
    """Apply one event to the customer's facts (events of other kinds only count)."""
    record.event_counts[event.type] = record.event_counts.get(event.type, 0) + 1
    stats, scores = record.stats, record.scores
    if isinstance(event, PurchaseEvent):
        stats["orders"] = stats.get("orders", 0) + 1
        _add_money(stats, "revenue", event.data.amount)
        stats["last_order_amount"] = str(event.data.amount)
        _later(stats, "last_purchase_at", event.time)
        if stats.get("first_purchase_at") is None or stats["first_purchase_at"] > _stamp(event.time):
            stats["first_purchase_at"] = _stamp(event.time)
        categories = {item.category for item in event.data.items or () if item.category}
        stats["categories"] = sorted(set(stats.get("categories", ())) | categories)
    elif isinstance(event, RefundEvent):
        _add_money(stats, "refunded", event.data.amount)
    elif isinstance(event, VisitEvent):
        stats["visits"] = stats.get("visits", 0) + 1
        _later(stats, "last_visit_at", event.time)
    elif isinstance(event, TicketEvent | SurveyEvent):
        if event.data.nps is not None:
            stats["last_nps"] = event.data.nps
        if event.data.csat is not None:
            stats["last_csat"] = event.data.csat
    elif isinstance(event, IdentifyEvent):
        record.traits, record.trait_times = apply_traits(
            record.traits, record.trait_times, event.data.traits, event.time
        )
    elif isinstance(event, RfmSegmentChanged):
        scores["rfm_segment"] = event.data.current
        scores.update({k: getattr(event.data, k) for k in ("r", "f", "m")})
    elif isinstance(event, ChurnRiskChanged):
        scores["churn_risk"] = event.data.current
        scores["p_alive"] = event.data.p_alive
        scores["churn_reasons"] = list(event.data.reasons)
        if event.data.predicted_clv is not None:
            scores["predicted_clv"] = event.data.predicted_clv
    elif isinstance(event, ScoresChanged):
        scores["p_alive"] = event.data.p_alive
        scores["predicted_clv"] = event.data.predicted_clv
    elif isinstance(event, SegmentEntered):
        record.segments.add(event.data.segment_id)
    elif isinstance(event, SegmentExited):
        record.segments.discard(event.data.segment_id)
    elif isinstance(event, CustomerDormant):
        scores["dormant"] = True
        scores["days_since_last_purchase"] = event.data.days_since_last_purchase
    elif isinstance(event, CustomerReactivated):
        scores["dormant"] = False
    elif event.type in _LOYALTY_TYPES:
        stamp = _stamp(event.time)
        _set_latest(record.loyalty, "balance", int(event.data.balance), stamp)
        if isinstance(event, TierChanged):  # current null: no tier any more (kept, so an older tier stays out)
            _set_latest(record.loyalty, "tier", event.data.current, stamp)
        elif isinstance(event, PointsExpiring):
            notice = {"points": event.data.points, "at": _stamp(event.data.expires_at)}
            _set_latest(record.loyalty, "expiring_notice", notice, stamp)


def merge_facts(survivor: FactsRecord, merged: FactsRecord) -> None:
    """Fold a merged customer's facts into the survivor's: traits by event time, counts added, segments
    joined; the survivor's scores and stats win where both have one (scoring re-announces the survivor); loyalty's
    tier and balance are the latest of the two by event time (loyalty announces the survivor's combined balance)."""
    survivor.traits, survivor.trait_times = merge_traits(
        (survivor.traits, survivor.trait_times), (merged.traits, merged.trait_times)
    )
    for name, count in merged.event_counts.items():
        survivor.event_counts[name] = survivor.event_counts.get(name, 0) + count
    survivor.segments |= merged.segments
    survivor.stats = {**merged.stats, **survivor.stats}
    survivor.scores = {**merged.scores, **survivor.scores}
    for name in _KEPT:  # the latest of the two (loyalty then announces the combined balance)
        if f"{name}_at" in merged.loyalty:
            _set_latest(survivor.loyalty, name, merged.loyalty[name], merged.loyalty[f"{name}_at"])
