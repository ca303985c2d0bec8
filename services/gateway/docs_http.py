"""/docs, the interactive API docs (Swagger UI), served whole by the gateway: FastAPI's own page loads Swagger UI
from a public CDN and is blank in a cluster that reaches no other host. Swagger UI's files are vendored into
static/docs/ (`python -m services.gateway.vendor_docs`, pinned) and served at /docs/assets/; the page is FastAPI's,
pointed at them, with Swagger UI's online validator off (it would send the document to another host). No API key:
the page and /openapi.json describe the API, not any workspace. Not in the OpenAPI document.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from starlette.responses import FileResponse, Response

from runtime.problems import problem_response
from services.gateway.static_files import file_below, media_type
from services.gateway.vendor_docs import ASSETS, DOCS_STATIC

DOCS_PATH = "/docs"
ASSETS_PATH = f"{DOCS_PATH}/assets"
# Swagger UI's files change only with the pinned version: cached a day, then revalidated.
ASSET_CACHE = "public, max-age=86400"
NO_SNIFF = {"X-Content-Type-Options": "nosniff"}


def docs_router(openapi_url: str, title: str, directory: Path = DOCS_STATIC) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get(DOCS_PATH)
    async def docs(request: Request) -> Response:
        root = request.scope.get("root_path", "").rstrip("/")  # behind a proxy that strips a path prefix
        page = get_swagger_ui_html(
            openapi_url=f"{root}{openapi_url}",
            title=f"{title} - docs",
            swagger_js_url=f"{root}{ASSETS_PATH}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{ASSETS_PATH}/swagger-ui.css",
            swagger_favicon_url=f"{root}{ASSETS_PATH}/favicon-32x32.png",
            swagger_ui_parameters={"validatorUrl": None},
        )
        page.headers.update(NO_SNIFF)
        return page

    @router.get(f"{ASSETS_PATH}/{{name}}")
    async def docs_asset(name: str) -> Response:
        found = file_below(directory, name) if name in ASSETS else None
        if found is None:
            return problem_response(404, f"no docs asset {name!r}", headers=NO_SNIFF)
        return FileResponse(found, media_type=media_type(found), headers={**NO_SNIFF, "Cache-Control": ASSET_CACHE})

    return router
