"""The producer the commands that publish (`flywheel import`, `flywheel deadletter replay`) start."""

from __future__ import annotations

import asyncio
import sys

from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaConnectionError, KafkaError
from rich.console import Console

from runtime.kafka import create_producer
from runtime.kafka_diagnosis import diagnose
from runtime.settings import RuntimeSettings

START_ERRORS = (KafkaError, OSError, TimeoutError)


async def why_unusable(settings: RuntimeSettings, exc: BaseException) -> str:
    """Why the brokers could not be used, in one line: credentials or certificates they refused are named
    (aiokafka reports those as any other failure to connect)."""
    if isinstance(exc, KafkaConnectionError | TimeoutError):
        problem = await diagnose(settings)
        if problem is not None:
            return problem.message
    return str(exc) or type(exc).__name__


async def start_producer(settings: RuntimeSettings, timeout_s: float, topic: str | None = None) -> AIOKafkaProducer:
    """A started producer (and `topic` known to the broker, when given: auto-creation may be off).
    Raises one of START_ERRORS when the broker cannot be reached or the topic is missing."""
    while True:
        producer = create_producer(settings)
        try:
            await asyncio.wait_for(producer.start(), timeout_s)
            if topic is not None:
                await asyncio.wait_for(producer.partitions_for(topic), timeout_s)
            return producer
        except START_ERRORS as exc:
            await producer.stop()
            if settings.kafka_idempotent_producer and not isinstance(exc, KafkaConnectionError | TimeoutError):
                # Some Kafka-protocol brokers (the in-memory dev broker) refuse idempotent producers. Without
                # idempotence a retried send may land twice; consumers de-duplicate on the event id.
                note = f"[yellow]note:[/] broker refused an idempotent producer ({exc}); retrying"
                Console(file=sys.stderr).print(note)
                settings = settings.model_copy(update={"kafka_idempotent_producer": False})
                continue
            raise
