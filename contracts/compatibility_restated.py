"""An older OpenAPI document read as issue 21 restated the document for client generators, before
contracts/compatibility.py compares it with the current one.

Issue 21 changed how the document says some things, deliberately and once, without changing what the gateway
takes or answers for them but for the problem types:
- operation ids: FastAPI's default (`post_events_v1_events_post`) became the handler's name (`post_events`);
- optional request fields and parameters: `anyOf [T, null]` with `default: null` became `T`, left out of
  `required` (contracts/openapi_inputs.py; the server still takes an explicit null);
- request bodies written out inline became named components (`EventsBody`, keeping all the inline schema said),
  and untyped objects a service validates (journeys, programs, pipelines, lead rules, segment conditions)
  became the services' models;
- a problem's `type`, `about:blank` or a free string before, is an enum of the problem catalogue
  (runtime/problem_catalogue.py).
Everything else an older document said must still be said, as before.
"""

from __future__ import annotations

import copy
from typing import Any

from contracts.openapi_inputs import for_generators

_REF = "#/components/schemas/"
_METHODS = ("get", "put", "post", "patch", "delete", "head", "options")


def restated(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    doc = copy.deepcopy(before)
    _operation_ids(doc, after)
    _problem_types(doc, after)
    _typed_requests(doc, after)
    return for_generators(doc)


def _operations(doc: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (path, method): operation
        for path, item in doc.get("paths", {}).items()
        for method, operation in item.items()
        if method in _METHODS and isinstance(operation, dict)
    }


def _operation_ids(doc: dict[str, Any], after: dict[str, Any]) -> None:
    now = _operations(after)
    for key, operation in _operations(doc).items():
        given, current = operation.get("operationId"), now.get(key, {}).get("operationId")
        if isinstance(given, str) and isinstance(current, str) and given.startswith(current + "_"):
            operation["operationId"] = current


def _problem_types(doc: dict[str, Any], after: dict[str, Any]) -> None:
    schemas, current = doc.get("components", {}).get("schemas", {}), after.get("components", {}).get("schemas", {})
    for name, schema in schemas.items():
        problem_type = schema.get("properties", {}).get("type", {})
        if problem_type.get("default") == "about:blank" and "type" in current.get(name, {}).get("properties", {}):
            schema["properties"]["type"] = copy.deepcopy(current[name]["properties"]["type"])


def _untyped_object(schema: Any) -> bool:
    return (
        isinstance(schema, dict)
        and schema.get("type") == "object"
        and "properties" not in schema
        and schema.get("additionalProperties", True) is not False
    )


def _typed_requests(doc: dict[str, Any], after: dict[str, Any]) -> None:
    """Request schemas that became a named component, when it keeps what they said or they said nothing."""
    from contracts.compatibility import losses

    current = after.get("components", {}).get("schemas", {})
    wanted: set[str] = set()

    def became(old: Any, new: Any) -> bool:
        ref = new.get("$ref") if isinstance(new, dict) else None
        if not isinstance(ref, str) or not ref.startswith(_REF) or ref[len(_REF) :] not in current:
            return False
        component = current[ref[len(_REF) :]]
        if _untyped_object(old) or next(losses(old, component), None) is None:
            wanted.add(ref[len(_REF) :])
            return True
        return False

    now = _operations(after)
    for key, operation in _operations(doc).items():
        new_content = now.get(key, {}).get("requestBody", {}).get("content", {})
        for media_type, media in operation.get("requestBody", {}).get("content", {}).items():
            new_schema = new_content.get(media_type, {}).get("schema")
            if became(media.get("schema"), new_schema):
                media["schema"] = copy.deepcopy(new_schema)
    schemas = doc.get("components", {}).get("schemas", {})
    for name, schema in schemas.items():
        new_properties = current.get(name, {}).get("properties", {})
        for prop, old in schema.get("properties", {}).items():
            if _untyped_object(old) and became(old, new_properties.get(prop)):
                schema["properties"][prop] = copy.deepcopy(new_properties[prop])
    _copy_components(schemas, current, wanted)


def _copy_components(schemas: dict[str, Any], current: dict[str, Any], names: set[str]) -> None:
    """The components the restated schemas now name, and what they name, from the current document."""
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in schemas or name not in current:
            continue
        schemas[name] = copy.deepcopy(current[name])
        todo += _refs(current[name])


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        ref = node.get("$ref")
        own = [ref[len(_REF) :]] if isinstance(ref, str) and ref.startswith(_REF) else []
        return own + [name for value in node.values() for name in _refs(value)]
    if isinstance(node, list):
        return [name for value in node for name in _refs(value)]
    return []
