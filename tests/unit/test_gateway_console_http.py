"""The gateway serves a built console from a directory (here a temporary one): the SPA's index.html for every route
under /console, its hashed assets cached for good, 404 problem+json for a missing asset, never a file outside the
directory, and the security headers on every answer."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import unquote

import httpx
import pytest
from fastapi import FastAPI
from starlette.types import Message

from services.gateway.console_http import CONTENT_SECURITY_POLICY, PACKAGED_CONSOLE, console_directory
from services.gateway.settings import GatewayServiceSettings
from services.gateway.wiring import create_app

INDEX = b'<!doctype html><html><head><script type="module" src="/console/assets/console-abc123.js"></script>'
SCRIPT = b"console.log('flywheel');\n"
STYLE = b"body{margin:0}\n"
SECRET = b"not to be served\n"


@pytest.fixture
def built(tmp_path: Path) -> Path:
    """A console as `python -m console.build` leaves it, beside a file that must never be served."""
    console = tmp_path / "console"
    (console / "assets").mkdir(parents=True)
    (console / "index.html").write_bytes(INDEX)
    (console / "assets" / "console-abc123.js").write_bytes(SCRIPT)
    (console / "assets" / "console-abc123.css").write_bytes(STYLE)
    (console / "assets" / ".hidden").write_bytes(SECRET)
    (tmp_path / "secret.txt").write_bytes(SECRET)
    (console / "assets" / "outside.js").symlink_to(tmp_path / "secret.txt")
    return console


def _app(console_dir: str) -> FastAPI:
    # Only static files are asked for: the app's lifespan (database, services) is never started.
    return create_app(GatewayServiceSettings(service_name="gateway", console_dir=console_dir))


async def _client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway") as client:
        yield client


@pytest.fixture
def app(built: Path) -> FastAPI:
    return _app(str(built))


@pytest.fixture
async def gateway(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async for client in _client(app):
        yield client


async def raw_get(app: FastAPI, path: str) -> httpx.Response:
    """GET `path` exactly as a client may send it on the wire (httpx would resolve dot segments before sending,
    the server does not): the ASGI scope as uvicorn makes it, percent-decoded."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": unquote(path),
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"gateway")],
        "client": ("127.0.0.1", 1234),
        "server": ("gateway", 80),
    }
    sent: list[Message] = []
    requested = False

    async def receive() -> Message:
        nonlocal requested
        if requested:  # the client stays connected until the answer is sent (a file answer listens for it)
            await asyncio.Event().wait()
        requested = True
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    await app(scope, receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    headers = [(k.decode(), v.decode()) for k, v in start["headers"]]
    return httpx.Response(start["status"], headers=headers, content=body)


def assert_secured(answer: httpx.Response) -> None:
    assert answer.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["referrer-policy"] == "no-referrer"
    assert answer.headers["x-frame-options"] == "DENY"


def assert_not_found(answer: httpx.Response) -> None:
    assert answer.status_code == 404, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["status"] == 404 and SECRET.decode() not in answer.text
    assert_secured(answer)


async def test_console_redirects_to_its_trailing_slash(gateway: httpx.AsyncClient) -> None:
    answer = await gateway.get("/console")
    assert answer.status_code in (301, 302, 307, 308) and answer.headers["location"] == "/console/"
    assert_secured(answer)


@pytest.mark.parametrize("path", ["/console/", "/console/customers", "/console/customers/c-1", "/console/sales/tasks"])
async def test_every_route_of_the_console_is_its_index_revalidated_on_each_load(
    gateway: httpx.AsyncClient, path: str
) -> None:
    answer = await gateway.get(path)
    assert answer.status_code == 200 and answer.content == INDEX
    assert answer.headers["content-type"].startswith("text/html")
    assert answer.headers["cache-control"] == "no-cache"
    assert_secured(answer)
    head = await gateway.head(path)
    assert head.status_code == 200 and head.content == b"" and head.headers["cache-control"] == "no-cache"
    assert_secured(head)


@pytest.mark.parametrize(
    ("name", "content", "media"),
    [("console-abc123.js", SCRIPT, "text/javascript"), ("console-abc123.css", STYLE, "text/css")],
)
async def test_assets_are_sent_with_their_media_type_and_cached_for_good(
    gateway: httpx.AsyncClient, name: str, content: bytes, media: str
) -> None:
    answer = await gateway.get(f"/console/assets/{name}")
    assert answer.status_code == 200 and answer.content == content
    assert answer.headers["content-type"].split(";")[0] == media
    assert answer.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert_secured(answer)
    head = await gateway.head(f"/console/assets/{name}")
    assert head.status_code == 200 and head.content == b"" and head.headers["content-type"].split(";")[0] == media


async def test_a_missing_asset_is_404_problem_json_not_the_index(gateway: httpx.AsyncClient) -> None:
    assert_not_found(await gateway.get("/console/assets/console-000000.js"))
    assert_not_found(await gateway.get("/console/assets/"))


@pytest.mark.parametrize(
    "path",
    [
        "/console/assets/../../secret.txt",
        "/console/assets/%2e%2e/%2e%2e/secret.txt",
        "/console/assets/..%2f..%2fsecret.txt",
        "/console/assets/%2e%2e%5c%2e%2e%5csecret.txt",
        "/console/assets//etc/passwd",
        "/console/../services/gateway/settings.py",
        "/console/assets/.hidden",
        "/console/assets/outside.js",  # a link out of the directory
        "/console/assets/console-abc123.js%00.html",
    ],
)
async def test_no_path_reaches_a_file_outside_the_assets(app: FastAPI, path: str) -> None:
    answer = await raw_get(app, path)
    assert SECRET not in answer.content
    if answer.status_code == 200:  # a client-side route of the console, never a file
        assert answer.content == INDEX
    else:
        assert_not_found(answer)


async def test_the_console_is_not_an_api_operation(gateway: httpx.AsyncClient) -> None:
    document = (await gateway.get("/openapi.json")).json()
    assert not [path for path in document["paths"] if path.startswith("/console")]


async def test_without_a_built_console_the_pages_say_how_to_build_it(tmp_path: Path) -> None:
    async for client in _client(_app(str(tmp_path / "never-built"))):
        answer = await client.get("/console/")
        assert_not_found(answer)
        assert "python -m console.build" in answer.json()["detail"]


def test_the_console_is_served_from_the_package_unless_a_directory_is_set(tmp_path: Path) -> None:
    assert console_directory("") == PACKAGED_CONSOLE
    assert PACKAGED_CONSOLE.parts[-4:] == ("services", "gateway", "static", "console")
    assert console_directory(str(tmp_path)) == tmp_path
