"""The event topology, declared once as data: the topics, and what each Flywheel service subscribes to and
publishes.

Everything else is derived from these declarations: each service's wiring builds its consumer loops from its
subscriptions (runtime.subscriptions.consumers_of), the topic catalogue (contracts/topics.py) adds them to the
producers and consumers of each topic, and from the catalogue come the AsyncAPI document
(contracts/generate.py), the Kafka ACLs (contracts/kafka_access.py, the Strimzi KafkaUsers) and the deploy
checks (KEDA triggers). Outside parties (data producers, the import CLI, operators...) are named in the
catalogue.

This module holds data only (no service code), so contracts stay importable by anyone.
"""

from __future__ import annotations

from dataclasses import dataclass

INBOUND = "flywheel.events.inbound"
RESOLVED = "flywheel.events.resolved"
PROFILE_LIFECYCLE = "flywheel.profile.lifecycle"
SCORING_CHANGES = "flywheel.scoring.changes"
JOURNEY_ACTIONS = "flywheel.journey.actions"
JOURNEY_ENROLMENTS = "flywheel.journey.enrolments"
REFERRAL_EVENTS = "flywheel.referral.events"
SALES_EVENTS = "flywheel.sales.events"
LOYALTY_EVENTS = "flywheel.loyalty.events"
CUSTOMER_CHANGES = "flywheel.customer.changes"
DEADLETTER = "flywheel.deadletter"


@dataclass(frozen=True)
class Subscription:
    """One consumer loop of a service: the topics it reads in the service's consumer group, handled by one
    handler, which the wiring gives under `name`."""

    name: str
    topics: tuple[str, ...]


@dataclass(frozen=True)
class Following:
    """A topic a service reads without a consumer group (every replica reads every partition); `party` names
    the reader in the catalogue, saying what it reads the topic for."""

    topic: str
    party: str


@dataclass(frozen=True)
class ServiceTopology:
    """What one service reads and writes on Kafka.

    `publishes` counts every way the service writes a topic: events built by its code and rows its database
    triggers add to its outbox (`customer.changed`). Every service with subscriptions also writes what it
    can never process to the dead-letter topic (the catalogue's "any service")."""

    service: str
    subscriptions: tuple[Subscription, ...] = ()
    publishes: tuple[str, ...] = ()
    follows: tuple[Following, ...] = ()

    @property
    def group(self) -> str | None:
        """The consumer group its subscriptions commit offsets in (runtime.settings.RuntimeSettings.group_id)."""
        return f"flywheel-{self.service}" if self.subscriptions else None

    @property
    def consumed(self) -> tuple[str, ...]:
        """The topics it reads in its consumer group, in the order its subscriptions name them."""
        return tuple(dict.fromkeys(topic for s in self.subscriptions for topic in s.topics))

    @property
    def writes(self) -> tuple[str, ...]:
        """Every topic it may write: its publications, and the dead-letter topic if it consumes."""
        return (*self.publishes, DEADLETTER) if self.subscriptions else self.publishes

    def subscription(self, name: str) -> Subscription:
        (found,) = (s for s in self.subscriptions if s.name == name)
        return found


# The subscriptions several services make, declared once; each service's handler of one goes by its name.
ON_RESOLVED = Subscription("resolved", (RESOLVED,))
ON_SCORING_CHANGES = Subscription("scoring_changes", (SCORING_CHANGES,))
ON_JOURNEY_ACTIONS = Subscription("journey_actions", (JOURNEY_ACTIONS,))
ON_LIFECYCLE = Subscription("lifecycle", (PROFILE_LIFECYCLE,))
ON_LOYALTY_EVENTS = Subscription("loyalty_events", (LOYALTY_EVENTS,))

GATEWAY = ServiceTopology(
    "gateway",
    publishes=(INBOUND,),  # POST /v1/events, the Segment-compatible POST /segment/v1/*
    follows=(Following(CUSTOMER_CHANGES, "gateway (360 view cache)"),),
)
PROFILE = ServiceTopology(
    "profile",
    subscriptions=(
        Subscription("inbound", (INBOUND,)),
        ON_JOURNEY_ACTIONS,  # tags and attributes journeys set
        Subscription("referral_events", (REFERRAL_EVENTS,)),  # attributions: the acquisition source
    ),
    publishes=(RESOLVED, PROFILE_LIFECYCLE, CUSTOMER_CHANGES),
)
SCORING = ServiceTopology(
    "scoring",
    subscriptions=(ON_RESOLVED, ON_LIFECYCLE, ON_LOYALTY_EVENTS),  # loyalty: `loyalty.balance` and `.tier`
    publishes=(SCORING_CHANGES, CUSTOMER_CHANGES),
)
JOURNEY = ServiceTopology(
    "journey",
    subscriptions=(ON_RESOLVED, ON_SCORING_CHANGES, ON_LIFECYCLE, ON_LOYALTY_EVENTS),  # loyalty: triggers, facts
    publishes=(JOURNEY_ACTIONS, JOURNEY_ENROLMENTS, CUSTOMER_CHANGES),
)
REFERRAL = ServiceTopology(
    "referral",
    subscriptions=(
        ON_RESOLVED,
        ON_JOURNEY_ACTIONS,  # invites
        ON_SCORING_CHANGES,
        ON_LIFECYCLE,
    ),
    publishes=(REFERRAL_EVENTS, CUSTOMER_CHANGES),
)
SALES = ServiceTopology(
    "sales",
    subscriptions=(
        ON_JOURNEY_ACTIONS,  # tasks
        # One loop for both: each topic's events fold into the same signals, and a join costs seconds.
        Subscription("signals", (RESOLVED, SCORING_CHANGES)),
        ON_LIFECYCLE,
    ),
    publishes=(SALES_EVENTS, CUSTOMER_CHANGES),
)

LOYALTY = ServiceTopology(
    "loyalty",
    subscriptions=(
        ON_RESOLVED,  # purchases earn, refunds reverse, survey answers and birthdays give bonuses
        Subscription("referral_events", (REFERRAL_EVENTS,)),  # referral rewards of kind points
        ON_JOURNEY_ACTIONS,  # points a journey grants
        ON_LIFECYCLE,  # merges combine ledgers, erasures remove them
    ),
    publishes=(LOYALTY_EVENTS, CUSTOMER_CHANGES),
)

SERVICE_TOPOLOGY: tuple[ServiceTopology, ...] = (GATEWAY, PROFILE, SCORING, JOURNEY, REFERRAL, SALES, LOYALTY)


def topology_of(service: str) -> ServiceTopology:
    (found,) = (t for t in SERVICE_TOPOLOGY if t.service == service)
    return found


def publishing_services(topic: str) -> tuple[str, ...]:
    return tuple(t.service for t in SERVICE_TOPOLOGY if topic in t.publishes)


def consuming_parties(topic: str) -> tuple[str, ...]:
    """The services reading `topic` in their consumer group, then those following it."""
    in_group = (t.service for t in SERVICE_TOPOLOGY if topic in t.consumed)
    following = (f.party for t in SERVICE_TOPOLOGY for f in t.follows if f.topic == topic)
    return (*in_group, *following)
