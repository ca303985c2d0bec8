"""Scoring's SQL for what its API shows: one customer's scores with their segments (the gateway reads it for
every 360 view), and the workspace's distribution with its model (reports). Typed values out: the API turns
them into its answers."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from contracts.http.scoring import CustomerSegment, FittedModel, LtvTotals, ScoringDistribution
from contracts.scoring import ChurnRisk, RfmSegment
from runtime.db import Connection
from services.scoring.score_store import StoredModel, load_model


@dataclass(frozen=True)
class ScoredCustomer:
    """A scored customer's standing as stored: scores, the inputs churn reasons are read from, and segments."""

    customer_id: str
    r: int | None
    f: int | None
    m: int | None
    rfm_segment: RfmSegment | None
    recency_days: int | None
    historical_ltv: Decimal
    predicted_clv: Decimal | None
    expected_purchases_90d: float | None
    ltv_basis: str | None
    clv_p10: Decimal | None
    clv_p90: Decimal | None
    expected_purchases_12m: float | None
    expected_purchases_12m_p10: float | None
    expected_purchases_12m_p90: float | None
    p_alive: float | None
    churn_risk: ChurnRisk | None
    churn_flags: int
    usual_gap_days: float | None
    visits_30d: int | None
    visits_prior_90d: int | None
    open_tickets: int
    last_nps: int | None
    last_csat: int | None
    dormant_since: dt.datetime | None
    scored_at: dt.datetime
    segments: list[CustomerSegment]


_SCORED_COLUMNS = [name for name in ScoredCustomer.__dataclass_fields__ if name != "segments"]


async def customer_scores(conn: Connection, workspace: str, customer_id: str) -> ScoredCustomer | None:
    """A scored customer (following a merge to its survivor) with their segments, in one round trip: the
    gateway reads this for every 360 view."""
    row = await conn.fetchrow(
        f"""SELECT {", ".join(f"c.{name}" for name in _SCORED_COLUMNS)},
                  (SELECT coalesce(jsonb_agg(jsonb_build_object('segment_id', s.segment_id, 'name', s.name,
                                                                'entered_at', m.entered_at) ORDER BY s.name),
                                   '[]'::jsonb)
                     FROM segment_members m JOIN segments s USING (workspace, segment_id)
                    WHERE m.workspace = c.workspace AND m.customer_id = c.customer_id) AS segment_list
             FROM customers c
            WHERE c.workspace = $1 AND c.scored_at IS NOT NULL
              AND c.customer_id = coalesce((SELECT survivor_id FROM flywheel_merged_customers
                                             WHERE workspace = $1 AND merged_id = $2), $2)""",  # noqa: S608 (constant columns)
        workspace,
        customer_id,
    )
    if row is None:
        return None
    segments = [CustomerSegment.model_validate(segment) for segment in row["segment_list"]]
    return ScoredCustomer(**{name: row[name] for name in _SCORED_COLUMNS}, segments=segments)


async def distribution(conn: Connection, workspace: str) -> ScoringDistribution:
    """The workspace's customers by RFM segment, churn band and activity, and LTV averages (for reports)."""
    row = await conn.fetchrow(
        """SELECT count(*) AS customers,
                  count(*) FILTER (WHERE purchase_days > 0) AS purchasers,
                  count(*) FILTER (WHERE purchase_days > 0 AND dormant_since IS NULL) AS active,
                  count(*) FILTER (WHERE dormant_since IS NOT NULL) AS dormant,
                  count(*) FILTER (WHERE purchase_days > 1) AS repeat_purchasers,
                  coalesce(sum(orders), 0) AS orders,
                  coalesce(avg(historical_ltv) FILTER (WHERE purchase_days > 0), 0) AS historical_ltv_avg,
                  coalesce(sum(historical_ltv), 0) AS historical_ltv_total,
                  coalesce(avg(predicted_clv) FILTER (WHERE purchase_days > 0), 0) AS predicted_ltv_avg,
                  coalesce(sum(predicted_clv), 0) AS predicted_ltv_total,
                  max(scored_at) AS as_of
             FROM customers WHERE workspace = $1""",
        workspace,
    )
    assert row is not None
    by_segment = await conn.fetch(
        """SELECT rfm_segment, count(*) AS n FROM customers
            WHERE workspace = $1 AND rfm_segment IS NOT NULL GROUP BY rfm_segment ORDER BY rfm_segment""",
        workspace,
    )
    by_risk = await conn.fetch(
        """SELECT churn_risk, count(*) AS n FROM customers
            WHERE workspace = $1 AND churn_risk IS NOT NULL GROUP BY churn_risk""",
        workspace,
    )
    return ScoringDistribution(
        **{name: row[name] for name in ("customers", "purchasers", "active", "dormant", "repeat_purchasers", "orders")},
        ltv=LtvTotals(
            historical_avg=round(row["historical_ltv_avg"], 2),
            historical_total=row["historical_ltv_total"],
            predicted_12m_avg=round(row["predicted_ltv_avg"], 2),
            predicted_12m_total=row["predicted_ltv_total"],
        ),
        rfm_segments={r["rfm_segment"]: r["n"] for r in by_segment},
        churn_risk={"low": 0, "medium": 0, "high": 0} | {r["churn_risk"]: r["n"] for r in by_risk},
        as_of=row["as_of"],
        model=fitted_model(await load_model(conn, workspace)),
    )


def fitted_model(model: StoredModel | None) -> FittedModel | None:
    """A workspace's model as the API shows it: parameters and the last fit, the last failure's error as `note`."""
    if model is None:
        return None
    summary = dataclasses.asdict(model)
    summary["note"] = summary.pop("last_error")
    return FittedModel.model_validate(summary)
