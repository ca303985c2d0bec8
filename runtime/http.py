"""The FastAPI application every service starts from: lifespan, service tokens, problem+json, tracing; and
its operations app (probes and metrics), which runtime/serve.py serves on the metrics port, apart from the API."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext
from typing import Any

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import JSONResponse
from fastapi.telemetry import TelemetryConfig
from opentelemetry import context as otel_context
from opentelemetry import propagate, trace
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.sdk.trace.id_generator import RandomIdGenerator
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from runtime.problems import install_problem_handlers, problem_response, problems_as_problem_json
from runtime.service import ServiceRuntime
from runtime.service_tokens import ServiceTokenKeys, ServiceTokenMiddleware, TokenVerifier
from runtime.telemetry import HTTP_REQUESTS, HTTP_SECONDS, TRACE_HEADERS


class _MetricsMiddleware:
    """Counts requests per route template (not per raw path, which would explode label cardinality)."""

    def __init__(self, app: ASGIApp, service: str) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def record_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, record_status)
        finally:
            route = getattr(scope.get("route"), "path", "unmatched")
            method = scope["method"]
            HTTP_REQUESTS.labels(self.service, method, route, str(status)).inc()
            HTTP_SECONDS.labels(self.service, method, route).observe(time.perf_counter() - started)


class _TraceContextMiddleware:
    """Joins each request to its caller's trace (W3C traceparent) without making a span: what the Kafka
    messages and HTTP calls a request causes carry on. With `start_traces` (the edge), a request that
    brings no trace starts one, so what it causes is still correlated in logs and headers.

    Used where spans go nowhere (FLYWHEEL_OTEL_EXPORTER=none). The OpenTelemetry instrumentation's server
    span per request cost 11-23% of an internal service's CPU in the 360 view, and about a third of the
    gateway's for a request that calls nothing (py-spy; it also walks every route to name the span),
    for a span nobody reads."""

    def __init__(self, app: ASGIApp, start_traces: bool = False) -> None:
        self.app = app
        self.start_traces = start_traces

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        carrier = {
            name.decode("latin-1"): value.decode("latin-1")
            for name, value in scope.get("headers", ())
            if name in _TRACE_HEADER_NAMES
        }
        context = propagate.extract(carrier) if carrier else None
        if self.start_traces and scope["type"] == "http" and not _carries_a_trace(context):
            context = trace.set_span_in_context(trace.NonRecordingSpan(_new_root()), context)
        if context is None:
            await self.app(scope, receive, send)
            return
        token = otel_context.attach(context)
        try:
            await self.app(scope, receive, send)
        finally:
            otel_context.detach(token)


_IDS = RandomIdGenerator()


def _new_root() -> trace.SpanContext:
    """A new trace's root, not sampled: nothing in this process records it."""
    return trace.SpanContext(trace_id=_IDS.generate_trace_id(), span_id=_IDS.generate_span_id(), is_remote=False)


def _carries_a_trace(context: otel_context.Context | None) -> bool:
    return context is not None and trace.get_current_span(context).get_span_context().is_valid


_TRACE_HEADER_NAMES = frozenset(name.encode() for name in TRACE_HEADERS)


def _json_example(example: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"example": example}}}


class Lifecycle:
    """Where the API app is in its life: the probes answer 503 while it starts and stops (its lifespan)."""

    def __init__(self) -> None:
        self.phase = "starting"  # then "serving", then "stopping"


def health_router() -> APIRouter:
    router = APIRouter(tags=["operations"])

    @router.get(
        "/healthz",
        summary="Liveness: the process has started and its background loops are alive",
        responses={200: _json_example({"status": "ok"})},
    )
    async def healthz(request: Request) -> JSONResponse:
        runtime: ServiceRuntime = request.app.state.runtime
        lifecycle: Lifecycle = request.app.state.lifecycle
        if lifecycle.phase == "starting":
            # Not alive yet: a start that never ends is restarted after the startup probe's window.
            return problem_response(503, "starting")
        if runtime.failed:
            return problem_response(503, runtime.failed)
        return JSONResponse({"status": "ok"})

    @router.get(
        "/readyz",
        summary="Readiness: serving, and the database and the broker answer",
        responses={200: _json_example({"status": "ready", "checks": {"database": "ok", "broker": "ok"}})},
    )
    async def readyz(request: Request) -> JSONResponse:
        runtime: ServiceRuntime = request.app.state.runtime
        lifecycle: Lifecycle = request.app.state.lifecycle
        if lifecycle.phase != "serving":
            return problem_response(503, lifecycle.phase)
        checks = await runtime.readiness()
        if all(v == "ok" for v in checks.values()):
            return JSONResponse({"status": "ready", "checks": checks})
        return problem_response(503, "not ready", extra={"checks": checks})

    @router.get("/metrics", summary="Prometheus metrics", response_class=Response)
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return router


def create_operations_app(runtime: ServiceRuntime, lifecycle: Lifecycle) -> FastAPI:
    """/healthz, /readyz and /metrics of one service, over the same runtime as its API: served on the metrics
    port (FLYWHEEL_METRICS_PORT), which only the kubelet and Prometheus reach and no Ingress routes."""
    off: TelemetryConfig = {"tracing": False, "metrics": False, "logs": False}
    app = FastAPI(
        title=f"{runtime.settings.service_name} operations",
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
        telemetry=off,
    )
    app.state.runtime = runtime
    app.state.lifecycle = lifecycle
    install_problem_handlers(app)
    app.include_router(health_router())
    app.add_middleware(_MetricsMiddleware, service=runtime.settings.service_name)  # probe answers are counted
    return app


def create_service_app(
    runtime: ServiceRuntime,
    *,
    title: str,
    description: str,
    routers: Sequence[APIRouter],
    version: str = "0.1.0",
    resources: Callable[[FastAPI], AbstractAsyncContextManager[Any]] | None = None,
    edge: bool = False,
    **fastapi_kwargs: Any,
) -> FastAPI:
    """`resources(app)`: a service's own clients (e.g. HTTP clients), opened after the runtime started
    and closed before it stops. `edge`: the app takes requests from outside (the gateway), so it starts
    traces; an internal service only joins its caller's trace unless its spans are exported.

    Every route under /internal/ takes only a valid service token (runtime.service_tokens). The app's
    operations app (probes, metrics) is `app.state.operations`: runtime/serve.py serves it on the metrics port.
    """
    lifecycle = Lifecycle()
    verifier = TokenVerifier(ServiceTokenKeys.from_settings(runtime.settings))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await runtime.start()
        try:
            async with resources(app) if resources else nullcontext():
                lifecycle.phase = "serving"
                try:
                    yield
                finally:
                    lifecycle.phase = "stopping"
        finally:
            await runtime.stop()

    # FastAPI's own OpenTelemetry support stays off: OpenTelemetry's FastAPI instrumentation makes the spans
    # (below), prometheus-client the metrics; the native layer only added work to every request.
    off: TelemetryConfig = {"tracing": False, "metrics": False, "logs": False}
    app = FastAPI(
        title=title, description=description, version=version, lifespan=lifespan, telemetry=off, **fastapi_kwargs
    )
    app.state.runtime = runtime
    app.state.operations = create_operations_app(runtime, lifecycle)
    install_problem_handlers(app)
    for router in routers:
        app.include_router(router)
    # Inside the metrics middleware: refused calls are counted (route "unmatched": refused before routing).
    app.add_middleware(ServiceTokenMiddleware, verifier=verifier)
    app.add_middleware(_MetricsMiddleware, service=runtime.settings.service_name)
    # One server span per request, joined to the caller's trace (W3C traceparent). Without exclude_spans
    # the instrumentation adds a span per ASGI message received and sent: two or three more per request,
    # ~10% of the gateway's CPU in a 360 view (bench/gateway_360_cpu.py) for spans nobody reads.
    if runtime.settings.otel_exporter != "none":
        FastAPIInstrumentor.instrument_app(app, exclude_spans=["receive", "send"])
    else:
        app.add_middleware(_TraceContextMiddleware, start_traces=edge)
    default_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = problems_as_problem_json(default_openapi())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app
