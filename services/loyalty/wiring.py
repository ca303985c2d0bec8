"""Loyalty service wiring: the one place its parts are put together. (Helper A3's provisional wiring, points and
jobs only; helper A2's wiring, with the consumers and the program API, replaces it.)"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from runtime.clock import Clock, utc_now
from runtime.context import install_context
from runtime.http import create_service_app
from runtime.quotas import quota_router
from runtime.service import PeriodicJob, ServiceRuntime
from services.loyalty.api_points import quota_usages
from services.loyalty.api_points import router as points_router
from services.loyalty.jobs import LoyaltyJobs
from services.loyalty.service import LoyaltyContext
from services.loyalty.settings import LoyaltyServiceSettings

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: LoyaltyServiceSettings, clock: Clock | None = None) -> FastAPI:
    """`clock` stamps holds, settlements and events, and is what the jobs call now (tests move it)."""

    def scheduled(_: ServiceRuntime[LoyaltyServiceSettings]) -> list[PeriodicJob]:
        return LoyaltyJobs(context).periodic()

    runtime = ServiceRuntime("loyalty", settings, MIGRATIONS, jobs=scheduled)
    context = LoyaltyContext(runtime, clock or utc_now)
    app = create_service_app(
        runtime,
        title="Flywheel loyalty (internal)",
        description="Loyalty programs as data: points, redemptions, tiers.",
        routers=[points_router, quota_router("loyalty", quota_usages)],
    )
    install_context(app, context)
    return app
