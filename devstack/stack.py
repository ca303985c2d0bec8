"""The whole local stack: PostgreSQL, a broker, the topics and every service as a process.

`make run` starts it in `.flywheel/` (data kept across runs); the end-to-end tests start one in a
temporary directory on free ports.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from contracts.topics import TOPICS
from devstack._process import ServiceProcess
from devstack.broker import Broker
from devstack.embedded_broker import EmbeddedBroker
from devstack.kafka import LocalKafka
from devstack.ports import free_port
from devstack.postgres import LocalPostgres, service_role
from devstack.topics import ensure_topics

log = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parents[1]

LOCAL_RECEIVERS = "127.0.0.1,::1,localhost"
"""The local stack's journey may deliver webhooks to receivers on this machine (FLYWHEEL_WEBHOOK_ALLOWED_HOSTS,
unless the environment sets it): the egress policy refuses loopback everywhere else."""


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    port: int
    database: str

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
    only: tuple[str, ...] | None = None  # run just these services (the bench measures profile alone)
    # Each service's /healthz, /readyz and /metrics port (FLYWHEEL_METRICS_PORT); default: its port + 1000.
    metrics_ports: dict[str, int] = field(default_factory=dict)

    def metrics_port(self, service: str) -> int:
        port = next(spec.port for spec in self.every_service if spec.name == service)
        return self.metrics_ports.get(service, port + 1000)

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
        """The services this stack runs."""
        return [spec for spec in self.every_service if self.only is None or spec.name in self.only]

    @classmethod
    def on_free_ports(cls, home: Path, broker: str, **options: object) -> StackConfig:
        """A stack beside anything else running (the bench's): every port is a free one."""
        services = ("gateway", "profile", "scoring", "journey", "referral", "sales", "loyalty")
        ports = {f"{name}_port": free_port() for name in ("postgres", "kafka", *services)}
        metrics = {name: free_port() for name in services}
        return cls(home=home, broker=broker, metrics_ports=metrics, **ports, **options)  # type: ignore[arg-type]

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
        self.processes = {
            spec.name: ServiceProcess(
                spec.name,
                config.home / "run" / f"{spec.name}.pid",
                config.home / "logs" / f"{spec.name}.log",
                marker=f"services.{spec.name}",
            )
            for spec in config.services
        }
        self.api_key: str | None = None

    def url(self, service: str) -> str:
        spec = next(s for s in self.config.every_service if s.name == service)
        return f"http://{self.config.host}:{spec.port}"

    def metrics_url(self, service: str) -> str:
        """Where `service` answers /healthz, /readyz and /metrics (not its API's port)."""
        return f"http://{self.config.host}:{self.config.metrics_port(service)}"

    def env(self, spec: ServiceSpec) -> dict[str, str]:
        env = {
            "FLYWHEEL_SERVICE_NAME": spec.name,
            "FLYWHEEL_HTTP_HOST": self.config.host,
            "FLYWHEEL_HTTP_PORT": str(spec.port),
            "FLYWHEEL_METRICS_PORT": str(self.config.metrics_port(spec.name)),
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
        return {**env, **self.config.extra_env}

    def start(self) -> None:
        self.postgres.start()
        for spec in self.config.services:
            self.postgres.ensure_service_database(spec.role, spec.database)
        self.broker.start()
        asyncio.run(ensure_topics(self.broker.bootstrap, TOPICS))
        for spec in self.config.services:
            self.start_service(spec.name)
        self.api_key = asyncio.run(self._ensure_workspace())

    def start_service(self, name: str) -> None:
        spec = next(s for s in self.config.services if s.name == name)
        process = self.processes[name]
        if process.is_running():
            process.terminate(timeout=30)  # a leftover from a run that did not stop cleanly
        process.spawn([sys.executable, "-m", f"services.{name}"], cwd=REPO_ROOT, env=self.env(spec))
        process.wait_until(lambda: _ready(f"{self.metrics_url(name)}/readyz"), timeout=90, what="readiness")
        log.info("%s ready on %s", name, self.url(name))

    def stop_service(self, name: str) -> None:
        self.processes[name].terminate(timeout=45)

    def kill_service(self, name: str) -> None:
        self.processes[name].kill()

    def stop(self) -> None:
        for spec in reversed(self.config.services):
            self.stop_service(spec.name)
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
