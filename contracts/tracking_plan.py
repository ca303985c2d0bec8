"""Tracking plans: a workspace's own event types, each with a JSON Schema (Draft 2020-12) of its `data`.

Shared by the gateway (which refuses an invalid custom event with a 422 before publishing it) and profile (which
owns the plan and checks every custom event again when it consumes it: the plan may have changed meanwhile, and
producers may publish to Kafka directly). Pure: no I/O.

A schema is the workspace's input, so it is held to budgets before anything runs it: its size in bytes, its
nesting depth and its number of keywords; it may only refer to itself (`$ref` to `#...`: no remote or relative
references, no `$id`, no dynamic references); regular expressions (`pattern`, `patternProperties`) are compiled
and run with RE2, a linear-time engine (a pattern RE2 cannot take, such as a back-reference or a look-around, is
refused); `uniqueItems` needs a `maxItems` of at most 100 beside it (its check is quadratic); `format` is an
annotation only (never asserted, so `format: regex` compiles nothing).

The schema describes the fields of `data` beyond `customer`: every event carries `data.customer` (the customer
identifiers, as built-in types do), checked by the contract, never by the plan; a schema naming `customer` is
refused. `unknown_fields` says what happens to top-level fields of `data` the schema's `properties` do not name:
`keep` (kept on the timeline) or `refuse` (the event is invalid).

Errors name the field (`data.cart.total: ...`) and the schema's constraint, never the value sent (values are
personal data, and errors become dead-letter reasons and log lines).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import orjson
import re2
from jsonschema import Draft202012Validator, ValidationError, validators
from jsonschema.exceptions import SchemaError

from contracts.inbound import CUSTOM, CUSTOM_TYPE_PATTERN, INBOUND_EVENT_TYPES

UnknownFields = Literal["keep", "refuse"]
NAME_PATTERN = CUSTOM_TYPE_PATTERN
MAX_NAME_LENGTH = 64
_NAME_RE = re.compile(NAME_PATTERN)
# Names a workspace may not take: the built-in types, and the words the contracts use for the custom model.
RESERVED_NAMES = frozenset({*INBOUND_EVENT_TYPES, CUSTOM})
DIALECT = "https://json-schema.org/draft/2020-12/schema"
MAX_ERRORS = 10  # errors named per event; the rest are counted
_UNIQUE_ITEMS_MAX = 100


@dataclass(frozen=True)
class SchemaBudget:
    """What one schema may cost: bytes of its JSON, nesting depth of its objects and arrays, and keywords (keys
    of every object in it)."""

    max_bytes: int = 16_384
    max_depth: int = 16
    max_keywords: int = 500


class InvalidPlan(ValueError):
    """A type's name or schema the plan cannot hold; `field` names where (`schema.properties.total.pattern`)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def name_problem(name: str) -> str | None:
    """Why `name` cannot be a custom event type's name, or None."""
    if len(name) > MAX_NAME_LENGTH or not _NAME_RE.match(name):
        return f"an event type name is lower snake case (letters, digits, '_'), at most {MAX_NAME_LENGTH} characters"
    if name in RESERVED_NAMES:
        return "a built-in event type's name; choose another"
    return None


def is_custom_name(name: object) -> bool:
    return isinstance(name, str) and name_problem(name) is None


# --- checking a schema --------------------------------------------------------------------------------------

_RE2_OPTIONS = re2.Options()
_RE2_OPTIONS.log_errors = False
_REFUSED_KEYWORDS = {
    "$id": "a schema may not set its own $id",
    "$dynamicRef": "dynamic references are not supported",
    "$dynamicAnchor": "dynamic references are not supported",
    "$recursiveRef": "dynamic references are not supported",
    "$recursiveAnchor": "dynamic references are not supported",
}


def _compile(pattern: str) -> Any:
    return re2.compile(pattern, options=_RE2_OPTIONS)


def check_schema(schema: Any, budget: SchemaBudget) -> dict[str, Any]:
    """The schema, if a plan may hold it; InvalidPlan naming the first problem otherwise."""
    if not isinstance(schema, dict):
        raise InvalidPlan("schema", "must be a JSON object (a JSON Schema of the event's data)")
    size = len(orjson.dumps(schema))
    if size > budget.max_bytes:
        raise InvalidPlan("schema", f"is {size} bytes of JSON; at most {budget.max_bytes} are allowed")
    keywords = 0
    for path, depth, node in _walk(schema, "schema", 1):
        if depth > budget.max_depth:
            raise InvalidPlan(path, f"nested deeper than {budget.max_depth} levels")
        if not isinstance(node, dict):
            continue
        keywords += len(node)
        if keywords > budget.max_keywords:
            raise InvalidPlan("schema", f"has more than {budget.max_keywords} keywords")
        _check_keywords(path, node)
    if schema.get("$schema", DIALECT) != DIALECT:
        raise InvalidPlan("schema.$schema", f"only JSON Schema Draft 2020-12 ({DIALECT}) is supported")
    if schema.get("type", "object") != "object":
        raise InvalidPlan("schema.type", "the data of an event is an object")
    properties = schema.get("properties", {})
    required = schema.get("required", [])
    if (isinstance(properties, dict) and "customer" in properties) or (
        isinstance(required, list) and "customer" in required
    ):
        raise InvalidPlan(
            "schema.properties.customer",
            "`customer` is built in (every event carries it); describe only the other fields of data",
        )
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        where = ".".join(["schema", *(str(p) for p in exc.absolute_path)])
        raise InvalidPlan(where, f"not a valid JSON Schema ({exc.validator})") from None
    _check_reference_loops(schema)
    return schema


_IN_PLACE_ONE = ("not", "if", "then", "else")
_IN_PLACE_MANY = ("allOf", "anyOf", "oneOf")


def _check_reference_loops(schema: dict[str, Any]) -> None:
    """Refuse a `$ref` that comes back to where it started without looking one level into the data (`{"$ref":
    "#"}`, or two definitions referring to each other through `allOf`): validating would never end."""
    state: dict[str, int] = {}  # pointer -> 1 on the path, 2 done

    def node(pointer: str) -> Any:
        found: Any = schema
        for part in [p for p in pointer.split("/") if p]:
            key = part.replace("~1", "/").replace("~0", "~")
            if isinstance(found, dict) and key in found:
                found = found[key]
            elif isinstance(found, list) and key.isdigit() and int(key) < len(found):
                found = found[int(key)]
            else:
                return None
        return found

    def visit(pointer: str) -> None:
        if state.get(pointer) == 2:
            return
        if state.get(pointer) == 1:
            raise InvalidPlan("schema" + pointer.replace("/", "."), "a reference loop that never looks into the data")
        state[pointer] = 1
        found = node(pointer)
        if isinstance(found, dict):
            ref = found.get("$ref")
            if isinstance(ref, str) and ref.startswith("#"):
                visit(ref[1:].rstrip("/"))
            for key in _IN_PLACE_ONE:
                if isinstance(found.get(key), dict):
                    visit(f"{pointer}/{key}")
            for key in _IN_PLACE_MANY:
                if isinstance(found.get(key), list):
                    for index in range(len(found[key])):
                        visit(f"{pointer}/{key}/{index}")
        state[pointer] = 2

    for path, _, found in _walk(schema, "", 1):
        if isinstance(found, dict):
            visit(path.replace(".", "/"))


def _walk(node: Any, path: str, depth: int) -> Iterator[tuple[str, int, Any]]:
    yield path, depth, node
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, dict | list):
                yield from _walk(value, f"{path}.{key}", depth + 1)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            if isinstance(value, dict | list):
                yield from _walk(value, f"{path}.{index}", depth + 1)


def _check_keywords(path: str, node: dict[str, Any]) -> None:
    # A schema keyword only where it is one: `properties` maps names to schemas, and a property may be called
    # "pattern"; checking names there too would refuse a schema for data with such a field only when it is a
    # string, which the checks below allow for. Keys that are not strings cannot reach here (JSON).
    for key, message in _REFUSED_KEYWORDS.items():
        if key in node and isinstance(node[key], str | bool):
            raise InvalidPlan(f"{path}.{key}", message)
    ref = node.get("$ref")
    if isinstance(ref, str) and not ref.startswith("#"):
        raise InvalidPlan(f"{path}.$ref", "only references within the schema (`#/...`) are allowed")
    pattern = node.get("pattern")
    if isinstance(pattern, str):
        _check_pattern(f"{path}.pattern", pattern)
    patterns = node.get("patternProperties")
    if isinstance(patterns, dict):
        for key in patterns:
            _check_pattern(f"{path}.patternProperties", key)
    if node.get("uniqueItems") is True:
        limit = node.get("maxItems")
        if not isinstance(limit, int) or limit > _UNIQUE_ITEMS_MAX:
            raise InvalidPlan(f"{path}.uniqueItems", f"needs maxItems of at most {_UNIQUE_ITEMS_MAX} beside it")


def _check_pattern(path: str, pattern: str) -> None:
    try:
        _compile(pattern)
    except re2.error:
        raise InvalidPlan(
            path, "not a regular expression RE2 runs in linear time (no back-references or look-arounds)"
        ) from None


# --- validating data ----------------------------------------------------------------------------------------


def _re2_pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and not _compile(pattern).search(instance):
        yield ValidationError("does not match the pattern")


def _re2_pattern_properties(
    validator: Any, patterns: dict[str, Any], instance: Any, schema: Any
) -> Iterator[ValidationError]:
    if not validator.is_type(instance, "object"):
        return
    for pattern, subschema in patterns.items():
        compiled = _compile(pattern)
        for key, value in instance.items():
            if compiled.search(key):
                yield from validator.descend(value, subschema, path=key, schema_path=pattern)


_Validator = validators.extend(  # type: ignore[no-untyped-call]
    Draft202012Validator, {"pattern": _re2_pattern, "patternProperties": _re2_pattern_properties}
)


@dataclass(frozen=True)
class EventType:
    """One version of a custom event type, ready to validate events."""

    name: str
    version: int
    schema: dict[str, Any]
    unknown_fields: UnknownFields = "keep"

    def validator(self) -> Any:
        return _compiled(self)

    def errors(self, data: Mapping[str, Any]) -> list[dict[str, str]]:
        """`{"field": "data.cart.total", "message": ...}` for each problem of the event's data (at most
        MAX_ERRORS, then one saying how many more); [] when it is valid."""
        rest = {key: value for key, value in data.items() if key != "customer"}
        found: list[dict[str, str]] = []
        try:
            errors = sorted(self.validator().iter_errors(rest), key=lambda e: [str(p) for p in e.absolute_path])
        except RecursionError:  # data nested deeper than a recursive schema can follow
            return [{"field": "data", "message": "nested too deeply for the type's schema"}]
        for error in errors:
            found.extend(_described(error))
        if self.unknown_fields == "refuse":
            known = self.schema.get("properties", {})
            found += [
                {"field": f"data.{key}", "message": "not in the tracking plan (unknown fields are refused)"}
                for key in sorted(rest)
                if key not in known
            ]
        if len(found) > MAX_ERRORS:
            more = len(found) - MAX_ERRORS
            found = [*found[:MAX_ERRORS], {"field": "data", "message": f"and {more} more problem(s)"}]
        return found


_VALIDATORS: dict[tuple[str, int, str], Any] = {}


def _compiled(event_type: EventType) -> Any:
    key = (event_type.name, event_type.version, orjson.dumps(event_type.schema, option=orjson.OPT_SORT_KEYS).hex())
    found = _VALIDATORS.get(key)
    if found is None:
        if len(_VALIDATORS) > 4096:
            _VALIDATORS.clear()
        found = _VALIDATORS[key] = _Validator(event_type.schema)
    return found


def _field(path: Any) -> str:
    return ".".join(["data", *(str(part) for part in path)])


def _described(error: ValidationError) -> list[dict[str, str]]:
    """The error as fields and messages naming the constraint, never the instance's value."""
    keyword, expected = error.validator, error.validator_value
    if keyword == "required" and isinstance(expected, list) and isinstance(error.instance, dict):
        missing = [name for name in expected if name not in error.instance]
        return [{"field": _field([*error.absolute_path, name]), "message": "required"} for name in missing]
    if keyword == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {})) if isinstance(error.schema, dict) else set()
        extra = [key for key in error.instance if key not in allowed]
        return [{"field": _field([*error.absolute_path, key]), "message": "not allowed here"} for key in extra[:5]]
    if keyword in ("anyOf", "oneOf", "allOf", "not", "if", "then", "else", "$ref", "pattern"):
        shown = "does not match the pattern" if keyword == "pattern" else f"does not match `{keyword}`"
        return [{"field": _field(error.absolute_path), "message": shown}]
    constraint = orjson.dumps(expected).decode()
    if len(constraint) > 80:
        constraint = constraint[:77] + "..."
    return [{"field": _field(error.absolute_path), "message": f"must satisfy `{keyword}`: {constraint}"}]


def reason(event_type: str, errors: list[dict[str, str]]) -> str:
    """One line for a dead letter or a log: the type and each field's problem."""
    return f"invalid {event_type} event (tracking plan): " + "; ".join(f"{e['field']}: {e['message']}" for e in errors)


UNDECLARED = "event type not declared in the workspace's tracking plan (PUT /v1/event-types/{name} declares it)"
