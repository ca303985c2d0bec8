"""Journey's SQL for consent: the workspace's subscription groups and suppression list, each customer's consent
(current state and history) and hashed identifiers, and what the delivery loop reads before each attempt.

Consent is kept once per (event, group) in `consent_history`; `consent_state` holds the latest by event time
(on a tie, the larger event id), so redelivery and any order of arrival give the same state."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from contracts.http.journey import ConsentRecord, CustomerConsent, SubscriptionGroupIn
from contracts.http.journey import SubscriptionGroup as GroupView
from runtime.db import Connection
from runtime.quotas import SUBSCRIPTION_GROUPS, SUPPRESSIONS, QuotaUsage, check
from services.journey.domain.consent import ConsentChange, ConsentGroup, ConsentState

_COUNT_GROUPS = "SELECT count(*) FROM subscription_groups WHERE workspace = $1"
_COUNT_SUPPRESSIONS = "SELECT count(*) FROM suppressions WHERE workspace = $1"


# --- subscription groups -------------------------------------------------------------------------------------


async def put_group(
    conn: Connection, workspace: str, group_id: str, group: SubscriptionGroupIn, *, quota: int
) -> tuple[GroupView, bool]:
    """Create or replace a group; a new one counts against the quota (QuotaExceeded). Returns it and whether new."""
    exists = await conn.fetchval(
        "SELECT true FROM subscription_groups WHERE workspace = $1 AND group_id = $2", workspace, group_id
    )
    if not exists:
        await SUBSCRIPTION_GROUPS.enforce(conn, workspace, quota, _COUNT_GROUPS)
    row = await conn.fetchrow(
        """INSERT INTO subscription_groups (workspace, group_id, name, channel, default_status, description)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (workspace, group_id) DO UPDATE
              SET name = excluded.name, channel = excluded.channel, default_status = excluded.default_status,
                  description = excluded.description, updated_at = now()
        RETURNING group_id, name, channel, default_status AS default, description, updated_at""",
        workspace,
        group_id,
        group.name,
        group.channel,
        group.default,
        group.description,
    )
    assert row is not None
    return GroupView.model_validate(dict(row)), not exists


async def list_groups(conn: Connection, workspace: str) -> list[GroupView]:
    rows = await conn.fetch(
        """SELECT group_id, name, channel, default_status AS default, description, updated_at
             FROM subscription_groups WHERE workspace = $1 ORDER BY group_id""",
        workspace,
    )
    return [GroupView.model_validate(dict(r)) for r in rows]


async def quota_usages(conn: Connection, workspace: str, groups: int, suppressions: int) -> list[QuotaUsage]:
    row = await conn.fetchrow(
        f"SELECT ({_COUNT_GROUPS}) AS groups, ({_COUNT_SUPPRESSIONS}) AS suppressions",
        workspace,
    )
    assert row is not None
    return [SUBSCRIPTION_GROUPS.usage(groups, row["groups"]), SUPPRESSIONS.usage(suppressions, row["suppressions"])]


# --- suppression list ----------------------------------------------------------------------------------------


async def add_suppressions(conn: Connection, workspace: str, hashes: Sequence[str], *, quota: int) -> tuple[int, int]:
    """Add hashes (those already listed change nothing); QuotaExceeded when the new ones would pass `quota`.
    Returns (added, total)."""
    await SUPPRESSIONS.lock(conn, workspace)
    unique = sorted(set(hashes))
    row = await conn.fetchrow(
        """SELECT (SELECT count(*) FROM suppressions WHERE workspace = $1) AS total,
                  (SELECT count(*) FROM unnest($2::text[]) AS h(hash)
                    WHERE NOT EXISTS (SELECT 1 FROM suppressions s
                                       WHERE s.workspace = $1 AND s.hash = h.hash)) AS new""",
        workspace,
        unique,
    )
    assert row is not None
    check(SUPPRESSIONS.usage(quota, row["total"]), adding=row["new"])
    added = await conn.fetch(
        """INSERT INTO suppressions (workspace, hash) SELECT $1, h FROM unnest($2::text[]) AS h
           ON CONFLICT DO NOTHING RETURNING hash""",
        workspace,
        unique,
    )
    return len(added), row["total"] + len(added)


async def remove_suppression(conn: Connection, workspace: str, hash_: str) -> tuple[int, int]:
    removed = await conn.fetchval(
        "WITH d AS (DELETE FROM suppressions WHERE workspace = $1 AND hash = $2 RETURNING 1) SELECT count(*) FROM d",
        workspace,
        hash_,
    )
    total = await conn.fetchval(_COUNT_SUPPRESSIONS, workspace)
    return int(removed or 0), int(total or 0)


# --- each customer's consent and identifiers ------------------------------------------------------------------


async def record_consent(conn: Connection, workspace: str, changes: Sequence[ConsentChange]) -> None:
    """Keep each change once in the history, and the latest per (customer, group) by event time as the state."""
    if not changes:
        return
    columns = [
        [c.customer_id for c in changes],
        [c.group_id for c in changes],
        [c.status for c in changes],
        [c.source for c in changes],
        [c.occurred_at for c in changes],
        [c.event_id for c in changes],
    ]
    await conn.execute(
        """INSERT INTO consent_history (workspace, customer_id, group_id, status, source, occurred_at, event_id)
           SELECT $1, c, g, s, src, t, e
             FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::text[])
                  AS x(c, g, s, src, t, e)
           ON CONFLICT DO NOTHING""",
        workspace,
        *columns,
    )
    await conn.execute(
        """INSERT INTO consent_state AS cs (workspace, customer_id, group_id, status, source, occurred_at, event_id)
           SELECT DISTINCT ON (c, g) $1, c, g, s, src, t, e
             FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::text[])
                  AS x(c, g, s, src, t, e)
            ORDER BY c, g, t DESC, e DESC
           ON CONFLICT (workspace, customer_id, group_id) DO UPDATE
              SET status = excluded.status, source = excluded.source, occurred_at = excluded.occurred_at,
                  event_id = excluded.event_id
            WHERE (excluded.occurred_at, excluded.event_id) > (cs.occurred_at, cs.event_id)""",
        workspace,
        *columns,
    )


async def record_identifier_hashes(conn: Connection, workspace: str, pairs: Iterable[tuple[str, str]]) -> None:
    """(customer_id, hash) of identifiers the customer's events carried."""
    unique = sorted(set(pairs))
    if unique:
        await conn.execute(
            """INSERT INTO customer_identifier_hashes (workspace, customer_id, hash)
               SELECT $1, c, h FROM unnest($2::text[], $3::text[]) AS x(c, h) ON CONFLICT DO NOTHING""",
            workspace,
            [c for c, _ in unique],
            [h for _, h in unique],
        )


async def consent_states(conn: Connection, keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], ConsentState]:
    """Each (workspace, customer)'s consent now: statuses per group, suppressed, erased. One query."""
    if not keys:
        return {}
    rows = await conn.fetch(
        """SELECT k.workspace, k.customer_id,
                  (SELECT coalesce(jsonb_object_agg(cs.group_id, cs.status), '{}'::jsonb) FROM consent_state cs
                    WHERE cs.workspace = k.workspace AND cs.customer_id = k.customer_id) AS statuses,
                  EXISTS (SELECT 1 FROM customer_identifier_hashes h JOIN suppressions s
                            ON s.workspace = h.workspace AND s.hash = h.hash
                           WHERE h.workspace = k.workspace AND h.customer_id = k.customer_id) AS suppressed,
                  EXISTS (SELECT 1 FROM flywheel_erased_customers e
                           WHERE e.workspace = k.workspace AND e.customer_id = k.customer_id) AS erased
             FROM unnest($1::text[], $2::text[]) AS k(workspace, customer_id)""",
        [w for w, _ in keys],
        [c for _, c in keys],
    )
    return {
        (r["workspace"], r["customer_id"]): ConsentState(dict(r["statuses"]), r["suppressed"], r["erased"])
        for r in rows
    }


async def groups_of(conn: Connection, workspaces: Iterable[str]) -> dict[str, dict[str, ConsentGroup]]:
    names = sorted(set(workspaces))
    if not names:
        return {}
    rows = await conn.fetch(
        """SELECT workspace, group_id, channel, default_status FROM subscription_groups
            WHERE workspace = ANY($1::text[])""",
        names,
    )
    groups: dict[str, dict[str, ConsentGroup]] = defaultdict(dict)
    for r in rows:
        groups[r["workspace"]][r["group_id"]] = ConsentGroup(r["group_id"], r["channel"], r["default_status"])
    return groups


async def customer_consent(conn: Connection, workspace: str, customer_id: str, limit: int) -> CustomerConsent:
    """A customer's current consent and their last `limit` changes, oldest first (a merged-away id answers with
    its survivor's)."""
    survivor = await conn.fetchval(
        """SELECT coalesce((SELECT survivor_id FROM flywheel_merged_customers
                             WHERE workspace = $1 AND merged_id = $2), $2)""",
        workspace,
        customer_id,
    )
    current = await conn.fetch(
        """SELECT group_id, status, source, occurred_at, event_id FROM consent_state
            WHERE workspace = $1 AND customer_id = $2 ORDER BY group_id""",
        workspace,
        survivor,
    )
    history = await conn.fetch(
        """SELECT * FROM (SELECT group_id, status, source, occurred_at, event_id FROM consent_history
                           WHERE workspace = $1 AND customer_id = $2
                           ORDER BY occurred_at DESC, event_id DESC, group_id DESC LIMIT $3) h
            ORDER BY occurred_at, event_id, group_id""",
        workspace,
        survivor,
        limit,
    )
    return CustomerConsent(
        customer_id=survivor,
        current=[ConsentRecord.model_validate(dict(r)) for r in current],
        history=[ConsentRecord.model_validate(dict(r)) for r in history],
    )


async def merge(conn: Connection, workspace: str, survivor_id: str, merged_id: str) -> None:
    """The merged customer's consent and identifiers become the survivor's (the latest by event time wins)."""
    await conn.execute(
        """UPDATE consent_history SET customer_id = $2 WHERE workspace = $1 AND customer_id = $3""",
        workspace,
        survivor_id,
        merged_id,
    )
    await conn.execute(
        """INSERT INTO consent_state AS cs (workspace, customer_id, group_id, status, source, occurred_at, event_id)
           SELECT workspace, $2, group_id, status, source, occurred_at, event_id FROM consent_state
            WHERE workspace = $1 AND customer_id = $3
           ON CONFLICT (workspace, customer_id, group_id) DO UPDATE
              SET status = excluded.status, source = excluded.source, occurred_at = excluded.occurred_at,
                  event_id = excluded.event_id
            WHERE (excluded.occurred_at, excluded.event_id) > (cs.occurred_at, cs.event_id)""",
        workspace,
        survivor_id,
        merged_id,
    )
    await conn.execute("DELETE FROM consent_state WHERE workspace = $1 AND customer_id = $2", workspace, merged_id)
    await conn.execute(
        """INSERT INTO customer_identifier_hashes (workspace, customer_id, hash)
           SELECT workspace, $2, hash FROM customer_identifier_hashes WHERE workspace = $1 AND customer_id = $3
           ON CONFLICT DO NOTHING""",
        workspace,
        survivor_id,
        merged_id,
    )
    await conn.execute(
        "DELETE FROM customer_identifier_hashes WHERE workspace = $1 AND customer_id = $2", workspace, merged_id
    )
