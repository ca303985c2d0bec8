"""contracts.kafka_access: every producer and consumer the topic catalogue names is a known principal (or a
known outside party), and the ACLs follow the catalogue and what the services' wiring subscribes to."""

from __future__ import annotations

from pathlib import Path

import pytest

from contracts import kafka_access
from contracts.kafka_access import (
    PRINCIPALS,
    CatalogueError,
    acls,
    acls_of,
    consuming_services,
    principals_of,
    readers,
    user_of,
    writers,
)
from contracts.topics import DEADLETTER, INBOUND, PROFILE_LIFECYCLE, RESOLVED, TOPICS, Topic
from contracts.topology import topology_of

ROOT = Path(__file__).resolve().parents[2]


def test_every_party_of_the_catalogue_is_known() -> None:
    for topic in TOPICS:
        for party in (*topic.producers, *topic.consumers):
            principals_of(party)  # raises for an unknown party


def test_an_unknown_party_fails_the_derivation(monkeypatch: pytest.MonkeyPatch) -> None:
    rogue = Topic(name=RESOLVED, description="", key="", producers=("profile", "a new service"), consumers=())
    monkeypatch.setattr(kafka_access, "TOPICS", (rogue,))
    with pytest.raises(CatalogueError, match="'a new service'"):
        writers(RESOLVED)


@pytest.mark.parametrize("service", ["profile", "scoring", "journey", "referral", "sales", "loyalty"])
def test_a_service_reads_what_its_wiring_subscribes_to_in_its_group(service: str) -> None:
    user = user_of(service)
    read = {acl.resource for acl in acls_of(user) if acl.resource_type == "topic" and "Read" in acl.operations}
    assert read == set(topology_of(service).consumed)
    assert [acl.resource for acl in acls_of(user) if acl.resource_type == "group"] == [f"flywheel-{service}"]


def test_ownership_of_the_topics_the_issue_names() -> None:
    assert set(writers(INBOUND)) == {user_of("gateway"), "flywheel-import", "flywheel-producer", "flywheel-operator"}
    assert set(writers(RESOLVED)) == set(writers(PROFILE_LIFECYCLE)) == {user_of("profile"), "flywheel-operator"}
    assert set(writers(DEADLETTER)) == set(consuming_services())
    consumers = ("profile", "scoring", "journey", "referral", "sales", "loyalty")
    assert set(consuming_services()) == {user_of(s) for s in consumers}
    assert readers(DEADLETTER) == ("flywheel-operator",)


def test_acls_are_literal_and_name_known_principals() -> None:
    names = {p.name for p in PRINCIPALS}
    for acl in acls():
        assert acl.principal in names
        assert "*" not in acl.resource and acl.resource
        assert set(acl.operations) <= {"Read", "Write", "Describe"}
