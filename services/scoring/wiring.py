"""Scoring service wiring: the one place its parts are put together."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
from pathlib import Path

from fastapi import FastAPI

from contracts.topology import SCORING
from runtime.clock import Clock, utc_now
from runtime.context import PoolRuntime, install_context
from runtime.db import create_pool, migrate
from runtime.export_sections import export_router
from runtime.http import create_service_app
from runtime.quotas import quota_router
from runtime.service import PeriodicJob, ServiceRuntime
from runtime.subscriptions import consumers_of
from services.scoring import api_report_figures, score_store
from services.scoring.api import quota_usages, router
from services.scoring.api_segment_reports import router as segment_reports_router
from services.scoring.handlers import LifecycleHandler, LoyaltyHandler, ResolvedHandler
from services.scoring.jobs import ScoringJobs
from services.scoring.personal_data import SECTIONS
from services.scoring.service import ScoringContext
from services.scoring.settings import ScoringServiceSettings

MIGRATIONS = Path(__file__).parent / "migrations"
REFIT_CHECK_S = 600.0  # how often to look for workspaces due for a refit


def create_app(settings: ScoringServiceSettings, clock: Clock = utc_now) -> FastAPI:
    def scheduled(_: ServiceRuntime) -> list[PeriodicJob]:
        jobs = ScoringJobs(context)
        return [
            PeriodicJob("refit", REFIT_CHECK_S, jobs.refit_due),
            PeriodicJob("sweep", settings.scoring_sweep_interval_s, jobs.sweep),
        ]

    runtime = ServiceRuntime(
        "scoring",
        settings,
        MIGRATIONS,
        consumers=lambda _: consumers_of(
            SCORING,
            resolved=ResolvedHandler(context),
            lifecycle=LifecycleHandler(context),
            loyalty_events=LoyaltyHandler(context),
        ),
        jobs=scheduled,
    )
    context = ScoringContext(runtime, clock)
    app = create_service_app(
        runtime,
        title="Flywheel scoring (internal)",
        description="RFM, predicted LTV (BG/NBD + Gamma-Gamma), churn risk, dormancy and dynamic segments.",
        routers=[
            router,
            segment_reports_router,
            api_report_figures.router,
            quota_router("scoring", quota_usages),
            export_router("scoring", SECTIONS),
        ],
    )
    install_context(app, context)
    return app


def refit_command(settings: ScoringServiceSettings, args: list[str]) -> int:
    """`python -m services.scoring refit [--workspace W]`: refit now (all workspaces by default).
    Change events land in the outbox (a PoolRuntime has no relay); the running service's relay publishes them."""
    parser = argparse.ArgumentParser(prog="python -m services.scoring refit")
    parser.add_argument("--workspace", action="append", help="only this workspace (repeatable)")
    options = parser.parse_args(args)

    async def run() -> int:
        await migrate(settings.database_url, "scoring", MIGRATIONS)
        pool = await create_pool(settings)
        try:
            jobs = ScoringJobs(ScoringContext(PoolRuntime(pool, settings), utc_now))
            async with pool.acquire() as conn:
                workspaces = options.workspace or await score_store.all_workspaces(conn)
            for workspace in workspaces:
                report = await jobs.refit(workspace)
                print(json.dumps(dataclasses.asdict(report)))
        finally:
            await pool.close()
        return 0

    return asyncio.run(run())
