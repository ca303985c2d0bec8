"""/docs is served whole by the gateway: the page and everything it references come from the gateway itself (an
air-gapped cluster reaches no CDN), the vendored Swagger UI is the pinned version with its licence, and /redoc,
which would load its bundle from a CDN, is gone."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import pytest

from services.gateway.docs_http import ASSETS_PATH
from services.gateway.settings import GatewayServiceSettings
from services.gateway.vendor_docs import ASSETS, DOCS_STATIC, LICENCE_FILES, SWAGGER_UI_DIST
from services.gateway.wiring import create_app

# What a page can load from: attributes naming a URL, CSS url(...) and @import.
_REFERENCES = re.compile(
    r"""(?:src|href)\s*=\s*["']([^"']+)["']|url\(\s*["']?([^"')]+)["']?\s*\)|@import\s+["']([^"']+)"""
)
_OTHER_HOST = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)  # http://, https://, //host...


@pytest.fixture
async def gateway() -> AsyncIterator[httpx.AsyncClient]:
    # Only the docs are asked for: the app's lifespan (database, services) is never started.
    app = create_app(GatewayServiceSettings(service_name="gateway"))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway") as client:
        yield client


def references(text: str) -> list[str]:
    return [next(group for group in match.groups() if group) for match in _REFERENCES.finditer(text)]


def from_other_hosts(urls: list[str]) -> list[str]:
    return [url for url in urls if _OTHER_HOST.match(url)]


async def test_the_docs_page_and_what_it_references_load_nothing_from_another_host(
    gateway: httpx.AsyncClient,
) -> None:
    page = await gateway.get("/docs")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "SwaggerUIBundle" in page.text and "'/openapi.json'" in page.text
    assert not from_other_hosts(re.findall(r"""["']((?:https?:)?//[^"']+)["']""", page.text)), page.text
    assert '"validatorUrl": null' in page.text  # Swagger UI would otherwise send the document to its validator
    loaded = references(page.text)
    assert sorted(loaded) == sorted(f"{ASSETS_PATH}/{name}" for name in ASSETS)
    for url in loaded:
        asset = await gateway.get(url)
        assert asset.status_code == 200, url
        assert asset.headers["x-content-type-options"] == "nosniff"
        if url.endswith(".css"):
            assert asset.headers["content-type"].startswith("text/css")
            assert not from_other_hosts(references(asset.text)), "the stylesheet loads from another host"
            assert all(ref.startswith("data:") for ref in references(asset.text))
        if url.endswith(".js"):
            assert asset.headers["content-type"].startswith("text/javascript")
            assert "sourceMappingURL" not in asset.text[-500:]  # no map is shipped: nothing to fetch
    assert (await gateway.get("/openapi.json")).status_code == 200


async def test_only_the_vendored_assets_are_served(gateway: httpx.AsyncClient) -> None:
    for name in ("LICENSE", "package.json", "..%2f..%2fsettings.py", "index.html"):
        answer = await gateway.get(f"{ASSETS_PATH}/{name}")
        assert answer.status_code == 404 and answer.headers["content-type"].startswith("application/problem+json")


async def test_redoc_is_gone_and_neither_page_is_an_api_operation(gateway: httpx.AsyncClient) -> None:
    assert (await gateway.get("/redoc")).status_code == 404
    paths = (await gateway.get("/openapi.json")).json()["paths"]
    assert not [path for path in paths if path.startswith(("/docs", "/redoc"))]


def test_the_vendored_swagger_ui_is_the_pinned_version_with_its_licence() -> None:
    for name in (*ASSETS, *LICENCE_FILES, "THIRD_PARTY_NOTICE"):
        assert (DOCS_STATIC / name).is_file(), f"run python -m services.gateway.vendor_docs: {name} is missing"
    notice = (DOCS_STATIC / "THIRD_PARTY_NOTICE").read_text()
    assert f"Swagger UI {SWAGGER_UI_DIST}" in notice and "Apache License 2.0" in notice
    assert "Apache License" in (DOCS_STATIC / "LICENSE").read_text()
