"""Lead scores from engagement and fit, explainable: each rule of the workspace's rule set (data, with a
default set) either matches and adds its points or does not; the answer lists every rule's points."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, JsonValue, model_validator

from contracts.http.sales.deals import Identifier
from contracts.http.sales.signals import DEFAULT_LEAD_RULES
from contracts.json_document import JsonDocument
from contracts.scoring import ChurnRisk, RfmSegment
from runtime.budgets import INT4_MAX, bounded_json

# Counts are compared with integer columns; a trait value is at most 4 KB of JSON nested 8 levels deep.
Count = Annotated[int, Field(ge=1, le=INT4_MAX)]
TraitValue = Annotated[JsonValue, bounded_json(max_bytes=4096, max_depth=8)]


class _Model(JsonDocument):
    model_config = ConfigDict(extra="forbid", frozen=True)


class VisitsAtLeast(_Model):
    kind: Literal["visits_at_least"]
    count: Count


class ActiveWithinDays(_Model):
    kind: Literal["active_within_days"]
    days: float = Field(gt=0, le=3650)


class PurchasesAtLeast(_Model):
    kind: Literal["purchases_at_least"]
    count: Count


class RevenueAtLeast(_Model):
    kind: Literal["revenue_at_least"]
    amount: Annotated[Decimal, Field(ge=0, max_digits=20, decimal_places=6)]


class TraitEquals(_Model):
    kind: Literal["trait_equals"]
    trait: str = Field(min_length=1, max_length=128)
    value: TraitValue


class TraitPresent(_Model):
    kind: Literal["trait_present"]
    trait: str = Field(min_length=1, max_length=128)


class RfmSegmentIn(_Model):
    kind: Literal["rfm_segment_in"]
    segments: list[RfmSegment] = Field(min_length=1, max_length=20)


class ChurnBandIn(_Model):
    kind: Literal["churn_band_in"]
    bands: list[ChurnRisk] = Field(min_length=1, max_length=10)


Condition = Annotated[
    VisitsAtLeast
    | ActiveWithinDays
    | PurchasesAtLeast
    | RevenueAtLeast
    | TraitEquals
    | TraitPresent
    | RfmSegmentIn
    | ChurnBandIn,
    Field(discriminator="kind"),
]


class LeadRule(_Model):
    id: Identifier
    description: str = Field(min_length=1, max_length=300)
    points: int = Field(ge=-1000, le=1000)
    when: Condition


class LeadRules(_Model):
    rules: list[LeadRule] = Field(min_length=1, max_length=100)

    @model_validator(mode="after")
    def _unique(self) -> LeadRules:
        ids = [rule.id for rule in self.rules]
        if len(ids) != len(set(ids)):
            raise ValueError("rule ids must be unique")
        return self


DEFAULT_RULES = LeadRules.model_validate({"rules": DEFAULT_LEAD_RULES})


@dataclass
class LeadFacts:
    """What sales knows of a customer's engagement and fit (folded from resolved events and scoring)."""

    visits: int = 0
    purchases: int = 0
    revenue: Decimal = Decimal(0)
    last_activity_at: dt.datetime | None = None
    traits: dict[str, Any] = field(default_factory=dict)
    rfm_segment: str | None = None
    churn_band: str | None = None


@dataclass(frozen=True)
class RulePoints:
    rule_id: str
    description: str
    points: int
    matched: bool
    detail: str


def _evaluate(condition: Condition, facts: LeadFacts, now: dt.datetime) -> tuple[bool, str]:
    match condition:
        case VisitsAtLeast(count=count):
            return facts.visits >= count, f"{facts.visits} visit(s)"
        case ActiveWithinDays(days=days):
            if facts.last_activity_at is None:
                return False, "no activity seen"
            ago = (now - facts.last_activity_at).total_seconds() / 86400
            return ago <= days, f"last active {max(ago, 0):.1f} day(s) ago"
        case PurchasesAtLeast(count=count):
            return facts.purchases >= count, f"{facts.purchases} purchase(s)"
        case RevenueAtLeast(amount=amount):
            return facts.revenue >= amount, f"revenue {Decimal(facts.revenue).quantize(Decimal('0.01'))}"
        case TraitEquals(trait=trait, value=value):
            return facts.traits.get(trait) == value, f"{trait} = {facts.traits.get(trait)!r}"
        case TraitPresent(trait=trait):
            present = facts.traits.get(trait) not in (None, "")
            return present, f"{trait} {'set' if present else 'not set'}"
        case RfmSegmentIn(segments=segments):
            return facts.rfm_segment in segments, f"RFM segment {facts.rfm_segment or 'unknown'}"
        case ChurnBandIn(bands=bands):
            return facts.churn_band in bands, f"churn risk {facts.churn_band or 'unknown'}"
    raise AssertionError(f"unknown condition {condition!r}")


def score(rules: LeadRules, facts: LeadFacts, now: dt.datetime) -> tuple[int, list[RulePoints]]:
    """The score (sum of the points of matching rules) and every rule's contribution, in rule order."""
    explained = []
    for rule in rules.rules:
        matched, detail = _evaluate(rule.when, facts, now)
        explained.append(RulePoints(rule.id, rule.description, rule.points if matched else 0, matched, detail))
    return sum(r.points for r in explained), explained
