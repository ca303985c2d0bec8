"""Journey service wiring: the one place its parts are put together."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from fastapi import FastAPI

from contracts.codec import Decoder
from contracts.internal import RESOLVED_EVENT_TYPES, resolved_custom_model
from contracts.loyalty import LOYALTY_EVENT_TYPES
from contracts.scoring import SCORING_CHANGE_TYPES
from contracts.topology import JOURNEY
from runtime.clock import Clock, OffsetClock, clock_router, utc_now
from runtime.context import install_context
from runtime.egress import EgressPolicy, Resolver
from runtime.export_sections import export_router
from runtime.http import create_service_app
from runtime.secrets_at_rest import Keyring
from runtime.service import PeriodicJob, ServiceRuntime
from runtime.subscriptions import consumers_of
from services.journey.api import quotas_router, router
from services.journey.api_consent import consent_router
from services.journey.api_simulation import simulation_router
from services.journey.channel_secrets import seal_stored_secrets
from services.journey.deliveries import DeliveryDispatcher, DeliveryLimits
from services.journey.handlers import JourneyEventsHandler, LifecycleHandler
from services.journey.jobs import JourneyJobs
from services.journey.personal_data import SECTIONS
from services.journey.service import JourneyContext
from services.journey.settings import JourneyServiceSettings
from services.journey.webhooks import create_webhook_client

MIGRATIONS = Path(__file__).parent / "migrations"
SEAL_SECRETS_EVERY_S = 3600.0


def create_app(
    settings: JourneyServiceSettings,
    clock: Clock | None = None,
    webhook_transport: httpx.AsyncBaseTransport | None = None,
    webhook_resolver: Resolver | None = None,
) -> FastAPI:
    """`clock` lets tests move time (waits of days); `webhook_transport` stands in for receivers and
    `webhook_resolver` for DNS (the egress policy still vets every address it gives)."""
    routers = [router, consent_router, quotas_router, export_router("journey", SECTIONS)]
    routers.append(simulation_router)
    if clock is None and settings.clock_control:
        clock = OffsetClock()
        routers.append(clock_router(clock))
    clock = clock or utc_now
    egress = EgressPolicy.from_settings(settings, webhook_resolver)  # at start-up: a bad allowlist stops it here
    keyring = Keyring.from_settings(settings)  # at start-up too: a malformed FLYWHEEL_SECRETS_KEYS stops it here
    clients: list[httpx.AsyncClient] = []
    dispatchers: list[DeliveryDispatcher] = []

    def scheduled(runtime: ServiceRuntime) -> list[PeriodicJob]:
        http = create_webhook_client(egress, transport=webhook_transport)
        clients.append(http)
        jobs = JourneyJobs(context)
        deliveries = DeliveryDispatcher(
            context, http, DeliveryLimits.from_settings(settings), idle_s=settings.journey_tick_s, keyring=keyring
        )
        dispatchers.append(deliveries)

        async def seal_secrets() -> None:
            await seal_stored_secrets(context.pool, keyring, context.now())

        # Not singletons: replicas share due timers (SKIP LOCKED) and deliveries (leases).
        return [
            PeriodicJob("timers", settings.journey_tick_s, jobs.run_timers, singleton=False),
            PeriodicJob("deliveries", settings.journey_tick_s, deliveries.run, singleton=False),
            PeriodicJob("dates", 60 * settings.journey_tick_s, jobs.fire_dates),
            # Plain secrets from before, and secrets sealed with a key no longer first: right after start-up.
            PeriodicJob("seal-secrets", SEAL_SECRETS_EVERY_S, seal_secrets),
        ]

    runtime = ServiceRuntime(
        "journey",
        settings,
        MIGRATIONS,
        consumers=lambda _: consumers_of(
            JOURNEY,
            resolved=JourneyEventsHandler(context, Decoder(RESOLVED_EVENT_TYPES, resolved_custom_model)),
            scoring_changes=JourneyEventsHandler(context, Decoder(SCORING_CHANGE_TYPES)),
            lifecycle=LifecycleHandler(context),
            loyalty_events=JourneyEventsHandler(context, Decoder(LOYALTY_EVENT_TYPES)),
        ),
        jobs=scheduled,
    )
    context = JourneyContext(runtime, clock, webhook_egress=egress)

    @asynccontextmanager
    async def resources(app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            # SIGTERM: attempts in flight finish and are recorded (or are left to their lease), then the
            # clients close; the runtime stops the periodic jobs after this.
            for dispatcher in dispatchers:
                await dispatcher.drain()
            for http in clients:
                await http.aclose()

    app = create_service_app(
        runtime,
        title="Flywheel journey (internal)",
        description="Journeys as data: triggers, timed and branching steps, webhooks, sales tasks, goals.",
        routers=routers,
        resources=resources,
    )
    install_context(app, context)
    return app
