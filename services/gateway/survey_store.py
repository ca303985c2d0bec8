"""The gateway's SQL for survey answer links: each token id spent once (services/gateway/api_survey.py)."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Literal

from services.gateway.store import Executor

log = logging.getLogger(__name__)

Spent = Literal["new", "retry", "used"]


async def spend(
    db: Executor, token_id: str, workspace: str, answer_digest: str, expires_at: datetime, now: datetime
) -> tuple[Spent, datetime]:
    """Spend a link's token id for an answer, and when it was first spent: `new` the first time; `retry` when the
    same answer spent it but its event was never confirmed published (a crash or a broker failure: publishing it
    again is safe, the event id is the token's); `used` when it answered already, or another answer holds it."""
    inserted = await db.fetchval(
        """INSERT INTO survey_answer_links (token_id, workspace, answer_digest, expires_at, spent_at)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT (token_id) DO NOTHING RETURNING spent_at""",
        token_id,
        workspace,
        answer_digest,
        expires_at,
        now,
    )
    if inserted is not None:
        return "new", inserted
    held = await db.fetchrow(
        "SELECT answer_digest, spent_at, published_at FROM survey_answer_links WHERE token_id = $1 AND workspace = $2",
        token_id,
        workspace,
    )
    if held is None:  # pruned between the two statements (expired): refused as used
        return "used", now
    if held["published_at"] is None and held["answer_digest"] == answer_digest:
        return "retry", held["spent_at"]
    return "used", held["spent_at"]


async def mark_published(db: Executor, token_id: str, now: datetime) -> None:
    await db.execute(
        "UPDATE survey_answer_links SET published_at = $2 WHERE token_id = $1 AND published_at IS NULL", token_id, now
    )


async def prune(db: Executor, now: datetime) -> int:
    """Forget links past their expiry (refused by it from then on); returns how many."""
    result = await db.execute("DELETE FROM survey_answer_links WHERE expires_at <= $1", now)
    deleted = int(result.split()[-1])
    log.info("pruned spent survey answer links", extra={"deleted": deleted})
    return deleted
