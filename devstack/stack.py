"""The whole local stack: PostgreSQL, a broker, the topics and every service as a process.

`make run` starts it in `.flywheel/` (data kept across runs); the end-to-end tests start one in a
temporary directory on free ports. A service may run as several processes (`replicas`): the same service
name, database and consumer group, each on ports of its own, as replicas of a Deployment do.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from contracts.topics import TOPICS
from devstack._container import ContainerProcess, container_name
from devstack._process import ServiceProcess
from devstack.broker import Broker
from devstack.embedded_broker import EmbeddedBroker
from devstack.images import DockerEngine, image_name
from devstack.kafka import LocalKafka
from devstack.ports import free_port
from devstack.postgres import LocalPostgres, service_role
from devstack.topics import ensure_topics

log = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parents[1]

LOCAL_RECEIVERS = "127.0.0.1,::1,localhost"
"""The local stack's journey may deliver webhooks to receivers on this machine (FLYWHEEL_WEBHOOK_ALLOWED_HOSTS,
unless the environment sets it): the egress policy refuses loopback everywhere else."""


REPLICA_PORT_STEP = 100
"""Replica k (from 2) of a service listens on its port + 100 * (k - 1) unless given ports: profile-2 on 8181."""


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    port: int
    database: str
    replica: int = 1  # 1 for the first (or only) process of the service

    @property
    def instance(self) -> str:
        """The process's name: the service's for the first, `<service>-<k>` for replica k (pid and log files)."""
        return self.name if self.replica == 1 else f"{self.name}-{self.replica}"

    @property
    def role(self) -> str:
        """The PostgreSQL role the service connects as: the owner of its database, nothing more."""
        return service_role(self.name)


@dataclass
class StackConfig:
    home: Path = REPO_ROOT / ".flywheel"
    broker: str = "kafka"  # or "embedded"
    host: str = "127.0.0.1"
    postgres_port: int = 54329
    kafka_port: int = 19092
    gateway_port: int = 8080
    profile_port: int = 8081
    scoring_port: int = 8082
    journey_port: int = 8083
    referral_port: int = 8084
    sales_port: int = 8085
    loyalty_port: int = 8086
    workspace: str = "demo"
    kafka_lib: Path = REPO_ROOT / ".flywheel" / "kafka" / "lib"
    extra_env: dict[str, str] = field(default_factory=dict)
    # Settings of one service only, by service name, over everything else (a chaos test's proxied database).
    service_env: dict[str, dict[str, str]] = field(default_factory=dict)
    only: tuple[str, ...] | None = None  # run just these services (the bench measures profile alone)
    # Each instance's /healthz, /readyz and /metrics port (FLYWHEEL_METRICS_PORT); default: its port + 1000.
    metrics_ports: dict[str, int] = field(default_factory=dict)
    # Processes per service ({"profile": 3}: profile, profile-2 and profile-3, one consumer group); default 1.
    replicas: dict[str, int] = field(default_factory=dict)
    # The API ports of replicas from the second on, by instance ("profile-2"); default: REPLICA_PORT_STEP apart.
    replica_ports: dict[str, int] = field(default_factory=dict)
    # Run the services from their images of this tag (`make images`) instead of this checkout's code.
    images: str | None = None

    def __post_init__(self) -> None:
        unknown = set(self.replicas) - {spec.name for spec in self.every_service}
        if unknown:
            raise ValueError(f"replicas of services that do not exist: {', '.join(sorted(unknown))}")

    def metrics_port(self, instance: str) -> int:
        return self.metrics_ports.get(instance, self.instance(instance).port + 1000)

    def instance(self, name: str) -> ServiceSpec:
        """The spec of one process: a service's name is its first replica."""
        for spec in self.every_instance:
            if spec.instance == name:
                return spec
        raise KeyError(f"no service instance {name!r}")

    @property
    def every_service(self) -> list[ServiceSpec]:
        # Start order: profile first, so the gateway's reads have somewhere to go.
        return [
            ServiceSpec("profile", self.profile_port, "profile"),
            ServiceSpec("scoring", self.scoring_port, "scoring"),
            ServiceSpec("journey", self.journey_port, "journey"),
            ServiceSpec("referral", self.referral_port, "referral"),
            ServiceSpec("sales", self.sales_port, "sales"),
            ServiceSpec("loyalty", self.loyalty_port, "loyalty"),
            ServiceSpec("gateway", self.gateway_port, "gateway"),
        ]

    @property
    def services(self) -> list[ServiceSpec]:
        """The services this stack runs (their first replicas)."""
        return [spec for spec in self.every_service if self.only is None or spec.name in self.only]

    @property
    def every_instance(self) -> list[ServiceSpec]:
        """Every process of every service, run or not: each service's first replica, then its others."""
        return [replica for spec in self.every_service for replica in self._replicas_of(spec)]

    @property
    def instances(self) -> list[ServiceSpec]:
        """The processes this stack runs."""
        return [spec for spec in self.every_instance if self.only is None or spec.name in self.only]

    def _replicas_of(self, first: ServiceSpec) -> list[ServiceSpec]:
        count = self.replicas.get(first.name, 1)
        if count < 1:
            raise ValueError(f"{first.name}: {count} replicas; a service runs at least one")
        specs = [first]
        for replica in range(2, count + 1):
            instance = f"{first.name}-{replica}"
            port = self.replica_ports.get(instance, first.port + REPLICA_PORT_STEP * (replica - 1))
            specs.append(ServiceSpec(first.name, port, first.database, replica))
        return specs

    @classmethod
    def on_free_ports(cls, home: Path, broker: str, **options: Any) -> StackConfig:
        """A stack beside anything else running (the bench's): every port is a free one, replicas' too."""
        services = ("gateway", "profile", "scoring", "journey", "referral", "sales", "loyalty")
        ports = {f"{name}_port": free_port() for name in ("postgres", "kafka", *services)}
        replicas: dict[str, int] = options.get("replicas", {})
        extra = [f"{name}-{k}" for name, count in replicas.items() for k in range(2, count + 1)]
        replica_ports = {instance: free_port() for instance in extra}
        metrics = {name: free_port() for name in (*services, *extra)}
        options = {**ports, **options, "metrics_ports": metrics, "replica_ports": replica_ports}
        return cls(home=home, broker=broker, **options)

    @property
    def key_file(self) -> Path:
        return self.home / f"{self.workspace}-key"


class Stack:
    def __init__(self, config: StackConfig) -> None:
        self.config = config
        self.postgres = LocalPostgres(config.home / "postgres", config.postgres_port, host=config.host)
        self.broker: Broker = (
            LocalKafka(config.home / "kafka", config.kafka_port, host=config.host, lib_dir=config.kafka_lib)
            if config.broker == "kafka"
            else EmbeddedBroker(config.home / "embedded-broker", config.kafka_port, host=config.host)
        )
        self.engine = DockerEngine() if config.images else None
        self.processes = {spec.instance: self._process(spec) for spec in config.instances}
        self.api_key: str | None = None

    def _process(self, spec: ServiceSpec) -> ServiceProcess:
        pid_file = self.config.home / "run" / f"{spec.instance}.pid"
        log_file = self.config.home / "logs" / f"{spec.instance}.log"
        if self.engine is None or self.config.images is None:
            return ServiceProcess(spec.instance, pid_file, log_file, marker=f"services.{spec.name}")
        image = image_name(spec.name, self.config.images)
        container = container_name(self.config.home, spec.instance)
        return ContainerProcess(spec.instance, pid_file, log_file, self.engine, image, container)

    def url(self, instance: str) -> str:
        """A service's API (its first replica's: the other services call that one), or a replica's."""
        return f"http://{self.config.host}:{self.config.instance(instance).port}"

    def metrics_url(self, instance: str) -> str:
        """Where a service (its first replica) or a replica answers /healthz, /readyz and /metrics."""
        return f"http://{self.config.host}:{self.config.metrics_port(instance)}"

    def env(self, spec: ServiceSpec) -> dict[str, str]:
        env = {
            "FLYWHEEL_SERVICE_NAME": spec.name,
            "FLYWHEEL_HTTP_HOST": self.config.host,
            "FLYWHEEL_HTTP_PORT": str(spec.port),
            "FLYWHEEL_METRICS_PORT": str(self.config.metrics_port(spec.instance)),
            "FLYWHEEL_DATABASE_URL": self.postgres.role_dsn(spec.role, spec.database),
            "FLYWHEEL_KAFKA_BOOTSTRAP": self.broker.bootstrap,
            # The in-memory broker does not implement InitProducerId (idempotent producers).
            "FLYWHEEL_KAFKA_IDEMPOTENT_PRODUCER": "true" if self.config.broker == "kafka" else "false",
            "FLYWHEEL_PROFILE_URL": self.url("profile"),
            "FLYWHEEL_SCORING_URL": self.url("scoring"),
            "FLYWHEEL_JOURNEY_URL": self.url("journey"),
            "FLYWHEEL_REFERRAL_URL": self.url("referral"),
            "FLYWHEEL_SALES_URL": self.url("sales"),
            "FLYWHEEL_LOYALTY_URL": self.url("loyalty"),
            "PYTHONPATH": str(REPO_ROOT),
        }
        if spec.name == "journey":
            env["FLYWHEEL_WEBHOOK_ALLOWED_HOSTS"] = os.environ.get("FLYWHEEL_WEBHOOK_ALLOWED_HOSTS", LOCAL_RECEIVERS)
            env["FLYWHEEL_PUBLIC_URL"] = os.environ.get("FLYWHEEL_PUBLIC_URL", self.url("gateway"))  # answer links
        return {**env, **self.config.extra_env, **self.config.service_env.get(spec.name, {})}

    def start(self) -> None:
        if self.engine is not None:
            self.engine.start()
        self.postgres.start()
        for spec in self.config.services:
            self.postgres.ensure_service_database(spec.role, spec.database)
        self.broker.start()
        asyncio.run(ensure_topics(self.broker.bootstrap, TOPICS))
        for spec in self.config.instances:
            self.start_service(spec.instance)
        self.api_key = asyncio.run(self._ensure_workspace())

    def start_service(self, instance: str) -> None:
        """Start one process: a service (its first replica) or a replica of it (`profile-2`)."""
        spec = self.config.instance(instance)
        process = self.processes[instance]
        if process.is_running():
            process.terminate(timeout=30)  # a leftover from a run that did not stop cleanly
        if isinstance(process, ContainerProcess):
            # Only what the service is told: its settings, never this machine's environment or PYTHONPATH.
            told = {name: value for name, value in os.environ.items() if name.startswith("FLYWHEEL_")}
            env = {**told, **self.env(spec)}
            env.pop("PYTHONPATH")
            process.migrate(env)
            process.run(env, cwd=self.config.home)
        else:
            process.spawn([sys.executable, "-m", f"services.{spec.name}"], cwd=REPO_ROOT, env=self.env(spec))
        process.wait_until(lambda: _ready(f"{self.metrics_url(instance)}/readyz"), timeout=90, what="readiness")
        log.info("%s ready on %s", instance, self.url(instance))

    def stop_service(self, instance: str) -> None:
        self.processes[instance].terminate(timeout=45)

    def kill_service(self, instance: str) -> None:
        self.processes[instance].kill()

    def stop(self) -> None:
        for spec in reversed(self.config.instances):
            self.stop_service(spec.instance)
        self.broker.stop()
        self.postgres.stop()

    def dead_services(self) -> list[str]:
        return [name for name, process in self.processes.items() if not process.is_running()]

    async def _ensure_workspace(self) -> str:
        from services.gateway.store import ensure_workspace_with_key

        gateway = next(s for s in self.config.services if s.name == "gateway")
        return await ensure_workspace_with_key(
            self.postgres.role_dsn(gateway.role, gateway.database), self.config.workspace, self.config.key_file
        )


def _ready(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False
