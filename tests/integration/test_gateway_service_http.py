"""The gateway's aiohttp client for the services, against a real HTTP server on loopback: answers,
query strings and bodies as the services read them, and failures in httpx's vocabulary."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import orjson
import pytest
from aiohttp import web

from devstack.ports import free_port
from services.gateway.service_http import AiohttpServiceHttp


@pytest.fixture(scope="module")
async def service() -> AsyncIterator[str]:
    async def echo(request: web.Request) -> web.Response:
        body = orjson.loads(await request.read()) if request.can_read_body else None
        seen = {
            "method": request.method,
            "path": request.raw_path.split("?")[0],
            "query": [[k, v] for k, v in request.query.items()],
            "body": body,
            "headers": {k.lower(): v for k, v in request.headers.items() if k.lower() in ("traceparent", "user-agent")},
        }
        return web.json_response(seen, status=int(request.query.get("status", "200")))

    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(5)
        return web.json_response({})

    async def drop(request: web.Request) -> web.Response:
        assert request.transport is not None
        request.transport.close()  # the service goes away without an answer
        raise asyncio.CancelledError

    app = web.Application()
    app.router.add_route("*", "/echo/{tail:.*}", echo)
    app.router.add_get("/slow", slow)
    app.router.add_route("*", "/drop", drop)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


async def test_answers_queries_and_bodies_reach_the_service_as_httpx_would_send_them(service: str) -> None:
    async with AiohttpServiceHttp(service, 2.0, headers={"user-agent": "flywheel-gateway"}) as http:
        answers = [
            await http.request(
                "GET",
                "/echo/internal/v1/workspaces/demo/customers/c%2F1",
                params={"limit": 50, "tag": ["vip", "b2b"], "flag": True, "cursor": None},
                headers={"traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"},
            )
            for _ in range(3)  # one connection, reused
        ]
        posted = await http.request("POST", "/echo/deals", json={"amount": "12.50", "products": ["a"]})
        refused = await http.request("GET", "/echo/x", params={"status": 409})
    seen = orjson.loads(answers[0].content)
    assert answers[0].status_code == 200 and {a.content for a in answers} == {answers[0].content}
    assert seen["path"] == "/echo/internal/v1/workspaces/demo/customers/c%2F1"  # sent as quoted: one segment
    assert seen["query"] == [["limit", "50"], ["tag", "vip"], ["tag", "b2b"], ["flag", "true"], ["cursor", ""]]
    assert seen["headers"]["user-agent"] == "flywheel-gateway" and seen["headers"]["traceparent"].startswith("00-")
    assert orjson.loads(posted.content)["body"] == {"amount": "12.50", "products": ["a"]}
    assert refused.status_code == 409 and orjson.loads(refused.text)["method"] == "GET"


async def test_failures_speak_httpx(service: str) -> None:
    async with AiohttpServiceHttp(f"http://127.0.0.1:{free_port()}", 2.0, headers={}) as nobody:
        with pytest.raises(httpx.ConnectError):  # nothing reached a service: ServiceClient may retry a GET
            await nobody.request("GET", "/anything")
    async with AiohttpServiceHttp(service, 0.3, headers={}) as http:
        with pytest.raises(httpx.ReadTimeout):
            await http.request("GET", "/slow")
        with pytest.raises(httpx.ConnectError):  # a GET the service dropped changed nothing: retryable
            await http.request("GET", "/drop")
        with pytest.raises(httpx.HTTPError) as write:
            await http.request("POST", "/drop", json={})
    assert not isinstance(write.value, httpx.ConnectError)  # a write is never sent twice


async def test_it_is_used_only_inside_the_lifespan() -> None:
    with pytest.raises(RuntimeError, match="lifespan"):
        await AiohttpServiceHttp("http://127.0.0.1:1", 1.0, headers={}).request("GET", "/")
