"""Profile's SQL for survey answers (table `survey_answers`): every NPS / CSAT answer a customer gave, from `survey`
events and tickets carrying scores, kept one row per event; and the NPS figures of a period, computed over them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from contracts.http import NpsMonth
from contracts.http.profile import NpsFigures
from runtime.db import Connection

AnswerSource = Literal["survey", "ticket"]


@dataclass(frozen=True)
class AnswerRow:
    event_id: str
    customer_id: str
    answered_at: dt.datetime
    source: AnswerSource
    nps: int | None
    csat: int | None
    survey_id: str | None = None
    channel: str | None = None
    comment: str | None = None


async def insert_answers(conn: Connection, workspace: str, rows: Sequence[AnswerRow]) -> set[str]:
    """Keep the answers; returns the event ids whose answer is new (a replayed event adds nothing)."""
    if not rows:
        return set()
    inserted = await conn.fetch(
        """INSERT INTO survey_answers
                  (workspace, event_id, customer_id, answered_at, source, nps, csat, survey_id, channel, comment)
           SELECT $1, * FROM unnest($2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::smallint[],
                                    $7::smallint[], $8::text[], $9::text[], $10::text[])
           ON CONFLICT DO NOTHING RETURNING event_id""",
        workspace,
        [r.event_id for r in rows],
        [r.customer_id for r in rows],
        [r.answered_at for r in rows],
        [r.source for r in rows],
        [r.nps for r in rows],
        [r.csat for r in rows],
        [r.survey_id for r in rows],
        [r.channel for r in rows],
        [r.comment for r in rows],
    )
    return {r["event_id"] for r in inserted}


# Counts over one latest answer per customer (`nps` of the rows counted).
_COUNTS = """
    count(*) FILTER (WHERE nps >= 9) AS promoters,
    count(*) FILTER (WHERE nps BETWEEN 7 AND 8) AS passives,
    count(*) FILTER (WHERE nps <= 6) AS detractors,
    count(*) AS responses,
    round(100 * (count(*) FILTER (WHERE nps >= 9) - count(*) FILTER (WHERE nps <= 6))::numeric
          / NULLIF(count(*), 0), 2) AS score"""

# One sort of the period's answers: each customer's latest answer of each month (UTC) they answered in (ties on
# time: the higher score, as the customer's last_nps, then the event id); a customer's latest answer of the
# period is the one of their latest month. Ids compare bytewise (COLLATE "C"): the order only has to be total.
_NPS = f"""
    WITH monthly AS MATERIALIZED (
        SELECT DISTINCT ON (customer_id COLLATE "C", month) customer_id COLLATE "C" AS customer_id, month, nps
          FROM (SELECT customer_id, date_trunc('month', answered_at AT TIME ZONE 'UTC') AS month, answered_at, nps,
                       event_id
                  FROM survey_answers
                 WHERE workspace = $1 AND answered_at >= $2 AND answered_at < $3 AND nps IS NOT NULL) AS answers
         ORDER BY customer_id COLLATE "C", month DESC, answered_at DESC, nps DESC, event_id COLLATE "C" DESC),
    latest AS (SELECT DISTINCT ON (customer_id) nps FROM monthly ORDER BY customer_id, month DESC)
    SELECT NULL AS month, {_COUNTS} FROM latest
    UNION ALL
    SELECT to_char(month, 'YYYY-MM'), {_COUNTS} FROM monthly GROUP BY month"""  # noqa: S608


async def nps_figures(conn: Connection, workspace: str, since: dt.datetime, until: dt.datetime) -> NpsFigures:
    """The NPS of the period [since, until) over each customer's latest answer in it, and per month (UTC) over each
    customer's latest answer in that month: one set-based statement over the period's answers."""
    rows = await conn.fetch(_NPS, workspace, since, until)
    total = next(r for r in rows if r["month"] is None)
    months = sorted((r for r in rows if r["month"] is not None), key=lambda r: str(r["month"]))
    return NpsFigures(
        from_=since,
        to=until,
        score=_score(total["score"]),
        promoters=total["promoters"],
        passives=total["passives"],
        detractors=total["detractors"],
        responses=total["responses"],
        by_month=[
            NpsMonth(
                month=m["month"],
                score=_score(m["score"]),
                promoters=m["promoters"],
                passives=m["passives"],
                detractors=m["detractors"],
                responses=m["responses"],
            )
            for m in months
        ],
    )


def _score(value: Decimal | None) -> float | None:
    return None if value is None else float(value)
