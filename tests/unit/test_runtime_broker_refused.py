"""ServiceRuntime while the brokers refuse its credentials: not ready (the readiness check names why),
a request needing the broker answers 503 rather than waiting forever, and the runtime tries again until
the brokers accept it, then starts its streaming part. The broker here is a stand-in producer (the real
one is in tests/integration/test_kafka_security.py); the question is only what the runtime does."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from aiokafka.errors import KafkaConnectionError

from runtime import service as service_module
from runtime.kafka_diagnosis import BrokerProblem
from runtime.problems import ProblemError
from runtime.service import ServiceRuntime
from runtime.settings import RuntimeSettings

REFUSED = BrokerProblem(
    "authentication",
    "authentication failed for user 'flywheel-profile' (SCRAM-SHA-512)",
    "check FLYWHEEL_KAFKA_SASL_USERNAME/PASSWORD",
)


class Producer:
    """Refuses `refusals` starts, then starts."""

    def __init__(self, refusals: int) -> None:
        self.refusals = refusals

    async def start(self) -> None:
        if self.refusals:
            self.refusals -= 1
            raise KafkaConnectionError("Unable to bootstrap from [('kafka', 9092, <AddressFamily.AF_INET: 2>)]")


@pytest.fixture
def runtime(monkeypatch: pytest.MonkeyPatch) -> ServiceRuntime:
    async def diagnose(settings: RuntimeSettings, timeout_s: float = 5.0) -> BrokerProblem:
        return REFUSED

    monkeypatch.setattr(service_module, "diagnose", diagnose)
    monkeypatch.setattr(service_module, "KAFKA_RETRY_S", 0.01)
    return ServiceRuntime("profile", RuntimeSettings(service_name="profile"), Path("/nonexistent"))


async def test_refused_credentials_leave_the_service_up_but_not_ready(
    runtime: ServiceRuntime, caplog: pytest.LogCaptureFixture
) -> None:
    runtime._producer = Producer(refusals=1)
    assert await runtime._connect_producer() is False
    assert runtime.broker_problem == REFUSED
    assert (
        "Kafka authentication failed for user 'flywheel-profile' (SCRAM-SHA-512): "
        "check FLYWHEEL_KAFKA_SASL_USERNAME/PASSWORD" in caplog.text
    )
    with pytest.raises(ProblemError) as refused:
        _ = runtime.producer
    assert refused.value.status == 503


async def test_the_runtime_tries_again_and_starts_streaming_once_accepted(
    runtime: ServiceRuntime, monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime._producer = Producer(refusals=3)
    streaming = asyncio.Event()

    async def start_streaming(*_: Any) -> None:
        streaming.set()

    monkeypatch.setattr(runtime, "_start_streaming", start_streaming)
    assert await runtime._connect_producer() is False
    await asyncio.wait_for(runtime._connect_later(), timeout=5)
    assert streaming.is_set()
    assert runtime.broker_problem is None


async def test_an_unreachable_broker_still_fails_the_start(
    runtime: ServiceRuntime, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def unreachable(settings: RuntimeSettings, timeout_s: float = 5.0) -> BrokerProblem:
        return BrokerProblem("unreachable", "broker unreachable at kafka:9092", "check FLYWHEEL_KAFKA_BOOTSTRAP")

    monkeypatch.setattr(service_module, "diagnose", unreachable)
    runtime._producer = Producer(refusals=1)
    with pytest.raises(KafkaConnectionError):
        await runtime._connect_producer()
