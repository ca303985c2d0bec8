"""Optional input fields as client generators (openapi-typescript, openapi-python-client) should see them in an
OpenAPI document: optional, not nullable. The gateway applies it to its document (services/gateway/wiring.py);
contracts/compatibility.py reads an older document the same way when it compares them."""

from __future__ import annotations

import copy
from typing import Any

_REF = "#/components/schemas/"
_NULL = {"type": "null"}


def for_generators(schema: dict[str, Any]) -> dict[str, Any]:
    """Optional input fields documented as optional: no `default: null`; optional query parameters not nullable.

    pydantic documents an optional field `x: T | None = None` as `anyOf: [T, {type: null}]` with `default: null`,
    and openapi-typescript makes a property with a `default` required (its `defaultNonNullable`), so a client had
    to send every such field, as null. Without the null default the field is optional (`x?: T | null`). It keeps
    `null` among its types: the server takes an explicit null, and the document must not say it refuses one
    (Schemathesis' negative_data_rejection sends null to a field typed `T` and expects a refusal). A query
    parameter cannot carry a JSON null at all: it is typed `T`. A component both sent and answered is split when
    that changes it: the answer keeps `Name` (with its defaults), what is sent refers to `NameInput`."""
    components: dict[str, Any] = schema.setdefault("components", {}).setdefault("schemas", {})
    sent: list[Any] = []
    answered: list[Any] = []
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            sent += [p.get("schema") for p in operation.get("parameters", [])]
            sent += [m.get("schema") for m in operation.get("requestBody", {}).get("content", {}).values()]
            answered += [
                m.get("schema") for r in operation.get("responses", {}).values() for m in r.get("content", {}).values()
            ]
    inputs = _closure(sent, components)
    shared = _changed_by_stripping(inputs & _closure(answered, components), components)
    renamed = {name: f"{name}Input" for name in sorted(shared)}
    clash = set(renamed.values()) & set(components)
    assert not clash, f"input components would replace existing ones: {sorted(clash)}"
    for name in sorted(inputs):
        target = renamed.get(name, name)
        component = copy.deepcopy(components[name]) if name in shared else components[name]
        rename_refs(component, renamed)
        _optional_without_null_default(component)
        if name in shared:
            component["title"] = target
        components[target] = component
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                rename_refs(parameter, renamed)
                if not parameter.get("required", False) and isinstance(parameter.get("schema"), dict):
                    parameter["schema"] = _not_nullable(parameter["schema"])
            for media in operation.get("requestBody", {}).get("content", {}).values():
                rename_refs(media, renamed)
    return schema


def _changed_by_stripping(names: set[str], components: dict[str, Any]) -> set[str]:
    """Those of `names` whose input form differs: without null defaults of optional fields, or referring to one that
    is (only these need an input twin)."""
    changed = set()
    for name in names:
        stripped = copy.deepcopy(components[name])
        _optional_without_null_default(stripped)
        if stripped != components[name]:
            changed.add(name)
    while more := {name for name in names - changed if _refs(components[name]) & changed}:
        changed |= more
    return changed


def _closure(roots: list[Any], components: dict[str, Any]) -> set[str]:
    """The names of the components the roots refer to, directly or through other components."""
    found: set[str] = set()
    pending = [name for root in roots for name in _refs(root)]
    while pending:
        name = pending.pop()
        if name in found or name not in components:
            continue
        found.add(name)
        pending += _refs(components[name])
    return found


def _refs(node: Any) -> set[str]:
    if isinstance(node, dict):
        ref = node.get("$ref")
        own = {ref[len(_REF) :]} if isinstance(ref, str) and ref.startswith(_REF) else set()
        return own.union(*(_refs(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_refs(value) for value in node))
    return set()


def rename_refs(node: Any, renamed: dict[str, str]) -> None:
    """Points references (and discriminator mappings) to the renamed components, in place."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value[len(_REF) :] in renamed:
                node[key] = _REF + renamed[value[len(_REF) :]]
            elif key == "mapping" and isinstance(value, dict):
                for tag, ref in value.items():
                    if isinstance(ref, str) and ref[len(_REF) :] in renamed:
                        value[tag] = _REF + renamed[ref[len(_REF) :]]
            else:
                rename_refs(value, renamed)
    elif isinstance(node, list):
        for value in node:
            rename_refs(value, renamed)


def _optional_without_null_default(node: Any) -> None:
    """Every object schema within `node`: its properties not in `required` lose a `default: null`, in place."""
    if isinstance(node, dict):
        required = set(node.get("required", []))
        properties = node.get("properties")
        if isinstance(properties, dict):
            for name, prop in properties.items():
                if name not in required and isinstance(prop, dict) and "default" in prop and prop["default"] is None:
                    del prop["default"]
        for value in node.values():
            _optional_without_null_default(value)
    elif isinstance(node, list):
        for value in node:
            _optional_without_null_default(value)


def _not_nullable(prop: dict[str, Any]) -> dict[str, Any]:
    """`anyOf: [T, {type: null}]` (with `default: null`) as `T`, keeping the property's own words and default."""
    types = prop.get("type")
    if isinstance(types, list) and "null" in types:
        kept_types = [kind for kind in types if kind != "null"]
        plain = {key: value for key, value in prop.items() if not (key == "default" and value is None)}
        return {**plain, "type": kept_types[0] if len(kept_types) == 1 else kept_types}
    options = prop.get("anyOf")
    if not isinstance(options, list) or _NULL not in options:
        return prop
    kept = {key: value for key, value in prop.items() if key != "anyOf" and not (key == "default" and value is None)}
    rest = [option for option in options if option != _NULL]
    if len(rest) == 1:
        return {**rest[0], **kept}
    return {**kept, "anyOf": rest}


def json_bodies_only(schema: dict[str, Any]) -> dict[str, Any]:
    """The document as openapi-python-client (0.29) can generate from: where a request body is declared under
    several content types, only `application/json`. Given several, it dispatches on `isinstance(body, T)` per
    content type, which raises for a `list[...]` body (`isinstance() argument 2 cannot be a parameterized
    generic`, POST /v1/events' batch) and picks the last type when they are the same (its issue #1276). The
    CloudEvents content types stay in the published document, for CloudEvents SDKs; a copy is changed."""
    document = copy.deepcopy(schema)
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            content = operation.get("requestBody", {}).get("content", {}) if isinstance(operation, dict) else {}
            if len(content) > 1 and "application/json" in content:
                for media_type in [m for m in content if m != "application/json"]:
                    del content[media_type]
    return document
