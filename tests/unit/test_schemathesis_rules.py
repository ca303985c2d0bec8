"""The Schemathesis runs' own check (tests/schemathesis_rules.py): every problem+json answer's `type` is one the
document lists (the Problem schema's `type` enum), or one the gateway answered before the catalogue when the
document lists none; and the configuration written for `st run` reads back as it was built."""

from __future__ import annotations

import json
import tomllib
from typing import Any

import pytest
import requests
import schemathesis
from schemathesis.checks import CHECKS as REGISTERED_CHECKS
from schemathesis.openapi.checks import UseAfterFree

from tests.schemathesis_rules import (
    NUL_REFUSED,
    UNCATALOGUED_PROBLEM_TYPES,
    UndocumentedProblemType,
    as_toml,
    config,
    documented_problem_types,
    path_invalid_as_sent,
    problem_type_is_documented,
    refused_only_by_design,
    set_aside,
)


def _document(problem_type_schema: dict[str, Any], **schemas: Any) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/v1/things": {
                "get": {"responses": {"404": {"description": "no", "content": {"application/problem+json": {}}}}}
            }
        },
        "components": {
            "schemas": {"Problem": {"type": "object", "properties": {"type": problem_type_schema}}, **schemas}
        },
    }


def _answer(status: int, body: dict[str, Any], content_type: str) -> schemathesis.Response:
    return schemathesis.Response(
        status_code=status,
        headers={"content-type": [content_type]},
        content=json.dumps(body).encode(),
        request=requests.Request("GET", "http://gateway/v1/things").prepare(),
        elapsed=0.01,
        verify=False,
    )


def _judge(document: dict[str, Any], status: int, body: dict[str, Any], content_type: str) -> bool | None:
    case = schemathesis.openapi.from_dict(document)["/v1/things"]["GET"].Case()
    return problem_type_is_documented(None, _answer(status, body, content_type), case)


CATALOGUE = ["/problems/validation", "/problems/not-found"]


def test_the_check_is_registered_so_checks_all_runs_it() -> None:
    assert problem_type_is_documented in REGISTERED_CHECKS.get_all()


@pytest.mark.parametrize(
    "problem_type_schema, schemas",
    [
        ({"type": "string", "enum": CATALOGUE}, {}),
        ({"$ref": "#/components/schemas/ProblemType"}, {"ProblemType": {"type": "string", "enum": CATALOGUE}}),
        ({"anyOf": [{"const": CATALOGUE[0]}, {"const": CATALOGUE[1]}]}, {}),
    ],
)
def test_the_documented_list_is_the_problem_schemas_enum(
    problem_type_schema: dict[str, Any], schemas: dict[str, Any]
) -> None:
    assert documented_problem_types(_document(problem_type_schema, **schemas)) == frozenset(CATALOGUE)


def test_without_an_enum_the_types_before_the_catalogue_are_the_list() -> None:
    document = _document({"type": "string", "default": "about:blank"})
    assert documented_problem_types(document) is None
    _judge(
        document,
        422,
        {"type": "validation", "title": "Unprocessable Content", "status": 422},
        "application/problem+json",
    )
    with pytest.raises(UndocumentedProblemType, match="'made_up'"):
        _judge(document, 409, {"type": "made_up", "title": "Conflict", "status": 409}, "application/problem+json")
    assert "about:blank" in UNCATALOGUED_PROBLEM_TYPES


def test_with_an_enum_only_its_types_pass() -> None:
    document = _document({"type": "string", "enum": CATALOGUE})
    _judge(
        document, 404, {"type": "/problems/not-found", "title": "Not Found", "status": 404}, "application/problem+json"
    )
    with pytest.raises(UndocumentedProblemType):
        _judge(
            document,
            422,
            {"type": "validation", "title": "x", "status": 422},
            "application/problem+json; charset=utf-8",
        )
    with pytest.raises(UndocumentedProblemType, match="'about:blank'"):  # RFC 9457: an absent type is about:blank
        _judge(document, 404, {"title": "Not Found", "status": 404}, "application/problem+json")


def test_answers_that_are_not_problems_are_not_judged() -> None:
    document = _document({"type": "string", "enum": CATALOGUE})
    assert _judge(document, 200, {"type": "purchase"}, "application/json") is True  # not applicable: not recorded


def test_the_configuration_reads_back_from_its_toml(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLYWHEEL_FUZZ_API_KEY", "fw_test_key")  # read when Schemathesis takes the configuration
    built = config(coverage=True, events_coverage=False, bearer_from="FLYWHEEL_FUZZ_API_KEY")
    assert tomllib.loads(as_toml(built)) == built
    key = "${FLYWHEEL_FUZZ_API_KEY}"
    assert built["auth"] == {
        "openapi": {"HTTPBearer": {"bearer": key}, "SegmentWriteKey": {"username": key, "password": ""}}
    }
    schemathesis.Config.from_dict(built)  # Schemathesis takes it


def test_only_an_archived_journey_may_be_read_after_its_delete() -> None:
    answer = _answer(200, {"journey_id": "j_1"}, "application/json")

    def after(deleted: str) -> UseAfterFree:
        return UseAfterFree(operation="GET /v1/journeys/{journey_id}/stats", message="", free=deleted, usage="")

    case = schemathesis.openapi.from_dict(_document({"type": "string"}))["/v1/things"]["GET"].Case()
    assert set_aside(after("DELETE /v1/journeys/j_1"), answer, case)
    assert not set_aside(after("DELETE /v1/segments/s_1"), answer, case)
    assert not set_aside(after("DELETE /v1/journeys/j_1/x"), answer, case)


def test_a_refusal_only_of_what_any_body_may_not_hold_is_set_aside() -> None:
    """A free-form JSON value's schema cannot say that its integers fit 64 bits (the API's description does)."""

    def refused(*messages: str) -> schemathesis.Response:
        errors = [{"field": f"body.schema.{index}", "message": message} for index, message in enumerate(messages)]
        return _answer(422, {"type": "validation", "status": 422, "errors": errors}, "application/problem+json")

    assert refused_only_by_design(refused("integer out of range: at most 64 bits (-2^63 to 2^63-1)"))
    assert refused_only_by_design(refused("number out of range: it must be finite", NUL_REFUSED))
    assert not refused_only_by_design(refused("integer out of range: at most 64 bits (-2^63 to 2^63-1)", "too long"))


def test_a_refusal_of_a_path_value_its_schema_refuses_is_set_aside() -> None:
    """The stateful phase fills `name` from GET /v1/event-types' answer, built-in names included."""
    name = {"name": "name", "in": "path", "required": True, "schema": {"type": "string", "not": {"enum": ["survey"]}}}
    document = _document({"type": "string"})
    document["paths"]["/v1/event-types/{name}"] = {
        "put": {"parameters": [name], "responses": {"200": {"description": "ok"}}}
    }
    operation = schemathesis.openapi.from_dict(document)["/v1/event-types/{name}"]["PUT"]
    assert path_invalid_as_sent(operation.Case(path_parameters={"name": "survey"}))
    assert not path_invalid_as_sent(operation.Case(path_parameters={"name": "cart_viewed"}))
