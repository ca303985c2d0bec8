"""Scoring's SQL for scores: the model inputs of many customers, their scores, each workspace's model,
dormancy, and the customers matching score filters. Set-based: one statement per batch or per workspace.
(What the API shows of them, a customer's scores and the workspace's distribution, is view_store.py's.)"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from contracts.scoring import ChurnRisk, RfmSegment
from runtime.db import Connection

# One row per customer: the model inputs in whole UTC days as of `$3` (a date), and the current scores.
INPUTS_SQL = """
SELECT c.customer_id, c.purchase_days, c.revenue - c.refunded AS net_revenue, c.repeat_revenue,
       ((c.last_purchase_at AT TIME ZONE 'UTC')::date - (c.first_purchase_at AT TIME ZONE 'UTC')::date) AS t_x_days,
       ($3::date - (c.first_purchase_at AT TIME ZONE 'UTC')::date) AS t_cal_days,
       ($3::date - (c.last_purchase_at AT TIME ZONE 'UTC')::date) AS recency_days,
       c.open_tickets, c.last_nps, c.last_csat,
       coalesce(v.recent, 0)::int AS visits_30d, coalesce(v.prior, 0)::int AS visits_prior_90d,
       c.rfm_segment, c.churn_risk, c.dormant_since, c.announced_p_alive, c.announced_clv
  FROM customers c
  LEFT JOIN (SELECT customer_id,
                    sum(visits) FILTER (WHERE day > $3::date - 30) AS recent,
                    sum(visits) FILTER (WHERE day <= $3::date - 30) AS prior
               FROM visit_days
              WHERE workspace = $1 AND day > $3::date - 120 AND day <= $3::date
                AND ($2::text[] IS NULL OR customer_id = ANY($2::text[]))
              GROUP BY customer_id) v USING (customer_id)
 WHERE c.workspace = $1 AND ($2::text[] IS NULL OR c.customer_id = ANY($2::text[]))
"""


@dataclass(frozen=True, slots=True)
class InputRow:
    """One customer's model inputs (whole UTC days as of a date) and current standing. It also reads as a
    mapping (`row["recency_days"]`), which is what the domain's Inputs.from_rows takes."""

    customer_id: str
    purchase_days: int
    net_revenue: Decimal
    repeat_revenue: Decimal
    t_x_days: int | None
    t_cal_days: int | None
    recency_days: int | None
    open_tickets: int
    last_nps: int | None
    last_csat: int | None
    visits_30d: int
    visits_prior_90d: int
    rfm_segment: RfmSegment | None
    churn_risk: ChurnRisk | None
    dormant_since: dt.datetime | None
    announced_p_alive: float | None = None  # as last announced (scores.changed); None: never
    announced_clv: Decimal | None = None

    def __getitem__(self, column: str) -> Any:
        return getattr(self, column)


async def load_inputs(
    conn: Connection, workspace: str, customer_ids: Sequence[str] | None, as_of: dt.date
) -> list[InputRow]:
    rows = await conn.fetch(INPUTS_SQL, workspace, None if customer_ids is None else list(customer_ids), as_of)
    return [InputRow(**row) for row in rows]


SCORE_COLUMNS = (
    ("recency_days", "int4"),
    ("usual_gap_days", "float8"),
    ("visits_30d", "int4"),
    ("visits_prior_90d", "int4"),
    ("r", "int2"),
    ("f", "int2"),
    ("m", "int2"),
    ("rfm_segment", "text"),
    ("p_alive", "float8"),
    ("expected_purchases_90d", "float8"),
    ("predicted_clv", "numeric"),
    ("ltv_basis", "text"),
    ("expected_purchases_12m", "float8"),
    ("expected_purchases_12m_p10", "float8"),
    ("expected_purchases_12m_p90", "float8"),
    ("clv_p10", "numeric"),
    ("clv_p90", "numeric"),
    ("churn_risk", "text"),
    ("churn_flags", "int4"),
    ("announced_p_alive", "float8"),
    ("announced_clv", "numeric"),
)
_SCORE_UPDATE = f"""
UPDATE customers c SET as_of = $2, scored_at = now(), {", ".join(f"{n} = s.{n}" for n, _ in SCORE_COLUMNS)}
  FROM unnest($3::text[], {", ".join(f"${i + 4}::{t}[]" for i, (_, t) in enumerate(SCORE_COLUMNS))})
       AS s(customer_id, {", ".join(n for n, _ in SCORE_COLUMNS)})
 WHERE c.workspace = $1 AND c.customer_id = s.customer_id
"""  # noqa: S608 (column names are constants)


async def save_scores(
    conn: Connection, workspace: str, as_of: dt.date, customer_ids: Sequence[str], columns: Mapping[str, list[Any]]
) -> None:
    await conn.execute(_SCORE_UPDATE, workspace, as_of, list(customer_ids), *(columns[n] for n, _ in SCORE_COLUMNS))


@dataclass(frozen=True)
class StoredModel:
    """A workspace's fitted parameters (None before a fit) and the record of its last fit."""

    bgnbd: dict[str, Any] | None
    gamma_gamma: dict[str, Any] | None
    rfm_boundaries: dict[str, Any] | None
    customers: int | None
    log_likelihood: float | None
    fitted_at: dt.datetime | None
    fit_seconds: float | None
    last_attempt_at: dt.datetime | None
    last_error: str | None


async def load_model(conn: Connection, workspace: str) -> StoredModel | None:
    row = await conn.fetchrow("SELECT * FROM workspace_models WHERE workspace = $1", workspace)
    return StoredModel(**{name: row[name] for name in StoredModel.__dataclass_fields__}) if row else None


async def save_model(
    conn: Connection,
    workspace: str,
    parameters: tuple[dict[str, Any] | None, dict[str, Any] | None, dict[str, Any]],
    customers: int,
    log_likelihood: float | None,
    converged: bool,
    seconds: float,
    note: str | None,
) -> None:
    """Keep a refit's outcome: `parameters` are BG/NBD, Gamma-Gamma (None when not fitted) and the RFM
    boundaries; a fit that did not converge keeps the earlier log likelihood and fit time."""
    bgnbd, gamma_gamma, rfm_boundaries = parameters
    await conn.execute(
        """INSERT INTO workspace_models AS w (workspace, bgnbd, gamma_gamma, rfm_boundaries, customers,
                  log_likelihood, fitted_at, fit_seconds, last_attempt_at, last_error)
           VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $7 THEN now() END, $8, now(), $9)
           ON CONFLICT (workspace) DO UPDATE SET
               bgnbd = excluded.bgnbd, gamma_gamma = excluded.gamma_gamma, rfm_boundaries = excluded.rfm_boundaries,
               customers = excluded.customers,
               log_likelihood = coalesce(excluded.log_likelihood, w.log_likelihood),
               fitted_at = coalesce(excluded.fitted_at, w.fitted_at), fit_seconds = excluded.fit_seconds,
               last_attempt_at = excluded.last_attempt_at, last_error = excluded.last_error""",
        workspace,
        bgnbd,
        gamma_gamma,
        rfm_boundaries,
        customers,
        log_likelihood,
        converged,
        seconds,
        note,
    )


async def record_refit_failure(conn: Connection, workspace: str, error: str, interval: dt.timedelta) -> None:
    """A failed refit is tried again in an hour (not a whole interval later): e.g. a deadlock with consumers
    is transient."""
    await conn.execute(
        """UPDATE workspace_models
              SET last_attempt_at = now() - $3::interval + interval '1 hour', last_error = $2
            WHERE workspace = $1""",
        workspace,
        error,
        interval,
    )


@dataclass(frozen=True)
class DormancyThresholds:
    """A workspace's dormancy settings as stored."""

    dormancy_gap_multiple: float
    dormancy_min_days: int
    dormancy_fixed_days: int


async def get_dormancy_thresholds(conn: Connection, workspace: str) -> DormancyThresholds | None:
    row = await conn.fetchrow("SELECT * FROM workspace_settings WHERE workspace = $1", workspace)
    return DormancyThresholds(**{name: row[name] for name in DormancyThresholds.__dataclass_fields__}) if row else None


async def put_dormancy_thresholds(conn: Connection, workspace: str, thresholds: DormancyThresholds) -> None:
    await conn.execute(
        """INSERT INTO workspace_settings (workspace, dormancy_gap_multiple, dormancy_min_days, dormancy_fixed_days)
           VALUES ($1, $2, $3, $4)
           ON CONFLICT (workspace) DO UPDATE SET dormancy_gap_multiple = excluded.dormancy_gap_multiple,
               dormancy_min_days = excluded.dormancy_min_days, dormancy_fixed_days = excluded.dormancy_fixed_days,
               updated_at = now()""",
        workspace,
        thresholds.dormancy_gap_multiple,
        thresholds.dormancy_min_days,
        thresholds.dormancy_fixed_days,
    )


async def workspaces_due_for_refit(conn: Connection, interval: dt.timedelta) -> list[str]:
    rows = await conn.fetch(
        """SELECT workspace FROM workspace_models
            WHERE coalesce(last_attempt_at, '-infinity') < now() - $1::interval
               -- a workspace still on default parameters tries again hourly, as its history grows
               OR (bgnbd IS NULL AND last_attempt_at < now() - least($1::interval, interval '1 hour'))
            ORDER BY workspace""",
        interval,
    )
    return [r["workspace"] for r in rows]


async def all_workspaces(conn: Connection) -> list[str]:
    return [r["workspace"] for r in await conn.fetch("SELECT workspace FROM workspace_models ORDER BY workspace")]


async def scored_before(conn: Connection, workspace: str, day: dt.date) -> bool:
    """Whether some customer of the workspace was last scored before `day` (the sweep re-scores them)."""
    found: bool = await conn.fetchval(
        "SELECT EXISTS (SELECT 1 FROM customers WHERE workspace = $1 AND as_of < $2)", workspace, day
    )
    return found


# Days without a purchase after which a customer is dormant: a multiple of their own usual gap between
# purchase days (at least the minimum), or the fixed threshold for customers with fewer than two purchase days.
_DORMANCY_SQL = """
WITH rule AS (
    SELECT dormancy_gap_multiple AS multiple, dormancy_min_days AS min_days, dormancy_fixed_days AS fixed_days
      FROM workspace_settings WHERE workspace = $1
    UNION ALL SELECT 3, 30, 90
    LIMIT 1
), due AS (
    SELECT c.customer_id, c.last_purchase_at,
           CASE WHEN c.purchase_days >= 2 AND c.usual_gap_days IS NOT NULL
                THEN greatest(rule.min_days, ceil(rule.multiple * c.usual_gap_days))::int
                ELSE rule.fixed_days END AS threshold_days,
           CASE WHEN c.purchase_days >= 2 AND c.usual_gap_days IS NOT NULL
                THEN 'usual_gap' ELSE 'fixed_days' END AS rule
      FROM customers c, rule
     WHERE c.workspace = $1 AND c.dormant_since IS NULL AND c.last_purchase_at IS NOT NULL
)
UPDATE customers c SET dormant_since = due.last_purchase_at + make_interval(days => due.threshold_days)
  FROM due
 WHERE c.workspace = $1 AND c.customer_id = due.customer_id
   AND due.last_purchase_at + make_interval(days => due.threshold_days) <= $2
RETURNING c.customer_id, due.last_purchase_at, due.threshold_days, due.rule, c.dormant_since
"""


@dataclass(frozen=True)
class DormantCustomer:
    """A customer whose dormancy spell started, and by which rule."""

    customer_id: str
    last_purchase_at: dt.datetime
    threshold_days: int
    rule: Literal["usual_gap", "fixed_days"]
    dormant_since: dt.datetime


async def mark_dormant(conn: Connection, workspace: str, now: dt.datetime) -> list[DormantCustomer]:
    """Start a dormancy spell for every customer past their threshold. The spell starts when the threshold
    was crossed (not when the sweep noticed), so its identity does not depend on when sweeps run."""
    return [DormantCustomer(**row) for row in await conn.fetch(_DORMANCY_SQL, workspace, now)]


async def matching_customers(
    conn: Connection,
    workspace: str,
    *,
    segment_id: str | None,
    rfm_segment: str | None,
    churn_risk: str | None,
    limit: int,
) -> list[str]:
    """Ids of the customers matching every given filter (members of a segment, an RFM segment, a churn
    band), in id order, at most `limit` of them."""
    rows = await conn.fetch(
        """SELECT c.customer_id FROM customers c
            WHERE c.workspace = $1
              AND ($2::text IS NULL OR EXISTS (SELECT 1 FROM segment_members m WHERE m.workspace = $1
                                                  AND m.segment_id = $2 AND m.customer_id = c.customer_id))
              AND ($3::text IS NULL OR c.rfm_segment = $3)
              AND ($4::text IS NULL OR c.churn_risk = $4)
            ORDER BY c.customer_id LIMIT $5""",
        workspace,
        segment_id,
        rfm_segment,
        churn_risk,
        limit,
    )
    return [r["customer_id"] for r in rows]
