"""The pass-through table (services.gateway.passthrough) and the OpenAPI document the gateway serves agree: every
row is an operation requiring its scope, a write documents Idempotency-Key and can conflict, a read does neither,
and every row documents the problems its method and input give. And what a row answers is what its service's
internal API answers: the same model, declared once in contracts/http/<service>.py (or a module of the package
contracts/http/<service>/)."""

from __future__ import annotations

import importlib
import re
from functools import cache
from typing import Any

import pytest

from services.gateway.api import pass_through_rows
from services.gateway.passthrough import PassThrough
from services.gateway.protection import PUBLIC_PATHS
from services.gateway.settings import GatewayServiceSettings
from services.gateway.wiring import create_app
from services.settings import SERVICE_SETTINGS

ROWS = pass_through_rows()


@cache
def _document() -> dict[str, Any]:
    document: dict[str, Any] = create_app(GatewayServiceSettings(service_name="gateway")).openapi()
    return document


def _operation(row: PassThrough) -> dict[str, Any]:
    operation: dict[str, Any] = _document()["paths"][row.path][row.method.lower()]
    return operation


def _parameters(operation: dict[str, Any], where: str) -> list[str]:
    return [p["name"] for p in operation.get("parameters", []) if p["in"] == where]


def test_the_table_names_each_operation_once() -> None:
    assert len({(row.method, row.path) for row in ROWS}) == len(ROWS)
    assert len({row.name for row in ROWS}) == len(ROWS)
    assert len(ROWS) >= 50


@pytest.mark.parametrize("row", ROWS, ids=lambda row: f"{row.method} {row.path}")
def test_every_row_is_documented_as_its_operation(row: PassThrough) -> None:
    operation = _operation(row)
    assert operation["operationId"] == row.name
    assert operation["summary"] == row.summary
    assert f"Scope: `{row.scope}`" in operation["description"]
    assert operation["security"] == [{"HTTPBearer": []}]
    assert _parameters(operation, "path") == list(row.path_params)
    assert _parameters(operation, "query") == [q.service_name for q in row.query]
    assert ("requestBody" in operation) == (row.body is not None)
    assert str(row.status_code if row.answer is not None else 204) in operation["responses"]


@pytest.mark.parametrize("row", ROWS, ids=lambda row: f"{row.method} {row.path}")
def test_every_row_documents_the_problems_of_its_method(row: PassThrough) -> None:
    operation = _operation(row)
    responses = operation["responses"]
    assert {str(status) for status in row.problem_statuses} <= set(responses)
    for status in ("401", "403", "502", "503"):
        assert status in responses, status
    if row.path_params or row.query or row.body is not None:
        assert "422" in responses
    if row.writes:
        assert _parameters(operation, "header") == ["Idempotency-Key"]
        assert "409" in responses  # the service's refusal, or a retry while the first request runs
    else:
        assert _parameters(operation, "header") == []
        assert "409" not in responses
        assert 409 not in row.problem_statuses
    if row.quota:
        assert f"`{row.quota}`" in responses["409"]["description"]


SERVICE_PREFIX = "/internal/v1/workspaces/{workspace}"


def _inlined(schema: Any, components: dict[str, Any]) -> Any:
    """The schema with every $ref replaced by what it refers to (the names differ between documents)."""
    if isinstance(schema, dict):
        if "$ref" in schema:
            return _inlined(components[schema["$ref"].rsplit("/", 1)[-1]], components)
        return {key: _inlined(value, components) for key, value in schema.items() if key != "title"}
    if isinstance(schema, list):
        return [_inlined(item, components) for item in schema]
    return schema


@cache
def _service_document(service: str) -> dict[str, Any]:
    wiring = importlib.import_module(f"services.{service}.wiring")
    document: dict[str, Any] = wiring.create_app(SERVICE_SETTINGS[service](service_name=service)).openapi()
    return document


def _template(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path)


@pytest.mark.parametrize("row", ROWS, ids=lambda row: f"{row.method} {row.path}")
def test_every_row_answers_as_its_service_does(row: PassThrough) -> None:
    """The answer the public API documents is the one the service's internal API answers with: the same model
    (contracts/http/<service>.py), not a copy that could drift."""
    if row.answer is None or row.wraps_items or not isinstance(row.answer, type):
        return
    assert row.answer.__module__.split(".")[:3] == ["contracts", "http", row.service]
    internal = _service_document(row.service)
    paths = {_template(path): operations for path, operations in internal["paths"].items()}
    operation = paths[_template(SERVICE_PREFIX + row.internal)][row.method.lower()]
    answer = next(answer for status, answer in operation["responses"].items() if status.startswith("2"))
    schema = answer["content"]["application/json"]["schema"]
    public = {"$ref": f"#/components/schemas/{row.answer.__name__}"}
    assert _inlined(schema, internal["components"]["schemas"]) == _inlined(public, _document()["components"]["schemas"])


def test_every_write_of_the_public_api_documents_idempotency_key() -> None:
    """Rows and routes written out alike (`dependencies=[IDEMPOTENT_WRITE]`): the protection middleware replays
    every write by it, so every write says so; but for the paths without an API key (a survey answer: its token
    is spent once, which makes it idempotent by itself)."""
    lacking = [
        f"{method.upper()} {path}"
        for path, operations in _document()["paths"].items()
        for method, operation in operations.items()
        if path.startswith("/v1/") and path not in PUBLIC_PATHS and method in ("post", "put", "patch", "delete")
        if "Idempotency-Key" not in _parameters(operation, "header")
    ]
    assert not lacking
