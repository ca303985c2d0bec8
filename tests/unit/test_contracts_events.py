"""The event models, `contracts.codec`, and the generated JSON Schemas agreeing with both."""

from __future__ import annotations

import copy
import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson
import pytest
from jsonschema import Draft202012Validator, FormatChecker
from pydantic import ValidationError

from contracts import generate
from contracts.codec import InvalidEvent, decode_inbound, encode, validate_typed
from contracts.envelope import is_valid_workspace
from contracts.inbound import INBOUND_EVENT_TYPES, PurchaseEvent, customer_of
from contracts.internal import (
    CUSTOMER_CHANGE_TYPES,
    PROFILE_LIFECYCLE_TYPES,
    RESOLVED_EVENT_TYPES,
    CustomerChanged,
    ProfileMerged,
    ResolvedEnvelope,
    lifecycle_event,
)
from contracts.journey import JOURNEY_ACTION_TYPES, JOURNEY_ENROLMENT_TYPES
from contracts.loyalty import LOYALTY_EVENT_TYPES
from contracts.referral import REFERRAL_EVENT_TYPES
from contracts.sales import SALES_EVENT_TYPES
from contracts.scoring import SCORING_CHANGE_TYPES
from contracts.topics import (
    CUSTOMER_CHANGES,
    INBOUND,
    JOURNEY_ACTIONS,
    JOURNEY_ENROLMENTS,
    LOYALTY_EVENTS,
    REFERRAL_EVENTS,
    RESOLVED,
    SALES_EVENTS,
    SCORING_CHANGES,
)
from tests.samples.loyalty import LOYALTY_DATA
from tests.samples.referral import REFERRAL_DATA
from tests.samples.sales import SALES_DATA

CUSTOMER_ID = "c_01J9ZK3M4W6Q8R0T2V4X6Z8B0D"

INBOUND_DATA: dict[str, dict[str, Any]] = {
    "purchase": {
        "customer": {"email": "Ada@Example.com", "external_id": "u-1"},
        "order_id": "o-1001",
        "amount": "59.90",
        "currency": "EUR",
        "items": [
            {"sku": "tea-01", "category": "tea", "quantity": 2, "unit_price": "19.95"},
            {"sku": "mug-02", "quantity": 1, "unit_price": 20},
        ],
        "channel": "web",
        "coupon": "SPRING",
        "referral_code": "ADA-42",
    },
    "refund": {"customer": {"external_id": "u-1"}, "order_id": "o-1001", "amount": "19.95", "reason": "broken"},
    "visit": {
        "customer": {"anonymous_id": "dev-7f3a"},
        "channel": "web",
        "url": "https://shop.example/tea",
        "product_sku": "tea-01",
        "duration_s": 42.5,
        "utm_source": "newsletter",
    },
    "ticket": {
        "customer": {"phone": "+4915112345678"},
        "ticket_id": "t-9",
        "status": "resolved",
        "priority": "high",
        "csat": 5,
        "nps": 9,
    },
    "referral": {"customer": {"external_id": "u-1"}, "action": "invite_sent", "code": "ADA-42", "channel": "email"},
    "identify": {
        "customer": {"external_id": "u-1", "email": "ada@example.com"},
        "traits": {"name": "Ada", "city": "Berlin", "vip": True, "orders": 3, "tags": ["tea"], "extra": None},
    },
    "survey": {
        "customer": {"email": "ada@example.com"},
        "nps": 9,
        "csat": 4,
        "survey_id": "nps-2026-q4",
        "comment": "Quick delivery, lovely tea.",
        "channel": "email",
    },
    "consent": {
        "customer": {"email": "ada@example.com"},
        "group": "newsletter",
        "status": "unsubscribed",
        "source": "preference_center",
    },
}

LIFECYCLE_DATA: dict[str, dict[str, Any]] = {
    "profile.merged": {"survivor_id": CUSTOMER_ID, "merged_id": "c_2", "reason": "same email", "merge_id": "m_1"},
    "profile.unmerged": {
        "merge_id": "m_1",
        "survivor_id": CUSTOMER_ID,
        "restored_id": "c_2",
        "restored_event_ids": ["e_9"],
        "reason": "a shared tablet",
    },
    "profile.erased": {"customer_id": CUSTOMER_ID, "erased_ids": [CUSTOMER_ID, "c_2"]},
    "profile.acquisition_changed": {
        "customer_id": CUSTOMER_ID,
        "source": "newsletter",
        "campaign": "spring",
        "at": "2026-05-01T09:00:00Z",
    },
}
CUSTOMER_CHANGE_DATA: dict[str, dict[str, Any]] = {
    "customer.changed": {"customer_ids": [CUSTOMER_ID, "c_2"]},
}
ORIGIN = {"customer_id": CUSTOMER_ID, "journey_id": "j_1", "journey_version": 2, "enrolment_id": "e_1", "step_id": "s3"}
JOURNEY_DATA: dict[str, dict[str, Any]] = {
    "sales.task_requested": {
        **ORIGIN,
        "title": "Advisor follow-up",
        "reason": "dormant; offer unanswered",
        "assignee_rule": "round_robin",
        "team": "advisors",
        "due_at": "2026-05-03T09:00:00+02:00",
    },
    "profile.tags_requested": {**ORIGIN, "add": ["win-back"], "remove": ["active"]},
    "profile.attribute_requested": {**ORIGIN, "name": "tier", "value": "gold"},
    "coupon.granted": {**ORIGIN, "code": "BACK-7F3A", "percent": 15, "valid_until": "2026-05-10T00:00:00Z"},
    "referral.invite_requested": {**ORIGIN, "program_id": "p_1", "channel": "email"},
    "loyalty.points_requested": {**ORIGIN, "points": 250, "reason": "win-back bonus"},
    "journey.entered": {**ORIGIN, "variant": "A"},
    "journey.converted": {**ORIGIN, "variant": "A", "reason": "goal: purchase"},
    "journey.exited": {**ORIGIN, "holdout": True, "reason": "completed"},
}
SCORING_DATA: dict[str, dict[str, Any]] = {
    "rfm.segment_changed": {
        "customer_id": CUSTOMER_ID,
        "previous": "Loyal",
        "current": "At Risk",
        "r": 2,
        "f": 4,
        "m": 4,
    },
    "churn.risk_changed": {
        "customer_id": CUSTOMER_ID,
        "previous": "low",
        "current": "high",
        "p_alive": 0.18,
        "reasons": ["no purchase for 94 days, 3.1x their usual gap of 30 days"],
    },
    "segment.entered": {"customer_id": CUSTOMER_ID, "segment_id": "seg_1", "segment_name": "Berlin regulars"},
    "segment.exited": {"customer_id": CUSTOMER_ID, "segment_id": "seg_1", "segment_name": "Berlin regulars"},
    "customer.dormant": {
        "customer_id": CUSTOMER_ID,
        "last_purchase_at": "2026-01-02T10:00:00Z",
        "days_since_last_purchase": 95,
        "threshold_days": 90,
        "rule": "fixed_days",
    },
    "customer.reactivated": {
        "customer_id": CUSTOMER_ID,
        "dormant_since": "2026-04-02T00:00:00Z",
        "purchased_at": "2026-05-01T10:15:00+02:00",
    },
}


def envelope(event_type: str, data: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": f"evt-{event_type}-1",
        "source": "shop-web",
        "type": event_type,
        "time": "2026-05-01T10:15:00+02:00",
        "workspace": "demo",
        "datacontenttype": "application/json",
        "data": copy.deepcopy(data),
        **extra,
    }


def sample(name: str) -> dict[str, Any]:
    """A valid event for each generated schema name (`purchase`, `resolved.purchase`, `profile.merged`)."""
    for event in generate.event_schemas():
        if event.name != name:
            continue
        if event.topic.name == INBOUND:
            return envelope(event.event_type, INBOUND_DATA[event.event_type])
        if event.topic.name == RESOLVED:
            return envelope(event.event_type, INBOUND_DATA[event.event_type], customerid=CUSTOMER_ID)
        if event.topic.name in {JOURNEY_ACTIONS, JOURNEY_ENROLMENTS}:
            return envelope(event.event_type, JOURNEY_DATA[event.event_type], source="flywheel.journey")
        if event.topic.name == SCORING_CHANGES:
            return envelope(event.event_type, SCORING_DATA[event.event_type], source="flywheel.scoring")
        if event.topic.name == REFERRAL_EVENTS:
            return envelope(event.event_type, REFERRAL_DATA[event.event_type], source="flywheel.referral")
        if event.topic.name == LOYALTY_EVENTS:
            return envelope(event.event_type, LOYALTY_DATA[event.event_type], source="flywheel.loyalty")
        if event.topic.name == SALES_EVENTS:
            return envelope(event.event_type, SALES_DATA[event.event_type], source="flywheel.sales")
        if event.topic.name == CUSTOMER_CHANGES:
            return envelope(event.event_type, CUSTOMER_CHANGE_DATA[event.event_type], source="profile")
        return envelope(event.event_type, LIFECYCLE_DATA[event.event_type], source="profile")
    raise KeyError(f"no sample for {name!r}: add one to this test")


EVENT_SCHEMAS = generate.event_schemas()
SCHEMA_NAMES = [event.name for event in EVENT_SCHEMAS]


def _del(path: str) -> Any:
    def mutate(doc: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node = doc
        for part in parents:
            node = node[part]
        del node[last]

    return mutate


def _set(path: str, value: Any) -> Any:
    def mutate(doc: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node = doc
        for part in parents:
            node = node[part]
        node[last] = value

    return mutate


# Mutations that make any event invalid, for the model and for its schema alike.
COMMON_INVALID = {
    "no id": _del("id"),
    "empty source": _set("source", ""),
    "wrong specversion": _set("specversion", "0.3"),
    "bad workspace": _set("workspace", "Demo Shop"),
    "no data": _del("data"),
    "data not an object": _set("data", "hello"),
}
CUSTOMER_INVALID = {
    "no identifier": _set("data.customer", {}),
    "only null identifiers": _set("data.customer", {"email": None, "phone": None}),
    "blank identifier": _set("data.customer", {"external_id": "   "}),
}
TYPE_INVALID: dict[str, dict[str, Any]] = {
    "purchase": {
        "negative amount string": _set("data.amount", "-5"),
        "negative amount number": _set("data.amount", -5),
        "amount not a number": _set("data.amount", "five"),
        "too many decimals": _set("data.amount", "1.1234567"),
        "lowercase currency": _set("data.currency", "eur"),
        "zero quantity": _set("data.items", [{"sku": "a", "quantity": 0, "unit_price": "1"}]),
        "no order id": _del("data.order_id"),
    },
    "refund": {"zero amount": _set("data.amount", "0"), "zero amount number": _set("data.amount", 0)},
    "visit": {"negative duration": _set("data.duration_s", -1), "no channel": _del("data.channel")},
    "ticket": {"unknown status": _set("data.status", "lost"), "csat 6": _set("data.csat", 6)},
    "referral": {"unknown action": _set("data.action", "bought")},
    "identify": {"no traits": _del("data.traits"), "empty trait name": _set("data.traits", {"": 1})},
    "survey": {
        "nps 11": _set("data.nps", 11),
        "nps -1": _set("data.nps", -1),
        "csat 0": _set("data.csat", 0),
        "csat 6": _set("data.csat", 6),
        "no score": _set("data", {"customer": {"email": "ada@example.com"}, "survey_id": "nps-q4"}),
        "null scores": _set("data", {"customer": {"email": "ada@example.com"}, "nps": None, "csat": None}),
        "comment too long": _set("data.comment", "x" * 2001),
    },
    "consent": {
        "unknown status": _set("data.status", "maybe"),
        "no group": _del("data.group"),
        "group with a space": _set("data.group", "news letter"),
    },
    "profile.merged": {"extra data field": _set("data.extra", 1), "no survivor": _del("data.survivor_id")},
    "profile.unmerged": {"no merge id": _del("data.merge_id"), "restored id empty": _set("data.restored_id", "")},
    "profile.erased": {"erased ids not a list": _set("data.erased_ids", CUSTOMER_ID)},
    "rfm.segment_changed": {"unknown segment": _set("data.current", "Gold"), "r 6": _set("data.r", 6)},
    "churn.risk_changed": {"unknown band": _set("data.current", "severe"), "p_alive 2": _set("data.p_alive", 2)},
    "segment.entered": {"no segment id": _del("data.segment_id")},
    "sales.task_requested": {"naive due": _set("data.due_at", "2026-05-03T09:00:00"), "no title": _del("data.title")},
    "coupon.granted": {"percent 0": _set("data.percent", 0)},
    "journey.entered": {"version 0": _set("data.journey_version", 0)},
    "customer.changed": {
        "501 customers": _set("data.customer_ids", [f"c_{i}" for i in range(501)]),
        "ids not a list": _set("data.customer_ids", CUSTOMER_ID),
        "empty id": _set("data.customer_ids", [""]),
        "extra data field": _set("data.extra", 1),
    },
    "customer.dormant": {
        "zero threshold": _set("data.threshold_days", 0),
        "naive time": _set("data.last_purchase_at", "2026-01-02T10:00:00"),
    },
}


def invalid_cases() -> list[Any]:
    cases = []
    for event in EVENT_SCHEMAS:
        mutations = dict(COMMON_INVALID)
        if "customer" in sample(event.name)["data"]:
            mutations |= CUSTOMER_INVALID
        mutations |= TYPE_INVALID.get(event.event_type, {})
        if event.topic.name == RESOLVED:
            mutations["no customerid"] = _del("customerid")
        mutations["other type"] = _set("type", "something.else")
        cases += [pytest.param(event.name, m, id=f"{event.name}-{label}") for label, m in mutations.items()]
    return cases


def load_schema(name: str) -> dict[str, Any]:
    path = generate.SCHEMAS_DIR / f"{name}.schema.json"
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return schema


_formats = FormatChecker()


@_formats.checks("date-time", raises=ValueError)
def _rfc3339(value: object) -> bool:
    """RFC 3339 date-time: a time zone offset is mandatory (jsonschema only checks it with extra packages)."""
    if not isinstance(value, str):
        return True
    return datetime.fromisoformat(value).tzinfo is not None


def validator(name: str) -> Draft202012Validator:
    schema = load_schema(name)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=_formats)


# --- models --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("event_type", sorted(INBOUND_EVENT_TYPES))
def test_valid_inbound_events_parse(event_type: str) -> None:
    event = decode_inbound(orjson.dumps(sample(event_type)))
    assert isinstance(event, INBOUND_EVENT_TYPES[event_type])
    assert event.type == event_type
    assert event.workspace == "demo"
    assert event.time.utcoffset() is not None
    assert customer_of(event).model_dump(exclude_none=True) == INBOUND_DATA[event_type]["customer"]


@pytest.mark.parametrize("event_type", sorted(RESOLVED_EVENT_TYPES))
def test_resolved_events_add_the_customer_id(event_type: str) -> None:
    model = RESOLVED_EVENT_TYPES[event_type]
    event = model.model_validate(sample(f"resolved.{event_type}"))
    assert isinstance(event, ResolvedEnvelope) and event.customerid == CUSTOMER_ID
    assert isinstance(event, INBOUND_EVENT_TYPES[event_type])
    with pytest.raises(ValidationError, match="customerid"):
        model.model_validate(sample(event_type))


@pytest.mark.parametrize("event_type", sorted(PROFILE_LIFECYCLE_TYPES))
def test_lifecycle_events_parse(event_type: str) -> None:
    doc = sample(event_type)
    event = lifecycle_event(event_type, **{k: v for k, v in doc.items() if k != "type"})
    assert isinstance(event, PROFILE_LIFECYCLE_TYPES[event_type])
    assert validate_typed(orjson.loads(encode(event)), PROFILE_LIFECYCLE_TYPES) == event


def test_profile_merged_forbids_unknown_data_fields() -> None:
    doc = sample("profile.merged")
    doc["data"]["surprise"] = True
    with pytest.raises(ValidationError):
        ProfileMerged.model_validate(doc)


@pytest.mark.parametrize("customer_ids", [None, [CUSTOMER_ID], [f"c_{i}" for i in range(500)]])
def test_customer_changed_round_trips(customer_ids: list[str] | None) -> None:
    doc = sample("customer.changed")
    doc["data"]["customer_ids"] = customer_ids
    event = validate_typed(doc, CUSTOMER_CHANGE_TYPES)
    assert isinstance(event, CustomerChanged)
    wire = orjson.loads(encode(event))
    assert validate_typed(wire, CUSTOMER_CHANGE_TYPES) == event
    assert validator("customer.changed").is_valid(wire)
    if customer_ids is None:  # every customer of the workspace: null travels as an absent field
        assert "customer_ids" not in wire["data"]
        assert validate_typed({**wire, "data": {"customer_ids": None}}, CUSTOMER_CHANGE_TYPES) == event


def test_money_is_decimal_and_serialises_as_a_string() -> None:
    doc = sample("purchase")
    doc["data"]["amount"] = 59.9  # a JSON number is accepted too
    event = decode_inbound(orjson.dumps(doc))
    assert isinstance(event, PurchaseEvent)
    assert event.data.amount == Decimal("59.9")
    assert isinstance(event.data.amount, Decimal)
    assert event.data.items[0].unit_price == Decimal("19.95")

    wire = orjson.loads(encode(event))
    assert wire["data"]["amount"] == "59.9"
    assert wire["data"]["items"][0]["unit_price"] == "19.95"
    assert wire["data"]["items"][1]["unit_price"] == "20"

    exact = decode_inbound(orjson.dumps(sample("purchase")))
    assert b'"amount":"59.90"' in encode(exact)


def test_encode_round_trips_and_drops_nulls() -> None:
    event = decode_inbound(orjson.dumps(sample("purchase")))
    raw = encode(event)
    assert b"null" not in raw
    assert decode_inbound(raw) == event


def test_unknown_fields_are_kept() -> None:
    doc = sample("visit")
    doc["data"]["ab_variant"] = "B"
    doc["traceparent"] = "00-abc-def-01"
    event = decode_inbound(orjson.dumps(doc))
    wire = orjson.loads(encode(event))
    assert wire["data"]["ab_variant"] == "B"
    assert wire["traceparent"] == "00-abc-def-01"


def test_events_are_immutable() -> None:
    event = decode_inbound(orjson.dumps(sample("purchase")))
    with pytest.raises(ValidationError):
        event.workspace = "other"  # type: ignore[misc]  # frozen: mypy refuses it, and so must the model


def test_subject_key() -> None:
    event = decode_inbound(orjson.dumps(sample("purchase")))
    assert event.subject_key("u-1") == b"demo:u-1"


@pytest.mark.parametrize(
    ("name", "ok"), [("demo", True), ("a", True), ("shop_2-eu", True), ("Demo", False), ("-x", False), ("", False)]
)
def test_workspace_names(name: str, ok: bool) -> None:
    assert is_valid_workspace(name) is ok


# --- codec: readable reasons ---------------------------------------------------------------------------


def reason_of(raw: bytes | None) -> InvalidEvent:
    with pytest.raises(InvalidEvent) as info:
        decode_inbound(raw)
    exc = info.value
    assert exc.reason == str(exc)
    assert "\n" not in exc.reason
    return exc


@pytest.mark.parametrize("when", ["2026-05-01T10:15:00", "2026-05-01 10:15"])
def test_naive_timestamps_are_rejected(when: str) -> None:
    doc = sample("purchase")
    doc["time"] = when
    exc = reason_of(orjson.dumps(doc))
    assert exc.reason.startswith("invalid purchase event: time: ")
    assert "timezone" in exc.reason.lower()
    assert exc.errors[0]["field"] == "time"


def test_unknown_type_is_told_with_the_known_ones_without_quoting_it() -> None:
    exc = reason_of(orjson.dumps(envelope("purchased", INBOUND_DATA["purchase"])))
    known = "consent, identify, purchase, referral, refund, survey, ticket, visit"
    assert exc.reason == f"unknown event type; expected one of: {known}"
    assert exc.errors == [{"field": "type", "message": exc.reason}]


def test_missing_type_is_told() -> None:
    doc = sample("visit")
    del doc["type"]
    assert reason_of(orjson.dumps(doc)).reason.startswith("no event type; expected one of:")


def test_missing_identifier() -> None:
    doc = sample("purchase")
    doc["data"]["customer"] = {"phone": None}
    exc = reason_of(orjson.dumps(doc))
    assert exc.reason == (
        "invalid purchase event: data.customer: Value error, customer needs at least one identifier: "
        "external_id, email, phone or anonymous_id"
    )
    assert exc.errors[0]["field"] == "data.customer"


def test_negative_amount() -> None:
    doc = sample("purchase")
    doc["data"]["amount"] = "-10.00"
    exc = reason_of(orjson.dumps(doc))
    assert exc.reason == "invalid purchase event: data.amount: Input should be greater than or equal to 0"


def test_several_errors_are_all_named_without_echoing_values() -> None:
    doc = sample("ticket")
    doc["data"]["status"] = "lost"
    doc["data"]["csat"] = 9
    doc["workspace"] = "SECRET Workspace"
    exc = reason_of(orjson.dumps(doc))
    assert [e["field"] for e in exc.errors] == ["workspace", "data.status", "data.csat"]
    assert "SECRET" not in exc.reason
    assert exc.reason.count("; ") == 2


def test_malformed_json() -> None:
    exc = reason_of(b'{"specversion": "1.0", "type": "purchase",')
    assert exc.reason.startswith("malformed JSON: ")


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (None, "empty message (no value)"),
        (b"[1, 2]", "an event must be a JSON object"),
        (b'"purchase"', "an event must be a JSON object"),
    ],
)
def test_not_an_event_at_all(raw: bytes | None, reason: str) -> None:
    assert reason_of(raw).reason == reason


# --- generated schemas vs models -----------------------------------------------------------------------


def test_every_event_type_has_a_schema_file() -> None:
    names = {path.name.removesuffix(".schema.json") for path in generate.SCHEMAS_DIR.glob("*.schema.json")}
    expected = {
        *INBOUND_EVENT_TYPES,
        *(f"resolved.{t}" for t in RESOLVED_EVENT_TYPES),
        *PROFILE_LIFECYCLE_TYPES,
        *SCORING_CHANGE_TYPES,
        *JOURNEY_ACTION_TYPES,
        *JOURNEY_ENROLMENT_TYPES,
        *REFERRAL_EVENT_TYPES,
        *SALES_EVENT_TYPES,
        *LOYALTY_EVENT_TYPES,
        *CUSTOMER_CHANGE_TYPES,
    }
    assert expected | {"deadletter.headers"} == names


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_schema_file_metadata(name: str) -> None:
    schema = load_schema(name)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith(f"/{name}.schema.json")
    assert schema["title"]
    assert schema["type"] == "object"


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_schema_accepts_a_valid_event(name: str) -> None:
    doc = sample(name)
    errors = [e.message for e in validator(name).iter_errors(doc)]
    assert errors == []
    model = next(e.model for e in EVENT_SCHEMAS if e.name == name)
    model.model_validate(doc)


@pytest.mark.parametrize(("name", "mutate"), invalid_cases())
def test_schema_and_model_reject_an_invalid_event(name: str, mutate: Any) -> None:
    doc = sample(name)
    mutate(doc)
    assert not validator(name).is_valid(doc), "the schema accepts it"
    model = next(e.model for e in EVENT_SCHEMAS if e.name == name)
    with pytest.raises(ValidationError):
        model.model_validate(doc)


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_schema_rejects_a_naive_timestamp(name: str) -> None:
    doc = sample(name)
    doc["time"] = "2026-05-01T10:15:00"
    assert not validator(name).is_valid(doc)


@pytest.mark.parametrize("amount", ["0", "0.00", "+12.5", "1e3", "12345678901234.123456", 0, 7.5])
def test_purchase_schema_accepts_what_the_model_accepts(amount: Any) -> None:
    doc = sample("purchase")
    doc["data"]["amount"] = amount
    PurchaseEvent.model_validate(doc)
    assert validator("purchase").is_valid(doc)


def test_deadletter_headers_schema() -> None:
    v = validator("deadletter.headers")
    headers = {
        "flywheel-dlq-service": "profile",
        "flywheel-dlq-reason": "malformed JSON: unexpected end of data",
        "flywheel-dlq-time": "2026-05-01T08:15:00+00:00",
        "flywheel-dlq-topic": INBOUND,
        "flywheel-dlq-partition": "3",
        "flywheel-dlq-offset": "1042",
    }
    assert v.is_valid(headers)
    assert not v.is_valid({k: h for k, h in headers.items() if k != "flywheel-dlq-reason"})


def test_schema_files_are_what_the_generator_renders() -> None:
    rendered = generate.render()
    for name in SCHEMA_NAMES:
        rel = Path("contracts/schemas") / f"{name}.schema.json"
        assert json.loads(rendered[rel]) == load_schema(name)
