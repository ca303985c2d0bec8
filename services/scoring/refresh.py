"""Re-score customers and bring their segment memberships up to date, returning the change events.

One path for one customer after an event, for a whole workspace after a refit, and for the periodic
sweep: score, save, compare with what was there, publish what changed.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

import asyncpg
import numpy as np
from pydantic import BaseModel

from contracts.envelope import CONTENT_TYPE, Envelope
from contracts.scoring import (
    ChurnRiskChanged,
    ChurnRiskChangedData,
    CustomerDormant,
    CustomerDormantData,
    CustomerReactivated,
    CustomerReactivatedData,
    RfmSegmentChanged,
    RfmSegmentChangedData,
    SegmentEntered,
    SegmentExited,
    SegmentMembershipData,
)
from contracts.topics import SCORING_CHANGES
from runtime.db import Connection
from runtime.outbox import OutboundMessage
from runtime.telemetry import inject_headers
from services.scoring import segment_store, store
from services.scoring.domain import bgnbd, churn, gamma_gamma, rfm
from services.scoring.domain.scoring import Inputs, Model, Scores, score

SOURCE = "flywheel.scoring"
Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def load_model(conn: Connection, workspace: str) -> Model:
    row = await store.load_model(conn, workspace)
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
    workspace: str,
    customer_ids: Sequence[str] | None,
    now: dt.datetime,
    model: Model | None = None,
) -> list[OutboundMessage]:
    """Re-score these customers (None: all of the workspace) as of `now`'s UTC day."""
    as_of = now.astimezone(dt.UTC).date()
    rows = await store.load_inputs(conn, workspace, customer_ids, as_of)
    if not rows:
        return []
    model = model or await load_model(conn, workspace)
    scores = score(Inputs.from_rows(rows), model)
    ids = [r["customer_id"] for r in rows]
    await store.save_scores(conn, workspace, as_of, ids, score_columns(rows, scores))
    messages = score_changes(workspace, rows, scores, now)
    messages += await refresh_segments(conn, workspace, ids if customer_ids is not None else None, now)
    return messages


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


def score_changes(
    workspace: str, rows: Sequence[asyncpg.Record], scores: Scores, now: dt.datetime
) -> list[OutboundMessage]:
    """A changed RFM segment (a first one too: a first purchase makes a customer New) and a changed churn
    band (a first band only when it is not low: every new customer starts low, that is no news)."""
    messages = []
    for i, row in enumerate(rows):
        customer_id = row["customer_id"]
        segment = scores.rfm_segment[i]
        if segment != row["rfm_segment"]:
            r, f, m = (int(s[i]) or None for s in (scores.r, scores.f, scores.m))
            data = RfmSegmentChangedData(
                customer_id=customer_id, previous=row["rfm_segment"], current=segment, r=r, f=f, m=m
            )
            messages.append(change(RfmSegmentChanged, workspace, customer_id, data, now))
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
            churn_data = ChurnRiskChangedData(
                customer_id=customer_id, previous=row["churn_risk"], current=band, p_alive=p_alive, reasons=reasons
            )
            messages.append(change(ChurnRiskChanged, workspace, customer_id, churn_data, now))
    return messages


def _float(value: Any) -> float:
    return math.nan if value is None else float(value)


async def refresh_segments(
    conn: Connection, workspace: str, customer_ids: Sequence[str] | None, now: dt.datetime
) -> list[OutboundMessage]:
    """Bring memberships of these customers (None: all) in line with every segment's condition."""
    segments = await segment_store.load_segments(conn, workspace)
    if not segments:
        return []
    matched = await segment_store.evaluate(conn, workspace, segments, customer_ids, now)
    current = await segment_store.memberships(conn, workspace, customer_ids)
    entered = sorted(matched - current)
    exited = sorted(current - matched)
    await segment_store.add_members(conn, workspace, entered, now)
    await segment_store.remove_members(conn, workspace, exited)
    names = {s.segment_id: s.name for s in segments}
    return [
        *(membership_change(SegmentEntered, workspace, c, s, names[s], now) for s, c in entered),
        *(membership_change(SegmentExited, workspace, c, s, names[s], now) for s, c in exited),
    ]


def membership_change(
    model: type[SegmentEntered] | type[SegmentExited],
    workspace: str,
    customer_id: str,
    segment_id: str,
    segment_name: str,
    now: dt.datetime,
) -> OutboundMessage:
    data = SegmentMembershipData(customer_id=customer_id, segment_id=segment_id, segment_name=segment_name)
    return change(model, workspace, customer_id, data, now)


def dormant(
    workspace: str, customer_id: str, data: CustomerDormantData, dormant_since: dt.datetime, now: dt.datetime
) -> OutboundMessage:
    # Derived from the spell, so the same spell can never be announced twice under two ids.
    event_id = f"customer.dormant:{customer_id}:{dormant_since.astimezone(dt.UTC).isoformat()}"
    return change(CustomerDormant, workspace, customer_id, data, now, event_id=event_id)


def reactivated(
    workspace: str, customer_id: str, dormant_since: dt.datetime, purchased_at: dt.datetime, now: dt.datetime
) -> OutboundMessage:
    data = CustomerReactivatedData(customer_id=customer_id, dormant_since=dormant_since, purchased_at=purchased_at)
    event_id = f"customer.reactivated:{customer_id}:{dormant_since.astimezone(dt.UTC).isoformat()}"
    return change(CustomerReactivated, workspace, customer_id, data, now, event_id=event_id)


def change(
    model: type[Envelope],
    workspace: str,
    customer_id: str,
    data: BaseModel,
    now: dt.datetime,
    event_id: str | None = None,
) -> OutboundMessage:
    event_type = model.model_fields["type"].annotation.__args__[0]  # type: ignore[union-attr]
    event = model(
        specversion="1.0",
        id=event_id or f"{event_type}:{uuid.uuid4().hex}",
        source=SOURCE,
        type=event_type,
        time=now,
        workspace=workspace,
        data=data,
    )
    return OutboundMessage(
        topic=SCORING_CHANGES,
        key=f"{workspace}:{customer_id}".encode(),
        value=event.model_dump_json(exclude_none=True).encode(),
        headers=inject_headers([("content-type", CONTENT_TYPE.encode())]),
    )
