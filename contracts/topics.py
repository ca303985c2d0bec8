"""Every Kafka topic Flywheel uses: its key, its messages, who writes and who reads it.

Who writes and reads: the services as their declarations in contracts/topology.py say, then the outside parties
named here (data producers, the import CLI, operators, reward fulfilment...). The AsyncAPI document in
contracts/asyncapi.yaml is generated from this catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from contracts.envelope import Envelope
from contracts.inbound import CUSTOM, INBOUND_EVENT_TYPES, CustomEvent
from contracts.internal import (
    CUSTOMER_CHANGE_TYPES,
    PROFILE_LIFECYCLE_TYPES,
    RESOLVED_EVENT_TYPES,
    ResolvedCustomEvent,
)
from contracts.journey import JOURNEY_ACTION_TYPES, JOURNEY_ENROLMENT_TYPES
from contracts.loyalty import LOYALTY_EVENT_TYPES
from contracts.referral import REFERRAL_EVENT_TYPES
from contracts.sales import SALES_EVENT_TYPES
from contracts.scoring import SCORING_CHANGE_TYPES
from contracts.topology import (
    CUSTOMER_CHANGES,
    DEADLETTER,
    INBOUND,
    JOURNEY_ACTIONS,
    JOURNEY_ENROLMENTS,
    LOYALTY_EVENTS,
    PROFILE_LIFECYCLE,
    REFERRAL_EVENTS,
    RESOLVED,
    SALES_EVENTS,
    SCORING_CHANGES,
    consuming_parties,
    publishing_services,
)

__all__ = [
    "CUSTOMER_CHANGES",
    "DEADLETTER",
    "INBOUND",
    "JOURNEY_ACTIONS",
    "JOURNEY_ENROLMENTS",
    "LOYALTY_EVENTS",
    "PROFILE_LIFECYCLE",
    "REFERRAL_EVENTS",
    "RESOLVED",
    "SALES_EVENTS",
    "SCORING_CHANGES",
    "TOPICS",
    "Topic",
]


@dataclass(frozen=True)
class Topic:
    name: str
    description: str
    key: str
    producers: tuple[str, ...]
    consumers: tuple[str, ...]
    messages: dict[str, type[Envelope]] = field(default_factory=dict)
    partitions: int = 6
    retention_ms: int = 7 * 24 * 3600 * 1000


def _topic(
    name: str,
    description: str,
    key: str,
    *,
    outside_producers: tuple[str, ...] = (),
    outside_consumers: tuple[str, ...] = (),
    messages: dict[str, type[Envelope]] | None = None,
    partitions: int = 6,
    retention_ms: int = 7 * 24 * 3600 * 1000,
    listed_as: dict[str, tuple[str, ...]] | None = None,
) -> Topic:
    """A topic whose producers and consumers are the services declaring it (contracts/topology.py), then the
    outside parties named here.

    `listed_as` keeps the order a published document already gives a list ("producers" or "consumers"): the
    AsyncAPI document is public and changes only by additions. It must name exactly the parties the
    declarations give, so it can never say something the topology does not."""
    producers = (*publishing_services(name), *outside_producers)
    consumers = (*consuming_parties(name), *outside_consumers)
    listed = listed_as or {}
    return Topic(
        name=name,
        description=description,
        key=key,
        producers=_in_published_order(name, "producers", producers, listed.get("producers")),
        consumers=_in_published_order(name, "consumers", consumers, listed.get("consumers")),
        messages=messages or {},
        partitions=partitions,
        retention_ms=retention_ms,
    )


def _in_published_order(
    topic: str, role: str, declared: tuple[str, ...], published: tuple[str, ...] | None
) -> tuple[str, ...]:
    if published is None:
        return declared
    if sorted(published) != sorted(declared):
        raise ValueError(f"{topic}: the published {role} {published} are not the declared {declared}")
    return published


TOPICS: tuple[Topic, ...] = (
    _topic(
        name=INBOUND,
        description="Customer events from data producers, the gateway's ingestion API and the import CLI.",
        key="`<workspace>:<subject>`, subject being the strongest identifier the producer has, normalised as "
        "contracts/partition.py does (one customer, one key, however its identifier is written).",
        outside_producers=("data producers", "import CLI"),
        listed_as={"producers": ("data producers", "gateway", "import CLI")},
        messages={**INBOUND_EVENT_TYPES, CUSTOM: CustomEvent},  # custom: a type of the workspace's tracking plan
    ),
    _topic(
        name=RESOLVED,
        description="Every accepted inbound event, republished by profile with its canonical customer id.",
        key="`<workspace>:<customer_id>`: one customer's events stay in order.",
        messages={**RESOLVED_EVENT_TYPES, CUSTOM: ResolvedCustomEvent},
    ),
    _topic(
        name=PROFILE_LIFECYCLE,
        description="Identity changes every service must honour: merges and erasures; and each customer's "
        "acquisition source as profile decides it (profile.acquisition_changed, read by scoring for the reports).",
        key="`<workspace>:<customer_id>` (the survivor for a merge, the erased customer for an erasure, the customer "
        "for an acquisition change).",
        messages=PROFILE_LIFECYCLE_TYPES,
    ),
    _topic(
        name=SCORING_CHANGES,
        description="A customer's standing changed: RFM segment, churn band, dynamic segment membership, "
        "dormancy, p_alive and predicted CLV (scores.changed). Published by scoring when it happens; journeys "
        "trigger on these.",
        key="`<workspace>:<customer_id>`: one customer's changes stay in order.",
        messages=SCORING_CHANGE_TYPES,
    ),
    _topic(
        name=JOURNEY_ACTIONS,
        description="What journeys ask other services to do: a sales task, a tag or attribute on the profile, "
        "a referral invite, loyalty points; and coupons granted. The id is the action id (enrolment and step), so a "
        "repeat de-duplicates.",
        key="`<workspace>:<customer_id>`.",
        listed_as={"consumers": ("sales", "profile", "referral", "loyalty")},
        messages=JOURNEY_ACTION_TYPES,
    ),
    _topic(
        name=JOURNEY_ENROLMENTS,
        description="What happened to each journey enrolment: entered, converted (with attribution to the "
        "journey, version and variant) or exited.",
        key="`<workspace>:<customer_id>`.",
        outside_consumers=("gateway reports",),
        messages=JOURNEY_ENROLMENT_TYPES,
    ),
    _topic(
        name=REFERRAL_EVENTS,
        description="What the referral programs decided: attributions, rewards granted (for whatever fulfils "
        "them: a shop's voucher system, a points ledger) and reversed, and rewards held for fraud review.",
        key="`<workspace>:<customer_id>` of the referrer (the customer the reward or attribution belongs to).",
        outside_consumers=("reward fulfilment", "gateway reports"),
        messages=REFERRAL_EVENT_TYPES,
    ),
    _topic(
        name=SALES_EVENTS,
        description="What happened in the sales pipelines: deals moved, won and lost; tasks created, due, "
        "overdue and completed; quotes waiting for approval.",
        key="`<workspace>:<customer_id>` of the deal's or task's customer.",
        outside_consumers=("notifications", "gateway reports"),
        messages=SALES_EVENT_TYPES,
    ),
    _topic(
        name=LOYALTY_EVENTS,
        description="What happened to each loyalty member: points earned, redeemed, reversed, adjusted, about to "
        "expire and expired, and tier changes; each with the balance after it. Journeys trigger on them, scoring "
        "keeps `loyalty.balance` and `loyalty.tier` for segments.",
        key="`<workspace>:<customer_id>` of the member: one member's events stay in order.",
        outside_consumers=("gateway reports",),
        messages=LOYALTY_EVENT_TYPES,
    ),
    _topic(
        name=CUSTOMER_CHANGES,
        description="Some of a customer's records changed in a service: what the gateway's 360 view cache "
        "invalidates on. Written by database triggers in the same transaction as the change (so no change is "
        "missed), published by each service's outbox relay.",
        key="`<workspace>`.",
        messages=CUSTOMER_CHANGE_TYPES,
        # Only live invalidation reads it: a gateway starting up reads from the end.
        retention_ms=3600 * 1000,
    ),
    _topic(
        name=DEADLETTER,
        description="Messages a consumer can never process: the original bytes, with headers naming the "
        "service, the reason and the time. Kept longer than other topics for operators to inspect.",
        key="The original message's key, unchanged.",
        outside_producers=("any service",),
        outside_consumers=("operators",),
        retention_ms=30 * 24 * 3600 * 1000,
        partitions=1,
    ),
)
