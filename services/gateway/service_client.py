"""A backing service's internal API as the gateway uses it; its failures become problem+json."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from contextvars import ContextVar
from types import TracebackType
from typing import Any, Protocol, Self, TypeVar
from urllib.parse import quote, unquote

import httpx
import orjson
from opentelemetry import propagate
from opentelemetry.trace import SpanKind
from pydantic import BaseModel, ValidationError

from contracts.codec import field_errors
from runtime.problem_catalogue import BY_SLUG, PROBLEMS_PATH
from runtime.problems import ProblemError
from runtime.quotas import QUOTA_EXCEEDED
from runtime.service_tokens import TokenIssuer, workspace_in_path
from runtime.telemetry import spans_exported, tracer
from services.gateway.domain import Principal, clamp_limit
from services.gateway.service_http import AiohttpServiceHttp
from services.gateway.settings import GatewayServiceSettings

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)
Params = dict[str, Any] | None  # a call's query parameters
Headers = dict[str, str] | None


def _unavailable(service: str) -> str:
    return f"the {service} service is unavailable; try again shortly"


def _unexpected(service: str) -> str:
    return f"the {service} service gave an unexpected answer"


class HttpAnswer(Protocol):
    """What ServiceClient reads of an answer: an httpx.Response or a service_http.ServiceAnswer."""

    @property
    def status_code(self) -> int: ...

    @property
    def content(self) -> bytes: ...

    @property
    def text(self) -> str: ...


class ServiceHttp(Protocol):
    """A client of one service: service_http.AiohttpServiceHttp, or httpx.AsyncClient (tests' transports)."""

    async def request(
        self,
        method: str,
        url: str,
        *,
        params: dict[str, Any] | None = ...,
        json: Any = ...,
        headers: dict[str, str] | None = ...,
    ) -> HttpAnswer: ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...


ACTING_FOR: ContextVar[Principal | None] = ContextVar("flywheel_gateway_acting_for", default=None)
"""The API key the current request acts for: set by the protection middleware once it has authenticated
the request, read when a call to a service is signed (its scopes go into the service token)."""

CALLER = "gateway"


class SignedServiceHttp:
    """Signs every call with a service token (runtime.service_tokens): the workspace its path names, the
    caller "gateway", the scopes and key id of the API key the request acts for (none outside a request).
    Tokens are kept per (workspace, scopes, key) for half their life, so a call seldom signs anything."""

    def __init__(self, http: ServiceHttp, issuer: TokenIssuer) -> None:
        self._http = http
        self._issuer = issuer

    async def request(self, method: str, url: str, *, headers: dict[str, str] | None = None, **call: Any) -> HttpAnswer:
        """As ServiceHttp.request (`call`: its params and json), with the service token added to the headers."""
        principal = ACTING_FOR.get()
        workspace = workspace_in_path(unquote(url.partition("?")[0]))  # decoded, as the service reads it
        authorization = (
            self._issuer.authorization(workspace, principal.scopes, principal.key_id)
            if principal is not None
            else self._issuer.authorization(workspace)
        )
        headers = {**(headers or {}), "authorization": authorization}
        return await self._http.request(method, url, headers=headers, **call)

    async def __aenter__(self) -> Self:
        await self._http.__aenter__()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self._http.__aexit__(exc_type, exc, tb)


def create_http_client(
    base_url: str, settings: GatewayServiceSettings, transport: httpx.AsyncBaseTransport | None = None
) -> ServiceHttp:
    """One pooled client per service and process, signing every call (SignedServiceHttp); `transport` lets
    tests stand in for the service (through httpx). Without one: aiohttp, which costs a fraction of httpx's
    CPU per call."""
    http: ServiceHttp
    if transport is None:
        http = AiohttpServiceHttp(base_url, settings.service_timeout_s, headers={"user-agent": "flywheel-gateway"})
    else:
        http = httpx.AsyncClient(
            base_url=base_url,
            timeout=httpx.Timeout(settings.service_timeout_s),
            transport=transport,
            headers={"user-agent": "flywheel-gateway"},
        )
    return SignedServiceHttp(http, TokenIssuer.for_settings(settings, CALLER))


def segment(value: str) -> str:
    """One URL path segment; nothing in it can climb out to another path (or workspace)."""
    return quote(value, safe="")


def workspace_path(workspace: str, suffix: str) -> str:
    """A path of a service's internal API in the caller's workspace (the key's, never the request's)."""
    return f"/internal/v1/workspaces/{segment(workspace)}{suffix}"


def page_params(limit: int | None, cursor: str | None) -> dict[str, Any]:
    """Cursor pagination as the services take it: `limit` (clamped as the public API promises) and `cursor`."""
    return {"limit": clamp_limit(limit), **({"cursor": cursor} if cursor else {})}


def parse(model: type[M], doc: Any, service: str = "profile") -> M:
    """A service's answer as `model`; a contract breach is the gateway's 502, never a 500."""
    try:
        return model.model_validate(doc)
    except ValidationError as exc:
        # Where the answer breaks it, never what it holds: pydantic's own text quotes the values (personal ones).
        errors = field_errors(exc)
        log.error("answer breaks the contract", extra={"service": service, "model": model.__name__, "errors": errors})
        raise ProblemError(502, _unexpected(service)) from None


def idempotency_headers(principal: Principal, key: str | None) -> dict[str, str]:
    """The caller's Idempotency-Key for a service that takes one, bound to the caller's API key: the service
    keeps answers per workspace, and another key of the workspace must never be answered with this key's.
    Forwarded as SHA-256 of (key id, Idempotency-Key): the same key and Idempotency-Key still name the same
    request, within the 200 characters services take."""
    if not key:
        return {}
    return {"Idempotency-Key": hashlib.sha256(f"{principal.key_id}\x00{key}".encode()).hexdigest()}


class ServiceClient:
    """Retries only GETs, and only when the connection could not be made (nothing reached the service)."""

    def __init__(self, name: str, http: ServiceHttp, get_attempts: int = 3, backoff_s: float = 0.05) -> None:
        self.name = name
        self._http = http
        self._get_attempts = get_attempts
        self._backoff_s = backoff_s

    async def get(self, path: str, *, params: dict[str, Any] | None = None, not_found: str) -> Any:
        for attempt in range(1, self._get_attempts + 1):
            try:
                return await self._call("GET", path, params=params, not_found=not_found)
            except httpx.ConnectError:
                if attempt == self._get_attempts:
                    break
                await asyncio.sleep(self._backoff_s * attempt)
        raise self._unavailable()

    async def get_held(self, path: str, *, params: dict[str, Any] | None = None) -> Any:
        """What the service holds at `path`, or None where it holds nothing (its 404): e.g. a customer whose
        events have not reached it yet. Every other failure raises, as `get` does."""
        try:
            return await self.get(path, params=params, not_found="nothing held")
        except ProblemError as exc:
            if exc.status == 404:
                return None
            raise

    def _unavailable(self) -> ProblemError:
        return ProblemError(503, _unavailable(self.name), headers={"Retry-After": "1"}, extra={"service": self.name})

    async def post(self, path: str, body: Any, *, not_found: str, headers: dict[str, str] | None = None) -> Any:
        return await self.send("POST", path, body, not_found=not_found, headers=headers)

    async def put(self, path: str, body: Any, *, not_found: str, headers: dict[str, str] | None = None) -> Any:
        return await self.send("PUT", path, body, not_found=not_found, headers=headers)

    async def send_counted(
        self, method: str, path: str, body: Any, *, not_found: str, headers: dict[str, str] | None = None
    ) -> tuple[int, Any]:
        """As `send`, with the service's status (e.g. 201 for a creation, 200 for what already was)."""
        try:
            response = await self._request(method, path, json=body, headers=headers)
        except httpx.ConnectError:
            raise self._unavailable() from None
        return response.status_code, self._answer(response, not_found)

    async def delete(self, path: str, *, not_found: str) -> Any:
        return await self.send("DELETE", path, None, not_found=not_found)

    async def send(
        self, method: str, path: str, body: Any, *, not_found: str, headers: dict[str, str] | None = None
    ) -> Any:
        """One write (`body` None: none), never retried: the service may have done it before failing."""
        try:
            return await self._call(method, path, json=body, not_found=not_found, headers=headers)
        except httpx.ConnectError:
            raise self._unavailable() from None

    async def _call(
        self,
        method: str,
        path: str,
        *,
        not_found: str,
        params: Params = None,
        json: Any = None,
        headers: Headers = None,
    ) -> Any:
        """One request; raises httpx.ConnectError (retryable) or ProblemError (the answer to give)."""
        response = await self._request(method, path, params=params, json=json, headers=headers)
        return self._answer(response, not_found)

    async def _request(
        self, method: str, path: str, *, params: Params = None, json: Any = None, headers: Headers = None
    ) -> HttpAnswer:
        _refuse_nul(path, params, json)
        # A client span per call only when spans are exported: making one cost ~8% of the gateway's CPU in a
        # 360 view (six calls). Either way the W3C traceparent goes along, so the service joins this trace.
        if spans_exported():
            with tracer().start_as_current_span(f"{self.name} {method}", kind=SpanKind.CLIENT):
                response = await self._send(method, path, params, json, headers)
        else:
            response = await self._send(method, path, params, json, headers)
        return response

    async def _send(
        self, method: str, path: str, params: dict[str, Any] | None, json: Any, headers: dict[str, str] | None
    ) -> HttpAnswer:
        headers = dict(headers or {})
        propagate.inject(headers)  # W3C traceparent: the service's spans join this request's trace
        try:
            return await self._http.request(method, path, params=params, json=json, headers=headers)
        except httpx.ConnectError:
            raise
        except httpx.HTTPError as exc:  # timeouts, resets, protocol errors: the service may be down or slow
            log.warning("service call failed", extra={"service": self.name, "method": method, "error": repr(exc)})
            raise self._unavailable() from None

    def _answer(self, response: HttpAnswer, not_found: str) -> Any:
        status = response.status_code
        if status == 404:
            raise ProblemError(404, not_found)
        if status == 422:
            raise ProblemError(
                422,
                _detail_of(response) or "invalid input",
                type_=_type_of(response, 422) or "validation",
                errors=_field_errors_of(response),
            )
        if status >= 500:
            log.warning("service answered an error", extra={"service": self.name, "status": status})
            raise self._unavailable()
        if status == 409:
            # A refusal of the request as it stands; `blockers` say what keeps it from going through, and a
            # workspace quota's refusal names the quota (runtime.quotas), as the gateway's own quotas do.
            quota = _quota_of(response)
            if quota is not None:
                raise ProblemError(409, _detail_of(response) or "quota reached", type_=QUOTA_EXCEEDED, extra=quota)
            # `blockers` say what keeps it from going through; `available` what a member could spend instead.
            blockers, available = _blockers_of(response), _available_of(response)
            extra: dict[str, Any] = {"blockers": blockers} if blockers else {}
            if available is not None:
                extra["available"] = available
            raise ProblemError(
                409,
                _detail_of(response) or "conflict",
                type_=_type_of(response, 409),
                errors=_field_errors_of(response) or None,
                extra=extra or None,
            )
        if status == 403:  # the service refuses who the request names (e.g. an approver who is not a manager)
            raise ProblemError(403, _detail_of(response) or "forbidden")
        if not 200 <= status < 300:
            log.error(
                "service answered unexpectedly",
                extra={"service": self.name, "status": status, "body": response.text[:500]},
            )
            raise ProblemError(502, _unexpected(self.name))
        if status == 204:
            return None
        try:
            return orjson.loads(response.content)
        except orjson.JSONDecodeError:
            log.error("service answered non-JSON", extra={"service": self.name, "status": status})
            raise ProblemError(502, _unexpected(self.name)) from None


def _refuse_nul(path: str, params: dict[str, Any] | None, body: Any) -> None:
    """The services keep text in PostgreSQL, which cannot store U+0000: such text is the caller's 422 here,
    not a failed insert in a service. (`segment` quotes a NUL in the path as %00, and nothing else as that.)"""
    field = _nul_in(params, "query") or ("path" if "%00" in path or "\x00" in path else None)
    # One encoding (in C) tells whether a body holds U+0000 at all; only then is it walked to name the field.
    if field is None and body is not None and _may_hold_nul(body):
        field = _nul_in(body, "body")
    if field is not None:
        message = "text may not contain the NUL character (U+0000)"
        raise ProblemError(422, message, type_="validation", errors=[{"field": field, "message": message}])


def _may_hold_nul(body: Any) -> bool:
    try:
        return b"\\u0000" in orjson.dumps(body)
    except (TypeError, orjson.JSONEncodeError):
        return True  # the walk decides


def _nul_in(value: Any, where: str) -> str | None:
    """Where in a JSON-like `value` a string (or key) holds U+0000, or None."""
    if isinstance(value, str):
        return where if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            found = _nul_in(key, where) or _nul_in(item, f"{where}.{key}")
            if found:
                return found
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found = _nul_in(item, f"{where}.{index}")
            if found:
                return found
    return None


def _json_object(response: HttpAnswer) -> dict[str, Any]:
    try:
        doc = orjson.loads(response.content)
    except orjson.JSONDecodeError:
        return {}
    return doc if isinstance(doc, dict) else {}


def _detail_of(response: HttpAnswer) -> str | None:
    detail = _json_object(response).get("detail")
    return detail[:500] if isinstance(detail, str) else None


def _quota_of(response: HttpAnswer) -> dict[str, Any] | None:
    """`quota`, `limit` and `used` of a service's quota-exceeded problem; None for any other answer."""
    doc = _json_object(response)
    quota, limit, used = doc.get("quota"), doc.get("limit"), doc.get("used")
    if doc.get("type") != BY_SLUG[QUOTA_EXCEEDED].uri or not isinstance(quota, str) or not isinstance(limit, int):
        return None
    return {"quota": quota[:100], "limit": limit, "used": used if isinstance(used, int) else None}


def _type_of(response: HttpAnswer, status: int) -> str | None:
    """The slug of the service's problem type when the catalogue has it for this status (e.g. loyalty's
    `/problems/insufficient-points`), so the caller learns the specific kind; None: the status's default."""
    given = _json_object(response).get("type")
    if not isinstance(given, str) or not given.startswith(PROBLEMS_PATH):
        return None
    known = BY_SLUG.get(given[len(PROBLEMS_PATH) :])
    return known.slug if known is not None and status in known.statuses else None


def _blockers_of(response: HttpAnswer) -> list[str]:
    blockers = _json_object(response).get("blockers")
    return [b[:200] for b in blockers[:100] if isinstance(b, str)] if isinstance(blockers, list) else []


def _available_of(response: HttpAnswer) -> int | None:
    """The `available` points of loyalty's refusal of a redemption (too few points), when it names them."""
    available = _json_object(response).get("available")
    return available if isinstance(available, int) and not isinstance(available, bool) else None


def _field_errors_of(response: HttpAnswer) -> list[dict[str, str]]:
    """Only `field` and `message` strings pass through: the service's other fields stay internal."""
    errors = _json_object(response).get("errors")
    out: list[dict[str, str]] = []
    for err in errors if isinstance(errors, list) else []:
        if isinstance(err, dict) and isinstance(err.get("field"), str) and isinstance(err.get("message"), str):
            out.append({"field": err["field"][:200], "message": err["message"][:500]})
    return out
