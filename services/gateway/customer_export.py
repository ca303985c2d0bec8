"""The data-subject access export: everything every service holds on one customer, in one document.

Profile's export (the profile, its identifiers, timeline, orders, tickets) is the base; scoring, journey,
referral and sales add what they hold. Unlike the 360 view, an export is never partial: a service that
does not answer fails the export (503 naming it) rather than leave out records the customer asked for.
"""

from __future__ import annotations

import asyncio
from typing import Any

from services.gateway.deps import GatewayState
from services.gateway.service_client import ServiceClient, segment, workspace_path

EXPORT_PAGE = 500  # the services' largest page


async def export_everything(state: GatewayState, workspace: str, profile_export: dict[str, Any]) -> dict[str, Any]:
    """`profile_export` with what the other services hold on the same (live) customer."""
    customer_id = str(profile_export["customer"]["customer_id"])
    base = f"/customers/{segment(customer_id)}"
    scores, journeys, referrals, deals, tasks = await asyncio.gather(
        state.scoring.get_held(workspace_path(workspace, f"{base}/scores")),
        state.journey.get_held(workspace_path(workspace, f"{base}/enrolments")),
        state.referral.get_held(workspace_path(workspace, f"{base}/referrals")),
        _every_page(state.sales, workspace_path(workspace, f"{base}/deals")),
        _every_page(state.sales, workspace_path(workspace, f"{base}/tasks")),
    )
    return {
        **profile_export,
        "scores": scores,
        "journeys": journeys or [],
        "referrals": referrals,
        "deals": deals,
        "tasks": tasks,
    }


async def _every_page(client: ServiceClient, path: str) -> list[Any]:
    items: list[Any] = []
    params: dict[str, Any] = {"limit": EXPORT_PAGE}
    while True:
        page = await client.get_held(path, params=params)
        if not page:
            return items
        items.extend(page.get("items", []))
        if not page.get("next_cursor"):
            return items
        params = {"limit": EXPORT_PAGE, "cursor": page["next_cursor"]}
