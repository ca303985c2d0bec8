"""Builds the gateway app: the shared runtime, the service clients and the routes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import TypeAdapter
from starlette.middleware import Middleware

from contracts.cloudevents import producer_view
from contracts.generate import FlywheelJsonSchema
from contracts.inbound import INBOUND_EVENT_TYPES, CustomEvent, InboundEvent
from contracts.openapi_inputs import for_generators
from runtime.clock import Clock, utc_now
from runtime.http import create_service_app
from runtime.problems import problems_as_problem_json
from runtime.secrets_at_rest import Keyring
from runtime.service import PeriodicJob, ServiceRuntime
from services.gateway import SERVICE, idempotency_store, survey_store
from services.gateway.api import events_body_schema, routers
from services.gateway.api_segment import segment_schemas
from services.gateway.api_survey import SurveyAnswerIn
from services.gateway.change_feed import ChangeFeed
from services.gateway.console_http import console_directory, console_router
from services.gateway.deps import GatewayContext, KeyCache
from services.gateway.docs_http import docs_router
from services.gateway.idempotency import IdempotencyQuota
from services.gateway.openapi_documents import add_document_schemas
from services.gateway.openapi_errors import document_request_errors
from services.gateway.openapi_generators import operation_id
from services.gateway.produce_batching import ProduceBatcher
from services.gateway.protection import ProtectionMiddleware, document_protection
from services.gateway.ratelimit import RateLimiter
from services.gateway.routing import RouteTable
from services.gateway.service_client import ServiceClient, create_http_client
from services.gateway.settings import GatewayServiceSettings
from services.gateway.store import MIGRATIONS
from services.gateway.view_cache import ViewCache

DESCRIPTION = """The one public HTTP API of Flywheel.

Authenticate with `Authorization: Bearer <api-key>`; a key belongs to one workspace and carries scopes
(`events:write`, `customers:read`, `customers:erase`, `attributes:write`, `segments:write`, `journeys:write`,
`referrals:write`, `sales:write`, `reports:write`, `loyalty:write`; `admin` implies all). Reads need `customers:read`.
Key lookups are cached for 30 s, so a key revoked elsewhere (CLI, another replica) stops working within 30 s;
one revoked or rotated through this API stops at once on the gateway replica that did it.
Writes (POST, PUT, PATCH, DELETE) accept an `Idempotency-Key`: a retry with the same key and body gets the first
answer again (`Idempotent-Replayed: true`) for 24 h. Each API key may make `FLYWHEEL_RATE_LIMIT_PER_S` requests
per second in bursts of `FLYWHEEL_RATE_LIMIT_BURST` per gateway replica; beyond, 429 with `Retry-After`.
Under `/segment` (the Segment-compatible API) the key is also taken as a Segment write key: `Authorization: Basic
base64(<key>:)`.
`POST /v1/survey-answers` alone takes no key: the signed one-time token of a survey answer link authorises it.
Errors are `application/problem+json` (RFC 9457). Lists use cursor pagination (`limit`, `cursor`).
Whatever a field's schema allows, a request's text may not hold U+0000 and its JSON numbers must be finite, with
integers within 64 bits signed: else 422 naming the field (what every store and encoder of Flywheel can carry).
"""

TAGS = [
    {"name": "events", "description": "Ingest customer events (CloudEvents 1.0)."},
    {"name": "customers", "description": "The 360° customer view, search and listing, timeline, export and erasure."},
    {"name": "segments", "description": "Dynamic segments: conditions on stats, scores and traits; members."},
    {"name": "journeys", "description": "Journeys as data: drafts, versions, activation, pausing, stats, templates."},
    {
        "name": "referrals",
        "description": "Referral programs as data, customers' codes and reward ledgers, held rewards' review, "
        "program numbers.",
    },
    {
        "name": "sales",
        "description": "Pipelines, deals and their move rules, quotes with approval, tasks, owners and teams, "
        "lead scores, cross-sell suggestions, analytics.",
    },
    {
        "name": "loyalty",
        "description": "The workspace's loyalty program as data (versioned), customers' points (balance, lots with "
        "expiry, tier and progress) and redemptions.",
    },
    {"name": "reports", "description": "Headline KPIs over a period, beside the previous period."},
    {"name": "attributes", "description": "Custom attribute (trait) definitions."},
    {
        "name": "identity",
        "description": "The shared-device guard of identity resolution: the workspace's shared-identifier limits, "
        "and the conflicts recorded when an event was kept from merging customers through a shared identifier.",
    },
    {
        "name": "keys",
        "description": "The workspace's API keys: create (the secret is shown once), list, rotate with a grace "
        "period, revoke: scope `admin`. Any key may read itself (`GET /v1/keys/current`).",
    },
    {
        "name": "audit",
        "description": "Who (key and owner) changed keys, journeys or the channel, decided quotes, and erased or "
        "exported customers. Scope `admin`.",
    },
    {"name": "quotas", "description": "What the workspace may hold (segments, journeys, keys...) and holds."},
    {
        "name": "surveys",
        "description": "Customers' survey answers through the signed one-time links journeys' `survey` action "
        "sends: no API key, the link's token authorises one answer.",
    },
    {
        "name": "segment",
        "description": "Segment-compatible tracking (the HTTP Tracking API spec) for SDKs configured with host "
        "`<gateway>/segment` and an `events:write` key as their write key (Basic auth); see docs/segment.md.",
    },
    {
        "name": "problems",
        "description": "What each error `type` means: a page per problem type, under /problems/ (no API key).",
    },
    {
        "name": "consent",
        "description": "The one-click unsubscribe link every journey message carries (no API key: the link's "
        "token authorises it).",
    },
]


def create_app(
    settings: GatewayServiceSettings,
    *,
    profile_transport: httpx.AsyncBaseTransport | None = None,
    scoring_transport: httpx.AsyncBaseTransport | None = None,
    journey_transport: httpx.AsyncBaseTransport | None = None,
    referral_transport: httpx.AsyncBaseTransport | None = None,
    sales_transport: httpx.AsyncBaseTransport | None = None,
    loyalty_transport: httpx.AsyncBaseTransport | None = None,
    clock: Clock = utc_now,
) -> FastAPI:
    """The transports stand in for the services in tests (e.g. httpx.MockTransport); tests move `clock` to
    end a rotated key's grace or an Idempotency-Key's life."""
    if "service_name" not in settings.model_fields_set:
        settings = settings.model_copy(update={"service_name": SERVICE})

    def jobs(runtime: ServiceRuntime) -> list[PeriodicJob]:
        return [
            PeriodicJob("idempotency-pruner", 3600, lambda: idempotency_store.prune(runtime.pool, clock())),
            PeriodicJob("survey-link-pruner", 3600, lambda: survey_store.prune(runtime.pool, clock())),
        ]

    runtime = ServiceRuntime(SERVICE, settings, MIGRATIONS, jobs=jobs)

    @asynccontextmanager
    async def clients(app: FastAPI) -> AsyncIterator[None]:
        views = ViewCache(settings.view_cache_entries, settings.view_cache_ttl_s)
        events_out = ProduceBatcher(lambda: runtime.producer, settings.produce_linger_ms / 1000)
        async with (
            _following_changes(settings, views),
            create_http_client(settings.profile_url, settings, profile_transport) as profile,
            create_http_client(settings.scoring_url, settings, scoring_transport) as scoring,
            create_http_client(settings.journey_url, settings, journey_transport) as journey,
            create_http_client(settings.referral_url, settings, referral_transport) as referral,
            create_http_client(settings.sales_url, settings, sales_transport) as sales,
            create_http_client(settings.loyalty_url, settings, loyalty_transport) as loyalty,
        ):
            app.state.gateway = GatewayContext(
                runtime=runtime,
                keys=KeyCache(runtime.pool, wall_clock=clock),
                events_out=events_out,
                profile=ServiceClient("profile", profile),
                scoring=ServiceClient("scoring", scoring),
                journey=ServiceClient("journey", journey),
                referral=ServiceClient("referral", referral),
                sales=ServiceClient("sales", sales),
                loyalty=ServiceClient("loyalty", loyalty),
                budget_s=settings.service_timeout_s,
                clock=clock,
                limiter=RateLimiter(settings.rate_limit_per_s, settings.rate_limit_burst),
                auth_failures=RateLimiter(settings.auth_failures_per_minute / 60, settings.auth_failures_per_minute),
                survey_answers=RateLimiter(settings.survey_answers_per_minute / 60, settings.survey_answers_per_minute),
                survey_keyring=Keyring.from_settings(settings),
                idempotency_quota=IdempotencyQuota(settings.quota_idempotency_keys),
                views=views,
            )
            try:
                yield
            finally:
                await events_out.close()  # what requests still wait for goes out before the producer stops

    public = routers()
    app = create_service_app(
        runtime,
        title="Flywheel API",
        description=DESCRIPTION,
        routers=public,
        openapi_tags=TAGS,
        resources=clients,
        edge=True,
        generate_unique_id_function=operation_id,
        # FastAPI's /docs loads Swagger UI from a public CDN: the gateway serves its own (docs_http). No /redoc.
        docs_url=None,
        redoc_url=None,
    )
    app.include_router(docs_router(app.openapi_url or "/openapi.json", app.title))
    app.include_router(console_router(console_directory(settings.console_dir)))
    # Appended, so it runs inside the metrics middleware (add_middleware would put it outside): requests it
    # refuses (429, 413, 415) and replays are counted like any other.
    app.user_middleware.append(
        Middleware(ProtectionMiddleware, routes=RouteTable([route for router in public for route in router.routes]))
    )
    _document_events(app, settings.max_batch_events)
    return app


@asynccontextmanager
async def _following_changes(settings: GatewayServiceSettings, views: ViewCache) -> AsyncIterator[None]:
    """Follows `flywheel.customer.changes` for the 360 view cache while the app runs (not at all with
    FLYWHEEL_VIEW_CACHE_ENTRIES=0)."""
    if views.max_entries == 0:
        yield
        return
    stopping = asyncio.Event()
    following = asyncio.create_task(ChangeFeed(settings, views).run(stopping), name="customer-change-feed")
    try:
        yield
    finally:
        stopping.set()
        await following


def _document_events(app: FastAPI, max_events: int) -> None:
    """Adds the event contract's JSON Schemas to /openapi.json (the body is parsed by hand for speed)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
                tags=app.openapi_tags,
            )
            # The contracts' generator: with the model rules pydantic cannot say (at least one identifier).
            event_schema = TypeAdapter(InboundEvent).json_schema(
                ref_template="#/components/schemas/{model}", schema_generator=FlywheelJsonSchema
            )
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            components.update(event_schema.pop("$defs", {}))
            components["InboundEvent"] = event_schema
            components.update(_custom_event_schemas())
            for name in (*(model.__name__ for model in INBOUND_EVENT_TYPES.values()), CustomEvent.__name__):
                producer_view(components[name], ("time", "workspace"))  # over HTTP both may be left out
            components["SurveyAnswerIn"] = SurveyAnswerIn.model_json_schema(ref_template="#/components/schemas/{model}")
            components.update(segment_schemas())
            schema["components"].setdefault("securitySchemes", {})["SegmentWriteKey"] = SEGMENT_WRITE_KEY
            components["EventsBody"] = events_body_schema(max_events)
            add_document_schemas(schema)
            document_request_errors(problems_as_problem_json(document_protection(schema)))
            for_generators(schema)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


SEGMENT_WRITE_KEY = {
    "type": "http",
    "scheme": "basic",
    "description": "The Segment-compatible API's write key, as the Segment and RudderStack SDKs send it: an API key "
    "holding `events:write` as the user name, the password empty.",
}


def _custom_event_schemas() -> dict[str, Any]:
    """CustomEvent (and what it refers to) for the OpenAPI components: its type is no built-in type's name, so one
    event is either an InboundEvent or a CustomEvent, never both (the body's `oneOf`)."""
    schema = CustomEvent.model_json_schema(
        ref_template="#/components/schemas/{model}", schema_generator=FlywheelJsonSchema
    )
    found: dict[str, Any] = schema.pop("$defs", {})
    schema["properties"]["type"]["not"] = {"enum": sorted(INBOUND_EVENT_TYPES)}
    return {**found, "CustomEvent": schema}
