"""Journey's internal HTTP API (called by the gateway): journeys and their versions, activation and
pausing, stats, built-in templates, a customer's enrolments, and the workspace's outreach channel.

Statuses and versions are described in journey_store.py: an edit of an activated (frozen) version
writes a new version; `activate` freezes the latest one (and resumes a paused journey); `pause`
stops new enrolments and holds the timers of those in flight; DELETE archives.

Quotas (journey_store): creating a journey (also from a template) past FLYWHEEL_QUOTA_JOURNEYS, or
activating one past FLYWHEEL_QUOTA_ACTIVE_JOURNEYS, answers 409 `/problems/quota-exceeded` naming the quota;
`GET .../quotas` (quotas_router) lists both with their use. Documents past a budget (domain/budgets.py)
answer 422 naming each field, at most 50 of them.
"""

from __future__ import annotations

from typing import Annotated, Any

import asyncpg
from fastapi import APIRouter, Body, Path, Query, Request, Response, status
from pydantic import AwareDatetime

from contracts.envelope import WORKSPACE_PATTERN
from contracts.http.journey import (
    ChannelView,
    CustomerJourney,
    Journey,
    JourneyPage,
    JourneyReport,
    JourneyStats,
    JourneySummary,
    JourneyTemplate,
    JourneyValidity,
    MessagingSettings,
    MessagingSettingsIn,
    TemplateParameter,
)
from runtime.clock import Clock
from runtime.context import context_dependency
from runtime.db import Connection
from runtime.egress import EgressRefused
from runtime.errors import Conflict, NotFound
from runtime.pagination import decode_cursor, encode_cursor
from runtime.problems import PROBLEM_RESPONSES, ProblemError, problem_responses
from runtime.quotas import QuotaUsage, quota_router
from runtime.secrets_at_rest import keyring_of
from services.journey import cap_store, channel_secrets, channel_store, consent_store, stats_store
from services.journey import journey_store as js
from services.journey.domain.caps import MAX_CAP_WINDOW, MIN_CAP_WINDOW
from services.journey.domain.document import InvalidJourney, parse_journey
from services.journey.domain.model import journey_json
from services.journey.domain.schedule import parse_duration
from services.journey.domain.templates import TEMPLATES, instantiate
from services.journey.schemas import EXAMPLE_DOCUMENT, ChannelIn
from services.journey.service import JourneyContext
from services.journey.settings import JourneyServiceSettings

router = APIRouter(prefix="/internal/v1/workspaces/{workspace}", tags=["journey"], responses=PROBLEM_RESPONSES)

WorkspacePath = Annotated[str, Path(pattern=WORKSPACE_PATTERN)]
JourneyPath = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")]
CustomerPath = Annotated[str, Path(min_length=1, max_length=64)]
Limit = Annotated[int, Query(ge=1, le=500)]
Cursor = Annotated[str | None, Query(max_length=500)]
Status = js.JourneyStatus

# dict[str, Any], not JsonValue: the body is decoded JSON already, and validating every value of a hostile
# multi-megabyte body as JsonValue costs far more than parsing it; parse_journey's budgets walk it instead.
DocumentBody = Annotated[
    dict[str, Any],
    Body(description="A journey document (see the journey document reference).", examples=[EXAMPLE_DOCUMENT]),
]
CONFLICT = problem_responses(409)


context_of = context_dependency(JourneyContext)


def _pool(request: Request) -> asyncpg.Pool:
    return context_of(request).pool


def _settings(request: Request) -> JourneyServiceSettings:
    return context_of(request).settings


def _clock(request: Request) -> Clock:
    return context_of(request).clock


def _invalid(detail: str, exc: InvalidJourney) -> ProblemError:
    listed = f", the first {len(exc.errors)} listed" if exc.count > len(exc.errors) else ""
    return ProblemError(422, f"{detail}: {exc.count} problem(s){listed}", errors=exc.errors)


def _parse(document: object) -> tuple[str, dict[str, Any]]:
    """The name and normalised document of a valid journey document; a 422 naming every bad field."""
    try:
        journey = parse_journey(document)
    except InvalidJourney as exc:
        raise _invalid("invalid journey document", exc) from None
    return journey.name, journey_json(journey)


async def _quota_usages(request: Request, workspace: str) -> list[QuotaUsage]:
    settings = _settings(request)
    async with _pool(request).acquire() as conn:
        journeys = await js.quota_usages(conn, workspace, settings.quota_journeys, settings.quota_active_journeys)
        consent = await consent_store.quota_usages(
            conn, workspace, settings.quota_subscription_groups, settings.quota_suppressions
        )
    return journeys + consent


quotas_router = quota_router("journey", _quota_usages)


def _not_found(journey_id: str) -> ProblemError:
    return ProblemError(404, f"no journey {journey_id!r} in this workspace")


def _journey_out(row: js.JourneyRow) -> Journey:
    return Journey(
        journey_id=row.journey_id,
        name=row.name,
        status=row.status,
        active_version=row.active_version,
        latest_version=row.latest_version,
        template=row.template,
        document=row.document or {},
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


async def _get(conn: Connection, workspace: str, journey_id: str) -> Journey:
    row = await js.get_journey(conn, workspace, journey_id)
    if row is None:
        raise _not_found(journey_id)
    return _journey_out(row)


@router.get("/journeys", response_model=JourneyPage, summary="Journeys (archived ones only when asked by status)")
async def list_journeys(
    request: Request,
    workspace: WorkspacePath,
    limit: Limit = 50,
    cursor: Cursor = None,
    status_: Annotated[Status | None, Query(alias="status")] = None,
) -> JourneyPage:
    after = decode_cursor(cursor, 1)[0] if cursor else None
    async with _pool(request).acquire() as conn:
        rows = await js.list_journeys(conn, workspace, limit, after, status_)
    items = [
        JourneySummary(
            journey_id=j.journey_id,
            name=j.name,
            status=j.status,
            active_version=j.active_version,
            latest_version=j.latest_version,
            versions=versions,
            template=j.template,
            created_at=j.created_at,
            updated_at=j.updated_at,
        )
        for j, versions in rows[:limit]
    ]
    return JourneyPage(items=items, next_cursor=encode_cursor(items[-1].journey_id) if len(rows) > limit else None)


@router.post(
    "/journeys",
    response_model=Journey,
    status_code=status.HTTP_201_CREATED,
    responses=CONFLICT,
    summary="Create a draft journey (409 past the journeys quota)",
)
async def create_journey(request: Request, workspace: WorkspacePath, body: DocumentBody) -> Journey:
    name, document = _parse(body)
    quota = _settings(request).quota_journeys
    async with _pool(request).acquire() as conn, conn.transaction():
        return _journey_out(await js.create_journey(conn, workspace, name, document, quota=quota))


@router.post("/journeys/validate", response_model=JourneyValidity, summary="Check a journey document; stores nothing")
async def validate_journey(body: DocumentBody) -> JourneyValidity:
    _parse(body)
    return JourneyValidity(valid=True)


@router.get("/journeys/{journey_id}", response_model=Journey, summary="A journey and its latest version")
async def get_journey(request: Request, workspace: WorkspacePath, journey_id: JourneyPath) -> Journey:
    async with _pool(request).acquire() as conn:
        return await _get(conn, workspace, journey_id)


@router.put(
    "/journeys/{journey_id}",
    response_model=Journey,
    responses=CONFLICT,
    summary="Change a journey (a new version when the current one was activated)",
)
async def put_journey(
    request: Request, workspace: WorkspacePath, journey_id: JourneyPath, body: DocumentBody
) -> Journey:
    name, document = _parse(body)
    async with _pool(request).acquire() as conn:
        async with conn.transaction():
            try:
                await js.update_document(conn, workspace, journey_id, name, document)
            except NotFound:
                raise _not_found(journey_id) from None
            except Conflict as exc:
                raise ProblemError(409, str(exc)) from None
        return await _get(conn, workspace, journey_id)


@router.delete("/journeys/{journey_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Archive a journey")
async def delete_journey(request: Request, workspace: WorkspacePath, journey_id: JourneyPath) -> Response:
    async with _pool(request).acquire() as conn:
        if not await js.archive(conn, workspace, journey_id):
            raise _not_found(journey_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/journeys/{journey_id}/activate",
    response_model=Journey,
    responses=CONFLICT,
    summary="Freeze the latest version and enrol customers on it (also resumes a paused journey); 409 past the "
    "active journeys quota",
)
async def activate_journey(request: Request, workspace: WorkspacePath, journey_id: JourneyPath) -> Journey:
    quota = _settings(request).quota_active_journeys
    async with _pool(request).acquire() as conn:
        async with conn.transaction():
            try:
                await js.activate(conn, workspace, journey_id, quota=quota)
            except NotFound:
                raise _not_found(journey_id) from None
            except Conflict as exc:
                raise ProblemError(409, str(exc)) from None
        return await _get(conn, workspace, journey_id)


@router.post(
    "/journeys/{journey_id}/pause",
    response_model=Journey,
    responses=CONFLICT,
    summary="Pause: no new enrolments, and the timers of enrolments in flight hold until activated again",
)
async def pause_journey(request: Request, workspace: WorkspacePath, journey_id: JourneyPath) -> Journey:
    async with _pool(request).acquire() as conn:
        try:
            await js.pause(conn, workspace, journey_id)
        except NotFound:
            raise _not_found(journey_id) from None
        except Conflict as exc:
            raise ProblemError(409, str(exc)) from None
        return await _get(conn, workspace, journey_id)


@router.get("/journeys/{journey_id}/stats", response_model=JourneyStats, summary="A journey's enrolment counts")
async def journey_stats(request: Request, workspace: WorkspacePath, journey_id: JourneyPath) -> JourneyStats:
    async with _pool(request).acquire() as conn:
        if await js.get_journey(conn, workspace, journey_id) is None:
            raise _not_found(journey_id)
        stats = await stats_store.journey_stats(conn, workspace, journey_id)
        held = await cap_store.held_back(conn, workspace, journey_id)
    return stats_store.with_held_back(stats, held)


@router.get("/journey-templates", response_model=list[JourneyTemplate], summary="The built-in journey templates")
async def list_templates() -> list[JourneyTemplate]:
    return [
        JourneyTemplate(
            name=t.name,
            description=t.description,
            parameters=[
                TemplateParameter(name=p.name, type=p.type, default=p.default, description=p.description)
                for p in t.parameters
            ],
        )
        for t in TEMPLATES.values()
    ]


@router.post(
    "/journey-templates/{name}",
    response_model=Journey,
    status_code=status.HTTP_201_CREATED,
    responses=CONFLICT,
    summary="Create a draft journey from a template (409 past the journeys quota)",
)
async def create_from_template(
    request: Request,
    workspace: WorkspacePath,
    name: Annotated[str, Path(max_length=100)],
    body: Annotated[
        dict[str, Any] | None,
        Body(description="Template parameters (others default).", examples=[{"purchase_wait": "5d"}]),
    ] = None,
) -> Journey:
    if name not in TEMPLATES:
        raise ProblemError(404, f"no journey template {name!r}")
    try:
        document = instantiate(name, body or {})
    except InvalidJourney as exc:
        raise _invalid("invalid template parameters", exc) from None
    except TypeError as exc:  # a parameter the template function refuses
        raise ProblemError(422, f"invalid template parameters: {exc}") from None
    journey_name, normalised = _parse(document)
    quota = _settings(request).quota_journeys
    async with _pool(request).acquire() as conn, conn.transaction():
        journey = await js.create_journey(conn, workspace, journey_name, normalised, template=name, quota=quota)
    return _journey_out(journey)


@router.get(
    "/customers/{customer_id}/enrolments",
    response_model=list[CustomerJourney],
    summary="A customer's journey enrolments, newest first",
)
async def customer_enrolments(
    request: Request, workspace: WorkspacePath, customer_id: CustomerPath, limit: Limit = 100
) -> list[CustomerJourney]:
    async with _pool(request).acquire() as conn:
        return await stats_store.customer_enrolments(conn, workspace, customer_id, limit)


@router.get("/channel", response_model=ChannelView, summary="The workspace's webhook channel (never its secret)")
async def get_channel(request: Request, workspace: WorkspacePath) -> ChannelView:
    async with _pool(request).acquire() as conn:
        row = await channel_store.get_channel(conn, workspace)
    if row is None:
        raise ProblemError(404, "no channel configured for this workspace")
    return ChannelView(webhook_url=row.webhook_url, timezone=row.timezone, updated_at=row.updated_at)


@router.put(
    "/channel",
    response_model=ChannelView,
    summary="Set the webhook channel; the signing secret is returned once, when made or rotated (the one before "
    "still signs for 24 h)",
    description="The webhook URL must pass the egress policy (runtime/egress.py): http(s), an allowed port, "
    "and a host that resolves only to public addresses; otherwise 422 naming `webhook_url` and the reason.",
)
async def put_channel(request: Request, workspace: WorkspacePath, body: ChannelIn) -> ChannelView:
    egress = context_of(request).webhook_egress
    try:
        await egress.vet(body.webhook_url)
    except EgressRefused as exc:
        message = f"refused: {exc.reason}"
        raise ProblemError(
            422, f"webhook_url {message}", type_="validation", errors=[{"field": "webhook_url", "message": message}]
        ) from None
    keyring = keyring_of(_settings(request).secrets_keys)
    async with _pool(request).acquire() as conn:
        row, secret = await channel_secrets.put_channel(
            conn, keyring, workspace, body.webhook_url, body.timezone, body.rotate_secret, _clock(request)()
        )
    return ChannelView(webhook_url=row.webhook_url, timezone=row.timezone, secret=secret, updated_at=row.updated_at)


@router.get("/report", response_model=JourneyReport, response_model_by_alias=True, summary="Conversions in a period")
async def journey_report(
    request: Request,
    workspace: WorkspacePath,
    since: Annotated[AwareDatetime, Query(alias="from")],
    until: Annotated[AwareDatetime, Query(alias="to")],
) -> JourneyReport:
    if since >= until:
        raise ProblemError(422, "`from` must be before `to`", errors=[{"field": "from", "message": "after `to`"}])
    async with _pool(request).acquire() as conn:
        return await stats_store.workspace_report(conn, workspace, since, until)


# --- the workspace's messaging settings: frequency caps across journeys ----------------------------------


def _settings_out(version: int, caps: dict[str, Any], updated_at: Any) -> MessagingSettings:
    return MessagingSettings.model_validate({"caps": caps, "version": version, "updated_at": updated_at})


@router.get(
    "/messaging-settings", response_model=MessagingSettings, summary="The frequency caps across journeys, per channel"
)
async def get_messaging_settings(request: Request, workspace: WorkspacePath) -> MessagingSettings:
    async with _pool(request).acquire() as conn:
        return _settings_out(*await cap_store.current_settings(conn, workspace))


@router.put(
    "/messaging-settings",
    response_model=MessagingSettings,
    summary="Set the frequency caps across journeys (a new version; the latest applies)",
)
async def put_messaging_settings(
    request: Request, workspace: WorkspacePath, body: MessagingSettingsIn
) -> MessagingSettings:
    errors = []
    for channel, cap in sorted(body.caps.items()):
        window = parse_duration(cap.per)
        if window is None or not MIN_CAP_WINDOW <= window <= MAX_CAP_WINDOW:
            errors.append({"field": f"caps.{channel}.per", "message": f'must be from "1m" to "31d" (got {cap.per!r})'})
    if errors:
        raise ProblemError(422, "invalid messaging settings", type_="validation", errors=errors)
    caps: dict[str, dict[str, object]] = {str(c): cap.model_dump(mode="json") for c, cap in body.caps.items()}
    async with _pool(request).acquire() as conn:
        await cap_store.put_settings(conn, workspace, caps, _clock(request)())
        return _settings_out(*await cap_store.current_settings(conn, workspace))
