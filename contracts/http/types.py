"""Values the public API takes in bodies and query strings whose documented JSON Schema must say exactly what
the gateway accepts: decimals, times and page cursors. They live in contracts/ (not the gateway) because the
request bodies built from them are declared once in contracts/http/<service>.py, for the gateway and the
service alike.

pydantic's own schemas for these say less than its validation does (a decimal is "a number or any string",
a time is "any date-time"), and its validation takes more than they say (a time as a Unix timestamp, a
decimal in exponent notation). Each type here validates its input against the very pattern and bounds it
documents, so a client (and a property-based test) can rely on the document: what it admits is taken, what
it refuses is answered 422 naming the field.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any

from fastapi import Query
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BeforeValidator,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    Strict,
    WithJsonSchema,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, core_schema

from contracts.json_document import json_number
from runtime.budgets import time_in_range

# --- decimals -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DecimalForm:
    """A non-negative decimal as the API takes it (an annotation on `Decimal`): a string of digits with at most
    `places` after the point (exact; the form the API answers with), or a JSON number up to `largest_number`
    (below which a float keeps `places` exactly) that is a multiple of 10^-places. `maximum` bounds both forms
    (a string's `pattern` must then say it too)."""

    whole_digits: int
    places: int
    largest_number: int
    pattern: str | None = None
    maximum: int | None = None

    @property
    def text_pattern(self) -> str:
        return self.pattern or rf"^[0-9]{{1,{self.whole_digits}}}(\.[0-9]{{1,{self.places}}})?$"

    @property
    def number_maximum(self) -> int:
        return min(self.largest_number, self.maximum) if self.maximum is not None else self.largest_number

    @property
    def problem(self) -> str:
        return (
            f'must be a decimal string (digits, at most {self.places} after the point, e.g. "12.50") or a JSON '
            f"number from 0 to {self.number_maximum} with at most {self.places} decimals"
        )

    def described(self, example: str) -> Any:
        """A field's description said from these bounds (a power of ten as the largest number), so what the
        document says and what is checked cannot drift apart."""
        exponent = round(math.log10(self.largest_number))
        if self.pattern is not None or self.maximum is not None or 10**exponent != self.largest_number:
            raise ValueError("only plain decimal forms (the largest number a power of ten) describe themselves")
        return Field(
            description=f"Decimal string (or a JSON number up to 10^{exponent}), at most {self.places} decimals.",
            examples=[example],
        )

    def parse(self, value: object) -> Decimal:
        if isinstance(value, Decimal):
            return value  # built in Python, not sent by a client
        if isinstance(value, str):
            if not re.fullmatch(self.text_pattern, value) or (
                self.maximum is not None and Decimal(value) > self.maximum
            ):
                raise ValueError(self.problem)
            return Decimal(value)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(self.problem)
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(self.problem)
        number = Decimal(str(value))  # the float's shortest spelling: what the client wrote
        if not 0 <= number <= self.number_maximum or number % Decimal(1).scaleb(-self.places) != 0:
            raise ValueError(self.problem)
        return number.copy_abs()  # -0.0 is 0

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_before_validator_function(self.parse, handler(source))

    def __get_pydantic_json_schema__(self, schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        step = float(Decimal(1).scaleb(-self.places))
        return {
            "anyOf": [
                {"type": "string", "pattern": self.text_pattern},
                {"type": "number", "minimum": 0, "maximum": self.number_maximum, "multipleOf": step},
            ]
        }


_MONEY = DecimalForm(whole_digits=16, places=2, largest_number=10**13)
_UNIT_PRICE = DecimalForm(whole_digits=14, places=4, largest_number=10**11)
_REVENUE = DecimalForm(whole_digits=14, places=6, largest_number=10**9)
Money = Annotated[Decimal, _MONEY, _MONEY.described(example="1200.00")]
UnitPrice = Annotated[Decimal, _UNIT_PRICE, _UNIT_PRICE.described(example="12.50")]
Revenue = Annotated[Decimal, _REVENUE, _REVENUE.described(example="1000")]
Percent = Annotated[
    Decimal,
    DecimalForm(
        whole_digits=3,
        places=4,
        largest_number=100,
        maximum=100,
        pattern=r"^(100(\.0{1,4})?|[0-9]{1,2}(\.[0-9]{1,4})?)$",
    ),
    Field(description="From 0 to 100, at most 4 decimals (a string or a number).", examples=["20"]),
]


# --- times ----------------------------------------------------------------------------------------

# RFC 3339 with a time zone and a year from 1901 to 2998: whatever its offset, the time is then within the
# [1900, 3000) UTC the services hold (runtime.budgets), so the pattern says all the gateway checks.
TIME_PATTERN = (
    r"^(19(0[1-9]|[1-9][0-9])|2([0-8][0-9]{2}|9([0-8][0-9]|9[0-8])))"  # the year
    r"-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[Tt]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?"
    r"([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$"
)
_TIME_TEXT = re.compile(TIME_PATTERN)
TIME_DESCRIPTION = "RFC 3339 with a time zone, years 1901 to 2998, e.g. 2026-05-01T00:00:00Z."


def _time_text(value: object) -> object:
    if isinstance(value, dt.datetime):
        return value  # built in Python, not sent by a client
    if isinstance(value, str) and _TIME_TEXT.fullmatch(value):
        return value
    raise ValueError(f"must be a time in {TIME_DESCRIPTION}")


RequestTime = Annotated[
    AwareDatetime,
    BeforeValidator(_time_text),
    AfterValidator(time_in_range),
    WithJsonSchema({"type": "string", "format": "date-time", "pattern": TIME_PATTERN}),
]
"""A time a client sends, in a body or a query string (never a Unix timestamp, never out of the services'
range)."""


# A day a client sends (YYYY-MM-DD, years 1900 to 2999: the services' range), never a Unix timestamp.
DATE_PATTERN = r"^(19[0-9]{2}|2[0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
_DATE_TEXT = re.compile(DATE_PATTERN)


def _date_text(value: object) -> object:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value  # built in Python, not sent by a client
    if isinstance(value, str) and _DATE_TEXT.fullmatch(value):
        return value
    raise ValueError("must be a date YYYY-MM-DD, years 1900 to 2999")


RequestDate = Annotated[
    dt.date,
    BeforeValidator(_date_text),
    WithJsonSchema({"type": "string", "format": "date", "pattern": DATE_PATTERN}),
]
"""A day a client sends, in a body or a query string."""


# --- cursors --------------------------------------------------------------------------------------

# Cursors are base64url text (runtime.pagination); empty or absent asks for the first page.
CURSOR_PATTERN = r"^[A-Za-z0-9_=-]*$"
Cursor = Annotated[
    str | None,
    Query(
        max_length=500,
        pattern=CURSOR_PATTERN,
        description="The `next_cursor` of the previous page, as given (opaque: any other value is 422); "
        "empty or absent for the first page.",
    ),
]


# --- JSON scalars ---------------------------------------------------------------------------------


# The rule of every JsonDocument's numbers (contracts.json_document), for a field of a model that is not one.
JsonInteger = Annotated[int, BeforeValidator(json_number)]
"""An integer sent as a JSON number (5 or 5.0, as JSON Schema's integer), never as text or a boolean."""
JsonNumber = Annotated[float, BeforeValidator(json_number)]
"""A number sent as a JSON number, never as text or a boolean."""
JsonBoolean = Annotated[bool, Strict()]
"""true or false, never "yes", 1 or "true"."""
