"""GET /v1/quotas: every quota of the workspace, with its limit and use, gathered from the services that enforce
them (runtime.quotas) and the gateway's own (API keys, KPI targets, stored Idempotency-Key answers)."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from runtime import quotas
from runtime.problems import ProblemError
from runtime.quotas import QuotaUsage
from services.gateway import store, target_store
from services.gateway.deps import GatewayContext, gateway_context, require
from services.gateway.domain import CUSTOMERS_READ, Principal
from services.gateway.passthrough import described
from services.gateway.schemas import problems
from services.gateway.service_client import ServiceClient, parse, workspace_path

quotas_router = APIRouter(tags=["quotas"])
Reader = Annotated[Principal, Depends(require(CUSTOMERS_READ))]


class Quotas(BaseModel):
    quotas: list[QuotaUsage] = Field(description="Every quota of the workspace, by name.")
    degraded: list[str] = Field(
        default_factory=list,
        description="Services that did not answer in time: their quotas are missing from `quotas`.",
        examples=[[]],
    )


class _ServiceQuotas(BaseModel):
    items: list[QuotaUsage]


@quotas_router.get(
    "/v1/quotas", **described("get_quotas"), response_model=Quotas, responses=problems(401, 403, 429, 503)
)
async def get_quotas(request: Request, principal: Reader) -> Quotas:
    state = gateway_context(request)
    services = (state.profile, state.scoring, state.journey, state.referral, state.sales, state.loyalty)
    held = asyncio.gather(*(_service_quotas(client, principal.workspace) for client in services))
    usages = await _gateway_quotas(state, principal.workspace)
    degraded = []
    for client, answer in zip(services, await held, strict=True):
        if answer is None:
            degraded.append(client.name)
        else:
            usages.extend(answer)
    return Quotas(quotas=sorted(usages, key=lambda u: u.name), degraded=degraded)


async def _gateway_quotas(state: GatewayContext, workspace: str) -> list[QuotaUsage]:
    pool, settings = state.runtime.pool, state.runtime.settings
    keys = quotas.API_KEYS.usage(settings.quota_api_keys, await store.count_live_keys(pool, workspace))
    targets = quotas.KPI_TARGETS.usage(settings.quota_kpi_targets, await target_store.count_targets(pool, workspace))
    return [keys, targets, await state.idempotency_quota.usage(pool, workspace, state.clock())]


async def _service_quotas(client: ServiceClient, workspace: str) -> list[QuotaUsage] | None:
    """The service's quotas; [] when it enforces none (its 404); None when it does not answer."""
    try:
        doc = await client.get_held(workspace_path(workspace, "/quotas"))
    except ProblemError as exc:
        if exc.status in (502, 503, 504):
            return None
        raise
    return [] if doc is None else parse(_ServiceQuotas, {"items": doc}, client.name).items
