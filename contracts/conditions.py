"""The condition grammar journeys and dynamic segments share: fields, operators, values and what they mean.

A condition is JSON: a leaf `{"field": ..., "op": ..., "value": ...}` or a composite `{"all": [...]}`,
`{"any": [...]}`, `{"not": {...}}`. Front ends build both kinds with one editor. Two evaluators read it:
journeys in memory, one customer at a time (services/journey/domain/conditions.py), and segments compiled
to SQL over scoring's `customers` table (services/scoring/domain/segment_sql.py). Both take the operators,
budgets and value semantics from here, and tests/integration/test_condition_grammar.py checks that the
same condition gives the same members through both on generated customers.

The tree: ConditionLeaf, and AllOf / AnyOf / NotOf over one use's leaves, `ConditionNode[JourneyLeaf]` or
`ConditionNode[SegmentLeaf]` (pydantic models discriminated by node kind). Each use subclasses ConditionLeaf
with its own checks (the fields it knows, its operators and budgets), which run when a leaf is built, so a tree
holds only leaves valid for its use.

Fields. `traits.<name>` (name: a letter or `_`, then up to 63 letters, digits or `_`), `stats.<name>` and
`scores.<name>` exist in both uses, and so do loyalty's `loyalty.tier` (a string) and `loyalty.balance` (whole
points), each the latest the loyalty service announced by event time. Each use adds its own: journeys read the
event's `data.<path>`, `segments`, `events.<type>.count` and `customer_id`; segments read their typed catalogue of
`stats.*` / `scores.*` / `loyalty.*` columns (segments.py `fields_catalogue()`).

Operators. eq ne gt gte lt lte in not_in exists not_exists contains everywhere; the time operators
within_last, not_within_last, before and after belong to segments only (JOURNEY_OPERATORS leaves them
out, on purpose: a journey's evaluator decides at an event or a timer without a clock of its own, and time
windows in journeys would be a new feature of the public API, not a refactoring). The negations ne,
not_in, not_within_last and not_exists are exactly `not` of eq, in, within_last and exists.

Meaning (one for both evaluators):
- A missing value, or JSON null, never matches, except through a negation, which therefore matches it
  ("churn_risk ne high" includes unscored customers).
- Values compare as JSON: numbers by their exact value (1 == 1.0; a float is the decimal JSON writes, 0.1),
  "5" != 5, true is not 1; strings compare case-sensitively.
- Money is a number, exact: scoring holds it in numeric columns, and journey's facts, which store it as
  decimal strings, hand it to the evaluator as Decimal (services/journey/domain/facts.py), so every operator
  compares an amount alike in both (`stats.revenue eq 120.5` holds for "120.50"). Never a float.
- A value that is a list stands for its elements: eq, in, gt/gte/lt/lte and exists match when any
  element does (`[0, 2.5] in [2.5]` holds; `[]` and `[null]` do not exist).
- gt/gte/lt/lte compare numbers, exactly (as decimals, as PostgreSQL's numeric does). How a string reads
  depends on where the value comes from (Reading): a trait is the JSON its producer sent, so a string trait
  is never a number ("34" is not greater than 30); event data carries money as decimal strings ("120.50"),
  which these operators read as the amount they hold (eq and in compare event data as the JSON it is).
- contains is a case-insensitive substring test on a string: both sides lower-cased by Unicode's simple
  case mapping, code point by code point ("Ä" is "ä", a final capital sigma too), which PostgreSQL's
  lower() does under its built-in collation pg_c_utf8 (PostgreSQL 17 and later) whatever the database's
  locale. On a list, contains tests membership where the field is a set (journey's `segments` and
  counters such as `stats.categories`); a list held in a trait is data, and contains does not look into it.

Budgets (a tenant's condition runs on every event of its workspace): nesting depth MAX_DEPTH (the top node
is level 1), MAX_LEAVES leaves, MAX_LIST_VALUES values in an in / not_in list, MAX_TEXT_LENGTH characters in
a string value. Each use may add its own (segments: totals per condition and per workspace, numbers within
10^15; journeys: numbers within 64 bits).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, Generic, Literal, TypeAlias, TypeVar, Union, get_args

from pydantic import BaseModel, ConfigDict, Discriminator, Field, StrictBool, StrictFloat, StrictInt, StrictStr, Tag
from typing_extensions import TypeAliasType, TypeIs

Operator = Literal[
    "eq",
    "ne",
    "gt",
    "gte",
    "lt",
    "lte",
    "in",
    "not_in",
    "exists",
    "not_exists",
    "contains",
    "within_last",
    "not_within_last",
    "before",
    "after",
]
OPERATORS: tuple[Operator, ...] = get_args(Operator)

EQUALITY: tuple[Operator, ...] = ("eq", "ne")
COMPARISONS: tuple[Operator, ...] = ("gt", "gte", "lt", "lte")
MEMBERSHIP: tuple[Operator, ...] = ("in", "not_in")
PRESENCE: tuple[Operator, ...] = ("exists", "not_exists")
TEXT_OPERATORS: tuple[Operator, ...] = ("contains",)
TIME_OPERATORS: tuple[Operator, ...] = ("within_last", "not_within_last", "before", "after")
NEGATIONS: Mapping[Operator, Operator] = {
    "ne": "eq",
    "not_in": "in",
    "not_exists": "exists",
    "not_within_last": "within_last",
}

# The per-use restriction: journeys have every operator but the time operators (see the module docstring).
JourneyOperator = Literal["eq", "ne", "gt", "gte", "lt", "lte", "in", "not_in", "exists", "not_exists", "contains"]
JOURNEY_OPERATORS: tuple[JourneyOperator, ...] = get_args(JourneyOperator)
SEGMENT_OPERATORS: tuple[Operator, ...] = OPERATORS

TRAIT_PREFIX = "traits."
NAME_PATTERN = r"[A-Za-z_][A-Za-z0-9_]{0,63}"
TRAIT_NAME = re.compile(NAME_PATTERN)

MAX_DEPTH = 8
MAX_LEAVES = 100
MAX_LIST_VALUES = 1000
MAX_TEXT_LENGTH = 1000

NodeKind = Literal["leaf", "all", "any", "not"]

Scalar: TypeAlias = StrictBool | StrictInt | StrictFloat | StrictStr
"""A value of a leaf, or one item of an in / not_in list."""


def node_kind(node: Any) -> NodeKind | None:
    """The kind of a condition node, a JSON object or a model (`not` is held as `not_`): the discriminator of
    both uses' node unions."""
    if isinstance(node, dict):
        return "all" if "all" in node else "any" if "any" in node else "not" if "not" in node else "leaf"
    if hasattr(node, "all"):
        return "all"
    if hasattr(node, "any"):
        return "any"
    if hasattr(node, "not_"):
        return "not"
    return "leaf" if hasattr(node, "field") else None


# --- the tree -------------------------------------------------------------------------------------

_FROZEN = ConfigDict(frozen=True, extra="forbid")


class ConditionLeaf(BaseModel):
    """A leaf `{field, op, value}`. Each use subclasses it with its own checks, run when a leaf is built: the
    fields it knows, its operators (journeys: JOURNEY_OPERATORS) and its value budgets."""

    model_config = _FROZEN

    field: str
    op: Operator
    value: Scalar | list[Scalar] | None = None


LeafT = TypeVar("LeafT", bound=ConditionLeaf)

ConditionNode = TypeAliasType(
    "ConditionNode",
    Annotated[
        Union[  # noqa: UP007 (a generic alias's union is spelt out for pydantic's forward references)
            Annotated[LeafT, Tag("leaf")],
            Annotated["AllOf[LeafT]", Tag("all")],
            Annotated["AnyOf[LeafT]", Tag("any")],
            Annotated["NotOf[LeafT]", Tag("not")],
        ],
        Discriminator(node_kind),
    ],
    type_params=(LeafT,),
)
"""A condition of one use's leaves (`ConditionNode[SegmentLeaf]`), discriminated by node kind."""


class AllOf(BaseModel, Generic[LeafT]):
    model_config = _FROZEN

    all: tuple[ConditionNode[LeafT], ...] = Field(min_length=1, max_length=MAX_LEAVES)


class AnyOf(BaseModel, Generic[LeafT]):
    model_config = _FROZEN

    any: tuple[ConditionNode[LeafT], ...] = Field(min_length=1, max_length=MAX_LEAVES)


class NotOf(BaseModel, Generic[LeafT]):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    not_: ConditionNode[LeafT] = Field(alias="not")


# --- meaning --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    """How a field's values read, by where they come from (see the module docstring)."""

    decimal_strings: bool  # a string holding a decimal number compares as that number
    lists_are_sets: bool  # contains on a list tests membership


TRAIT_READING = Reading(decimal_strings=False, lists_are_sets=False)
"""Traits: the JSON their producer sent (both uses; segment_sql.py compiles this reading)."""
FACT_READING = Reading(decimal_strings=True, lists_are_sets=True)
"""Event data and journey's facts (counters, scores, segments): decimal strings (event data's money) compare as
amounts, lists are sets."""

DECIMAL_TEXT = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")
"""What a decimal string is (no exponent, no spaces: what every store and encoder reads alike)."""


def is_number(value: object) -> TypeIs[int | float | Decimal]:
    """A finite number: a JSON number of any size, or an exact decimal (money as a use's facts hold it); a
    boolean is not one."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True  # an integer is finite, and one too large for a float has none to test
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, Decimal) and value.is_finite()


def _exact(value: int | float | Decimal) -> Decimal:
    """A finite number as the decimal it stands for (a float as the shortest decimal JSON writes)."""
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def json_equal(a: object, b: object) -> bool:
    """Equality of two JSON scalars: numbers by exact value (as gt/lt compare them), strings exactly, booleans
    only with booleans."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if is_number(a) and is_number(b):
        return _exact(a) == _exact(b)
    return isinstance(a, str) and isinstance(b, str) and a == b


def json_key(value: object) -> tuple[str, Any] | None:
    """A hashable key of what `json_equal` compares: two values' keys are equal exactly when `json_equal`
    holds (None: a value equal to nothing), so a list of values is matched through a set."""
    if isinstance(value, bool):
        return ("boolean", value)
    if is_number(value):
        return ("number", _exact(value))
    if isinstance(value, str):
        return ("string", value)
    return None


def number_of(value: object, reading: Reading) -> Decimal | None:
    """The number a value compares as (exactly: a float as the shortest decimal JSON writes), or None."""
    if is_number(value):
        return _exact(value)
    if isinstance(value, str) and reading.decimal_strings and DECIMAL_TEXT.fullmatch(value):
        return Decimal(value)
    return None


def elements_of(candidates: list[Any]) -> list[Any]:
    """The values a leaf looks at: a list stands for its elements, and JSON null is no value."""
    flat = [item for value in candidates for item in (value if isinstance(value, list) else [value])]
    return [item for item in flat if item is not None]


_DOTTED_CAPITAL_I = "\u0130"  # the one code point whose full lower case is two (Python's str.lower() gives "i̇")


def lowered(text: str) -> str:
    """Case folding for contains: Unicode's simple lower-case mapping of each code point, what PostgreSQL's
    lower() does under CASE_FOLD_COLLATION (segment_sql.py). Python's str.lower() alone differs in two ways,
    both undone here: it lower-cases a final capital sigma by its context, and "İ" into two code points."""
    if text.isascii():
        return text.lower()
    return "".join("i" if char == _DOTTED_CAPITAL_I else char.lower() for char in text)


CASE_FOLD_COLLATION = "pg_c_utf8"
"""PostgreSQL's built-in collation (17 and later) whose lower() maps every script by Unicode's simple case
mapping; under the databases' C locale, lower() alone would lower-case ASCII only. Characters added to Unicode
after Python's tables (3.11: Unicode 14) may differ."""


def contains(value: object, needle: object, reading: Reading) -> bool:
    """contains on one value (not its elements): a case-insensitive substring of a string, or membership of a
    list when the reading takes lists as sets."""
    if isinstance(value, list):
        return reading.lists_are_sets and any(json_equal(element, needle) for element in value)
    return isinstance(value, str) and isinstance(needle, str) and lowered(needle) in lowered(value)
