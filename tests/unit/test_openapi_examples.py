"""What the OpenAPI document shows as an example is a request the API takes, and a rule said in prose is a
constraint too: Schemathesis sends the document's examples as valid requests (its examples phase), and a
refused one fails positive_data_acceptance (found by tests/e2e/test_openapi_fuzz.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from contracts.tracking_plan import RESERVED_NAMES
from services.gateway.openapi import DOCUMENT

OPENAPI: dict[str, Any] = json.loads(DOCUMENT.read_text())


def _validator(schema: dict[str, Any]) -> Draft202012Validator:
    # The document as the root, so its "#/components/schemas/..." references resolve.
    return Draft202012Validator({**OPENAPI, **schema})


def _component_examples() -> Iterator[tuple[str, Any]]:
    for name, schema in OPENAPI["components"]["schemas"].items():
        for index, example in enumerate(schema.get("examples", [])):
            yield f"{name}[{index}]", example


def _body_examples() -> Iterator[tuple[str, dict[str, Any], Any]]:
    for path, operations in OPENAPI["paths"].items():
        for method, operation in operations.items():
            for media_type, media in operation.get("requestBody", {}).get("content", {}).items():
                named = {"example": media["example"]} if "example" in media else media.get("examples", {})
                for key, example in named.items():
                    value = example.get("value", example) if key != "example" else example
                    yield f"{method.upper()} {path} {media_type} {key}", media.get("schema", {}), value


@pytest.mark.parametrize("name, example", list(_component_examples()))
def test_every_whole_schema_example_is_valid(name: str, example: Any) -> None:
    component = name.split("[", maxsplit=1)[0]
    errors = list(_validator({"$ref": f"#/components/schemas/{component}"}).iter_errors(example))
    assert not errors, f"{name}: {[error.message for error in errors]}"


@pytest.mark.parametrize("name, schema, example", list(_body_examples()))
def test_every_request_body_example_is_valid(name: str, schema: dict[str, Any], example: Any) -> None:
    errors = list(_validator(schema).iter_errors(example))
    assert not errors, f"{name}: {[error.message for error in errors]}"


def test_a_simulation_names_exactly_one_of_customers_and_segment() -> None:
    """Found by Schemathesis: the document showed `customer_ids` and `segment_id` each with an example and said
    "exactly one" in prose only, so the request it generated from them named both and was refused (422)."""
    simulation = _validator({"$ref": "#/components/schemas/SimulationIn"})
    assert simulation.is_valid({"customer_ids": ["c_1"], "horizon": "30d"})
    assert simulation.is_valid({"segment_id": "vip", "customer_ids": None})  # a null is absent, as the service reads it
    assert not simulation.is_valid({"customer_ids": ["c_1"], "segment_id": "vip"})
    assert not simulation.is_valid({"horizon": "30d"})


def test_a_custom_event_types_name_is_not_a_built_in_ones() -> None:
    """Found by Schemathesis: `PUT /v1/event-types/survey` matched the documented pattern and was refused (422:
    a built-in event type's name); the document now lists the names taken, as profile refuses them."""
    [name] = [p for p in OPENAPI["paths"]["/v1/event-types/{name}"]["put"]["parameters"] if p["name"] == "name"]
    parameter = _validator(name["schema"])
    assert parameter.is_valid("cart_abandoned")
    for taken in sorted(RESERVED_NAMES):
        assert not parameter.is_valid(taken), taken
