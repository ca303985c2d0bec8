"""Profile domain logic, free of I/O: identifier normalisation, identity resolution and merges,
trait validation against a workspace's attribute definitions and the trait budgets, and per-customer
stats deltas."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, Literal

import phonenumbers

from contracts.inbound import CustomerRef
from runtime.budgets import json_value_problem

IdentifierKind = Literal["external_id", "email", "phone", "anonymous_id"]
IDENTIFIER_KINDS: tuple[IdentifierKind, ...] = ("external_id", "email", "phone", "anonymous_id")
Identifier = tuple[IdentifierKind, str]

AttributeType = Literal["string", "number", "boolean", "date", "enum"]


class InvalidIdentifier(ValueError):
    pass


class InvalidTraits(ValueError):
    pass


def new_customer_id() -> str:
    return f"c_{uuid.uuid4().hex}"


def normalize_email(raw: str) -> str:
    email = raw.strip().lower()
    local, at, domain = email.partition("@")
    if not at or not local or "." not in domain or "@" in domain or " " in email:
        raise InvalidIdentifier("customer.email is not an email address")
    return email


def normalize_phone(raw: str, default_region: str | None) -> str:
    """E.164, e.g. '+4930123456'. Without a leading '+', `default_region` gives the country."""
    try:
        number = phonenumbers.parse(raw, None if raw.strip().startswith("+") else default_region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise InvalidIdentifier("customer.phone is not a valid phone number (E.164, e.g. +4930123456)")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def identifiers_of(ref: CustomerRef, default_region: str | None) -> list[Identifier]:
    """Normalised identifiers, strongest first; raises InvalidIdentifier naming the bad one."""
    found: list[Identifier] = []
    if ref.external_id and ref.external_id.strip():
        found.append(("external_id", ref.external_id.strip()))
    if ref.email and ref.email.strip():
        found.append(("email", normalize_email(ref.email)))
    if ref.phone and ref.phone.strip():
        found.append(("phone", normalize_phone(ref.phone, default_region)))
    if ref.anonymous_id and ref.anonymous_id.strip():
        found.append(("anonymous_id", ref.anonymous_id.strip()))
    if not found:
        raise InvalidIdentifier("customer needs at least one identifier: external_id, email, phone or anonymous_id")
    return found


# --- identity resolution -------------------------------------------------------------------------


def new_merge_id() -> str:
    return f"m_{uuid.uuid4().hex}"


@dataclass(frozen=True)
class Merge:
    survivor_id: str
    merged_id: str
    reason: str
    merge_id: str = field(default_factory=new_merge_id)
    event_id: str | None = None  # the event that carried identifiers of both
    joined: tuple[Identifier, ...] = ()  # that event's identifiers


@dataclass
class IdentityGraph:
    """What one batch knows of a workspace's identities: loaded links plus the batch's own changes.

    Survivor of a merge: the profile seen first (earliest event time), ties broken by id, so the
    choice depends on the data, not on which event happened to arrive first.
    """

    owner: dict[Identifier, str] = field(default_factory=dict)
    first_seen: dict[str, dt.datetime] = field(default_factory=dict)
    existing: set[str] = field(default_factory=set)
    redirect: dict[str, str] = field(default_factory=dict)
    merges: list[Merge] = field(default_factory=list)
    new_links: dict[Identifier, str] = field(default_factory=dict)
    created: list[str] = field(default_factory=list)
    apart: set[frozenset[str]] = field(default_factory=set)  # profiles an undone merge split: never merged again

    @classmethod
    def load(
        cls, links: Iterable[tuple[Identifier, str, dt.datetime]], apart: Iterable[tuple[str, str]] = ()
    ) -> IdentityGraph:
        graph = cls(apart={frozenset(pair) for pair in apart})
        for identifier, customer_id, first_seen in links:
            graph.owner[identifier] = customer_id
            graph.first_seen[customer_id] = first_seen
            graph.existing.add(customer_id)
        return graph

    def resolve(
        self, identifiers: list[Identifier], at: dt.datetime, make_id: Callable[[], str], event_id: str | None = None
    ) -> str:
        owners = list(dict.fromkeys(self.owner[i] for i in identifiers if i in self.owner))
        if not owners:
            customer_id = make_id()
            self.created.append(customer_id)
            self.first_seen[customer_id] = at
        elif self.kept_apart(owners):
            # Profiles split by an undone merge are not merged again: the event goes to its strongest identifier's
            # customer, and only identifiers nobody holds are linked to it.
            customer_id = self.owner[next(i for i in identifiers if i in self.owner)]
            identifiers = [i for i in identifiers if i not in self.owner or self.owner[i] == customer_id]
        else:
            customer_id = min(owners, key=lambda c: (self.first_seen[c], c))
            for other in owners:
                if other != customer_id:
                    shared = ", ".join(kind for kind, _ in identifiers)
                    reason = f"one event carried identifiers of both ({shared})"
                    self._merge(customer_id, other, reason, event_id, tuple(identifiers))
        for identifier in identifiers:
            if self.owner.get(identifier) != customer_id:
                self.owner[identifier] = customer_id
                self.new_links[identifier] = customer_id
        self.first_seen[customer_id] = min(self.first_seen[customer_id], at)
        return customer_id

    def kept_apart(self, owners: Sequence[str]) -> bool:
        return bool(self.apart) and any(frozenset(p) in self.apart for p in itertools.combinations(owners, 2))

    def _merge(
        self, survivor: str, merged: str, reason: str, event_id: str | None = None, joined: tuple[Identifier, ...] = ()
    ) -> None:
        for identifier, owner in self.owner.items():
            if owner == merged:
                self.owner[identifier] = survivor
                if identifier in self.new_links:
                    self.new_links[identifier] = survivor
        for old, target in self.redirect.items():
            if target == merged:
                self.redirect[old] = survivor
        self.redirect[merged] = survivor
        self.first_seen[survivor] = min(self.first_seen[survivor], self.first_seen[merged])
        self.merges.append(Merge(survivor, merged, reason, event_id=event_id, joined=joined))

    def final(self, customer_id: str) -> str:
        while customer_id in self.redirect:
            customer_id = self.redirect[customer_id]
        return customer_id

    def created_survivors(self) -> list[str]:
        """Profiles first seen in this batch that still exist at its end (others were merged away unseen)."""
        return [c for c in self.created if c not in self.redirect]

    def stored_merges(self) -> list[Merge]:
        """Merges that fold a stored profile into another; merges of batch-local ids need no storage."""
        stored = [m for m in self.merges if m.merged_id in self.existing]
        return [replace(m, survivor_id=self.final(m.survivor_id)) for m in stored]


# --- traits ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttributeDefinition:
    name: str
    type: AttributeType
    enum_values: tuple[str, ...] = ()
    description: str | None = None


def _is_date(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        dt.date.fromisoformat(value[:10])
        if len(value) > 10:
            dt.datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def json_kind(value: Any) -> str:
    """The JSON kind of a value, which is all a refusal says of it: the value itself is personal."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float | Decimal):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list | tuple) else "object"


def check_trait(definition: AttributeDefinition, value: Any) -> str | None:
    """None when `value` fits the definition, else why not. null always fits (it unsets the trait)."""
    if value is None:
        return None
    kind = definition.type
    ok = {
        "string": isinstance(value, str),
        "number": isinstance(value, int | float | Decimal) and not isinstance(value, bool),
        "boolean": isinstance(value, bool),
        "date": _is_date(value),
        "enum": isinstance(value, str) and value in definition.enum_values,
    }[kind]
    if ok:
        return None
    given = json_kind(value)
    got = f"an {given}" if given[0] in "aeiou" else f"a {given}"
    if kind == "enum":
        got = "another string" if given == "string" else got
        return f"trait {definition.name!r} must be one of {', '.join(definition.enum_values)} (got {got})"
    if kind == "date" and given == "string":
        return f"trait {definition.name!r} must be a date (got a string that is not one)"
    return f"trait {definition.name!r} must be a {kind} (got {got})"


# Budgets of what one workspace's events may set: beyond them an event is refused (dead-lettered) whole.
MAX_TRAITS_PER_EVENT = 100  # traits one identify event may set
MAX_TRAITS_PER_CUSTOMER = 500  # distinct traits one profile may hold (a merge may combine two full ones)
MAX_TRAIT_DEPTH = 8  # nested objects/arrays in one trait value


@dataclass(frozen=True)
class TraitBudget:
    """How much one trait, one event and one customer may hold; `value_bytes` is the workspace quota
    FLYWHEEL_QUOTA_TRAIT_VALUE_BYTES (compact JSON of one value)."""

    value_bytes: int
    per_event: int = MAX_TRAITS_PER_EVENT
    per_customer: int = MAX_TRAITS_PER_CUSTOMER
    depth: int = MAX_TRAIT_DEPTH


def budget_problems(traits: Mapping[str, Any], budget: TraitBudget) -> list[str]:
    """Why these traits are over the budget (naming each trait, never quoting its value); empty when not."""
    if len(traits) > budget.per_event:
        return [f"{len(traits)} traits in one event, more than {budget.per_event}"]
    problems = []
    for name, value in traits.items():
        problem = json_value_problem(value, max_bytes=budget.value_bytes, max_depth=budget.depth)
        if problem:
            quota = " (quota trait_value_bytes)" if problem.startswith("is ") else ""
            problems.append(f"trait {name!r} {problem}{quota}")
    return problems


def validate_traits(
    traits: Mapping[str, Any], definitions: Mapping[str, AttributeDefinition], budget: TraitBudget
) -> None:
    """InvalidTraits naming every trait over the budget or not of its attribute's type."""
    problems = budget_problems(traits, budget)
    if not problems:
        problems = [p for name, v in traits.items() if name in definitions and (p := check_trait(definitions[name], v))]
    if problems:
        raise InvalidTraits("; ".join(problems))


def customer_traits_problem(held: set[str], update: Mapping[str, Any], limit: int) -> str | None:
    """Why `update` would take a customer holding the traits `held` past `limit` distinct traits, or None.
    Only new names count: an update of traits the customer holds always fits."""
    new = {name for name, value in update.items() if value is not None and name not in held}
    if new and len(held) + len(new) > limit:
        return f"the customer would hold {len(held) + len(new)} traits, more than {limit} (refused: {len(new)} new)"
    return None


# --- stats ----------------------------------------------------------------------------------------


@dataclass
class StatsDelta:
    """Commutative changes to one customer's stats: any delivery order gives the same totals."""

    orders: int = 0
    revenue: Decimal = Decimal(0)
    first_purchase_at: dt.datetime | None = None
    second_purchase_at: dt.datetime | None = None  # the second smallest order time (first <= second)
    last_purchase_at: dt.datetime | None = None
    visits: int = 0
    last_visit_at: dt.datetime | None = None
    csat_sum: int = 0
    csat_count: int = 0
    last_nps: int | None = None
    last_nps_at: dt.datetime | None = None
    first_seen_at: dt.datetime | None = None
    last_event_at: dt.datetime | None = None
    first_purchase_channel: str | None = None  # the channel of the purchase at first_purchase_at
    first_utm: UtmTouch | None = None

    def seen(self, at: dt.datetime) -> None:
        self.first_seen_at = _min(self.first_seen_at, at)
        self.last_event_at = _max(self.last_event_at, at)

    def purchase(self, amount: Decimal, at: dt.datetime, channel: str | None = None) -> None:
        self.orders += 1
        self.revenue += amount
        # Ties on time go to the smaller channel (none first), so delivery order never decides.
        if self.first_purchase_at is None or (at, channel or "") < (
            self.first_purchase_at,
            self.first_purchase_channel or "",
        ):
            self.first_purchase_channel = channel
        if self.first_purchase_at is not None:
            self.second_purchase_at = (
                self.first_purchase_at if at < self.first_purchase_at else _min(self.second_purchase_at, at)
            )
        self.first_purchase_at = _min(self.first_purchase_at, at)
        self.last_purchase_at = _max(self.last_purchase_at, at)

    def utm(self, at: dt.datetime, source: str | None, campaign: str | None) -> None:
        """An event carrying utm_source (a visit or a purchase); one without it touches nothing."""
        if source:
            self.first_utm = earliest_utm(self.first_utm, UtmTouch(at, source, campaign))

    def refund(self, amount: Decimal) -> None:
        self.revenue -= amount

    def visit(self, at: dt.datetime) -> None:
        self.visits += 1
        self.last_visit_at = _max(self.last_visit_at, at)

    def answer(self, csat: int | None, nps: int | None, at: dt.datetime) -> None:
        """A survey answer (a `survey` event, or a ticket's scores): CSAT adds to the average, the NPS is the last
        one by event time."""
        if csat is not None:
            self.csat_sum += csat
            self.csat_count += 1
        # Ties on time go to the higher score, so the result never depends on delivery order.
        if nps is not None and (self.last_nps_at is None or (at, nps) > (self.last_nps_at, self.last_nps or 0)):
            self.last_nps, self.last_nps_at = nps, at


@dataclass(frozen=True)
class UtmTouch:
    at: dt.datetime
    source: str
    campaign: str | None

    def key(self) -> tuple[dt.datetime, str, str]:
        return (self.at, self.source, self.campaign or "")


def earliest_utm(a: UtmTouch | None, b: UtmTouch | None) -> UtmTouch | None:
    """The earlier touch by event time (ties: by source, then campaign), so any order gives the same one."""
    if a is None or b is None:
        return a or b
    return b if b.key() < a.key() else a


# --- acquisition ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Touches:
    """What a profile keeps to derive its acquisition source, each the earliest of its kind by event time."""

    first_utm: UtmTouch | None = None
    first_purchase_at: dt.datetime | None = None
    first_purchase_channel: str | None = None
    referral_program_id: str | None = None
    referral_at: dt.datetime | None = None


@dataclass(frozen=True)
class Acquisition:
    source: str
    campaign: str | None = None
    program_id: str | None = None
    at: dt.datetime | None = None


DIRECT = "direct"
REFERRAL = "referral"


def acquisition_of(touches: Touches) -> Acquisition:
    """The acquisition source (the one rule; view_store.ACQUISITION_SQL is its SQL form for reports, checked
    against it by tests): `referral` (with the program) when a referral program attributed the customer; else the
    utm_source (and utm_campaign) of their earliest event carrying one; else the channel of their first purchase;
    else `direct`. `at` is the time of the touch that decided it (none for `direct`)."""
    if touches.referral_program_id is not None:
        return Acquisition(REFERRAL, program_id=touches.referral_program_id, at=touches.referral_at)
    if touches.first_utm is not None:
        utm = touches.first_utm
        return Acquisition(utm.source, campaign=utm.campaign, at=utm.at)
    if touches.first_purchase_channel:
        return Acquisition(touches.first_purchase_channel, at=touches.first_purchase_at)
    return Acquisition(DIRECT)


def _min(a: dt.datetime | None, b: dt.datetime) -> dt.datetime:
    return b if a is None or b < a else a


def _max(a: dt.datetime | None, b: dt.datetime) -> dt.datetime:
    return b if a is None or b > a else a


def average_order_value(revenue: Decimal, orders: int) -> Decimal | None:
    return (revenue / orders).quantize(Decimal("0.01")) if orders else None
