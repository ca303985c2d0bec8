"""The gate in front of every /v1 route: authentication, rate limits, authorisation of writes, request
limits and Idempotency-Key replay.

One ASGI middleware rather than a dependency on each endpoint: a replay must answer without running the
endpoint at all, and the answer to store is only known once the endpoint has sent it. In order:
1. the API key (401; failed attempts are limited per client address: 429 past
   `FLYWHEEL_AUTH_FAILURES_PER_MINUTE`, and then unknown keys are not even looked up), the key's rate (429);
2. the resource the path names (its most specific route template) and whether it takes the method: 405
   naming every method it takes, whatever the Idempotency-Key (no route: the app's 404, never stored); a
   query parameter of one value given twice (422: FastAPI would silently keep the last);
3. for a write: the scope its route needs (403, before anything stored could be replayed), the body's size
   and type (413, 415) and numbers (422: beyond 64 bits, NaN or infinite);
4. with an Idempotency-Key: the stored answer of the same key and request, or the write, run once and its
   answer stored, unless the answer carries a secret (services.gateway.idempotency).
Every 405 names every method the resource takes (`Allow`).
"""

from __future__ import annotations

import contextlib
import functools
import logging
import time
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from email.message import Message as MimeMessage
from typing import Any

import asyncpg
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from runtime.json_limits import number_problems
from runtime.problems import PROBLEM_JSON, ProblemError, problem_response
from services.gateway import idempotency, idempotency_store
from services.gateway.deps import (
    INVALID_KEY,
    INVALID_KEY_CHALLENGE,
    MISSING_KEY,
    MISSING_KEY_CHALLENGE,
    GatewayContext,
    lacks_scope,
)
from services.gateway.domain import Principal
from services.gateway.idempotency import Outcome
from services.gateway.ratelimit import rate_headers
from services.gateway.routing import RoutePolicy, RouteTable
from services.gateway.segment_http import BASIC_CHALLENGE, api_key_of, is_segment_path, with_sdk_error_fields
from services.gateway.service_client import ACTING_FOR

log = logging.getLogger(__name__)
EVENTS_PATH = "/v1/events"
PUBLIC_PATHS = frozenset({"/v1/survey-answers", "/v1/unsubscribe"})
"""Paths that take no API key: a survey answer link's signed token authorises its answer (api_survey.py), a one-click
unsubscribe link's its unsubscribe (api_unsubscribe.py); each client address may send
FLYWHEEL_SURVEY_ANSWERS_PER_MINUTE requests to them (one limiter for both)."""

_DATABASE_ERRORS = (asyncpg.PostgresError, asyncpg.InterfaceError, OSError, TimeoutError)


def _public_what(scope: Scope) -> str:
    return "unsubscribe requests" if scope.get("path") == "/v1/unsubscribe" else "survey answers"


@functools.lru_cache(maxsize=256)  # clients send a few values, each parsed by email.message once
def is_json_media_type(content_type: str) -> bool:
    if not content_type:
        return False
    parsed = MimeMessage()
    parsed["content-type"] = content_type
    subtype = parsed.get_content_subtype()
    return parsed.get_content_maintype() == "application" and (subtype == "json" or subtype.endswith("+json"))


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return ""


def _api_key(scope: Scope) -> str | None:
    """`Bearer <key>`; under /segment also `Basic base64(<key>:)`, the write key as the Segment SDKs send it."""
    return api_key_of(_header(scope, b"authorization"), basic=is_segment_path(scope["path"]))


def _is_ingestion(path: str) -> bool:
    """Event ingestion (POST /v1/events and the Segment-compatible API) checks each event's numbers itself (the
    valid events of a batch still go through) and changes no cached view (events are processed asynchronously)."""
    return path == EVENTS_PATH or is_segment_path(path)


def _challenge(scope: Scope, challenge: dict[str, str]) -> dict[str, str]:
    """Under /segment a 401 asks for Basic (the SDKs' scheme) as well."""
    if not is_segment_path(scope["path"]):
        return challenge
    return {"WWW-Authenticate": f"{BASIC_CHALLENGE}, {challenge['WWW-Authenticate']}"}


def _client_address(scope: Scope) -> str:
    """The peer's address (behind a proxy: the one uvicorn's --forwarded-allow-ips lets it take from the
    proxy's X-Forwarded-For)."""
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


class ProtectionMiddleware:
    def __init__(self, app: ASGIApp, routes: RouteTable, clock: Callable[[], float] = time.monotonic) -> None:
        self.app = app
        self.routes = routes  # the public API's routes (services.gateway.routing)
        self.monotonic = clock  # the rate limiters' time: only intervals matter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not (scope["path"].startswith("/v1/") or is_segment_path(scope["path"])):
            await self.app(scope, receive, send)
            return
        state: GatewayContext = scope["app"].state.gateway
        routes = self.routes
        send = _complete_allow(routes, scope, send)
        if is_segment_path(scope["path"]):
            send = with_sdk_error_fields(send)
        if scope["path"] in PUBLIC_PATHS:
            await self._public(state, scope, receive, send)
            return
        if scope["path"] == EVENTS_PATH and scope["method"] != "POST":
            # The methods, and the CloudEvents webhook validation: nothing of a workspace, no key (api.py). Since
            # OPTIONS names the path's methods to anyone, another method is answered 405 without a key too.
            await self.app(scope, receive, send)
            return
        acting = None
        try:
            principal = await self._authenticate(state, scope)
            acting = ACTING_FOR.set(principal)  # the service tokens of this request's calls carry its scopes
            self._check_rate(state, principal)
            allowed = routes.allowed_methods(scope)
            if allowed is not None and scope["method"] not in allowed:
                raise ProblemError(405, "Method Not Allowed", headers={"Allow": ", ".join(allowed)})
            _refuse_repeated_single_values(routes, scope)
            policy = routes.policy(scope) if scope["method"] in idempotency.WRITE_METHODS else None
            if policy is None:  # a read, or no route takes the request (the app answers 404)
                await self.app(scope, receive, send)
                return
            if policy.scope is not None and not principal.allows(policy.scope):
                raise ProblemError(403, lacks_scope(policy.scope))
            body = await self._read_write_body(state, scope, receive)
            receive = _replaying(body, receive)
            if not _is_ingestion(scope["path"]):
                send = _views_dropped_before_answering(state, principal.workspace, send)
            key = _header(scope, b"idempotency-key")
            if not key:
                await self.app(scope, receive, send)
                return
            await self._idempotent(state, principal, policy, key, body, scope, receive, send)
        except ProblemError as refused:
            response = problem_response(
                refused.status,
                refused.detail,
                type_=refused.type,
                errors=refused.errors,
                headers=refused.headers,
                extra=refused.extra,
            )
            await response(scope, receive, send)
        except _GatewayDatabaseDown:
            response = problem_response(
                503, "the gateway's database is unavailable; retry", headers={"Retry-After": "1"}
            )
            await response(scope, receive, send)
        finally:
            if acting is not None:
                ACTING_FOR.reset(acting)

    async def _public(self, state: GatewayContext, scope: Scope, receive: Receive, send: Send) -> None:
        """A path without an API key: limited per client address; the endpoint checks what authorises it."""
        limiter = state.survey_answers
        if limiter is not None:
            decision = limiter.take(_client_address(scope), self.monotonic())
            if not decision.allowed:
                per_minute = round(limiter.rate_per_s * 60)
                refused = problem_response(
                    429,
                    f"too many {_public_what(scope)} from this address (more than {per_minute} a minute); "
                    f"retry after {decision.retry_after_s} s",
                    headers={"Retry-After": str(max(1, decision.retry_after_s))},
                )
                await refused(scope, receive, send)
                return
        await self.app(scope, receive, send)

    async def _authenticate(self, state: GatewayContext, scope: Scope) -> Principal:
        token = _api_key(scope)
        if token is None:
            raise ProblemError(401, MISSING_KEY, headers=_challenge(scope, MISSING_KEY_CHALLENGE))
        known, principal = state.keys.cached(token)
        if not known:
            address = _client_address(scope)
            if state.auth_failures is not None and state.auth_failures.is_exhausted(address, self.monotonic()):
                # This address keeps guessing: only keys already known here are served, without a lookup.
                raise self._too_many_failures(state, address)
            async with _database_guard():
                principal = await state.keys.resolve(token)
        if principal is None:
            address = _client_address(scope)
            if state.auth_failures is not None and not state.auth_failures.take(address, self.monotonic()).allowed:
                raise self._too_many_failures(state, address)
            raise ProblemError(401, INVALID_KEY, headers=_challenge(scope, INVALID_KEY_CHALLENGE))
        return principal

    def _too_many_failures(self, state: GatewayContext, address: str) -> ProblemError:
        assert state.auth_failures is not None
        decision = state.auth_failures.take(address, self.monotonic())
        per_minute = round(state.auth_failures.rate_per_s * 60)
        return ProblemError(
            429,
            f"too many failed authentications from this address (more than {per_minute} a minute); "
            f"retry after {decision.retry_after_s} s with a valid API key",
            headers={"Retry-After": str(max(1, decision.retry_after_s))},
        )

    def _check_rate(self, state: GatewayContext, principal: Principal) -> None:
        if state.limiter is None:
            return
        decision = state.limiter.take(principal.key_id, self.monotonic())
        if not decision.allowed:
            raise ProblemError(
                429,
                f"rate limit of this API key exceeded ({state.limiter.rate_per_s:g} requests/s, "
                f"bursts of {state.limiter.burst}); retry after {decision.retry_after_s} s",
                headers=rate_headers(decision),
            )

    @staticmethod
    async def _read_write_body(state: GatewayContext, scope: Scope, receive: Receive) -> bytes:
        """The whole body of a write, within its limits: size (413), type (415) and numbers (422)."""
        limit = state.runtime.settings.max_body_bytes
        declared = _header(scope, b"content-length")
        if declared.isdigit() and int(declared) > limit:
            raise ProblemError(413, f"the body is larger than {limit} bytes")
        has_body = (declared.isdigit() and int(declared) > 0) or bool(_header(scope, b"transfer-encoding"))
        if has_body and not is_json_media_type(_header(scope, b"content-type")):
            raise ProblemError(415, "send JSON: Content-Type must be application/json (or another +json type)")
        body = await _read_body(receive, limit)
        # Events are checked one by one by their endpoint: the valid events of a batch still go through.
        problems = number_problems(body) if not _is_ingestion(scope["path"]) else []
        if problems:
            raise ProblemError(422, f"{len(problems)} invalid field(s)", type_="validation", errors=problems)
        return body

    async def _idempotent(
        self,
        state: GatewayContext,
        principal: Principal,
        policy: RoutePolicy,
        key: str,
        body: bytes,
        scope: Scope,
        receive: Receive,
        send: Send,
    ) -> None:
        if not idempotency.is_valid_key(key):
            raise ProblemError(
                422, f"Idempotency-Key must be 1-{idempotency.MAX_KEY_LENGTH} printable ASCII characters"
            )
        query = scope.get("query_string", b"").decode("latin-1")
        # A CloudEvents binary-mode event's attributes are headers: the same body with another ce-id is another event.
        binding = [(n, v) for n, v in scope["headers"] if n.startswith(b"ce-")] if scope["path"] == EVENTS_PATH else []
        request_fingerprint = idempotency.fingerprint(
            principal.key_id, scope["method"], scope["path"], query, body, binding
        )
        pool, key_id, workspace = state.runtime.pool, principal.key_id, principal.workspace
        now = state.clock()
        ttl = timedelta(hours=state.runtime.settings.idempotency_ttl_hours)
        async with _database_guard():
            usage = await state.idempotency_quota.usage(pool, workspace, now)
            if usage.used >= usage.limit and await idempotency_store.load(pool, key_id, key) is None:
                raise state.idempotency_quota.refusal(usage)  # a new Idempotency-Key, and no room for it
            claimed = await idempotency_store.claim(pool, key_id, workspace, key, request_fingerprint, now, ttl)
            if not claimed:
                await _answer_from_store(pool, key_id, key, request_fingerprint, send)
                return
        state.idempotency_quota.claimed(workspace)
        answer = _CapturedAnswer(send)
        try:
            await self.app(scope, receive, answer.capture)
        except BaseException:
            with contextlib.suppress(*_DATABASE_ERRORS):
                await idempotency_store.release(pool, key_id, key)
            raise
        try:
            if idempotency.is_kept(answer.status):
                headers = idempotency.kept_headers(answer.headers)
                await idempotency_store.complete(
                    pool, key_id, key, answer.status, headers, answer.body, withhold=policy.answer_holds_secret
                )
            else:
                await idempotency_store.release(pool, key_id, key)
        except _DATABASE_ERRORS as exc:
            # The write is done: its answer still goes out; a retry after the lease may run it again.
            log.warning("idempotency: could not store the answer", extra={"error": repr(exc)})
        await answer.flush()


def _refuse_repeated_single_values(routes: RouteTable, scope: Scope) -> None:
    repeated = routes.repeated_single_values(scope)
    if repeated:
        errors = [
            {"field": f"query.{name}", "message": "given more than once; it takes one value"} for name in repeated
        ]
        raise ProblemError(422, f"{len(errors)} invalid field(s)", type_="validation", errors=errors)


def _complete_allow(routes: RouteTable, scope: Scope, send: Send) -> Send:
    """A 405 names every method the path takes, not only those of the first route Starlette matched."""

    async def with_every_method(message: Message) -> None:
        if message["type"] == "http.response.start" and message["status"] == 405:
            allow = ", ".join(routes.allowed_methods(scope) or ()).encode("latin-1")
            headers = [(n, v) for n, v in message.get("headers", []) if n.lower() != b"allow"]
            message = {**message, "headers": [*headers, (b"allow", allow)]}
        await send(message)

    return with_every_method


def _views_dropped_before_answering(state: GatewayContext, workspace: str, send: Send) -> Send:
    """A write through the gateway shows in the next 360 view it answers (read your writes): the workspace's
    cached views go before the client learns the write is done, not when its change notification arrives.
    Events are exempt: they are processed asynchronously anyway, and their changes are notified."""

    async def dropping_first(message: Message) -> None:
        if message["type"] == "http.response.start":
            state.views.changed(workspace, None)
        await send(message)

    return dropping_first


class _GatewayDatabaseDown(Exception):
    pass


@contextlib.asynccontextmanager
async def _database_guard() -> AsyncIterator[None]:
    """The gateway's own database calls: failing, they answer 503, never a 500."""
    try:
        yield
    except _DATABASE_ERRORS as exc:
        log.warning("gateway database unavailable", extra={"error": repr(exc)})
        raise _GatewayDatabaseDown() from exc


async def _answer_from_store(pool: asyncpg.Pool, key_id: str, key: str, request_fingerprint: str, send: Send) -> None:
    stored = await idempotency_store.load(pool, key_id, key)
    outcome = Outcome.IN_FLIGHT if stored is None else idempotency.classify(stored, request_fingerprint)
    if outcome is Outcome.MISMATCH:
        raise ProblemError(
            422,
            "this Idempotency-Key was used for a different request (method, path or body); use a new key",
            type_="idempotency-key-reused",
        )
    if outcome is Outcome.WITHHELD:
        raise ProblemError(
            409,
            "the request with this Idempotency-Key was done, but its answer is not kept: it held a secret (never "
            "stored) or named a customer erased since; check the outcome (e.g. GET /v1/keys) and repeat the action "
            "with a new Idempotency-Key if you need a new secret",
            type_="idempotency-conflict",
        )
    if outcome is Outcome.IN_FLIGHT or stored is None or stored.status is None:
        raise ProblemError(
            409,
            "a request with this Idempotency-Key is still in progress; retry later",
            type_="idempotency-conflict",
            headers={"Retry-After": "1"},
        )
    headers = [(n.encode("latin-1"), v.encode("latin-1")) for n, v in [*stored.headers, idempotency.REPLAY_MARKER]]
    headers.append((b"content-length", str(len(stored.body)).encode()))
    await send({"type": "http.response.start", "status": stored.status, "headers": headers})
    await send({"type": "http.response.body", "body": stored.body, "more_body": False})


async def _read_body(receive: Receive, limit: int) -> bytes:
    body = bytearray()
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ProblemError(400, "the client went away before sending the whole body")
        body += message.get("body", b"")
        if len(body) > limit:
            raise ProblemError(413, f"the body is larger than {limit} bytes")
        if not message.get("more_body", False):
            return bytes(body)


def _replaying(body: bytes, receive: Receive) -> Receive:
    """The body read for the fingerprint, handed to the endpoint as if it came from the client."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


class _CapturedAnswer:
    """Holds the endpoint's answer until it is stored, so a client retrying at once finds it complete."""

    def __init__(self, send: Send) -> None:
        self._send = send
        self._messages: list[Message] = []
        self.status = 500
        self.headers: list[tuple[bytes, bytes]] = []
        self.body = b""

    async def capture(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            self.headers = list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            self.body += message.get("body", b"")
        self._messages.append(message)

    async def flush(self) -> None:
        for message in self._messages:
            await self._send(message)


def document_protection(schema: dict[str, Any]) -> dict[str, Any]:
    """Adds the answers this middleware can give to every /v1 operation of the OpenAPI document."""
    for path, operations in schema.get("paths", {}).items():
        if not (path.startswith("/v1/") or is_segment_path(path)) or path in PUBLIC_PATHS:
            continue
        for method, operation in operations.items():
            if method == "options":  # answered without a key (OPTIONS /v1/events)
                continue
            statuses = [401, 429]
            if method.upper() in idempotency.WRITE_METHODS:
                statuses += [403, 409, 422, 503]
                if "requestBody" in operation:
                    statuses += [413, 415]
            responses = operation.setdefault("responses", {})
            for status in statuses:
                responses.setdefault(
                    str(status),
                    {
                        "description": _PROTECTION_ANSWERS[status],
                        "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
                    },
                )
            responses["429"].setdefault(
                "headers", {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}}
            )
    return schema


_PROTECTION_ANSWERS = {
    401: "No valid API key",
    403: "The API key lacks the scope this operation needs",
    409: "A request with this Idempotency-Key is still in progress, or its answer held a secret (never replayed)",
    413: "The body is too large",
    415: "The body is not JSON",
    422: "Invalid request (a number beyond 64 bits, say), or an Idempotency-Key used for a different request",
    429: "The API key's rate limit, the address's failed authentications or the workspace's stored Idempotency-Key "
    "answers are exhausted; see Retry-After",
    503: "A backing service or the gateway's database is unavailable",
}
