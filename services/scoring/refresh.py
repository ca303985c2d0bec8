"""Re-score customers and bring their segment memberships up to date, recording what changed.

One path for one customer after an event, for a whole workspace after a refit, and for the periodic
sweep: score, save, compare with what was there, publish what changed. Segments are evaluated within the
workspace's budget of database time (`budget_ms`, FLYWHEEL_STATEMENT_TIMEOUT_MS; see segment_eval.py).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import asyncpg
import numpy as np

from runtime.db import Connection
from services.scoring import score_store, segment_eval, segment_store
from services.scoring.changes import Changes
from services.scoring.domain import bgnbd, churn, gamma_gamma, rfm
from services.scoring.domain.scoring import Inputs, Model, Scores, score


async def load_model(conn: Connection, workspace: str) -> Model:
    row = await score_store.load_model(conn, workspace)
    return model_of(row)


def model_of(row: asyncpg.Record | None) -> Model:
    default = Model.default()
    if row is None:
        return default
    return Model(
        bgnbd=bgnbd.BgNbdParams.from_dict(row["bgnbd"]) if row["bgnbd"] else default.bgnbd,
        gamma_gamma=gamma_gamma.GammaGammaParams.from_dict(row["gamma_gamma"])
        if row["gamma_gamma"]
        else default.gamma_gamma,
        rfm=rfm.RfmBoundaries.from_dict(row["rfm_boundaries"]) if row["rfm_boundaries"] else default.rfm,
        fitted=row["bgnbd"] is not None,
    )


async def refresh(
    conn: Connection,
    changes: Changes,
    customer_ids: Sequence[str] | None,
    now: dt.datetime,
    budget_ms: int,
    model: Model | None = None,
) -> None:
    """Re-score these customers (None: all of the workspace) as of `now`'s UTC day; what changed goes
    to `changes`."""
    workspace = changes.workspace
    as_of = now.astimezone(dt.UTC).date()
    rows = await score_store.load_inputs(conn, workspace, customer_ids, as_of)
    if not rows:
        return
    model = model or await load_model(conn, workspace)
    scores = score(Inputs.from_rows(rows), model)
    ids = [r["customer_id"] for r in rows]
    await score_store.save_scores(conn, workspace, as_of, ids, score_columns(rows, scores))
    score_changes(changes, rows, scores)
    await refresh_segments(conn, changes, ids if customer_ids is not None else None, now, budget_ms)


def score_columns(rows: Sequence[asyncpg.Record], scores: Scores) -> dict[str, list[Any]]:
    def nullable(values: np.ndarray[Any, Any]) -> list[Any]:
        return [None if v is None or (isinstance(v, float) and math.isnan(v)) else v for v in values.tolist()]

    def score_or_null(values: np.ndarray[Any, Any]) -> list[int | None]:
        return [v or None for v in values.tolist()]

    return {
        "recency_days": [r["recency_days"] for r in rows],
        "usual_gap_days": nullable(scores.usual_gap_days),
        "visits_30d": [r["visits_30d"] for r in rows],
        "visits_prior_90d": [r["visits_prior_90d"] for r in rows],
        "r": score_or_null(scores.r),
        "f": score_or_null(scores.f),
        "m": score_or_null(scores.m),
        "rfm_segment": scores.rfm_segment.tolist(),
        "p_alive": nullable(scores.p_alive),
        "expected_purchases_90d": nullable(scores.expected_purchases_90d),
        "predicted_clv": [Decimal(f"{v:.2f}") for v in scores.predicted_clv.tolist()],
        "ltv_basis": scores.ltv_basis.tolist(),
        "churn_risk": scores.churn_risk.tolist(),
        "churn_flags": scores.churn_flags.tolist(),
    }


def score_changes(changes: Changes, rows: Sequence[asyncpg.Record], scores: Scores) -> None:
    """A changed RFM segment (a first one too: a first purchase makes a customer New) and a changed churn
    band (a first band only when it is not low: every new customer starts low, that is no news)."""
    for i, row in enumerate(rows):
        customer_id = row["customer_id"]
        segment = scores.rfm_segment[i]
        if segment != row["rfm_segment"]:
            r, f, m = (int(s[i]) or None for s in (scores.r, scores.f, scores.m))
            changes.rfm_segment(customer_id, row["rfm_segment"], segment, (r, f, m))
        band = scores.churn_risk[i]
        if band != row["churn_risk"] and (row["churn_risk"] is not None or band != "low"):
            p_alive = None if math.isnan(scores.p_alive[i]) else float(scores.p_alive[i])
            reasons = churn.reasons(
                int(scores.churn_flags[i]),
                recency_days=_float(row["recency_days"]),
                usual_gap_days=float(scores.usual_gap_days[i]),
                p_alive=math.nan if p_alive is None else p_alive,
                visits_30d=row["visits_30d"],
                visits_prior_90d=row["visits_prior_90d"],
                open_tickets=row["open_tickets"],
                last_nps=_float(row["last_nps"]),
                last_csat=_float(row["last_csat"]),
            )
            changes.churn_risk(customer_id, row["churn_risk"], band, p_alive, reasons)


def _float(value: Any) -> float:
    return math.nan if value is None else float(value)


async def refresh_segments(
    conn: Connection,
    changes: Changes,
    customer_ids: Sequence[str] | None,
    now: dt.datetime,
    budget_ms: int,
    only: str | None = None,
) -> None:
    """Bring memberships of these customers (None: all) in line with every active segment's condition (or only
    that of segment `only`), page by page within `budget_ms` a page; a segment that runs past it is marked
    failing, and its memberships stay as they were."""
    workspace = changes.workspace
    segments = await segment_store.load_segments(conn, workspace, active_only=True)
    active = segment_eval.active_segments([s for s in segments if only is None or s.segment_id == only])
    names = {s.segment_id: s.name for s in segments}
    if not active:
        return
    async for page in segment_eval.customer_pages(conn, workspace, customer_ids):
        result = await segment_eval.evaluate_page(conn, workspace, active, page, now, budget_ms)
        if result.failures:
            await segment_eval.record_failures(conn, workspace, result.failures, now)
            failed = {f.segment_id for f in result.failures}
            active = [item for item in active if item.segment_id not in failed]
            if not active:
                return
        evaluated = [item.segment_id for item in active]
        current = await segment_store.memberships(conn, workspace, page, evaluated)
        entered = sorted(result.matched - current)
        exited = sorted(current - result.matched)
        await segment_store.add_members(conn, workspace, entered, now)
        await segment_store.remove_members(conn, workspace, exited)
        for segment_id, customer_id in entered:
            changes.segment(True, customer_id, segment_id, names[segment_id])
        for segment_id, customer_id in exited:
            changes.segment(False, customer_id, segment_id, names[segment_id])
