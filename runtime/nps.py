"""NPS figures in SQL, one definition for every service that counts answers (profile over all of a workspace's
answers, scoring over a segment's members'): each customer's latest answer in the period, and per month (UTC) each
customer's latest answer in that month; score = % promoters (9-10) - % detractors (0-6), rounded to 2 decimals
half away from zero (PostgreSQL's round of a numeric), null without responses.

A service gives the statement its period's answers as a SELECT of `customer_id, answered_at, nps, event_id`
(`nps` not null, its own table and conditions), and optionally a grouping of each customer's latest answer (a join
on `latest l` and the key expression); the rows come back as the contract's NpsCounts / NpsMonth / NpsGroup."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from contracts.http import NpsMonth

# Counts over one latest answer per customer (`nps` of the rows counted).
COUNTS_SQL = """
    count(*) FILTER (WHERE nps >= 9) AS promoters,
    count(*) FILTER (WHERE nps BETWEEN 7 AND 8) AS passives,
    count(*) FILTER (WHERE nps <= 6) AS detractors,
    count(*) AS responses,
    round(100 * (count(*) FILTER (WHERE nps >= 9) - count(*) FILTER (WHERE nps <= 6))::numeric
          / NULLIF(count(*), 0), 2) AS score"""


@dataclass(frozen=True)
class NpsGrouping:
    """Each customer's latest answer of the period grouped: `join` joins `latest l` (customer_id, nps) to what
    gives the key, `key` the key's SQL expression."""

    join: str
    key: str


def nps_statement(answers: str, grouping: NpsGrouping | None = None) -> str:
    """One sort of the period's answers (`answers`, a SELECT of customer_id, answered_at, nps, event_id): each
    customer's latest answer of each month (UTC) they answered in (ties on time: the higher score, then the event
    id); a customer's latest answer of the period is the one of their latest month. Ids compare bytewise
    (COLLATE "C"): the order only has to be total. Rows: kind 'total' (one, always), 'month' (key YYYY-MM),
    'group' (key of `grouping`)."""
    grouped = ""
    if grouping is not None:
        grouped = f"""
    UNION ALL
    SELECT 'group', {grouping.key}, {COUNTS_SQL} FROM latest l {grouping.join} GROUP BY 2"""  # noqa: S608
    return f"""
    WITH monthly AS MATERIALIZED (
        SELECT DISTINCT ON (customer_id COLLATE "C", month) customer_id COLLATE "C" AS customer_id, month, nps
          FROM (SELECT a.customer_id, date_trunc('month', a.answered_at AT TIME ZONE 'UTC') AS month, a.answered_at,
                       a.nps, a.event_id
                  FROM ({answers}) AS a) AS answers
         ORDER BY customer_id COLLATE "C", month DESC, answered_at DESC, nps DESC, event_id COLLATE "C" DESC),
    latest AS MATERIALIZED (SELECT DISTINCT ON (customer_id) customer_id, nps FROM monthly
                             ORDER BY customer_id, month DESC)
    SELECT 'total' AS kind, NULL AS key, {COUNTS_SQL} FROM latest
    UNION ALL
    SELECT 'month', to_char(month, 'YYYY-MM'), {COUNTS_SQL} FROM monthly GROUP BY month{grouped}"""  # noqa: S608


@dataclass(frozen=True)
class NpsRows:
    """The statement's rows as the contract's figures: the period's counts, per month (in order), per group (in
    key order)."""

    total: dict[str, Any]
    by_month: list[NpsMonth]
    groups: list[tuple[str, dict[str, Any]]]


def counts_of(row: Any) -> dict[str, Any]:
    """NpsCounts' fields of a row."""
    score: Decimal | None = row["score"]
    return {
        "score": None if score is None else float(score),
        "promoters": row["promoters"],
        "passives": row["passives"],
        "detractors": row["detractors"],
        "responses": row["responses"],
    }


def nps_rows(rows: Sequence[Any]) -> NpsRows:
    total = next(r for r in rows if r["kind"] == "total")
    months = sorted((r for r in rows if r["kind"] == "month"), key=lambda r: str(r["key"]))
    groups = sorted((r for r in rows if r["kind"] == "group"), key=lambda r: str(r["key"]))
    return NpsRows(
        total=counts_of(total),
        by_month=[NpsMonth(month=m["key"], **counts_of(m)) for m in months],
        groups=[(str(g["key"]), counts_of(g)) for g in groups],
    )
