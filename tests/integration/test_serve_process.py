"""A service as its container runs it (`python -m services.<name>`): the API on its port, the probes and
metrics on the metrics port only, the internal API behind service tokens; and, with FLYWHEEL_ENV=production,
a refusal to start at all with settings unfit for production."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from devstack.ports import free_port
from devstack.postgres import LocalPostgres
from runtime.production_guard import EXIT_UNFIT_FOR_PRODUCTION
from runtime.serve import metrics_port
from runtime.service_tokens import ServiceTokenAuth
from runtime.settings import RuntimeSettings
from tests.integration.conftest import fresh_database

REPO = Path(__file__).resolve().parents[2]
KEYS = f"proc:{'q' * 40}"


def _env(**variables: str) -> dict[str, str]:
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("FLYWHEEL_")}
    return {**inherited, "PYTHONPATH": str(REPO), **variables}


def test_production_refuses_unfit_settings_before_serving() -> None:
    port = free_port()
    env = _env(
        FLYWHEEL_ENV="production",
        FLYWHEEL_HTTP_PORT=str(port),
        FLYWHEEL_CLOCK_CONTROL="true",
        FLYWHEEL_WEBHOOK_ALLOWED_HOSTS="127.0.0.1,10.0.0.0/8",
        FLYWHEEL_DATABASE_URL="postgresql://journey@127.0.0.1:1/flywheel_journey",
        FLYWHEEL_IDENTIFIER_HASH_KEY="change-me-identifier-hash-key",
    )
    argv = [sys.executable, "-m", "services.journey"]
    run = subprocess.run(argv, cwd=REPO, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert run.returncode == EXIT_UNFIT_FOR_PRODUCTION, run.stderr[-3000:]
    assert "journey: refusing to start with FLYWHEEL_ENV=production" in run.stderr
    for problem in (
        "FLYWHEEL_INTERNAL_TOKEN_KEYS is empty",
        "FLYWHEEL_SECRETS_KEYS is empty",
        "FLYWHEEL_IDENTIFIER_HASH_KEY is an example value",
        "FLYWHEEL_CLOCK_CONTROL is on",
        "FLYWHEEL_WEBHOOK_ALLOWED_HOSTS allows 127.0.0.1/32",
        "FLYWHEEL_WEBHOOK_ALLOWED_HOSTS allows 10.0.0.0/8",
        "FLYWHEEL_DATABASE_URL has no password",
    ):
        assert problem in run.stderr, problem
    assert "change-me-identifier-hash-key" not in run.stderr, "a problem never echoes the secret"
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{port}/internal/v1/workspaces/w/journeys", timeout=1)


def test_the_metrics_port_defaults_to_the_http_port_plus_1000_and_must_differ() -> None:
    assert metrics_port(RuntimeSettings(http_port=8081)) == 9081
    assert metrics_port(RuntimeSettings(http_port=8081, metrics_port=9999)) == 9999
    with pytest.raises(ValueError, match="set FLYWHEEL_METRICS_PORT"):
        metrics_port(RuntimeSettings(http_port=8081, metrics_port=8081))
    with pytest.raises(ValueError, match="unusable"):
        metrics_port(RuntimeSettings(http_port=65000))


@pytest.fixture(scope="module")
def referral_process(postgres: LocalPostgres, topics: str, broker_kind: str) -> Iterator[tuple[str, str]]:
    api, metrics = free_port(), free_port()
    env = _env(
        FLYWHEEL_HTTP_PORT=str(api),
        FLYWHEEL_METRICS_PORT=str(metrics),
        FLYWHEEL_DATABASE_URL=fresh_database(postgres, "referral"),
        FLYWHEEL_KAFKA_BOOTSTRAP=topics,
        FLYWHEEL_KAFKA_IDEMPOTENT_PRODUCER="true" if broker_kind == "kafka" else "false",
        FLYWHEEL_CONSUMER_CONCURRENCY="1",
        FLYWHEEL_INTERNAL_TOKEN_KEYS=KEYS,
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "services.referral"], cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    api_url, metrics_url = f"http://127.0.0.1:{api}", f"http://127.0.0.1:{metrics}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert process.poll() is None, process.communicate()[0].decode()[-3000:]
            try:
                if httpx.get(f"{metrics_url}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        else:
            raise TimeoutError("referral never became ready on its metrics port")
        yield api_url, metrics_url
    finally:
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=90)[0].decode()
        assert process.returncode == 0, output[-3000:]


def test_probes_and_metrics_are_on_the_metrics_port_only(referral_process: tuple[str, str]) -> None:
    api, metrics = referral_process
    assert httpx.get(f"{metrics}/healthz").json() == {"status": "ok"}
    assert httpx.get(f"{metrics}/readyz").json()["status"] == "ready"
    scraped = httpx.get(f"{metrics}/metrics")
    assert scraped.status_code == 200 and "flywheel_http_requests_total" in scraped.text
    assert 'route="/readyz"' in scraped.text, "probe answers are counted"
    for path in ("/metrics", "/healthz", "/readyz"):
        assert httpx.get(f"{api}{path}").status_code == 404, path
    assert httpx.get(f"{metrics}/internal/v1/workspaces/w/programs").status_code == 404, "no API on the metrics port"


def test_the_api_port_takes_only_signed_calls(referral_process: tuple[str, str]) -> None:
    api, _ = referral_process
    path = f"{api}/internal/v1/workspaces/w/programs"
    assert httpx.get(path).status_code == 401
    auth = ServiceTokenAuth.for_settings(RuntimeSettings(internal_token_keys=KEYS), "tests")
    assert httpx.get(path, auth=auth).status_code == 200
