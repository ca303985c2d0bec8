"""deploy/k8s: journey's egress reaches webhook receivers on the internet only (issue 15, SSRF): ports 80 and
443 to any address except the private, shared, link-local (the cloud's metadata service) and loopback
ranges, in every overlay; a rule that let webhooks into the cluster fails the check."""

from __future__ import annotations

import copy
import ipaddress

import pytest

from tests.deploy.k8s_checks import K8S, Doc, render

OVERLAYS = ("dev", "prod", "operators")
INTERNAL_V4 = ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "100.64.0.0/10", "127.0.0.0/8")
WEBHOOK_PORTS = {80, 443}


def journey_egress(docs: list[Doc]) -> list[Doc]:
    (policy,) = [
        d for d in docs if d["kind"] == "NetworkPolicy" and d["metadata"]["name"] in ("journey", "flywheel-journey")
    ]
    rules: list[Doc] = policy["spec"]["egress"]
    return rules


def webhook_errors(rules: list[Doc]) -> list[str]:
    """What lets journey's web ports reach an internal address."""
    errors = []
    for rule in rules:
        ports = {p.get("port") for p in rule.get("ports", [])}
        if not rule.get("ports") or ports & WEBHOOK_PORTS:
            peers = rule.get("to")
            if not peers:
                errors.append(f"ports {sorted(ports) or 'all'} open to every address")
                continue
            for peer in peers:
                block = peer.get("ipBlock")
                if block is None:
                    continue  # pods or namespaces in the cluster: not a webhook rule
                if ":" in block["cidr"]:
                    continue  # IPv6: the internal IPv4 ranges are the ones a cloud's metadata and pods live in
                network = ipaddress.IPv4Network(block["cidr"])
                excepted = [ipaddress.IPv4Network(e) for e in block.get("except", [])]
                for internal in map(ipaddress.IPv4Network, INTERNAL_V4):
                    if internal.subnet_of(network) and not any(internal.subnet_of(e) for e in excepted):
                        errors.append(f"{block['cidr']} lets ports {sorted(ports)} reach {internal}")
    return errors


@pytest.fixture(scope="module")
def rendered() -> dict[str, list[Doc]]:
    return {name: render(K8S / "overlays" / name) for name in OVERLAYS}


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_journey_reaches_webhooks_on_the_internet_only(overlay: str, rendered: dict[str, list[Doc]]) -> None:
    rules = journey_egress(rendered[overlay])
    assert webhook_errors(rules) == []
    web = [r for r in rules if {p.get("port") for p in r.get("ports", [])} == WEBHOOK_PORTS]
    assert web, "journey may reach webhook receivers on 80 and 443"
    v4 = [p["ipBlock"] for r in web for p in r["to"] if ":" not in p["ipBlock"]["cidr"]]
    assert v4 == [{"cidr": "0.0.0.0/0", "except": list(INTERNAL_V4)}]
    # what journey needs inside: Kafka and PostgreSQL (DNS: the namespace-wide allow-dns policy)
    inside = {p["port"] for r in rules if "to" not in r for p in r["ports"]}
    assert {9092, 5432} <= inside


def test_a_webhook_rule_open_to_the_cluster_fails_the_check(rendered: dict[str, list[Doc]]) -> None:
    rules = copy.deepcopy(journey_egress(rendered["prod"]))
    opened = [r for r in rules if {p.get("port") for p in r.get("ports", [])} == WEBHOOK_PORTS]
    opened[0]["to"][0]["ipBlock"]["except"].remove("169.254.0.0/16")
    assert webhook_errors(rules) == ["0.0.0.0/0 lets ports [80, 443] reach 169.254.0.0/16"]
    assert webhook_errors([{"ports": [{"protocol": "TCP", "port": 443}]}]) == ["ports [443] open to every address"]
