"""Loyalty service wiring: the one place its parts are put together."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request

from contracts.codec import Decoder
from contracts.internal import RESOLVED_EVENT_TYPES, resolved_custom_model
from contracts.journey import JOURNEY_ACTION_TYPES
from contracts.referral import REFERRAL_EVENT_TYPES
from contracts.topology import LOYALTY
from runtime.clock import Clock, utc_now
from runtime.context import install_context
from runtime.export_sections import export_router
from runtime.http import create_service_app
from runtime.quotas import QuotaUsage, quota_router
from runtime.service import PeriodicJob, ServiceRuntime
from runtime.subscriptions import consumers_of
from services.loyalty import api, api_points
from services.loyalty.handlers import LedgerHandler, LifecycleHandler
from services.loyalty.jobs import LoyaltyJobs
from services.loyalty.personal_data import SECTIONS
from services.loyalty.service import LoyaltyContext
from services.loyalty.settings import LoyaltyServiceSettings

MIGRATIONS = Path(__file__).parent / "migrations"


async def quota_usages(request: Request, workspace: str) -> list[QuotaUsage]:
    """Every quota loyalty enforces: program versions (api.py) and open holds per member (api_points.py)."""
    return [*await api.quota_usages(request, workspace), *await api_points.quota_usages(request, workspace)]


def create_app(settings: LoyaltyServiceSettings, clock: Clock | None = None) -> FastAPI:
    """`clock` stamps entries, events, holds and tier dates, and is the jobs' now (tests pass a fixed or movable
    one); earning uses event times."""

    def scheduled(_: ServiceRuntime[LoyaltyServiceSettings]) -> list[PeriodicJob]:
        return LoyaltyJobs(context).periodic()

    runtime = ServiceRuntime(
        "loyalty",
        settings,
        MIGRATIONS,
        consumers=lambda _: consumers_of(
            LOYALTY,
            resolved=LedgerHandler(context, Decoder(RESOLVED_EVENT_TYPES, resolved_custom_model)),
            referral_events=LedgerHandler(context, Decoder(REFERRAL_EVENT_TYPES)),
            journey_actions=LedgerHandler(context, Decoder(JOURNEY_ACTION_TYPES)),
            lifecycle=LifecycleHandler(context),
        ),
        jobs=scheduled,
    )
    context = LoyaltyContext(runtime, clock or utc_now)
    app = create_service_app(
        runtime,
        title="Flywheel loyalty (internal)",
        description="Loyalty programs as data: points earned and reversed in a ledger of lots, redemptions, tiers.",
        routers=[
            api.router,
            api_points.router,
            quota_router("loyalty", quota_usages),
            export_router("loyalty", SECTIONS),
        ],
    )
    install_context(app, context)
    return app
