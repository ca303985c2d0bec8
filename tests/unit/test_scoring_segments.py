"""Dynamic segment conditions: parsing with pointed errors, the field catalogue and SQL with bind parameters only."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pydantic
import pytest

from contracts.conditions import MAX_DEPTH, MAX_LEAVES, MAX_LIST_VALUES, AllOf
from services.scoring.domain.segment_sql import (
    SqlParams,
    compile_condition,
    compile_membership_query,
    leaf_count,
    segment_parameters,
)
from services.scoring.domain.segments import (
    FIELDS,
    MAX_CONDITION_TEXT,
    MAX_CONDITION_VALUES,
    MAX_NUMBER,
    MAX_REPORTED_PROBLEMS,
    InvalidCondition,
    NotOf,
    SegmentLeaf,
    condition_json,
    fields_catalogue,
    parse_condition,
    parse_timestamp,
    parse_window,
)

MIGRATION = Path(__file__).resolve().parents[2] / "services/scoring/migrations/0001_scoring.sql"
NOW = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)

EXAMPLE: dict[str, Any] = {
    "all": [
        {"field": "stats.orders", "op": "gte", "value": 2},
        {
            "any": [
                {"field": "traits.city", "op": "in", "value": ["Berlin", "Paris"]},
                {"not": {"field": "scores.churn_risk", "op": "eq", "value": "high"}},
            ]
        },
        {"field": "stats.last_purchase_at", "op": "within_last", "value": "30d"},
    ]
}


def errors_of(doc: object) -> list[dict[str, str]]:
    with pytest.raises(InvalidCondition) as caught:
        parse_condition(doc)
    return caught.value.errors


def leaf(field: str, op: str, value: Any = None) -> dict[str, Any]:
    return {"field": field, "op": op} | ({} if value is None else {"value": value})


# --- parsing --------------------------------------------------------------------------------------

VALID = [
    EXAMPLE,
    leaf("stats.revenue", "gt", 99.5),
    leaf("stats.last_nps", "in", [0, 1, 2]),
    leaf("stats.last_csat", "not_exists"),
    leaf("stats.first_seen_at", "before", "2026-01-01T00:00:00Z"),
    leaf("stats.last_visit_at", "after", "2026-01-01T00:00:00.5+02:00"),
    leaf("stats.last_visit_at", "not_within_last", "12h"),
    leaf("stats.first_purchase_at", "within_last", "2w"),
    leaf("scores.rfm_segment", "in", ["Champions", "Can't Lose Them"]),
    leaf("scores.dormant", "eq", True),
    leaf("scores.churn_risk", "ne", "low"),
    leaf("traits.plan", "eq", "pro"),
    leaf("traits.age", "lte", 40),
    leaf("traits.vip", "eq", False),
    leaf("traits.tags", "in", ["a", 1, True]),
    leaf("traits.name", "contains", "ada"),
    leaf("traits.signup", "within_last", "30d"),
    leaf("traits._x9", "exists"),
    {"not": {"any": [leaf("stats.visits", "eq", 0), leaf("stats.open_tickets", "gte", 1)]}},
]


@pytest.mark.parametrize("doc", VALID)
def test_valid_conditions_parse_and_round_trip(doc: dict[str, Any]) -> None:
    condition = parse_condition(doc)
    assert condition_json(condition) == doc
    assert parse_condition(condition) == condition


def test_the_tree_is_made_of_pydantic_models() -> None:
    condition = parse_condition(EXAMPLE)
    assert isinstance(condition, AllOf)
    assert isinstance(condition.all[0], SegmentLeaf) and condition.all[0].value == 2
    adapter: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(type(condition))
    assert adapter.validate_python(EXAMPLE) == condition
    assert NotOf.model_validate({"not": EXAMPLE}).not_ == condition


def test_the_models_check_fields_operators_and_values_too() -> None:
    with pytest.raises(pydantic.ValidationError, match="unknown field"):
        SegmentLeaf(field="stats.nope", op="eq", value=1)
    with pytest.raises(pydantic.ValidationError, match="needs a number"):
        SegmentLeaf(field="stats.orders", op="gt", value="1")


@pytest.mark.parametrize(
    ("doc", "path", "message"),
    [
        ("all", "condition", "must be an object"),
        ([], "condition", "must be an object"),
        ({"op": "eq", "value": 1}, "condition.field", "required"),
        ({"all": []}, "condition.all", "non-empty list"),
        ({"any": {"field": "stats.orders"}}, "condition.any", "non-empty list"),
        ({"not": [leaf("stats.orders", "exists")]}, "condition.not", "must be an object"),
        ({"all": [leaf("stats.orders", "exists")], "op": "eq"}, "condition", "exactly one key"),
        ({"field": "stats.orders", "op": "eq", "value": 1, "extra": 1}, "condition.extra", "unknown key"),
        ({"field": "stats.orders", "value": 1}, "condition.op", "required"),
        (leaf("stats.nope", "eq", 1), "condition.field", "unknown field"),
        (leaf("orders", "eq", 1), "condition.field", "unknown field"),
        ({"field": 3, "op": "eq", "value": 1}, "condition.field", "must be a field name"),
        (leaf("traits.9lives", "eq", 1), "condition.field", "trait name"),
        (leaf("traits.a-b", "eq", 1), "condition.field", "trait name"),
        (leaf("traits." + "x" * 65, "eq", 1), "condition.field", "trait name"),
        (leaf("stats.orders", "equals", 1), "condition.op", "must be one of eq, ne"),
        (leaf("stats.orders", "contains", "1"), "condition.op", "contains does not apply to stats.orders (number)"),
        (leaf("stats.last_purchase_at", "gt", 1), "condition.op", "does not apply"),
        (leaf("scores.dormant", "exists"), "condition.op", "does not apply"),
        (leaf("stats.orders", "eq"), "condition.value", "eq needs a value"),
        (leaf("stats.orders", "eq", "2"), "condition.value", "must be a number (got string '2')"),
        (leaf("stats.orders", "eq", True), "condition.value", "must be a number (got boolean True)"),
        (leaf("stats.orders", "eq", float("inf")), "condition.value", "must be a number"),
        (leaf("stats.orders", "in", 2), "condition.value", "needs a list"),
        (leaf("stats.orders", "in", []), "condition.value", "at least one value"),
        (leaf("stats.orders", "in", [1, "2"]), "condition.value[1]", "must be a number"),
        (leaf("stats.orders", "exists", 1), "condition.value", "exists takes no value"),
        (leaf("scores.churn_risk", "eq", "severe"), "condition.value", "must be one of low, medium, high"),
        (leaf("scores.rfm_segment", "in", ["Champions", "VIP"]), "condition.value[1]", "must be one of Champions"),
        (leaf("scores.dormant", "eq", "yes"), "condition.value", "must be true or false"),
        (leaf("stats.last_visit_at", "within_last", "30"), "condition.value", "time window"),
        (leaf("stats.last_visit_at", "within_last", "30m"), "condition.value", "time window"),
        (leaf("stats.last_visit_at", "within_last", "0d"), "condition.value", "time window"),
        (leaf("stats.last_visit_at", "within_last", "5300w"), "condition.value", "time window"),
        (leaf("stats.last_visit_at", "before", "2026-01-01"), "condition.value", "RFC 3339"),
        (leaf("stats.last_visit_at", "before", "2026-01-01T00:00:00"), "condition.value", "RFC 3339"),
        (leaf("stats.last_visit_at", "after", "2026-02-30T00:00:00Z"), "condition.value", "RFC 3339"),
        (leaf("traits.age", "gt", "30"), "condition.value", "gt needs a number"),
        (leaf("traits.tags", "eq", ["a"]), "condition.value", "must be a string, number or boolean (got list)"),
        (leaf("traits.tags", "in", [{"a": 1}]), "condition.value[0]", "must be a string, number or boolean"),
        (leaf("traits.name", "contains", ""), "condition.value", "non-empty string"),
        (leaf("traits.name", "eq", "x" * 1001), "condition.value", "at most 1000"),
    ],
)
def test_each_problem_points_at_its_node(doc: object, path: str, message: str) -> None:
    errors = errors_of(doc)
    assert [e["field"] for e in errors] == [path]
    assert message in errors[0]["message"]


def test_an_empty_object_lacks_field_and_op() -> None:
    assert errors_of({}) == [
        {"field": "condition.field", "message": "required"},
        {"field": "condition.op", "message": "required"},
    ]


def test_errors_in_nested_nodes_carry_their_full_path_and_all_are_reported() -> None:
    doc = {
        "all": [
            leaf("stats.orders", "gte", 2),
            {"any": [leaf("traits.city", "in", "Berlin"), {"not": leaf("scores.churn_risk", "eq", "HIGH")}]},
            leaf("stats.nope", "eq", 1),
        ]
    }
    errors = errors_of(doc)
    assert [e["field"] for e in errors] == [
        "condition.all[1].any[0].value",
        "condition.all[1].any[1].not.value",
        "condition.all[2].field",
    ]
    with pytest.raises(InvalidCondition, match=r"condition\.all\[2\]\.field: unknown field"):
        parse_condition(doc)


def test_limits() -> None:
    deep: dict[str, Any] = leaf("stats.orders", "exists")
    for _ in range(MAX_DEPTH - 1):
        deep = {"not": deep}
    parse_condition(deep)
    errors = errors_of({"not": deep})
    assert errors[0]["field"] == "condition" + ".not" * MAX_DEPTH
    assert "deeper than" in errors[0]["message"]

    parse_condition({"all": [leaf("stats.orders", "exists")] * MAX_LEAVES})
    assert errors_of({"all": [leaf("stats.orders", "exists")] * (MAX_LEAVES + 1)})[0]["field"] == "condition.all"
    half = [leaf("stats.orders", "exists")] * (MAX_LEAVES // 2 + 1)
    errors = errors_of({"any": [{"all": half}, {"all": half}]})
    assert errors == [{"field": "condition", "message": f"has {len(half) * 2} leaf conditions; at most {MAX_LEAVES}"}]

    parse_condition(leaf("traits.n", "in", list(range(MAX_LIST_VALUES))))
    assert "at most" in errors_of(leaf("traits.n", "in", list(range(MAX_LIST_VALUES + 1))))[0]["message"]


@pytest.mark.parametrize(
    ("doc", "path"),
    [
        (leaf("stats.orders", "gt", MAX_NUMBER + 1), "condition.value"),
        (leaf("stats.orders", "eq", 2**63), "condition.value"),
        (leaf("scores.p_alive", "lt", 10**400), "condition.value"),  # no float holds it: math.isfinite would raise
        (leaf("stats.revenue", "lte", -1e16), "condition.value"),
        (leaf("stats.revenue", "not_in", [1, 2, 10**20]), "condition.value[2]"),
        (leaf("traits.n", "gte", 1e300), "condition.value"),
        (leaf("traits.n", "in", ["a", -(2**64)]), "condition.value[1]"),
        (leaf("traits.n", "ne", 10**16), "condition.value"),
    ],
)
def test_numbers_are_bounded_to_what_every_store_holds(doc: dict[str, Any], path: str) -> None:
    (error,) = errors_of(doc)
    assert error["field"] == path
    assert "between -10^15 and 10^15" in error["message"]


def test_numbers_within_the_bounds_are_taken() -> None:
    for value in (MAX_NUMBER, -MAX_NUMBER, 1e15, 5e-324, 0, -0.5):
        parse_condition(leaf("stats.revenue", "gte", value))
        parse_condition(leaf("traits.n", "eq", value))


@pytest.mark.parametrize(
    "text",
    ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-00:01", "10000-01-01T00:00:00Z"],
)
def test_timestamps_outside_years_1_to_9999_in_utc_are_refused(text: str) -> None:
    assert parse_timestamp(text) is None
    (error,) = errors_of(leaf("stats.last_visit_at", "before", text))
    assert "years 1 and 9999" in error["message"]


def test_timestamps_at_the_ends_of_the_range_are_taken() -> None:
    assert parse_timestamp("0001-01-01T00:00:00Z") == dt.datetime(1, 1, 1, tzinfo=dt.UTC)
    assert parse_timestamp("9999-12-31T23:59:59+00:00") is not None


def test_a_condition_is_budgeted_as_a_whole() -> None:
    lists = [leaf(f"traits.t{n}", "in", list(range(MAX_LIST_VALUES))) for n in range(MAX_CONDITION_VALUES // 1000)]
    parse_condition({"all": lists})
    (error,) = errors_of({"all": [*lists, leaf("traits.x", "eq", 1)]})
    assert error == {
        "field": "condition",
        "message": f"holds {MAX_CONDITION_VALUES + 1} values in all (each item of an in / not_in list counts); "
        f"at most {MAX_CONDITION_VALUES}",
    }

    words = [leaf(f"traits.t{n}", "in", [f"{k:050}" for k in range(1000)]) for n in range(MAX_CONDITION_TEXT // 50_000)]
    parse_condition({"any": words})
    (error,) = errors_of({"any": [*words, leaf("traits.x", "eq", "y")]})
    assert error["message"] == f"its strings hold {MAX_CONDITION_TEXT + 1} characters in all; at most 100000"


def test_only_the_first_problems_are_listed() -> None:
    errors = errors_of(leaf("stats.orders", "in", ["x"] * 120))
    assert len(errors) == MAX_REPORTED_PROBLEMS + 1
    assert errors[:2] == [
        {"field": "condition.value[0]", "message": "must be a number (got string 'x')"},
        {"field": "condition.value[1]", "message": "must be a number (got string 'x')"},
    ]
    assert errors[-1] == {"field": "condition", "message": "70 more problems not listed (the first 50 are)"}


def test_a_huge_value_is_shown_shortened_in_its_problem() -> None:
    (error,) = errors_of(leaf("stats.orders", "eq", 10**400))
    assert len(error["message"]) < 200 and "(401 characters)" in error["message"]


def test_value_parsers() -> None:
    assert parse_window("12h") == dt.timedelta(hours=12)
    assert parse_window("30d") == dt.timedelta(days=30)
    assert parse_window("2w") == dt.timedelta(days=14)
    assert parse_window("36500d") is not None and parse_window("36501d") is None
    assert parse_timestamp("2026-11-23T10:00:00Z") == dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC)
    assert parse_timestamp("2026-11-23t10:00:00.25+01:00") == dt.datetime(2026, 11, 23, 9, 0, 0, 250000, tzinfo=dt.UTC)


# --- catalogue ------------------------------------------------------------------------------------


def test_the_catalogue_has_exactly_the_documented_fields() -> None:
    names = [entry["field"] for entry in fields_catalogue()]
    assert names == [
        "stats.orders",
        "stats.revenue",
        "stats.refunded",
        "stats.purchase_days",
        "stats.first_purchase_at",
        "stats.last_purchase_at",
        "stats.visits",
        "stats.last_visit_at",
        "stats.open_tickets",
        "stats.last_nps",
        "stats.last_csat",
        "stats.first_seen_at",
        "scores.r",
        "scores.f",
        "scores.m",
        "scores.rfm_segment",
        "scores.p_alive",
        "scores.expected_purchases_90d",
        "scores.predicted_clv",
        "ltv.p10",
        "ltv.p90",
        "ltv.expected_purchases_12m",
        "ltv.expected_purchases_12m_p10",
        "ltv.expected_purchases_12m_p90",
        "scores.historical_ltv",
        "scores.churn_risk",
        "scores.dormant",
        "loyalty.balance",
        "loyalty.tier",
        "traits.<name>",
        "events.<type>.count",
    ]
    by_name = {entry["field"]: entry for entry in fields_catalogue()}
    assert by_name["scores.churn_risk"]["values"] == ["low", "medium", "high"]
    assert len(by_name["scores.rfm_segment"]["values"]) == 11
    assert by_name["scores.dormant"] == {
        "field": "scores.dormant",
        "type": "boolean",
        "operators": ["eq", "ne"],
        "description": "marked dormant by the dormancy sweep",
    }
    assert "contains" not in by_name["stats.orders"]["operators"]
    assert "within_last" in by_name["stats.last_purchase_at"]["operators"]
    assert re.fullmatch(by_name["traits.<name>"]["pattern"], "traits.city")
    assert by_name["loyalty.balance"]["type"] == "number" and "gte" in by_name["loyalty.balance"]["operators"]
    assert by_name["loyalty.tier"]["type"] == "text" and "contains" in by_name["loyalty.tier"]["operators"]


def test_every_field_is_a_column_of_the_customers_table() -> None:
    table = MIGRATION.read_text().split("CREATE TABLE customers (", 1)[1].split(");", 1)[0]
    columns = set(re.findall(r"^\s+([a-z_0-9]+)\s", table, flags=re.MULTILINE))
    for later in sorted(MIGRATION.parent.glob("*.sql")):  # columns added since (loyalty's, 0006)
        columns |= set(re.findall(r"ADD COLUMN ([a-z_0-9]+)\s", later.read_text()))
    for spec in FIELDS.values():
        used = re.findall(r"c\.([a-z_0-9]+)", spec.column)
        assert used and set(used) <= columns, spec.name
        suffix = spec.name.split(".", 1)[1]
        assert suffix in {*used, "dormant"} or spec.column in (f"c.loyalty_{suffix}", f"c.clv_{suffix}"), spec.name


# --- SQL ------------------------------------------------------------------------------------------

PLACEHOLDER = re.compile(r"\$(\d+)")


def compiled(doc: dict[str, Any], now: dt.datetime | None = NOW) -> tuple[str, list[object]]:
    params = SqlParams(now=now)
    return compile_condition(parse_condition(doc), params), params.values


def test_values_are_bind_parameters_and_never_part_of_the_sql() -> None:
    evil = "x'; DROP TABLE customers; --"
    doc = {
        "any": [
            leaf("traits.city", "eq", evil),
            leaf("traits.city", "contains", evil),
            leaf("traits.city", "in", [evil, "Paris"]),
            leaf("scores.rfm_segment", "eq", "Can't Lose Them"),
            leaf("traits.Robert_tables", "exists"),
        ]
    }
    sql, values = compiled(doc)
    assert "DROP" not in sql and "Paris" not in sql and "Can" not in sql and "Robert" not in sql
    assert evil in values and '"x\'; DROP TABLE customers; --"' in values
    assert ['"x\'; DROP TABLE customers; --"', '"Paris"'] in values
    assert "Can't Lose Them" in values and "Robert_tables" in values
    # The only quoted literals are the module's own constants.
    assert set(re.findall(r"'[^']*'", sql)) <= {"'null'", "'string'"}


def test_placeholders_are_numbered_in_order_and_each_value_is_used() -> None:
    sql, values = compiled(EXAMPLE)
    numbers = {int(n) for n in PLACEHOLDER.findall(sql)}
    assert numbers == set(range(1, len(values) + 1))
    assert values[0] == Decimal(2)
    assert NOW in values


def test_now_is_one_parameter_however_many_windows_use_it() -> None:
    doc = {
        "all": [
            leaf("stats.last_visit_at", "within_last", "30d"),
            leaf("stats.last_purchase_at", "not_within_last", "30d"),
            leaf("traits.signup", "within_last", "1w"),
        ]
    }
    sql, values = compiled(doc)
    assert values.count(NOW) == 1
    assert values.count(30 * 86400.0) == 1  # equal values share a parameter
    now_placeholder = f"${values.index(NOW) + 1}::timestamptz"
    assert sql.count(now_placeholder) == 3


def test_a_time_window_needs_now_and_now_must_be_aware() -> None:
    with pytest.raises(ValueError, match="needs now"):
        compiled(leaf("stats.last_visit_at", "within_last", "30d"), now=None)
    _, values = compiled(leaf("stats.last_visit_at", "before", "2026-01-01T00:00:00Z"), now=None)
    assert values == [dt.datetime(2026, 1, 1, tzinfo=dt.UTC)]
    with pytest.raises(ValueError, match="aware"):
        SqlParams(now=dt.datetime(2026, 1, 1))


def test_parameters_can_start_after_the_callers_own() -> None:
    params = SqlParams(offset=2, now_param=1)
    sql = compile_condition(parse_condition(leaf("stats.last_visit_at", "within_last", "12h")), params)
    assert "$1::timestamptz" in sql and "$3::float8" in sql
    assert params.values == [12 * 3600.0]


def test_every_leaf_is_null_safe() -> None:
    for doc in VALID[1:]:
        sql, _ = compiled(doc)
        assert sql.startswith(("COALESCE(", "(NOT COALESCE(", "(c.", "((c.", "(NOT ("))


def test_the_membership_query_contract() -> None:
    segments = [("seg-a", parse_condition(EXAMPLE)), ("seg-b", parse_condition(leaf("stats.orders", "eq", 2)))]
    sql, values = compile_membership_query(segments)
    assert "$1::text" in sql and "$2::text[]" in sql and "$3::timestamptz" in sql
    numbers = {int(n) for n in PLACEHOLDER.findall(sql)}
    assert numbers == set(range(1, len(values) + 4))
    assert values[-1] == "seg-b" and "seg-a" in values and "seg-a" not in sql
    assert NOW not in values  # now is the caller's $3
    assert values.count(Decimal(2)) == 1

    empty_sql, empty_values = compile_membership_query([])
    assert empty_values == [] and "ARRAY[]::text[]" in empty_sql


def test_hand_made_models_are_checked_before_compiling() -> None:
    bad = SegmentLeaf.model_construct(field="stats.orders", op="contains", value="1; DROP TABLE customers")
    with pytest.raises(InvalidCondition, match=r"condition\.op: contains does not apply"):
        compile_condition(bad, SqlParams())
    with pytest.raises(InvalidCondition, match="unknown field"):
        compile_condition(
            NotOf.model_construct(not_=SegmentLeaf.model_construct(field="c.x", op="eq", value=1)), SqlParams()
        )


def test_a_segment_never_takes_more_bind_parameters_than_it_is_counted_for() -> None:
    # The worst case: every leaf an event count with a type, a value and a window of its own.
    worst = parse_condition(
        {"any": [{**leaf(f"events.t{n}.count", "gte", n), "within_last": f"{n + 1}d"} for n in range(MAX_LEAVES)]}
    )
    _, values = compile_membership_query([("seg", worst)])
    assert leaf_count(worst) == MAX_LEAVES
    assert len(values) == segment_parameters(worst) == 3 * MAX_LEAVES + 1
    for doc in VALID:
        condition = parse_condition(doc)
        assert len(compile_membership_query([("seg", condition)])[1]) <= segment_parameters(condition)
