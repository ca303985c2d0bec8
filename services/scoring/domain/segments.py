"""Dynamic segments: conditions held as data per workspace, validated and compiled to SQL.

The grammar (operators, budgets, what a value means) is contracts/conditions.py, shared with journeys; this
module holds what is the segments' own: the typed field catalogue and which operators apply to each type.

A condition is JSON: a leaf `{"field": ..., "op": ..., "value": ...}` or a composite
`{"all": [...]}`, `{"any": [...]}`, `{"not": {...}}`, e.g.

    {"all": [{"field": "stats.orders", "op": "gte", "value": 2},
             {"any": [{"field": "traits.city", "op": "in", "value": ["Berlin", "Paris"]},
                      {"not": {"field": "scores.churn_risk", "op": "eq", "value": "high"}}]},
             {"field": "stats.last_purchase_at", "op": "within_last", "value": "30d"}]}

Fields (`fields_catalogue()`): the `stats.*`, `scores.*`, `ltv.*` (12-month purchases and CLV with their 80%
intervals: `ltv.p10`, `ltv.p90`) and `loyalty.*` names of FIELDS (`loyalty.balance`, a number,
and `loyalty.tier`, a text: the member's points balance and tier as the loyalty service last announced them;
missing for a customer it never announced), each one column of the scoring service's `customers` table,
and `traits.<name>` (name ^[A-Za-z_][A-Za-z0-9_]{0,63}$) read
from its jsonb column `traits`. Types and their operators:

| type | operators |
|---|---|
| number | eq ne gt gte lt lte in not_in exists not_exists |
| text | eq ne in not_in contains exists not_exists |
| enum | eq ne in not_in exists not_exists |
| timestamp | within_last not_within_last before after exists not_exists |
| boolean | eq ne |
| json (traits) | all of the above |

Values: a number (-10^15 to 10^15, which every column, jsonb and JSON encoder holds exactly), a
string (up to 1000 characters) or true/false as the type says, one of the
field's values for an enum, a non-empty list of those for in / not_in; for traits a string, number
or boolean (eq, ne, in, not_in), a number (gt, gte, lt, lte), a string (contains, case-insensitive
substring). Time windows "30d", "12h", "2w" (hours, days, weeks; 1 hour to 36500 days) for
within_last / not_within_last; an RFC 3339 timestamp with seconds and offset, "2026-11-23T10:00:00Z",
for before / after (in UTC between years 1 and 9999). exists / not_exists take no value.

Semantics:
- A missing value (NULL column, absent trait or a JSON null trait) never matches an operator,
  except the negations ne, not_in, not_within_last and not_exists, which are exactly `not` of eq,
  in, within_last and exists and so match it: "churn_risk ne high" includes unscored customers. Use
  `exists` next to them to exclude those. Every leaf is true or false, never NULL, so `not` is plain
  negation.
- within_last W: the time is at or after now - W (later times count too); before / after: strictly
  earlier / later than the timestamp. "now" is a bind parameter, so evaluation is deterministic.
- Traits compare as JSON: numbers as numbers (1 = 1.0), strings as strings, and a string never
  equals a number ("5" != 5). A trait holding a list stands for its elements (eq, in, gt/gte/lt/lte and
  exists match when one element does, as in journeys). gt/gte/lt/lte match only numbers; contains only
  string traits (case-insensitive in every script).
  The time operators read string traits holding a date (YYYY-MM-DD, midnight UTC) or a date and
  time (YYYY-MM-DDThh:mm[:ss[.ffffff]], optionally with Z or +hh:mm; UTC without); any other
  trait value does not match. Bad data never
  raises an SQL error.

Limits (a tenant's condition is evaluated on every event of its workspace, so its size is budgeted):
nesting depth 8 (the top node is level 1), 100 leaves, 1000 values in an in / not_in list, 1000
characters in a string value, and in all of a condition 10,000 values and 100,000 characters of
strings; all of a workspace's segments together hold at most 50,000 values (checked when one is
saved). `parse_condition` reports the problems (the first 50) with the path of the bad node
(`condition.all[1].any[0].value`) and a readable message.

SQL: see segment_sql.py, which compiles a condition to a boolean expression over `customers`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias

from pydantic import model_validator

from contracts import conditions as grammar
from contracts.conditions import (
    COMPARISONS,
    MAX_DEPTH,
    MAX_LEAVES,
    MAX_LIST_VALUES,
    MAX_TEXT_LENGTH,
    SEGMENT_OPERATORS,
    TRAIT_NAME,
    TRAIT_PREFIX,
    ConditionLeaf,
    ConditionNode,
    Operator,
    is_number,
)
from services.scoring.domain.churn import RISK_NAMES
from services.scoring.domain.rfm import SEGMENTS

FieldType = Literal["number", "text", "enum", "timestamp", "boolean", "json", "count"]
OPERATOR_NAMES: tuple[Operator, ...] = SEGMENT_OPERATORS

MAX_WINDOW_DAYS = 36500
MAX_NUMBER = 10**15  # exact as a double, within int64, numeric and jsonb: no store or encoder refuses it
MAX_CONDITION_VALUES = 10_000  # values of a whole condition, counting each item of in / not_in lists
MAX_CONDITION_TEXT = 100_000  # characters of all the string values of a condition together
# Values of all of a workspace's segments together: every batch with the workspace's events evaluates them all,
# and turning values into bind parameters costs the service's CPU (about a microsecond each).
MAX_WORKSPACE_VALUES = 50_000
MAX_REPORTED_PROBLEMS = 50

OPERATORS: dict[FieldType, tuple[Operator, ...]] = {
    "number": ("eq", "ne", "gt", "gte", "lt", "lte", "in", "not_in", "exists", "not_exists"),
    "text": ("eq", "ne", "in", "not_in", "contains", "exists", "not_exists"),
    "enum": ("eq", "ne", "in", "not_in", "exists", "not_exists"),
    "timestamp": ("within_last", "not_within_last", "before", "after", "exists", "not_exists"),
    "boolean": ("eq", "ne"),
    "json": OPERATOR_NAMES,
    "count": ("eq", "ne", "gt", "gte", "lt", "lte", "in", "not_in"),
}
# `events.<type>.count`: the customer's events of a type (built-in or the workspace's own, its tracking plan), all
# of them or, with the leaf's `within_last` ("7d"), those of the window, counted by whole UTC hours (the window
# starts at the top of the hour `now - within_last` falls in). Read from `event_counts` (one row per customer,
# type and hour); a customer with none counts 0, never missing.
EVENT_COUNT_FIELD = re.compile(r"events\.([a-z][a-z0-9_]{0,63})\.count")
_COUNT_DESCRIPTION = (
    "the customer's events of a type (a built-in one or the workspace's own); with `within_last` (e.g. \"7d\") "
    "those of the window, by whole UTC hours"
)

_WINDOW = re.compile(r"([1-9][0-9]{0,5})([hdw])")
_WINDOW_UNITS = {"h": dt.timedelta(hours=1), "d": dt.timedelta(days=1), "w": dt.timedelta(weeks=1)}
_RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})")


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: FieldType
    column: str  # SQL over the alias `c`: a constant of this module, never user text
    description: str
    values: tuple[str, ...] = ()  # of an enum


def _field(name: str, type_: FieldType, column: str, description: str, values: tuple[str, ...] = ()) -> FieldSpec:
    return FieldSpec(name, type_, column, description, values)


FIELDS: dict[str, FieldSpec] = {
    spec.name: spec
    for spec in (
        _field("stats.orders", "number", "c.orders", "number of orders"),
        _field("stats.revenue", "number", "c.revenue", "revenue of all purchases"),
        _field("stats.refunded", "number", "c.refunded", "amount refunded"),
        _field("stats.purchase_days", "number", "c.purchase_days", "number of UTC days with a purchase"),
        _field("stats.first_purchase_at", "timestamp", "c.first_purchase_at", "time of the first purchase"),
        _field("stats.last_purchase_at", "timestamp", "c.last_purchase_at", "time of the last purchase"),
        _field("stats.visits", "number", "c.visits", "number of visits"),
        _field("stats.last_visit_at", "timestamp", "c.last_visit_at", "time of the last visit"),
        _field("stats.open_tickets", "number", "c.open_tickets", "number of open support tickets"),
        _field("stats.last_nps", "number", "c.last_nps", "last NPS answer (0-10)"),
        _field("stats.last_csat", "number", "c.last_csat", "last CSAT answer (1-5)"),
        _field("stats.first_seen_at", "timestamp", "c.first_seen_at", "time of the customer's first event"),
        _field("scores.r", "number", "c.r", "RFM recency score (1-5, 5 = most recent)"),
        _field("scores.f", "number", "c.f", "RFM frequency score (1-5, 5 = most frequent)"),
        _field("scores.m", "number", "c.m", "RFM monetary score (1-5, 5 = highest spend)"),
        _field("scores.rfm_segment", "enum", "c.rfm_segment", "RFM segment", SEGMENTS),
        _field("scores.p_alive", "number", "c.p_alive", "probability the customer still buys (0-1)"),
        _field(
            "scores.expected_purchases_90d",
            "number",
            "c.expected_purchases_90d",
            "expected purchase days in the next 90 days",
        ),
        _field("scores.predicted_clv", "number", "c.predicted_clv", "predicted customer lifetime value"),
        _field("ltv.p10", "number", "c.clv_p10", "lower bound of the 80% interval of the predicted 12-month CLV"),
        _field("ltv.p90", "number", "c.clv_p90", "upper bound of the 80% interval of the predicted 12-month CLV"),
        _field(
            "ltv.expected_purchases_12m", "number", "c.expected_purchases_12m", "expected purchase days in 12 months"
        ),
        _field(
            "ltv.expected_purchases_12m_p10",
            "number",
            "c.expected_purchases_12m_p10",
            "lower bound of the 80% interval of purchase days in 12 months (k purchases fill [k, k+1))",
        ),
        _field(
            "ltv.expected_purchases_12m_p90",
            "number",
            "c.expected_purchases_12m_p90",
            "upper bound of the 80% interval of purchase days in 12 months (k purchases fill [k, k+1))",
        ),
        _field("scores.historical_ltv", "number", "c.historical_ltv", "revenue minus refunds so far"),
        _field("scores.churn_risk", "enum", "c.churn_risk", "churn risk band", RISK_NAMES),
        _field("scores.dormant", "boolean", "(c.dormant_since IS NOT NULL)", "marked dormant by the dormancy sweep"),
        _field("loyalty.balance", "number", "c.loyalty_balance", "loyalty points balance (the latest announced)"),
        _field("loyalty.tier", "text", "c.loyalty_tier", "loyalty tier (the latest announced), e.g. gold"),
    )
}

_TRAIT_DESCRIPTION = "a trait of the customer's profile, compared as JSON (numbers as numbers, strings as strings)"


def field_spec(name: str) -> FieldSpec | None:
    """The catalogue entry of a field name (a `traits.<name>` gets a json spec), None if unknown."""
    if name.startswith(TRAIT_PREFIX):
        trait = name[len(TRAIT_PREFIX) :]
        if TRAIT_NAME.fullmatch(trait):
            return FieldSpec(name, "json", "c.traits", _TRAIT_DESCRIPTION)
        return None
    if EVENT_COUNT_FIELD.fullmatch(name):
        return FieldSpec(name, "count", "", _COUNT_DESCRIPTION)
    return FIELDS.get(name)


def event_count_type(name: str) -> str | None:
    """The event type an `events.<type>.count` field counts; None for another field."""
    match = EVENT_COUNT_FIELD.fullmatch(name)
    return match.group(1) if match else None


def fields_catalogue() -> list[dict[str, Any]]:
    """The fields, their types and operators, for front ends that build condition editors."""
    entries: list[dict[str, Any]] = []
    for spec in FIELDS.values():
        entry: dict[str, Any] = {
            "field": spec.name,
            "type": spec.type,
            "operators": list(OPERATORS[spec.type]),
            "description": spec.description,
        }
        if spec.values:
            entry["values"] = list(spec.values)
        entries.append(entry)
    entries.append(
        {
            "field": "traits.<name>",
            "type": "json",
            "operators": list(OPERATORS["json"]),
            "description": _TRAIT_DESCRIPTION,
            "pattern": r"^traits\.[A-Za-z_][A-Za-z0-9_]{0,63}$",
        }
    )
    entries.append(
        {
            "field": "events.<type>.count",
            "type": "count",
            "operators": list(OPERATORS["count"]),
            "description": _COUNT_DESCRIPTION,
            "pattern": r"^events\.[a-z][a-z0-9_]{0,63}\.count$",
            "window": "within_last",
        }
    )
    return entries


# --- values -------------------------------------------------------------------------------------


def parse_window(text: str) -> dt.timedelta | None:
    """'30d' -> 30 days ('h' hours, 'd' days, 'w' weeks; 1 hour to 36500 days); None if not a window."""
    match = _WINDOW.fullmatch(text)
    if not match:
        return None
    window = int(match.group(1)) * _WINDOW_UNITS[match.group(2)]
    return window if window <= dt.timedelta(days=MAX_WINDOW_DAYS) else None


def parse_timestamp(text: str) -> dt.datetime | None:
    """An RFC 3339 timestamp with seconds and an offset ('2026-11-23T10:00:00Z'); None otherwise."""
    if not _RFC3339.fullmatch(text):
        return None
    normalized = text[:10] + "T" + text[11:]
    if normalized[-1] in "zZ":
        normalized = normalized[:-1] + "+00:00"
    try:
        moment = dt.datetime.fromisoformat(normalized)
        moment.astimezone(dt.UTC)  # bound with the database: "0001-01-01T00:00:00+01:00" is before year 1 in UTC
    except (ValueError, OverflowError):
        return None
    return moment


def _describe(value: object) -> str:
    if value is None:
        return "null"
    kind = {bool: "boolean", int: "number", float: "number", str: "string", list: "list", dict: "object"}
    shown = _shorten(repr(value)) if not isinstance(value, list | dict) else ""
    return f"{kind.get(type(value), type(value).__name__)} {shown}".strip()


def _shorten(text: str, most: int = 60) -> str:
    return text if len(text) <= most else f"{text[: most - 20]}...{text[-10:]} ({len(text)} characters)"


def _number_problem(value: object, expected: str) -> str | None:
    """None for a number of the range conditions compare; else what is wrong (`expected` says what was asked)."""
    if not is_number(value):
        return f"{expected} (got {_describe(value)})"
    if not -MAX_NUMBER <= value <= MAX_NUMBER:
        return f"must lie between -10^15 and 10^15, what scoring's stores hold exactly (got {_describe(value)})"
    return None


def _scalar_problem(spec: FieldSpec, value: object) -> str | None:
    """What is wrong with `value` as an eq/ne operand (or one item of an in/not_in list)."""
    if spec.type in ("number", "count"):
        return _number_problem(value, "must be a number")
    if spec.type == "boolean":
        return None if isinstance(value, bool) else f"must be true or false (got {_describe(value)})"
    if spec.type == "enum":
        if isinstance(value, str) and value in spec.values:
            return None
        return f"must be one of {', '.join(spec.values)} (got {_describe(value)})"
    if isinstance(value, str):
        if len(value) > MAX_TEXT_LENGTH:
            return f"is {len(value)} characters long; at most {MAX_TEXT_LENGTH}"
        return None
    if spec.type == "json" and isinstance(value, bool):
        return None
    if spec.type == "json" and is_number(value):
        return _number_problem(value, "must be a number")
    expected = "a string, number or boolean" if spec.type == "json" else "a string"
    return f"must be {expected} (got {_describe(value)})"


def _valid_item(spec: FieldSpec, item: object) -> bool:
    """Whether _scalar_problem finds nothing wrong with `item`, in a few operations: conditions are checked
    again on every evaluation, and a list holds up to MAX_LIST_VALUES items. (A range check is false for
    NaN and infinities too.)"""
    kind = type(item)
    if kind is int or kind is float:
        return spec.type in ("number", "json", "count") and -MAX_NUMBER <= item <= MAX_NUMBER  # type: ignore[operator]
    if kind is str:
        if spec.type == "enum":
            return item in spec.values
        return spec.type in ("text", "json") and len(item) <= MAX_TEXT_LENGTH  # type: ignore[arg-type]
    return kind is bool and spec.type in ("boolean", "json")


def _value_problems(spec: FieldSpec, op: Operator, value: object, present: bool) -> list[tuple[str, str]]:
    """(path suffix after `.value`, message) of each problem of `value` for `op` on `spec`."""
    if op in ("exists", "not_exists"):
        return [] if value is None else [("", f"{op} takes no value (got {_describe(value)})")]
    if not present or value is None:
        return [("", f"{op} needs a value")]
    if op in ("in", "not_in"):
        if not isinstance(value, list):
            return [("", f"{op} needs a list of values (got {_describe(value)})")]
        if not value:
            return [("", f"{op} needs at least one value")]
        if len(value) > MAX_LIST_VALUES:
            return [("", f"has {len(value)} values; at most {MAX_LIST_VALUES}")]
        if all(_valid_item(spec, item) for item in value):  # the usual case, at a fraction of the cost
            return []
        return [(f"[{i}]", p) for i, item in enumerate(value) if (p := _scalar_problem(spec, item))]
    if op in ("eq", "ne"):
        problem = _scalar_problem(spec, value)
    elif op in COMPARISONS:
        problem = _number_problem(value, f"{op} needs a number")
    elif op == "contains":
        if not isinstance(value, str) or not value:
            problem = f"contains needs a non-empty string (got {_describe(value)})"
        else:
            problem = _scalar_problem(spec, value)
    elif op in ("within_last", "not_within_last"):
        if not isinstance(value, str) or parse_window(value) is None:
            problem = (
                f'{op} needs a time window like "30d", "12h" or "2w" (hours, days, weeks; at most '
                f"{MAX_WINDOW_DAYS} days) (got {_describe(value)})"
            )
        else:
            problem = None
    elif not isinstance(value, str) or parse_timestamp(value) is None:  # before / after
        problem = (
            f'{op} needs an RFC 3339 timestamp like "2026-11-23T10:00:00Z", in UTC between years 1 and 9999 '
            f"(got {_describe(value)})"
        )
    else:
        problem = None
    return [("", problem)] if problem else []


def leaf_problems(
    field: object, op: object, value: object, present: bool = True, within_last: object = None
) -> list[tuple[str, str]]:
    """(key, message) of each problem of a leaf: key is 'field', 'op', 'value' plus any '[i]', or 'within_last'
    (the window of an event count)."""
    problems = _leaf_problems(field, op, value, present)
    if within_last is None:
        return problems
    if not isinstance(field, str) or event_count_type(field) is None:
        return [*problems, ("within_last", "only an event count (events.<type>.count) takes a window")]
    if not isinstance(within_last, str) or parse_window(within_last) is None:
        message = (
            f'needs a time window like "30d", "12h" or "2w" (hours, days, weeks; at most {MAX_WINDOW_DAYS} days) '
            f"(got {_describe(within_last)})"
        )
        return [*problems, ("within_last", message)]
    return problems


def _leaf_problems(field: object, op: object, value: object, present: bool) -> list[tuple[str, str]]:
    if not isinstance(field, str):
        return [("field", f"must be a field name (got {_describe(field)})")]
    spec = field_spec(field)
    if spec is None:
        if field.startswith(TRAIT_PREFIX):
            message = "a trait name is a letter or _, then up to 63 letters, digits or _"
        else:
            message = (
                "unknown field; see the field catalogue: stats.*, scores.*, ltv.*, loyalty.*, traits.<name> or "
                "events.<type>.count"
            )
        return [("field", f"{message} (got {field!r})")]
    if not isinstance(op, str) or op not in OPERATOR_NAMES:
        return [("op", f"must be one of {', '.join(OPERATORS[spec.type])} (got {_describe(op)})")]
    allowed = OPERATORS[spec.type]
    if op not in allowed:
        return [("op", f"{op} does not apply to {field} ({spec.type}); use one of {', '.join(allowed)}")]
    return [("value" + suffix, message) for suffix, message in _value_problems(spec, op, value, present)]


# --- the condition tree ---------------------------------------------------------------------------


class SegmentLeaf(ConditionLeaf):
    """A segment's leaf: the grammar's, checked against the field catalogue and the segments' budgets; an event
    count (`events.<type>.count`) may take a window, `within_last` (e.g. "7d")."""

    within_last: str | None = None

    @model_validator(mode="after")
    def _valid(self) -> SegmentLeaf:
        problems = leaf_problems(self.field, self.op, self.value, within_last=self.within_last)
        if problems:
            raise ValueError("; ".join(f"{key}: {message}" for key, message in problems))
        return self


Condition: TypeAlias = ConditionNode[SegmentLeaf]
# The grammar's composites of segments' leaves (an isinstance test takes the grammar's classes themselves).
AllOf = grammar.AllOf[SegmentLeaf]
AnyOf = grammar.AnyOf[SegmentLeaf]
NotOf = grammar.NotOf[SegmentLeaf]


def condition_size(doc: object) -> tuple[int, int]:
    """(leaves, values) of a condition document taken as valid (e.g. as stored), read without parsing it: a
    value is a scalar or an item of an in / not_in list."""
    leaves = values = 0
    stack = [doc]
    while stack:
        node = stack.pop()
        if not isinstance(node, dict):
            continue
        children = node.get("all") or node.get("any")
        if isinstance(children, list):
            stack.extend(children)
        elif "not" in node:
            stack.append(node["not"])
        else:
            leaves += 1
            value = node.get("value")
            values += len(value) if isinstance(value, list) else value is not None
    return leaves, values


def condition_json(condition: Condition) -> dict[str, Any]:
    """The JSON document of a condition, as stored in `segments.condition`."""
    doc: dict[str, Any] = condition.model_dump(mode="json", by_alias=True, exclude_none=True)
    return doc


class InvalidCondition(ValueError):
    """`errors`: [{"field": "condition.all[1].value", "message": "..."}, ...], the problems found (at most
    MAX_REPORTED_PROBLEMS of the nodes, then the condition's totals)."""

    def __init__(self, errors: list[dict[str, str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{e['field']}: {e['message']}" for e in errors))


class _Parser:
    def __init__(self) -> None:
        self.errors: list[dict[str, str]] = []
        self.unreported = 0
        self.leaves = 0
        self.values = 0  # of valid leaves: a scalar counts 1, a list its items
        self.text = 0  # characters of valid leaves' strings

    def error(self, path: str, message: str) -> None:
        if len(self.errors) < MAX_REPORTED_PROBLEMS:
            self.errors.append({"field": path, "message": message})
        else:
            self.unreported += 1

    def totals_problems(self) -> list[dict[str, str]]:
        """What no single node shows: the condition's size as a whole, and the problems not listed."""
        problems = []
        if self.leaves > MAX_LEAVES:
            problems.append(f"has {self.leaves} leaf conditions; at most {MAX_LEAVES}")
        if self.values > MAX_CONDITION_VALUES:
            problems.append(
                f"holds {self.values} values in all (each item of an in / not_in list counts); "
                f"at most {MAX_CONDITION_VALUES}"
            )
        if self.text > MAX_CONDITION_TEXT:
            problems.append(f"its strings hold {self.text} characters in all; at most {MAX_CONDITION_TEXT}")
        if self.unreported:
            problems.append(f"{self.unreported} more problems not listed (the first {MAX_REPORTED_PROBLEMS} are)")
        return [{"field": "condition", "message": message} for message in problems]

    def node(self, doc: object, path: str, depth: int) -> Condition | None:
        if not isinstance(doc, dict):
            self.error(
                path, f"must be an object: a condition {{field, op, value}} or all / any / not (got {_describe(doc)})"
            )
            return None
        if depth > MAX_DEPTH:
            self.error(path, f"nested deeper than {MAX_DEPTH} levels")
            return None
        composites = [key for key in ("all", "any", "not") if key in doc]
        if composites:
            if len(doc) != 1:
                others = ", ".join(str(key) for key in doc if key != composites[0])
                self.error(path, f"a composite has exactly one key, {composites[0]} (also got: {others})")
                return None
            key = composites[0]
            if key == "not":
                inner = self.node(doc["not"], f"{path}.not", depth + 1)
                return None if inner is None else NotOf.model_validate({"not": inner})
            return self.composite(key, doc[key], f"{path}.{key}", depth)
        return self.leaf(doc, path)

    def composite(self, key: str, items: object, path: str, depth: int) -> Condition | None:
        if not isinstance(items, list) or not items:
            self.error(path, f"{key} needs a non-empty list of conditions (got {_describe(items)})")
            return None
        if len(items) > MAX_LEAVES:
            self.error(path, f"has {len(items)} conditions; at most {MAX_LEAVES} leaves in all")
            return None
        children = [self.node(item, f"{path}[{i}]", depth + 1) for i, item in enumerate(items)]
        if any(child is None for child in children):
            return None
        model = AllOf if key == "all" else AnyOf
        return model.model_validate({key: children})

    def leaf(self, doc: dict[Any, Any], path: str) -> Condition | None:
        self.leaves += 1
        unknown = [key for key in doc if key not in ("field", "op", "value", "within_last")]
        for key in unknown:
            self.error(
                f"{path}.{key}",
                "unknown key; a condition has field, op and value (and an event count within_last), or is all / any / "
                "not",
            )
        if "field" not in doc:
            self.error(f"{path}.field", "required")
        if "op" not in doc:
            self.error(f"{path}.op", "required")
        if unknown or "field" not in doc or "op" not in doc:
            return None
        problems = leaf_problems(doc["field"], doc["op"], doc.get("value"), "value" in doc, doc.get("within_last"))
        for key, message in problems:
            self.error(f"{path}.{key}", message)
        if problems:
            return None
        value = doc.get("value")
        items = value if isinstance(value, list) else [] if value is None else [value]
        self.values += len(items)
        self.text += sum(len(item) for item in items if isinstance(item, str))
        return SegmentLeaf.model_validate(doc)


def parse_condition(doc: object) -> Condition:
    """Validate a condition document (decoded JSON); raises InvalidCondition listing the problems."""
    if isinstance(doc, SegmentLeaf | grammar.AllOf | grammar.AnyOf | grammar.NotOf):
        doc = condition_json(doc)
    parser = _Parser()
    condition = parser.node(doc, "condition", 1)
    errors = parser.errors + parser.totals_problems()
    if errors or condition is None:
        raise InvalidCondition(errors or [{"field": "condition", "message": "invalid"}])
    return condition
