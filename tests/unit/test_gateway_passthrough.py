"""The pass-through table (services.gateway.passthrough) and the OpenAPI document the gateway serves agree: every
row is an operation requiring its scope, a write documents Idempotency-Key and can conflict, a read does neither,
and every row documents the problems its method and input give."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest

from runtime.settings import Settings
from services.gateway.api import pass_through_rows
from services.gateway.passthrough import PassThrough
from services.gateway.wiring import create_app

ROWS = pass_through_rows()


@cache
def _document() -> dict[str, Any]:
    document: dict[str, Any] = create_app(Settings(service_name="gateway")).openapi()
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
    assert operation["operationId"].startswith(f"{row.name}_"), operation["operationId"]
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
