"""The built console (console/, built by `python -m console.build` into static/console/: index.html and
`assets/console-<hash>.js|css`) served at /console: static files only, no endpoint of its own and no API key (the
console signs in with a key and calls the public /v1 API like any other client).

- `/console` redirects to `/console/`;
- `/console/assets/<file>`: the file, cached for a year (`immutable`: a build names its files by their content's
  hash, so a new build is new names); a file that is not there answers 404 problem+json;
- any other `GET|HEAD /console/<path>`: index.html, revalidated on every load (`no-cache`), so a deep link or a
  reload of a client-side route (`/console/customers/c-1`) opens the console at that route.

Every answer carries a Content-Security-Policy that lets the page load and connect to this origin only (the
console's scripts and styles are files, never inline), and refuses framing, sniffing and referrers. Not in the
OpenAPI document: these are files, not API operations.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from starlette.responses import FileResponse, RedirectResponse, Response

from runtime.problems import problem_response
from services.gateway.static_files import file_below, media_type

CONSOLE_PATH = "/console"
PACKAGED_CONSOLE = Path(__file__).resolve().with_name("static") / "console"
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
NOT_BUILT = "the console is not built: run `python -m console.build` (it writes services/gateway/static/console)"


def console_directory(configured: str) -> Path:
    """FLYWHEEL_CONSOLE_DIR, or the console built into the package when it is empty."""
    return Path(configured) if configured else PACKAGED_CONSOLE


def console_router(directory: Path) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.api_route(CONSOLE_PATH, methods=["GET", "HEAD"])
    async def console_root() -> Response:
        return RedirectResponse(f"{CONSOLE_PATH}/", status_code=307, headers=SECURITY_HEADERS)

    @router.api_route(f"{CONSOLE_PATH}/assets/{{name:path}}", methods=["GET", "HEAD"])
    async def console_asset(name: str) -> Response:
        found = file_below(directory / "assets", name)
        if found is None:
            return problem_response(404, f"no console asset {name!r}", headers=SECURITY_HEADERS)
        return _file(found, IMMUTABLE)

    @router.api_route(f"{CONSOLE_PATH}/{{route:path}}", methods=["GET", "HEAD"])
    async def console_page(route: str) -> Response:  # the route is the console's own (client-side) to read
        index = directory / "index.html"
        if not index.is_file():
            return problem_response(404, NOT_BUILT, headers=SECURITY_HEADERS)
        return _file(index, REVALIDATE)

    return router


def _file(path: Path, cache_control: str) -> FileResponse:
    return FileResponse(path, media_type=media_type(path), headers={**SECURITY_HEADERS, "Cache-Control": cache_control})
