"""The workspace's KPI targets (PUT/GET /v1/kpi-targets), kept in the gateway's own database: the KPI tree report
(GET /v1/reports/kpi-tree) is the gateway's, combining the services' numbers, and the targets are what it measures
them against. Each change is written to the audit log in the same transaction."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from services.gateway import audit, target_store
from services.gateway.deps import gateway_context, require
from services.gateway.domain import CUSTOMERS_READ, REPORTS_WRITE, Principal
from services.gateway.passthrough import IDEMPOTENT_WRITE, documented
from services.gateway.schemas import problems, quota_conflict
from services.gateway.schemas_targets import KpiTargets, KpiTargetsIn, ReportSettings

targets_router = APIRouter(tags=["reports"])
Reader = Annotated[Principal, Depends(require(CUSTOMERS_READ))]
Writer = Annotated[Principal, Depends(require(REPORTS_WRITE))]


@targets_router.put(
    "/v1/kpi-targets",
    dependencies=[IDEMPOTENT_WRITE],
    **documented(
        "put_kpi_targets", KpiTargets, {**problems(401, 403, 413, 415, 422, 429), **quota_conflict("kpi_targets")}
    ),
)
async def put_kpi_targets(request: Request, body: KpiTargetsIn, principal: Writer) -> KpiTargets:
    state = gateway_context(request)
    changes = [target_store.TargetChange(t.metric, t.period, t.target) for t in body.targets]
    async with state.runtime.pool.acquire() as conn, conn.transaction():
        await target_store.put_targets(conn, principal.workspace, changes, state.runtime.settings.quota_kpi_targets)
        for key in dict.fromkeys((c.metric, c.period) for c in changes):
            await audit.record(
                conn,
                workspace=principal.workspace,
                actor_key_id=principal.key_id,
                actor_owner=principal.owner or None,
                action=audit.KPI_TARGET_CHANGED,
                target="/".join(key),
                request_id=audit.request_id_of(request),
                at=state.clock(),
            )
        held = await target_store.list_targets(conn, principal.workspace)
    return KpiTargets(items=held)


@targets_router.get("/v1/kpi-targets", **documented("list_kpi_targets", KpiTargets, problems(401, 403, 429)))
async def list_kpi_targets(request: Request, principal: Reader) -> KpiTargets:
    held = await target_store.list_targets(gateway_context(request).runtime.pool, principal.workspace)
    return KpiTargets(items=held)


@targets_router.put(
    "/v1/report-settings",
    dependencies=[IDEMPOTENT_WRITE],
    **documented("put_report_settings", ReportSettings, problems(401, 403, 413, 415, 422, 429)),
)
async def put_report_settings(request: Request, body: ReportSettings, principal: Writer) -> ReportSettings:
    state = gateway_context(request)
    async with state.runtime.pool.acquire() as conn, conn.transaction():
        await target_store.put_report_currency(conn, principal.workspace, body.currency)
        await audit.record(
            conn,
            workspace=principal.workspace,
            actor_key_id=principal.key_id,
            actor_owner=principal.owner or None,
            action=audit.REPORT_SETTINGS_CHANGED,
            target="reports",
            request_id=audit.request_id_of(request),
            at=state.clock(),
        )
    return body


@targets_router.get("/v1/report-settings", **documented("get_report_settings", ReportSettings, problems(401, 403, 429)))
async def get_report_settings(request: Request, principal: Reader) -> ReportSettings:
    currency = await target_store.report_currency(gateway_context(request).runtime.pool, principal.workspace)
    return ReportSettings(currency=currency)
