"""/problems/: a page per problem type of the catalogue (runtime/problem_catalogue.py), where the `type` of every
error answer points (`/problems/<slug>`, resolved against the request's URL). No API key: the pages are the same
for everyone and say nothing about any workspace. Small self-contained HTML (no scripts, styles or fetched assets).
"""

from __future__ import annotations

import html
from typing import Annotated, Any

from fastapi import APIRouter
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse

from runtime.problem_catalogue import BY_SLUG, CATALOGUE, PROBLEMS_PATH, ProblemType
from runtime.problems import ProblemError
from services.gateway.passthrough import described
from services.gateway.schemas import problems

problems_router = APIRouter(tags=["problems"])

SLUG_PATTERN = r"^[a-z][a-z0-9-]{0,63}$"
Slug = Annotated[str, PathParam(pattern=SLUG_PATTERN, max_length=64, examples=["validation"])]
_HTML_EXAMPLE = "<!doctype html><html lang=en><head><meta charset=utf-8><title>Invalid input</title></head>..."


def _page(title: str, body: str) -> str:
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title></head><body>{body}</body></html>\n"
    )


def index_page() -> str:
    items = "".join(
        f'<li><a href="{html.escape(p.slug)}"><code>{html.escape(p.uri)}</code></a>: {html.escape(p.title)} '
        f"({', '.join(str(s) for s in p.statuses)})</li>"
        for p in CATALOGUE
    )
    intro = (
        "<p>Every error of the Flywheel API is an <code>application/problem+json</code> document (RFC 9457) whose "
        "<code>type</code> is one of these (relative to the API's URL). Branch on <code>type</code>, not on "
        "<code>title</code> or <code>detail</code>.</p>"
    )
    return _page("Flywheel problem types", f"<h1>Problem types</h1>{intro}<ul>{items}</ul>")


def type_page(problem: ProblemType) -> str:
    statuses = ", ".join(str(s) for s in problem.statuses)
    body = (
        f"<h1>{html.escape(problem.title)}</h1>"
        f"<p><code>type</code>: <code>{html.escape(problem.uri)}</code>; HTTP status: {statuses}</p>"
        f"<h2>When it happens</h2><p>{html.escape(problem.happens)}</p>"
        f"<h2>What to do</h2><p>{html.escape(problem.remedy)}</p>"
        f'<p><a href="{PROBLEMS_PATH}">Every problem type</a></p>'
    )
    return _page(problem.title, body)


_HTML: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/html": {"example": _HTML_EXAMPLE}}, "description": "The page"}
}


@problems_router.get(
    PROBLEMS_PATH,
    **described("list_problem_types"),
    response_class=HTMLResponse,
    responses=_HTML,
    openapi_extra={"security": []},
)
async def list_problem_types() -> HTMLResponse:
    return HTMLResponse(index_page())


@problems_router.get(
    PROBLEMS_PATH + "{slug}",
    **described("get_problem_type"),
    response_class=HTMLResponse,
    responses={**_HTML, **problems(404, 422)},
    openapi_extra={"security": []},
)
async def get_problem_type(slug: Slug) -> HTMLResponse:
    problem = BY_SLUG.get(slug)
    if problem is None:
        raise ProblemError(404, f"no problem type {slug!r}; GET {PROBLEMS_PATH} lists them")
    return HTMLResponse(type_page(problem))
