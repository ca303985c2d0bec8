"""Customer reads and erasure, served from the profile service's internal API.

The workspace always comes from the API key, never from the request: a customer id of another
workspace is simply not found in this one (404).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Annotated, Any

import asyncpg
from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response
from fastapi.responses import StreamingResponse
from pydantic import TypeAdapter, ValidationError

from contracts.export import SERVICE_SECTIONS
from runtime.logs import error_kind
from runtime.problems import ProblemError
from services.gateway import audit, idempotency
from services.gateway.api_journeys import enrolments_path
from services.gateway.api_segments import scores_path
from services.gateway.change_feed import VIEW_READS
from services.gateway.customer_export import export_document, export_head
from services.gateway.deps import GatewayState, IdempotencyKey, gateway_state, require
from services.gateway.domain import (
    CUSTOMERS_ERASE,
    CUSTOMERS_READ,
    MAX_PAGE,
    Principal,
    clamp_limit,
    is_plausible_customer_id,
    single_identifier,
)
from services.gateway.request_types import Cursor
from services.gateway.schemas import (
    Customer360,
    CustomerJourney,
    CustomerScores,
    CustomerView,
    ErasureAccepted,
    Reconsented,
    ReconsentIn,
    TimelinePage,
    problems,
)
from services.gateway.schemas_growth import CustomerDeal, CustomerTask, ReferralsAnswer
from services.gateway.service_client import ServiceClient, parse, segment, workspace_path

customers_router = APIRouter(tags=["customers"])
_JOURNEYS = TypeAdapter(list[CustomerJourney])
_DEALS = TypeAdapter(list[CustomerDeal])
_TASKS = TypeAdapter(list[CustomerTask])
SECTION_PAGE = 50  # the 360 view shows the first page of deals and tasks; their own lists page further
log = logging.getLogger(__name__)

NOT_FOUND = "no such customer in this workspace"
CustomerId = Annotated[str, Path(description="A customer id (merged-away ids answer the survivor).")]
Reader = Annotated[Principal, Depends(require(CUSTOMERS_READ))]


def _customer_path(principal: Principal, customer_id: str, suffix: str = "") -> str:
    if not is_plausible_customer_id(customer_id):
        raise ProblemError(404, NOT_FOUND)  # cannot name a customer; do not forward it
    return workspace_path(principal.workspace, f"/customers/{segment(customer_id)}{suffix}")


def _profile(request: Request) -> ServiceClient:
    return gateway_state(request).profile


@customers_router.get(
    "/v1/customers",
    summary="Find a customer by an identifier",
    description="Give exactly one of `email`, `phone`, `external_id`, `anonymous_id`. Emails match "
    "case-insensitively. Scope: `customers:read`.",
    response_model=CustomerView,
    responses=problems(401, 403, 404, 422, 502, 503),
)
async def find_customer(
    request: Request,
    principal: Reader,
    email: Annotated[str | None, Query(max_length=320, examples=["ada@example.com"])] = None,
    phone: Annotated[str | None, Query(max_length=40, examples=["+4915112345678"])] = None,
    external_id: Annotated[str | None, Query(max_length=512)] = None,
    anonymous_id: Annotated[str | None, Query(max_length=512)] = None,
) -> CustomerView:
    given = {"email": email, "phone": phone, "external_id": external_id, "anonymous_id": anonymous_id}
    try:
        kind, value = single_identifier(given)
    except ValueError as exc:
        raise ProblemError(
            422, str(exc), type_="validation", errors=[{"field": "query", "message": str(exc)}]
        ) from None
    doc = await _profile(request).get(
        workspace_path(principal.workspace, "/customers"),
        params={kind: value},
        not_found=f"no customer with this {kind} in this workspace",
    )
    return parse(CustomerView, doc)


@customers_router.get(
    "/v1/customers/{customer_id}",
    summary="The 360° view of a customer",
    description="Identity, traits, tags and stats from profile, plus the sections other services own, "
    "fetched concurrently: scores and segments from scoring, journey enrolments from journey, referrals "
    "(with the customer's codes and rewards) from referral, deals and tasks (the first 50 of each) from sales. "
    "A service that is down or slower than the gateway's per-call budget leaves its sections empty and is "
    "named in `degraded`; if profile is down the answer is 503. "
    "Complete views are cached and dropped as soon as a service reports a change to the customer "
    "(`flywheel.customer.changes`), so a change shows as fast as in an uncached view, within about a second "
    "of its commit; a write through this API shows at once. Scope: `customers:read`.",
    response_model=Customer360,
    responses=problems(401, 403, 404, 422, 502, 503),
)
async def get_customer(
    request: Request,
    customer_id: CustomerId,
    principal: Reader,
    cache_control: Annotated[
        str | None,
        Header(
            max_length=200,
            description="`no-cache`: assemble the view from the services now rather than serve a cached one.",
            examples=["no-cache"],
        ),
    ] = None,
) -> Response:
    state = gateway_state(request)
    path = _customer_path(principal, customer_id)
    views, workspace = state.views, principal.workspace
    from_cache = views.live and not (cache_control is not None and "no-cache" in cache_control.lower())
    cached = views.get(workspace, customer_id, time.monotonic()) if from_cache else None
    if cached is not None:
        VIEW_READS.labels("hit").inc()
        return Response(cached, media_type="application/json")
    VIEW_READS.labels("miss" if from_cache else "bypass").inc()
    fill = views.begin(workspace, customer_id)
    view: Customer360 | None = None
    body = None
    try:
        view = await _assemble(state, principal, customer_id, path)
        body = view.model_dump_json().encode()
        return Response(body, media_type="application/json")
    finally:
        complete = view is not None and not view.degraded
        views.end(fill, view.customer_id if view else None, body if complete else None, time.monotonic())


async def _assemble(state: GatewayState, principal: Principal, customer_id: str, path: str) -> Customer360:
    # Other services' sections are fetched while profile answers; each is optional.
    sections = asyncio.create_task(_sections(state, principal, customer_id))
    try:
        doc = await state.profile.get(path, not_found=NOT_FOUND)
    except BaseException:
        sections.cancel()
        raise
    view = parse(Customer360, doc)  # the sections' fields are empty until filled in below
    found = await sections
    scores = found.scoring.get("scores")
    # The sections are validated models already: model_copy puts them in without validating them again.
    return view.model_copy(
        update={
            "scores": scores,
            "segments": scores.segments if isinstance(scores, CustomerScores) else [],
            "journeys": found.journey.get("journeys", []),
            "referrals": found.referral.get("referrals", []),
            "referral_codes": found.referral.get("codes", []),
            "referral_rewards": found.referral.get("rewards", []),
            "deals": found.sales.get("deals", []),
            "tasks": found.sales.get("tasks", []),
            "degraded": found.degraded,
        }
    )


class _Found:
    """The optional sections of the 360 view, by service; a service that failed is named in `degraded`."""

    def __init__(self) -> None:
        self.scoring: dict[str, Any] = {}
        self.journey: dict[str, Any] = {}
        self.referral: dict[str, Any] = {}
        self.sales: dict[str, Any] = {}
        self.degraded: list[str] = []


async def _sections(state: GatewayState, principal: Principal, customer_id: str) -> _Found:
    ws, customer = principal.workspace, segment(customer_id)
    page = {"limit": SECTION_PAGE}
    calls: dict[str, list[tuple[ServiceClient, str, dict[str, Any] | None]]] = {
        "scoring": [(state.scoring, scores_path(principal, customer_id), None)],
        "journey": [(state.journey, enrolments_path(principal, customer_id), None)],
        "referral": [(state.referral, workspace_path(ws, f"/customers/{customer}/referrals"), None)],
        "sales": [(state.sales, workspace_path(ws, f"/customers/{customer}/sales"), page)],
    }
    answers = await asyncio.gather(
        *(
            asyncio.gather(*(_section(client, path, params, state.budget_s) for client, path, params in service))
            for service in calls.values()
        )
    )
    found = _Found()
    for name, docs in zip(calls, answers, strict=True):
        if any(down for _, down in docs):
            found.degraded.append(name)
            continue
        try:
            setattr(found, name, _SECTION_PARSERS[name](*(doc for doc, _ in docs)))
        except ValidationError:  # a contract breach of an optional section degrades it rather than the view
            log.error("section breaks the contract", extra={"service": name})
            found.degraded.append(name)
    return found


def _scoring_section(scores: Any) -> dict[str, Any]:
    return {"scores": CustomerScores.model_validate(scores)} if scores is not None else {}


def _journey_section(enrolments: Any) -> dict[str, Any]:
    return {"journeys": _JOURNEYS.validate_python(enrolments or [])}


def _referral_section(doc: Any) -> dict[str, Any]:
    if doc is None:
        return {}
    referrals = ReferralsAnswer.model_validate(doc)
    return {"referrals": referrals.links(), "codes": referrals.codes, "rewards": referrals.rewards}


def _sales_section(doc: Any) -> dict[str, Any]:
    doc = doc or {}
    return {
        "deals": _DEALS.validate_python(doc.get("deals", {}).get("items", [])),
        "tasks": _TASKS.validate_python(doc.get("tasks", {}).get("items", [])),
    }


_SECTION_PARSERS: dict[str, Callable[..., dict[str, Any]]] = {
    "scoring": _scoring_section,
    "journey": _journey_section,
    "referral": _referral_section,
    "sales": _sales_section,
}


async def _section(
    client: ServiceClient, path: str, params: dict[str, Any] | None, budget_s: float
) -> tuple[Any, bool]:
    """(the answer or None, whether the service failed) within the budget: a slow or failing service
    leaves its section empty rather than failing the view."""
    try:
        async with asyncio.timeout(budget_s):
            return await client.get_held(path, params=params), False
    except ProblemError:
        return None, True
    except TimeoutError:
        return None, True


@customers_router.get(
    "/v1/customers/{customer_id}/timeline",
    summary="A customer's events, newest first",
    description=f"Cursor pagination: `limit` (default 50; values above {MAX_PAGE} are treated as {MAX_PAGE}) "
    "and the `next_cursor` of the previous page. Scope: `customers:read`.",
    response_model=TimelinePage,
    responses=problems(401, 403, 404, 422, 502, 503),
)
async def get_timeline(
    request: Request,
    customer_id: CustomerId,
    principal: Reader,
    limit: Annotated[int | None, Query(ge=1, description="Page size (default 50, max 500).")] = None,
    cursor: Cursor = None,
) -> TimelinePage:
    params: dict[str, Any] = {"limit": clamp_limit(limit)}
    if cursor:
        params["cursor"] = cursor
    doc = await _profile(request).get(
        _customer_path(principal, customer_id, "/timeline"), params=params, not_found=NOT_FOUND
    )
    return parse(TimelinePage, doc)


@customers_router.get(
    "/v1/customers/{customer_id}/export",
    summary="Everything held on a customer (data-subject access)",
    description="A JSON document with every record every service holds on the customer: the profile "
    "(`customer`, `timeline`, `orders`, `refunds`, `tickets`), the 360 view's `scores`, `journeys` (enrolments), "
    "`referrals` (codes, who referred them, whom they referred, rewards), `deals` and `tasks`, and, under each "
    "service's name, every row it holds: `scoring` (`inputs`: traits and stats as scoring folded them, "
    "`purchase_days`, `visit_days`, `orders`, `tickets`, `segments`), `journey` (`enrolments`, `messages`: the "
    "messages sent or to be sent, with their bodies, `messages_sent`, `facts`), `referral` (`identifiers`, "
    "`touches`, `sign_ups` with device ids and email domains, `purchases`, `segments`) and `sales` (`deals`, "
    "`stage_history`, `quotes`, `tasks`, `owner`, `signals`, `categories`). Streamed: long timelines "
    "are sent as they are read, never held whole in memory. Never partial: if a service does not answer "
    "before the document starts, the export fails with 503 naming it; if one fails while it is sent, the "
    "answer is cut off (incomplete JSON). An erased customer answers 404. Scope: `customers:read`.",
    response_model=None,
    response_class=StreamingResponse,
    responses={
        200: {
            "content": {
                "application/json": {
                    "schema": {"type": "object", "additionalProperties": True},
                    "example": {
                        "customer": {"customer_id": "c_01HZX3K9"},
                        "timeline": [],
                        "orders": [],
                        "refunds": [],
                        "tickets": [],
                        "scores": None,
                        "journeys": [],
                        "referrals": None,
                        "deals": [],
                        "tasks": [],
                        "scoring": {section: [] for section in SERVICE_SECTIONS["scoring"]},
                        "journey": {section: [] for section in SERVICE_SECTIONS["journey"]},
                        "referral": {section: [] for section in SERVICE_SECTIONS["referral"]},
                        "sales": {section: [] for section in SERVICE_SECTIONS["sales"]},
                        "exported_at": "2026-12-06T10:00:00Z",
                    },
                }
            }
        },
        **problems(401, 403, 404, 422, 502, 503),
    },
)
async def export_customer(request: Request, customer_id: CustomerId, principal: Reader) -> StreamingResponse:
    customer = await _profile(request).get(_customer_path(principal, customer_id), not_found=NOT_FOUND)
    if not isinstance(customer, dict) or not isinstance(customer.get("customer_id"), str):
        raise ProblemError(502, "the profile service gave an unexpected answer")
    state = gateway_state(request)
    head = await export_head(state, principal.workspace, customer)
    # Logged before the first byte leaves (a 503 when the log cannot be written): no export goes unrecorded.
    await audit.record_request(request, principal, audit.CUSTOMER_EXPORTED, str(customer["customer_id"]))
    return StreamingResponse(export_document(state, principal.workspace, head), media_type="application/json")


@customers_router.delete(
    "/v1/customers/{customer_id}",
    status_code=202,
    summary="Erase a customer everywhere (right to be forgotten)",
    description="Erases the customer and every id merged into it; other services follow from the erasure "
    "event. The erasure lasts: later events carrying any identifier the customer had (replayed, re-sent, or "
    "new) are dropped and bring nobody back, until `POST /v1/customers/reconsent` lifts it for an identifier. "
    "Answers stored for Idempotency-Key retries that name the customer are redacted (a retry answers 409). "
    "Scope: `customers:erase`.",
    response_model=ErasureAccepted,
    responses=problems(401, 403, 404, 422, 502, 503),
)
async def erase_customer(
    request: Request,
    customer_id: CustomerId,
    principal: Annotated[Principal, Depends(require(CUSTOMERS_ERASE))],
    idempotency_key: IdempotencyKey = None,
) -> ErasureAccepted:
    del idempotency_key  # erasure is idempotent by nature: a second call answers 404
    path = _customer_path(principal, customer_id)
    pool = gateway_state(request).runtime.pool
    async with audit.audited(request, principal, audit.CUSTOMER_ERASED, customer_id):
        # Stored answers naming the customer are redacted before the erasure (a 503 then, and nothing erased,
        # when that fails), and those naming the ids merged into them once profile has said which they are.
        await _forget_answers(pool, principal.workspace, [customer_id], required=True)
        erased = parse(ErasureAccepted, await _profile(request).delete(path, not_found=NOT_FOUND))
        await _forget_answers(pool, principal.workspace, erased.erased_ids, required=False)
        return erased


async def _forget_answers(pool: asyncpg.Pool, workspace: str, customer_ids: list[str], *, required: bool) -> None:
    try:
        await idempotency.forget_answers_naming(pool, workspace, customer_ids)
    except audit.DATABASE_ERRORS as exc:
        if required:
            unavailable = "the gateway's database is unavailable; retry"
            raise ProblemError(503, unavailable, headers={"Retry-After": "1"}) from exc
        # The erasure stands; these answers expire with FLYWHEEL_IDEMPOTENCY_TTL_HOURS.
        log.warning("stored answers of merged ids not redacted", extra={"error": error_kind(exc)})


@customers_router.post(
    "/v1/customers/reconsent",
    summary="Lift an erasure for one identifier (the person consented again)",
    description="After an erasure, events carrying any identifier the erased customer had are dropped. When that "
    "person gives their consent again, name one identifier (exactly one of `email`, `phone`, `external_id`, "
    "`anonymous_id`, as events carry it): events that happen from `reconsented_at` on are accepted again and make "
    "a new profile; events from before (old ones replayed or re-sent) stay dropped, and so do events carrying "
    "another identifier of the erased customer that was not re-consented. Repeating it answers the first "
    "re-consent. 404 when no erased customer of the workspace had the identifier. An erasure of the new "
    "profile erases the identifier again. Recorded in the audit log (never the identifier's value). "
    "Scope: `customers:erase`.",
    response_model=Reconsented,
    responses=problems(401, 403, 404, 422, 502, 503),
)
async def reconsent(
    request: Request,
    body: ReconsentIn,
    principal: Annotated[Principal, Depends(require(CUSTOMERS_ERASE))],
    idempotency_key: IdempotencyKey = None,
) -> Reconsented:
    del idempotency_key  # replayed by the protection middleware: the answer names no value
    given = body.model_dump(exclude_none=True)  # exactly one (ReconsentIn)
    async with audit.audited(request, principal, audit.CUSTOMER_RECONSENTED, next(iter(given))) as change:
        doc = await _profile(request).post(
            workspace_path(principal.workspace, "/reconsents"),
            given,
            not_found="no erased customer of this workspace had that identifier: nothing to lift",
        )
        answer = parse(Reconsented, doc)
        if isinstance(doc, dict) and isinstance(doc.get("ledger_entry"), str):
            change.target = f"{answer.identifier} {doc['ledger_entry'][:16]}"
        return answer
