"""Documents clients send as JSON, validated as their JSON Schema reads: a number is a JSON number, a time a string.

pydantic's lax mode takes more than the schema it documents: `true` for an integer, a float or a decimal,
`"5"` for an integer or a float, a Unix timestamp (`0`) for a date-time. Its strict mode takes less: `1.0` for
an integer, which JSON Schema's `integer` admits (and generators send). A model deriving from `JsonDocument`
sits between the two, whatever its fields' types (nested, in lists, in unions, in Annotated aliases): every
integer, float and decimal in its schema refuses a boolean (and integers and floats a string; a decimal keeps
its documented string form), every boolean refuses anything but true and false (pydantic takes 0, 1, "yes"),
and every date-time, date, time and duration refuses a number. The rest is pydantic's lax validation, so `1.0`
is still the integer 1.

The rule is applied to the model's validation schema once, when pydantic builds it, so the JSON Schema it
documents is unchanged. A nested model inlined in the schema is covered too; a model referred to by name
(recursion) is covered when it derives from `JsonDocument` as well: every model of a client's document should.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, GetCoreSchemaHandler
from pydantic_core import CoreSchema, core_schema

NUMBER_MESSAGE = "must be a JSON number"
DECIMAL_MESSAGE = "must be a JSON number or a decimal string"
TIME_MESSAGE = "must be a string"
BOOLEAN_MESSAGE = "must be a JSON boolean"


def json_number(value: object) -> object:
    """An integer or a float as JSON Schema reads them: a JSON number, never a boolean or a string."""
    if isinstance(value, bool | str | bytes):
        raise ValueError(NUMBER_MESSAGE)
    return value


def json_decimal(value: object) -> object:
    """A decimal: a JSON number or its documented string, never a boolean."""
    if isinstance(value, bool):
        raise ValueError(DECIMAL_MESSAGE)
    return value


def json_boolean(value: object) -> object:
    """A boolean: true or false, never 0, 1 or "yes"."""
    if not isinstance(value, bool):
        raise ValueError(BOOLEAN_MESSAGE)
    return value


def json_time(value: object) -> object:
    """A date-time, date, time or duration: its string (or the Python value built in code), never a number."""
    if isinstance(value, int | float | Decimal):  # booleans too: they are ints
        raise ValueError(TIME_MESSAGE)
    return value


_GUARDS = {
    "bool": json_boolean,
    "int": json_number,
    "float": json_number,
    "decimal": json_decimal,
    "datetime": json_time,
    "date": json_time,
    "time": json_time,
    "timedelta": json_time,
}
_GUARD_FUNCTIONS = set(_GUARDS.values())
# Keys of a core schema holding values, not the schemas validating input (a default or a literal's values may be a
# dict with a "type" key): left as they are.
_NOT_VALIDATION = {"default", "expected", "config", "serialization", "metadata", "ref", "json_schema_input_schema"}


def as_json_reads(schema: Any) -> Any:
    """`schema` (a pydantic core schema) with each number and time node guarded as the module says. Idempotent: a
    node already guarded is kept as it is, so a nested model's schema can be walked again by its parent."""
    if isinstance(schema, list):
        return [as_json_reads(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    if schema.get("type") == "function-before" and schema.get("function", {}).get("function") in _GUARD_FUNCTIONS:
        return schema
    walked = {key: value if key in _NOT_VALIDATION else as_json_reads(value) for key, value in schema.items()}
    if schema.get("type") == "union":
        walked["choices"] = [
            _labelled(before, after) for before, after in zip(schema["choices"], walked["choices"], strict=True)
        ]
    guard = _GUARDS.get(str(schema.get("type")))
    if guard is None:
        return walked
    return core_schema.no_info_before_validator_function(guard, walked)


def _labelled(choice: Any, walked: Any) -> Any:
    """A union's choice guarded here keeps the label pydantic gave it (`either.int`, not `either.function-before[
    json_number(), int]`) where an error locates it."""
    if isinstance(choice, dict) and walked is not choice and walked.get("type") == "function-before":
        return (walked, str(choice["type"]))
    return walked


class JsonDocument(BaseModel):
    """The base of every model validating a document a client sends as JSON (module docstring). Not for query
    strings or forms, whose numbers arrive as text."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source: type[BaseModel], handler: GetCoreSchemaHandler, /) -> CoreSchema:
        # pydantic's documented way to adjust a model's schema: build it with `handler`, then change it.
        schema: CoreSchema = as_json_reads(handler(source))
        return schema
