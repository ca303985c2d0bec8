"""Error answers any gateway operation can give whatever its route declares, added to /openapi.json."""

from __future__ import annotations

import json
from typing import Any

from runtime.problems import PROBLEM_JSON

_PROBLEM = {"$ref": "#/components/schemas/Problem"}
_FASTAPI_VALIDATION = "#/components/schemas/HTTPValidationError"


def document_request_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """FastAPI documents a 422 it adds itself with its own HTTPValidationError, but the gateway answers
    every 422 with a Problem (runtime.problems); and a body that is not even text (not UTF-8) is refused
    with 400 before any route sees it, so every operation taking a body can answer 400."""
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for media in responses.get("422", {}).get("content", {}).values():
                if media.get("schema", {}).get("$ref") == _FASTAPI_VALIDATION:
                    media["schema"] = dict(_PROBLEM)
            if "requestBody" in operation:
                responses.setdefault(
                    "400",
                    {
                        "description": "The body cannot be read (not UTF-8)",
                        "content": {PROBLEM_JSON: {"schema": _PROBLEM}},
                    },
                )
    components = schema.get("components", {}).get("schemas", {})
    if _FASTAPI_VALIDATION not in json.dumps(schema.get("paths", {})):
        components.pop("HTTPValidationError", None)
        components.pop("ValidationError", None)
    return schema
