"""The data-subject access export: everything every service holds on one customer, in one document, streamed.

A customer's timeline can be long, and an export must not hold it in memory (here or in profile): profile's
sections (timeline, orders, refunds, tickets), sales' deals and tasks, and every service's own export sections
(contracts/export.py: each service answers for what it holds, under its name) are read a page at a time and
written out as they come. What fits in one answer (the profile, scores, journeys, referrals) is fetched before the
first byte is sent, so a service that is down fails the export with 503 naming it, as before. A page that
fails later, once the answer has begun, aborts the answer: the client sees an incomplete document (invalid
JSON), never a complete-looking one with records missing.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import orjson

from contracts.export import PROFILE_SECTIONS, SERVICE_SECTIONS
from services.gateway.deps import GatewayContext
from services.gateway.service_client import ServiceClient, segment, workspace_path

log = logging.getLogger(__name__)

EXPORT_PAGE = 500  # the services' largest page
SALES_SECTIONS = ("deals", "tasks")  # the 360 view's summaries, as the document always had them
CHUNK_BYTES = 64 * 1024  # what the answer gathers before sending it on


@dataclass(frozen=True)
class ExportHead:
    """What is fetched before the answer starts: whatever is missing here is still a clean 503."""

    customer: dict[str, Any]
    scores: Any
    journeys: list[Any]
    referrals: Any


async def export_head(state: GatewayContext, workspace: str, customer: dict[str, Any]) -> ExportHead:
    """`customer` is profile's view of the (live) customer; the other services' single-answer sections."""
    base = f"/customers/{segment(str(customer['customer_id']))}"
    scores, journeys, referrals = await asyncio.gather(
        state.scoring.get_held(workspace_path(workspace, f"{base}/scores")),
        state.journey.get_held(workspace_path(workspace, f"{base}/enrolments")),
        state.referral.get_held(workspace_path(workspace, f"{base}/referrals")),
    )
    return ExportHead(customer, scores, journeys or [], referrals)


async def export_document(state: GatewayContext, workspace: str, head: ExportHead) -> AsyncIterator[bytes]:
    """The export as JSON text, in chunks; the paged sections are fetched as the answer is written."""
    base = f"/customers/{segment(str(head.customer['customer_id']))}"
    buffer = bytearray(b'{"customer":' + orjson.dumps(head.customer))
    try:
        for name in PROFILE_SECTIONS:
            path = workspace_path(workspace, f"{base}/export/{name}")
            async for chunk in _section(state.profile, name, path, buffer):
                yield chunk
        for name, value in (("scores", head.scores), ("journeys", head.journeys), ("referrals", head.referrals)):
            buffer += b',"' + name.encode() + b'":' + orjson.dumps(value)
        for name in SALES_SECTIONS:
            async for chunk in _section(state.sales, name, workspace_path(workspace, f"{base}/{name}"), buffer):
                yield chunk
        for service, sections in SERVICE_SECTIONS.items():
            buffer += b',"' + service.encode() + b'":{'
            client: ServiceClient = getattr(state, service)
            for index, name in enumerate(sections):
                path = workspace_path(workspace, f"{base}/export/{name}")
                async for chunk in _section(client, name, path, buffer, first=index == 0):
                    yield chunk
            buffer += b"}"
    except Exception:
        log.exception("export aborted after it began; the client gets an incomplete document")
        raise
    buffer += b',"exported_at":' + orjson.dumps(dt.datetime.now(dt.UTC)) + b"}"
    yield bytes(buffer)


async def _section(
    client: ServiceClient, name: str, path: str, buffer: bytearray, first: bool = False
) -> AsyncIterator[bytes]:
    """Appends `"name":[...]` to `buffer` (after a comma unless `first` in its object), a page at a time,
    yielding whenever it has grown past a chunk."""
    buffer += (b'"' if first else b',"') + name.encode() + b'":['
    separator = b""
    params: dict[str, Any] = {"limit": EXPORT_PAGE}
    while True:
        page = await client.get_held(path, params=params)
        for item in (page or {}).get("items", []):
            buffer += separator + orjson.dumps(item)
            separator = b","
        if len(buffer) >= CHUNK_BYTES:
            yield bytes(buffer)
            buffer.clear()
        cursor = (page or {}).get("next_cursor")
        if not cursor:
            break
        params = {"limit": EXPORT_PAGE, "cursor": cursor}
    buffer += b"]"
