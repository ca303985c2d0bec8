"""Journeys, journey templates, a customer's enrolments and the outreach channel, served from the journey
service's internal API.

The workspace always comes from the API key; a journey or customer id of another workspace is not found.
Journey documents pass through as JSON: the journey service validates them, and its 422 names every bad
field (e.g. `steps.offer.next`). Journey changes (create, update, activate, pause, archive) and channel changes
go to the audit log (services/gateway/audit.py: written before the call, completed from the answer).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from fastapi import APIRouter, Body, Depends, Path, Query, Request, Response

from runtime.problems import ProblemError
from services.gateway import audit
from services.gateway.deps import IdempotencyKey, gateway_state, require
from services.gateway.domain import (
    ADMIN,
    CUSTOMERS_READ,
    JOURNEYS_WRITE,
    MAX_PAGE,
    Principal,
    clamp_limit,
    is_plausible_customer_id,
)
from services.gateway.request_types import Cursor
from services.gateway.routing import ANSWER_HOLDS_SECRET
from services.gateway.schemas import CustomerView, problems
from services.gateway.schemas_journeys import (
    EXAMPLE_JOURNEY,
    ChannelIn,
    ChannelView,
    CustomerJourneyList,
    Journey,
    JourneyPage,
    JourneyStats,
    JourneyTemplateList,
    JourneyValidity,
)
from services.gateway.service_client import ServiceClient, page_params, parse, segment, workspace_path

journeys_router = APIRouter(tags=["journeys"])

JOURNEY_NOT_FOUND = "no such journey in this workspace"
TEMPLATE_NOT_FOUND = "no such journey template"
CUSTOMER_NOT_FOUND = "no such customer in this workspace"
CHANNEL_NOT_FOUND = "no channel configured for this workspace"
# Not "." or "..": an id must never be able to name another path of the journey service.
JourneyId = Annotated[
    str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-][A-Za-z0-9_.-]*$", examples=["j_3f2a9c0d1e4b5a67"])
]
TemplateName = Annotated[
    str, Path(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_-]+$", examples=["dormant_reactivation"])
]
Reader = Annotated[Principal, Depends(require(CUSTOMERS_READ))]
Writer = Annotated[Principal, Depends(require(JOURNEYS_WRITE))]
Admin = Annotated[Principal, Depends(require(ADMIN))]
Limit = Annotated[int | None, Query(ge=1, description=f"Page size (default 50, max {MAX_PAGE}).")]
Document = Annotated[
    dict[str, Any],  # passed through as parsed: validating every value as JsonValue cost ~0.5 s per 5 MB
    Body(
        description="A journey document: `name`, `trigger`, `entry_step`, `steps` (wait, condition, split, action, "
        "exit), optional `goal` and `settings` (re-entry, quiet hours, frequency cap, holdout).",
        examples=[EXAMPLE_JOURNEY],
    ),
]
Parameters = Annotated[
    dict[str, Any] | None,
    Body(description="Template parameters; those left out take their defaults.", examples=[{"purchase_wait": "5d"}]),
]
WRITE_PROBLEMS = problems(401, 403, 404, 409, 422, 502, 503)


def _journey(request: Request) -> ServiceClient:
    return gateway_state(request).journey


def _journey_path(principal: Principal, journey_id: str, suffix: str = "") -> str:
    return workspace_path(principal.workspace, f"/journeys/{segment(journey_id)}{suffix}")


def enrolments_path(principal: Principal, customer_id: str) -> str:
    """The customer's enrolments at the journey service (also used by the 360 view)."""
    return workspace_path(principal.workspace, f"/customers/{segment(customer_id)}/enrolments")


# --- journeys -------------------------------------------------------------------------------------


@journeys_router.get(
    "/v1/journeys",
    summary="Journeys",
    description="Journeys in id order with their status and versions; archived ones only when asked for with "
    "`status=archived`. Scope: `customers:read`.",
    response_model=JourneyPage,
    responses=problems(401, 403, 422, 502, 503),
)
async def list_journeys(
    request: Request,
    principal: Reader,
    limit: Limit = None,
    cursor: Cursor = None,
    status: Annotated[Literal["draft", "active", "paused", "archived"] | None, Query()] = None,
) -> JourneyPage:
    params = page_params(limit, cursor) | ({"status": status} if status else {})
    doc = await _journey(request).get(
        workspace_path(principal.workspace, "/journeys"), params=params, not_found="not found"
    )
    return parse(JourneyPage, doc, "journey")


@journeys_router.post(
    "/v1/journeys",
    status_code=201,
    summary="Create a draft journey",
    description="The document is validated (a 422 names every bad field, e.g. `steps.offer.next`) and stored "
    "as version 1 of a draft; nobody is enrolled until it is activated. 409 `quota_exceeded` when the workspace "
    "holds its quota of journeys (`journeys`: drafts, active and paused). Scope: `journeys:write`.",
    response_model=Journey,
    responses=problems(401, 403, 422, 502, 503),
)
async def create_journey(
    request: Request, body: Document, principal: Writer, idempotency_key: IdempotencyKey = None
) -> Journey:
    del idempotency_key  # replayed by the protection middleware: a retried create answers the first draft
    async with audit.audited(request, principal, audit.JOURNEY_CREATED, audit.NEW_TARGET) as change:
        doc = await _journey(request).post(
            workspace_path(principal.workspace, "/journeys"), body, not_found=JOURNEY_NOT_FOUND
        )
        journey = parse(Journey, doc, "journey")
        change.target = journey.journey_id
    return journey


@journeys_router.post(
    "/v1/journeys/validate",
    summary="Check a journey document",
    description='Stores nothing: `{"valid": true}`, or a 422 naming every bad field, for editors to mark. '
    "Scope: `customers:read`.",
    response_model=JourneyValidity,
    responses=problems(401, 403, 422, 502, 503),
)
async def validate_journey(request: Request, body: Document, principal: Reader) -> JourneyValidity:
    doc = await _journey(request).post(
        workspace_path(principal.workspace, "/journeys/validate"), body, not_found="not found"
    )
    return parse(JourneyValidity, doc, "journey")


@journeys_router.get(
    "/v1/journeys/{journey_id}",
    summary="One journey",
    description="Its status, versions and the latest version's document. Scope: `customers:read`.",
    response_model=Journey,
    responses=problems(401, 403, 404, 422, 502, 503),
)
async def get_journey(request: Request, journey_id: JourneyId, principal: Reader) -> Journey:
    doc = await _journey(request).get(_journey_path(principal, journey_id), not_found=JOURNEY_NOT_FOUND)
    return parse(Journey, doc, "journey")


@journeys_router.put(
    "/v1/journeys/{journey_id}",
    summary="Change a journey",
    description="Replaces the latest version's document; once a version was activated it is frozen and the "
    "change becomes a new draft version (enrolments in flight stay on theirs until `activate`). 409 for an "
    "archived journey. Scope: `journeys:write`.",
    response_model=Journey,
    responses=WRITE_PROBLEMS,
)
async def put_journey(
    request: Request, journey_id: JourneyId, body: Document, principal: Writer, idempotency_key: IdempotencyKey = None
) -> Journey:
    del idempotency_key  # a PUT is idempotent by nature
    async with audit.audited(request, principal, audit.JOURNEY_UPDATED, journey_id):
        doc = await _journey(request).put(_journey_path(principal, journey_id), body, not_found=JOURNEY_NOT_FOUND)
        return parse(Journey, doc, "journey")


@journeys_router.delete(
    "/v1/journeys/{journey_id}",
    status_code=204,
    summary="Archive a journey",
    description="No new enrolments; it is listed only with `status=archived`. Scope: `journeys:write`.",
    response_class=Response,
    responses=problems(401, 403, 404, 422, 502, 503),
)
async def delete_journey(
    request: Request, journey_id: JourneyId, principal: Writer, idempotency_key: IdempotencyKey = None
) -> Response:
    del idempotency_key  # archiving twice is harmless
    async with audit.audited(request, principal, audit.JOURNEY_ARCHIVED, journey_id):
        await _journey(request).delete(_journey_path(principal, journey_id), not_found=JOURNEY_NOT_FOUND)
    return Response(status_code=204)


@journeys_router.post(
    "/v1/journeys/{journey_id}/activate",
    summary="Activate a journey",
    description="Freezes the latest version and enrols customers on it from now on; also resumes a paused "
    "journey. 409 when it cannot be activated (e.g. archived), or `quota_exceeded` when the workspace holds its "
    "quota of active journeys (`active_journeys`). Scope: `journeys:write`.",
    response_model=Journey,
    responses=WRITE_PROBLEMS,
)
async def activate_journey(
    request: Request, journey_id: JourneyId, principal: Writer, idempotency_key: IdempotencyKey = None
) -> Journey:
    del idempotency_key  # activating an active journey changes nothing
    async with audit.audited(request, principal, audit.JOURNEY_ACTIVATED, journey_id):
        doc = await _journey(request).post(
            _journey_path(principal, journey_id, "/activate"), None, not_found=JOURNEY_NOT_FOUND
        )
        return parse(Journey, doc, "journey")


@journeys_router.post(
    "/v1/journeys/{journey_id}/pause",
    summary="Pause a journey",
    description="No new enrolments, and the timers of enrolments in flight hold until it is activated again. "
    "409 when it is not active. Scope: `journeys:write`.",
    response_model=Journey,
    responses=WRITE_PROBLEMS,
)
async def pause_journey(
    request: Request, journey_id: JourneyId, principal: Writer, idempotency_key: IdempotencyKey = None
) -> Journey:
    del idempotency_key  # pausing twice answers 409 the second time; nothing changes
    async with audit.audited(request, principal, audit.JOURNEY_PAUSED, journey_id):
        doc = await _journey(request).post(
            _journey_path(principal, journey_id, "/pause"), None, not_found=JOURNEY_NOT_FOUND
        )
        return parse(Journey, doc, "journey")


@journeys_router.get(
    "/v1/journeys/{journey_id}/stats",
    summary="A journey's funnel",
    description="Enrolments ever and in flight, where those in flight are, conversions per A/B variant, the "
    "lift over the holdout group, and webhook deliveries. Scope: `customers:read`.",
    response_model=JourneyStats,
    responses=problems(401, 403, 404, 422, 502, 503),
)
async def journey_stats(request: Request, journey_id: JourneyId, principal: Reader) -> JourneyStats:
    doc = await _journey(request).get(_journey_path(principal, journey_id, "/stats"), not_found=JOURNEY_NOT_FOUND)
    return parse(JourneyStats, doc, "journey")


# --- templates ------------------------------------------------------------------------------------


@journeys_router.get(
    "/v1/journey-templates",
    summary="Built-in journey templates",
    description="Each template's name, what it does and its parameters with their defaults. Scope: `customers:read`.",
    response_model=JourneyTemplateList,
    responses=problems(401, 403, 502, 503),
)
async def list_templates(request: Request, principal: Reader) -> JourneyTemplateList:
    doc = await _journey(request).get(workspace_path(principal.workspace, "/journey-templates"), not_found="not found")
    return parse(JourneyTemplateList, {"items": doc}, "journey")


@journeys_router.post(
    "/v1/journey-templates/{name}",
    status_code=201,
    summary="Create a draft journey from a template",
    description="The template's document with the given parameters, stored as a new draft (activate it to "
    "start enrolling). The parameters are checked against the template (a 422 names each bad one). 409 "
    "`quota_exceeded` when the workspace holds its quota of journeys. "
    "Scope: `journeys:write`.",
    response_model=Journey,
    responses=problems(401, 403, 404, 422, 502, 503),
)
async def create_from_template(
    request: Request,
    name: TemplateName,
    principal: Writer,
    body: Parameters = None,
    idempotency_key: IdempotencyKey = None,
) -> Journey:
    del idempotency_key  # replayed by the protection middleware: a retried create answers the first draft
    async with audit.audited(request, principal, audit.JOURNEY_CREATED, audit.NEW_TARGET) as change:
        doc = await _journey(request).post(
            workspace_path(principal.workspace, f"/journey-templates/{segment(name)}"),
            body or {},
            not_found=TEMPLATE_NOT_FOUND,
        )
        journey = parse(Journey, doc, "journey")
        change.target = journey.journey_id
    return journey


# --- a customer's enrolments ----------------------------------------------------------------------


@journeys_router.get(
    "/v1/customers/{customer_id}/journeys",
    summary="A customer's journey enrolments",
    description="Every enrolment of the customer, newest first: the journey and version, its state and step, "
    "the A/B variant or holdout, and how it ended. A merged-away id answers the survivor's. "
    "Scope: `customers:read`.",
    response_model=CustomerJourneyList,
    responses=problems(401, 403, 404, 422, 502, 503),
)
async def customer_journeys(
    request: Request,
    customer_id: Annotated[str, Path(description="A customer id (merged-away ids answer the survivor).")],
    principal: Reader,
    limit: Annotated[int | None, Query(ge=1, description=f"Most enrolments (default 50, max {MAX_PAGE}).")] = None,
) -> CustomerJourneyList:
    if not is_plausible_customer_id(customer_id):
        raise ProblemError(404, CUSTOMER_NOT_FOUND)
    state = gateway_state(request)
    # Profile knows which customers this workspace has, and the survivor of a merge.
    customer = parse(
        CustomerView,
        await state.profile.get(
            workspace_path(principal.workspace, f"/customers/{segment(customer_id)}"), not_found=CUSTOMER_NOT_FOUND
        ),
    )
    doc = await state.journey.get(
        enrolments_path(principal, customer.customer_id),
        params={"limit": clamp_limit(limit)},
        not_found=CUSTOMER_NOT_FOUND,
    )
    return parse(CustomerJourneyList, {"items": doc}, "journey")


# --- the outreach channel -------------------------------------------------------------------------


@journeys_router.get(
    "/v1/channel",
    summary="The workspace's outreach channel",
    description="Where journeys' webhook actions are delivered, and the time zone of quiet hours. The signing "
    "secret is never shown here. 404 until one is set. Scope: `customers:read`.",
    response_model=ChannelView,
    responses=problems(401, 403, 404, 502, 503),
)
async def get_channel(request: Request, principal: Reader) -> ChannelView:
    doc = await _journey(request).get(workspace_path(principal.workspace, "/channel"), not_found=CHANNEL_NOT_FOUND)
    return parse(ChannelView, doc, "journey")


@journeys_router.put(
    "/v1/channel",
    summary="Set the workspace's outreach channel",
    description="Deliveries are POSTed to `webhook_url`, signed with the workspace's secret. The secret is in "
    "this answer only when it was just made (the first PUT, or `rotate_secret: true`); keep it then, it is "
    "never shown again, nor replayed for a retry with the same `Idempotency-Key` (409). After a rotation the "
    "secret before it keeps signing for 24 hours: each delivery carries two `v1=` signatures in "
    "`Flywheel-Signature` (the new secret's first), so a receiver verifying with either accepts it and can switch "
    "at any time in the overlap; rotating again within it ends the older secret at once. The secret is stored "
    "encrypted. Every change goes to the audit log (`channel.changed`, `channel.secret_rotated`). Scope: `admin`.",
    response_model=ChannelView,
    responses=problems(401, 403, 422, 502, 503),
    openapi_extra=ANSWER_HOLDS_SECRET,
)
async def put_channel(
    request: Request, response: Response, body: ChannelIn, principal: Admin, idempotency_key: IdempotencyKey = None
) -> ChannelView:
    del idempotency_key  # a PUT is idempotent by nature (a rotation rotates again)
    action = audit.CHANNEL_SECRET_ROTATED if body.rotate_secret else audit.CHANNEL_CHANGED
    async with audit.audited(request, principal, action, webhook_origin(body.webhook_url)):
        doc = await _journey(request).put(
            workspace_path(principal.workspace, "/channel"), body.model_dump(mode="json"), not_found=CHANNEL_NOT_FOUND
        )
        response.headers["Cache-Control"] = "no-store"  # the answer may carry the secret
        return parse(ChannelView, doc, "journey")


def webhook_origin(url: str) -> str:
    """What the audit log names of a webhook URL: scheme, host and port, never the path or query (they may hold
    a receiver's token)."""
    try:
        parsed = urlsplit(url)
        host, port = parsed.hostname or "?", parsed.port
    except ValueError:  # not a URL the journey service takes (it answers 422): the row says so
        return "(invalid URL)"
    return f"{parsed.scheme}://{host}{f':{port}' if port is not None else ''}"[:300]
