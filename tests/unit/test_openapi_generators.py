"""The OpenAPI document is good input for client generators (openapi-typescript, openapi-python-client):
stable operation ids, optional input fields that are optional rather than nullable, one named events body,
typed documents, and the constraints the gateway enforces."""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from pydantic import TypeAdapter, ValidationError

from contracts.http.scoring import SegmentIn
from contracts.http.types import RequestTime
from contracts.openapi_inputs import for_generators, json_bodies_only
from services.gateway.openapi import DOCUMENT
from services.gateway.openapi_generators import OPERATION_ID

METHODS = ("get", "put", "post", "patch", "delete")
FASTAPI_DEFAULT_ID = re.compile(r"_(v1|problems)_.*_(get|put|post|patch|delete)$")


@cache
def _document() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(DOCUMENT.read_text())
    return doc


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    return [(m, p, o) for p, ops in _document()["paths"].items() for m, o in ops.items() if m in METHODS]


def _component(name: str) -> dict[str, Any]:
    schema: dict[str, Any] = _document()["components"]["schemas"][name]
    return schema


def _ref(name: str) -> str:
    return f"#/components/schemas/{name}"


def test_every_operation_has_a_unique_snake_case_id_that_is_not_fastapis_default() -> None:
    ids = [operation.get("operationId") for _, _, operation in _operations()]
    assert all(ids), "an operation without an operationId"
    assert len(set(ids)) == len(ids), sorted(str(i) for i in ids if ids.count(i) > 1)
    bad = [i for i in ids if not OPERATION_ID.fullmatch(str(i)) or FASTAPI_DEFAULT_ID.search(str(i))]
    assert not bad, f"default-looking or not snake_case: {bad}"


def test_operation_ids_are_the_names_the_code_and_operations_yaml_give() -> None:
    by_route = {(m.upper(), p): o["operationId"] for m, p, o in _operations()}
    assert by_route[("POST", "/v1/events")] == "post_events"
    assert by_route[("GET", "/v1/attributes")] == "list_attributes"
    assert by_route[("GET", "/v1/customers")] == "find_customer"
    assert by_route[("GET", "/v1/customers/{customer_id}")] == "get_customer"
    assert by_route[("POST", "/v1/segments")] == "create_segment"


def _null_defaults(schema: Any, where: str) -> list[str]:
    """Properties left out of `required` that default to null, anywhere within `schema` (openapi-typescript makes
    a property with a default required)."""
    found: list[str] = []
    if isinstance(schema, dict):
        required = set(schema.get("required", []))
        for name, prop in (schema.get("properties") or {}).items():
            if name not in required and isinstance(prop, dict) and "default" in prop and prop["default"] is None:
                found.append(f"{where}.{name}")
        for key, value in schema.items():
            found += _null_defaults(value, f"{where}.{key}" if key != "properties" else where)
    elif isinstance(schema, list):
        for i, value in enumerate(schema):
            found += _null_defaults(value, f"{where}[{i}]")
    return found


def _sent_components() -> set[str]:
    """The components a request refers to, directly or through others."""
    pending = []
    for _, _, operation in _operations():
        pending += [p.get("schema") for p in operation.get("parameters", [])]
        pending += [m.get("schema") for m in operation.get("requestBody", {}).get("content", {}).values()]
    found: set[str] = set()
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.rsplit("/", 1)[-1] not in found:
                found.add(ref.rsplit("/", 1)[-1])
                pending.append(_component(ref.rsplit("/", 1)[-1]))
            pending += list(node.values())
        elif isinstance(node, list):
            pending += node
    return found


def test_no_optional_input_field_defaults_to_null_and_no_optional_parameter_is_nullable() -> None:
    found = [hit for name in sorted(_sent_components()) for hit in _null_defaults(_component(name), name)]
    for method, path, operation in _operations():
        for parameter in operation.get("parameters", []):
            schema = parameter.get("schema", {})
            says_null = {"type": "null"} in schema.get("anyOf", []) or schema.get("default", "") is None
            if not parameter.get("required") and says_null:
                found.append(f"{method.upper()} {path} ?{parameter['name']}")
    assert not found, found
    assert len(_sent_components()) > 50  # the walk reached the models, not only the operations


def test_an_optional_input_field_still_says_it_takes_null_as_the_server_does() -> None:
    """Schemathesis sends null to a field the document types `T` and expects a refusal: the document keeps null."""
    description = _component("SegmentIn")["properties"]["description"]
    assert {"type": "null"} in description["anyOf"] and "default" not in description
    assert "description" not in _component("SegmentIn").get("required", [])
    segment = SegmentIn.model_validate({"name": "s", "description": None, "condition": {"all": []}})
    assert segment.description is None


def test_answers_keep_their_nulls() -> None:
    assert {"type": "null"} in _component("Segment")["properties"]["description"]["anyOf"]
    answered = _component("CustomerView")["properties"]
    assert any({"type": "null"} in prop.get("anyOf", []) for prop in answered.values())


def test_a_component_both_sent_and_answered_is_split_only_when_they_differ() -> None:
    doc = {
        "paths": {
            "/x": {
                "post": {
                    "requestBody": {"content": {"application/json": {"schema": {"$ref": _ref("Thing")}}}},
                    "responses": {"200": {"content": {"application/json": {"schema": {"$ref": _ref("Thing")}}}}},
                }
            }
        },
        "components": {
            "schemas": {
                "Thing": {
                    "type": "object",
                    "properties": {
                        "note": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None, "title": "Note"},
                        "part": {"$ref": _ref("Part")},
                    },
                },
                "Part": {"type": "object", "properties": {"n": {"type": "integer"}}},
            }
        },
    }
    out = for_generators(doc)
    schemas = out["components"]["schemas"]
    assert schemas["ThingInput"]["properties"]["note"] == {
        "anyOf": [{"type": "string"}, {"type": "null"}],
        "title": "Note",
    }
    assert schemas["Thing"]["properties"]["note"]["default"] is None  # the answer keeps it
    assert "PartInput" not in schemas  # the same either way: not split
    post = out["paths"]["/x"]["post"]
    assert post["requestBody"]["content"]["application/json"]["schema"] == {"$ref": _ref("ThingInput")}
    assert post["responses"]["200"]["content"]["application/json"]["schema"] == {"$ref": _ref("Thing")}


def test_the_events_body_is_one_named_component_every_content_type_refers_to() -> None:
    content = _document()["paths"]["/v1/events"]["post"]["requestBody"]["content"]
    assert "application/json" in content and len(content) >= 2
    assert all(media["schema"] == {"$ref": _ref("EventsBody")} for media in content.values())
    body = _component("EventsBody")
    assert [part.get("maxItems") for part in body["oneOf"]] == [None, 1000, None, 1000]


@pytest.mark.parametrize(
    ("method", "path", "component"),
    [
        ("post", "/v1/journeys", "JourneyIn"),
        ("put", "/v1/referral-programs/{program_id}", "ReferralProgramIn"),
        ("put", "/v1/pipelines/{pipeline_id}", "PipelineIn"),
        ("put", "/v1/lead-rules", "LeadRulesIn"),
        ("put", "/v1/loyalty-program", "LoyaltyProgramIn"),
    ],
)
def test_documents_are_typed_by_the_services_models(method: str, path: str, component: str) -> None:
    body = _document()["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]
    assert body["$ref"] == _ref(component)
    schema = {**_component(component), "components": _document()["components"]}
    validator = Draft202012Validator(schema)  # its references resolve in the components beside it
    assert not list(validator.iter_errors(body["examples"][0])), f"{component}: its example does not fit it"
    assert list(validator.iter_errors({})), f"{component}: an empty document fits (the schema says nothing)"


def test_a_segments_condition_is_a_typed_tree() -> None:
    condition = _component("SegmentIn")["properties"]["condition"]
    assert condition["$ref"] == _ref("SegmentCondition") and condition["examples"]
    schema = {**_component("SegmentCondition"), "components": _document()["components"]}
    validator = Draft202012Validator(schema)
    assert not list(validator.iter_errors(condition["examples"][0]))
    assert list(validator.iter_errors({"field": "stats.orders", "op": "sounds_like", "value": 1}))


def test_an_event_needs_at_least_one_customer_identifier_in_the_schema() -> None:
    ref = _component("CustomerRef")
    assert {frozenset(option["required"]) for option in ref["anyOf"]} == {
        frozenset({name}) for name in ("external_id", "email", "phone", "anonymous_id")
    }


def test_scopes_are_an_enum() -> None:
    scopes = _component("KeyIn")["properties"]["scopes"]["items"]
    assert "events:write" in scopes["enum"] and "admin" in scopes["enum"]


def test_page_sizes_say_larger_ones_are_clamped_and_cursors_have_the_services_bound() -> None:
    for method, path, operation in _operations():
        for parameter in operation.get("parameters", []):
            schema, name = parameter["schema"], parameter["name"]
            if name == "cursor":
                assert schema["maxLength"] == 500, f"{method} {path}"
            if name == "limit" and "maximum" not in schema:  # clamped, not refused: the words say so
                assert "is taken as 500" in parameter.get("description", schema.get("description", "")), path


def test_a_time_parameter_is_rfc_3339_text_never_a_number() -> None:
    adapter = TypeAdapter(RequestTime)
    for odd in ("0.5", 0.5, "1700000000", "2026-05-01"):
        with pytest.raises(ValidationError):
            adapter.validate_python(odd)
    assert adapter.validate_python("2026-05-01T00:00:00Z").year == 2026


def test_the_python_client_document_keeps_one_json_body_per_operation() -> None:
    document = json_bodies_only(_document())
    content = document["paths"]["/v1/events"]["post"]["requestBody"]["content"]
    assert list(content) == ["application/json"] and content["application/json"]["schema"] == {
        "$ref": _ref("EventsBody")
    }
    assert len(_document()["paths"]["/v1/events"]["post"]["requestBody"]["content"]) >= 2  # the published one: all
