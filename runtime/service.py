"""One service process: its database pool, Kafka producer, outbox relay and consumer loops, started and
stopped together in the FastAPI lifespan. Each service's wiring module builds one of these."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import zlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic

import asyncpg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.errors import KafkaConnectionError

from runtime import merge_undo
from runtime.consumer import ConsumerLoop, Handler
from runtime.db import create_pool, migrate, prune_processed_events
from runtime.kafka import KafkaSettingsError, create_consumer, create_producer, security_options
from runtime.kafka_diagnosis import BrokerProblem, diagnose
from runtime.outbox import OutboxRelay
from runtime.problems import ProblemError
from runtime.settings import SettingsT_co
from runtime.telemetry import JOB_ROUNDS, configure_tracing

log = logging.getLogger(__name__)

# How often a service whose credentials or certificates the brokers refused tries again (each try is logged).
KAFKA_RETRY_S = 30.0


@dataclass(frozen=True)
class ConsumerSpec:
    topics: tuple[str, ...]
    handler: Handler[Any]


@dataclass(frozen=True)
class PeriodicJob:
    """Background work run every `interval_s` seconds (first run right after start-up).

    With `singleton`, one replica at a time runs it: the round holds a PostgreSQL advisory lock named after
    the service and job, and a replica that cannot take it skips the round."""

    name: str
    interval_s: float
    run: Callable[[], Awaitable[object]]
    singleton: bool = True


class ServiceRuntime(Generic[SettingsT_co]):
    """Owns every client of a service process; nothing is created at import time. Generic in the service's
    settings class, so `runtime.settings` has the service's own fields."""

    def __init__(
        self,
        name: str,
        settings: SettingsT_co,
        migrations: Path,
        consumers: Callable[[ServiceRuntime[SettingsT_co]], Sequence[ConsumerSpec]] = lambda _: (),
        jobs: Callable[[ServiceRuntime[SettingsT_co]], Sequence[PeriodicJob]] = lambda _: (),
    ) -> None:
        # The fixed name namespaces the migrations; FLYWHEEL_SERVICE_NAME only labels logs and metrics.
        self.name = name
        self._settings = settings
        self._migrations = migrations
        self._consumer_specs = consumers
        self._job_specs = jobs
        self._job_tasks: list[asyncio.Task[None]] = []
        self._pool: asyncpg.Pool | None = None
        self._producer: AIOKafkaProducer | None = None
        self._relay: OutboxRelay | None = None
        self._kafka_consumers: list[AIOKafkaConsumer] = []
        self._consumer_tasks: list[asyncio.Task[None]] = []
        self._relay_task: asyncio.Task[None] | None = None
        self._connect_task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()  # consumers: finish the batch in hand, commit, return
        self._relay_stopping = asyncio.Event()  # relay: publish what is left, return (after the consumers)
        self.failed: str | None = None
        # Set while the brokers refuse this service's credentials or certificates: not ready, and why.
        self.broker_problem: BrokerProblem | None = None

    @property
    def settings(self) -> SettingsT_co:
        return self._settings

    @property
    def pool(self) -> asyncpg.Pool:
        if self._pool is None:
            raise RuntimeError("service runtime is not started")
        return self._pool

    @property
    def producer(self) -> AIOKafkaProducer:
        if self._producer is None:
            raise RuntimeError("service runtime is not started")
        if self.broker_problem is not None:
            # Not connected: a send would wait forever. A request that needs the broker answers 503.
            raise ProblemError(503, "the event broker is not available; retry later", headers={"Retry-After": "30"})
        return self._producer

    @property
    def relay(self) -> OutboxRelay:
        if self._relay is None:
            raise RuntimeError("service runtime is not started")
        return self._relay

    async def start(self) -> None:
        try:
            security_options(self.settings)  # contradictory Kafka settings fail the start before anything else
        except KafkaSettingsError as exc:
            log.critical(str(exc), extra={"service": self.settings.service_name})
            raise
        configure_tracing(self.settings)
        await migrate(self.settings.database_url, self.name, self._migrations)
        self._pool = await create_pool(self.settings)
        self._producer = create_producer(self.settings)
        self._relay = OutboxRelay(
            self._pool,
            self._producer,
            self.settings.service_name,
            self.settings.outbox_batch,
            self.settings.outbox_poll_s,
            listen_dsn=self.settings.database_url,
        )
        if await self._connect_producer():
            await self._start_streaming()
        else:
            # Up but not ready (readiness names the problem): the API answers what needs no broker, and a
            # rollout with a wrong Secret leaves the previous replicas serving.
            self._connect_task = self._spawn("kafka-connect", self._connect_later())
        log.info("service started", extra={"service": self.settings.service_name})

    async def _connect_producer(self) -> bool:
        """Start the producer. False when the brokers refuse this service's credentials or certificates:
        logged as such, kept in `broker_problem`. A broker that cannot be reached still fails the start."""
        if self._producer is None:
            raise RuntimeError("service runtime is not started")
        try:
            await self._producer.start()
        except KafkaConnectionError:
            problem = await diagnose(self.settings)
            if problem is None or not problem.permanent:
                raise
            log.error(problem.log_line, extra={"service": self.settings.service_name, "retry_in_s": KAFKA_RETRY_S})
            self.broker_problem = problem
            return False
        self.broker_problem = None
        return True

    async def _connect_later(self) -> None:
        while not self._stopping.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), timeout=KAFKA_RETRY_S)
            if self._stopping.is_set():
                return
            try:
                connected = await self._connect_producer()
            except KafkaConnectionError as exc:  # refused before, unreachable now: keep trying
                log.warning("Kafka unreachable", extra={"error": repr(exc), "retry_in_s": KAFKA_RETRY_S})
                continue
            if connected:
                log.info("Kafka accepted the service's credentials", extra={"service": self.settings.service_name})
                await self._start_streaming()
                return

    async def _start_streaming(self) -> None:
        """The outbox relay, the consumer loops and the periodic jobs, once the producer is connected."""
        self._relay_task = self._spawn("outbox-relay", self.relay.run(self._relay_stopping))
        specs = self._consumer_specs(self)
        jobs = list(self._job_specs(self))
        if specs:
            jobs.append(PeriodicJob("dedupe-pruner", 3600, self._prune_processed_events, singleton=False))
        loops = []
        for spec in specs:
            # Several loops in one consumer group: while one waits on the database, another decodes and
            # resolves its own partitions' batch, so Python and PostgreSQL work at the same time.
            for index in range(self.settings.consumer_concurrency):
                consumer = create_consumer(self.settings, *spec.topics)
                await consumer.start()
                self._kafka_consumers.append(consumer)
                loop = ConsumerLoop(self.settings, spec.handler, self.pool, consumer, self.relay)
                loops.append((f"consumer {','.join(spec.topics)} #{index}", loop))
        # Loops start once every consumer has joined: no batch is in flight while the group rebalances.
        for name, loop in loops:
            self._consumer_tasks.append(self._spawn(name, loop.run(self._stopping)))
        self._job_tasks = [self._spawn(job.name, self._run_job(job)) for job in jobs]

    def _spawn(self, name: str, work: Any) -> asyncio.Task[None]:
        task: asyncio.Task[None] = asyncio.create_task(work, name=name)

        def on_done(done: asyncio.Task[None]) -> None:
            if not done.cancelled() and done.exception() is not None and not self._stopping.is_set():
                self.failed = f"{name} stopped: {done.exception()!r}"
                log.critical("background task died", extra={"task": name, "error": repr(done.exception())})

        task.add_done_callback(on_done)
        return task

    async def stop(self) -> None:
        """Stop fetching, finish and commit the batch in hand, publish the outbox, close clients."""
        self._stopping.set()
        if self._connect_task is not None:
            self._connect_task.cancel()  # consumers it started already are stopped below
            await asyncio.gather(self._connect_task, return_exceptions=True)
        for task in self._job_tasks:
            task.cancel()  # a round in progress rolls back and runs again after the restart
        await asyncio.gather(*self._job_tasks, return_exceptions=True)
        await self._wait(self._consumer_tasks)
        self._relay_stopping.set()
        if self._relay is not None:
            self._relay.wake()
        await self._wait([self._relay_task] if self._relay_task else [])
        for consumer in self._kafka_consumers:
            await consumer.stop()
        if self._producer is not None:
            await self._producer.stop()
        if self._pool is not None:
            await self._pool.close()
        log.info("service stopped", extra={"service": self.settings.service_name})

    async def _run_job(self, job: PeriodicJob) -> None:
        lock = zlib.crc32(f"{self.name}:{job.name}".encode())
        rounds = {
            outcome: JOB_ROUNDS.labels(self.settings.service_name, job.name, outcome)
            for outcome in ("done", "failed", "skipped")
        }  # every outcome's series exists from start-up, at 0: a job that never completes a round shows
        while not self._stopping.is_set():
            try:
                if job.singleton:
                    async with self.pool.acquire() as conn:
                        if await conn.fetchval("SELECT pg_try_advisory_lock($1)", lock):
                            try:
                                await job.run()
                            finally:
                                await conn.execute("SELECT pg_advisory_unlock($1)", lock)
                            rounds["done"].inc()
                        else:
                            rounds["skipped"].inc()
                else:
                    await job.run()
                    rounds["done"].inc()
            except Exception as exc:  # a failed round is retried next interval; the service stays up
                rounds["failed"].inc()
                log.warning("periodic job failed", extra={"job": job.name, "error": repr(exc)})
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), timeout=job.interval_s)

    async def _prune_processed_events(self) -> None:
        """Forget processed event ids once no redelivery can bring them back (older than the topics keep)."""
        deleted = await prune_processed_events(self.pool, self.settings.dedupe_retention_hours)
        log.info("pruned processed event ids", extra={"deleted": deleted})
        dropped = await merge_undo.prune(self.pool, self.settings.merge_undo_retention_days)
        log.info("pruned merge snapshots", extra={"deleted": dropped})

    async def _broker_failure(self, exc: Exception) -> str:
        """Why the connected producer lost the brokers: refused credentials or certificates are named (and
        logged), anything else reads as unreachable."""
        with contextlib.suppress(Exception):
            problem = await diagnose(self.settings, timeout_s=2)
            if problem is not None and problem.permanent:
                log.error(problem.log_line, extra={"service": self.settings.service_name})
                return problem.message
        return f"unreachable: {type(exc).__name__}"

    @staticmethod
    async def _wait(tasks: list[asyncio.Task[None]]) -> None:
        for task in tasks:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(asyncio.shield(task), timeout=60)

    async def readiness(self) -> dict[str, str]:
        """Which dependencies answer; empty values mean ok."""
        checks: dict[str, str] = {}
        try:
            async with asyncio.timeout(2):
                await self.pool.fetchval("SELECT 1")
            checks["database"] = "ok"
        except Exception as exc:
            checks["database"] = f"unreachable: {type(exc).__name__}"
        if self.broker_problem is not None:
            checks["broker"] = self.broker_problem.message
        else:
            try:
                async with asyncio.timeout(2):
                    await self.producer.client.fetch_all_metadata()
                checks["broker"] = "ok"
            except Exception as exc:
                checks["broker"] = await self._broker_failure(exc)
        if self.failed:
            checks["background"] = self.failed
        return checks
