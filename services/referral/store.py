"""SQL behind the API and the small consumers: programs, codes, segment membership, a customer's
referrals and ledger, reviews of held rewards."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import asyncpg

from contracts.http.referral import ReferralCode, Referred, ReferredBy
from runtime import quotas
from runtime.db import Connection
from runtime.errors import Conflict, NotFound
from services.referral.book_store import reward_of, save_rewards
from services.referral.domain.codes import code_for
from services.referral.domain.engine import RewardEntry, eligible
from services.referral.domain.program import Program, parse_program, program_json
from services.referral.domain.rules import RewardStatus

_COUNT_PROGRAMS = "SELECT count(*) FROM programs WHERE workspace = $1"


@dataclass(frozen=True)
class StoredProgram:
    """A program as stored: its document (as JSON) and versioning."""

    program_id: str
    name: str
    version: int
    document: dict[str, Any]
    created_at: dt.datetime
    updated_at: dt.datetime


def _program_of(row: asyncpg.Record) -> StoredProgram:
    return StoredProgram(**{name: row[name] for name in StoredProgram.__dataclass_fields__})


@dataclass(frozen=True)
class LedgerTotal:
    """A customer's reward values of one kind, by status."""

    kind: str
    granted: Decimal
    reversed: Decimal
    held: Decimal
    balance: Decimal


async def get_program(conn: Connection, workspace: str, program_id: str) -> StoredProgram | None:
    row = await conn.fetchrow("SELECT * FROM programs WHERE workspace = $1 AND program_id = $2", workspace, program_id)
    return _program_of(row) if row else None


async def create_program(
    conn: Connection, workspace: str, program: Program, idempotency_key: str | None, quota: int
) -> StoredProgram:
    """A new program; the same Idempotency-Key answers the program made the first time. A new program must
    fit the workspace's quota `referral_programs` (QuotaExceeded, a 409, when it does not)."""
    async with conn.transaction():
        if idempotency_key:
            await conn.execute("SELECT pg_advisory_xact_lock(hashtext($1 || ':' || $2))", workspace, idempotency_key)
            known = await conn.fetchval(
                "SELECT program_id FROM program_requests WHERE workspace = $1 AND idempotency_key = $2",
                workspace,
                idempotency_key,
            )
            if known is not None:
                stored = await get_program(conn, workspace, known)
                assert stored is not None
                return stored
        await quotas.REFERRAL_PROGRAMS.enforce(conn, workspace, quota, _COUNT_PROGRAMS)
        program_id = f"p_{secrets.token_hex(8)}"
        row = await conn.fetchrow(
            """INSERT INTO programs (workspace, program_id, name, document) VALUES ($1, $2, $3, $4) RETURNING *""",
            workspace,
            program_id,
            program.name,
            program_json(program),
        )
        if idempotency_key:
            await conn.execute(
                "INSERT INTO program_requests (workspace, idempotency_key, program_id) VALUES ($1, $2, $3)",
                workspace,
                idempotency_key,
                program_id,
            )
        assert row is not None
        return _program_of(row)


async def put_program(
    conn: Connection, workspace: str, program_id: str, program: Program, quota: int
) -> tuple[StoredProgram, bool]:
    """Create the program under this id, or replace its document (True when created). The version goes up
    only when the document changed, so a repeated PUT is a no-op. Creating counts against the quota
    `referral_programs`; replacing does not."""
    async with conn.transaction():
        await quotas.REFERRAL_PROGRAMS.lock(conn, workspace)
        if await get_program(conn, workspace, program_id) is None:
            await quotas.REFERRAL_PROGRAMS.enforce(conn, workspace, quota, _COUNT_PROGRAMS)
        return await _upsert_program(conn, workspace, program_id, program)


async def count_programs(conn: Connection, workspace: str) -> int:
    count: int = await conn.fetchval(_COUNT_PROGRAMS, workspace)
    return count


async def _upsert_program(
    conn: Connection, workspace: str, program_id: str, program: Program
) -> tuple[StoredProgram, bool]:
    row = await conn.fetchrow(
        """INSERT INTO programs (workspace, program_id, name, document) VALUES ($1, $2, $3, $4)
           ON CONFLICT (workspace, program_id) DO UPDATE SET
             name = excluded.name,
             document = excluded.document,
             version = programs.version + CASE WHEN programs.document = excluded.document THEN 0 ELSE 1 END,
             updated_at = CASE WHEN programs.document = excluded.document THEN programs.updated_at ELSE now() END
           RETURNING *, (xmax = 0) AS created""",
        workspace,
        program_id,
        program.name,
        program_json(program),
    )
    assert row is not None
    return _program_of(row), bool(row["created"])


async def list_programs(conn: Connection, workspace: str, limit: int, after: str | None) -> list[StoredProgram]:
    """Up to `limit + 1` programs after `after` (one more than a page: whether there is a next page)."""
    rows = await conn.fetch(
        """SELECT * FROM programs WHERE workspace = $1 AND ($2::text IS NULL OR program_id > $2)
            ORDER BY program_id LIMIT $3""",
        workspace,
        after,
        limit + 1,
    )
    return [_program_of(r) for r in rows]


@dataclass(frozen=True)
class Issued:
    """A code request's answer: the code (and whether it was made now), or why the customer gets none."""

    code: str | None
    created: bool = False
    refused: str | None = None


async def issue_codes(
    conn: Connection, workspace: str, requests: Sequence[tuple[str, str]], now: dt.datetime
) -> dict[tuple[str, str], Issued]:
    """Codes for (program_id, customer_id) pairs, made on first request: a fixed number of queries."""
    wanted = sorted(set(requests))
    customers = sorted({c for _, c in wanted})
    programs = {
        r["program_id"]: parse_program(r["document"])
        for r in await conn.fetch(
            "SELECT program_id, document FROM programs WHERE workspace = $1 AND program_id = ANY($2::text[])",
            workspace,
            sorted({p for p, _ in wanted}),
        )
    }
    existing = {
        (r["program_id"], r["customer_id"]): r["code"]
        for r in await conn.fetch(
            """SELECT DISTINCT ON (program_id, customer_id) program_id, customer_id, code FROM codes
                WHERE workspace = $1 AND program_id = ANY($2::text[]) AND customer_id = ANY($3::text[])
                ORDER BY program_id, customer_id, created_at, code""",
            workspace,
            sorted(programs),
            customers,
        )
    }
    members = await conn.fetch(
        """SELECT segment_id, segment_name, customer_id FROM segment_members
            WHERE workspace = $1 AND customer_id = ANY($2::text[])""",
        workspace,
        customers,
    )
    segments = {(s, r["customer_id"]) for r in members for s in (r["segment_id"], r["segment_name"])}
    answers: dict[tuple[str, str], Issued] = {}
    new: list[tuple[str, str, str]] = []
    for program_id, customer_id in wanted:
        program = programs.get(program_id)
        if program is None:
            answers[(program_id, customer_id)] = Issued(
                None, refused=f"no referral program {program_id!r} in workspace {workspace!r}"
            )
        elif (program_id, customer_id) in existing:
            answers[(program_id, customer_id)] = Issued(existing[(program_id, customer_id)])
        elif not eligible(program, customer_id, segments):
            segment = program.eligibility.segment
            answers[(program_id, customer_id)] = Issued(
                None, refused=f"customer {customer_id!r} may not refer: not in segment {segment!r}"
            )
        else:
            new.append((code_for(workspace, program_id, customer_id, program.code_prefix), program_id, customer_id))
    made = (
        {
            r["code"]
            for r in await conn.fetch(
                """INSERT INTO codes (workspace, code, program_id, customer_id, created_at)
               SELECT $1, c, p, u, $5 FROM unnest($2::text[], $3::text[], $4::text[]) AS t (c, p, u)
               ON CONFLICT (workspace, code) DO NOTHING RETURNING code""",
                workspace,
                [c for c, _, _ in new],
                [p for _, p, _ in new],
                [u for _, _, u in new],
                now,
            )
        }
        if new
        else set()
    )
    for code, program_id, customer_id in new:
        answers[(program_id, customer_id)] = Issued(code, created=code in made)
    return answers


async def apply_memberships(
    conn: Connection, entered: Sequence[tuple[str, str, str, str]], exited: Sequence[tuple[str, str, str]]
) -> None:
    if entered:
        await conn.executemany(
            # An erased customer's membership is not brought back by a late or replayed segment event.
            """INSERT INTO segment_members (workspace, segment_id, segment_name, customer_id)
               SELECT $1, $2, $3, m.customer_id
                 FROM (SELECT COALESCE((SELECT survivor_id FROM flywheel_merged_customers
                                         WHERE workspace = $1 AND merged_id = $4), $4) AS customer_id) AS m
                WHERE NOT EXISTS (SELECT 1 FROM flywheel_erased_customers e
                                   WHERE e.workspace = $1 AND e.customer_id = m.customer_id)
               ON CONFLICT (workspace, segment_id, customer_id) DO UPDATE SET segment_name = excluded.segment_name""",
            entered,
        )
    if exited:
        await conn.executemany(
            "DELETE FROM segment_members WHERE workspace = $1 AND segment_id = $2 AND customer_id = $3", exited
        )


@dataclass(frozen=True)
class ReferralHistory:
    """A customer's codes, who referred them, whom they referred, and their rewards (empty when unknown)."""

    codes: list[ReferralCode]
    referred_by: ReferredBy | None
    referred: list[Referred]
    rewards: list[RewardEntry]


_REFERRED_BY = ("referrer_id", "program_id", "code", "status", "attributed_at")
_REFERRED = ("program_id", "code", "status", "reason", "attributed_at")


async def customer_referrals(conn: Connection, workspace: str, customer_id: str) -> ReferralHistory:
    # One round trip (the gateway reads this for every 360 view): each part as an array of table rows,
    # which asyncpg decodes into records with their column types.
    row = await conn.fetchrow(
        """SELECT ARRAY(SELECT c FROM codes c WHERE c.workspace = $1 AND c.customer_id = $2
                         ORDER BY c.created_at, c.code) AS codes,
                  (SELECT a FROM attributions a WHERE a.workspace = $1 AND a.friend_id = $2 AND a.status <> 'rejected'
                    ORDER BY a.attributed_at LIMIT 1) AS referred_by,
                  ARRAY(SELECT a FROM attributions a WHERE a.workspace = $1 AND a.referrer_id = $2
                         ORDER BY a.attributed_at, a.friend_id) AS referred,
                  ARRAY(SELECT r FROM rewards r WHERE r.workspace = $1 AND r.beneficiary_id = $2
                         ORDER BY r.created_at, r.reward_id) AS rewards""",
        workspace,
        customer_id,
    )
    assert row is not None
    by = row["referred_by"]
    return ReferralHistory(
        codes=[
            ReferralCode.model_validate({k: c[k] for k in ("program_id", "code", "created_at")}) for c in row["codes"]
        ],
        referred_by=None if by is None else ReferredBy.model_validate({k: by[k] for k in _REFERRED_BY}),
        referred=[
            Referred.model_validate({"customer_id": a["friend_id"], **{k: a[k] for k in _REFERRED}})
            for a in row["referred"]
        ],
        rewards=[reward_of(r) for r in row["rewards"]],
    )


async def ledger(
    conn: Connection, workspace: str, customer_id: str, limit: int, after: tuple[str, str] | None
) -> tuple[list[LedgerTotal], list[RewardEntry]]:
    totals = await conn.fetch(
        """SELECT kind,
                  coalesce(sum(value) FILTER (WHERE status IN ('granted', 'reversed')), 0) AS granted,
                  coalesce(sum(value) FILTER (WHERE status = 'reversed'), 0) AS reversed,
                  coalesce(sum(value) FILTER (WHERE status = 'held'), 0) AS held,
                  coalesce(sum(value) FILTER (WHERE status = 'granted'), 0) AS balance
             FROM rewards WHERE workspace = $1 AND beneficiary_id = $2 GROUP BY kind ORDER BY kind""",
        workspace,
        customer_id,
    )
    entries = await conn.fetch(
        """SELECT * FROM rewards WHERE workspace = $1 AND beneficiary_id = $2
              AND ($3::timestamptz IS NULL OR (created_at, reward_id) > ($3, $4))
            ORDER BY created_at, reward_id LIMIT $5""",
        workspace,
        customer_id,
        dt.datetime.fromisoformat(after[0]) if after else None,
        after[1] if after else "",
        limit + 1,
    )
    return [LedgerTotal(**dict(t)) for t in totals], [reward_of(r) for r in entries]


async def held_rewards(
    conn: Connection, workspace: str, limit: int, after: tuple[str, str] | None
) -> list[RewardEntry]:
    rows = await conn.fetch(
        """SELECT * FROM rewards WHERE workspace = $1 AND status = 'held'
              AND ($2::timestamptz IS NULL OR (created_at, reward_id) > ($2, $3))
            ORDER BY created_at, reward_id LIMIT $4""",
        workspace,
        dt.datetime.fromisoformat(after[0]) if after else None,
        after[1] if after else "",
        limit + 1,
    )
    return [reward_of(r) for r in rows]


async def get_reward(conn: Connection, workspace: str, reward_id: str) -> tuple[RewardEntry, str | None] | None:
    row = await conn.fetchrow("SELECT * FROM rewards WHERE workspace = $1 AND reward_id = $2", workspace, reward_id)
    return (reward_of(row), row["review_comment"]) if row else None


async def review(
    conn: Connection, workspace: str, reward_id: str, approve: bool, comment: str | None
) -> tuple[RewardEntry, bool]:
    """Approve (grant) or reject a held reward; True when it changed now. Repeating the same decision is a
    no-op; the opposite decision on a reviewed reward is a Conflict."""
    row = await conn.fetchrow(
        "SELECT * FROM rewards WHERE workspace = $1 AND reward_id = $2 FOR UPDATE", workspace, reward_id
    )
    if row is None:
        raise NotFound(reward_id)
    reward = reward_of(row)
    target: RewardStatus = "granted" if approve else "rejected"
    if reward.status != "held":
        if reward.status == target and row["review_comment"] is not None:
            return reward, False
        raise Conflict(f"reward {reward_id} is {reward.status}, not held for review")
    reward.status = target
    reward.reason = f"{'approved' if approve else 'rejected'} in review (held: {reward.reason})"
    await save_rewards(conn, workspace, [reward])
    await conn.execute(
        "UPDATE rewards SET review_comment = $3 WHERE workspace = $1 AND reward_id = $2",
        workspace,
        reward_id,
        comment or "",
    )
    return reward, True
