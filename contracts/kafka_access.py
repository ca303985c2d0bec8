"""Who may do what on Kafka: one principal (a SCRAM user; a Strimzi KafkaUser) per Flywheel service and per
outside client, with the ACLs it needs, derived from the topic catalogue's producers and consumers (the
services' part of which is their declarations in contracts/topology.py).

deploy/k8s/components/strimzi/render_users.py writes the KafkaUsers from this; tests apply the same ACLs to
a real Apache Kafka. Everything not granted is denied (the brokers run `authorization: simple`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from contracts.topics import DEADLETTER, TOPICS
from contracts.topology import SERVICE_TOPOLOGY

ResourceType = Literal["topic", "group"]
Operation = Literal["Read", "Write", "Describe"]


@dataclass(frozen=True)
class KafkaPrincipal:
    name: str  # the SCRAM user (KafkaUser) name; FLYWHEEL_KAFKA_SASL_USERNAME of whoever connects as it
    description: str
    group: str | None = None  # the consumer group it commits offsets in (a service: flywheel-<service>)


@dataclass(frozen=True, order=True)
class Acl:
    principal: str
    resource_type: ResourceType
    resource: str  # a literal name: no prefixes, no wildcards
    operations: tuple[Operation, ...]


SERVICES = tuple(t.service for t in SERVICE_TOPOLOGY)


def user_of(service: str) -> str:
    """A service's Kafka user: named apart from other applications' users on a shared cluster."""
    return f"flywheel-{service}"


PRINCIPALS: tuple[KafkaPrincipal, ...] = (
    # The gateway reads flywheel.customer.changes without a group (every replica reads every partition).
    KafkaPrincipal(user_of("gateway"), "The gateway: publishes inbound events, follows customer changes."),
    *(
        KafkaPrincipal(user_of(t.service), f"The {t.service} service.", group=t.group)
        for t in SERVICE_TOPOLOGY
        if t.service != "gateway"
    ),
    KafkaPrincipal("flywheel-import", "`flywheel import`: publishes imported rows as inbound events."),
    KafkaPrincipal("flywheel-producer", "An outside data producer publishing customer events (one user per producer)."),
    # Replay re-publishes a dead letter to the topic it was read from: any topic a service consumes.
    KafkaPrincipal("flywheel-operator", "`flywheel deadletter list|replay`: reads dead letters, replays them."),
    # Autoscaling on consumer lag reads the groups' offsets and the topics' ends: Describe, nothing more.
    KafkaPrincipal("flywheel-keda", "KEDA's Kafka scaler: the lag of each service's consumer group."),
)
OPERATOR = "flywheel-operator"
LAG_READER = "flywheel-keda"

# The catalogue's producers and consumers (contracts.topics.TOPICS), as the principals that connect as them.
# A party without a principal here is an outside system that creates its own user, or not a Kafka client.
PARTIES: dict[str, tuple[str, ...]] = {
    **{name: (user_of(name),) for name in SERVICES},
    **{following.party: (user_of(t.service),) for t in SERVICE_TOPOLOGY for following in t.follows},
    "import CLI": ("flywheel-import",),
    "data producers": ("flywheel-producer",),
    "operators": (OPERATOR,),
    "any service": (),  # the dead letter: see consuming_services()
    "gateway reports": (),  # reports read the services' databases, not the topic
    "reward fulfilment": (),
    "notifications": (),
}


class CatalogueError(ValueError):
    """A producer or consumer in contracts/topics.py that this module does not know."""


def principals_of(party: str) -> tuple[str, ...]:
    if party not in PARTIES:
        raise CatalogueError(f"{party!r} (contracts/topics.py) is not in contracts.kafka_access.PARTIES")
    return PARTIES[party]


def consuming_services() -> tuple[str, ...]:
    """The users of the services reading in a consumer group: each dead-letters what it can never process."""
    groups = {p.name for p in PRINCIPALS if p.group}
    readers = {name for topic in TOPICS for party in topic.consumers for name in principals_of(party)}
    return tuple(user_of(name) for name in SERVICES if user_of(name) in groups & readers)


def writers(topic: str) -> tuple[str, ...]:
    """The principals that may write `topic`."""
    (entry,) = (t for t in TOPICS if t.name == topic)
    names = {name for party in entry.producers for name in principals_of(party)}
    if topic == DEADLETTER:
        names |= set(consuming_services())
    elif any(principals_of(party) for party in entry.consumers if party in SERVICES):
        names.add(OPERATOR)  # replays what a service dead-lettered from it
    return tuple(p.name for p in PRINCIPALS if p.name in names)


def readers(topic: str) -> tuple[str, ...]:
    """The principals that may read `topic`."""
    (entry,) = (t for t in TOPICS if t.name == topic)
    names = {name for party in entry.consumers for name in principals_of(party)}
    return tuple(p.name for p in PRINCIPALS if p.name in names)


def acls() -> list[Acl]:
    """Every ACL, sorted by principal, then resource."""
    granted: list[Acl] = []
    for topic in TOPICS:
        granted += [Acl(name, "topic", topic.name, ("Write", "Describe")) for name in writers(topic.name)]
        granted += [Acl(name, "topic", topic.name, ("Read", "Describe")) for name in readers(topic.name)]
    in_groups = {p.name: p.group for p in PRINCIPALS if p.group}
    lagging = {acl.resource for acl in granted if acl.principal in in_groups and "Read" in acl.operations}
    for name, group in in_groups.items():
        granted += [Acl(name, "group", group, ("Read", "Describe")), Acl(LAG_READER, "group", group, ("Describe",))]
    granted += [Acl(LAG_READER, "topic", topic, ("Describe",)) for topic in lagging]
    order = {p.name: index for index, p in enumerate(PRINCIPALS)}
    return sorted(granted, key=lambda acl: (order[acl.principal], acl.resource_type == "group", acl.resource))


def acls_of(principal: str) -> list[Acl]:
    return [acl for acl in acls() if acl.principal == principal]
