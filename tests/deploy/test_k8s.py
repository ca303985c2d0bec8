"""deploy/k8s: every overlay rendered with kustomize, validated against the Kubernetes schemas (strict) and
the shipped CRD schemas, checked by our own policy (k8s_checks.py) and by checkov, and cross-checked
against the code (topics, consumer groups, settings). A deliberately broken overlay must fail each check.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from contracts import topics as contract_topics
from contracts.topology import topology_of
from runtime.settings import RuntimeSettings
from services.settings import SERVICE_SETTINGS
from tests.deploy.k8s_checks import (
    K8S,
    ROLE_PRIVILEGES,
    SERVICES,
    Doc,
    checkov_failures,
    crd_schemas,
    policy_errors,
    render,
    schema_errors,
    start_checkov,
)

OVERLAYS = ("dev", "prod", "operators")
CONSUMERS = tuple(s for s in SERVICES if s != "gateway")


@pytest.fixture(scope="module")
def rendered() -> dict[str, list[Doc]]:
    return {name: render(K8S / "overlays" / name) for name in OVERLAYS}


@pytest.fixture(scope="module")
def crds() -> dict[tuple[str, str], Any]:
    return crd_schemas()


@pytest.fixture(scope="module")
def checkov(rendered: dict[str, list[Doc]], tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """checkov once per overlay per session, all overlays at once."""
    base = tmp_path_factory.mktemp("checkov")
    procs = {name: start_checkov(docs, base / name) for name, docs in rendered.items()}
    return {name: checkov_failures(proc) for name, proc in procs.items()}


def by_kind(docs: list[Doc], kind: str) -> dict[str, Doc]:
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


# ---- every overlay ----


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_overlay_matches_kubernetes_and_crd_schemas(overlay: str, rendered: dict[str, list[Doc]], crds: Any) -> None:
    assert schema_errors(rendered[overlay], crds) == []


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_overlay_meets_our_policy(overlay: str, rendered: dict[str, list[Doc]]) -> None:
    assert policy_errors(rendered[overlay]) == []


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_checkov_finds_nothing(overlay: str, checkov: dict[str, list[str]]) -> None:
    # Offline checkov has no severities: every failed check counts. Skips are in deploy/k8s/checkov.yaml,
    # each with its reason.
    assert checkov[overlay] == []


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_service_has_its_objects(overlay: str, rendered: dict[str, list[Doc]]) -> None:
    docs = rendered[overlay]
    tag = yaml.safe_load((K8S / "base" / "kustomization.yaml").read_text())["images"][0]["newTag"]
    for kind in ("Deployment", "Service", "ServiceAccount", "PodDisruptionBudget"):
        assert sorted(by_kind(docs, kind)) == sorted(SERVICES), kind
    jobs = by_kind(docs, "Job")
    for service in SERVICES:
        deployment = by_kind(docs, "Deployment")[service]
        (container,) = deployment["spec"]["template"]["spec"]["containers"]
        assert container["image"] == f"ghcr.io/flywheel-oss/flywheel-{service}:{tag}"
        assert by_kind(docs, "ServiceAccount")[service]["automountServiceAccountToken"] is False
        assert by_kind(docs, "Service")[service]["spec"]["ports"] == [
            {"name": "http", "port": 8080, "targetPort": "http", "protocol": "TCP"},
            {"name": "metrics", "port": 9080, "targetPort": "metrics", "protocol": "TCP"},
        ]
        # Jobs are immutable: the name carries the release so a new image is a new Job.
        job = jobs[f"{service}-migrate-v{tag.replace('.', '-')}"]
        (migrate,) = job["spec"]["template"]["spec"]["containers"]
        assert migrate["image"] == container["image"] and migrate["args"] == ["migrate"]
        assert job["spec"]["backoffLimit"] > 0 and job["spec"]["ttlSecondsAfterFinished"] > 0
        assert "envFrom" not in migrate, "a ConfigMap hash in a Job's template makes re-applying it fail"
        assert deployment["metadata"]["labels"]["app.kubernetes.io/version"] == tag


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_settings_are_real_settings(overlay: str, rendered: dict[str, list[Doc]]) -> None:
    maps = by_kind(rendered[overlay], "ConfigMap")
    for service in SERVICES:
        # Each service is given only settings it reads (its own class's, the runtime's included).
        known = {f"FLYWHEEL_{name.upper()}" for name in SERVICE_SETTINGS[service].model_fields}
        (config,) = [m for n, m in maps.items() if n.startswith(f"{service}-config-")]
        assert set(config["data"]) <= known, set(config["data"]) - known
        assert config["data"]["FLYWHEEL_HTTP_PORT"] == "8080"
        assert config["data"]["FLYWHEEL_METRICS_PORT"] == "9080"
        assert config["data"].get("FLYWHEEL_ENV", "development") == (
            "development" if overlay == "dev" else "production"
        )
        assert config["data"]["FLYWHEEL_KAFKA_BOOTSTRAP"].endswith(":9092")
        if service == "gateway":
            for other in CONSUMERS:
                assert config["data"][f"FLYWHEEL_{other.upper()}_URL"] == f"http://{other}:8080"


# ---- per overlay ----


def test_dev_is_small(rendered: dict[str, list[Doc]]) -> None:
    docs = rendered["dev"]
    assert by_kind(docs, "HorizontalPodAutoscaler") == {} and by_kind(docs, "ScaledObject") == {}
    for deployment in by_kind(docs, "Deployment").values():
        assert deployment["spec"].get("replicas", 1) == 1


@pytest.mark.parametrize("overlay", ["prod", "operators"])
def test_prod_is_redundant_and_exposed_over_tls(overlay: str, rendered: dict[str, list[Doc]]) -> None:
    docs = rendered[overlay]
    hpas = by_kind(docs, "HorizontalPodAutoscaler")
    scaled = by_kind(docs, "ScaledObject")
    assert sorted(scaled) == sorted(CONSUMERS)
    assert {h["spec"]["scaleTargetRef"]["name"] for h in hpas.values()} == {"gateway"}, "one autoscaler per Deployment"
    assert hpas["gateway"]["spec"]["metrics"][0]["resource"]["name"] == "cpu"
    for name, deployment in by_kind(docs, "Deployment").items():
        floor = hpas["gateway"]["spec"]["minReplicas"] if name == "gateway" else deployment["spec"]["replicas"]
        assert floor >= 2, name
        if name in scaled:
            assert scaled[name]["spec"]["minReplicaCount"] >= 2
        affinity = deployment["spec"]["template"]["spec"]["affinity"]["podAntiAffinity"]
        assert affinity["preferredDuringSchedulingIgnoredDuringExecution"], name
    (ingress,) = by_kind(docs, "Ingress").values()
    assert ingress["spec"]["tls"][0]["secretName"]
    routed = {path["path"] for rule in ingress["spec"]["rules"] for path in rule["http"]["paths"]}
    assert routed == {"/v1", "/docs", "/openapi.json", "/problems", "/console"}, (
        "the Ingress exposes the public API, its documents and the console only"
    )
    (monitor,) = by_kind(docs, "ServiceMonitor").values()
    endpoint = monitor["spec"]["endpoints"][0]
    assert endpoint["port"] == "metrics" and endpoint["path"] == "/metrics"
    for service in by_kind(docs, "Service").values():
        labels = service["metadata"]["labels"]
        assert all(labels.get(k) == v for k, v in monitor["spec"]["selector"]["matchLabels"].items())
    assert by_kind(docs, "PrometheusRule"), "deploy/observability is not included"
    assert any(
        m["metadata"].get("labels", {}).get("grafana_dashboard") == "1" for m in by_kind(docs, "ConfigMap").values()
    )


def test_keda_scales_each_consumer_on_its_own_group_and_topics(rendered: dict[str, list[Doc]]) -> None:
    docs = rendered["prod"]
    partitions = {t.name: t.partitions for t in contract_topics.TOPICS}
    concurrency = RuntimeSettings.model_fields["consumer_concurrency"].default
    for service, scaled in by_kind(docs, "ScaledObject").items():
        triggers = scaled["spec"]["triggers"]
        assert {t["type"] for t in triggers} == {"kafka"}
        assert {t["metadata"]["consumerGroup"] for t in triggers} == {f"flywheel-{service}"}
        topics = {t["metadata"]["topic"] for t in triggers}
        assert topics == set(topology_of(service).consumed), service
        # Replicas beyond partitions / concurrency only idle (docs/operations.md, "Scale").
        assert scaled["spec"]["maxReplicaCount"] * concurrency <= min(partitions[t] for t in topics), service


def test_bootstrap_follows_the_settings(rendered: dict[str, list[Doc]]) -> None:
    for overlay in ("prod", "operators"):
        docs = rendered[overlay]
        (bootstrap,) = {
            m["data"]["FLYWHEEL_KAFKA_BOOTSTRAP"] for n, m in by_kind(docs, "ConfigMap").items() if "-config-" in n
        }
        for scaled in by_kind(docs, "ScaledObject").values():
            assert {t["metadata"]["bootstrapServers"] for t in scaled["spec"]["triggers"]} == {bootstrap}
    assert bootstrap == "kafka-kafka-bootstrap:9092"


def test_kafka_topics_equal_the_contracts(rendered: dict[str, list[Doc]]) -> None:
    topics = by_kind(rendered["operators"], "KafkaTopic")
    expected = {t.name: (t.partitions, t.retention_ms) for t in contract_topics.TOPICS}
    actual = {
        d["spec"]["topicName"]: (d["spec"]["partitions"], d["spec"]["config"]["retention.ms"]) for d in topics.values()
    }
    assert actual == expected
    assert expected[contract_topics.DEADLETTER][1] > expected[contract_topics.INBOUND][1]


def test_cnpg_holds_a_database_and_a_role_per_service(rendered: dict[str, list[Doc]]) -> None:
    """Issue 16: one least-privilege role per service, owner of its own database (k8s_checks.database_errors
    holds the rules; this is what the operators overlay declares)."""
    docs = rendered["operators"]
    (cluster,) = by_kind(docs, "Cluster").values()
    roles = {role["name"]: role for role in cluster["spec"]["managed"]["roles"]}
    assert sorted(roles) == sorted(f"flywheel_{s}" for s in SERVICES)
    for service in SERVICES:
        role = roles[f"flywheel_{service}"]
        assert role["passwordSecret"] == {"name": f"flywheel-{service}-db"}
        assert role["login"] is True and not any(role.get(p) for p in ROLE_PRIVILEGES) and not role.get("inRoles")
    initdb = cluster["spec"]["bootstrap"]["initdb"]
    assert (initdb["database"], initdb["owner"], initdb["secret"]) == (
        "flywheel_profile",
        "flywheel_profile",
        {"name": "flywheel-profile-db"},
    )
    owners = {d["spec"]["name"]: d["spec"]["owner"] for d in by_kind(docs, "Database").values()}
    assert owners == {f"flywheel_{s}": f"flywheel_{s}" for s in SERVICES}
    assert {d["spec"]["cluster"]["name"] for d in by_kind(docs, "Database").values()} == {"postgres"}
    assert cluster["spec"].get("enableSuperuserAccess") is False


@pytest.mark.parametrize("kind", ["Deployment", "Job"])
def test_cnpg_workloads_connect_as_their_role_over_verified_tls(kind: str, rendered: dict[str, list[Doc]]) -> None:
    for workload in by_kind(rendered["operators"], kind).values():
        service = workload["metadata"]["labels"]["app.kubernetes.io/name"]
        pod = workload["spec"]["template"]["spec"]
        (container,) = pod["containers"]
        env = {e["name"]: e for e in container["env"]}
        assert env["FLYWHEEL_DATABASE_URL"]["value"] == (
            f"postgresql://flywheel_{service}:$(DATABASE_ROLE_PASSWORD)@postgres-rw:5432/flywheel_{service}"
            "?sslmode=verify-full&sslrootcert=/etc/flywheel/postgres-ca/ca.crt"
        )
        assert env["DATABASE_ROLE_PASSWORD"]["valueFrom"] == {
            "secretKeyRef": {"name": f"flywheel-{service}-db", "key": "password"}
        }
        assert list(env).index("DATABASE_ROLE_PASSWORD") < list(env).index("FLYWHEEL_DATABASE_URL"), "$(VAR) order"
        # CloudNativePG's CA certificate, never its key.
        (volume,) = [v for v in pod["volumes"] if v["name"] == "postgres-ca"]
        assert volume["secret"] == {"secretName": "postgres-ca", "items": [{"key": "ca.crt", "path": "ca.crt"}]}
        assert {"name": "postgres-ca", "mountPath": "/etc/flywheel/postgres-ca", "readOnly": True} in container[
            "volumeMounts"
        ]


# ---- the checks catch a broken manifest ----

BROKEN_PATCHES = """\
- target: {kind: Deployment, name: gateway}
  patch: |-
    - op: replace
      path: /spec/template/spec/containers/0/securityContext/runAsUser
      value: 0
    - op: add
      path: /spec/template/spec/containers/0/securityContext/runAsNonRoot
      value: false
    - op: add
      path: /spec/replica
      value: 2
- target: {kind: NetworkPolicy, name: profile}
  patch: |-
    - op: add
      path: /spec/ingress/-
      value: {from: [{ipBlock: {cidr: 0.0.0.0/0}}]}
- target: {kind: Ingress, name: gateway}
  patch: |-
    - op: add
      path: /spec/rules/0/http/paths/-
      value: {path: /, pathType: Prefix, backend: {service: {name: gateway, port: {name: metrics}}}}
- target: {kind: NetworkPolicy, name: scoring}
  patch: |-
    - op: replace
      path: /spec/ingress/1/ports/0/port
      value: http
- target: {kind: Deployment, name: sales}
  patch: |-
    - op: replace
      path: /spec/template/spec/containers/0/readinessProbe/httpGet/port
      value: http
- target: {kind: KafkaTopic, name: flywheel.deadletter}
  patch: |-
    - op: add
      path: /spec/partitons
      value: 3
"""

BROKEN_EXTRA = """\
apiVersion: v1
kind: Secret
metadata: {name: leaked}
stringData: {url: "postgresql://flywheel:hunter2@postgres:5432/flywheel_profile"}
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: unknown}
"""


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Doc]]:
    """The operators overlay with a root container, a misspelt Deployment field, a misspelt KafkaTopic
    field, a service open to the internet, a committed Secret and a kind nobody knows."""
    directory = tmp_path_factory.mktemp("broken")
    (directory / "extra.yaml").write_text(BROKEN_EXTRA)
    (directory / "kustomization.yaml").write_text(
        yaml.safe_dump(
            {
                "apiVersion": "kustomize.config.k8s.io/v1beta1",
                "kind": "Kustomization",
                "resources": [os.path.relpath(K8S / "overlays" / "operators", directory), "extra.yaml"],
                "patches": yaml.safe_load(BROKEN_PATCHES),
            }
        )
    )
    yield render(directory)


def test_broken_manifest_fails_the_schemas(broken: list[Doc], crds: Any) -> None:
    errors = "\n".join(schema_errors(broken, crds))
    assert "Deployment/gateway" in errors and "replica" in errors
    assert "KafkaTopic/flywheel.deadletter" in errors and "partitons" in errors
    assert "Widget/unknown" in errors


def test_broken_manifest_fails_our_policy(broken: list[Doc]) -> None:
    errors = "\n".join(policy_errors(broken))
    assert "Deployment/gateway container gateway: may run as root" in errors
    assert "NetworkPolicy/profile: profile accepts" in errors
    assert "Secret/leaked: a Secret with data" in errors
    assert "Ingress/gateway: routes / to port {'name': 'metrics'}, not http" in errors
    assert "Ingress/gateway: routes / (only /console, /docs, /openapi.json, /problems, /v1 are public)" in errors
    assert "NetworkPolicy/scoring: Prometheus may reach scoring's metrics port only" in errors
    assert "Deployment/sales: the probes must use the metrics port" in errors


def test_broken_manifest_fails_checkov(broken: list[Doc], tmp_path: Path) -> None:
    known = [d for d in broken if d["kind"] != "Widget"]
    failures = "\n".join(checkov_failures(start_checkov(known, tmp_path)))
    assert "CKV_K8S_23 Minimize the admission of root containers: Deployment.flywheel.gateway" in failures, failures


def test_the_postgres_ca_component_mounts_the_ca_of_a_managed_postgres(tmp_path: Path, crds: Any) -> None:
    """components/postgres-ca: prod, with PostgreSQL elsewhere reached over TLS (its CA mounted)."""
    (tmp_path / "kustomization.yaml").write_text(
        yaml.safe_dump(
            {
                "apiVersion": "kustomize.config.k8s.io/v1beta1",
                "kind": "Kustomization",
                "resources": [os.path.relpath(K8S / "overlays" / "prod", tmp_path)],
                "components": [os.path.relpath(K8S / "components" / "postgres-ca", tmp_path)],
            }
        )
    )
    docs = render(tmp_path)
    assert schema_errors(docs, crds) == [] and policy_errors(docs) == []
    workloads = [d for d in docs if d["kind"] in ("Deployment", "Job")]
    assert len(workloads) == 2 * len(SERVICES)
    for workload in workloads:
        pod = workload["spec"]["template"]["spec"]
        (volume,) = [v for v in pod["volumes"] if v["name"] == "postgres-ca"]
        assert volume["secret"] == {
            "secretName": "flywheel-postgres-ca",
            "items": [{"key": "ca.crt", "path": "ca.crt"}],
        }
        (container,) = pod["containers"]
        assert {"name": "postgres-ca", "mountPath": "/etc/flywheel/postgres-ca", "readOnly": True} in container[
            "volumeMounts"
        ]


# What a least-privilege database setup must not become: a superuser role, a role in pg_execute_server_program,
# superuser access over the network, a pg_hba rule letting any role into any database, one role owning two
# databases, a Job connecting as another service's role, a service connecting without verifying the server.
BROKEN_DATABASE_PATCHES = """\
- target: {kind: Cluster, name: postgres}
  patch: |-
    - op: add
      path: /spec/managed/roles/4/superuser
      value: true
    - op: add
      path: /spec/managed/roles/4/inRoles
      value: [pg_execute_server_program]
    - op: replace
      path: /spec/enableSuperuserAccess
      value: true
    - op: add
      path: /spec/postgresql/pg_hba/0
      value: host all all all scram-sha-256
- target: {kind: Database, name: flywheel-scoring}
  patch: |-
    - op: replace
      path: /spec/owner
      value: flywheel_profile
- target: {kind: Job, labelSelector: app.kubernetes.io/name=referral}
  patch: |-
    - op: replace
      path: /spec/template/spec/containers/0/env/1/value
      value: postgresql://flywheel_gateway:$(DATABASE_ROLE_PASSWORD)@postgres-rw:5432/flywheel_referral?sslmode=verify-full&sslrootcert=/etc/flywheel/postgres-ca/ca.crt
- target: {kind: Deployment, name: journey}
  patch: |-
    - op: replace
      path: /spec/template/spec/containers/0/env/1/value
      value: postgresql://flywheel_journey:$(DATABASE_ROLE_PASSWORD)@postgres-rw:5432/flywheel_journey?sslmode=require
"""


def test_broken_database_setup_fails_our_policy(tmp_path: Path) -> None:
    (tmp_path / "kustomization.yaml").write_text(
        yaml.safe_dump(
            {
                "apiVersion": "kustomize.config.k8s.io/v1beta1",
                "kind": "Kustomization",
                "resources": [os.path.relpath(K8S / "overlays" / "operators", tmp_path)],
                "patches": yaml.safe_load(BROKEN_DATABASE_PATCHES),
            }
        )
    )
    errors = "\n".join(policy_errors(render(tmp_path)))
    assert "Cluster/postgres role flywheel_sales: superuser (a service role logs in" in errors
    assert "Cluster/postgres role flywheel_sales: member of pg_execute_server_program" in errors
    assert "Cluster/postgres: superuser access over the network" in errors
    assert "Cluster/postgres: pg_hba must let a role reach only its own database" in errors
    assert "role flywheel_profile owns flywheel_profile, flywheel_scoring: one database per role" in errors
    assert (
        "Job/referral-migrate-v0-1-0: connects to 'flywheel_referral' as 'flywheel_gateway', not as its owner" in errors
    )
    assert "Deployment/journey: does not connect with sslmode=verify-full" in errors
    assert "Deployment/scoring: connects to 'flywheel_scoring' as 'flywheel_scoring', not as its owner" in errors


def test_kustomize_reports_a_missing_base(tmp_path: Path) -> None:
    (tmp_path / "kustomization.yaml").write_text("resources: [does-not-exist]\n")
    with pytest.raises(AssertionError, match="kustomize"):
        render(tmp_path)
