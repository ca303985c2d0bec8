"""Profile's SQL for survey answers (table `survey_answers`): every NPS / CSAT answer a customer gave, from `survey`
events and tickets carrying scores, kept one row per event; and the NPS figures of a period, computed over them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from contracts.http.profile import NpsFigures, NpsGroup
from runtime.db import Connection
from runtime.nps import NpsGrouping, nps_rows, nps_statement
from services.profile.view_store import ACQUISITION_SOURCE_SQL

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


# The period's NPS answers (runtime/nps.py counts them as every service does).
_ANSWERS = """SELECT customer_id, answered_at, nps, event_id FROM survey_answers
               WHERE workspace = $1 AND answered_at >= $2 AND answered_at < $3 AND nps IS NOT NULL"""
_NPS = nps_statement(_ANSWERS)
# By channel: each customer's latest answer grouped by their acquisition source now ('direct' without a profile).
_NPS_BY_CHANNEL = nps_statement(
    _ANSWERS,
    NpsGrouping(
        join="LEFT JOIN customers c ON c.workspace = $1 AND c.customer_id = l.customer_id",
        key=ACQUISITION_SOURCE_SQL,
    ),
)


async def nps_figures(
    conn: Connection, workspace: str, since: dt.datetime, until: dt.datetime, *, by_channel: bool = False
) -> NpsFigures:
    """The NPS of the period [since, until) over each customer's latest answer in it, and per month (UTC) over each
    customer's latest answer in that month (with `by_channel`, per acquisition source as well): one set-based
    statement over the period's answers."""
    rows = await conn.fetch(_NPS_BY_CHANNEL if by_channel else _NPS, workspace, since, until)
    figures = nps_rows(rows)
    return NpsFigures(
        from_=since,
        to=until,
        **figures.total,
        by_month=figures.by_month,
        by_channel=[NpsGroup(key=key, **counts) for key, counts in figures.groups] if by_channel else None,
    )
