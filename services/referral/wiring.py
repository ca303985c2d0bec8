"""Referral service wiring: the one place its parts are put together."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from contracts.codec import Decoder
from contracts.internal import RESOLVED_EVENT_TYPES, resolved_custom_model
from contracts.journey import JOURNEY_ACTION_TYPES
from contracts.scoring import SCORING_CHANGE_TYPES
from contracts.topology import REFERRAL
from runtime.clock import Clock, utc_now
from runtime.context import install_context
from runtime.export_sections import export_router
from runtime.http import create_service_app
from runtime.quotas import quota_router
from runtime.service import ServiceRuntime
from runtime.subscriptions import consumers_of
from services.referral.api import quota_usages, router
from services.referral.handlers import JourneyActionsHandler, LifecycleHandler, ResolvedHandler, SegmentsHandler
from services.referral.personal_data import SECTIONS
from services.referral.service import ReferralContext
from services.referral.settings import ReferralServiceSettings

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: ReferralServiceSettings, clock: Clock | None = None) -> FastAPI:
    """`clock` stamps codes, reviews and event times (tests pass a fixed one); rules use event times."""
    runtime = ServiceRuntime(
        "referral",
        settings,
        MIGRATIONS,
        consumers=lambda _: consumers_of(
            REFERRAL,
            resolved=ResolvedHandler(context, Decoder(RESOLVED_EVENT_TYPES, resolved_custom_model)),
            journey_actions=JourneyActionsHandler(context, Decoder(JOURNEY_ACTION_TYPES)),
            scoring_changes=SegmentsHandler(context, Decoder(SCORING_CHANGE_TYPES)),
            lifecycle=LifecycleHandler(context),
        ),
    )
    context = ReferralContext(runtime, clock or utc_now)
    app = create_service_app(
        runtime,
        title="Flywheel referral (internal)",
        description="Referral programs as data: codes, first-touch attribution, rewards with fraud checks, numbers.",
        routers=[router, quota_router("referral", quota_usages), export_router("referral", SECTIONS)],
    )
    install_context(app, context)
    return app
