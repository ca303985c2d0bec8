"""The services as ops teams meet them: from their images (`make test-images` builds them, then runs this file
and the public-path tests with FLYWHEEL_TEST_IMAGES set, so the session's stack runs every service from its image
against devstack's PostgreSQL and Apache Kafka)."""

from __future__ import annotations

import json
import os
import subprocess
import time
import uuid

import httpx
import pytest

from devstack._container import container_name
from devstack.images import DOCKER_CLIENT, DockerEngine, image_name
from devstack.ports import free_port
from tests.e2e.conftest import IMAGES_TAG, SERVICES, RunningStack

pytestmark = pytest.mark.skipif(not IMAGES_TAG, reason="runs the services from their images: make test-images")


def _inspect(engine: DockerEngine, container: str) -> dict[str, object]:
    answer = engine.docker("inspect", container)
    inspected: dict[str, object] = json.loads(answer.stdout)[0]
    return inspected


def test_every_service_runs_from_its_image_read_only_as_uid_10001_on_the_hosts_network(stack: RunningStack) -> None:
    engine = DockerEngine()
    for service in SERVICES:
        inspected = _inspect(engine, container_name(stack.home, service))
        config, host = inspected["Config"], inspected["HostConfig"]
        assert isinstance(config, dict) and isinstance(host, dict)
        assert config["Image"] == image_name(service, IMAGES_TAG)
        assert config["User"] == "10001:10001"
        assert host["ReadonlyRootfs"] is True and host["NetworkMode"] == "host"


def test_every_image_healthcheck_reports_healthy(stack: RunningStack) -> None:
    engine = DockerEngine()
    containers = {service: container_name(stack.home, service) for service in SERVICES}
    deadline = time.monotonic() + 120  # the first check runs 15 s after the start (the Dockerfile's interval)
    health: dict[str, str] = {}
    while time.monotonic() < deadline:
        health = {
            service: engine.docker("inspect", "--format", "{{.State.Health.Status}}", name).stdout.strip()
            for service, name in containers.items()
        }
        if all(status == "healthy" for status in health.values()):
            return
        time.sleep(2)
    pytest.fail(f"not every HEALTHCHECK healthy within 120 s: {health}")


@pytest.mark.parametrize("service", SERVICES)
def test_docker_stop_drains_the_service_and_it_exits_0(stack: RunningStack, service: str) -> None:
    """One more container of the service (a replica: its own ports, the same database and consumer group), ready,
    then `docker stop`: SIGTERM, the service drains (requests, consumers) and exits 0 within the grace period."""
    engine = DockerEngine()
    devstack = stack.devstack()
    spec = devstack.config.instance(service)
    metrics_port = free_port()
    told = {name: value for name, value in os.environ.items() if name.startswith("FLYWHEEL_")}
    env = {**told, **devstack.env(spec), "FLYWHEEL_HTTP_PORT": str(free_port())}
    env["FLYWHEEL_METRICS_PORT"] = str(metrics_port)
    env.pop("PYTHONPATH")
    name = f"{container_name(stack.home, service)}-stop-{uuid.uuid4().hex[:6]}"
    argv = ["run", "--detach", f"--name={name}", "--network=host", "--read-only", "--tmpfs=/tmp"]
    argv += [f"--env={variable}" for variable in sorted(env)]
    started = _run(engine, [*argv, image_name(service, IMAGES_TAG)], env)
    assert started.returncode == 0, started.stderr
    try:
        _wait_ready(f"http://127.0.0.1:{metrics_port}/readyz", engine, name)
        began = time.monotonic()
        engine.docker("stop", "--time=45", name)
        stopped_in = time.monotonic() - began
        state = _inspect(engine, name)["State"]
        assert isinstance(state, dict)
        logs = engine.docker("logs", "--tail=20", name).stderr
        assert state["ExitCode"] == 0, f"{service} exited {state['ExitCode']} after {stopped_in:.1f} s:\n{logs}"
        assert stopped_in < 45, f"{service} was killed at the end of the grace period, not drained"
    finally:
        engine.docker("rm", "--force", name, check=False)


def _run(engine: DockerEngine, argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The docker client with the settings in its environment (`--env NAME` passes each on by name)."""
    return subprocess.run(
        [DOCKER_CLIENT, *argv], env={**engine.env, **env}, capture_output=True, text=True, check=False, timeout=120
    )


def _wait_ready(url: str, engine: DockerEngine, name: str) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    logs = engine.docker("logs", "--tail=30", name, check=False)
    pytest.fail(f"{name} not ready within 90 s:\n{logs.stdout}{logs.stderr}")
