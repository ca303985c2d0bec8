"""Scoring's figures for the gateway's growth reports (the acquisition report's predicted CLV, the retention cohorts,
the KPI tree), each answering its contract model (contracts/http/scoring.py). Every count and sum is made in SQL
over the workspace's rows, read by the indexes of migration 0004; Python only lays the aggregated rows out.

A purchase or visit *day* counts in a span of time when the day's first instant (00:00 UTC) is in it: for spans
starting and ending at midnight UTC (what the gateway asks for) that is exactly the days inside."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from contracts.http.scoring import (
    PredictedClvItem,
    PredictedClvReport,
    RetentionCohort,
    RetentionReport,
    ScoringKpis,
)
from runtime.db import Connection
from services.scoring.domain import cohorts
from services.scoring.domain.cohorts import Period

DIRECT = "direct"  # a customer without a source profile announced (profile's rule's last resort)
RETENTION_WINDOW = dt.timedelta(days=90)
# Which period after its member's cohort (`m.cohort`, a period's first day) a purchase day `p.day` falls in ($4: the
# period, 'month' or 'week').
PERIOD_INDEX_SQL = """CASE WHEN $4 = 'week' THEN (p.day - m.cohort) / 7
         ELSE (extract(year FROM p.day)::int * 12 + extract(month FROM p.day)::int)
            - (extract(year FROM m.cohort)::int * 12 + extract(month FROM m.cohort)::int) END"""


def first_day_from(moment: dt.datetime) -> dt.date:
    """The first UTC day whose first instant is at or after `moment`."""
    utc = moment.astimezone(dt.UTC)
    return utc.date() if cohorts.instant(utc.date()) == utc else utc.date() + dt.timedelta(days=1)


async def predicted_clv(conn: Connection, workspace: str, since: dt.datetime, until: dt.datetime) -> PredictedClvReport:
    """The customers whose first purchase is in [since, until), by acquisition source and campaign (no source:
    `direct`), with how many are scored and the sum of their predicted 12-month CLV."""
    rows = await conn.fetch(
        """SELECT coalesce(acquisition_source, $4) AS source, acquisition_campaign AS campaign,
                  count(*) AS new_customers, count(predicted_clv) AS predicted,
                  coalesce(sum(predicted_clv), 0) AS predicted_clv_total
             FROM customers
            WHERE workspace = $1 AND first_purchase_at >= $2 AND first_purchase_at < $3
            GROUP BY 1, 2
            ORDER BY 1, 2 NULLS FIRST""",
        workspace,
        since,
        until,
        DIRECT,
    )
    items = [
        PredictedClvItem(
            source=r["source"],
            campaign=r["campaign"],
            new_customers=r["new_customers"],
            predicted=r["predicted"],
            predicted_clv_total=r["predicted_clv_total"],
        )
        for r in rows
    ]
    return PredictedClvReport(from_=since, to=until, items=items)


async def kpis(conn: Connection, workspace: str, since: dt.datetime, until: dt.datetime) -> ScoringKpis:
    """Scoring's figures of the KPI tree for [since, until), in one statement."""
    row = await conn.fetchrow(
        """WITH buyers AS (  -- one pass over the purchase days of both 90-day windows
               SELECT bool_or(day < $5) AS in_base, bool_or(day >= $6) AS in_recent
                 FROM purchase_days
                WHERE workspace = $1 AND day >= least($4, $6) AND day < $7 AND (day < $5 OR day >= $6)
                GROUP BY customer_id)
           SELECT
               (SELECT count(DISTINCT customer_id) FROM reactivations
                 WHERE workspace = $1 AND reactivated_at >= $2 AND reactivated_at < $3) AS reactivated,
               b.retention_base, b.retained_90d, v.visitors, v.visits, n.new_customers, n.predicted,
               n.predicted_clv_total
             FROM (SELECT count(*) FILTER (WHERE in_base) AS retention_base,
                          count(*) FILTER (WHERE in_base AND in_recent) AS retained_90d FROM buyers) b,
                  (SELECT count(DISTINCT customer_id) AS visitors, coalesce(sum(visits), 0) AS visits
                     FROM visit_days WHERE workspace = $1 AND day >= $8 AND day < $9) v,
                  (SELECT count(*) AS new_customers, count(predicted_clv) AS predicted,
                          coalesce(sum(predicted_clv), 0) AS predicted_clv_total
                     FROM customers WHERE workspace = $1 AND first_purchase_at >= $2 AND first_purchase_at < $3) n""",
        workspace,
        since,
        until,
        first_day_from(since - RETENTION_WINDOW),
        first_day_from(since),
        first_day_from(until - RETENTION_WINDOW),
        first_day_from(until),
        first_day_from(since),
        first_day_from(until),
    )
    assert row is not None
    base, retained, visitors, visits = row["retention_base"], row["retained_90d"], row["visitors"], row["visits"]
    return ScoringKpis(
        from_=since,
        to=until,
        reactivated=row["reactivated"],
        retention_base=base,
        retained_90d=retained,
        retention_90d=cohorts.ratio(retained, base),
        visitors=visitors,
        visits=visits,
        visit_frequency=cohorts.ratio(visits, visitors),
        new_customers=row["new_customers"],
        new_customers_predicted=row["predicted"],
        new_customers_predicted_clv_total=row["predicted_clv_total"],
    )


class TooManyPeriods(Exception):
    def __init__(self, count: int) -> None:
        super().__init__(f"{count} cohort periods: at most {cohorts.MAX_COHORT_PERIODS}")
        self.count = count


_SIZE = -1  # the period index of the rows that count a cohort's members


async def retention(
    conn: Connection, workspace: str, since: dt.datetime, until: dt.datetime, period: Period, now: dt.datetime
) -> RetentionReport:
    """Cohorts of the customers whose first purchase is in [since, until) by the month or ISO week of its UTC day,
    each followed period by period up to the one holding `until`; cells of periods not ended by `now` are null.
    TooManyPeriods past the budget. One statement: the members' purchase days of the report's periods (read by
    day, joined to the members by hash) summed per member and period, then per cohort and period: the active
    members, their purchase amounts and how many made their second purchase day in it; and each cohort's size,
    counted from its members (not from period 0's buyers: a member whose purchase days disagree with its first
    purchase, e.g. written before a time-zone fix, still counts, and its period 0 shows as not retained)."""
    report = cohorts.span(since, until, period)
    if report.count > cohorts.MAX_COHORT_PERIODS:
        raise TooManyPeriods(report.count)
    rows = await conn.fetch(
        f"""WITH members AS MATERIALIZED (
               SELECT customer_id, date_trunc($4, first_purchase_at AT TIME ZONE 'UTC')::date AS cohort
                 FROM customers
                WHERE workspace = $1 AND first_purchase_at >= $2 AND first_purchase_at < $3),
           periods AS (
               SELECT m.customer_id, m.cohort, {PERIOD_INDEX_SQL} AS k, count(*) AS days, sum(p.amount) AS amount
                 FROM purchase_days p JOIN members m ON m.customer_id = p.customer_id
                WHERE p.workspace = $1 AND p.day >= $5 AND p.day < $6
                GROUP BY 1, 2, 3),
           seconds AS (
               SELECT cohort, CASE WHEN max(days) FILTER (WHERE k = 0) >= 2 THEN 0
                                   ELSE min(k) FILTER (WHERE k > 0) END AS k
                 FROM periods GROUP BY customer_id, cohort)
           SELECT cohort, k, count(*) AS active, sum(amount) AS revenue, 0 AS second FROM periods GROUP BY 1, 2
           UNION ALL
           SELECT cohort, k, 0, 0, count(*) FROM seconds WHERE k IS NOT NULL GROUP BY 1, 2
           UNION ALL
           SELECT cohort, {_SIZE}, count(*), 0, 0 FROM members GROUP BY 1""",  # noqa: S608 (constant)
        workspace,
        since,
        until,
        period,
        report.first,
        report.end,
    )
    cells: dict[dt.date, dict[int, tuple[int, Decimal, int]]] = defaultdict(dict)
    for r in rows:
        active, revenue, second = cells[r["cohort"]].get(r["k"], (0, Decimal(0), 0))
        cells[r["cohort"]][r["k"]] = (active + r["active"], revenue + r["revenue"], second + r["second"])
    sizes = {cohort: by_period.pop(_SIZE)[0] for cohort, by_period in cells.items()}
    return RetentionReport(
        from_=since,
        to=until,
        period=period,
        cohorts=[_cohort(start, sizes[start], cells[start], report, period, now) for start in sorted(sizes)],
    )


def _cohort(
    start: dt.date,
    size: int,
    cells: dict[int, tuple[int, Decimal, int]],
    report: cohorts.Span,
    period: Period,
    now: dt.datetime,
) -> RetentionCohort:
    retained: list[float | None] = []
    revenue: list[Decimal | None] = []
    repurchased: list[float | None] = []
    seconds = 0
    for k in range(cohorts.columns(start, report, period)):
        active, amount, second = cells.get(k, (0, Decimal(0), 0))
        seconds += second
        if cohorts.ended(start, k, period, now):
            retained.append(cohorts.ratio(active, size))
            revenue.append(cohorts.per_member(amount, size))
            repurchased.append(cohorts.ratio(seconds, size))
        else:
            retained.append(None)
            revenue.append(None)
            repurchased.append(None)
    return RetentionCohort(
        cohort=cohorts.label(start, period),
        start=cohorts.instant(start),
        size=size,
        retained=retained,
        revenue_per_member=revenue,
        repurchase_rate=repurchased,
    )
