"""How profile's answers and failures become the gateway's answers."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import httpx
import pytest
from pydantic import BaseModel

from runtime.problems import ProblemError
from services.gateway.service_client import ServiceClient, parse

Handler = Callable[[httpx.Request], httpx.Response]


def client(handler: Handler) -> ServiceClient:
    http = httpx.AsyncClient(transport=httpx.MockTransport(handler), base_url="http://profile")
    return ServiceClient("profile", http, get_attempts=3, backoff_s=0)


def answering(response: httpx.Response) -> Handler:
    return lambda _: response


async def problem_of(call: Awaitable[object]) -> ProblemError:
    with pytest.raises(ProblemError) as caught:
        await call
    return caught.value


async def test_json_answers_pass_and_trace_context_is_sent() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"ok": True})

    assert await client(handler).get("/x", params={"limit": 5}, not_found="nf") == {"ok": True}
    assert seen[0].url.params["limit"] == "5"


async def test_404_is_not_found_with_the_gateways_own_words() -> None:
    problem = await problem_of(
        client(lambda _: httpx.Response(404, json={"detail": "no customer 'x' (table customers)"})).get(
            "/x", not_found="no such customer in this workspace"
        )
    )
    assert (problem.status, problem.detail) == (404, "no such customer in this workspace")


async def test_get_held_is_none_where_the_service_holds_nothing_and_raises_otherwise() -> None:
    assert await client(lambda _: httpx.Response(404, json={})).get_held("/x") is None
    assert await client(lambda _: httpx.Response(200, json=[1])).get_held("/x", params={"limit": 5}) == [1]
    assert (await problem_of(client(lambda _: httpx.Response(500)).get_held("/x"))).status == 503


async def test_server_errors_and_timeouts_are_503_naming_profile() -> None:
    problem = await problem_of(client(lambda _: httpx.Response(500, text="Traceback ...")).get("/x", not_found="nf"))
    assert problem.status == 503 and "profile" in problem.detail and "Traceback" not in problem.detail

    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    problem = await problem_of(client(slow).get("/x", not_found="nf"))
    assert problem.status == 503


async def test_connect_errors_are_retried_for_gets_only() -> None:
    calls: list[str] = []

    def down(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        raise httpx.ConnectError("refused", request=request)

    assert (await problem_of(client(down).get("/x", not_found="nf"))).status == 503
    assert calls == ["GET", "GET", "GET"]
    calls.clear()
    assert (await problem_of(client(down).delete("/x", not_found="nf"))).status == 503
    assert calls == ["DELETE"]

    attempts = iter([httpx.ConnectError("refused"), None])

    def flaky(request: httpx.Request) -> httpx.Response:
        failure = next(attempts)
        if failure:
            raise failure
        return httpx.Response(200, json={"ok": 1})

    assert await client(flaky).get("/x", not_found="nf") == {"ok": 1}


async def test_validation_errors_keep_only_field_and_message() -> None:
    body = {"detail": "bad", "errors": [{"field": "body.type", "message": "nope", "input": "secret"}, "junk"]}
    problem = await problem_of(client(lambda _: httpx.Response(422, json=body)).put("/x", {}, not_found="nf"))
    assert problem.status == 422
    assert problem.errors == [{"field": "body.type", "message": "nope"}]


async def test_a_refusal_keeps_the_available_points_and_nothing_else_it_holds() -> None:
    short = {
        "type": "/problems/insufficient-points",
        "detail": "only 320 points are available",
        "available": 320,
        "x": "y",
    }
    problem = await problem_of(client(answering(httpx.Response(409, json=short))).post("/r", {}, not_found="nf"))
    assert (problem.status, problem.detail, problem.extra) == (409, "only 320 points are available", {"available": 320})
    assert problem.type == "insufficient-points"  # the catalogue's specific type, kept for the caller
    for odd in ("320", True, None, 3.5):
        refused = httpx.Response(409, json={"detail": "no", "available": odd})
        assert (await problem_of(client(answering(refused)).post("/r", {}, not_found="nf"))).extra == {}


async def test_a_write_answers_with_the_services_status() -> None:
    for status in (200, 201):
        answer = client(answering(httpx.Response(status, json={"id": 1})))
        assert await answer.send_counted("POST", "/r", {}, not_found="nf") == (status, {"id": 1})
    missing = client(answering(httpx.Response(404, json={})))
    assert (await problem_of(missing.send_counted("POST", "/r", {}, not_found="no program"))).detail == "no program"

    def refused(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    assert (await problem_of(client(refused).send_counted("POST", "/r", {}, not_found="nf"))).status == 503


async def test_other_answers_are_502_without_details() -> None:
    for response in (httpx.Response(400, json={}), httpx.Response(200, text="<html>")):
        problem = await problem_of(client(answering(response)).get("/x", not_found="nf"))
        assert problem.status == 502


async def test_the_callers_trace_goes_along_even_when_no_client_span_is_made() -> None:
    from opentelemetry.sdk.trace import TracerProvider

    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={})

    with TracerProvider().get_tracer("test").start_as_current_span("server") as span:
        await client(handler).get("/x", not_found="nf")
    context = span.get_span_context()
    expected = f"00-{context.trace_id:032x}-{context.span_id:016x}-{context.trace_flags:02x}"
    assert seen[0].headers["traceparent"] == expected


def test_an_answer_breaking_the_contract_is_logged_without_its_values(caplog: pytest.LogCaptureFixture) -> None:
    class View(BaseModel):
        customer_id: str
        orders: int

    with caplog.at_level(logging.ERROR), pytest.raises(ProblemError) as caught:
        parse(View, {"customer_id": 7, "orders": "ada@example.com"})

    assert caught.value.status == 502
    (record,) = caplog.records
    logged = f"{record.getMessage()} {record.__dict__}"
    assert "ada@example.com" not in logged and "orders" in logged and "customer_id" in logged
