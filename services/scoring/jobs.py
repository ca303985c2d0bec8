"""Scoring's scheduled work: refit each workspace's models, and the sweep that notices time passing
(customers falling dormant, time windows of segments, scores of a new day).

Both go one workspace at a time, each in its own transaction: a workspace whose round fails is logged,
counted (flywheel_scoring_job_failures_total) and skipped, and the others are done all the same. What a
workspace's own definitions cost (its segments) is bounded by its budget of database time, as on the
event path (segment_eval.py)."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from dataclasses import dataclass
from typing import Any

from prometheus_client import Counter, Histogram

from contracts.scoring import CustomerDormantData
from runtime.db import Connection
from runtime.unit_of_work import Work
from services.scoring import score_store, segment_store
from services.scoring.domain.scoring import Inputs, Refit, refit
from services.scoring.events import ScoreChanges
from services.scoring.service import Rescoring, ScoringContext, model_of

log = logging.getLogger(__name__)

REFIT_SECONDS = Histogram(
    "flywheel_scoring_refit_seconds",
    "Refit of one workspace: loading inputs, fitting, and re-scoring every customer.",
    buckets=(0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300),
)
REFITS = Counter(
    "flywheel_scoring_refits_total",
    "Refits by outcome: fitted, kept (too little history or no convergence: earlier parameters kept), failed.",
    ["outcome"],
)
DORMANT = Counter("flywheel_scoring_dormant_total", "Customers found dormant by the sweep (customer.dormant).")
JOB_FAILURES = Counter(
    "flywheel_scoring_job_failures",
    "Workspaces whose round of a job (refit, sweep) failed; they were skipped and the others done.",
    ["job"],
)


@dataclass(frozen=True)
class RefitReport:
    workspace: str
    customers: int
    converged: bool
    note: str | None
    seconds: float


class ScoringJobs:
    def __init__(self, context: ScoringContext) -> None:
        self.context = context

    async def refit_due(self) -> None:
        """Refit every workspace due; one that fails is logged and counted by `refit` and tried again later."""
        async with self.context.pool.acquire() as conn:
            due = await score_store.workspaces_due_for_refit(conn, self.context.refit_interval)
        for workspace in due:
            try:
                await self.refit(workspace)
            except Exception:
                JOB_FAILURES.labels("refit").inc()

    async def refit(self, workspace: str) -> RefitReport:
        """Fit the workspace's models, keep them, and re-score every customer with them (one transaction)."""
        started = time.perf_counter()
        context = self.context
        now = context.now()
        try:
            async with context.pool.acquire() as conn:
                rows = await score_store.load_inputs(conn, workspace, None, now.date())
                previous = model_of(await score_store.load_model(conn, workspace))
            # Fitting is CPU work of seconds for large workspaces: off the event loop, so consumers go on.
            outcome = await asyncio.to_thread(refit, Inputs.from_rows(rows), previous)
            async with context.unit_of_work() as work:
                await _save_model(work, workspace, outcome, time.perf_counter() - started)
                changes = ScoreChanges(workspace, now)
                await Rescoring(work.conn, changes, now, context.budget_ms).customers(None, outcome.model)
                work.publish_all(changes.messages)
        except Exception as exc:
            REFITS.labels("failed").inc()
            log.exception("refit failed; the workspace's earlier model is kept", extra={"workspace": workspace})
            async with context.pool.acquire() as conn:
                error = f"refit failed: {type(exc).__name__}: {exc}"
                await score_store.record_refit_failure(conn, workspace, error, context.refit_interval)
            raise
        seconds = time.perf_counter() - started
        REFIT_SECONDS.observe(seconds)
        REFITS.labels("fitted" if outcome.converged else "kept").inc()
        report = RefitReport(workspace, outcome.customers, outcome.converged, outcome.note, seconds)
        (log.info if outcome.converged else log.warning)(
            "refitted workspace",
            extra={"workspace": workspace, "customers": outcome.customers, "note": outcome.note, "seconds": seconds},
        )
        return report

    async def sweep(self) -> None:
        """Per workspace, one transaction: dormancy, a new day's scores, segments' time windows. A workspace
        whose round fails is rolled back, logged, counted and skipped; the next sweep tries it again."""
        async with self.context.pool.acquire() as conn:
            workspaces = await score_store.all_workspaces(conn)
        for workspace in workspaces:
            try:
                await self._sweep_workspace(workspace)
            except Exception:
                JOB_FAILURES.labels("sweep").inc()
                log.exception(
                    "sweep of a workspace failed; skipped until the next sweep", extra={"workspace": workspace}
                )

    async def _sweep_workspace(self, workspace: str) -> None:
        context = self.context
        now = context.now()
        async with context.unit_of_work() as work:
            conn = work.conn
            changes = ScoreChanges(workspace, now)
            await self._find_dormant(conn, changes, now)
            rescoring = Rescoring(conn, changes, now, context.budget_ms)
            if await score_store.scored_before(conn, workspace, now.date()):
                await rescoring.customers(None)
            else:
                await rescoring.segments(None)
            # Sizes are kept by each change (segment_store.record_size_changes); the sweep recounts them exactly.
            await segment_store.recount_sizes(conn, workspace, now.astimezone(dt.UTC).date())
            work.publish_all(changes.messages)

    @staticmethod
    async def _find_dormant(conn: Connection, changes: ScoreChanges, now: dt.datetime) -> None:
        rows = await score_store.mark_dormant(conn, changes.workspace, now)
        DORMANT.inc(len(rows))
        for r in rows:
            data = CustomerDormantData(
                customer_id=r.customer_id,
                last_purchase_at=r.last_purchase_at,
                days_since_last_purchase=max((now - r.last_purchase_at).days, 0),
                threshold_days=r.threshold_days,
                rule=r.rule,
            )
            changes.dormant(data, r.dormant_since)


async def _save_model(work: Work, workspace: str, outcome: Refit, seconds: float) -> None:
    model = outcome.model
    bgnbd: dict[str, Any] = dict(model.bgnbd.as_dict())
    if model.bgnbd_log_covariance is not None:  # kept beside the parameters: intervals are drawn from it
        bgnbd["log_covariance"] = [list(row) for row in model.bgnbd_log_covariance]
    fitted = (bgnbd, model.gamma_gamma.as_dict()) if model.fitted else (None, None)
    await score_store.save_model(
        work.conn,
        workspace,
        (*fitted, model.rfm.as_dict()),
        outcome.customers,
        outcome.log_likelihood,
        outcome.converged,
        seconds,
        outcome.note,
    )
