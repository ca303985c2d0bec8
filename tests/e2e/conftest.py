"""The running stack, started exactly the way `make run` starts it (`python -m devstack run`), with
Apache Kafka (KRaft), in a temporary home on free ports. One stack per session."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from devstack.ports import free_port
from devstack.postgres import LocalPostgres, service_role
from devstack.stack import REPO_ROOT, Stack, StackConfig
from runtime.service_tokens import ServiceTokenAuth
from runtime.settings import RuntimeSettings
from tests.e2e.console_browser import browser_available, console_browser
from tests.e2e.console_fixtures import console_demo, console_demo_run
from tests.webhook_receiver import LOOPBACK_RECEIVERS

# The console tests' fixtures, registered here: a workspace filled by `flywheel demo`, its keys, another workspace
# (console_fixtures); a headless Chromium on the gateway (console_browser).
__all__ = ["RunningStack", "browser_available", "console_browser", "console_demo", "console_demo_run", "stack"]

SERVICES = ("gateway", "profile", "scoring", "journey", "referral", "sales", "loyalty")
# FLYWHEEL_TEST_IMAGES=TAG: the session's stack runs every service from its image of that tag (`make images`).
IMAGES_TAG = os.environ.get("FLYWHEEL_TEST_IMAGES", "")
# Keys of the stack's service tokens: keys of its own (not the development key), the first signing and the
# second still verifying, as during a rotation.
INTERNAL_TOKEN_KEYS = f"e2e-current:{'c' * 43},e2e-previous:{'p' * 43}"

# Tests only: the journey service's clock can be moved forward (waits of days), scoring looks for dormant
# customers every 2 s instead of every 5 minutes, and journey may deliver to the test receivers on loopback
# (what `make run` allows too; said here so the suite does not depend on it). All requests come from one
# address: Schemathesis's ignored_auth (test_openapi_fuzz.py) sends made-up keys, and its cases keyless survey
# answers, far more than production allows one address a minute (answered 429 beyond, by design).
TEST_ENV = {
    "COLUMNS": "200",
    "FLYWHEEL_CLOCK_CONTROL": "true",
    "FLYWHEEL_SCORING_SWEEP_INTERVAL_S": "2",
    "FLYWHEEL_WEBHOOK_ALLOWED_HOSTS": LOOPBACK_RECEIVERS,
    "FLYWHEEL_INTERNAL_TOKEN_KEYS": INTERNAL_TOKEN_KEYS,
    "FLYWHEEL_AUTH_FAILURES_PER_MINUTE": "1000000",
    "FLYWHEEL_SURVEY_ANSWERS_PER_MINUTE": "1000000",
}


@dataclass(frozen=True)
class RunningStack:
    home: Path
    gateway: str
    profile: str
    scoring: str
    journey: str
    referral: str
    sales: str
    loyalty: str
    bootstrap: str
    postgres_port: int
    key: str
    metrics: dict[str, str]
    """Each service's /healthz, /readyz and /metrics (its metrics port), by service name."""
    ports: dict[str, int] = field(default_factory=dict)
    """What `devstack run` was given: the API ports (and PostgreSQL's and Kafka's), by name."""
    metrics_ports: dict[str, int] = field(default_factory=dict)

    def devstack(self, **options: Any) -> Stack:
        """This stack as devstack sees it (its home, ports and environment), to start more processes beside the
        ones `devstack run` supervises, e.g. replicas (`replicas=`, `replica_ports=`, `metrics_ports=`)."""
        ports: dict[str, Any] = {f"{name}_port": port for name, port in self.ports.items()}
        metrics_ports = {**self.metrics_ports, **options.pop("metrics_ports", {})}
        config = StackConfig(
            home=self.home, broker="kafka", extra_env=TEST_ENV, metrics_ports=metrics_ports, **ports, **options
        )
        return Stack(config)

    @property
    def postgres(self) -> LocalPostgres:
        """The stack's PostgreSQL, as devstack made it (its passwords are kept in the stack's home)."""
        return LocalPostgres(self.home / "postgres", self.postgres_port)

    def dsn(self, database: str) -> str:
        """The superuser's DSN of `database`: for tests that look inside a service's database."""
        return self.postgres.dsn(database)

    def service_dsn(self, service: str) -> str:
        """The DSN `service` runs with: its own role, on its own database."""
        return self.postgres.role_dsn(service_role(service), service)

    def pid(self, service: str) -> int:
        return int((self.home / "run" / f"{service}.pid").read_text())

    def headers(self, key: str | None = None) -> dict[str, str]:
        """The gateway's API key header."""
        return {"Authorization": f"Bearer {key or self.key}"}

    def service_auth(self) -> ServiceTokenAuth:
        """Service tokens for calling a service's internal API directly (caller "tests", scope admin)."""
        return ServiceTokenAuth.for_settings(RuntimeSettings(internal_token_keys=INTERNAL_TOKEN_KEYS), "tests")


def _wait_until_ready(process: subprocess.Popen[bytes], key_file: Path, gateway_metrics: str, log: Path) -> str:
    deadline = time.monotonic() + 300  # the first run fetches the Kafka jars
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"devstack exited with {process.returncode}:\n{log.read_text()[-4000:]}")
        if key_file.exists():
            try:
                if httpx.get(f"{gateway_metrics}/readyz", timeout=2).status_code == 200:
                    return key_file.read_text().strip()
            except httpx.HTTPError:
                pass
        time.sleep(0.5)
    raise TimeoutError(f"stack not ready in time:\n{log.read_text()[-4000:]}")


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    home = tmp_path_factory.mktemp("stack")
    ports = {name: free_port() for name in ("postgres", "kafka", *SERVICES)}
    metrics_ports = {name: free_port() for name in SERVICES}
    log = home / "devstack.out"
    argv = [sys.executable, "-m", "devstack", "run", "--home", str(home), "--broker", "kafka"]
    argv += [arg for name, port in ports.items() for arg in (f"--{name}-port", str(port))]
    argv += [arg for name, port in metrics_ports.items() for arg in ("--metrics-port", f"{name}={port}")]
    if IMAGES_TAG:  # the services from their images (make test-images), not this checkout's code
        argv += ["--images", IMAGES_TAG]
    with log.open("wb") as out:
        process = subprocess.Popen(
            argv, cwd=REPO_ROOT, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **TEST_ENV}
        )
    try:
        gateway = f"http://127.0.0.1:{ports['gateway']}"
        metrics = {name: f"http://127.0.0.1:{port}" for name, port in metrics_ports.items()}
        key = _wait_until_ready(process, home / "demo-key", metrics["gateway"], log)
        yield RunningStack(
            home=home,
            gateway=gateway,
            profile=f"http://127.0.0.1:{ports['profile']}",
            scoring=f"http://127.0.0.1:{ports['scoring']}",
            journey=f"http://127.0.0.1:{ports['journey']}",
            referral=f"http://127.0.0.1:{ports['referral']}",
            sales=f"http://127.0.0.1:{ports['sales']}",
            loyalty=f"http://127.0.0.1:{ports['loyalty']}",
            bootstrap=f"127.0.0.1:{ports['kafka']}",
            postgres_port=ports["postgres"],
            key=key,
            metrics=metrics,
            ports=ports,
            metrics_ports=metrics_ports,
        )
    finally:
        process.send_signal(signal.SIGINT)  # what Ctrl-C does
        try:
            code = process.wait(120)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
    assert code == 0, f"devstack did not stop cleanly:\n{log.read_text()[-4000:]}"
