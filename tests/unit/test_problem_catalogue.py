"""One catalogue of problem types (runtime/problem_catalogue.py): every raise names one of it, every answer's
`type` is `/problems/<slug>`, the OpenAPI document lists exactly these, and the gateway serves a page for each."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import get_args, get_type_hints

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from runtime.problem_catalogue import BY_SLUG, CATALOGUE, DEFAULT_FOR_STATUS, TYPE_URIS, problem_type
from runtime.problems import PROBLEM_JSON, ProblemError, install_problem_handlers
from runtime.quotas import QUOTA_EXCEEDED
from services.gateway.api_problems import problems_router
from services.gateway.openapi import DOCUMENT
from services.loyalty.api_points import PROGRAM_MISSING, REFUSAL_TYPES
from services.loyalty.domain.redemption import Refusal

ROOT = Path(__file__).resolve().parents[2]
SLUG = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


def test_the_catalogue_names_each_type_once_in_kebab_case_with_its_words() -> None:
    assert len(BY_SLUG) == len(CATALOGUE)
    for problem in CATALOGUE:
        assert SLUG.fullmatch(problem.slug), problem.slug
        assert problem.title and problem.happens and problem.remedy and problem.statuses
        assert problem.uri == f"/problems/{problem.slug}"
    assert len({p.title for p in CATALOGUE}) == len(CATALOGUE)  # a title tells the types apart too


def test_each_status_default_is_a_type_of_that_status() -> None:
    for status, slug in DEFAULT_FOR_STATUS.items():
        assert status in BY_SLUG[slug].statuses, (status, slug)
    assert problem_type(418).slug == "client-error" and problem_type(599).slug == "internal-error"


def _raised_slugs() -> list[tuple[str, str]]:
    """Every string literal given as `type_=` in the code (the slugs raise sites name)."""
    found = []
    for folder in ("runtime", "services", "cli"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.keyword) and node.arg == "type_" and isinstance(node.value, ast.Constant):
                    found.append((f"{path.relative_to(ROOT)}:{node.lineno}", str(node.value.value)))
    return found


def test_every_raise_site_names_a_type_of_the_catalogue() -> None:
    raised = _raised_slugs()
    assert len(raised) > 10
    unknown = [(where, slug) for where, slug in raised if slug not in BY_SLUG]
    assert not unknown, unknown
    for slug in (QUOTA_EXCEEDED, PROGRAM_MISSING, *REFUSAL_TYPES.values()):
        assert slug in BY_SLUG, slug
    kinds = set(get_args(get_type_hints(Refusal)["kind"]))
    assert kinds == set(REFUSAL_TYPES), "a loyalty refusal without a problem type"


def test_a_raise_without_a_type_takes_its_status_default() -> None:
    assert ProblemError(404, "no such customer").type == "not-found"
    assert ProblemError(409, "already active").type == "conflict"
    assert ProblemError(409, "full", type_="quota-exceeded").type == "quota-exceeded"
    with pytest.raises(KeyError):
        ProblemError(400, "x", type_="no-such-type")


def test_the_openapi_problem_type_is_an_enum_of_the_catalogue() -> None:
    schemas = json.loads(DOCUMENT.read_text())["components"]["schemas"]
    assert schemas["Problem"]["properties"]["type"]["enum"] == list(TYPE_URIS)
    assert "type" in schemas["Problem"].get("required", [])


@pytest.fixture(scope="module")
def client() -> TestClient:
    app = FastAPI()
    install_problem_handlers(app)
    app.include_router(problems_router)
    return TestClient(app)


def test_the_index_links_every_type(client: TestClient) -> None:
    index = client.get("/problems/")
    assert index.status_code == 200 and index.headers["content-type"].startswith("text/html")
    for problem in CATALOGUE:
        assert f'href="{problem.slug}"' in index.text and problem.uri in index.text


@pytest.mark.parametrize("slug", sorted(BY_SLUG))
def test_each_type_has_a_self_contained_page(client: TestClient, slug: str) -> None:
    page = client.get(f"/problems/{slug}")
    problem = BY_SLUG[slug]
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert problem.title.replace("'", "&#x27;") in page.text
    assert all(str(status) in page.text for status in problem.statuses)
    for outside in ("<script", "<link", "<img", "http://", "https://", "src="):
        assert outside not in page.text, outside


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/problems/no-such-type", 404),
        ("/problems/" + "a" * 65, 422),
        ("/problems/%3Cscript%3E", 422),
        ("/problems/..%2F..%2Fopenapi.json", 404),  # no route: the slash ends the slug
    ],
)
def test_an_unknown_or_hostile_slug_is_a_problem_that_echoes_no_markup(
    client: TestClient, path: str, status: int
) -> None:
    answer = client.get(path)
    assert answer.status_code == status and answer.headers["content-type"] == PROBLEM_JSON
    assert answer.json()["type"] == BY_SLUG[DEFAULT_FOR_STATUS[status]].uri
    assert "<script" not in answer.text
