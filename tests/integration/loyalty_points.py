"""What loyalty's redemption and job tests share: the service started on a movable clock (its internal API, its
context for the jobs and use cases) and a ledger written straight into its database (a program, members with
lots), so each test knows its exact starting ledger."""

from __future__ import annotations

import copy
import datetime as dt
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx
import orjson
from fastapi import FastAPI

from contracts.http.loyalty import EXAMPLE_PROGRAM
from devstack.postgres import LocalPostgres
from runtime.clock import MovableClock
from services.loyalty.ledger_book import PlacedOrder
from services.loyalty.service import LoyaltyContext
from services.loyalty.settings import LoyaltyServiceSettings
from services.loyalty.wiring import create_app
from tests.running import fresh_database, service_settings, serving, token_auth

START = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)

PROGRAM: dict[str, Any] = copy.deepcopy(EXAMPLE_PROGRAM) | {
    "time_zone": "UTC",
    "expiry": {"months": 12, "notice_days": 30},
    "redemption": {"point_value": "0.01", "min_points": 10, "max_share_of_order": "1", "hold_minutes": 30},
}


@dataclass
class Loyalty:
    """The running service: `client` as the gateway calls it (an unhandled error is a 500 answer), its context
    (jobs, use cases), its pool and clock."""

    client: httpx.AsyncClient
    app: FastAPI
    context: LoyaltyContext
    pool: asyncpg.Pool
    clock: MovableClock
    settings: LoyaltyServiceSettings


@asynccontextmanager
async def running_loyalty(
    postgres: LocalPostgres, bootstrap: str, broker_kind: str, **overrides: Any
) -> AsyncIterator[Loyalty]:
    clock = MovableClock(START)
    settings = service_settings(
        LoyaltyServiceSettings,
        "loyalty",
        fresh_database(postgres, "loyalty"),
        bootstrap,
        broker_kind,
        consumer_concurrency=1,
        **overrides,
    )
    app = create_app(settings, clock=clock)
    async with serving(app, "loyalty"):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://loyalty", auth=token_auth(settings), timeout=60
        ) as client:
            context = app.state.context
            assert isinstance(context, LoyaltyContext)
            yield Loyalty(client, app, context, context.pool, clock, settings)


def new_workspace() -> str:
    return f"ws-{uuid.uuid4().hex[:10]}"


def base(workspace: str) -> str:
    return f"/internal/v1/workspaces/{workspace}"


async def put_program(
    pool: asyncpg.Pool, workspace: str, document: dict[str, Any] | None = None, at: dt.datetime = START
) -> None:
    """A new version of the workspace's program, stored as it stands (a test may store one the rules refuse)."""
    document = PROGRAM if document is None else document
    await pool.execute(
        """INSERT INTO programs (workspace, version, name, active, document, created_at)
           SELECT $1, coalesce(max(version), 0) + 1, $2, $3, $4::jsonb, $5 FROM programs WHERE workspace = $1""",
        workspace,
        str(document.get("name", "?")),
        bool(document.get("active", True)),
        orjson.dumps(document),
        at,
    )


@dataclass(frozen=True)
class SeedLot:
    lot_id: str
    points: int
    earned_at: dt.datetime
    expires_at: dt.datetime | None


async def seed_member(
    pool: asyncpg.Pool,
    workspace: str,
    customer_id: str,
    lots: list[SeedLot],
    *,
    tier: str | None = None,
    tier_since: dt.datetime | None = None,
    tier_anniversary: dt.datetime | None = None,
) -> None:
    """A member whose ledger is `lots` (earn entries), balance their sum."""
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute(
            """INSERT INTO members (workspace, customer_id, balance, tier, tier_since, tier_anniversary, created_at,
                                    updated_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $7)""",
            workspace,
            customer_id,
            sum(lot.points for lot in lots),
            tier,
            tier_since,
            tier_anniversary,
            START,
        )
        await conn.executemany(
            """INSERT INTO entries (workspace, entry_id, customer_id, kind, points, reason, program_version, at,
                                    recorded_at)
               VALUES ($1, $2, $3, 'earn', $4, 'purchase', 1, $5, $5)""",
            [(workspace, lot.lot_id, customer_id, lot.points, lot.earned_at) for lot in lots],
        )
        await conn.executemany(
            """INSERT INTO lots (workspace, lot_id, customer_id, earned, remaining, earned_at, expires_at)
               VALUES ($1, $2, $3, $4, $4, $5, $6)""",
            [(workspace, lot.lot_id, customer_id, lot.points, lot.earned_at, lot.expires_at) for lot in lots],
        )


async def ledger(pool: asyncpg.Pool, workspace: str) -> dict[str, Any]:
    """The workspace's whole ledger, comparable: members, entries, lots, redemptions and daily totals, read in one
    snapshot (a batch committing between two of the reads would otherwise show a redemption redeemed without its
    entry)."""
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
        members = await conn.fetch(
            "SELECT customer_id, balance, debt, held, tier FROM members WHERE workspace = $1 ORDER BY customer_id",
            workspace,
        )
        entries = await conn.fetch(
            """SELECT entry_id, customer_id, kind, points, reason, order_id FROM entries WHERE workspace = $1
                ORDER BY entry_id""",
            workspace,
        )
        lots = await conn.fetch(
            "SELECT lot_id, customer_id, earned, remaining FROM lots WHERE workspace = $1 ORDER BY lot_id", workspace
        )
        redemptions = await conn.fetch(
            """SELECT redemption_id, customer_id, order_id, points, status FROM redemptions WHERE workspace = $1
                ORDER BY redemption_id""",
            workspace,
        )
        totals = await conn.fetch(
            "SELECT day, earned, redeemed, expired FROM daily_totals WHERE workspace = $1 ORDER BY day", workspace
        )
    return {
        "members": {r["customer_id"]: dict(r) for r in members},
        "entries": {r["entry_id"]: dict(r) for r in entries},
        "lots": {r["lot_id"]: dict(r) for r in lots},
        "redemptions": {r["redemption_id"]: dict(r) for r in redemptions},
        "totals": [dict(r) for r in totals],
    }


Placed = PlacedOrder  # a purchase of the batch, as the purchase handler hands it to confirm_redemptions
