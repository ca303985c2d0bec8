"""Journey conditions: the grammar of contracts/conditions.py (all / any / not over {field, op, value}),
evaluated in Python.

Journeys decide on one customer at a time (a trigger, a branch, a waited-for event), so the
condition is evaluated here against facts the caller passes in rather than compiled to SQL.
Operators, budgets and what they mean are the grammar's, shared with dynamic segments, so a condition
means the same in a journey and in a segment (tests/integration/test_condition_grammar.py).

Fields:
- `data.<path>` the event's data (`data.nps`, `data.items.category`); only where there is an event
  (triggers, waits for an event, goal, exit_on), never in branches.
- `traits.<name>`, `stats.<name>`, `scores.<name>` the customer's profile, stats and scores.
- `segments` the ids of the dynamic segments the customer is in (use contains / not_contains via not).
- `events.<type>.count` how many events of that type the customer had (the caller's count, which
  includes the event being evaluated, so "first purchase" is `events.purchase.count eq 1`).
- `loyalty.tier` (the member's loyalty tier, a string) and `loyalty.balance` (their points balance, a number):
  the latest the loyalty service announced (facts.py); missing until it announced one.
- `customer_id`.

Operators: the grammar's JOURNEY_OPERATORS: eq ne gt gte lt lte in not_in exists not_exists contains
(the time operators are segments' only, see contracts/conditions.py).

Semantics (the grammar's; what is journey's own is how fields resolve):
- A path through a list looks into every element (`data.items.category` is the category of each
  item) and a leaf matches when any value matches; a value that is a list (e.g. `segments`) is
  matched element by element.
- `contains` on a string is a case-insensitive substring test; on `segments` and on lists of event
  data or counters (`stats.categories`) it means "has this element"; it does not look into a trait's list.
- Values compare as JSON: 1 == 1.0, "5" != 5, true is not 1. Money in the facts (`stats.revenue`) is an
  exact Decimal (facts.py turns the stored "120.50" into one), so eq, in and gt/gte/lt/lte compare the amount,
  as segments do. gt/gte/lt/lte also read decimal strings in event data, stats and scores as numbers, since
  events carry money as strings; a trait holding a string is never a number.
- A missing value never matches, except ne, not_in and not_exists, which are exactly `not` of eq,
  in and exists.

Limits (the grammar's, and budgets.py's for numbers): nesting depth 8, 100 leaves, 1000 values in an
in / not_in list, 1000 characters in a string, integers within 64 bits. Evaluation is linear in the values
it looks at: an `in` list is matched through a set, not value by value against every element.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, TypeAlias

from pydantic import AfterValidator, model_validator

from contracts import conditions as grammar
from contracts.conditions import (
    FACT_READING,
    JOURNEY_OPERATORS,
    NAME_PATTERN,
    NEGATIONS,
    TRAIT_READING,
    AllOf,
    AnyOf,
    ConditionLeaf,
    ConditionNode,
    JourneyOperator,
    NotOf,
    Reading,
    contains,
    elements_of,
    is_number,
    json_equal,
    json_key,
    number_of,
)
from services.journey.domain.budgets import number_problem, shown

Operator: TypeAlias = JourneyOperator
OPERATORS = JOURNEY_OPERATORS

_NAME = NAME_PATTERN
_FIELD = re.compile(
    rf"data(\.{_NAME}){{1,8}}|(traits|stats|scores)\.{_NAME}|segments|customer_id"
    r"|events\.[a-z][a-z0-9_.]{0,63}\.count|loyalty\.(tier|balance)"
)
# A validation message starting with POINTER names the key it is about ("@value needs a number"),
# so the document's error list can point below the node that raised it.
POINTER = "@"


@dataclass(frozen=True)
class CustomerFacts:
    """What the caller knows of the customer when a journey decides: profile, stats, scores, segments, counts."""

    customer_id: str
    traits: Mapping[str, Any] = field(default_factory=dict)
    stats: Mapping[str, Any] = field(default_factory=dict)
    scores: Mapping[str, Any] = field(default_factory=dict)
    segments: frozenset[str] = frozenset()
    event_counts: Mapping[str, int] = field(default_factory=dict)
    loyalty: Mapping[str, Any] = field(default_factory=dict)  # "tier" and "balance", once loyalty announced them


@dataclass(frozen=True)
class EventFacts:
    """One event as journeys see it: its id, type, time and data (decoded JSON)."""

    event_id: str
    type: str
    time: datetime
    data: Mapping[str, Any] = field(default_factory=dict)


def _describe(value: object) -> str:
    kinds = {bool: "boolean", int: "number", float: "number", str: "string", list: "list", dict: "object"}
    if value is None:
        return "null"
    quoted = "" if isinstance(value, list | dict) else f" {shown(value)}"
    return f"{kinds.get(type(value), type(value).__name__)}{quoted}"


def _scalar_problem(value: object) -> str | None:
    if isinstance(value, str):
        return (
            f"is {len(value)} characters long; at most {grammar.MAX_TEXT_LENGTH}"
            if len(value) > grammar.MAX_TEXT_LENGTH
            else None
        )
    if isinstance(value, bool) or is_number(value):
        return number_problem(value)
    return f"must be a string, number or boolean (got {_describe(value)})"


def leaf_problems(field_name: object, op: object, value: object) -> list[tuple[str, str]]:
    """(key, message) for each problem of a leaf; key is 'field', 'op' or 'value'."""
    if not isinstance(field_name, str) or not _FIELD.fullmatch(field_name):
        return [
            (
                "field",
                "must be data.<path>, traits.<name>, stats.<name>, scores.<name>, segments, "
                f"events.<type>.count, loyalty.tier, loyalty.balance or customer_id (got {_describe(field_name)})",
            )
        ]
    if op not in OPERATORS:
        return [("op", f"must be one of {', '.join(OPERATORS)} (got {_describe(op)})")]
    problem: str | None = None
    if op in ("exists", "not_exists"):
        problem = None if value is None else f"{op} takes no value (got {_describe(value)})"
    elif value is None:
        problem = f"{op} needs a value"
    elif op in ("in", "not_in"):
        if not isinstance(value, list) or not value:
            problem = f"{op} needs a non-empty list of values (got {_describe(value)})"
        elif len(value) > grammar.MAX_LIST_VALUES:
            problem = f"has {len(value)} values; at most {grammar.MAX_LIST_VALUES}"
        else:
            problem = next((p for item in value if (p := _scalar_problem(item))), None)
    elif op in ("gt", "gte", "lt", "lte"):
        problem = number_problem(value) if is_number(value) else f"{op} needs a number (got {_describe(value)})"
    elif op == "contains" and value == "":
        problem = "contains needs a non-empty value"
    else:
        problem = _scalar_problem(value)
    return [("value", problem)] if problem else []


class JourneyLeaf(ConditionLeaf):
    """A journey's leaf: the grammar's, with journey's fields, operators and numbers."""

    op: Operator

    @model_validator(mode="before")
    @classmethod
    def _valid(cls, data: Any) -> Any:
        if isinstance(data, dict) and "field" in data and "op" in data:
            problems = leaf_problems(data["field"], data["op"], data.get("value"))
            if problems:
                key, message = problems[0]
                raise ValueError(f"{POINTER}{key} {message}")
        return data


Condition: TypeAlias = ConditionNode[JourneyLeaf]


def _check_size(node: Any) -> Any:
    """Depth and leaf limits of the whole tree, checked once at its root (a malicious tree stays small)."""
    depth, leaves = _measure(node, 1)
    if depth > grammar.MAX_DEPTH:
        raise ValueError(f"nested deeper than {grammar.MAX_DEPTH} levels")
    if leaves > grammar.MAX_LEAVES:
        raise ValueError(f"has {leaves} leaf conditions; at most {grammar.MAX_LEAVES}")
    return node


def _measure(node: Any, level: int) -> tuple[int, int]:
    children = list(_children(node))
    if not children:
        return level, 1
    measured = [_measure(child, level + 1) for child in children]
    return max(d for d, _ in measured), sum(n for _, n in measured)


def _children(node: Any) -> Iterator[Any]:
    if isinstance(node, AllOf):
        yield from node.all
    elif isinstance(node, AnyOf):
        yield from node.any
    elif isinstance(node, NotOf):
        yield node.not_


# A condition at the top of a tree (in a journey document): the depth and leaf limits apply.
RootCondition: TypeAlias = Annotated[Condition, AfterValidator(_check_size)]


def leaves(node: Condition) -> Iterator[JourneyLeaf]:
    """Every leaf of a condition, in document order (for checks such as 'no data.* in a branch')."""
    if isinstance(node, JourneyLeaf):
        yield node
    for child in _children(node):
        yield from leaves(child)


def condition_json(node: Condition) -> dict[str, Any]:
    """The JSON document of a condition."""
    doc: dict[str, Any] = node.model_dump(mode="json", by_alias=True, exclude_none=True)
    return doc


# --- evaluation ----------------------------------------------------------------------------------

_MISSING: list[Any] = []


def _walk(value: Any, path: list[str]) -> list[Any]:
    """Values at `path` under `value`; a list on the way fans out to its elements."""
    if not path:
        return [value]
    if isinstance(value, list):
        return [found for item in value for found in _walk(item, path)]
    if isinstance(value, Mapping) and path[0] in value:
        return _walk(value[path[0]], path[1:])
    return _MISSING


def _resolve(name: str, facts: CustomerFacts, event: EventFacts | None) -> tuple[list[Any], Reading]:
    """The values of a field, and how they read: a trait as the JSON its producer sent, everything else
    (event data, journey's counters, scores, segments) with money as decimal strings and lists as sets."""
    root, _, rest = name.partition(".")
    if root == "traits":
        return ([facts.traits[rest]] if rest in facts.traits else _MISSING), TRAIT_READING
    if root == "data":
        return ([] if event is None else _walk(event.data, rest.split("."))), FACT_READING
    if root in ("stats", "scores", "loyalty"):
        source: Mapping[str, Any] = getattr(facts, root)
        return ([source[rest]] if rest in source else _MISSING), FACT_READING
    if root == "segments":
        return [sorted(facts.segments)], FACT_READING
    if root == "events":
        return [facts.event_counts.get(rest.removesuffix(".count"), 0)], FACT_READING
    return [facts.customer_id], FACT_READING


_COMPARE: dict[str, Callable[[Decimal, Decimal], bool]] = {
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}


def _leaf_matches(leaf: JourneyLeaf, facts: CustomerFacts, event: EventFacts | None) -> bool:
    if leaf.op in NEGATIONS:
        return not _positive_matches(leaf, NEGATIONS[leaf.op], facts, event)
    return _positive_matches(leaf, leaf.op, facts, event)


def _positive_matches(leaf: JourneyLeaf, op: str, facts: CustomerFacts, event: EventFacts | None) -> bool:
    found, reading = _resolve(leaf.field, facts, event)
    if op == "contains":
        return any(contains(candidate, leaf.value, reading) for candidate in found)
    elements = elements_of(found)
    if op == "exists":
        return bool(elements)
    if op == "eq":
        return any(json_equal(e, leaf.value) for e in elements)
    if op == "in":
        options = leaf.value if isinstance(leaf.value, list) else [leaf.value]
        wanted = {key for option in options if (key := json_key(option)) is not None}
        return any(json_key(e) in wanted for e in elements)
    bound = number_of(leaf.value, reading)
    compare = _COMPARE[op]
    return bound is not None and any((n := number_of(e, reading)) is not None and compare(n, bound) for e in elements)


def evaluate(node: Condition, facts: CustomerFacts, event: EventFacts | None = None) -> bool:
    """Whether the condition holds for this customer (and event, for data.* fields)."""
    if isinstance(node, JourneyLeaf):
        return _leaf_matches(node, facts, event)
    if isinstance(node, AllOf):
        return all(evaluate(child, facts, event) for child in node.all)
    if isinstance(node, AnyOf):
        return any(evaluate(child, facts, event) for child in node.any)
    return not evaluate(node.not_, facts, event)
