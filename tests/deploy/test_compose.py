"""docker-compose.yml, checked without a Docker engine.

`docker compose config` needs the compose plugin, which CI machines and this one may lack, so the
file is interpolated here the way Compose does it (from .env.example), validated against the vendored
Compose Specification schema (deploy/compose/schema/), and then checked for what the schema cannot
see: dependencies, mounts, build targets, settings, scrape targets, and topics equal to contracts/.
Each semantic check is shown to fail on a deliberately broken copy of the file.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import pytest
import yaml

from contracts.topics import TOPICS
from services.settings import every_setting

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
SCHEMA = ROOT / "deploy" / "compose" / "schema" / "compose-spec.json"
DOCKERFILE = ROOT / "deploy" / "docker" / "Dockerfile"
PROMETHEUS_CONFIG = ROOT / "deploy" / "compose" / "prometheus" / "prometheus.yml"
GRAFANA_PROVISIONING = ROOT / "deploy" / "compose" / "grafana" / "provisioning"

FLYWHEEL_SERVICES = ("profile", "scoring", "journey", "referral", "sales", "loyalty", "gateway")
PORT = 8080
METRICS_PORT = 9080  # /healthz, /readyz and /metrics, apart from the API
DRAIN_S = 30  # uvicorn's timeout_graceful_shutdown in runtime/serve.py

Doc = dict[str, Any]

# ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}, ${VAR:+alt}, ${VAR+alt}, $VAR, $$
_VARIABLE = re.compile(
    r"\$(?:(?P<escaped>\$)|\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?+])(?P<arg>[^}]*))?\}"
    r"|(?P<named>[A-Za-z_][A-Za-z0-9_]*))"
)


class MissingVariable(ValueError):
    """A `${VAR:?message}` whose variable is unset (or empty): Compose refuses the file."""


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines; comments and blank lines skipped; one pair of surrounding quotes removed."""
    env: dict[str, str] = {}
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        assert sep, f"{path.name}: not KEY=VALUE: {line!r}"
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        env[key.strip()] = value
    return env


def interpolate_string(text: str, env: Mapping[str, str]) -> str:
    def substitute(match: re.Match[str]) -> str:
        if match["escaped"]:
            return "$"
        name = match["braced"] or match["named"]
        value, op, arg = env.get(name), match["op"], match["arg"] or ""
        unset = value is None or (op is not None and op.startswith(":") and value == "")
        if op in (":-", "-"):
            return arg if unset else str(value)
        if op in (":?", "?"):
            if unset:
                raise MissingVariable(f"{name}: {arg}")
            return str(value)
        if op in (":+", "+"):
            return "" if unset else arg
        return value or ""

    return _VARIABLE.sub(substitute, text)


def interpolate(node: Any, env: Mapping[str, str]) -> Any:
    """Compose interpolates every string value of the document (after YAML anchors are resolved)."""
    if isinstance(node, str):
        return interpolate_string(node, env)
    if isinstance(node, dict):
        return {key: interpolate(value, env) for key, value in node.items()}
    if isinstance(node, list):
        return [interpolate(item, env) for item in node]
    return node


def load_compose(env: Mapping[str, str] | None = None) -> Doc:
    raw = yaml.safe_load(COMPOSE_FILE.read_text())
    return dict(interpolate(raw, read_env_file(ENV_EXAMPLE) if env is None else env))


def schema_errors(doc: Doc) -> list[str]:
    schema = json.loads(SCHEMA.read_text())
    validator = jsonschema.Draft202012Validator(schema)
    return [f"{'.'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in validator.iter_errors(doc)]


def _dockerfile_entrypoints() -> dict[str, list[str]]:
    """Each stage of deploy/docker/Dockerfile and its exec-form ENTRYPOINT ([] when it has none)."""
    stages: dict[str, list[str]] = {}
    stage = None
    for line in DOCKERFILE.read_text().splitlines() if DOCKERFILE.is_file() else []:
        if found := re.match(r"\s*FROM\s+\S+\s+AS\s+(\S+)", line, flags=re.IGNORECASE):
            stage = found[1].lower()
            stages[stage] = []
        elif stage and (found := re.match(r"\s*ENTRYPOINT\s+(\[.*\])\s*$", line, flags=re.IGNORECASE)):
            stages[stage] = json.loads(found[1])
    return stages


def _bind_sources(service: Doc) -> list[str]:
    sources = []
    for volume in service.get("volumes", []):
        if isinstance(volume, dict):
            if volume.get("type") == "bind":
                sources.append(str(volume["source"]))
        elif volume.startswith((".", "/", "~")):  # short syntax; a bare name is a named volume
            sources.append(volume.split(":", 1)[0])
    return sources


def _environment(service: Doc) -> dict[str, str]:
    env = service.get("environment", {})
    if isinstance(env, list):
        return dict(item.partition("=")[::2] for item in env)
    return {key: "" if value is None else str(value) for key, value in env.items()}


def _duration_s(text: str) -> float:
    units = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}
    parts = re.findall(r"(\d+(?:\.\d+)?)(ms|h|m|s)", text)
    assert parts and "".join(n + u for n, u in parts) == text, f"not a duration: {text!r}"
    return sum(float(number) * units[unit] for number, unit in parts)


def _scrape_targets() -> dict[str, str]:
    """Prometheus' targets of /metrics and the `service` label each gets (from its own metrics too)."""
    config = yaml.safe_load(PROMETHEUS_CONFIG.read_text())
    return {
        target: static.get("labels", {}).get("service", "") if job.get("honor_labels") else ""
        for job in config["scrape_configs"]
        if job.get("metrics_path", "/metrics") == "/metrics"
        for static in job.get("static_configs", [])
        for target in static["targets"]
    }


def semantic_problems(doc: Doc, scrape_targets: Mapping[str, str] | None = None) -> list[str]:
    """What Compose (or the stack at run time) would trip over although the schema accepts it.
    `scrape_targets`: Prometheus' targets, read from deploy/compose/prometheus/prometheus.yml unless given."""
    problems: list[str] = []
    scraped = _scrape_targets() if scrape_targets is None else scrape_targets
    services: dict[str, Doc] = doc["services"]
    settings_vars = {f"FLYWHEEL_{name.upper()}" for name in every_setting()}
    entrypoints = _dockerfile_entrypoints()
    postgres_env = _environment(services.get("postgres", {}))
    postgres_roles = set(postgres_env.get("SERVICES", "").split())  # each gets flywheel_<service> (both)

    for name, service in services.items():
        depends = service.get("depends_on", {})
        if isinstance(depends, list):
            problems.append(f"{name}: depends_on without conditions")
            depends = {target: {} for target in depends}
        for target, spec in depends.items():
            if target not in services:
                problems.append(f"{name}: depends_on unknown service {target!r}")
                continue
            condition = spec.get("condition")
            if condition is None:
                problems.append(f"{name}: depends_on {target} without a condition")
            healthcheck = services[target].get("healthcheck", {})
            if condition == "service_healthy" and (not healthcheck or healthcheck.get("disable")):
                problems.append(f"{name}: waits for {target} to be healthy, but {target} has no healthcheck")
            if condition == "service_completed_successfully" and services[target].get("restart", "no") != "no":
                problems.append(f"{name}: waits for {target} to complete, but {target} restarts")
        for source in _bind_sources(service):
            if not (ROOT / source).exists():
                problems.append(f"{name}: bind-mounts {source}, which is not in the repository")
        flywheel, is_migrate = name.removesuffix("-migrate"), name.endswith("-migrate")
        if flywheel not in FLYWHEEL_SERVICES:
            if "build" in service:
                problems.append(f"{name}: built from the Dockerfile but not a Flywheel service")
            continue

        # A Flywheel container: NAME (built from the Dockerfile) or NAME-migrate (runs NAME's image).
        build = services.get(flywheel, {}).get("build", {})
        if is_migrate and ("build" in service or service.get("image") != services.get(flywheel, {}).get("image")):
            # Two builds of one tag run in parallel and collide: the job takes the image its service builds.
            problems.append(f"{name}: does not run the image {flywheel} builds (without a build of its own)")
        if build.get("target") != flywheel or build.get("dockerfile") != "deploy/docker/Dockerfile":
            problems.append(f"{name}: not built from deploy/docker/Dockerfile with target {flywheel}")
        elif flywheel not in entrypoints:
            problems.append(f"{name}: build target {flywheel!r} is not a stage of {DOCKERFILE.relative_to(ROOT)}")
        elif "command" in service and entrypoints[flywheel][-1:] != [f"services.{flywheel}"]:
            # `command: [migrate]` only means `python -m services.NAME migrate` with that entrypoint.
            problems.append(f"{name}: the {flywheel} stage's ENTRYPOINT does not end in services.{flywheel}")
        if not str(service.get("image", "")).startswith(f"ghcr.io/flywheel-oss/flywheel-{flywheel}:"):
            problems.append(f"{name}: image is not ghcr.io/flywheel-oss/flywheel-{flywheel}:<tag>")
        env = _environment(service)
        for variable in sorted(env):
            if variable.startswith("FLYWHEEL_") and variable not in settings_vars:
                problems.append(f"{name}: {variable} is not a setting of any service (services/settings.py)")
        problems += _database_url_problems(name, flywheel, env.get("FLYWHEEL_DATABASE_URL", ""), postgres_env)
        if flywheel not in postgres_roles:
            problems.append(f"{name}: postgres' init makes no role and database for {flywheel} (its SERVICES)")
        if service.get("read_only") is not True or "ALL" not in service.get("cap_drop", []):
            problems.append(f"{name}: not read-only with every capability dropped")
        if is_migrate:
            if service.get("command") != ["migrate"]:
                problems.append(f"{name}: a migration job runs `migrate`")
            continue
        if service.get("ports") and flywheel != "gateway":
            problems.append(f"{name}: publishes a port; only the gateway takes traffic from outside")
        migrate = depends.get(f"{name}-migrate", {}).get("condition")
        if migrate != "service_completed_successfully":
            problems.append(f"{name}: does not wait for {name}-migrate to complete")
        if f":{METRICS_PORT}/healthz" not in json.dumps(service.get("healthcheck", {}).get("test", "")):
            problems.append(f"{name}: no healthcheck on /healthz of the metrics port {METRICS_PORT}")
        if env.get("FLYWHEEL_METRICS_PORT") != str(METRICS_PORT) or env.get("FLYWHEEL_HTTP_PORT") != str(PORT):
            problems.append(f"{name}: the API is not on {PORT} and the metrics port on {METRICS_PORT}")
        if not env.get("FLYWHEEL_INTERNAL_TOKEN_KEYS"):
            problems.append(f"{name}: no FLYWHEEL_INTERNAL_TOKEN_KEYS: it would take tokens of the development key")
        if _duration_s(service.get("stop_grace_period", "10s")) <= DRAIN_S:
            problems.append(f"{name}: stop_grace_period shorter than the {DRAIN_S} s drain")
        if scraped.get(f"{name}:{METRICS_PORT}") != name:
            problems.append(f"{name}: Prometheus does not scrape {name}:{METRICS_PORT}/metrics labelled service={name}")
        if f"{name}:{PORT}" in scraped:
            problems.append(f"{name}: Prometheus scrapes the API port {PORT}, which serves no /metrics")
    return problems


def _database_url_problems(name: str, service: str, url: str, postgres_env: Mapping[str, str]) -> list[str]:
    """A service connects as its own role (flywheel_<service>, made by postgres' init with the password
    <SERVICE>_DB_PASSWORD) to its own database: never as the superuser, never as another service."""
    parts = urlsplit(url)
    problems = []
    if parts.username != f"flywheel_{service}":
        problems.append(f"{name}: connects as {parts.username!r}, not its own role flywheel_{service}")
    if parts.path != f"/flywheel_{service}":
        problems.append(f"{name}: database {parts.path.lstrip('/')!r} is not flywheel_{service}")
    if not parts.password or parts.password != postgres_env.get(f"{service.upper()}_DB_PASSWORD"):
        problems.append(f"{name}: its password is not the one postgres' init gives flywheel_{service}")
    if parts.password == postgres_env.get("POSTGRES_PASSWORD"):
        problems.append(f"{name}: its password is the superuser's")
    return problems


def compose_topics(doc: Doc) -> dict[str, tuple[int, int]]:
    """kafka-init's TOPICS: one `name partitions retention_ms` per line."""
    lines = _environment(doc["services"]["kafka-init"])["TOPICS"].splitlines()
    topics: dict[str, tuple[int, int]] = {}
    for line in filter(str.strip, lines):
        name, partitions, retention_ms = line.split()
        topics[name] = (int(partitions), int(retention_ms))
    return topics


# ----------------------------------------------------------------------------- the real file


@pytest.fixture(scope="module")
def compose() -> Doc:
    return load_compose()


def test_the_compose_file_matches_the_compose_specification(compose: Doc) -> None:
    assert schema_errors(compose) == []


def test_the_compose_file_passes_the_semantic_checks(compose: Doc) -> None:
    assert semantic_problems(compose) == []


def test_every_flywheel_service_and_its_migration_job_are_in_the_stack(compose: Doc) -> None:
    expected = {*FLYWHEEL_SERVICES, *(f"{name}-migrate" for name in FLYWHEEL_SERVICES)}
    assert expected <= set(compose["services"])
    assert {"kafka", "kafka-init", "postgres", "prometheus", "grafana", "otel-collector", "jaeger"} <= set(
        compose["services"]
    )


def test_kafka_init_creates_exactly_the_topics_of_the_contracts(compose: Doc) -> None:
    expected = {topic.name: (topic.partitions, topic.retention_ms) for topic in TOPICS}
    assert compose_topics(compose) == expected


def test_env_example_sets_every_variable_the_compose_file_reads_and_no_other() -> None:
    text = COMPOSE_FILE.read_text()
    read = {m["braced"] or m["named"] for m in _VARIABLE.finditer(text) if not m["escaped"]}
    assert set(read_env_file(ENV_EXAMPLE)) == read


def test_passwords_are_required_and_never_defaulted_in_the_compose_file() -> None:
    env = read_env_file(ENV_EXAMPLE)
    for secret in (
        "POSTGRES_PASSWORD",
        "GRAFANA_ADMIN_PASSWORD",
        "FLYWHEEL_INTERNAL_TOKEN_KEYS",
        "FLYWHEEL_SECRETS_KEYS",
        "FLYWHEEL_IDENTIFIER_HASH_KEY",
    ):
        with pytest.raises(MissingVariable, match=secret):
            load_compose({k: v for k, v in env.items() if k != secret})
    assert not re.search(r"PASSWORD:-", COMPOSE_FILE.read_text())


def test_every_database_password_is_required() -> None:
    env = read_env_file(ENV_EXAMPLE)
    for service in FLYWHEEL_SERVICES:
        secret = f"{service.upper()}_DB_PASSWORD"
        with pytest.raises(MissingVariable, match=secret):
            load_compose({k: v for k, v in env.items() if k != secret})


def test_postgres_init_makes_one_role_per_service_with_a_password_of_its_own(compose: Doc) -> None:
    postgres = compose["services"]["postgres"]
    env = _environment(postgres)
    assert sorted(env["SERVICES"].split()) == sorted(FLYWHEEL_SERVICES)
    passwords = {env[f"{service.upper()}_DB_PASSWORD"] for service in FLYWHEEL_SERVICES} | {env["POSTGRES_PASSWORD"]}
    assert len(passwords) == len(FLYWHEEL_SERVICES) + 1, "roles share a password"
    # The init script runs the SQL from where it is mounted, outside initdb.d (run there, it would lack its
    # variables); the SQL is the one devstack runs (tests/integration/test_database_roles.py).
    mounts = dict(v.split(":")[:2] for v in postgres["volumes"] if v.startswith("./"))
    assert mounts["./deploy/compose/postgres/10-flywheel-databases.sh"].startswith("/docker-entrypoint-initdb.d/")
    sql = mounts["./deploy/compose/postgres/service-database.sql"]
    assert not sql.startswith("/docker-entrypoint-initdb.d/")
    assert f"script={sql}\n" in (ROOT / "deploy" / "compose" / "postgres" / "10-flywheel-databases.sh").read_text()


def test_grafana_and_prometheus_configs_point_at_the_mounted_paths(compose: Doc) -> None:
    datasource = yaml.safe_load((GRAFANA_PROVISIONING / "datasources" / "prometheus.yml").read_text())
    assert [d["uid"] for d in datasource["datasources"]] == ["prometheus"]
    provider = yaml.safe_load((GRAFANA_PROVISIONING / "dashboards" / "flywheel.yml").read_text())["providers"][0]
    grafana_mounts = dict(v.split(":")[:2] for v in compose["services"]["grafana"]["volumes"])
    assert grafana_mounts["./deploy/observability/grafana/dashboards"] == provider["options"]["path"]
    prometheus_mounts = dict(v.split(":")[:2] for v in compose["services"]["prometheus"]["volumes"])
    rules = yaml.safe_load(PROMETHEUS_CONFIG.read_text())["rule_files"]
    assert rules == [prometheus_mounts["./deploy/observability/prometheus/alerts.yml"]]


@pytest.mark.parametrize(
    ("text", "env", "expected"),
    [
        ("${A}", {"A": "1"}, "1"),
        ("${A}", {}, ""),
        ("${A:-x}", {"A": ""}, "x"),
        ("${A-x}", {"A": ""}, ""),
        ("${A:-x}", {"A": "1"}, "1"),
        ("${A:+y}", {"A": "1"}, "y"),
        ("$A/$$B", {"A": "1"}, "1/$B"),
        ("${A:?no}", {"A": "1"}, "1"),
    ],
)
def test_interpolation_follows_compose(text: str, env: dict[str, str], expected: str) -> None:
    assert interpolate_string(text, env) == expected


# ----------------------------------------------------------------------------- broken copies fail


def _unknown_dependency(doc: Doc) -> None:
    doc["services"]["scoring"]["depends_on"]["schema-registry"] = {"condition": "service_started"}


def _healthy_without_healthcheck(doc: Doc) -> None:
    doc["services"]["kafka"].pop("healthcheck")


def _missing_bind_mount(doc: Doc) -> None:
    doc["services"]["prometheus"]["volumes"][0] = "./deploy/compose/prometheus/missing.yml:/etc/prometheus/x.yml:ro"


def _unknown_setting(doc: Doc) -> None:
    doc["services"]["journey"]["environment"]["FLYWHEEL_KAFKA_BOOTSTRAP_SERVERS"] = "kafka:9092"


def _published_service(doc: Doc) -> None:
    doc["services"]["profile"]["ports"] = ["8081:8080"]


def _no_migration_wait(doc: Doc) -> None:
    del doc["services"]["sales"]["depends_on"]["sales-migrate"]


def _unknown_build_target(doc: Doc) -> None:
    doc["services"]["referral"]["build"]["target"] = "referal"


def _migration_builds(doc: Doc) -> None:
    doc["services"]["journey-migrate"]["build"] = doc["services"]["journey"]["build"]


def _superuser_url(doc: Doc) -> None:
    env = doc["services"]["profile"]["environment"]
    env["FLYWHEEL_DATABASE_URL"] = "postgresql://flywheel:change-me-flywheel-db@postgres:5432/flywheel_profile"


def _other_services_role(doc: Doc) -> None:
    env = doc["services"]["scoring-migrate"]["environment"]
    env["FLYWHEEL_DATABASE_URL"] = "postgresql://flywheel_profile:change-me-profile-db@postgres:5432/flywheel_scoring"


def _no_role_for_sales(doc: Doc) -> None:
    env = doc["services"]["postgres"]["environment"]
    env["SERVICES"] = env["SERVICES"].replace("sales", "")


def _short_grace(doc: Doc) -> None:
    doc["services"]["gateway"]["stop_grace_period"] = "10s"


def _health_on_the_api_port(doc: Doc) -> None:
    test = doc["services"]["scoring"]["healthcheck"]["test"]
    doc["services"]["scoring"]["healthcheck"] = {"test": [part.replace(":9080/", ":8080/") for part in test]}


def _no_token_keys(doc: Doc) -> None:
    del doc["services"]["referral"]["environment"]["FLYWHEEL_INTERNAL_TOKEN_KEYS"]


@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        (_unknown_dependency, "depends_on unknown service 'schema-registry'"),
        (_healthy_without_healthcheck, "kafka has no healthcheck"),
        (_missing_bind_mount, "missing.yml, which is not in the repository"),
        (_unknown_setting, "FLYWHEEL_KAFKA_BOOTSTRAP_SERVERS is not a setting"),
        (_published_service, "profile: publishes a port"),
        (_no_migration_wait, "sales: does not wait for sales-migrate"),
        (_unknown_build_target, "referral: not built from deploy/docker/Dockerfile"),
        (_short_grace, "gateway: stop_grace_period shorter"),
        (_migration_builds, "journey-migrate: does not run the image journey builds"),
        (_superuser_url, "profile: connects as 'flywheel', not its own role flywheel_profile"),
        (_superuser_url, "profile: its password is the superuser's"),
        (_other_services_role, "scoring-migrate: connects as 'flywheel_profile', not its own role"),
        (_other_services_role, "scoring-migrate: its password is not the one postgres' init gives"),
        (_no_role_for_sales, "sales: postgres' init makes no role and database for sales"),
        (_health_on_the_api_port, "scoring: no healthcheck on /healthz of the metrics port"),
        (_no_token_keys, "referral: no FLYWHEEL_INTERNAL_TOKEN_KEYS"),
    ],
)
def test_a_broken_compose_file_fails_the_semantic_checks(
    compose: Doc, breakage: Callable[[Doc], None], message: str
) -> None:
    broken = copy.deepcopy(compose)
    breakage(broken)
    assert any(message in problem for problem in semantic_problems(broken)), semantic_problems(broken)


@pytest.mark.parametrize(
    ("breakage", "path"),
    [
        (lambda doc: doc["services"]["gateway"].update(helthcheck={"test": ["CMD", "true"]}), "services.gateway"),
        (lambda doc: doc["services"]["kafka"].update(restart=["always"]), "services.kafka.restart"),
        (
            lambda doc: doc["services"]["profile"]["depends_on"]["postgres"].update(condition="service_ready"),
            "services.profile.depends_on",
        ),
    ],
)
def test_a_broken_compose_file_fails_the_schema(compose: Doc, breakage: Callable[[Doc], None], path: str) -> None:
    broken = copy.deepcopy(compose)
    breakage(broken)
    assert any(error.startswith(path) for error in schema_errors(broken)), schema_errors(broken)


def test_a_service_prometheus_does_not_scrape_is_seen(compose: Doc) -> None:
    scraped = {target: service for target, service in _scrape_targets().items() if service != "sales"}
    assert "sales: Prometheus does not scrape sales:9080/metrics labelled service=sales" in semantic_problems(
        compose, scraped
    )


def test_a_topic_out_of_step_with_the_contracts_is_seen(compose: Doc) -> None:
    broken = copy.deepcopy(compose)
    env = broken["services"]["kafka-init"]["environment"]
    env["TOPICS"] = env["TOPICS"].replace("flywheel.deadletter 1 2592000000", "flywheel.deadletter 1 604800000")
    assert compose_topics(broken) != {topic.name: (topic.partitions, topic.retention_ms) for topic in TOPICS}
