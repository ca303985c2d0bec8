"""Rendering, schema validation and policy checks of the kustomize overlays in deploy/k8s.

Kept apart from test_k8s.py so the deliberately broken overlay goes through exactly the same checks as
the real ones. Every check returns a list of problems (empty when the manifests are fine) rather than
asserting, so a test can assert that a broken manifest produces the problem it should.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jsonschema
import kubernetes_validate  # type: ignore[import-untyped]  # ships no type hints, and no stubs exist
import yaml

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
SCHEMAS = K8S / "schemas"
CHECKOV_CONFIG = K8S / "checkov.yaml"
KUBERNETES_VERSION = "1.32"  # the oldest Kubernetes the manifests target (preStop sleep is GA there)

SERVICES = ("profile", "scoring", "journey", "referral", "sales", "loyalty", "gateway")
PORT = 8080
METRICS_PORT = 9080  # /healthz, /readyz, /metrics (runtime/serve.py): the kubelet and Prometheus only
INGRESS_PATHS = {"/v1", "/docs", "/openapi.json", "/problems", "/console"}  # the public API, its documents, the console
KEYS_SECRET = "flywheel-keys"  # noqa: S105  # the name of the Secret holding the shared keys, not a key
SCRATCH = "/tmp"  # noqa: S108  # the containers' writable scratch mount, checked here, not used
DRAIN_S = 30  # uvicorn's timeout_graceful_shutdown in runtime/serve.py
RECOMMENDED: tuple[str, ...] = ("name", "instance", "component", "part-of", "managed-by", "version")
PROMETHEUS_PEER = {
    "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}},
    "podSelector": {"matchLabels": {"app.kubernetes.io/name": "prometheus"}},
}

Doc = dict[str, Any]


# ---- rendering ----


def kustomize_command() -> list[str]:
    """`kubectl kustomize`, else a `kustomize` binary. CI installs one, so having neither fails (no skip)."""
    kubectl = shutil.which("kubectl")
    if kubectl:
        return [kubectl, "kustomize"]
    kustomize = shutil.which("kustomize")
    if kustomize:
        return [kustomize, "build"]
    raise AssertionError(
        "neither kubectl nor kustomize is on PATH: install one "
        "(go install sigs.k8s.io/kustomize/kustomize/v5@v5.5.0, then add $(go env GOPATH)/bin to PATH)"
    )


def render(directory: Path) -> list[Doc]:
    proc = subprocess.run([*kustomize_command(), str(directory)], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, f"kustomize {directory} failed:\n{proc.stderr}"
    return [d for d in yaml.safe_load_all(proc.stdout) if d]


def ident(doc: Doc) -> str:
    return f"{doc['kind']}/{doc['metadata']['name']}"


# ---- schemas ----


def _strict(schema: Any) -> Any:
    """The CRD schema as the API server applies it with field validation Strict: fields it does not
    declare are errors (a CRD's structural schema prunes them, so a misspelt field would vanish)."""
    if isinstance(schema, list):
        return [_strict(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: _strict(v) for k, v in schema.items()}
    if (
        "properties" in out
        and "additionalProperties" not in out
        and not out.get("x-kubernetes-preserve-unknown-fields")
    ):
        out["additionalProperties"] = False
    return out


def crd_schemas() -> dict[tuple[str, str], Any]:
    """(apiVersion, kind) -> strict schema, from the files deploy/k8s/schemas/<group>_<Kind>_<version>.json."""
    schemas: dict[tuple[str, str], Any] = {}
    for path in sorted(SCHEMAS.glob("*.json")):
        group, kind, version = path.stem.split("_")
        schemas[(f"{group}/{version}", kind)] = _strict(json.loads(path.read_text()))
    return schemas


def schema_errors(docs: Iterable[Doc], crds: dict[tuple[str, str], Any]) -> list[str]:
    errors: list[str] = []
    for doc in docs:
        key = (doc.get("apiVersion", ""), doc.get("kind", ""))
        if key in crds:
            validator = jsonschema.Draft7Validator(crds[key])
            errors += [f"{ident(doc)}: {e.json_path}: {e.message}" for e in validator.iter_errors(doc)]
            continue
        try:
            kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.SchemaNotFoundError:
            errors.append(f"{ident(doc)}: {key[0]} {key[1]} is neither a Kubernetes kind nor a shipped CRD")
        except kubernetes_validate.ValidationError as e:
            errors.append(f"{ident(doc)}: {'.'.join(map(str, e.path))}: {e.message}")
    return errors


# ---- policy ----


def pod_templates(docs: Iterable[Doc]) -> Iterator[tuple[Doc, Doc]]:
    for doc in docs:
        if doc["kind"] in ("Deployment", "Job"):
            yield doc, doc["spec"]["template"]


def _probe_path(container: Doc, probe: str) -> str | None:
    path: str | None = container.get(probe, {}).get("httpGet", {}).get("path")
    return path


def _probe_port(container: Doc, probe: str) -> object:
    return container.get(probe, {}).get("httpGet", {}).get("port")


def workload_errors(docs: list[Doc]) -> list[str]:
    """Security context, resources, probes and service account of every Deployment and Job."""
    errors: list[str] = []
    for doc, template in pod_templates(docs):
        spec = template["spec"]
        pod_sc = spec.get("securityContext", {})
        where = ident(doc)
        if spec.get("automountServiceAccountToken") is not False:
            errors.append(f"{where}: automountServiceAccountToken is not false")
        if pod_sc.get("seccompProfile", {}).get("type") != "RuntimeDefault":
            errors.append(f"{where}: pod seccompProfile is not RuntimeDefault")
        for c in spec.get("initContainers", []) + spec["containers"]:
            sc = {**pod_sc, **c.get("securityContext", {})}
            here = f"{where} container {c['name']}"
            if sc.get("runAsNonRoot") is not True or sc.get("runAsUser", 0) == 0:
                errors.append(f"{here}: may run as root (runAsNonRoot true and a non-zero runAsUser required)")
            if sc.get("allowPrivilegeEscalation") is not False:
                errors.append(f"{here}: allowPrivilegeEscalation is not false")
            if sc.get("privileged"):
                errors.append(f"{here}: privileged")
            if "ALL" not in sc.get("capabilities", {}).get("drop", []) or sc.get("capabilities", {}).get("add"):
                errors.append(f"{here}: capabilities must drop ALL and add none")
            if sc.get("readOnlyRootFilesystem") is not True:
                errors.append(f"{here}: root filesystem is writable")
            if SCRATCH not in {m["mountPath"] for m in c.get("volumeMounts", [])}:
                errors.append(f"{here}: no writable /tmp (an emptyDir) for a read-only root filesystem")
            resources = c.get("resources", {})
            for part in ("requests", "limits"):
                missing = {"cpu", "memory"} - set(resources.get(part, {}))
                if missing:
                    errors.append(f"{here}: no {part} for {sorted(missing)}")
        if doc["kind"] == "Deployment":
            errors += _deployment_errors(doc)
    return errors


def _deployment_errors(doc: Doc) -> list[str]:
    errors: list[str] = []
    where = ident(doc)
    spec = doc["spec"]["template"]["spec"]
    (c,) = spec["containers"]
    if _probe_path(c, "startupProbe") != "/healthz" or _probe_path(c, "livenessProbe") != "/healthz":
        errors.append(f"{where}: startup and liveness probes must GET /healthz")
    if _probe_path(c, "readinessProbe") != "/readyz":
        errors.append(f"{where}: readiness probe must GET /readyz")
    if {_probe_port(c, probe) for probe in ("startupProbe", "livenessProbe", "readinessProbe")} != {"metrics"}:
        errors.append(f"{where}: the probes must use the metrics port (the API port serves no probes)")
    if {"name": "http", "containerPort": PORT, "protocol": "TCP"} not in c.get("ports", []):
        errors.append(f"{where}: no port {PORT} named http")
    if {"name": "metrics", "containerPort": METRICS_PORT, "protocol": "TCP"} not in c.get("ports", []):
        errors.append(f"{where}: no port {METRICS_PORT} named metrics")
    if not any(source.get("secretRef", {}).get("name") == KEYS_SECRET for source in c.get("envFrom", [])):
        errors.append(f"{where}: no keys from the Secret {KEYS_SECRET} (service tokens would use the development key)")
    if spec.get("terminationGracePeriodSeconds", 30) < DRAIN_S + 5:
        errors.append(f"{where}: terminationGracePeriodSeconds leaves uvicorn no time to drain ({DRAIN_S} s)")
    if not spec.get("topologySpreadConstraints"):
        errors.append(f"{where}: no topologySpreadConstraints")
    return errors


def secret_errors(docs: Iterable[Doc]) -> list[str]:
    """No secret value in git: Secret objects with data are refused, and every database URL is a reference."""
    errors = [
        f"{ident(d)}: a Secret with data"
        for d in docs
        if d["kind"] == "Secret" and (d.get("data") or d.get("stringData"))
    ]
    for doc, template in pod_templates(docs):
        for c in template["spec"]["containers"]:
            env = {e["name"]: e for e in c.get("env", [])}
            url = env.get("FLYWHEEL_DATABASE_URL")
            if url is None:
                errors.append(f"{ident(doc)}: no FLYWHEEL_DATABASE_URL")
            elif "value" in url and not any(
                f"$({n})" in url["value"] for n, e in env.items() if "secretKeyRef" in e.get("valueFrom", {})
            ):
                errors.append(f"{ident(doc)}: FLYWHEEL_DATABASE_URL is a plain value, not built from a Secret")
    return errors


def _selects(selector: Doc, labels: dict[str, str]) -> bool:
    match = selector.get("matchLabels", {})
    return not selector.get("matchExpressions") and all(labels.get(k) == v for k, v in match.items())


def network_errors(docs: list[Doc]) -> list[str]:
    """Default deny; every service has a policy; only the gateway takes traffic from outside the namespace."""
    errors: list[str] = []
    policies = [d for d in docs if d["kind"] == "NetworkPolicy"]
    deny = [
        p
        for p in policies
        if p["spec"]["podSelector"] == {}
        and "Ingress" in p["spec"].get("policyTypes", [])
        and not p["spec"].get("ingress")
    ]
    if not deny:
        errors.append("no default-deny ingress NetworkPolicy for the namespace")
    gateway_labels: dict[str, str] = {}
    for doc in docs:
        if doc["kind"] == "Deployment" and doc["metadata"]["name"] == "gateway":
            gateway_labels = doc["spec"]["template"]["metadata"]["labels"]
    for doc in docs:
        if doc["kind"] != "Deployment":
            continue
        name, labels = doc["metadata"]["name"], doc["spec"]["template"]["metadata"]["labels"]
        own = [p for p in policies if p["spec"]["podSelector"] and _selects(p["spec"]["podSelector"], labels)]
        if not own:
            errors.append(f"Deployment/{name}: no NetworkPolicy selects its pods")
        for policy in own:
            for rule in policy["spec"].get("ingress", []):
                peers = rule.get("from")
                if not peers:
                    errors.append(f"{ident(policy)}: an ingress rule open to every source")
                    continue
                ports = {port.get("port") for port in rule.get("ports", [])}
                for peer in peers:
                    in_namespace_gateway = set(peer) == {"podSelector"} and _selects(
                        peer["podSelector"], gateway_labels
                    )
                    if peer == PROMETHEUS_PEER:
                        if ports != {"metrics"}:
                            errors.append(f"{ident(policy)}: Prometheus may reach {name}'s metrics port only")
                        continue
                    if ports != {"http"}:
                        errors.append(f"{ident(policy)}: {peer} may reach {name} on {ports}, not only the API port")
                    if in_namespace_gateway:
                        continue
                    if name != "gateway" or "ipBlock" in peer:
                        errors.append(
                            f"{ident(policy)}: {name} accepts {peer} (only the gateway and Prometheus may reach it)"
                        )
    for doc in docs:
        if doc["kind"] == "Service" and doc["spec"].get("type", "ClusterIP") != "ClusterIP":
            errors.append(f"{ident(doc)}: type {doc['spec']['type']} exposes it outside the cluster")
        if doc["kind"] == "Ingress":
            errors += ingress_errors(doc)
    return errors


def ingress_errors(ingress: Doc) -> list[str]:
    """Only the gateway's API port, and only its public paths (INGRESS_PATHS): never /metrics or a probe."""
    errors: list[str] = []
    if ingress["spec"].get("defaultBackend"):
        errors.append(f"{ident(ingress)}: a defaultBackend routes every other path")
    for rule in ingress["spec"].get("rules", []):
        for path in rule.get("http", {}).get("paths", []):
            service = path["backend"]["service"]
            if service["name"] != "gateway":
                errors.append(f"{ident(ingress)}: routes to {service['name']}, not the gateway")
            if service.get("port") != {"name": "http"}:
                errors.append(f"{ident(ingress)}: routes {path['path']} to port {service.get('port')}, not http")
            if path["path"] not in INGRESS_PATHS:
                errors.append(
                    f"{ident(ingress)}: routes {path['path']} (only {', '.join(sorted(INGRESS_PATHS))} are public)"
                )
    return errors


def label_errors(docs: Iterable[Doc]) -> list[str]:
    """Kubernetes recommended labels on every object."""
    errors: list[str] = []
    for doc in docs:
        labels = doc["metadata"].get("labels", {})
        missing = [k for k in RECOMMENDED if f"app.kubernetes.io/{k}" not in labels]
        if missing:
            errors.append(f"{ident(doc)}: no app.kubernetes.io/{{{','.join(missing)}}} label")
        if labels.get("app.kubernetes.io/part-of") != "flywheel":
            errors.append(f"{ident(doc)}: not part-of flywheel")
        if doc["kind"] != "Namespace" and doc["metadata"].get("namespace") != "flywheel":
            errors.append(f"{ident(doc)}: namespace {doc['metadata'].get('namespace')!r}, not flywheel")
    return errors


ROLE_PRIVILEGES = ("superuser", "createdb", "createrole", "replication", "bypassrls")


def database_errors(docs: list[Doc]) -> list[str]:
    """CloudNativePG: one least-privilege role per service (a login with a password from a Secret, none of
    ROLE_PRIVILEGES, member of no role), owner of one database; pg_hba lets a role reach only the database of
    its name, over TLS; and every workload connects as the owner of the database it names, over verify-full."""
    errors: list[str] = []
    roles: dict[str, Doc] = {}
    owners: dict[str, str] = {}  # database -> owning role
    for cluster in (d for d in docs if d["kind"] == "Cluster"):
        spec, where = cluster["spec"], ident(cluster)
        if spec.get("enableSuperuserAccess"):
            errors.append(f"{where}: superuser access over the network (enableSuperuserAccess)")
        rules = [" ".join(rule.split()) for rule in spec.get("postgresql", {}).get("pg_hba", [])]
        if rules[-1:] != ["host all all all reject"] or any(
            not rule.startswith("hostssl sameuser ") for rule in rules[:-1]
        ):
            errors.append(f"{where}: pg_hba must let a role reach only its own database over TLS, and refuse the rest")
        for role in spec.get("managed", {}).get("roles", []):
            here = f"{where} role {role['name']}"
            roles[role["name"]] = role
            if granted := [privilege for privilege in ROLE_PRIVILEGES if role.get(privilege)]:
                errors.append(f"{here}: {', '.join(granted)} (a service role logs in and owns its database, no more)")
            if role.get("inRoles"):
                errors.append(f"{here}: member of {', '.join(role['inRoles'])}")
            if role.get("login") is not True or not role.get("passwordSecret", {}).get("name"):
                errors.append(f"{here}: not a login with its password from a Secret")
        initdb = spec.get("bootstrap", {}).get("initdb", {})
        if initdb.get("database"):
            owners[initdb["database"]] = initdb.get("owner", "app")
    for database in (d for d in docs if d["kind"] == "Database"):
        name, owner = database["spec"]["name"], database["spec"]["owner"]
        if owners.setdefault(name, owner) != owner:
            errors.append(f"{ident(database)}: {name} owned by {owner} here and by {owners[name]} at initdb")
    for name, owner in sorted(owners.items()):
        if owner not in roles:
            errors.append(f"database {name}: owned by {owner}, not one of the Cluster's least-privilege roles")
        if (others := sorted(n for n, o in owners.items() if o == owner and n != name)) and name < others[0]:
            errors.append(f"role {owner} owns {', '.join([name, *others])}: one database per role")
    if roles:
        errors += _connection_errors(docs, roles, owners)
    return errors


def _connection_errors(docs: list[Doc], roles: dict[str, Doc], owners: dict[str, str]) -> list[str]:
    """Each workload's FLYWHEEL_DATABASE_URL names the owner of its database, with that role's password."""
    errors: list[str] = []
    for doc, template in pod_templates(docs):
        for c in template["spec"]["containers"]:
            env = {e["name"]: e for e in c.get("env", [])}
            url = urlsplit(env.get("FLYWHEEL_DATABASE_URL", {}).get("value", ""))
            where, database = ident(doc), url.path.lstrip("/")
            if owners.get(database) is None or url.username != owners[database]:
                errors.append(f"{where}: connects to {database!r} as {url.username!r}, not as its owner")
                continue
            variable = (url.password or "").removeprefix("$(").removesuffix(")")
            secret = env.get(variable, {}).get("valueFrom", {}).get("secretKeyRef", {})
            if secret != {"name": roles[url.username]["passwordSecret"]["name"], "key": "password"}:
                errors.append(f"{where}: the password in its URL is not {url.username}'s (its passwordSecret)")
            query = parse_qs(url.query)
            mounts = [m["mountPath"] for m in c.get("volumeMounts", [])]
            root = query.get("sslrootcert", [""])[0]
            if query.get("sslmode") != ["verify-full"] or not any(root.startswith(f"{m}/") for m in mounts):
                errors.append(f"{where}: does not connect with sslmode=verify-full and a mounted sslrootcert")
    return errors


def policy_errors(docs: list[Doc]) -> list[str]:
    return (
        workload_errors(docs) + secret_errors(docs) + network_errors(docs) + label_errors(docs) + database_errors(docs)
    )


# ---- checkov ----


def checkov_path() -> Path:
    path = Path(os.environ.get("FLYWHEEL_CHECKOV", ROOT / ".venv-checkov" / "bin" / "checkov"))
    assert path.exists(), f"checkov not found at {path}: run `make .venv-checkov/.installed` (or set FLYWHEEL_CHECKOV)"
    return path


def start_checkov(docs: list[Doc], workdir: Path) -> subprocess.Popen[str]:
    """checkov on one rendered overlay, started in the background (the overlays are scanned in parallel)."""
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "rendered.yaml").write_text(yaml.safe_dump_all(copy.deepcopy(docs), sort_keys=False))
    command = [
        str(checkov_path()),
        "-d",
        str(workdir),
        "--framework",
        "kubernetes",
        "-o",
        "json",
        "--quiet",
        "--config-file",
        str(CHECKOV_CONFIG),
        "--skip-download",
    ]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def checkov_failures(proc: subprocess.Popen[str]) -> list[str]:
    out, err = proc.communicate()
    assert out.strip(), f"checkov printed nothing (exit {proc.returncode}):\n{err}"
    reports = json.loads(out)
    failures: list[str] = []
    for report in reports if isinstance(reports, list) else [reports]:
        if "results" not in report:  # checkov's empty report, {"passed": 0, "failed": 0, ...}
            continue
        assert report["summary"]["parsing_errors"] == 0, f"checkov could not parse the manifests:\n{err}"
        failures += [f"{f['check_id']} {f['check_name']}: {f['resource']}" for f in report["results"]["failed_checks"]]
    return failures
