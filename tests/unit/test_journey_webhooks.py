"""Webhook delivery: signing, one attempt's outcome and the retry schedule (httpx.MockTransport, no network)."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import hmac
from collections.abc import Callable
from dataclasses import replace
from email.utils import format_datetime
from typing import Any

import httpx
import orjson
import pytest
from opentelemetry import context as otel_context
from opentelemetry import trace
from prometheus_client import REGISTRY

from runtime.egress import EgressPolicy
from services.journey.webhooks import (
    BASE_DELAY,
    MAX_ATTEMPTS,
    MAX_DELAY,
    MIN_DELAY,
    WebhookDelivery,
    WebhookResult,
    backoff_ceiling,
    create_webhook_client,
    parse_retry_after,
    retry_delay,
    send,
    serialise,
    sign,
    verify,
)

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
SECRET = "whsec-test"  # noqa: S105 - a test secret
URL = "https://hooks.example.com/flywheel"

Handler = Callable[[httpx.Request], httpx.Response]

PUBLIC_DNS = {"hooks.example.com": ["93.184.216.34"]}


async def resolve(host: str, port: int) -> list[str]:
    """The test's DNS: names in PUBLIC_DNS (changed by tests), nothing else."""
    if host not in PUBLIC_DNS:
        raise OSError(-2, "Name or service not known")
    return PUBLIC_DNS[host]


POLICY = EgressPolicy(resolver=resolve)


def delivery(attempt: int = 1, **changes: Any) -> WebhookDelivery:
    base = WebhookDelivery(
        delivery_id="enr-42:step-3",
        workspace="acme",
        url=URL,
        secret=SECRET,
        body={
            "customer": {"id": "c-1", "email": "ada@example.com"},
            "journey": "winback",
            "step": "step-3",
            "channel": "email",
            "message": "Hello Ada, we miss you",
            "subject": "A gift for you",
            "data": {"coupon": "BACK10", "amount": 42.5},
        },
        attempt=attempt,
        created_at=NOW - dt.timedelta(minutes=5),
    )
    return replace(base, **changes)


class Recorder:
    """A MockTransport handler answering from a script, recording every request."""

    def __init__(self, *answers: httpx.Response | Exception) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        return httpx.Response(answer.status_code, headers=answer.headers, content=answer.content)

    def client(self) -> httpx.AsyncClient:
        return create_webhook_client(POLICY, transport=httpx.MockTransport(self))


async def attempt_once(
    *answers: httpx.Response | Exception, d: WebhookDelivery | None = None
) -> tuple[WebhookResult, Recorder]:
    recorder = Recorder(*answers)
    async with recorder.client() as client:
        outcome = await send(client, d or delivery(), NOW, policy=POLICY)
    return outcome, recorder


# --- signing ---------------------------------------------------------------------------------------


def test_signature_verifies_and_rejects_tampering() -> None:
    raw = serialise({"b": 1, "a": "x"})
    ts = int(NOW.timestamp())
    header = sign(SECRET, ts, raw)
    assert header.startswith(f"t={ts},v1=") and len(header.split("v1=")[1]) == 64
    assert verify(SECRET, header, raw, NOW)
    assert verify(SECRET.encode(), header, raw, NOW), "str and bytes secrets are the same key"
    assert not verify(SECRET, header, raw + b" ", NOW), "body tampered"
    assert not verify("other-secret", header, raw, NOW), "wrong secret"
    forged_time = header.replace(f"t={ts}", f"t={ts + 60}")
    assert not verify(SECRET, forged_time, raw, NOW), "timestamp tampered"
    assert not verify(SECRET, header, raw, NOW + dt.timedelta(seconds=301)), "too old: a replay"
    assert verify(SECRET, header, raw, NOW + dt.timedelta(seconds=299))
    assert not verify(SECRET, header, raw, NOW - dt.timedelta(seconds=301)), "too far in the future"
    assert not verify(SECRET, header, raw, NOW + dt.timedelta(seconds=30), tolerance_s=10)


def test_signature_is_hmac_sha256_of_timestamp_dot_body() -> None:
    raw = b'{"a":1}'
    expected = hmac.new(b"k", b"1700000000." + raw, hashlib.sha256).hexdigest()
    assert sign("k", 1_700_000_000, raw) == f"t=1700000000,v1={expected}"


@pytest.mark.parametrize(
    "header",
    [None, "", "garbage", "t=abc,v1=00", "v1=00", "t=1", "t=1,t=2,v1=00", "t=-5,v1=00", "t=1,v1"],
)
def test_malformed_signature_headers_do_not_verify(header: str | None) -> None:
    assert not verify(SECRET, header, b"{}", NOW)


def test_any_of_several_v1_signatures_verifies() -> None:
    raw = b"{}"
    ts = int(NOW.timestamp())
    good = sign(SECRET, ts, raw).split(",")[1]
    assert verify(SECRET, f"t={ts},v1={'0' * 64},{good}", raw, NOW)


def test_empty_secret_is_refused() -> None:
    with pytest.raises(ValueError, match="empty"):
        sign("", 1, b"{}")


# --- one attempt -----------------------------------------------------------------------------------


async def test_delivered_request_is_signed_with_headers_over_the_exact_bytes() -> None:
    outcome, recorder = await attempt_once(httpx.Response(202, json={"ok": True}))
    assert outcome == WebhookResult("delivered", 202, None, None)
    (request,) = recorder.requests
    assert request.method == "POST" and str(request.url) == URL
    assert request.headers["content-type"] == "application/json"
    assert request.headers["user-agent"] == "flywheel-journey"
    assert request.headers["idempotency-key"] == "enr-42:step-3"
    assert request.headers["flywheel-delivery-attempt"] == "1"
    assert request.content == serialise(delivery().body)
    assert orjson.loads(request.content) == delivery().body
    assert list(orjson.loads(request.content)) == sorted(delivery().body), "keys sorted"
    assert verify(SECRET, request.headers["flywheel-signature"], request.content, NOW)
    assert request.headers["flywheel-signature"].startswith(f"t={int(NOW.timestamp())},")


async def test_idempotency_key_is_the_same_on_every_attempt() -> None:
    recorder = Recorder(httpx.Response(503), httpx.Response(500), httpx.Response(200))
    outcomes = []
    async with recorder.client() as client:
        for attempt in (1, 2, 3):
            outcomes.append(await send(client, delivery(attempt), NOW + dt.timedelta(minutes=attempt), policy=POLICY))
    assert [o.status for o in outcomes] == ["retry", "retry", "delivered"]
    assert {r.headers["idempotency-key"] for r in recorder.requests} == {"enr-42:step-3"}
    assert [r.headers["flywheel-delivery-attempt"] for r in recorder.requests] == ["1", "2", "3"]
    assert len({r.headers["flywheel-signature"] for r in recorder.requests}) == 3, "each attempt signs its own time"


async def test_trace_context_is_propagated() -> None:
    parent = trace.SpanContext(
        trace_id=0x0AF7651916CD43DD8448EB211C80319C,
        span_id=0xB7AD6B7169203331,
        is_remote=True,
        trace_flags=trace.TraceFlags(trace.TraceFlags.SAMPLED),
    )
    token = otel_context.attach(trace.set_span_in_context(trace.NonRecordingSpan(parent)))
    try:
        _, recorder = await attempt_once(httpx.Response(200))
    finally:
        otel_context.detach(token)
    assert recorder.requests[0].headers["traceparent"].startswith("00-0af7651916cd43dd8448eb211c80319c-")


@pytest.mark.parametrize("status", [200, 201, 202, 204, 299])
async def test_2xx_is_delivered(status: int) -> None:
    outcome, _ = await attempt_once(httpx.Response(status))
    assert outcome.status == "delivered" and outcome.http_status == status and outcome.error is None


@pytest.mark.parametrize("status", [408, 425, 429, 500, 502, 503, 504])
async def test_transient_statuses_are_retried(status: int) -> None:
    outcome, _ = await attempt_once(httpx.Response(status, text="busy, come back later"))
    assert outcome.status == "retry" and outcome.http_status == status
    assert outcome.error is not None and outcome.error.startswith(f"HTTP {status}")
    assert "busy, come back later" in outcome.error
    assert outcome.retry_at == NOW + retry_delay("enr-42:step-3", 1)


async def test_retry_after_seconds_is_honoured() -> None:
    outcome, _ = await attempt_once(httpx.Response(429, headers={"Retry-After": "120"}))
    assert outcome.status == "retry" and outcome.retry_at == NOW + dt.timedelta(seconds=120)


async def test_retry_after_http_date_is_honoured() -> None:
    when = NOW + dt.timedelta(minutes=7)
    outcome, _ = await attempt_once(httpx.Response(503, headers={"Retry-After": format_datetime(when, usegmt=True)}))
    assert outcome.status == "retry" and outcome.retry_at == when


async def test_retry_after_is_capped_and_never_shortens_the_backoff() -> None:
    outcome, _ = await attempt_once(httpx.Response(503, headers={"Retry-After": "86400"}))
    assert outcome.retry_at == NOW + MAX_DELAY
    d = delivery(attempt=7)
    outcome, _ = await attempt_once(httpx.Response(503, headers={"Retry-After": "0"}), d=d)
    assert outcome.retry_at == NOW + retry_delay(d.delivery_id, 7)


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (httpx.ReadTimeout("read timed out"), "timed out waiting for the answer"),
        (httpx.ConnectTimeout("connect timed out"), "timed out connecting"),
        (httpx.ConnectError("[Errno 111] Connection refused"), "could not connect: [Errno 111] Connection refused"),
        (httpx.RemoteProtocolError("Server disconnected"), "the connection broke: Server disconnected"),
        (httpx.ReadError(""), "ReadError: ReadError"),
    ],
)
async def test_network_errors_are_retried(error: Exception, reason: str) -> None:
    outcome, _ = await attempt_once(error)
    assert outcome == WebhookResult("retry", None, reason, NOW + retry_delay("enr-42:step-3", 1))


@pytest.mark.parametrize("status", [400, 401, 403, 404, 405, 409, 410, 413, 422])
async def test_other_4xx_fail_permanently(status: int) -> None:
    outcome, recorder = await attempt_once(httpx.Response(status, json={"detail": "unknown recipient"}))
    assert outcome.status == "failed" and outcome.http_status == status and outcome.retry_at is None
    assert outcome.error is not None and outcome.error.startswith(f"the receiver refused the delivery: HTTP {status}")
    assert "unknown recipient" in outcome.error
    assert len(recorder.requests) == 1


async def test_html_error_pages_stay_out_of_the_reason() -> None:
    page = "<html><body><h1>410 Gone</h1>\n<p>nginx</p></body></html>"
    outcome, _ = await attempt_once(httpx.Response(410, html=page))
    assert outcome.error == "the receiver refused the delivery: HTTP 410 Gone"


async def test_long_reasons_are_clipped_to_one_line() -> None:
    outcome, _ = await attempt_once(httpx.Response(400, text="bad\nrequest " * 200))
    assert outcome.error is not None and "\n" not in outcome.error and len(outcome.error) < 300


@pytest.mark.parametrize("status", [301, 302, 307, 308])
async def test_redirects_are_not_followed(status: int) -> None:
    outcome, recorder = await attempt_once(httpx.Response(status, headers={"Location": "https://elsewhere.example/x"}))
    assert outcome.status == "failed" and outcome.http_status == status
    assert outcome.error is not None and "redirect" in outcome.error and "https://elsewhere.example/x" in outcome.error
    assert len(recorder.requests) == 1


@pytest.mark.parametrize("url", ["ftp://hooks.example.com/x", "/relative/path", "not a url", "https://"])
async def test_invalid_urls_fail_without_a_request(url: str) -> None:
    outcome, recorder = await attempt_once(httpx.Response(200), d=delivery(url=url))
    assert outcome.status == "failed" and outcome.http_status is None
    assert outcome.error is not None and outcome.error.startswith("the webhook URL is refused: ")
    assert recorder.requests == []


@pytest.mark.parametrize(
    ("url", "kind", "reason"),
    [
        ("http://169.254.169.254/latest/meta-data/", "address", "169.254.169.254 is a link-local address"),
        ("http://127.0.0.1:8083/internal/v1/workspaces/x", "address", "127.0.0.1 is a loopback address"),
        ("http://2130706433/", "host", "2130706433 is not an IPv4 address in canonical form"),
        ("http://metadata.google.internal/", "host", "metadata.google.internal is an internal host name"),
        ("https://hooks.example.com:8443/", "port", "port 8443 is not allowed (allowed: 80, 443)"),
    ],
)
async def test_urls_the_egress_policy_refuses_fail_without_a_request(url: str, kind: str, reason: str) -> None:
    def refused() -> float:
        return REGISTRY.get_sample_value("flywheel_journey_webhook_refused_total", {"refused": kind}) or 0.0

    before = refused()
    outcome, recorder = await attempt_once(httpx.Response(200), d=delivery(url=url))
    assert outcome.status == "failed" and outcome.http_status is None and outcome.retry_at is None
    assert outcome.error is not None and outcome.error.startswith(f"the webhook URL is refused: {reason}")
    assert recorder.requests == []
    assert refused() == before + 1


async def test_a_name_that_now_resolves_inside_is_refused_at_the_attempt() -> None:
    PUBLIC_DNS["rebound.example.com"] = ["93.184.216.34"]
    try:
        first, recorder = await attempt_once(httpx.Response(200), d=delivery(url="https://rebound.example.com/h"))
        assert first.status == "delivered" and len(recorder.requests) == 1
        PUBLIC_DNS["rebound.example.com"] = ["93.184.216.34", "10.0.0.5"]  # DNS changed since the URL was saved
        second, recorder = await attempt_once(httpx.Response(200), d=delivery(url="https://rebound.example.com/h"))
    finally:
        del PUBLIC_DNS["rebound.example.com"]
    assert second == WebhookResult(
        "failed", None, "the webhook URL is refused: resolves to 10.0.0.5, a private address"
    )
    assert recorder.requests == []


async def test_a_name_that_does_not_resolve_is_retried_without_a_request() -> None:
    outcome, recorder = await attempt_once(httpx.Response(200), d=delivery(url="https://gone.example.com/h"))
    assert outcome.status == "retry" and outcome.retry_at == NOW + retry_delay("enr-42:step-3", 1)
    assert outcome.error == "the webhook URL is refused: gone.example.com does not resolve (Name or service not known)"
    assert recorder.requests == []


async def test_unserialisable_body_and_empty_secret_fail() -> None:
    outcome, _ = await attempt_once(httpx.Response(200), d=delivery(body={"data": {1, 2}}))
    assert outcome.status == "failed" and outcome.error is not None and "JSON" in outcome.error
    outcome, _ = await attempt_once(httpx.Response(200), d=delivery(secret=""))
    assert outcome.status == "failed" and outcome.error is not None and "secret" in outcome.error


async def test_naive_now_is_a_programming_error() -> None:
    async with Recorder(httpx.Response(200)).client() as client:
        with pytest.raises(ValueError, match="timezone"):
            await send(client, delivery(), NOW.replace(tzinfo=None), policy=POLICY)


async def test_gives_up_after_max_attempts_with_a_readable_reason() -> None:
    recorder = Recorder(httpx.Response(503))
    outcomes: list[WebhookResult] = []
    async with recorder.client() as client:
        attempt = 1
        while True:
            outcome = await send(client, delivery(attempt), NOW, policy=POLICY)
            outcomes.append(outcome)
            if outcome.status != "retry":
                break
            attempt += 1
    assert len(outcomes) == MAX_ATTEMPTS == len(recorder.requests)
    assert outcomes[-1] == WebhookResult(
        "failed", 503, f"gave up after {MAX_ATTEMPTS} attempts: HTTP 503 Service Unavailable", None
    )
    outcome, _ = await attempt_once(httpx.ConnectError("Connection refused"), d=delivery(MAX_ATTEMPTS))
    assert outcome == WebhookResult(
        "failed", None, f"gave up after {MAX_ATTEMPTS} attempts: could not connect: Connection refused"
    )


async def test_max_attempts_can_be_chosen_per_call() -> None:
    async with Recorder(httpx.Response(500)).client() as client:
        outcome = await send(client, delivery(3), NOW, policy=POLICY, max_attempts=3)
    assert outcome.status == "failed" and outcome.error is not None and outcome.error.startswith("gave up after 3")


async def test_metrics_count_attempts_by_outcome() -> None:
    def value(outcome: str) -> float:
        return REGISTRY.get_sample_value("flywheel_journey_webhook_attempts_total", {"outcome": outcome}) or 0.0

    before = {o: value(o) for o in ("delivered", "retry", "failed")}
    seconds_before = REGISTRY.get_sample_value("flywheel_journey_webhook_seconds_count") or 0.0
    await attempt_once(httpx.Response(200))
    await attempt_once(httpx.Response(503))
    await attempt_once(httpx.Response(404))
    assert {o: value(o) - before[o] for o in before} == {"delivered": 1, "retry": 1, "failed": 1}
    assert REGISTRY.get_sample_value("flywheel_journey_webhook_seconds_count") == seconds_before + 3


def test_client_does_not_follow_redirects() -> None:
    client = create_webhook_client(POLICY, timeout_s=3)
    assert client.follow_redirects is False
    assert client.timeout.read == 3


# --- retry schedule --------------------------------------------------------------------------------


def test_retry_delay_is_deterministic_and_differs_between_deliveries() -> None:
    assert retry_delay("d-1", 3) == retry_delay("d-1", 3)
    assert len({retry_delay(f"d-{i}", 5) for i in range(50)}) > 40, "jitter spreads deliveries out"


def test_retry_delay_ceiling_grows_exponentially_and_is_capped() -> None:
    ceilings = [backoff_ceiling(n).total_seconds() for n in range(1, 12)]
    assert ceilings[:7] == [10, 20, 40, 80, 160, 320, 640]
    assert ceilings[9:] == [3600, 3600]
    assert backoff_ceiling(10_000) == MAX_DELAY
    assert backoff_ceiling(1) == BASE_DELAY
    with pytest.raises(ValueError):
        backoff_ceiling(0)


def test_retry_delay_is_jittered_within_bounds() -> None:
    for attempt in range(1, 15):
        delays = [retry_delay(f"delivery-{i}", attempt) for i in range(200)]
        ceiling = backoff_ceiling(attempt)
        assert all(MIN_DELAY <= d <= ceiling for d in delays)
        if attempt >= 3:  # full jitter: the draws cover the range, not a narrow band around the ceiling
            assert min(delays) < ceiling * 0.2 and max(delays) > ceiling * 0.8


def test_retry_delay_grows_on_average() -> None:
    means = [sum((retry_delay(f"d-{i}", n) for i in range(300)), dt.timedelta()) / 300 for n in range(1, 10)]
    assert means == sorted(means)


def test_retry_after_raises_the_delay_up_to_the_cap() -> None:
    assert retry_delay("d", 1, retry_after=300) == dt.timedelta(seconds=300)
    assert retry_delay("d", 1, retry_after=10**9) == MAX_DELAY
    assert retry_delay("d", 6, retry_after=1) == retry_delay("d", 6)
    assert retry_delay("d", 6, retry_after=-5) == retry_delay("d", 6)


def test_parse_retry_after() -> None:
    assert parse_retry_after("30", NOW) == 30
    assert parse_retry_after(" 30 ", NOW) == 30
    assert parse_retry_after(format_datetime(NOW + dt.timedelta(seconds=90), usegmt=True), NOW) == 90
    assert parse_retry_after(format_datetime(NOW - dt.timedelta(seconds=90), usegmt=True), NOW) == 0
    assert parse_retry_after("soon", NOW) is None
    assert parse_retry_after("-3", NOW) is None
    assert parse_retry_after(None, NOW) is None


async def test_an_answer_that_never_completes_is_retried() -> None:
    never = asyncio.Event()

    async def hang(request: httpx.Request) -> httpx.Response:
        await never.wait()
        return httpx.Response(200)

    async with create_webhook_client(POLICY, transport=httpx.MockTransport(hang)) as client:
        outcome = await send(client, delivery(), NOW, policy=POLICY, total_timeout_s=0.05)
    assert outcome == WebhookResult(
        "retry", None, "no complete answer within 0.05 s", NOW + retry_delay("enr-42:step-3", 1)
    )
