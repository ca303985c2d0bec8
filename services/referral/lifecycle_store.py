"""Merges and erasures, in set-based SQL (called by service.py).

A merge folds every row of the merged customer into the survivor. An attribution whose referrer and
friend are now one customer is refused as a self-referral, and its granted rewards are reversed. When
both profiles had been attributed as friends, the earlier first touch stays and the other one's
rewards are reversed.

An erasure deletes what identifies the customer (identifiers, codes, segment membership, device id
and email domain of their sign-up, reviewers' comments on their rewards) and replaces their id everywhere
else with a pseudonym that cannot be traced back (derived from the erasure event and the id), so program
numbers and ledger amounts stay right without naming anyone.
"""

from __future__ import annotations

from collections.abc import Sequence

from runtime import erasures, merge_undo
from runtime.db import Connection
from runtime.merge_undo import FoldedTable
from services.referral.book_store import reward_of
from services.referral.domain.engine import RewardEntry

MERGED_SELF_REFERRAL = "self-referral: referrer and friend merged into one profile"
DUPLICATE = "duplicate attribution: the merged profiles had two referrers; the first touch stays"

# What a fold changes, kept per merge so an undo gives both customers their rows back (runtime.merge_undo).
FOLDED = (
    FoldedTable("customers"),
    FoldedTable("codes"),
    FoldedTable("purchases"),
    FoldedTable("touches", ("customer_id", "referrer_id")),
    FoldedTable("segment_members"),
    FoldedTable("attributions", ("friend_id", "referrer_id")),
    FoldedTable("rewards", ("beneficiary_id", "referrer_id", "friend_id")),
)


async def restore_merged(
    conn: Connection, workspace: str, merge_id: str, survivor: str, restored: str
) -> tuple[merge_undo.Restore, list[RewardEntry]]:
    """Both customers' rows as they were before the merge; returns the rewards granted again (the fold had
    reversed them) to announce."""
    before = await conn.fetch(
        """SELECT reward_id, status FROM rewards WHERE workspace = $1
              AND (beneficiary_id = ANY($2::text[]) OR referrer_id = ANY($2::text[]) OR friend_id = ANY($2::text[]))""",
        workspace,
        [survivor, restored],
    )
    outcome = await merge_undo.restore(conn, workspace, merge_id, survivor, restored, FOLDED)
    was = {r["reward_id"]: r["status"] for r in before}
    now_granted = await conn.fetch(
        "SELECT * FROM rewards WHERE workspace = $1 AND reward_id = ANY($2::text[]) AND status = 'granted'",
        workspace,
        sorted(was),
    )
    return outcome, [reward_of(r) for r in now_granted if was[r["reward_id"]] != "granted"]


async def fold_merged(conn: Connection, workspace: str, survivor: str, merged: str) -> list[RewardEntry]:
    """Fold `merged` into `survivor`; returns the rewards reversed (to announce)."""
    args = (workspace, survivor, merged)
    await conn.execute(
        """INSERT INTO customers (workspace, customer_id, first_purchase_at, identifiers)
           SELECT workspace, $2, first_purchase_at, identifiers FROM customers WHERE workspace = $1 AND customer_id = $3
           ON CONFLICT (workspace, customer_id) DO UPDATE SET
             first_purchase_at = LEAST(customers.first_purchase_at, excluded.first_purchase_at),
             identifiers = ARRAY(SELECT DISTINCT unnest(customers.identifiers || excluded.identifiers))""",
        *args,
    )
    await conn.execute("DELETE FROM customers WHERE workspace = $1 AND customer_id = $3 AND $2 <> $3", *args)
    await conn.execute("UPDATE codes SET customer_id = $2 WHERE workspace = $1 AND customer_id = $3", *args)
    await conn.execute("UPDATE purchases SET customer_id = $2 WHERE workspace = $1 AND customer_id = $3", *args)
    await conn.execute(
        """INSERT INTO touches (workspace, customer_id, action, code, at, program_id, referrer_id)
           SELECT workspace, $2, action, code, at, program_id, referrer_id FROM touches
            WHERE workspace = $1 AND customer_id = $3
           ON CONFLICT DO NOTHING""",
        *args,
    )
    await conn.execute("DELETE FROM touches WHERE workspace = $1 AND customer_id = $2", workspace, merged)
    await conn.execute("UPDATE touches SET referrer_id = $2 WHERE workspace = $1 AND referrer_id = $3", *args)
    await conn.execute(
        """INSERT INTO segment_members (workspace, segment_id, segment_name, customer_id)
           SELECT workspace, segment_id, segment_name, $2 FROM segment_members WHERE workspace = $1 AND customer_id = $3
           ON CONFLICT DO NOTHING""",
        *args,
    )
    await conn.execute("DELETE FROM segment_members WHERE workspace = $1 AND customer_id = $2", workspace, merged)
    reversed_ = await _drop_duplicate_attribution(conn, *args)
    await conn.execute("UPDATE attributions SET referrer_id = $2 WHERE workspace = $1 AND referrer_id = $3", *args)
    await conn.execute("UPDATE attributions SET friend_id = $2 WHERE workspace = $1 AND friend_id = $3", *args)
    for column in ("beneficiary_id", "referrer_id", "friend_id"):
        sql = f"UPDATE rewards SET {column} = $2 WHERE workspace = $1 AND {column} = $3"  # noqa: S608 (constant)
        await conn.execute(sql, *args)
    refused = await conn.fetch(
        """UPDATE attributions SET status = 'rejected', reason = $2, qualified = false
            WHERE workspace = $1 AND friend_id = referrer_id AND status <> 'rejected' RETURNING friend_id""",
        workspace,
        MERGED_SELF_REFERRAL,
    )
    return reversed_ + await _reverse_rewards_of(
        conn, workspace, [r["friend_id"] for r in refused], MERGED_SELF_REFERRAL
    )


async def _drop_duplicate_attribution(
    conn: Connection, workspace: str, survivor: str, merged: str
) -> list[RewardEntry]:
    rows = await conn.fetch(
        """SELECT friend_id FROM attributions WHERE workspace = $1 AND friend_id = ANY($2::text[])
            ORDER BY first_touch_at, friend_id""",
        workspace,
        [survivor, merged],
    )
    if len(rows) < 2 or survivor == merged:
        return []
    loser = rows[1]["friend_id"]
    reversed_ = await _reverse_rewards_of(conn, workspace, [loser], DUPLICATE)
    await conn.execute("DELETE FROM attributions WHERE workspace = $1 AND friend_id = $2", workspace, loser)
    if loser == survivor:  # the merged profile's attribution came first: it becomes the survivor's
        await conn.execute(
            "UPDATE attributions SET friend_id = $2 WHERE workspace = $1 AND friend_id = $3",
            workspace,
            survivor,
            merged,
        )
    return reversed_


async def _reverse_rewards_of(
    conn: Connection, workspace: str, friends: Sequence[str], reason: str
) -> list[RewardEntry]:
    """Granted rewards of these attributions are reversed (returned to announce); held ones refused."""
    if not friends:
        return []
    rows = await conn.fetch(
        """UPDATE rewards SET status = CASE status WHEN 'granted' THEN 'reversed' ELSE 'rejected' END,
                  reason = $3, updated_at = now()
            WHERE workspace = $1 AND friend_id = ANY($2::text[]) AND status IN ('granted', 'held')
           RETURNING *, (status = 'reversed') AS was_granted""",
        workspace,
        list(friends),
        reason,
    )
    return [reward_of(r) for r in rows if r["was_granted"]]


async def erase(conn: Connection, workspace: str, ids: Sequence[str], event_id: str) -> None:
    ids = list(ids)
    names = [erasures.pseudonym(event_id, c) for c in ids]
    await erasures.delete_rows(conn, workspace, ("customers", "codes", "segment_members"), ids)
    await conn.execute(
        """UPDATE attributions SET device_id = NULL, email_domain = NULL
            WHERE workspace = $1 AND friend_id = ANY($2::text[])""",
        workspace,
        ids,
    )
    # A reviewer's comment on a held reward is free text that may name the person.
    await conn.execute(
        """UPDATE rewards SET review_comment = NULL
            WHERE workspace = $1 AND review_comment IS NOT NULL
              AND (beneficiary_id = ANY($2::text[]) OR friend_id = ANY($2::text[]) OR referrer_id = ANY($2::text[]))""",
        workspace,
        ids,
    )
    columns = {
        "touches": ("customer_id", "referrer_id"),
        "purchases": ("customer_id",),
        "attributions": ("friend_id", "referrer_id"),
        "rewards": ("beneficiary_id", "referrer_id", "friend_id"),
    }
    for table, cols in columns.items():
        for column in cols:
            await conn.execute(
                f"""UPDATE {table} AS t SET {column} = m.pseudonym
                      FROM unnest($2::text[], $3::text[]) AS m (customer_id, pseudonym)
                     WHERE t.workspace = $1 AND t.{column} = m.customer_id""",  # noqa: S608 (constant)
                workspace,
                ids,
                names,
            )
