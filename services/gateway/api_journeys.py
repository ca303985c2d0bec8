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

from contracts.http.journey import (
    EXAMPLE_JOURNEY,
    GROUP_ID_PATTERN,
    ChannelIn,
    ChannelView,
    CustomerConsent,
    CustomerJourneyList,
    Journey,
    JourneyLift,
    JourneyPage,
    JourneySimulation,
    JourneyStats,
    JourneyTemplateList,
    JourneyValidity,
    MessagingSettings,
    MessagingSettingsIn,
    SimulationIn,
    SubscriptionGroup,
    SubscriptionGroupIn,
    SubscriptionGroupList,
    SuppressionsChanged,
    SuppressionsIn,
)
from contracts.http.profile import CustomerView
from runtime.problems import ProblemError
from services.gateway import audit
from services.gateway.deps import gateway_context, require
from services.gateway.domain import (
    ADMIN,
    CUSTOMERS_READ,
    JOURNEYS_WRITE,
    MAX_PAGE,
    Principal,
    clamp_limit,
    is_plausible_customer_id,
)
from services.gateway.passthrough import (
    CUSTOMER,
    IDEMPOTENT_WRITE,
    PAGE,
    Audited,
    PassThrough,
    QueryParam,
    document_body,
    documented,
    id_path,
    register,
)
from services.gateway.routing import ANSWER_HOLDS_SECRET
from services.gateway.schemas import problems
from services.gateway.service_client import parse, segment, workspace_path

journeys_router = APIRouter(tags=["journeys"])

JOURNEY_NOT_FOUND = "no such journey in this workspace"
TEMPLATE_NOT_FOUND = "no such journey template"
CUSTOMER_NOT_FOUND = "no such customer in this workspace"
CHANNEL_NOT_FOUND = "no channel configured for this workspace"
# Not "." or "..": an id must never be able to name another path of the journey service.
JourneyId = id_path("j_3f2a9c0d1e4b5a67")
TemplateName = id_path("dormant_reactivation", r"^[A-Za-z0-9_-]+$", max_length=100)
Reader = Annotated[Principal, Depends(require(CUSTOMERS_READ))]
Writer = Annotated[Principal, Depends(require(JOURNEYS_WRITE))]
Admin = Annotated[Principal, Depends(require(ADMIN))]
Document = document_body("journey", EXAMPLE_JOURNEY)
Parameters = Annotated[
    dict[str, Any] | None,
    Body(description="Template parameters; those left out take their defaults.", examples=[{"purchase_wait": "5d"}]),
]
JOURNEY = {"journey_id": JourneyId}
CONSENT_LIMIT = QueryParam("limit", Annotated[int | None, Query(ge=1, le=500, description="Changes (default 100).")])
SuppressionHash = id_path("b5fc85e55755f9e0d030a10ab4429b6b2944855f9a0d60077fe832becbc41d72", r"^[0-9a-f]{64}$")
JourneyStatus = Literal["draft", "active", "paused", "archived"]


def enrolments_path(principal: Principal, customer_id: str) -> str:
    """The customer's enrolments at the journey service (also used by the 360 view)."""
    return workspace_path(principal.workspace, f"/customers/{segment(customer_id)}/enrolments")


JOURNEY_ROWS = (
    PassThrough(
        "list_journeys", "GET", "/v1/journeys", "journey", "/journeys", CUSTOMERS_READ, JourneyPage,
        query=(*PAGE, QueryParam("status", Annotated[JourneyStatus | None, Query()])),
    ),
    PassThrough(
        "create_journey", "POST", "/v1/journeys", "journey", "/journeys", JOURNEYS_WRITE, Journey, JOURNEY_NOT_FOUND,
        body=Document, status_code=201, audited=Audited(audit.JOURNEY_CREATED, answer_id="journey_id"),
    ),
    PassThrough(
        "validate_journey", "POST", "/v1/journeys/validate", "journey", "/journeys/validate", CUSTOMERS_READ,
        JourneyValidity, body=Document,
    ),
    PassThrough(
        "get_journey", "GET", "/v1/journeys/{journey_id}", "journey", "/journeys/{journey_id}", CUSTOMERS_READ, Journey,
        JOURNEY_NOT_FOUND, JOURNEY,
    ),
    PassThrough(
        "put_journey", "PUT", "/v1/journeys/{journey_id}", "journey", "/journeys/{journey_id}", JOURNEYS_WRITE, Journey,
        JOURNEY_NOT_FOUND, JOURNEY, body=Document, refusable=True, audited=Audited(audit.JOURNEY_UPDATED, "journey_id"),
    ),
    PassThrough(
        "delete_journey", "DELETE", "/v1/journeys/{journey_id}", "journey", "/journeys/{journey_id}", JOURNEYS_WRITE,
        None, JOURNEY_NOT_FOUND, JOURNEY, audited=Audited(audit.JOURNEY_ARCHIVED, "journey_id"),
    ),
    PassThrough(
        "activate_journey", "POST", "/v1/journeys/{journey_id}/activate", "journey", "/journeys/{journey_id}/activate",
        JOURNEYS_WRITE, Journey, JOURNEY_NOT_FOUND, JOURNEY, refusable=True,
        audited=Audited(audit.JOURNEY_ACTIVATED, "journey_id"),
    ),
    PassThrough(
        "pause_journey", "POST", "/v1/journeys/{journey_id}/pause", "journey", "/journeys/{journey_id}/pause",
        JOURNEYS_WRITE, Journey, JOURNEY_NOT_FOUND, JOURNEY, refusable=True,
        audited=Audited(audit.JOURNEY_PAUSED, "journey_id"),
    ),
    PassThrough(
        "journey_stats", "GET", "/v1/journeys/{journey_id}/stats", "journey", "/journeys/{journey_id}/stats",
        CUSTOMERS_READ, JourneyStats, JOURNEY_NOT_FOUND, JOURNEY,
    ),
    # --- dry runs and measured lift
    PassThrough(
        "simulate_journey", "POST", "/v1/journeys/{journey_id}/simulate", "journey", "/journeys/{journey_id}/simulate",
        CUSTOMERS_READ, JourneySimulation, JOURNEY_NOT_FOUND, JOURNEY, body=SimulationIn, refusable=True,
    ),
    PassThrough(
        "journey_lift", "GET", "/v1/journeys/{journey_id}/lift", "journey", "/journeys/{journey_id}/lift",
        CUSTOMERS_READ, JourneyLift, JOURNEY_NOT_FOUND, JOURNEY,
    ),
    # --- templates
    PassThrough(
        "list_templates", "GET", "/v1/journey-templates", "journey", "/journey-templates", CUSTOMERS_READ,
        JourneyTemplateList, wraps_items=True,
    ),
    PassThrough(
        "create_from_template", "POST", "/v1/journey-templates/{name}", "journey", "/journey-templates/{name}",
        JOURNEYS_WRITE, Journey, TEMPLATE_NOT_FOUND, {"name": TemplateName}, body=Parameters, body_required=False,
        status_code=201, audited=Audited(audit.JOURNEY_CREATED, answer_id="journey_id"),
    ),
    PassThrough(
        "get_channel", "GET", "/v1/channel", "journey", "/channel", CUSTOMERS_READ, ChannelView, CHANNEL_NOT_FOUND,
        more_problems=(404,),
    ),
    # --- frequency caps across journeys
    PassThrough(
        "get_messaging_settings", "GET", "/v1/messaging-settings", "journey", "/messaging-settings", CUSTOMERS_READ,
        MessagingSettings,
    ),
    PassThrough(
        "put_messaging_settings", "PUT", "/v1/messaging-settings", "journey", "/messaging-settings", JOURNEYS_WRITE,
        MessagingSettings, body=MessagingSettingsIn,
        audited=Audited(audit.MESSAGING_SETTINGS_CHANGED, fixed_target="messaging"),
    ),
    # --- consent: subscription groups, the suppression list, a customer's consent
    PassThrough(
        "get_customer_consent", "GET", "/v1/customers/{customer_id}/consent", "journey",
        "/customers/{customer_id}/consent", CUSTOMERS_READ, CustomerConsent, CUSTOMER_NOT_FOUND, CUSTOMER,
        query=(CONSENT_LIMIT,),
        checks_customer_id=True,
    ),
    PassThrough(
        "list_subscription_groups", "GET", "/v1/subscription-groups", "journey", "/subscription-groups",
        CUSTOMERS_READ, SubscriptionGroupList, wraps_items=True,
    ),
    PassThrough(
        "put_subscription_group", "PUT", "/v1/subscription-groups/{group_id}", "journey",
        "/subscription-groups/{group_id}", JOURNEYS_WRITE, SubscriptionGroup, "no such workspace",
        {"group_id": id_path("newsletter", GROUP_ID_PATTERN)}, body=SubscriptionGroupIn, body_name="group",
        quota="subscription_groups", creates=True,
    ),
    PassThrough(
        "add_suppressions", "POST", "/v1/suppressions", "journey", "/suppressions", JOURNEYS_WRITE,
        SuppressionsChanged, body=SuppressionsIn, quota="suppressions",
    ),
    PassThrough(
        "remove_suppression", "DELETE", "/v1/suppressions/{hash}", "journey", "/suppressions/{hash}", JOURNEYS_WRITE,
        SuppressionsChanged, "no such workspace", {"hash": SuppressionHash},
    ),
)  # fmt: skip
register(journeys_router, JOURNEY_ROWS)


# --- a customer's enrolments ----------------------------------------------------------------------


@journeys_router.get(
    "/v1/customers/{customer_id}/journeys",
    **documented("customer_journeys", CustomerJourneyList, problems(401, 403, 404, 422, 502, 503)),
)
async def customer_journeys(
    request: Request,
    customer_id: Annotated[str, Path(description="A customer id (merged-away ids answer the survivor).")],
    principal: Reader,
    limit: Annotated[
        int | None,
        Query(ge=1, description=f"Most enrolments (default 50; a larger one than {MAX_PAGE} is taken as {MAX_PAGE})."),
    ] = None,
) -> CustomerJourneyList:
    if not is_plausible_customer_id(customer_id):
        raise ProblemError(404, CUSTOMER_NOT_FOUND)
    state = gateway_context(request)
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


@journeys_router.put(
    "/v1/channel",
    dependencies=[IDEMPOTENT_WRITE],
    **documented("put_channel", ChannelView, problems(401, 403, 422, 502, 503)),
    openapi_extra=ANSWER_HOLDS_SECRET,
)
async def put_channel(request: Request, response: Response, body: ChannelIn, principal: Admin) -> ChannelView:
    action = audit.CHANNEL_SECRET_ROTATED if body.rotate_secret else audit.CHANNEL_CHANGED
    async with audit.audited(request, principal, action, webhook_origin(body.webhook_url)):
        doc = await gateway_context(request).journey.put(
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
