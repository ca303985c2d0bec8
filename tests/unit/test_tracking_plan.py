"""Tracking plans without I/O: type names, a schema's budgets and refusals (remote references, regexes RE2 cannot
run in linear time, quadratic keywords), errors naming the field and never the value, the custom event contract
through the decoders, the gateway's check of a batch, segment conditions on event counts and the cart-abandonment
template."""

from __future__ import annotations

import copy
from typing import Any

import orjson
import pytest

from cli.import_rows import ImportRow, Rejected, to_record
from contracts.codec import Decoder, decode_inbound
from contracts.inbound import CustomEvent
from contracts.internal import RESOLVED_EVENT_TYPES, ResolvedCustomEvent, resolved_custom_model, resolved_event
from contracts.tracking_plan import (
    MAX_ERRORS,
    UNDECLARED,
    EventType,
    InvalidPlan,
    SchemaBudget,
    _re2_pattern,
    _Validator,
    check_schema,
    name_problem,
)
from services.gateway.domain import custom_types_in, plan_batch
from services.gateway.tracking_plans import PlanCache
from services.journey.domain.document import parse_journey
from services.journey.domain.templates import instantiate
from services.scoring.domain.segment_sql import SqlParams, compile_condition
from services.scoring.domain.segments import InvalidCondition, parse_condition
from tests.helpers import event
from tests.samples.tracking import CART_DATA, CART_SCHEMA

BUDGET = SchemaBudget()
CART = EventType("cart_abandoned", 1, CART_SCHEMA)


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("cart_abandoned", True),
        ("trial_started2", True),
        ("a", True),
        ("purchase", False),  # a built-in type
        ("custom", False),  # the contracts' word for the custom model
        ("Cart", False),
        ("cart-abandoned", False),
        ("cart__abandoned", False),
        ("_cart", False),
        ("cart_", False),
        ("x" * 65, False),
    ],
)
def test_type_names(name: str, ok: bool) -> None:
    assert (name_problem(name) is None) is ok


def refused(schema: Any, budget: SchemaBudget = BUDGET) -> tuple[str, str]:
    with pytest.raises(InvalidPlan) as info:
        check_schema(schema, budget)
    return info.value.field, info.value.message


def test_a_valid_schema_is_kept_as_it_is() -> None:
    assert check_schema(copy.deepcopy(CART_SCHEMA), BUDGET) == CART_SCHEMA
    assert check_schema({}, BUDGET) == {}
    local = {"$defs": {"money": {"type": "number"}}, "properties": {"total": {"$ref": "#/$defs/money"}}}
    assert check_schema(local, BUDGET) == local


def test_budgets_of_size_depth_and_keywords() -> None:
    assert refused({"description": "x" * 200}, SchemaBudget(max_bytes=100)) == (
        "schema",
        "is 218 bytes of JSON; at most 100 are allowed",
    )
    deep: dict[str, Any] = {}
    for _ in range(5):
        deep = {"properties": {"x": deep}}
    field, message = refused(deep, SchemaBudget(max_depth=6))
    assert field.startswith("schema.properties.x.properties.x.properties") and "deeper than 6" in message
    many = {"properties": {f"f{i}": {"type": "string"} for i in range(30)}}
    assert refused(many, SchemaBudget(max_keywords=20)) == ("schema", "has more than 20 keywords")


@pytest.mark.parametrize(
    ("schema", "field", "words"),
    [
        ({"properties": {"a": {"pattern": "^(a)\\1$"}}}, "schema.properties.a.pattern", "RE2"),
        ({"properties": {"a": {"pattern": "^(?=a)a$"}}}, "schema.properties.a.pattern", "RE2"),
        ({"patternProperties": {"(?<=x)y": {}}}, "schema.patternProperties", "RE2"),
        ({"properties": {"a": {"$ref": "https://evil.example/x.json"}}}, "schema.properties.a.$ref", "within"),
        ({"properties": {"a": {"$ref": "other.json#/x"}}}, "schema.properties.a.$ref", "within"),
        ({"$id": "https://evil.example/"}, "schema.$id", "$id"),
        ({"properties": {"a": {"$dynamicRef": "#x"}}}, "schema.properties.a.$dynamicRef", "dynamic"),
        ({"properties": {"a": {"uniqueItems": True}}}, "schema.properties.a.uniqueItems", "maxItems"),
        ({"properties": {"a": {"uniqueItems": True, "maxItems": 1000}}}, "schema.properties.a.uniqueItems", "100"),
        ({"properties": {"customer": {}}}, "schema.properties.customer", "built in"),
        ({"required": ["customer"]}, "schema.properties.customer", "built in"),
        ({"type": "array"}, "schema.type", "object"),
        ({"$schema": "http://json-schema.org/draft-07/schema#"}, "schema.$schema", "2020-12"),
        ({"properties": {"a": {"type": "nope"}}}, "schema.properties.a.type", "not a valid JSON Schema"),
        ([], "schema", "JSON object"),
        ({"$ref": "#"}, "schema", "reference loop"),
        ({"$defs": {"a": {"allOf": [{"$ref": "#/$defs/b"}]}, "b": {"$ref": "#/$defs/a"}}}, "schema.$defs.a", "loop"),
    ],
)
def test_refused_schemas_name_where(schema: Any, field: str, words: str) -> None:
    where, message = refused(schema)
    assert where == field and words in message


def test_patterns_run_on_re2() -> None:
    assert _Validator.VALIDATORS["pattern"] is _re2_pattern
    plan = EventType("t", 1, check_schema({"properties": {"s": {"type": "string", "pattern": "^(a|aa)+$"}}}, BUDGET))
    # A backtracking engine takes exponential time on this; RE2 answers at once.
    assert plan.errors({"s": "a" * 5000 + "b"}) == [{"field": "data.s", "message": "does not match the pattern"}]
    assert plan.errors({"s": "a" * 5000}) == []
    keyed = EventType("t", 1, check_schema({"patternProperties": {"^n_": {"type": "number"}}}, BUDGET))
    assert keyed.errors({"n_1": "x", "other": "y"}) == [
        {"field": "data.n_1", "message": 'must satisfy `type`: "number"'}
    ]


def test_errors_name_each_field_and_never_the_value() -> None:
    data = {**CART_DATA, "cart": {"total": "secret-total", "items": 0, "sku": "bad sku"}, "url": 7}
    errors = CART.errors(data)
    assert errors == [
        {"field": "data.cart.items", "message": "must satisfy `minimum`: 1"},
        {"field": "data.cart.sku", "message": "does not match the pattern"},
        {"field": "data.cart.total", "message": 'must satisfy `type`: "number"'},
        {"field": "data.url", "message": 'must satisfy `type`: "string"'},
    ]
    assert "secret" not in orjson.dumps(errors).decode()
    assert CART.errors({"customer": {"email": "a@b.c"}}) == [{"field": "data.cart", "message": "required"}]
    assert CART.errors(CART_DATA) == []


def test_unknown_fields_are_kept_or_refused_as_the_type_says() -> None:
    data = {**CART_DATA, "coupon": "X", "note": "y"}
    assert CART.errors(data) == []
    strict = EventType("cart_abandoned", 2, CART_SCHEMA, "refuse")
    assert strict.errors(data) == [
        {"field": "data.coupon", "message": "not in the tracking plan (unknown fields are refused)"},
        {"field": "data.note", "message": "not in the tracking plan (unknown fields are refused)"},
    ]
    closed = EventType("t", 1, {"properties": {"a": {"type": "object", "additionalProperties": False}}})
    assert closed.errors({"a": {"b": 1}}) == [{"field": "data.a.b", "message": "not allowed here"}]


def test_a_recursive_schema_follows_the_data_and_too_deep_data_is_an_error() -> None:
    tree = EventType("t", 1, check_schema({"properties": {"a": {"$ref": "#"}, "n": {"type": "number"}}}, BUDGET))
    assert tree.errors({"a": {"a": {"n": "x"}}}) == [
        {"field": "data.a.a.n", "message": 'must satisfy `type`: "number"'}
    ]
    deep: dict[str, Any] = {}
    for _ in range(5000):
        deep = {"a": deep}
    assert tree.errors(deep) == [{"field": "data", "message": "nested too deeply for the type's schema"}]


def test_errors_are_capped() -> None:
    plan = EventType("t", 1, {"properties": {f"f{i}": {"type": "string"} for i in range(30)}})
    errors = plan.errors({f"f{i}": i for i in range(30)})
    assert len(errors) == MAX_ERRORS + 1 and errors[-1] == {"field": "data", "message": "and 20 more problem(s)"}


def test_a_custom_event_goes_through_the_decoders_and_is_resolved_as_one() -> None:
    doc = event("cart_abandoned", "demo", {"email": "ada@example.com"}, {"cart": {"total": 5}})
    inbound = decode_inbound(orjson.dumps(doc))
    assert isinstance(inbound, CustomEvent) and inbound.data.model_dump()["cart"] == {"total": 5}
    resolved = resolved_event(inbound, "c_1")
    assert isinstance(resolved, ResolvedCustomEvent) and resolved.customerid == "c_1"
    decoded = Decoder(RESOLVED_EVENT_TYPES, resolved_custom_model)(orjson.dumps({**doc, "customerid": "c_1"}))
    assert isinstance(decoded, ResolvedCustomEvent)
    assert resolved_custom_model("purchase") is None and resolved_custom_model("Not-A-Type") is None


def test_the_gateway_checks_custom_events_against_the_plan() -> None:
    good = event("cart_abandoned", "acme", {"email": "a@example.com"}, {"cart": {"total": 5}})
    bad = event("cart_abandoned", "acme", {"email": "a@example.com"}, {"cart": {"total": -1}})
    other = event("trial_started", "acme", {"email": "a@example.com"})
    docs = [good, bad, other, event("visit", "acme", {"email": "a@example.com"}, {"channel": "web"})]
    assert custom_types_in(docs) == {"cart_abandoned", "trial_started"}
    plan = plan_batch(docs, "acme", None, {"cart_abandoned": CART})
    assert [p.index for p in plan.publish] == [0, 3]
    assert [(e["index"], e["field"], e["message"]) for e in plan.errors] == [
        (1, "data.cart.total", "must satisfy `minimum`: 0"),
        (2, "type", UNDECLARED),
    ]
    assert plan.refused_custom == {"cart_abandoned": 1}  # declared types only


def test_segment_conditions_count_events_of_a_type_within_a_window() -> None:
    leaf = {"field": "events.cart_abandoned.count", "op": "gte", "value": 2, "within_last": "7d"}
    condition = parse_condition({"all": [leaf, {"field": "events.purchase.count", "op": "eq", "value": 0}]})
    params = SqlParams(now_param=3)
    sql = compile_condition(condition, params)
    assert sql.count("FROM event_counts e") == 2 and "date_trunc('hour'" in sql
    assert "cart_abandoned" in params.values and "purchase" in params.values and 604800.0 in params.values
    assert "cart_abandoned" not in sql  # the type is a bind parameter, never SQL text

    def problems(doc: Any) -> list[dict[str, str]]:
        with pytest.raises(InvalidCondition) as info:
            parse_condition(doc)
        return info.value.errors

    assert problems({**leaf, "within_last": "soon"})[0]["field"] == "condition.within_last"
    assert problems({"field": "stats.orders", "op": "gte", "value": 1, "within_last": "7d"})[0]["message"] == (
        "only an event count (events.<type>.count) takes a window"
    )
    assert problems({"field": "events.cart_abandoned.count", "op": "exists"})[0]["field"] == "condition.op"
    assert problems({"field": "events.Cart.count", "op": "gte", "value": 1})[0]["field"] == "condition.field"


def test_the_cart_abandonment_template() -> None:
    doc = instantiate("cart_abandonment", {"event": "basket_left"})
    journey = parse_journey(doc)
    assert journey is not None
    assert doc["trigger"] == {"type": "event", "event": "basket_left"}
    steps = doc["steps"]
    assert steps["wait_reminder"]["duration"] == "1h" and steps["wait_offer"]["duration"] == "1d"
    assert steps["remind"]["action"]["kind"] == "webhook" and steps["coupon"]["action"]["kind"] == "coupon"
    assert steps["offer"]["action"]["kind"] == "webhook" and doc["exit_on"] == [{"event": "purchase"}]


def test_the_jsonl_import_takes_custom_events_and_leaves_the_plan_to_profile() -> None:
    doc = event("cart_abandoned", "demo", {"email": "ada@example.com"}, {"cart": {"total": 5}})
    assert isinstance(to_record(1, doc, orjson.dumps(doc).decode()), ImportRow)
    assert isinstance(to_record(2, {**doc, "type": "Cart"}, ""), Rejected)


class _Profile:
    """A stand-in for the gateway's client of profile: answers the plan it holds, counting the calls."""

    def __init__(self) -> None:
        self.types: list[str] = ["cart_abandoned"]
        self.calls = 0

    async def get(self, path: str, *, not_found: str, params: Any = None) -> Any:
        self.calls += 1
        assert path.endswith("/event-types")
        return {"items": [{"name": n, "version": 1, "schema": CART_SCHEMA} for n in self.types]}


async def test_the_gateway_keeps_a_plan_briefly_and_fetches_again_for_a_type_it_does_not_know() -> None:
    now = [0.0]
    cache = PlanCache(ttl_s=5.0, clock=lambda: now[0])
    profile = _Profile()
    client: Any = profile
    assert set(await cache.plan(client, "acme", {"cart_abandoned"})) == {"cart_abandoned"}
    assert set(await cache.plan(client, "acme", {"cart_abandoned"})) == {"cart_abandoned"} and profile.calls == 1
    profile.types.append("trial_started")
    assert "trial_started" not in await cache.plan(client, "acme", {"trial_started"})  # asked again within 1 s
    now[0] = 1.5
    assert "trial_started" in await cache.plan(client, "acme", {"trial_started"}) and profile.calls == 2
    now[0] = 7.0
    await cache.plan(client, "acme", {"cart_abandoned"})
    assert profile.calls == 3  # past the TTL
    await cache.plan(client, "other", {"cart_abandoned"})
    assert profile.calls == 4  # each workspace its own
