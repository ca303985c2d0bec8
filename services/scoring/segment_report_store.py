"""Scoring's SQL for a segment's report (internal /segments/{id}/report and /nps): its size per day, its current
members' purchases in a period, their scores and their NPS. Every figure is aggregated in PostgreSQL, one statement
each, over the segment's members (index range of segment_members) joined to the period's rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import get_args

from contracts.http import NpsCounts
from contracts.http.profile import NpsFigures
from contracts.http.scoring import SegmentReport, SegmentSize
from contracts.scoring import ChurnRisk
from runtime.db import Connection
from runtime.nps import nps_rows, nps_statement

CHURN_BANDS: tuple[str, ...] = get_args(ChurnRisk)

# The members' answers of the period ($1 workspace, $2 since, $3 until, $4 segment).
_NPS = nps_statement(
    """SELECT a.customer_id, a.answered_at, a.nps, a.event_id
         FROM nps_answers a
         JOIN segment_members m ON m.workspace = a.workspace AND m.segment_id = $4 AND m.customer_id = a.customer_id
        WHERE a.workspace = $1 AND a.answered_at >= $2 AND a.answered_at < $3"""
)

_BANDS = ",\n".join(f"count(*) FILTER (WHERE c.churn_risk = '{band}') AS churn_{band}" for band in CHURN_BANDS)

# $1 workspace, $2 segment, $3 first day, $4 last day of the period (purchase days are UTC days). Two aggregates
# over the members' index range, each a (parallel) hash join: no CTE, which would hold the members on disk and keep
# the plan serial.
_FIGURES = f"""
    SELECT * FROM
      (SELECT coalesce(sum(p.amount), 0) AS revenue, coalesce(sum(p.purchases), 0)::bigint AS orders
         FROM segment_members m JOIN purchase_days p ON p.workspace = m.workspace AND p.customer_id = m.customer_id
        WHERE m.workspace = $1 AND m.segment_id = $2 AND p.day >= $3 AND p.day <= $4) AS purchases,
      (SELECT count(*) AS members,
              round(avg(c.predicted_clv) FILTER (WHERE c.scored_at IS NOT NULL), 2) AS avg_predicted_clv,
              {_BANDS},
              count(*) FILTER (WHERE c.purchase_days >= 1) AS purchasers,
              count(*) FILTER (WHERE c.purchase_days >= 2) AS repeat_purchasers
         FROM segment_members m LEFT JOIN customers c ON c.workspace = m.workspace AND c.customer_id = m.customer_id
        WHERE m.workspace = $1 AND m.segment_id = $2) AS standing"""  # noqa: S608 (constant bands)

# Each day of [$3, $4] from the segment's first recorded size on, with the last size recorded on or before it.
_SIZES = """
    WITH first AS (SELECT min(day) AS day FROM segment_sizes WHERE workspace = $1 AND segment_id = $2)
    SELECT d.day, (SELECT s.members FROM segment_sizes s
                    WHERE s.workspace = $1 AND s.segment_id = $2 AND s.day <= d.day
                    ORDER BY s.day DESC LIMIT 1) AS members
      FROM first, generate_series(greatest($3::date, first.day), $4::date, interval '1 day') AS g(t),
           LATERAL (SELECT g.t::date AS day) AS d
     WHERE first.day IS NOT NULL
     ORDER BY d.day"""


def period_days(since: dt.datetime, until: dt.datetime) -> tuple[dt.date, dt.date]:
    """The UTC days a period [since, until) touches: its first and its last."""
    last = (until - dt.timedelta(microseconds=1)).astimezone(dt.UTC).date()
    return since.astimezone(dt.UTC).date(), last


async def segment_name(conn: Connection, workspace: str, segment_id: str) -> str | None:
    name: str | None = await conn.fetchval(
        "SELECT name FROM segments WHERE workspace = $1 AND segment_id = $2", workspace, segment_id
    )
    return name


async def segment_report(
    conn: Connection, workspace: str, segment_id: str, since: dt.datetime, until: dt.datetime, now: dt.datetime
) -> SegmentReport | None:
    """The segment's report for [since, until), None when the workspace has no such segment. Sizes stop at `now`'s
    day (later days have none yet)."""
    name = await segment_name(conn, workspace, segment_id)
    if name is None:
        return None
    first_day, last_day = period_days(since, until)
    figures = await conn.fetchrow(_FIGURES, workspace, segment_id, first_day, last_day)
    assert figures is not None
    today = now.astimezone(dt.UTC).date()
    sizes = await conn.fetch(_SIZES, workspace, segment_id, first_day, min(last_day, today))
    nps = nps_rows(await conn.fetch(_NPS, workspace, since, until, segment_id))
    revenue: Decimal = figures["revenue"]
    orders: int = figures["orders"]
    purchasers: int = figures["purchasers"]
    repeat: int = figures["repeat_purchasers"]
    return SegmentReport(
        from_=since,
        to=until,
        segment_id=segment_id,
        name=name,
        members=figures["members"],
        sizes=[SegmentSize(day=r["day"], members=r["members"]) for r in sizes],
        revenue=revenue,
        orders=orders,
        average_order_value=(revenue / orders).quantize(Decimal("0.01")) if orders else None,
        avg_predicted_clv=figures["avg_predicted_clv"],
        churn_mix={band: figures[f"churn_{band}"] for band in CHURN_BANDS},
        purchasers=purchasers,
        repeat_purchasers=repeat,
        repurchase_rate=repeat / purchasers if purchasers else None,
        nps=NpsCounts(**nps.total),
        nps_by_month=nps.by_month,
    )


async def segment_nps(
    conn: Connection, workspace: str, segment_id: str, since: dt.datetime, until: dt.datetime
) -> NpsFigures | None:
    """The segment's members' NPS for [since, until) (as profile's /nps counts, by_channel null); None when the
    workspace has no such segment."""
    if await segment_name(conn, workspace, segment_id) is None:
        return None
    nps = nps_rows(await conn.fetch(_NPS, workspace, since, until, segment_id))
    return NpsFigures(from_=since, to=until, **nps.total, by_month=nps.by_month)
