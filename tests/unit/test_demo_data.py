"""The demo generator: deterministic, valid against the contracts, and shaped like a real customer base."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import phonenumbers
import pytest

from cli.demo_data import generate
from contracts.codec import validate_typed
from contracts.inbound import INBOUND_EVENT_TYPES

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
CUSTOMERS = 400


@pytest.fixture(scope="module")
def events() -> list[dict[str, Any]]:
    return generate(11, CUSTOMERS, NOW)


def identifiers(event: dict[str, Any]) -> list[str]:
    return [f"{kind}:{value}" for kind, value in sorted(event["data"]["customer"].items())]


def people(events: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Events grouped by person: identifiers seen together in one event belong to one person (union-find)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for event in events:
        first, *rest = identifiers(event)
        for other in rest:
            parent[find(other)] = find(first)
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for event in events:
        groups[find(identifiers(event)[0])].append(event)
    return groups


def test_same_seed_same_events_other_seed_other_events(events: list[dict[str, Any]]) -> None:
    assert generate(11, CUSTOMERS, NOW) == events
    assert generate(12, CUSTOMERS, NOW) != events
    assert {e["id"] for e in generate(11, CUSTOMERS + 1, NOW)}.isdisjoint(e["id"] for e in events)


def test_every_event_validates_and_ids_are_unique(events: list[dict[str, Any]]) -> None:
    for event in events:
        validate_typed(event, INBOUND_EVENT_TYPES)
        assert event["workspace"] == "demo"
    assert len({e["id"] for e in events}) == len(events)
    assert set(Counter(e["type"] for e in events)) == set(INBOUND_EVENT_TYPES)
    for phone in {e["data"]["customer"]["phone"] for e in events if "phone" in e["data"]["customer"]}:
        assert phonenumbers.is_valid_number(phonenumbers.parse(phone)), phone


def test_events_are_in_time_order_within_about_18_months(events: list[dict[str, Any]]) -> None:
    times = [datetime.fromisoformat(e["time"]) for e in events]
    assert times == sorted(times)
    assert times[-1] <= NOW
    assert times[0] >= NOW - timedelta(days=545)
    assert times[-1] >= NOW - timedelta(days=30)


def test_identities_resolve_to_one_person_per_customer_and_some_merge(events: list[dict[str, Any]]) -> None:
    assert len(people(events)) == CUSTOMERS
    # A merge: an email alone, then the external_id alone, then one event carrying both.
    seen_alone: set[str] = set()
    merged: set[str] = set()
    for event in events:
        customer = event["data"]["customer"]
        if set(customer) in ({"email"}, {"external_id"}):
            seen_alone.add(identifiers(event)[0])
        elif {f"email:{customer.get('email')}", f"external_id:{customer.get('external_id')}"} <= seen_alone:
            merged.add(customer["email"])
    assert len(merged) >= CUSTOMERS * 0.1


def test_about_a_fifth_of_customers_are_dormant(events: list[dict[str, Any]]) -> None:
    last = [max(datetime.fromisoformat(e["time"]) for e in group) for group in people(events).values()]
    dormant = sum(t < NOW - timedelta(days=120) for t in last) / len(last)
    assert 0.12 <= dormant <= 0.3


def test_repeat_buyers_and_a_heavy_tail_of_spend(events: list[dict[str, Any]]) -> None:
    spend, orders = [], []
    for group in people(events).values():
        purchases = [e for e in group if e["type"] == "purchase"]
        orders.append(len(purchases))
        spend.append(sum(Decimal(e["data"]["amount"]) for e in purchases))
    assert sum(n >= 5 for n in orders) >= CUSTOMERS * 0.2
    assert sum(n == 1 for n in orders) >= CUSTOMERS * 0.2
    spend.sort(reverse=True)
    assert sum(spend[: CUSTOMERS // 10]) > Decimal("0.3") * sum(spend)
    for event in events:
        if event["type"] == "purchase":
            items = event["data"]["items"]
            assert items and all(i["category"] for i in items)
            assert sum(Decimal(i["unit_price"]) * i["quantity"] for i in items) == Decimal(event["data"]["amount"])


def test_refunds_follow_their_purchase_and_never_exceed_it(events: list[dict[str, Any]]) -> None:
    bought = {e["data"]["order_id"]: e for e in events if e["type"] == "purchase"}
    refunds = [e for e in events if e["type"] == "refund"]
    assert refunds
    for refund in refunds:
        purchase = bought[refund["data"]["order_id"]]
        assert purchase["time"] < refund["time"]
        assert Decimal(refund["data"]["amount"]) <= Decimal(purchase["data"]["amount"])


def test_tickets_and_referral_chains(events: list[dict[str, Any]]) -> None:
    resolved = [e["data"] for e in events if e["type"] == "ticket" and e["data"]["status"] == "resolved"]
    assert resolved and all(1 <= t["csat"] <= 5 for t in resolved)
    assert any("nps" in t for t in resolved)
    steps: dict[str, list[str]] = defaultdict(list)
    for event in events:
        if event["type"] == "referral":
            steps[event["data"]["code"]].append(event["data"]["action"])
        elif event["type"] == "purchase" and "referral_code" in event["data"]:
            steps[event["data"]["referral_code"]].append("purchase")
    chains = [s for s in steps.values() if s[:4] == ["invite_sent", "link_clicked", "signed_up", "purchase"]]
    assert len(chains) >= 5


def test_visits_span_channels(events: list[dict[str, Any]]) -> None:
    channels = Counter(e["data"]["channel"] for e in events if e["type"] == "visit")
    assert {"web", "app", "store"} <= set(channels)
