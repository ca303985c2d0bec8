"""The checked-in OpenAPI document is the one the gateway serves, complete with errors and examples."""

import json
from typing import Any

from services.gateway.openapi import DOCUMENT, render


def test_checked_in_openapi_matches_the_gateway() -> None:
    assert DOCUMENT.read_text() == render(), "contracts/openapi.json is out of date: run `make contracts`"


def test_every_public_path_is_documented_with_errors() -> None:
    paths = json.loads(DOCUMENT.read_text())["paths"]
    for pinned in (
        "/v1/events",
        "/v1/customers",
        "/v1/customers/{customer_id}",
        "/v1/customers/{customer_id}/timeline",
        "/v1/customers/{customer_id}/export",
    ):
        assert pinned in paths
    for path, operations in paths.items():
        if not path.startswith("/v1/"):
            continue
        for method, operation in operations.items():
            errors = [s for s in operation["responses"] if s[0] in "45"]
            assert errors, f"{method.upper()} {path} declares no error response"
            for status in errors:
                content = operation["responses"][status].get("content", {})
                assert "application/problem+json" in content, f"{method.upper()} {path} {status}"


def _has_example(schema: Any, components: dict[str, Any], depth: int = 0) -> bool:
    """An example on the schema, or on what it refers to, combines or holds (what /docs shows filled in)."""
    if not isinstance(schema, dict) or depth > 8:
        return False
    if "example" in schema or "examples" in schema:
        return True
    if "$ref" in schema:
        return _has_example(components[schema["$ref"].rsplit("/", 1)[-1]], components, depth + 1)
    parts = [*schema.get("allOf", []), *schema.get("anyOf", []), *schema.get("oneOf", [])]
    parts += [schema["items"]] if "items" in schema else []
    parts += list(schema.get("properties", {}).values())
    return any(_has_example(part, components, depth + 1) for part in parts)


def test_every_operation_shows_an_example_of_its_body_and_its_answer() -> None:
    doc = json.loads(DOCUMENT.read_text())
    components = doc["components"]["schemas"]
    lacking = []
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            answers = [
                media
                for status, answer in operation["responses"].items()
                if status.startswith("2")
                for media in answer.get("content", {}).values()
            ]
            bodies = list(operation.get("requestBody", {}).get("content", {}).values())
            for what, media_types in (("answer", answers), ("body", bodies)):
                shown = any(
                    "example" in m or "examples" in m or _has_example(m.get("schema"), components) for m in media_types
                )
                if media_types and not shown:
                    lacking.append(f"{method.upper()} {path} ({what})")
    assert not lacking, f"no example: {lacking}"
