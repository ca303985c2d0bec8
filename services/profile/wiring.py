"""Profile service wiring: the one place its parts are put together."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from contracts.topology import PROFILE
from runtime.clock import utc_now
from runtime.context import install_context
from runtime.http import create_service_app
from runtime.quotas import quota_router
from runtime.service import ServiceRuntime
from runtime.subscriptions import consumers_of
from services.profile.api import quota_usages, router
from services.profile.api_erasure import router as erasure_router
from services.profile.api_event_types import router as event_types_router
from services.profile.api_export import router as export_router
from services.profile.api_identity import router as identity_router
from services.profile.api_merges import router as merges_router
from services.profile.api_nps import router as nps_router
from services.profile.handlers import InboundHandler
from services.profile.referrals import ReferralEventsHandler
from services.profile.requests import JourneyRequestsHandler
from services.profile.service import ProfileContext
from services.profile.settings import ProfileServiceSettings

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: ProfileServiceSettings) -> FastAPI:
    runtime = ServiceRuntime(
        "profile",
        settings,
        MIGRATIONS,
        consumers=lambda _: consumers_of(
            PROFILE,
            inbound=InboundHandler(context),
            journey_actions=JourneyRequestsHandler(context),
            referral_events=ReferralEventsHandler(context),
        ),
    )
    context = ProfileContext(runtime, utc_now)
    app = create_service_app(
        runtime,
        title="Flywheel profile (internal)",
        description="One 360° view per customer: identity resolution, traits, stats, timeline, export, erasure.",
        routers=[
            router,
            event_types_router,
            export_router,
            erasure_router,
            nps_router,
            merges_router,
            identity_router,
            quota_router("profile", quota_usages),
        ],
    )
    install_context(app, context)
    return app
