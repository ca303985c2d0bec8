"""Per-workspace quotas: how many of a resource one workspace may hold, checked where it is created.

Many businesses share one deployment, so nothing a workspace can create is unlimited: segments, journeys,
programs, pipelines, API keys, attributes... Each limit is a setting (`FLYWHEEL_QUOTA_<NAME>`, in
runtime.settings) with a default sized for a large business, answered when reached with 409 and a
problem+json naming the quota (`type: /problems/quota-exceeded`, `quota`, `limit`, `used`), and reported with its
use by every service's `GET /internal/v1/workspaces/{w}/quotas` and, for all of them, the gateway's
`GET /v1/quotas`.

Every quota is declared once below (`ALL`). A count and the insert it guards run in one transaction under a
per-workspace, per-quota advisory lock, so two concurrent creations cannot both take the last place.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from pydantic import BaseModel, Field

from contracts.envelope import WORKSPACE_PATTERN
from runtime.db import Connection
from runtime.problems import PROBLEM_RESPONSES, ProblemError
from runtime.settings import RuntimeSettings

QUOTA_EXCEEDED = "quota-exceeded"


class QuotaUsage(BaseModel):
    """One quota of a workspace: its limit and how much of it is in use."""

    name: str = Field(examples=["segments"], description="The quota's name, as in `FLYWHEEL_QUOTA_<NAME>`.")
    limit: int = Field(examples=[100])
    used: int = Field(examples=[12])
    description: str = Field(examples=["dynamic segments"])


class QuotaExceeded(ProblemError):
    """409 (or another 4xx), problem+json naming the quota, its limit and its use."""

    def __init__(self, usage: QuotaUsage, *, status: int = 409, headers: dict[str, str] | None = None) -> None:
        super().__init__(
            status,
            f"quota {usage.name!r} reached: this workspace holds {usage.used} of at most {usage.limit} "
            f"{usage.description}; remove some, or ask the operator to raise FLYWHEEL_QUOTA_{usage.name.upper()}",
            type_=QUOTA_EXCEEDED,
            headers=headers,
            extra={"quota": usage.name, "limit": usage.limit, "used": usage.used},
        )
        self.usage = usage


def check(usage: QuotaUsage, adding: int = 1) -> None:
    """Raises QuotaExceeded when `adding` more would take the workspace past its limit."""
    if usage.used + adding > usage.limit:
        raise QuotaExceeded(usage)


async def lock(conn: Connection, workspace: str, name: str) -> None:
    """Serialises creations counted against one quota of one workspace until the transaction ends."""
    await conn.execute("SELECT pg_advisory_xact_lock(hashtext('quota:' || $1 || ':' || $2))", name, workspace)


@dataclass(frozen=True)
class Quota:
    """One quota: its name (the setting is `quota_<name>`, `FLYWHEEL_QUOTA_<NAME>`) and what it counts."""

    name: str
    description: str

    def limit_in(self, settings: RuntimeSettings) -> int:
        limit: int = getattr(settings, f"quota_{self.name}")
        return limit

    def usage(self, limit: int, used: int) -> QuotaUsage:
        return QuotaUsage(name=self.name, limit=limit, used=used, description=self.description)

    async def lock(self, conn: Connection, workspace: str) -> None:
        await lock(conn, workspace, self.name)

    async def enforce(self, conn: Connection, workspace: str, limit: int, count_sql: str, *args: Any) -> QuotaUsage:
        """Inside the creating transaction: lock this quota of the workspace, count with `count_sql` ($1 is
        the workspace, then `args`) and refuse when one more would pass `limit`. Returns the usage before."""
        await self.lock(conn, workspace)
        used = int(await conn.fetchval(count_sql, workspace, *args) or 0)
        usage = self.usage(limit, used)
        check(usage)
        return usage


# Every quota, by the service that enforces it.
SEGMENTS = Quota("segments", "dynamic segments")  # scoring
JOURNEYS = Quota("journeys", "journeys (drafts, active and paused)")  # journey
ACTIVE_JOURNEYS = Quota("active_journeys", "active journeys")  # journey
REFERRAL_PROGRAMS = Quota("referral_programs", "referral programs")  # referral
PIPELINES = Quota("pipelines", "sales pipelines (built-in ones included)")  # sales
ATTRIBUTES = Quota("attributes", "custom attribute definitions")  # profile
TRAIT_VALUE_BYTES = Quota("trait_value_bytes", "bytes of JSON in one trait value")  # profile
API_KEYS = Quota("api_keys", "live API keys")  # gateway
IDEMPOTENCY_KEYS = Quota("idempotency_keys", "stored Idempotency-Key answers")  # gateway
MARKETING_SPEND_ROWS = Quota(
    "marketing_spend_rows", "rows of marketing spend (one per day, channel and campaign)"
)  # profile
KPI_TARGETS = Quota("kpi_targets", "KPI targets (one per metric and period)")  # gateway
LOYALTY_PROGRAM_VERSIONS = Quota("loyalty_program_versions", "versions of the loyalty program")  # loyalty
LOYALTY_HOLDS = Quota("loyalty_holds", "open redemption holds of one member")  # loyalty (counted per member)
SUBSCRIPTION_GROUPS = Quota("subscription_groups", "subscription groups (consent lists)")  # journey
SUPPRESSIONS = Quota("suppressions", "hashed identifiers on the suppression list")  # journey
EVENT_TYPES = Quota("event_types", "custom event types of the tracking plan")  # profile
EVENT_TYPE_VERSIONS = Quota("event_type_versions", "versions of one custom event type")  # profile (per type)
ALL = (
    SEGMENTS,
    JOURNEYS,
    ACTIVE_JOURNEYS,
    REFERRAL_PROGRAMS,
    PIPELINES,
    ATTRIBUTES,
    TRAIT_VALUE_BYTES,
    API_KEYS,
    IDEMPOTENCY_KEYS,
    MARKETING_SPEND_ROWS,
    KPI_TARGETS,
    LOYALTY_PROGRAM_VERSIONS,
    LOYALTY_HOLDS,
    SUBSCRIPTION_GROUPS,
    SUPPRESSIONS,
    EVENT_TYPES,
    EVENT_TYPE_VERSIONS,
)

UsageReader = Callable[[Request, str], Awaitable[Sequence[QuotaUsage]]]


def quota_router(service: str, usages: UsageReader) -> APIRouter:
    """`GET /internal/v1/workspaces/{workspace}/quotas` for a service: the quotas it enforces and their use."""
    router = APIRouter(tags=[service], responses=PROBLEM_RESPONSES)

    @router.get(
        "/internal/v1/workspaces/{workspace}/quotas",
        response_model=list[QuotaUsage],
        summary=f"The quotas {service} enforces for the workspace, with their use",
    )
    async def quotas(
        request: Request, workspace: Annotated[str, Path(pattern=WORKSPACE_PATTERN)]
    ) -> Sequence[QuotaUsage]:
        return await usages(request, workspace)

    return router
