"""The event topology is declared once (contracts/topology.py): the services' wiring consumes exactly what
their declarations subscribe to, their code publishes only the topics their declarations name, and the topic
catalogue, the Kafka ACLs and the AsyncAPI document follow the declarations."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi import FastAPI

from contracts import topics, topology
from contracts.kafka_access import acls_of, readers, user_of, writers
from contracts.topics import CUSTOMER_CHANGES, DEADLETTER, TOPICS
from contracts.topology import SERVICE_TOPOLOGY, ServiceTopology, Subscription, topology_of
from runtime.service import ServiceRuntime
from runtime.subscriptions import SubscriptionMismatch, consumers_of
from runtime.telemetry import OUTBOX_PUBLISHED
from services.journey.wiring import create_app as create_journey_app
from services.loyalty.wiring import create_app as create_loyalty_app
from services.profile.wiring import create_app as create_profile_app
from services.referral.wiring import create_app as create_referral_app
from services.sales.wiring import create_app as create_sales_app
from services.scoring.wiring import create_app as create_scoring_app
from services.settings import SERVICE_SETTINGS
from tests import running

ROOT = Path(__file__).resolve().parents[2]
TOPIC_CONSTANTS = {name: value for name, value in vars(topology).items() if isinstance(value, str) and "." in value}
APPS: dict[str, Callable[..., FastAPI]] = {
    "profile": create_profile_app,
    "scoring": create_scoring_app,
    "journey": create_journey_app,
    "referral": create_referral_app,
    "sales": create_sales_app,
    "loyalty": create_loyalty_app,
}


def running_subscriptions(service: str) -> list[tuple[str, ...]]:
    """The topics of each consumer loop the service's wiring gives its runtime (nothing is started)."""
    app = APPS[service](SERVICE_SETTINGS[service](service_name=service))
    runtime: ServiceRuntime = app.state.runtime
    return [spec.topics for spec in runtime._consumer_specs(runtime)]


def topics_named_by(service: str) -> set[str]:
    """The topics the service's code names: the topic constants its modules import (wiring names none)."""
    named: set[str] = set()
    for path in (ROOT / "services" / service).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module in ("contracts.topics", "contracts.topology"):
                named |= {TOPIC_CONSTANTS[alias.name] for alias in node.names if alias.name in TOPIC_CONSTANTS}
    return named


def tracks_customer_changes(service: str) -> bool:
    """Whether the service's migrations install the triggers that write `customer.changed` to its outbox."""
    migrations = (ROOT / "services" / service / "migrations").glob("*.sql")
    return any("flywheel_track_customer_changes(" in path.read_text() for path in migrations)


def test_every_service_is_declared_once() -> None:
    services = [t.service for t in SERVICE_TOPOLOGY]
    assert sorted(services) == sorted({*APPS, "gateway"})
    assert len(services) == len(set(services))
    known = {topic.name for topic in TOPICS}
    for declared in SERVICE_TOPOLOGY:
        assert set(declared.consumed) | set(declared.publishes) | {f.topic for f in declared.follows} <= known
        assert len({s.name for s in declared.subscriptions}) == len(declared.subscriptions), declared.service


@pytest.mark.parametrize("service", sorted(APPS))
def test_the_wiring_consumes_exactly_what_the_declaration_subscribes_to(service: str) -> None:
    declared = [s.topics for s in topology_of(service).subscriptions]
    assert running_subscriptions(service) == declared


@pytest.mark.parametrize("service", [t.service for t in SERVICE_TOPOLOGY])
def test_a_service_names_only_topics_its_declaration_names(service: str) -> None:
    declared = topology_of(service)
    named = topics_named_by(service)
    allowed = {*declared.publishes, *declared.consumed, *(f.topic for f in declared.follows)}
    assert named <= allowed, f"{service} names {sorted(named - allowed)}, which contracts/topology.py does not"
    # And no stale declaration: each publication is written by the service's code, or by its triggers.
    written = named | ({CUSTOMER_CHANGES} if tracks_customer_changes(service) else set())
    assert set(declared.publishes) == written - set(declared.consumed) - {f.topic for f in declared.follows}


def test_the_catalogue_lists_the_declared_services() -> None:
    for topic in TOPICS:
        publishing = {t.service for t in SERVICE_TOPOLOGY if topic.name in t.publishes}
        consuming = {t.service for t in SERVICE_TOPOLOGY if topic.name in t.consumed}
        assert publishing <= set(topic.producers), topic.name
        assert consuming <= set(topic.consumers), topic.name
    (changes,) = (t for t in TOPICS if t.name == CUSTOMER_CHANGES)
    assert "gateway (360 view cache)" in changes.consumers


def test_a_published_order_must_name_exactly_the_declared_parties() -> None:
    """The AsyncAPI document is public and changes only by additions, so a list it already gives keeps its
    order; but that order can never add or drop a party the declarations give."""
    inbound = next(t for t in TOPICS if t.name == topics.INBOUND)
    assert inbound.producers == ("data producers", "gateway", "import CLI")
    with pytest.raises(ValueError, match="not the declared"):
        topics._topic(
            name=topics.INBOUND,
            description="",
            key="",
            outside_producers=("data producers",),
            listed_as={"producers": ("data producers", "gateway", "import CLI")},
        )


def test_the_acls_follow_the_declarations() -> None:
    for declared in SERVICE_TOPOLOGY:
        user = user_of(declared.service)
        for topic in declared.publishes:
            assert user in writers(topic), (declared.service, topic)
        for topic in (*declared.consumed, *(f.topic for f in declared.follows)):
            assert user in readers(topic), (declared.service, topic)
        groups = [acl.resource for acl in acls_of(user) if acl.resource_type == "group"]
        assert groups == ([declared.group] if declared.group else [])
        if declared.subscriptions:
            assert user in writers(DEADLETTER), declared.service


def test_a_handler_for_an_undeclared_subscription_stops_the_wiring() -> None:
    declared = ServiceTopology("coupons", subscriptions=(Subscription("resolved", (topology.RESOLVED,)),))
    handler = object()
    with pytest.raises(SubscriptionMismatch, match="coupons"):
        consumers_of(declared, resolved=handler, redeemed=handler)  # type: ignore[arg-type]  # a stand-in handler
    with pytest.raises(SubscriptionMismatch, match="resolved"):
        consumers_of(declared)
    (spec,) = consumers_of(declared, resolved=handler)  # type: ignore[arg-type]  # a stand-in handler
    assert spec.topics == (topology.RESOLVED,) and spec.handler is handler


def test_a_service_stopping_after_an_undeclared_publication_fails_its_test(monkeypatch: pytest.MonkeyPatch) -> None:
    coupons = ServiceTopology("coupons", subscriptions=(Subscription("resolved", (topology.RESOLVED,)),))
    monkeypatch.setattr(running, "SERVICE_TOPOLOGY", (*SERVICE_TOPOLOGY, coupons))
    OUTBOX_PUBLISHED.labels("coupons", DEADLETTER).inc()
    running.check_publications("coupons")  # dead letters: it consumes
    OUTBOX_PUBLISHED.labels("coupons", topology.SALES_EVENTS).inc()
    with pytest.raises(AssertionError, match=r"coupons published \['flywheel\.sales\.events'\]"):
        running.check_publications("coupons")
