"""Customer signals (lead-score facts), purchased categories, lead rules; merges and erasure: SQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from contracts.traits import merge_traits
from runtime import erasures, merge_undo, merges
from runtime.db import Connection
from services.sales.domain.lead_score import DEFAULT_RULES, LeadFacts, LeadRules


@dataclass
class Signals:
    facts: LeadFacts = field(default_factory=LeadFacts)
    trait_times: dict[str, str] = field(default_factory=dict)
    at_risk_since: dt.datetime | None = None


async def load_signals(conn: Connection, workspace: str, customer_ids: Iterable[str]) -> dict[str, Signals]:
    """Signals of these customers (fresh ones for those not seen), locked until commit in id order."""
    ids = sorted(set(customer_ids))
    rows = await conn.fetch(
        """SELECT * FROM customer_signals WHERE workspace = $1 AND customer_id = ANY($2::text[])
            ORDER BY customer_id FOR UPDATE""",
        workspace,
        ids,
    )
    found = {
        r["customer_id"]: Signals(
            LeadFacts(
                visits=r["visits"],
                purchases=r["purchases"],
                revenue=r["revenue"],
                last_activity_at=r["last_activity_at"],
                traits=r["traits"],
                rfm_segment=r["rfm_segment"],
                churn_band=r["churn_band"],
            ),
            r["trait_times"],
            r["at_risk_since"],
        )
        for r in rows
    }
    return {c: found.get(c) or Signals() for c in ids}


async def save_signals(conn: Connection, workspace: str, signals: Mapping[str, Signals]) -> None:
    ids = sorted(signals)
    rows = [signals[c] for c in ids]
    await conn.execute(
        """INSERT INTO customer_signals (workspace, customer_id, visits, purchases, revenue, last_activity_at, traits,
                                         trait_times, rfm_segment, churn_band, at_risk_since)
           SELECT $1, s.* FROM unnest($2::text[], $3::int[], $4::int[], $5::numeric[], $6::timestamptz[],
                  $7::jsonb[], $8::jsonb[], $9::text[], $10::text[], $11::timestamptz[])
                  AS s(customer_id, visits, purchases, revenue, last_activity_at, traits, trait_times, rfm_segment,
                       churn_band, at_risk_since)
           ON CONFLICT (workspace, customer_id) DO UPDATE SET
               visits = excluded.visits, purchases = excluded.purchases, revenue = excluded.revenue,
               last_activity_at = excluded.last_activity_at, traits = excluded.traits,
               trait_times = excluded.trait_times, rfm_segment = excluded.rfm_segment,
               churn_band = excluded.churn_band, at_risk_since = excluded.at_risk_since""",
        workspace,
        ids,
        [s.facts.visits for s in rows],
        [s.facts.purchases for s in rows],
        [s.facts.revenue for s in rows],
        [s.facts.last_activity_at for s in rows],
        [s.facts.traits for s in rows],
        [s.trait_times for s in rows],
        [s.facts.rfm_segment for s in rows],
        [s.facts.churn_band for s in rows],
        [s.at_risk_since for s in rows],
    )


async def add_categories(conn: Connection, workspace: str, bought: Sequence[tuple[str, str]]) -> None:
    """(customer, category) pairs; a pair seen before is already there (natural key)."""
    if not bought:
        return
    await conn.execute(
        """INSERT INTO customer_categories (workspace, customer_id, category)
           SELECT $1, * FROM unnest($2::text[], $3::text[]) ON CONFLICT DO NOTHING""",
        workspace,
        [b[0] for b in bought],
        [b[1] for b in bought],
    )


async def co_purchase_counts(
    conn: Connection, workspace: str, category: str | None
) -> tuple[dict[str, int], dict[tuple[str, str], int], int]:
    """Customers per category, per ordered pair of categories (from `category` only, when given), and in all:
    one self-join over each customer's categories, counted in PostgreSQL."""
    customers = await conn.fetchval(
        "SELECT count(DISTINCT customer_id) FROM customer_categories WHERE workspace = $1", workspace
    )
    items = await conn.fetch(
        "SELECT category, count(*)::int AS n FROM customer_categories WHERE workspace = $1 GROUP BY category",
        workspace,
    )
    pairs = await conn.fetch(
        """SELECT a.category AS a, b.category AS b, count(*)::int AS n
             FROM customer_categories a
             JOIN customer_categories b
               ON b.workspace = a.workspace AND b.customer_id = a.customer_id AND b.category <> a.category
            WHERE a.workspace = $1 AND ($2::text IS NULL OR a.category = $2)
            GROUP BY a.category, b.category""",
        workspace,
        category,
    )
    return {r["category"]: r["n"] for r in items}, {(r["a"], r["b"]): r["n"] for r in pairs}, int(customers)


async def get_lead_rules(conn: Connection, workspace: str) -> tuple[LeadRules, bool]:
    """The workspace's rules, or the default set; and whether they are the default."""
    stored = await conn.fetchval("SELECT rules FROM lead_rules WHERE workspace = $1", workspace)
    return (LeadRules.model_validate(stored), False) if stored is not None else (DEFAULT_RULES, True)


async def put_lead_rules(conn: Connection, workspace: str, rules: LeadRules) -> None:
    await conn.execute(
        """INSERT INTO lead_rules (workspace, rules) VALUES ($1, $2)
           ON CONFLICT (workspace) DO UPDATE SET rules = excluded.rules""",
        workspace,
        rules.model_dump(mode="json"),
    )


# --- merges and erasure -----------------------------------------------------------------------------


def fold_signals(survivor: Signals, merged: Signals) -> Signals:
    """The survivor's signals with the merged customer's added (counts summed, latest activity, traits by
    time; the survivor's own scoring bands win, since scoring re-scores the survivor anyway)."""
    a, b = survivor.facts, merged.facts
    traits, times = merge_traits((a.traits, survivor.trait_times), (b.traits, merged.trait_times))
    last = max((t for t in (a.last_activity_at, b.last_activity_at) if t is not None), default=None)
    facts = LeadFacts(
        visits=a.visits + b.visits,
        purchases=a.purchases + b.purchases,
        revenue=Decimal(a.revenue) + Decimal(b.revenue),
        last_activity_at=last,
        traits=traits,
        rfm_segment=a.rfm_segment or b.rfm_segment,
        churn_band=a.churn_band or b.churn_band,
    )
    return Signals(facts, times, survivor.at_risk_since or merged.at_risk_since)


CUSTOMER_TABLES = ("customer_signals", "customer_categories", "customer_owners")  # what sales keeps per customer


# What a fold changes, kept per merge for an undo (runtime.merge_undo): signals, categories and owner as they
# were; deals and tasks get back only their customer (their stages and status after the merge stay).
FOLDED = (
    merge_undo.FoldedTable("customer_signals"),
    merge_undo.FoldedTable("customer_categories"),
    merge_undo.FoldedTable("customer_owners"),
    merge_undo.FoldedTable("deals", links_only=True),
    merge_undo.FoldedTable("tasks", links_only=True),
)


async def fold_merged(conn: Connection, workspace: str, survivor: str, merged: str, merge_id: str) -> None:
    """Move the merged customer's deals, tasks, signals, categories and owner to the survivor (what it changes
    kept first, under `merge_id`, for an undo)."""
    await merge_undo.capture(conn, workspace, merge_id, survivor, merged, FOLDED)
    await merges.record_merge(conn, workspace, survivor, merged)
    signals = await load_signals(conn, workspace, [survivor, merged])
    await save_signals(conn, workspace, {survivor: fold_signals(signals[survivor], signals[merged])})
    for statement in (
        "UPDATE deals SET customer_id = $2 WHERE workspace = $1 AND customer_id = $3",
        "UPDATE tasks SET customer_id = $2 WHERE workspace = $1 AND customer_id = $3",
        """INSERT INTO customer_categories (workspace, customer_id, category)
           SELECT workspace, $2, category FROM customer_categories WHERE workspace = $1 AND customer_id = $3
           ON CONFLICT DO NOTHING""",
        # The survivor keeps its own owner; it takes the merged customer's only when it had none.
        """INSERT INTO customer_owners (workspace, customer_id, owner)
           SELECT workspace, $2, owner FROM customer_owners WHERE workspace = $1 AND customer_id = $3
           ON CONFLICT DO NOTHING""",
    ):
        await conn.execute(statement, workspace, survivor, merged)
    await erasures.delete_rows(
        conn, workspace, ("customer_signals", "customer_categories", "customer_owners"), [merged]
    )


async def restore_merged(
    conn: Connection, workspace: str, merge_id: str, survivor: str, restored: str
) -> merge_undo.Restore:
    """An undone merge: both customers' signals, categories and owner as before it, their deals and tasks back
    on their side; the restored id resolves to itself."""
    return await merge_undo.restore(conn, workspace, merge_id, survivor, restored, FOLDED)


async def erase(conn: Connection, workspace: str, customer_ids: Sequence[str]) -> None:
    """Forget the customers: signals, traits, categories, owner and tasks go; deals stay for the numbers
    (amounts, stages, times) but lose the customer link and every free text that may name the person: the
    title, custom fields, the close reason, the stage overrides' reasons and the quotes' decision comments.
    Later events for the ids are dropped (runtime.erasures)."""
    ids = list(customer_ids)
    await erasures.delete_rows(
        conn, workspace, ("customer_signals", "customer_categories", "customer_owners", "tasks"), ids
    )
    deals = await conn.fetch(
        """UPDATE deals SET customer_id = NULL, title = '(erased customer)', fields = '{}',
                  close_reason = CASE WHEN close_reason IS NULL THEN NULL ELSE '(erased)' END
            WHERE workspace = $1 AND customer_id = ANY($2::text[])
        RETURNING deal_id""",
        workspace,
        ids,
    )
    deal_ids = [r["deal_id"] for r in deals]
    await conn.execute(
        """UPDATE deal_stage_history SET override_reason = '(erased)'
            WHERE workspace = $1 AND deal_id = ANY($2::text[]) AND override_reason IS NOT NULL""",
        workspace,
        deal_ids,
    )
    await conn.execute(
        """UPDATE quotes SET decision_comment = NULL WHERE workspace = $1 AND deal_id = ANY($2::text[])""",
        workspace,
        deal_ids,
    )
    await merges.forget(conn, workspace, ids)
    await erasures.record(conn, workspace, ids)


async def has_signals(conn: Connection, workspace: str, customer_id: str) -> bool:
    """Whether sales has seen anything of the customer (load_signals gives empty signals for anyone)."""
    found = await conn.fetchval(
        "SELECT true FROM customer_signals WHERE workspace = $1 AND customer_id = $2", workspace, customer_id
    )
    return bool(found)
