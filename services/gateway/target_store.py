"""The gateway's SQL for KPI targets: a workspace's targets, set (or removed) in one statement per request, and
the quota `kpi_targets` on how many it holds."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from runtime import quotas
from runtime.db import Connection
from services.gateway.schemas_targets import KpiTarget
from services.gateway.store import Executor


@dataclass(frozen=True)
class TargetChange:
    metric: str
    period: str
    target: float | None  # None: remove the target


async def put_targets(conn: Connection, workspace: str, changes: Sequence[TargetChange], quota: int) -> int:
    """Set and remove targets (the last change of a key wins) in the caller's transaction; new ones must fit the
    quota `kpi_targets` (QuotaExceeded, a 409, and nothing changed when they do not). Returns the targets held."""
    last = {(c.metric, c.period): c for c in changes}
    kept = [c for c in last.values() if c.target is not None]
    removed = [c for c in last.values() if c.target is None]
    await quotas.KPI_TARGETS.lock(conn, workspace)
    before = await count_targets(conn, workspace)
    if removed:
        await conn.execute(
            """DELETE FROM kpi_targets t USING unnest($2::text[], $3::text[]) AS k(metric, period)
                WHERE t.workspace = $1 AND (t.metric, t.period) = (k.metric, k.period)""",
            workspace,
            [c.metric for c in removed],
            [c.period for c in removed],
        )
    if kept:
        await conn.execute(
            """INSERT INTO kpi_targets (workspace, metric, period, target)
               SELECT $1, * FROM unnest($2::text[], $3::text[], $4::float8[])
               ON CONFLICT (workspace, metric, period) DO UPDATE SET target = EXCLUDED.target, updated_at = now()""",
            workspace,
            [c.metric for c in kept],
            [c.period for c in kept],
            [c.target for c in kept],
        )
    held = await count_targets(conn, workspace)
    if held > quota and held > before:
        # Counted after the change, in the caller's transaction: raising rolls it back, so nothing changed.
        raise quotas.QuotaExceeded(quotas.KPI_TARGETS.usage(quota, before))
    return held


async def count_targets(db: Executor, workspace: str) -> int:
    count: int = await db.fetchval("SELECT count(*) FROM kpi_targets WHERE workspace = $1", workspace)
    return count


async def list_targets(db: Executor, workspace: str) -> list[KpiTarget]:
    rows = await db.fetch(
        "SELECT metric, period, target, updated_at FROM kpi_targets WHERE workspace = $1 ORDER BY metric, period",
        workspace,
    )
    return [
        KpiTarget(metric=r["metric"], period=r["period"], target=r["target"], updated_at=r["updated_at"]) for r in rows
    ]


async def targets_of_period(db: Executor, workspace: str, period: str) -> dict[str, float]:
    """The workspace's targets of exactly this period (`2026-Q4`), by metric: what the KPI tree measures against."""
    rows = await db.fetch(
        "SELECT metric, target FROM kpi_targets WHERE workspace = $1 AND period = $2", workspace, period
    )
    return {r["metric"]: r["target"] for r in rows}


async def report_currency(db: Executor, workspace: str) -> str | None:
    """The currency the workspace's reports are in (None: not set)."""
    currency: str | None = await db.fetchval("SELECT currency FROM report_settings WHERE workspace = $1", workspace)
    return currency


async def put_report_currency(db: Executor, workspace: str, currency: str | None) -> None:
    await db.execute(
        """INSERT INTO report_settings (workspace, currency) VALUES ($1, $2)
           ON CONFLICT (workspace) DO UPDATE SET currency = EXCLUDED.currency, updated_at = now()""",
        workspace,
        currency,
    )
