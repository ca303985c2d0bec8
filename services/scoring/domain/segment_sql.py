"""Segment conditions as SQL: a boolean expression over the alias `c` (a row of `customers`).

Column names come only from the catalogue (segments.py) and a trait name, like every value, is a bind
parameter: no user text is ever part of the SQL. What each operator means is the grammar's
(contracts/conditions.py, traits read as TRAIT_READING), the same as journeys' evaluation in memory.
`compile_membership_query` evaluates all of a
workspace's segments in one query (see its docstring for the contract).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Literal

import orjson

from contracts.conditions import CASE_FOLD_COLLATION, TRAIT_PREFIX, AllOf, AnyOf, NotOf
from services.scoring.domain.segments import (
    Condition,
    FieldSpec,
    FieldType,
    InvalidCondition,
    SegmentLeaf,
    event_count_type,
    field_spec,
    leaf_problems,
    parse_timestamp,
    parse_window,
)

PgType = Literal["numeric", "numeric[]", "text", "text[]", "boolean", "timestamptz", "float8"]


class SqlParams:
    """Bind parameters of compiled SQL: `values[i]` is `$(offset + i + 1)`, ready for asyncpg
    (Decimal for numeric, str, list, bool, aware datetime, float).

    "now" for time windows is either a value of its own (`now=`, added once when first used) or a
    parameter the caller binds (`now_param=3` makes it `$3`). Equal values of one type share a
    parameter.
    """

    def __init__(self, now: dt.datetime | None = None, *, offset: int = 0, now_param: int | None = None) -> None:
        if now is not None and now.utcoffset() is None:
            raise ValueError("now must be an aware datetime")
        if now is not None and now_param is not None:
            raise ValueError("give now or now_param, not both")
        self.offset = offset
        self.values: list[object] = []
        self._now = now
        self._now_param = now_param
        self._seen: dict[tuple[str, str, str], str] = {}

    def add(self, value: object, pg_type: PgType) -> str:
        """The placeholder of `value`, e.g. '$4::numeric'."""
        key = (pg_type, type(value).__name__, repr(value))
        if key not in self._seen:
            self.values.append(value)
            self._seen[key] = f"${self.offset + len(self.values)}::{pg_type}"
        return self._seen[key]

    def now(self) -> str:
        if self._now_param is not None:
            return f"${self._now_param}::timestamptz"
        if self._now is None:
            raise ValueError("this condition has a time window: SqlParams needs now")
        return self.add(self._now, "timestamptz")


def _json_text(value: object) -> str:
    return orjson.dumps(value).decode()


def _decimal(value: object) -> Decimal:
    return Decimal(str(value))


def _true(expression: str) -> str:
    """NULL (a missing value) is false."""
    return f"COALESCE({expression}, false)"


def _lowered(text: str) -> str:
    """lower() of every script, as contracts.conditions.lowered (the databases' C locale lower-cases ASCII only)."""
    return f"lower({text} COLLATE {CASE_FOLD_COLLATION})"


def _any_element(trait: str, predicate: str) -> str:
    """`predicate` (over `{v}`) of a trait's value or, for a list, of any of its elements: a list stands for
    its elements (contracts/conditions.py)."""
    each, whole = predicate.replace("{v}", "e.v"), predicate.replace("{v}", trait)
    # Only the trait's accessor, constants of this module and placeholders are part of the text.
    return (
        f"(CASE WHEN jsonb_typeof({trait}) = 'array'"  # noqa: S608
        f" THEN EXISTS (SELECT 1 FROM jsonb_array_elements({trait}) AS e(v) WHERE {each})"
        f" ELSE {whole} END)"
    )


_SQL_COMPARISON = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}
_COLUMN_TYPES: dict[FieldType, PgType] = {
    "number": "numeric",
    "text": "text",
    "enum": "text",
    "timestamp": "timestamptz",
    "boolean": "boolean",
}
# A string trait as timestamptz when it reads as one (else NULL): with an offset as given, without as
# UTC. The regular expressions come first so that no input can make a cast fail (CASE evaluates in
# order); pg_input_is_valid catches the rest (e.g. month 13).
_TRAIT_TIME = (
    "CASE WHEN jsonb_typeof({t}) <> 'string' THEN NULL"
    " WHEN ({s}) ~ '^\\d{{4}}-\\d{{2}}-\\d{{2}}([T ]\\d{{2}}:\\d{{2}}(:\\d{{2}}(\\.\\d{{1,6}})?)?)?$'"
    " AND pg_input_is_valid({s}, 'timestamp') THEN timezone('UTC', ({s})::timestamp)"
    " WHEN ({s}) ~ '^\\d{{4}}-\\d{{2}}-\\d{{2}}[T ]\\d{{2}}:\\d{{2}}(:\\d{{2}}(\\.\\d{{1,6}})?)?"
    "(Z|[+-]\\d{{2}}(:\\d{{2}})?)$'"
    " AND pg_input_is_valid({s}, 'timestamptz') THEN ({s})::timestamptz END"
)


def _time_leaf(leaf: SegmentLeaf, subject: str, params: SqlParams) -> str:
    if leaf.op in ("within_last", "not_within_last"):
        assert isinstance(leaf.value, str)
        window = parse_window(leaf.value)
        assert window is not None
        seconds = params.add(window.total_seconds(), "float8")
        within = _true(f"{subject} >= {params.now()} - make_interval(secs => {seconds})")
        return within if leaf.op == "within_last" else f"(NOT {within})"
    assert isinstance(leaf.value, str)
    moment = parse_timestamp(leaf.value)
    assert moment is not None
    return _true(f"{subject} {'<' if leaf.op == 'before' else '>'} {params.add(moment, 'timestamptz')}")


def _column_leaf(spec: FieldSpec, leaf: SegmentLeaf, params: SqlParams) -> str:
    column, op, value = spec.column, leaf.op, leaf.value
    pg_type = _COLUMN_TYPES[spec.type]

    def bind(v: object) -> str:
        return params.add(_decimal(v) if pg_type == "numeric" else v, pg_type)

    if op == "exists":
        return f"({column} IS NOT NULL)"
    if op == "not_exists":
        return f"({column} IS NULL)"
    if op == "eq":
        return _true(f"{column} = {bind(value)}")
    if op == "ne":
        return f"({column} IS DISTINCT FROM {bind(value)})"
    if op in _SQL_COMPARISON:
        return _true(f"{column} {_SQL_COMPARISON[op]} {bind(value)}")
    if op in ("in", "not_in"):
        assert isinstance(value, list)
        items = [_decimal(v) for v in value] if pg_type == "numeric" else list(value)
        member = _true(f"{column} = ANY({params.add(items, 'numeric[]' if pg_type == 'numeric' else 'text[]')})")
        return member if op == "in" else f"(NOT {member})"
    if op == "contains":
        return _true(f"strpos({_lowered(column)}, {_lowered(params.add(value, 'text'))}) > 0")
    return _time_leaf(leaf, column, params)


def _trait_leaf(spec: FieldSpec, leaf: SegmentLeaf, params: SqlParams) -> str:
    key = params.add(spec.name[len(TRAIT_PREFIX) :], "text")
    trait, text = f"(c.traits -> {key})", f"(c.traits ->> {key})"
    op, value = leaf.op, leaf.value
    # A list stands for its elements (contracts/conditions.py), which jsonb containment says in few words:
    # a list contains a scalar when one of its elements equals it (numbers by value, a nested list is not
    # looked into), a scalar when it equals it; and `[null]` contains exactly the lists of nothing but nulls
    # (and null), the values that do not exist.
    if op in ("exists", "not_exists"):
        exists = _true(f"NOT ({trait} <@ jsonb_build_array(NULL))")
        return exists if op == "exists" else f"(NOT {exists})"
    if op in ("eq", "ne"):
        equal = _true(f"{trait} @> ({params.add(_json_text(value), 'text')})::jsonb")
        return equal if op == "eq" else f"(NOT {equal})"
    if op in ("in", "not_in"):
        assert isinstance(value, list)
        items = params.add([_json_text(v) for v in value], "text[]")
        member = _true(f"{trait} @> ANY(({items})::jsonb[])")
        return member if op == "in" else f"(NOT {member})"
    if op in _SQL_COMPARISON:
        # jsonb ordering compares numbers numerically and never fails; the type test keeps strings,
        # which jsonb orders below numbers, from matching `lt` (a string trait is never a number).
        operand = f"({params.add(_json_text(value), 'text')})::jsonb"
        compared = f"jsonb_typeof({{v}}) = 'number' AND {{v}} {_SQL_COMPARISON[op]} {operand}"
        return _true(_any_element(trait, compared))
    if op == "contains":
        # A string only: contains does not look into a trait's list (contracts/conditions.py). Written tight:
        # a segment may hold 100 of these, and the statement cache counts characters.
        needle = params.add(value, "text")
        return _true(f"jsonb_typeof{trait}='string' AND strpos({_lowered(text)},{_lowered(needle)})>0")
    return _time_leaf(leaf, "(" + _TRAIT_TIME.format(t=trait, s=text) + ")", params)


def _count_leaf(leaf: SegmentLeaf, params: SqlParams) -> str:
    """`events.<type>.count` (segments.py): the customer's rows of `event_counts` of the type (in the window, by
    whole UTC hours), summed; 0 without any. The primary key (workspace, customer, type, hour) serves it."""
    event_type = event_count_type(leaf.field)
    assert event_type is not None
    window = ""
    if leaf.within_last is not None:
        span = parse_window(leaf.within_last)
        assert span is not None
        seconds = params.add(span.total_seconds(), "float8")
        window = f" AND e.hour >= date_trunc('hour', {params.now()} - make_interval(secs => {seconds}), 'UTC')"
    count = (
        "(SELECT coalesce(sum(e.events), 0) FROM event_counts e WHERE e.workspace = c.workspace"  # noqa: S608
        f" AND e.customer_id = c.customer_id AND e.type = {params.add(event_type, 'text')}{window})"
    )
    op, value = leaf.op, leaf.value
    if op in ("in", "not_in"):
        assert isinstance(value, list)
        member = f"({count} = ANY({params.add([_decimal(v) for v in value], 'numeric[]')}))"
        return member if op == "in" else f"(NOT {member})"
    operator = "<>" if op == "ne" else "=" if op == "eq" else _SQL_COMPARISON[op]
    return f"({count} {operator} {params.add(_decimal(value), 'numeric')})"


def compile_condition(condition: Condition, params: SqlParams) -> str:
    """A boolean SQL expression (never NULL) over the alias `c` of `customers`; values go to `params`."""
    if isinstance(condition, AllOf):
        return "(" + " AND ".join(compile_condition(child, params) for child in condition.all) + ")"
    if isinstance(condition, AnyOf):
        return "(" + " OR ".join(compile_condition(child, params) for child in condition.any) + ")"
    if isinstance(condition, NotOf):
        return f"(NOT {compile_condition(condition.not_, params)})"
    # A SegmentLeaf is validated when built; this guards models made with model_construct all the same.
    problems = leaf_problems(condition.field, condition.op, condition.value, within_last=condition.within_last)
    spec = field_spec(condition.field)
    if problems or spec is None:
        raise InvalidCondition([{"field": f"condition.{key}", "message": message} for key, message in problems])
    if spec.type == "json":
        return _trait_leaf(spec, condition, params)
    if spec.type == "count":
        return _count_leaf(condition, params)
    return _column_leaf(spec, condition, params)


MEMBERSHIP_PARAMS = 3  # $1 workspace, $2 customer ids, $3 now
MAX_BIND_PARAMETERS = 32_767  # asyncpg's limit for one statement; past it a query cannot even be sent


def segment_parameters(condition: Condition) -> int:
    """At most how many bind parameters one segment takes in compile_membership_query: its id, and per leaf a
    value and a trait's name or an event count's type and window (equal values share one, and `now` is the
    query's own $3)."""
    return 1 + 3 * leaf_count(condition)


def leaf_count(condition: Condition) -> int:
    """How many leaves a condition has (what its evaluation costs grows with them)."""
    if isinstance(condition, AllOf):
        return sum(leaf_count(child) for child in condition.all)
    if isinstance(condition, AnyOf):
        return sum(leaf_count(child) for child in condition.any)
    if isinstance(condition, NotOf):
        return leaf_count(condition.not_)
    return 1


def compile_membership_query(segments: Sequence[tuple[str, Condition]]) -> tuple[str, list[object]]:
    """One query evaluating every given segment for a workspace's customers.

    Returns (sql, values). Execute as `conn.fetch(sql, workspace, customer_ids, now, *values)`:
    - `$1` text: the workspace;
    - `$2` text[]: the customer ids to evaluate, or None for all of the workspace's customers
      (ids without a row are left out; an empty list gives no rows);
    - `$3` timestamptz: "now" for the time windows (an aware datetime; None gives no rows);
    - `$4`... : `values`, the conditions' own values and the segment ids.
    Rows: `customer_id` text and `segment_ids` text[], the ids of the segments the customer is a
    member of, in the order given (empty when none), one row per customer in scope, in no particular
    order. Each scope is its own branch of a UNION ALL so that a prepared (generic) plan still uses
    the primary key for a list of ids.
    """
    params = SqlParams(offset=MEMBERSHIP_PARAMS, now_param=3)
    cases = []
    for segment_id, condition in segments:
        expression = compile_condition(condition, params)
        cases.append(f"CASE WHEN {expression} THEN {params.add(segment_id, 'text')} END")
    matched = f"array_remove(ARRAY[{', '.join(cases)}]::text[], NULL)" if cases else "ARRAY[]::text[]"
    # Only catalogue columns, constants of this module and placeholders are part of the text.
    sql = (
        f"SELECT c.customer_id, {matched} AS segment_ids\n"  # noqa: S608
        "FROM (\n"
        "    SELECT * FROM customers WHERE workspace = $1::text AND $2::text[] IS NULL\n"
        "    UNION ALL\n"
        "    SELECT * FROM customers WHERE workspace = $1::text AND customer_id = ANY($2::text[])\n"
        ") AS c\n"
        "WHERE $3::timestamptz IS NOT NULL"
    )
    return sql, params.values
