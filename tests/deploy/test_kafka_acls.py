"""Kafka authorization as the operators overlay renders it (Strimzi): one KafkaUser per service and outside
client, whose ACLs let each write only the topics it produces and read only those it consumes, in its own
group. Checked on the rendered manifests, the way the brokers' simple authorizer would decide; a broken ACL
must fail the check. The committed YAML is what render_users.py generates from the topic catalogue.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from contracts.kafka_access import OPERATOR, consuming_services, principals_of, user_of
from contracts.topics import (
    CUSTOMER_CHANGES,
    DEADLETTER,
    INBOUND,
    JOURNEY_ACTIONS,
    LOYALTY_EVENTS,
    PROFILE_LIFECYCLE,
    REFERRAL_EVENTS,
    RESOLVED,
    SCORING_CHANGES,
    TOPICS,
)
from contracts.topology import topology_of
from tests.deploy.k8s_checks import K8S, SERVICES, Doc, render

STRIMZI = K8S / "components" / "strimzi"
# What the issue names, independent of the generator: only the gateway and producers write inbound, only
# profile writes resolved and lifecycle. The operator replays dead letters to the topics services consume.
ONLY_WRITERS = {
    INBOUND: {user_of("gateway"), "flywheel-import", "flywheel-producer", OPERATOR},
    RESOLVED: {user_of("profile"), OPERATOR},
    PROFILE_LIFECYCLE: {user_of("profile"), OPERATOR},
}
REPLAYABLE = {INBOUND, RESOLVED, PROFILE_LIFECYCLE, SCORING_CHANGES, JOURNEY_ACTIONS, REFERRAL_EVENTS, LOYALTY_EVENTS}


# ---- the simple authorizer, on rendered KafkaUsers ----


def _matches(rule: Doc, resource_type: str, name: str) -> bool:
    resource = rule["resource"]
    if resource["type"] != resource_type:
        return False
    pattern = resource.get("name", "*")
    if resource.get("patternType", "literal") == "prefix":
        return name.startswith(pattern)
    return pattern in ("*", name)


def _operations(rule: Doc) -> set[str]:
    return set(rule.get("operations", [])) | ({rule["operation"]} if "operation" in rule else set())


def allowed(users: dict[str, Doc], user: str, operation: str, resource_type: str, name: str) -> bool:
    """Whether Kafka's AclAuthorizer lets `user` do `operation` on the resource: a matching deny wins; All
    covers every operation; Read, Write, Delete and Alter imply Describe."""
    if user not in users:
        return False
    implied = {operation, "All"} | ({"Read", "Write", "Delete", "Alter"} if operation == "Describe" else set())
    rules = [
        rule
        for rule in users[user]["spec"].get("authorization", {}).get("acls", [])
        if _matches(rule, resource_type, name) and _operations(rule) & implied
    ]
    return bool(rules) and not any(rule.get("type") == "deny" for rule in rules)


def kafka_users(docs: Iterable[Doc]) -> dict[str, Doc]:
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == "KafkaUser"}


def acl_violations(docs: list[Doc]) -> list[str]:
    """Every way the rendered users break the catalogue's ownership, or keep a service from its work."""
    users = kafka_users(docs)
    errors: list[str] = []
    for name, user_doc in users.items():
        for rule in user_doc["spec"].get("authorization", {}).get("acls", []):
            resource = rule["resource"]
            if resource["type"] not in ("topic", "group"):
                errors.append(f"KafkaUser/{name}: an ACL on {resource['type']} (only topics and groups)")
            if (
                resource.get("patternType") == "prefix"
                or resource.get("name", "*") == "*"
                or "All" in _operations(rule)
            ):
                errors.append(f"KafkaUser/{name}: a broad ACL {resource} {sorted(_operations(rule))}")
    for topic in TOPICS:
        writers = {user for user in users if allowed(users, user, "Write", "topic", topic.name)}
        owners = {name for party in topic.producers for name in principals_of(party)}
        if topic.name == DEADLETTER:
            owners |= set(consuming_services())
        if topic.name in REPLAYABLE:
            owners.add(OPERATOR)
        owners &= ONLY_WRITERS.get(topic.name, owners)
        for intruder in sorted(writers - owners):
            errors.append(f"KafkaUser/{intruder}: may write {topic.name}, which it does not own")
    for service in SERVICES:
        user = user_of(service)
        reads = set(topology_of(service).consumed) | ({CUSTOMER_CHANGES} if service == "gateway" else set())
        for topic_name in sorted(reads):
            if not allowed(users, user, "Read", "topic", topic_name):
                errors.append(f"KafkaUser/{user}: may not read {topic_name}, which {service} consumes")
        if service != "gateway" and not allowed(users, user, "Read", "group", f"flywheel-{service}"):
            errors.append(f"KafkaUser/{user}: may not join its consumer group flywheel-{service}")
    errors += login_errors(docs, users)
    return errors


def login_errors(docs: list[Doc], users: dict[str, Doc]) -> list[str]:
    """Each Deployment logs in as its service's KafkaUser, with that user's password Secret, over TLS."""
    errors: list[str] = []
    configs = {d["metadata"]["name"]: d["data"] for d in docs if d["kind"] == "ConfigMap"}
    for doc in (d for d in docs if d["kind"] == "Deployment"):
        service = doc["metadata"]["name"]
        (container,) = doc["spec"]["template"]["spec"]["containers"]
        env = {e["name"]: e for e in container.get("env", [])}
        config: dict[str, str] = next(
            (
                data
                for name, data in configs.items()
                if any(ref.get("configMapRef", {}).get("name") == name for ref in container.get("envFrom", []))
            ),
            {},
        )
        username = env.get("FLYWHEEL_KAFKA_SASL_USERNAME", {}).get("value")
        secret = env.get("FLYWHEEL_KAFKA_SASL_PASSWORD", {}).get("valueFrom", {}).get("secretKeyRef", {})
        if username != user_of(service) or username not in users:
            errors.append(f"Deployment/{service}: logs in to Kafka as {username!r}, not {user_of(service)}")
        if secret != {"name": username, "key": "password"}:
            errors.append(f"Deployment/{service}: its Kafka password is not its user's Secret ({secret})")
        if config.get("FLYWHEEL_KAFKA_SECURITY_PROTOCOL") != "SASL_SSL":
            errors.append(f"Deployment/{service}: Kafka without SASL_SSL")
        mounts = [m["mountPath"] for m in container.get("volumeMounts", [])]
        if not any(config.get("FLYWHEEL_KAFKA_SSL_CAFILE", "").startswith(f"{m}/") for m in mounts):
            errors.append(f"Deployment/{service}: FLYWHEEL_KAFKA_SSL_CAFILE is not a mounted file")
    return errors


# ---- the operators overlay ----


@pytest.fixture(scope="module")
def operators() -> list[Doc]:
    return render(K8S / "overlays" / "operators")


def test_the_rendered_acls_follow_the_catalogue(operators: list[Doc]) -> None:
    assert acl_violations(operators) == []


def test_a_service_may_not_write_a_topic_it_does_not_own(operators: list[Doc]) -> None:
    users = kafka_users(operators)
    assert allowed(users, user_of("profile"), "Write", "topic", RESOLVED)
    assert not allowed(users, user_of("profile"), "Write", "topic", INBOUND)
    assert not allowed(users, user_of("scoring"), "Write", "topic", RESOLVED)
    assert not allowed(users, user_of("journey"), "Write", "topic", PROFILE_LIFECYCLE)
    assert not allowed(users, user_of("gateway"), "Write", "topic", DEADLETTER)
    for service in ("profile", "scoring", "journey", "referral", "sales", "loyalty"):
        assert allowed(users, user_of(service), "Write", "topic", DEADLETTER), service
        assert not allowed(users, user_of(service), "Read", "group", "flywheel-other"), service
    assert not allowed(users, "flywheel-keda", "Read", "topic", INBOUND)  # lag only: Describe
    assert allowed(users, "flywheel-keda", "Describe", "group", "flywheel-profile")


def test_the_cluster_takes_only_tls_with_a_login_and_authorizes(operators: list[Doc]) -> None:
    (kafka,) = [d for d in operators if d["kind"] == "Kafka"]
    listeners = kafka["spec"]["kafka"]["listeners"]
    assert listeners and all(
        listener["tls"] is True and listener["authentication"]["type"] == "scram-sha-512" for listener in listeners
    )
    assert kafka["spec"]["kafka"]["authorization"]["type"] == "simple"
    assert {listener["port"] for listener in listeners} == {9092}  # FLYWHEEL_KAFKA_BOOTSTRAP, network policies
    for scaled in (d for d in operators if d["kind"] == "ScaledObject"):
        assert {t["authenticationRef"]["name"] for t in scaled["spec"]["triggers"]} == {"kafka"}


# ---- the generated files ----


def _load_script(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_users_are_the_generated_ones() -> None:
    script = STRIMZI / "render_users.py"
    done = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_render_users_check_fails_on_drift(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    module = _load_script(STRIMZI / "render_users.py")
    users = tmp_path / "kafkausers.yaml"
    monkeypatch.setattr(module, "OUTPUT", users)
    assert module.main([]) == 0 and module.main(["--check"]) == 0
    users.write_text(users.read_text().replace("- Read\n", "- Write\n", 1))  # a hand edit
    assert module.main(["--check"]) == 1


# ---- a broken ACL fails the check ----

BROKEN_PATCHES = """\
- target: {kind: KafkaUser, name: flywheel-scoring}
  patch: |-
    - op: add
      path: /spec/authorization/acls/-
      value: {resource: {type: topic, name: flywheel.events.resolved, patternType: literal}, operations: [Write]}
- target: {kind: KafkaUser, name: flywheel-sales}
  patch: |-
    - op: add
      path: /spec/authorization/acls/-
      value: {resource: {type: topic, name: flywheel., patternType: prefix}, operations: [All]}
- target: {kind: KafkaUser, name: flywheel-referral}
  patch: |-
    - op: replace
      path: /spec/authorization/acls
      value: []
- target: {kind: Deployment, name: journey}
  patch: |-
    - op: replace
      path: /spec/template/spec/containers/0/env
      value: [{name: FLYWHEEL_KAFKA_SASL_USERNAME, value: flywheel-profile}]
"""


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> list[Doc]:
    """The operators overlay where scoring may write resolved, sales may do anything on every flywheel.
    topic, referral may do nothing, and journey logs in as profile."""
    directory = tmp_path_factory.mktemp("broken-acls")
    (directory / "kustomization.yaml").write_text(
        yaml.safe_dump(
            {
                "apiVersion": "kustomize.config.k8s.io/v1beta1",
                "kind": "Kustomization",
                "resources": [os.path.relpath(K8S / "overlays" / "operators", directory)],
                "patches": yaml.safe_load(BROKEN_PATCHES),
            }
        )
    )
    return render(directory)


def test_a_broken_acl_fails_the_check(broken: list[Doc]) -> None:
    errors = "\n".join(acl_violations(broken))
    assert "KafkaUser/flywheel-scoring: may write flywheel.events.resolved, which it does not own" in errors
    assert "KafkaUser/flywheel-sales: a broad ACL" in errors
    assert "KafkaUser/flywheel-sales: may write flywheel.events.inbound, which it does not own" in errors
    assert "KafkaUser/flywheel-referral: may not read flywheel.events.resolved, which referral consumes" in errors
    assert "KafkaUser/flywheel-referral: may not join its consumer group flywheel-referral" in errors
    assert "Deployment/journey: logs in to Kafka as 'flywheel-profile', not flywheel-journey" in errors
