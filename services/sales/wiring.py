"""Sales service wiring: the one place its parts are put together."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from contracts.codec import Decoder
from contracts.internal import RESOLVED_EVENT_TYPES, resolved_custom_model
from contracts.journey import JOURNEY_ACTION_TYPES
from contracts.scoring import SCORING_CHANGE_TYPES
from contracts.topology import SALES
from runtime.clock import Clock, OffsetClock, clock_router, utc_now
from runtime.context import install_context
from runtime.export_sections import export_router
from runtime.http import create_service_app
from runtime.quotas import quota_router
from runtime.service import PeriodicJob, ServiceRuntime
from runtime.subscriptions import consumers_of
from services.sales.api import routers
from services.sales.api_deals import quota_usages
from services.sales.handlers import JourneyActionsHandler, LifecycleHandler, SignalsHandler
from services.sales.jobs import SalesJobs
from services.sales.personal_data import SECTIONS
from services.sales.service import SalesContext
from services.sales.settings import SalesServiceSettings

MIGRATIONS = Path(__file__).parent / "migrations"
SIGNAL_TYPES = {**RESOLVED_EVENT_TYPES, **SCORING_CHANGE_TYPES}


def create_app(settings: SalesServiceSettings, clock: Clock | None = None) -> FastAPI:
    """`clock` lets tests move time (reminders of tasks due in days)."""
    extra = []
    if clock is None and settings.clock_control:
        clock = OffsetClock()
        extra.append(clock_router(clock))
    clock = clock or utc_now

    def scheduled(runtime: ServiceRuntime) -> list[PeriodicJob]:
        jobs = SalesJobs(context)
        return [PeriodicJob("reminders", settings.sales_tick_s, jobs.remind)]

    runtime = ServiceRuntime(
        "sales",
        settings,
        MIGRATIONS,
        consumers=lambda _: consumers_of(
            SALES,
            journey_actions=JourneyActionsHandler(context, Decoder(JOURNEY_ACTION_TYPES)),
            signals=SignalsHandler(context, Decoder(SIGNAL_TYPES, resolved_custom_model)),
            lifecycle=LifecycleHandler(context),
        ),
        jobs=scheduled,
    )
    context = SalesContext(runtime, clock)
    app = create_service_app(
        runtime,
        title="Flywheel sales (internal)",
        description="Pipelines as data, deals, SOP and journey tasks with reminders, quotes with approval, "
        "lead scores, cross-sell suggestions and pipeline analytics.",
        routers=[*routers, quota_router("sales", quota_usages), export_router("sales", SECTIONS), *extra],
    )
    install_context(app, context)
    return app
