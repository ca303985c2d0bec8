"""A merge whose survivor scoring has never seen, while another consumer's transaction is creating that very
customer (a resolved event on another topic): the fold waits for it and folds into its row, instead of failing
the batch on the customers' primary key (seen in CI: UniqueViolation in fold_merged, then the batch isolated)."""

from __future__ import annotations

import asyncio

from runtime.db import Connection, create_pool
from services.scoring import store
from tests.helpers import wait_for
from tests.integration.conftest import SCORING_NOW, RunningService, new_workspace


async def _add_customer(conn: Connection, workspace: str, customer_id: str, visits: int) -> None:
    await conn.execute(
        "INSERT INTO customers (workspace, customer_id, first_seen_at, visits) VALUES ($1, $2, $3, $4)",
        workspace,
        customer_id,
        SCORING_NOW,
        visits,
    )


async def test_a_merge_into_a_survivor_another_transaction_is_creating_folds_into_its_row(
    scoring: RunningService,
) -> None:
    ws = new_workspace()
    pool = await create_pool(scoring.settings)
    try:
        async with pool.acquire() as creator, pool.acquire() as merger, pool.acquire() as watcher:
            await _add_customer(merger, ws, "ms", visits=3)
            creating = creator.transaction()
            await creating.start()
            await _add_customer(creator, ws, "sv", visits=2)
            merging = merger.transaction()
            await merging.start()
            fold = asyncio.create_task(store.fold_merged(merger, ws, "sv", "ms"))

            async def waiting_on_the_creator() -> bool:
                state = await watcher.fetchval(
                    "SELECT wait_event_type FROM pg_stat_activity WHERE pid = $1", merger.get_server_pid()
                )
                return bool(state == "Lock")

            await wait_for(waiting_on_the_creator, what="the fold waiting for the survivor's creation")
            await creating.commit()
            await fold  # the old INSERT raised UniqueViolationError here
            await merging.commit()
            rows = await watcher.fetch(
                "SELECT customer_id, visits FROM customers WHERE workspace = $1 ORDER BY customer_id", ws
            )
    finally:
        await pool.close()
    assert [(r["customer_id"], r["visits"]) for r in rows] == [("sv", 5)]  # the creator's row, with ms folded in
