"""Journey's internal API for consent: the workspace's subscription groups and its suppression list.

A new group past FLYWHEEL_QUOTA_SUBSCRIPTION_GROUPS, or hashes past FLYWHEEL_QUOTA_SUPPRESSIONS, answer 409
`/problems/quota-exceeded` naming the quota; a call adds at most MAX_SUPPRESSIONS_PER_CALL hashes (422 beyond)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from contracts.envelope import WORKSPACE_PATTERN
from contracts.http.journey import (
    GROUP_ID_PATTERN,
    CustomerConsent,
    SubscriptionGroup,
    SubscriptionGroupIn,
    SuppressionsChanged,
    SuppressionsIn,
)
from runtime.context import context_dependency
from runtime.problems import PROBLEM_RESPONSES
from services.journey import consent_store
from services.journey.service import JourneyContext

consent_router = APIRouter(prefix="/internal/v1/workspaces/{workspace}", tags=["journey"], responses=PROBLEM_RESPONSES)
context_of = context_dependency(JourneyContext)

WorkspacePath = Annotated[str, Path(pattern=WORKSPACE_PATTERN)]
GroupPath = Annotated[str, Path(pattern=GROUP_ID_PATTERN)]
HashPath = Annotated[str, Path(pattern=r"^[0-9a-f]{64}$")]
CustomerPath = Annotated[str, Path(min_length=1, max_length=64)]


@consent_router.get("/subscription-groups", response_model=list[SubscriptionGroup], summary="Subscription groups")
async def list_groups(request: Request, workspace: WorkspacePath) -> list[SubscriptionGroup]:
    async with context_of(request).pool.acquire() as conn:
        return await consent_store.list_groups(conn, workspace)


@consent_router.put(
    "/subscription-groups/{group_id}",
    response_model=SubscriptionGroup,
    summary="Create or replace a subscription group (409 when a new one would pass the quota)",
)
async def put_group(
    request: Request, workspace: WorkspacePath, group_id: GroupPath, body: SubscriptionGroupIn
) -> SubscriptionGroup:
    context = context_of(request)
    async with context.pool.acquire() as conn, conn.transaction():
        group, _ = await consent_store.put_group(
            conn, workspace, group_id, body, quota=context.settings.quota_subscription_groups
        )
    return group


@consent_router.post(
    "/suppressions", response_model=SuppressionsChanged, summary="Add hashed identifiers to the suppression list"
)
async def add_suppressions(request: Request, workspace: WorkspacePath, body: SuppressionsIn) -> SuppressionsChanged:
    context = context_of(request)
    async with context.pool.acquire() as conn, conn.transaction():
        added, total = await consent_store.add_suppressions(
            conn, workspace, body.hashes, quota=context.settings.quota_suppressions
        )
    return SuppressionsChanged(changed=added, total=total)


@consent_router.delete(
    "/suppressions/{hash}", response_model=SuppressionsChanged, summary="Take a hash off the suppression list"
)
async def remove_suppression(request: Request, workspace: WorkspacePath, hash: HashPath) -> SuppressionsChanged:
    async with context_of(request).pool.acquire() as conn:
        removed, total = await consent_store.remove_suppression(conn, workspace, hash)
    return SuppressionsChanged(changed=removed, total=total)


@consent_router.get(
    "/customers/{customer_id}/consent",
    response_model=CustomerConsent,
    summary="A customer's consent: current status per group and the latest changes",
)
async def customer_consent(
    request: Request,
    workspace: WorkspacePath,
    customer_id: CustomerPath,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> CustomerConsent:
    async with context_of(request).pool.acquire() as conn:
        return await consent_store.customer_consent(conn, workspace, customer_id, limit)
