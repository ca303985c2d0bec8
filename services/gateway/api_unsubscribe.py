"""/v1/unsubscribe: the one-click unsubscribe link every journey message carries (runtime/unsubscribe_links.py).
No API key: the signed token is the authorisation.

- `POST /v1/unsubscribe?token=...` unsubscribes at once (RFC 8058 `List-Unsubscribe-Post: List-Unsubscribe=One-Click`:
  a mail client POSTs `List-Unsubscribe=One-Click` as a form; any body within MAX_BODY_BYTES is accepted and ignored);
- `GET` only shows what the link would do (a small HTML page with a button that POSTs, or JSON when the client
  asks for it): link scanners that follow every URL unsubscribe nobody.
In order: the token's signature (401: malformed, altered, another deployment's) and then its expiry (410), before
anything else; then the customer, from profile (410 when erased or unknown); then an inbound `consent` event
(unsubscribed, source `unsubscribe_link`) for the link's workspace and customer, with an id derived from the token, so
a second click, a retry or a mail client's and the customer's click together count once (202). Idempotent. The
protection middleware limits how often one client address may call (as survey answers: the same limiter).
"""

from __future__ import annotations

import html
import logging
from typing import Annotated

from aiokafka.errors import KafkaError
from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field

from contracts.codec import encode, validate_typed
from contracts.envelope import CONTENT_TYPE
from contracts.http.profile import CustomerView
from contracts.inbound import INBOUND_EVENT_TYPES
from contracts.partition import IDENTIFIER_ORDER, event_partition_key
from contracts.topics import INBOUND
from runtime.problems import ProblemError
from runtime.telemetry import inject_headers
from runtime.unsubscribe_links import (
    MAX_TOKEN_CHARS,
    UNSUBSCRIBE_PATH,
    ExpiredLink,
    InvalidLink,
    UnsubscribeLink,
    unsubscribe_event_id,
    verify_link,
)
from services.gateway.deps import GatewayContext, gateway_context
from services.gateway.passthrough import described
from services.gateway.request_body import read_bounded_body
from services.gateway.schemas import problems
from services.gateway.service_client import parse, segment, workspace_path

log = logging.getLogger(__name__)

SOURCE = "flywheel.gateway.unsubscribe"
CONSENT_SOURCE = "unsubscribe_link"
MAX_BODY_BYTES = 4096
INVALID = "this unsubscribe link is not valid"
EXPIRED = "this unsubscribe link has expired"
GONE = "the customer this unsubscribe link was sent to is no longer known"

unsubscribe_router = APIRouter(tags=["consent"])

Token = Annotated[str, Query(min_length=1, max_length=MAX_TOKEN_CHARS, description="The link's signed token.")]


class Unsubscribed(BaseModel):
    event_id: str = Field(
        description="The id of the `consent` event the click became (one per link).",
        examples=["unsubscribe-link-3f1c0e5a9b2d4c6e8f0a1b2c3d4e5f60"],
    )
    group: str = Field(description="The subscription group (or channel) unsubscribed from.", examples=["newsletter"])
    status: str = Field("unsubscribed", examples=["unsubscribed"])


class UnsubscribePreview(BaseModel):
    group: str = Field(examples=["newsletter"])
    action: str = Field(
        description="What a POST to the same URL does.", examples=["POST this URL to unsubscribe from newsletter"]
    )


@unsubscribe_router.post(
    UNSUBSCRIBE_PATH,
    status_code=202,
    **described("post_unsubscribe"),
    response_model=Unsubscribed,
    responses=problems(401, 410, 413, 422, 429, 503),
    openapi_extra={"security": []},
)
async def post_unsubscribe(request: Request, token: Token) -> Response:
    state = gateway_context(request)
    link = _verified(state, token)  # before the body is even read
    await read_bounded_body(request, MAX_BODY_BYTES, f"the body is larger than {MAX_BODY_BYTES} bytes")
    event_doc = await _event_of(state, link)
    event_doc["time"] = state.clock().isoformat()
    event = validate_typed(event_doc, INBOUND_EVENT_TYPES)
    await _publish(state, event_partition_key(event), encode(event))
    answer = Unsubscribed(event_id=event.id, group=link.group)
    if "text/html" in request.headers.get("accept", "") and "json" not in request.headers.get("accept", ""):
        page = f"<p>You are unsubscribed from {html.escape(link.group)}.</p>"
        return Response(_page(page).encode(), 202, media_type="text/html")
    return Response(answer.model_dump_json().encode(), 202, media_type="application/json")


@unsubscribe_router.get(
    UNSUBSCRIBE_PATH,
    **described("get_unsubscribe"),
    response_model=UnsubscribePreview,
    responses=problems(401, 410, 422, 429),
    openapi_extra={"security": []},
)
async def get_unsubscribe(request: Request, token: Token) -> Response:
    link = _verified(gateway_context(request), token)
    preview = UnsubscribePreview(group=link.group, action=f"POST this URL to unsubscribe from {link.group}")
    if "text/html" in request.headers.get("accept", ""):
        group = html.escape(link.group)
        form = (
            f'<form method="post"><p>Unsubscribe from {group}?</p>'
            '<button type="submit" name="List-Unsubscribe" value="One-Click">Unsubscribe</button></form>'
        )
        return Response(_page(form).encode(), 200, media_type="text/html")
    return Response(preview.model_dump_json().encode(), 200, media_type="application/json")


def _page(content: str) -> str:
    head = '<!doctype html><html><head><meta charset="utf-8"><title>Unsubscribe</title></head>'
    return f"{head}<body>{content}</body></html>"


def _verified(state: GatewayContext, token: str) -> UnsubscribeLink:
    try:
        return verify_link(state.survey_keyring, token, state.clock())
    except InvalidLink:
        raise ProblemError(401, INVALID) from None
    except ExpiredLink:
        raise ProblemError(410, EXPIRED) from None


async def _event_of(state: GatewayContext, link: UnsubscribeLink) -> dict[str, object]:
    """The inbound `consent` event (its time set by the caller), naming the customer by the strongest identifier
    profile holds for them."""
    path = workspace_path(link.workspace, f"/customers/{segment(link.customer_id)}")
    try:
        doc = await state.profile.get(path, not_found=GONE)
    except ProblemError as exc:
        if exc.status == 404:
            raise ProblemError(410, GONE) from None
        raise
    identifiers = parse(CustomerView, doc).identifiers
    customer = next(
        ({kind: values[0]} for kind in IDENTIFIER_ORDER if (values := getattr(identifiers, kind))),
        None,
    )
    if customer is None:
        raise ProblemError(410, GONE)
    return {
        "specversion": "1.0",
        "id": unsubscribe_event_id(link.token_id),
        "source": SOURCE,
        "type": "consent",
        "workspace": link.workspace,
        "data": {"customer": customer, "group": link.group, "status": "unsubscribed", "source": CONSENT_SOURCE},
    }


async def _publish(state: GatewayContext, key: bytes, value: bytes) -> None:
    """Published and acknowledged, or a 503 (the link works again: the same event id)."""
    headers = inject_headers([("content-type", CONTENT_TYPE.encode())])
    try:
        future = await state.runtime.producer.send(INBOUND, value, key=key, headers=headers)
        await future
    except (TimeoutError, KafkaError) as exc:
        log.warning("unsubscribe not published", extra={"error": repr(exc)})
        raise ProblemError(
            503, "the event broker did not confirm the unsubscribe; try again", headers={"Retry-After": "1"}
        ) from None
