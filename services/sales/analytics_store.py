"""Pipeline analytics over the stage history, set-based in PostgreSQL; and bulk loading of history.

For the deals of one pipeline (optionally one owner's, optionally created within [from, to)):
- a deal *reached* stage k when it ever entered stage k or a later one, or was won (won passes every
  stage); conversion k -> k+1 is reached(k+1) / reached(k), and the last stage's is won / reached(last);
- days in a stage average the finished stays (entered to left; a deal's close ends its last stay);
- cycle days average created -> won over won deals; win rate is won / (won + lost);
- pipeline value sums open deals' amounts per currency, weighted by their stage's probability.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from contracts.http.sales.signals import (
    Conversion,
    DealForecast,
    DealForecastMonth,
    PipelineValue,
    SalesAnalytics,
    StageTime,
)
from runtime.db import Connection
from services.sales.domain.pipeline import Pipeline

_SCOPE = """
WITH stages AS (SELECT * FROM unnest($2::text[], $3::int[], $4::numeric[]) AS s(stage, position, probability)),
scope AS (
    SELECT deal_id, status, amount, currency, stage, created_at, closed_at FROM deals
     WHERE workspace = $1 AND pipeline_id = $5 AND ($6::text IS NULL OR owner = $6)
       AND ($7::timestamptz IS NULL OR created_at >= $7) AND ($8::timestamptz IS NULL OR created_at < $8))
"""


async def analytics(
    conn: Connection,
    workspace: str,
    pipeline_id: str,
    pipeline: Pipeline,
    owner: str | None,
    start: dt.datetime | None,
    end: dt.datetime | None,
) -> SalesAnalytics:
    stages = [s.id for s in pipeline.stages]
    args = (
        workspace,
        stages,
        list(range(len(stages))),
        [s.probability for s in pipeline.stages],
        pipeline_id,
        owner,
        start,
        end,
    )
    reached_rows = await conn.fetch(
        _SCOPE  # noqa: S608 (constant)
        + """, furthest AS (
                SELECT d.deal_id, CASE WHEN d.status = 'won' THEN $9 ELSE max(s.position) END AS furthest
                  FROM scope d
                  JOIN deal_stage_history h ON h.workspace = $1 AND h.deal_id = d.deal_id
                  JOIN stages s ON s.stage = h.stage
                 GROUP BY d.deal_id, d.status)
             SELECT s.position, count(f.deal_id)::int AS reached
               FROM stages s LEFT JOIN furthest f ON f.furthest >= s.position
              GROUP BY s.position ORDER BY s.position""",
        *args,
        len(stages),
    )
    stay_rows = await conn.fetch(
        _SCOPE  # noqa: S608 (constant)
        + """SELECT h.stage, count(*)::int AS stays,
                    avg(extract(epoch FROM h.left_at - h.entered_at)) / 86400 AS avg_days
               FROM scope d JOIN deal_stage_history h ON h.workspace = $1 AND h.deal_id = d.deal_id
              WHERE h.left_at IS NOT NULL GROUP BY h.stage""",
        *args,
    )
    summary: Any = await conn.fetchrow(
        _SCOPE  # noqa: S608 (constant)
        + """SELECT count(*)::int AS deals, count(*) FILTER (WHERE status = 'open')::int AS open,
                    count(*) FILTER (WHERE status = 'won')::int AS won,
                    count(*) FILTER (WHERE status = 'lost')::int AS lost,
                    avg(extract(epoch FROM closed_at - created_at)) FILTER (WHERE status = 'won') / 86400
                        AS cycle_days
               FROM scope""",
        *args,
    )
    value_rows = await conn.fetch(
        _SCOPE  # noqa: S608 (constant)
        + """SELECT d.currency, sum(d.amount) AS total, sum(d.amount * s.probability) AS weighted
               FROM scope d JOIN stages s ON s.stage = d.stage WHERE d.status = 'open'
              GROUP BY d.currency ORDER BY d.currency""",
        *args,
    )
    reached = [r["reached"] for r in reached_rows]
    won, lost = summary["won"], summary["lost"]
    stays = {r["stage"]: r for r in stay_rows}
    conversions = []
    for position, stage in enumerate(stages):
        onward = reached[position + 1] if position + 1 < len(stages) else won
        conversions.append(
            Conversion(
                from_stage=stage,
                to_stage=stages[position + 1] if position + 1 < len(stages) else "won",
                reached=reached[position],
                converted=onward,
                rate=onward / reached[position] if reached[position] else None,
            )
        )
    return SalesAnalytics(
        pipeline_id=pipeline_id,
        owner=owner,
        from_=start,
        to=end,
        deals=summary["deals"],
        open=summary["open"],
        won=won,
        lost=lost,
        win_rate=won / (won + lost) if won + lost else None,
        cycle_days=float(summary["cycle_days"]) if summary["cycle_days"] is not None else None,
        conversions=conversions,
        stages=[
            StageTime(
                stage=stage,
                stays=stays[stage]["stays"] if stage in stays else 0,
                avg_days=float(stays[stage]["avg_days"]) if stage in stays else None,
            )
            for stage in stages
        ],
        pipeline_value=[
            PipelineValue(currency=r["currency"], total=f"{r['total']:.2f}", weighted=f"{r['weighted']:.2f}")
            for r in value_rows
        ],
    )


async def bulk_load(
    conn: Connection, workspace: str, deals: Sequence[dict[str, Any]], history: Sequence[tuple[str, int, str, Any, Any]]
) -> None:
    """Load deals and their stage history as they are (imports, benchmarks, tests): one COPY each.
    `history` rows are (deal_id, seq, stage, entered_at, left_at)."""
    await conn.copy_records_to_table(
        "deals",
        columns=[
            "workspace",
            "deal_id",
            "pipeline_id",
            "title",
            "customer_id",
            "amount",
            "currency",
            "owner",
            "stage",
            "stage_seq",
            "status",
            "close_reason",
            "created_at",
            "updated_at",
            "closed_at",
        ],
        records=[
            (
                workspace,
                d["deal_id"],
                d["pipeline_id"],
                d["title"],
                d["customer_id"],
                d["amount"],
                d["currency"],
                d["owner"],
                d["stage"],
                d["stage_seq"],
                d["status"],
                d.get("close_reason"),
                d["created_at"],
                d.get("closed_at") or d["created_at"],
                d.get("closed_at"),
            )
            for d in deals
        ],
    )
    await conn.copy_records_to_table(
        "deal_stage_history",
        columns=["workspace", "deal_id", "seq", "stage", "entered_at", "left_at"],
        records=[(workspace, *row) for row in history],
    )


# Open deals by expected close month (UTC) and currency: the month of `fields.expected_close` ("YYYY-MM..."), else
# of creation plus the pipeline's average won cycle (30 days before any deal of it was won); never before the month
# of `$5` (an open deal expected earlier is expected now). Months [$6, $7).
_FORECAST = r"""
WITH stages AS (SELECT * FROM unnest($2::text[], $3::text[], $4::numeric[]) AS s(pipeline_id, stage, probability)),
cycles AS (SELECT pipeline_id, avg(closed_at - created_at) AS cycle FROM deals
            WHERE workspace = $1 AND status = 'won' GROUP BY pipeline_id),
expected AS (
    SELECT d.currency, d.amount, s.probability,
           greatest(
               coalesce(
                   (substring(d.fields->>'expected_close' FROM '^[1-9][0-9]{3}-(?:0[1-9]|1[0-2])') || '-01')::date,
                   date_trunc('month', d.created_at AT TIME ZONE 'UTC' + coalesce(c.cycle, interval '30 days'))::date),
               date_trunc('month', $5::timestamptz AT TIME ZONE 'UTC')::date) AS month
      FROM deals d
      JOIN stages s ON s.pipeline_id = d.pipeline_id AND s.stage = d.stage
      LEFT JOIN cycles c ON c.pipeline_id = d.pipeline_id
     WHERE d.workspace = $1 AND d.status = 'open')
SELECT to_char(month, 'YYYY-MM') AS month, currency, count(*)::int AS deals, sum(amount) AS amount,
       sum(amount * probability) AS weighted
  FROM expected WHERE month >= $6::date AND month < $7::date
 GROUP BY month, currency ORDER BY month, currency
"""


async def deal_forecast(
    conn: Connection,
    workspace: str,
    pipelines: Sequence[tuple[str, Pipeline]],
    now: dt.datetime,
    first: dt.date,
    months: int,
) -> DealForecast:
    """Open deals' amounts and probability-weighted amounts by expected close month, `months` months from
    `first` (the first of a month); one statement."""
    # A probability as the decimal it was written as (0.1, not the float nearest it), so weighted amounts are exact.
    stages = [(pid, s.id, Decimal(str(s.probability))) for pid, pipeline in pipelines for s in pipeline.stages]
    end = _add_months(first, months)
    rows = await conn.fetch(
        _FORECAST,
        workspace,
        [s[0] for s in stages],
        [s[1] for s in stages],
        [s[2] for s in stages],
        now,
        first,
        end,
    )
    items = [DealForecastMonth(**dict(r)) for r in rows]
    return DealForecast(from_=f"{first:%Y-%m}", months=months, items=items)


def _add_months(first: dt.date, months: int) -> dt.date:
    index = first.year * 12 + first.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)
