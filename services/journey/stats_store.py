"""Journey's SQL for what its API reports about enrolments: a journey's funnel (stats), a customer's enrolments,
and the workspace's conversions in a period. Read only; answered as the contract models the API returns."""

from __future__ import annotations

import datetime as dt

from contracts.http.journey import (
    CustomerJourney,
    DeliveryCounts,
    HeldBackCount,
    HoldoutStats,
    JourneyReport,
    JourneyStats,
    StepCount,
    VariantStats,
)
from runtime.db import Connection


def _rate(converted: int, entered: int) -> float | None:
    return converted / entered if entered else None


async def journey_stats(conn: Connection, workspace: str, journey_id: str) -> JourneyStats:
    """Counts of a journey's enrolments (all versions): totals, in-flight customers per step, per split
    variant, holdout against treated (with the lift), and its webhook deliveries. Two queries."""
    rows = await conn.fetch(
        """SELECT grouping(variant, holdout, step_id) AS g, variant, holdout, step_id,
                  count(*) AS entered,
                  count(*) FILTER (WHERE status = 'active') AS active,
                  count(*) FILTER (WHERE status = 'waiting') AS waiting,
                  count(*) FILTER (WHERE status = 'converted') AS converted,
                  count(*) FILTER (WHERE status = 'exited') AS exited,
                  count(*) FILTER (WHERE status = 'completed') AS completed
             FROM enrolments WHERE workspace = $1 AND journey_id = $2
            GROUP BY GROUPING SETS ((), (variant), (holdout), (step_id))""",
        workspace,
        journey_id,
    )
    deliveries = await conn.fetch(
        """SELECT status, CASE WHEN status = 'suppressed' THEN last_error END AS reason, count(*) AS n
             FROM webhook_deliveries
            WHERE workspace = $1 AND journey_id = $2 GROUP BY 1, 2""",
        workspace,
        journey_id,
    )
    # grouping() bits: variant 4, holdout 2, step_id 1 (a set bit: not grouped by that column).
    total = next((r for r in rows if r["g"] == 7), None)
    counts = {k: total[k] if total else 0 for k in ("entered", "active", "waiting", "converted", "exited", "completed")}
    steps = sorted(
        (
            StepCount(step_id=r["step_id"], active=r["active"], waiting=r["waiting"])
            for r in rows
            if r["g"] == 6 and r["step_id"] is not None and r["active"] + r["waiting"] > 0
        ),
        key=lambda s: s.step_id,
    )
    variants = sorted(
        (
            VariantStats(
                variant=r["variant"],
                entered=r["entered"],
                converted=r["converted"],
                conversion_rate=_rate(r["converted"], r["entered"]),
            )
            for r in rows
            if r["g"] == 3 and r["variant"] is not None
        ),
        key=lambda v: v.variant,
    )
    groups = {r["holdout"]: (r["entered"], r["converted"]) for r in rows if r["g"] == 5}
    held, treated = groups.get(True, (0, 0)), groups.get(False, (0, 0))
    held_rate, treated_rate = _rate(held[1], held[0]), _rate(treated[1], treated[0])
    lift = (treated_rate - held_rate) / held_rate if held_rate and treated_rate is not None else None
    by_status: dict[str, int] = {}
    for r in deliveries:
        by_status[r["status"]] = by_status.get(r["status"], 0) + r["n"]
    reasons = {r["reason"]: r["n"] for r in deliveries if r["status"] == "suppressed" and r["reason"]}
    return JourneyStats(
        journey_id=journey_id,
        **counts,
        in_flight=counts["active"] + counts["waiting"],
        steps=steps,
        variants=variants,
        holdout=HoldoutStats(
            holdout_entered=held[0],
            holdout_converted=held[1],
            holdout_rate=held_rate,
            treated_entered=treated[0],
            treated_converted=treated[1],
            treated_rate=treated_rate,
            lift=lift,
        ),
        deliveries=DeliveryCounts(
            delivered=by_status.get("delivered", 0),
            pending=by_status.get("pending", 0),
            failed=by_status.get("failed", 0),
            suppressed=by_status.get("suppressed", 0),
            suppressed_reasons=dict(sorted(reasons.items())),
        ),
    )


async def customer_enrolments(conn: Connection, workspace: str, customer_id: str, limit: int) -> list[CustomerJourney]:
    """A customer's enrolments, newest first (a merged-away id answers with its survivor's)."""
    rows = await conn.fetch(
        """SELECT journey_id, version, status, step_id, variant, holdout, entered_at, ended_at, end_reason
             FROM enrolments
            WHERE workspace = $1 AND customer_id = coalesce(
                      (SELECT survivor_id FROM flywheel_merged_customers WHERE workspace = $1 AND merged_id = $2), $2)
            ORDER BY entered_at DESC, enrolment_id DESC LIMIT $3""",
        workspace,
        customer_id,
        limit,
    )
    return [CustomerJourney.model_validate(dict(r)) for r in rows]


async def workspace_report(conn: Connection, workspace: str, since: dt.datetime, until: dt.datetime) -> JourneyReport:
    """Enrolments across the workspace's journeys that entered in [since, until), holdouts left out (they
    get no messages): how many entered, how many of them have converted, and in how many journeys."""
    row = await conn.fetchrow(
        """SELECT count(*) AS entered, count(*) FILTER (WHERE status = 'converted') AS converted,
                  count(DISTINCT journey_id) AS journeys
             FROM enrolments
            WHERE workspace = $1 AND entered_at >= $2 AND entered_at < $3 AND NOT holdout""",
        workspace,
        since,
        until,
    )
    assert row is not None
    return JourneyReport(
        from_=since,
        to=until,
        entered=row["entered"],
        converted=row["converted"],
        conversion_rate=_rate(row["converted"], row["entered"]),
        journeys=row["journeys"],
    )


def with_held_back(stats: JourneyStats, held: list[tuple[str, str, int]]) -> JourneyStats:
    """The stats with the messages frequency caps held back (cap_store.held_back)."""
    counts = [HeldBackCount.model_validate({"outcome": o, "reason": r, "messages": n}) for o, r, n in held]
    return stats.model_copy(
        update={
            "held_back": counts,
            "deferred_by_caps": sum(c.messages for c in counts if c.outcome == "deferred"),
            "skipped_by_caps": sum(c.messages for c in counts if c.outcome == "skipped"),
        }
    )
