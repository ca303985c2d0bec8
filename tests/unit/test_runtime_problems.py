"""Every error of a Flywheel HTTP API is an RFC 9457 problem+json document (in-process TestClient)."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from asyncpg.exceptions import CharacterNotInRepertoireError, UntranslatableCharacterError
from fastapi import FastAPI, HTTPException
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field

from runtime.problems import PROBLEM_JSON, ProblemError, install_problem_handlers

INTERNAL_DETAIL = "password=hunter2"


class Item(BaseModel):
    name: str
    price: float = Field(ge=0)


def make_app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/items/{item_id}")
    def get_item(item_id: int, verbose: bool = False) -> dict[str, Any]:
        return {"id": item_id, "verbose": verbose}

    @app.post("/items")
    def create_item(item: Item) -> Item:
        return item

    @app.get("/conflict")
    def conflict() -> None:
        raise ProblemError(
            409,
            "customer c_1 was merged into c_2",
            type_="conflict",
            headers={"Location": "/v1/customers/c_2"},
            extra={"survivor_id": "c_2", "merged_ids": ["c_1"]},
        )

    @app.get("/forbidden")
    def forbidden() -> None:
        raise HTTPException(403, "key lacks scope customers:read", headers={"WWW-Authenticate": "Bearer"})

    @app.get("/nul/{kind}")
    def nul(kind: str) -> None:
        # What asyncpg raises when PostgreSQL refuses U+0000 in text (22021) or "\\u0000" in jsonb (22P05).
        if kind == "text":
            raise CharacterNotInRepertoireError('invalid byte sequence for encoding "UTF8": 0x00')
        raise UntranslatableCharacterError("unsupported Unicode escape sequence")

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError(f"database said {INTERNAL_DETAIL}")

    return app


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(make_app(), raise_server_exceptions=False)


def problem_of(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM_JSON
    body: dict[str, Any] = response.json()
    return body


def test_an_unknown_route_is_a_404_problem(client: TestClient) -> None:
    body = problem_of(client.get("/nowhere"), 404)

    assert body == {"type": "/problems/not-found", "title": "Not found", "status": 404, "detail": "Not Found"}


def test_a_wrong_method_is_a_405_problem_naming_the_allowed_methods(client: TestClient) -> None:
    response = client.delete("/items/1")

    body = problem_of(response, 405)
    assert body == {
        "type": "/problems/method-not-allowed",
        "title": "Method not allowed",
        "status": 405,
        "detail": "Method Not Allowed",
    }
    assert response.headers["allow"] == "GET"


def test_an_invalid_body_is_a_422_problem_listing_each_field(client: TestClient) -> None:
    body = problem_of(client.post("/items", json={"price": -1}), 422)

    assert body["type"] == "/problems/validation"
    assert body["title"] == "Invalid input"
    assert body["detail"] == "2 invalid field(s)"
    assert [e["field"] for e in body["errors"]] == ["body.name", "body.price"]
    assert body["errors"][0]["message"] == "Field required"
    assert "greater than or equal to 0" in body["errors"][1]["message"]
    assert all(set(e) == {"field", "message"} for e in body["errors"])


def test_invalid_path_and_query_parameters_are_422_problems(client: TestClient) -> None:
    body = problem_of(client.get("/items/abc", params={"verbose": "maybe"}), 422)

    assert sorted(e["field"] for e in body["errors"]) == ["path.item_id", "query.verbose"]


def test_a_body_that_is_not_json_is_a_422_problem(client: TestClient) -> None:
    response = client.post("/items", content=b"{not json", headers={"content-type": "application/json"})

    body = problem_of(response, 422)
    assert body["errors"] and all(e["field"].startswith("body") for e in body["errors"])


def test_a_raised_problem_error_keeps_its_type_extra_fields_and_headers(client: TestClient) -> None:
    response = client.get("/conflict")

    body = problem_of(response, 409)
    assert body == {
        "type": "/problems/conflict",
        "title": "Conflict",
        "status": 409,
        "detail": "customer c_1 was merged into c_2",
        "survivor_id": "c_2",
        "merged_ids": ["c_1"],
    }
    assert response.headers["location"] == "/v1/customers/c_2"


def test_an_http_exception_keeps_its_detail_and_headers(client: TestClient) -> None:
    response = client.get("/forbidden")

    body = problem_of(response, 403)
    assert body["detail"] == "key lacks scope customers:read"
    assert response.headers["www-authenticate"] == "Bearer"


def test_an_unexpected_error_is_a_500_problem_that_reveals_nothing(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="runtime.problems"):
        response = client.get("/boom")

    body = problem_of(response, 500)
    assert body == {
        "type": "/problems/internal-error",
        "title": "Internal error",
        "status": 500,
        "detail": "internal error; the request was logged",
    }
    for leak in (INTERNAL_DETAIL, "RuntimeError", "Traceback", "boom"):
        assert leak not in response.text
    assert any(r.exc_info and r.getMessage() == "unhandled error" for r in caplog.records)  # logged, not answered


@pytest.mark.parametrize("kind", ["text", "jsonb"])
def test_text_postgresql_cannot_store_is_the_callers_422(client: TestClient, kind: str) -> None:
    body = problem_of(client.get(f"/nul/{kind}"), 422)
    assert body["type"] == "/problems/validation" and "U+0000" in body["detail"]
    assert "0x00" not in client.get(f"/nul/{kind}").text  # PostgreSQL's own words stay inside
