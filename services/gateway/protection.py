"""The gate in front of every /v1 route: per-key rate limits, request limits and Idempotency-Key replay.

One ASGI middleware rather than a dependency on each endpoint: a replay must answer without running the
endpoint at all, and the answer to store is only known once the endpoint has sent it. A request without a
valid API key is answered 401 here, before its body is read or any limit applies.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from email.message import Message as MimeMessage
from typing import Any

import asyncpg
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from runtime.problems import PROBLEM_JSON, problem_response
from services.gateway import idempotency
from services.gateway.deps import (
    INVALID_KEY,
    INVALID_KEY_CHALLENGE,
    MISSING_KEY,
    MISSING_KEY_CHALLENGE,
    GatewayState,
)
from services.gateway.domain import Principal
from services.gateway.idempotency import Outcome
from services.gateway.ratelimit import rate_headers

log = logging.getLogger(__name__)
EVENTS_PATH = "/v1/events"

_DATABASE_ERRORS = (asyncpg.PostgresError, asyncpg.InterfaceError, OSError, TimeoutError)


class _Refused(Exception):
    """Answer this problem instead of running the endpoint."""

    def __init__(self, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers


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


def _bearer_token(scope: Scope) -> str | None:
    scheme, _, token = _header(scope, b"authorization").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


class ProtectionMiddleware:
    def __init__(self, app: ASGIApp, clock: Callable[[], float] = time.monotonic) -> None:
        self.app = app
        self.monotonic = clock  # the rate limiter's time: only intervals matter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/v1/"):
            await self.app(scope, receive, send)
            return
        state: GatewayState = scope["app"].state.gateway
        try:
            principal, key = await self._gate(state, scope)
            if scope["method"] in idempotency.WRITE_METHODS and scope["path"] != EVENTS_PATH:
                send = _views_dropped_before_answering(state, principal.workspace, send)
            if key is None:
                await self.app(scope, receive, send)
                return
            await self._idempotent(state, principal, key, scope, receive, send)
        except _Refused as refused:
            await problem_response(refused.status, refused.detail, headers=refused.headers)(scope, receive, send)
        except _GatewayDatabaseDown:
            response = problem_response(
                503, "the gateway's database is unavailable; retry", headers={"Retry-After": "1"}
            )
            await response(scope, receive, send)

    async def _gate(self, state: GatewayState, scope: Scope) -> tuple[Principal, str | None]:
        """The request's principal and its Idempotency-Key (None: nothing to replay); raises _Refused when
        the key or a limit answers instead of the endpoint."""
        token = _bearer_token(scope)
        if token is None:
            raise _Refused(401, MISSING_KEY, MISSING_KEY_CHALLENGE)
        async with _database_guard():
            principal = await state.keys.resolve(token)
        if principal is None:
            raise _Refused(401, INVALID_KEY, INVALID_KEY_CHALLENGE)
        self._check_rate(state, principal)
        if scope["method"] not in idempotency.WRITE_METHODS:
            return principal, None
        self._check_write(state, scope)
        return principal, _header(scope, b"idempotency-key") or None

    def _check_rate(self, state: GatewayState, principal: Principal) -> None:
        if state.limiter is None:
            return
        decision = state.limiter.take(principal.key_id, self.monotonic())
        if not decision.allowed:
            raise _Refused(
                429,
                f"rate limit of this API key exceeded ({state.limiter.rate_per_s:g} requests/s, "
                f"bursts of {state.limiter.burst}); retry after {decision.retry_after_s} s",
                rate_headers(decision),
            )

    @staticmethod
    def _check_write(state: GatewayState, scope: Scope) -> None:
        limit = state.runtime.settings.max_body_bytes
        declared = _header(scope, b"content-length")
        if declared.isdigit() and int(declared) > limit:
            raise _Refused(413, f"the body is larger than {limit} bytes")
        has_body = (declared.isdigit() and int(declared) > 0) or bool(_header(scope, b"transfer-encoding"))
        if has_body and not is_json_media_type(_header(scope, b"content-type")):
            raise _Refused(415, "send JSON: Content-Type must be application/json (or another +json type)")

    async def _idempotent(
        self, state: GatewayState, principal: Principal, key: str, scope: Scope, receive: Receive, send: Send
    ) -> None:
        if not idempotency.is_valid_key(key):
            raise _Refused(422, f"Idempotency-Key must be 1-{idempotency.MAX_KEY_LENGTH} printable ASCII characters")
        body = await _read_body(receive, state.runtime.settings.max_body_bytes)
        query = scope.get("query_string", b"").decode("latin-1")
        request_fingerprint = idempotency.fingerprint(scope["method"], scope["path"], query, body)
        pool, workspace = state.runtime.pool, principal.workspace
        ttl = timedelta(hours=state.runtime.settings.idempotency_ttl_hours)
        async with _database_guard():
            claimed = await idempotency.claim(pool, workspace, key, request_fingerprint, state.clock(), ttl)
            if not claimed:
                await _answer_from_store(pool, workspace, key, request_fingerprint, send)
                return
        answer = _CapturedAnswer(send)
        try:
            await self.app(scope, _replaying(body, receive), answer.capture)
        except BaseException:
            with contextlib.suppress(*_DATABASE_ERRORS):
                await idempotency.release(pool, workspace, key)
            raise
        try:
            if idempotency.is_kept(answer.status):
                headers = idempotency.kept_headers(answer.headers)
                await idempotency.complete(pool, workspace, key, answer.status, headers, answer.body)
            else:
                await idempotency.release(pool, workspace, key)
        except _DATABASE_ERRORS as exc:
            # The write is done: its answer still goes out; a retry after the lease may run it again.
            log.warning("idempotency: could not store the answer", extra={"error": repr(exc)})
        await answer.flush()


def _views_dropped_before_answering(state: GatewayState, workspace: str, send: Send) -> Send:
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


async def _answer_from_store(
    pool: asyncpg.Pool, workspace: str, key: str, request_fingerprint: str, send: Send
) -> None:
    stored = await idempotency.load(pool, workspace, key)
    outcome = Outcome.IN_FLIGHT if stored is None else idempotency.classify(stored, request_fingerprint)
    if outcome is Outcome.MISMATCH:
        raise _Refused(
            422, "this Idempotency-Key was used for a different request (method, path or body); use a new key"
        )
    if outcome is Outcome.IN_FLIGHT or stored is None or stored.status is None:
        raise _Refused(
            409, "a request with this Idempotency-Key is still in progress; retry later", {"Retry-After": "1"}
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
            raise _Refused(400, "the client went away before sending the whole body")
        body += message.get("body", b"")
        if len(body) > limit:
            raise _Refused(413, f"the body is larger than {limit} bytes")
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
        if not path.startswith("/v1/"):
            continue
        for method, operation in operations.items():
            statuses = [401, 429]
            if method.upper() in idempotency.WRITE_METHODS:
                statuses += [409, 422, 503]
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
    409: "A request with this Idempotency-Key is still in progress",
    413: "The body is too large",
    415: "The body is not JSON",
    422: "Invalid request, or an Idempotency-Key used for a different request",
    429: "The API key's rate limit is exceeded; see Retry-After",
    503: "A backing service or the gateway's database is unavailable",
}
