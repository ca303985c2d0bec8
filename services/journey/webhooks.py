"""Webhook delivery: one signed HTTP POST per attempt, its outcome, and when to try again.

Journeys reach email, SMS, push or WeChat providers through the workspace's webhook endpoint. The
caller (the deliveries table and its poller) owns persistence; this module owns one attempt.

Request
    ``POST <url>`` with the JSON body serialised once (orjson, keys sorted, UTF-8) and these headers:

    - ``Content-Type: application/json``, ``User-Agent: flywheel-journey``
    - ``Idempotency-Key: <delivery_id>``: the same on every attempt of one delivery (the caller derives
      it from the enrolment and the step). Receivers de-duplicate on it: delivery is at least once.
    - ``Flywheel-Delivery-Attempt: <n>``: 1 for the first attempt.
    - ``Flywheel-Signature: t=<unix seconds>,v1=<hex>``, and a second ``,v1=<hex>`` while a rotated secret
      overlaps (below)
    - W3C trace context (``traceparent``, ``tracestate``) when a trace is active.

Signature (for receivers)
    ``v1 = hex(HMAC-SHA256(key=secret as UTF-8 bytes, msg=f"{t}." as ASCII + raw request body))``,
    where ``t`` is the ``t=`` value of the header and the body is the exact bytes received (verify
    before parsing: re-serialising JSON changes the bytes). Compare in constant time. Reject a
    timestamp further than a tolerance (5 minutes here) from your clock, in either direction: the
    timestamp is signed, so a captured request cannot be replayed later with a fresh one. More than
    one ``v1=`` may appear; any match is valid. ``verify`` does all this.

Rotation (``PUT .../channel`` with ``rotate_secret``)
    For ``SECRET_ROTATION_OVERLAP`` after a rotation every request carries two ``v1=`` values: the first made
    with the new secret, the second with the one before. A receiver verifying with either secret accepts
    it, so it can switch to the new secret any time within the overlap without dropping a message. After
    the overlap only the new secret signs.

Destination
    Every attempt first vets the URL with the egress policy (runtime/egress.py): a URL it refuses (an internal
    address, a port not allowed, a name resolving inside the deployment...) is ``failed`` with the reason and
    never sent; a name that does not resolve is retried. The request then dials only the addresses just
    vetted (runtime/egress_transport.py), never a second DNS answer.

Outcomes
    - 2xx: ``delivered``.
    - 408, 425, 429, 5xx, timeouts, connection and protocol errors: ``retry`` at ``retry_at``.
    - 3xx: ``failed`` (redirects are not followed: the endpoint must be the final URL).
    - any other 4xx (400, 401, 403, 404, 410, 422...): ``failed``: the receiver refuses the delivery and
      repeating it will not change that.
    - a retryable outcome of attempt ``MAX_ATTEMPTS``: ``failed``, "gave up after N attempts: <reason>".

Retry schedule
    Exponential backoff with full jitter: after attempt ``n`` the delay is drawn from
    ``[MIN_DELAY, min(MAX_DELAY, BASE_DELAY * FACTOR ** (n - 1))]``, i.e. ceilings of 10 s, 20 s, 40 s ...
    capped at 1 hour. The draw is seeded by a hash of (delivery_id, n): the same delivery and attempt
    always wait the same time (reproducible tests and replays), while deliveries spread out. A
    ``Retry-After`` answer (seconds or an HTTP date) is honoured as a minimum, capped at ``MAX_DELAY``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import hmac
import logging
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any, Literal

import httpx
import orjson
from opentelemetry import propagate
from opentelemetry.trace import SpanKind
from prometheus_client import Counter, Histogram

from runtime.egress import RESOLVE_TIMEOUT_S, EgressPolicy, EgressRefused
from runtime.egress_transport import EgressTransport, pinned
from runtime.telemetry import tracer

log = logging.getLogger(__name__)

SECRET_ROTATION_OVERLAP = dt.timedelta(hours=24)
"""How long the secret before a rotation still signs deliveries, beside the new one (journey's clock)."""
MAX_ATTEMPTS = 12  # about 3.4 h at worst (1.7 h on average) before a delivery counts as failed
BASE_DELAY = dt.timedelta(seconds=10)
FACTOR = 2.0
MAX_DELAY = dt.timedelta(hours=1)
MIN_DELAY = dt.timedelta(seconds=1)
SIGNATURE_TOLERANCE_S = 300
TOTAL_TIMEOUT_S = 30.0
"""One attempt's wall-clock limit, whatever the client's per-phase timeouts (a receiver dripping bytes)."""
RESOLVE_AND_ATTEMPT_S = RESOLVE_TIMEOUT_S + TOTAL_TIMEOUT_S
"""The longest one attempt takes: vetting the URL (DNS within its timeout), then the request."""

SIGNATURE_HEADER = "Flywheel-Signature"
IDEMPOTENCY_HEADER = "Idempotency-Key"
ATTEMPT_HEADER = "Flywheel-Delivery-Attempt"
USER_AGENT = "flywheel-journey"

_RETRYABLE_4XX = frozenset({408, 425, 429})
_BODY_READ_LIMIT = 64 * 1024  # read this much of an answer at most (keeps the connection reusable)
_REASON_LIMIT = 300

OutcomeStatus = Literal["delivered", "retry", "failed"]

ATTEMPTS = Counter(
    "flywheel_journey_webhook_attempts", "Webhook delivery attempts, by outcome.", ["outcome"]
)  # exposed as flywheel_journey_webhook_attempts_total
REFUSED = Counter(
    "flywheel_journey_webhook_refused",
    "Webhook attempts the egress policy refused (nothing sent), by what it refused: url, scheme, port, host, "
    "address (resolves inside), unresolved (retried).",
    ["refused"],
)  # exposed as flywheel_journey_webhook_refused_total
SECONDS = Histogram(
    "flywheel_journey_webhook_seconds",
    "Time of one webhook delivery attempt, answer or error.",
    buckets=(0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)


@dataclass(frozen=True)
class WebhookDelivery:
    """One attempt to deliver one message. `delivery_id` is the idempotency key: stable across attempts."""

    delivery_id: str
    workspace: str
    url: str
    secret: bytes | str = field(repr=False)
    body: dict[str, Any]  # customer, journey, step, channel, message, subject (optional), data
    attempt: int
    created_at: dt.datetime
    previous_secret: bytes | str | None = field(default=None, repr=False)
    """The secret before the last rotation while its overlap lasts: the request is signed with both."""


@dataclass(frozen=True)
class WebhookResult:
    status: OutcomeStatus
    http_status: int | None = None
    error: str | None = None  # a readable reason; None when delivered
    retry_at: dt.datetime | None = None  # set when status == "retry"


# --- signing -------------------------------------------------------------------------------------


def _key(secret: bytes | str) -> bytes:
    key = secret.encode() if isinstance(secret, str) else secret
    if not key:
        raise ValueError("a webhook secret must not be empty")
    return key


def _digest(secret: bytes | str, timestamp: int, raw_body: bytes) -> str:
    return hmac.new(_key(secret), f"{timestamp}.".encode() + raw_body, hashlib.sha256).hexdigest()


def sign(secret: bytes | str, timestamp: int, raw_body: bytes, previous: bytes | str | None = None) -> str:
    """The `Flywheel-Signature` header value, `t=<timestamp>,v1=<hex HMAC-SHA256>`; with `previous` (a rotated
    secret in its overlap) a second `v1=` made with it follows."""
    signature = f"t={int(timestamp)},v1={_digest(secret, int(timestamp), raw_body)}"
    if previous is not None:
        signature += f",v1={_digest(previous, int(timestamp), raw_body)}"
    return signature


def verify(
    secret: bytes | str,
    header_value: str | None,
    raw_body: bytes,
    now: dt.datetime,
    tolerance_s: float = SIGNATURE_TOLERANCE_S,
) -> bool:
    """True when `header_value` signs exactly `raw_body` with `secret` at a time within `tolerance_s` of `now`."""
    if not header_value:
        return False
    timestamp: int | None = None
    candidates: list[str] = []
    for part in header_value.split(","):
        name, sep, value = part.strip().partition("=")
        if not sep:
            return False
        if name == "t":
            if not value.isdigit() or timestamp is not None:
                return False
            timestamp = int(value)
        elif name == "v1":
            candidates.append(value)
    if timestamp is None or not candidates:
        return False
    if abs(now.timestamp() - timestamp) > tolerance_s:
        return False
    expected = _digest(secret, timestamp, raw_body).encode()
    matched = False
    for candidate in candidates:  # check them all: the time taken does not depend on which one matched
        matched |= hmac.compare_digest(expected, candidate.encode("ascii", "replace"))
    return matched


def serialise(body: dict[str, Any]) -> bytes:
    """The exact bytes sent and signed: orjson, keys sorted."""
    return orjson.dumps(body, option=orjson.OPT_SORT_KEYS)


# --- retry schedule ------------------------------------------------------------------------------


def _unit_draw(delivery_id: str, attempt: int) -> float:
    """A number in [0, 1) fixed by (delivery_id, attempt)."""
    digest = hashlib.sha256(f"{delivery_id}\x00{attempt}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2.0**64


def backoff_ceiling(attempt: int) -> dt.timedelta:
    """The longest wait after attempt `attempt` failed (before jitter)."""
    if attempt < 1:
        raise ValueError(f"attempts count from 1, got {attempt}")
    ceiling_s = BASE_DELAY.total_seconds() * FACTOR ** min(attempt - 1, 64)
    return dt.timedelta(seconds=min(MAX_DELAY.total_seconds(), ceiling_s))


def retry_delay(delivery_id: str, attempt: int, retry_after: float | None = None) -> dt.timedelta:
    """How long to wait after attempt `attempt` (1-based) failed: full jitter, deterministic per delivery and
    attempt; at least `retry_after` seconds when the receiver asked for it (capped at MAX_DELAY)."""
    ceiling = backoff_ceiling(attempt)
    delay = max(MIN_DELAY, ceiling * _unit_draw(delivery_id, attempt))
    if retry_after is not None and retry_after > 0:
        delay = max(delay, min(MAX_DELAY, dt.timedelta(seconds=retry_after)))
    return dt.timedelta(milliseconds=round(delay.total_seconds() * 1000))


def parse_retry_after(value: str | None, now: dt.datetime) -> float | None:
    """Seconds asked for by a `Retry-After` header (delta-seconds or HTTP date); None when absent or invalid."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - now).total_seconds())


# --- one attempt ---------------------------------------------------------------------------------


def create_webhook_client(
    policy: EgressPolicy, timeout_s: float = 10.0, transport: httpx.AsyncBaseTransport | None = None
) -> httpx.AsyncClient:
    """One pooled client per process for every workspace's endpoint; never follows redirects, takes no proxy
    or credentials from the environment, and connects only to addresses `policy` vetted. `timeout_s` bounds
    each phase of a request (connect, write, each read); `send` also bounds the whole. `transport` (tests)
    stands in for the network."""
    # As many connections as deliveries in flight (DeliveryLimits), kept alive for the receivers busiest now.
    limits = httpx.Limits(max_connections=512, max_keepalive_connections=256, keepalive_expiry=30.0)
    return httpx.AsyncClient(
        timeout=httpx.Timeout(timeout_s, connect=min(timeout_s, 5.0)),
        limits=limits,
        follow_redirects=False,
        transport=transport or EgressTransport(policy, limits),
        trust_env=False,
        headers={"user-agent": USER_AGENT},
    )


def _clip(text: str, limit: int = _REASON_LIMIT) -> str:
    text = " ".join(text.split())  # one line: no newlines or control whitespace in a stored reason
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _status_text(status: int) -> str:
    phrase = httpx.codes.get_reason_phrase(status)
    return f"HTTP {status} {phrase}".rstrip()


def _answer_snippet(response_headers: httpx.Headers, content: bytes) -> str:
    """A short readable excerpt of an error answer: text and JSON only (not HTML pages or binary)."""
    content_type = response_headers.get("content-type", "").lower()
    if not content:
        return ""
    if not (content_type.startswith("text/plain") or "json" in content_type):
        return ""
    return _clip(content[:1024].decode("utf-8", "replace"), 200)


def _transport_reason(exc: Exception, total_timeout_s: float) -> str:
    if isinstance(exc, TimeoutError):
        return f"no complete answer within {total_timeout_s:g} s"
    if isinstance(exc, httpx.ConnectTimeout):
        return "timed out connecting"
    if isinstance(exc, httpx.PoolTimeout):
        return "timed out waiting for a free connection"
    if isinstance(exc, httpx.WriteTimeout):
        return "timed out sending the request"
    if isinstance(exc, httpx.TimeoutException):
        return "timed out waiting for the answer"
    detail = _clip(str(exc), 200) or type(exc).__name__
    if isinstance(exc, httpx.ConnectError):
        return f"could not connect: {detail}"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"the connection broke: {detail}"
    return f"{type(exc).__name__}: {detail}"


async def _read_some(response: httpx.Response, limit: int) -> bytes:
    data = bytearray()
    chunks = response.aiter_bytes()  # decoded; a gzip bomb stops at `limit` too
    try:
        async for chunk in chunks:
            data += chunk
            if len(data) >= limit:
                break
    finally:
        aclose = getattr(chunks, "aclose", None)
        if aclose is not None:
            await aclose()
    return bytes(data[:limit])


def _retry_or_give_up(
    delivery: WebhookDelivery,
    now: dt.datetime,
    reason: str,
    http_status: int | None,
    retry_after: float | None,
    max_attempts: int,
) -> WebhookResult:
    if delivery.attempt >= max_attempts:
        return WebhookResult("failed", http_status, f"gave up after {delivery.attempt} attempts: {reason}")
    return WebhookResult(
        "retry", http_status, reason, now + retry_delay(delivery.delivery_id, delivery.attempt, retry_after)
    )


def _classify(
    delivery: WebhookDelivery, now: dt.datetime, status: int, headers: httpx.Headers, content: bytes, max_attempts: int
) -> WebhookResult:
    if 200 <= status < 300:
        return WebhookResult("delivered", status)
    reason = _status_text(status)
    snippet = _answer_snippet(headers, content)
    if snippet:
        reason = f"{reason}: {snippet}"
    if 300 <= status < 400:
        location = _clip(headers.get("location", ""), 200) or "an unstated location"
        return WebhookResult(
            "failed", status, f"the endpoint redirects ({reason}) to {location}; redirects are not followed"
        )
    if status in _RETRYABLE_4XX or 500 <= status < 600:
        retry_after = parse_retry_after(headers.get("retry-after"), now)
        return _retry_or_give_up(delivery, now, reason, status, retry_after, max_attempts)
    return WebhookResult("failed", status, f"the receiver refused the delivery: {reason}")


async def _attempt(
    client: httpx.AsyncClient,
    delivery: WebhookDelivery,
    now: dt.datetime,
    policy: EgressPolicy,
    max_attempts: int,
    total_timeout_s: float,
) -> WebhookResult:
    try:
        destination = await policy.vet(delivery.url)
    except EgressRefused as exc:
        REFUSED.labels(refused=exc.kind).inc()
        reason = f"the webhook URL is refused: {_clip(exc.reason, 250)}"
        if exc.transient:
            return _retry_or_give_up(delivery, now, reason, None, None, max_attempts)
        return WebhookResult("failed", None, reason)
    url = httpx.URL(delivery.url)
    try:
        raw = serialise(delivery.body)
    except orjson.JSONEncodeError as exc:
        return WebhookResult("failed", None, f"the message cannot be serialised as JSON: {_clip(str(exc), 200)}")
    try:
        signature = sign(delivery.secret, int(now.timestamp()), raw, delivery.previous_secret)
    except ValueError as exc:
        return WebhookResult("failed", None, f"cannot sign the delivery: {exc}")

    with tracer().start_as_current_span("webhook POST", kind=SpanKind.CLIENT) as span:
        span.set_attribute("http.request.method", "POST")
        span.set_attribute("server.address", url.host)
        span.set_attribute("flywheel.workspace", delivery.workspace)
        span.set_attribute("flywheel.delivery_id", delivery.delivery_id)
        span.set_attribute("flywheel.delivery_attempt", delivery.attempt)
        headers = {
            "content-type": "application/json",
            "user-agent": USER_AGENT,
            IDEMPOTENCY_HEADER: delivery.delivery_id,
            ATTEMPT_HEADER: str(delivery.attempt),
            SIGNATURE_HEADER: signature,
        }
        propagate.inject(headers)  # W3C traceparent: the receiver's spans can join this trace
        status: int | None = None
        response_headers = httpx.Headers()
        content = b""
        try:
            with pinned(destination):  # the connection dials the addresses just vetted
                async with (
                    asyncio.timeout(total_timeout_s),
                    client.stream("POST", url, content=raw, headers=headers, follow_redirects=False) as response,
                ):
                    status, response_headers = response.status_code, response.headers
                    content = await _read_some(response, _BODY_READ_LIMIT)
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
            return WebhookResult("failed", None, f"invalid webhook URL: {_clip(str(exc), 200)}")
        except (httpx.HTTPError, TimeoutError) as exc:
            if status is None:  # no answer: the receiver may not have seen it, or did and could not say
                reason = _transport_reason(exc, total_timeout_s)
                span.set_attribute("error.type", type(exc).__name__)
                return _retry_or_give_up(delivery, now, reason, None, None, max_attempts)
            # the status arrived but the rest of the answer did not: the status decides
        span.set_attribute("http.response.status_code", status)
        return _classify(delivery, now, status, response_headers, content, max_attempts)


async def send(
    client: httpx.AsyncClient,
    delivery: WebhookDelivery,
    now: dt.datetime,
    *,
    policy: EgressPolicy,
    max_attempts: int = MAX_ATTEMPTS,
    total_timeout_s: float = TOTAL_TIMEOUT_S,
) -> WebhookResult:
    """One attempt of `delivery` at `now` (timezone-aware; signs with its unix time and schedules from it),
    to a URL `policy` accepts now, dialling only the addresses it vetted.

    Never raises for anything the receiver or the network does: every such result is a WebhookResult."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    started = time.perf_counter()
    outcome = await _attempt(client, delivery, now, policy, max_attempts, total_timeout_s)
    SECONDS.observe(time.perf_counter() - started)
    ATTEMPTS.labels(outcome=outcome.status).inc()
    if outcome.status != "delivered":
        log.warning(
            "webhook not delivered",
            extra={
                "workspace": delivery.workspace,
                "delivery_id": delivery.delivery_id,
                "attempt": delivery.attempt,
                "outcome": outcome.status,
                "http_status": outcome.http_status,
                "reason": outcome.error,
                "retry_at": outcome.retry_at.isoformat() if outcome.retry_at else None,
            },
        )
    return outcome
