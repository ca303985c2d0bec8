"""contracts.json_document: a client's document reads as its JSON Schema says, whatever the field's type."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

import pytest
from pydantic import Field, ValidationError

from contracts.codec import field_errors
from contracts.http.journey import SimulationIn
from contracts.http.loyalty import EXAMPLE_PROGRAM, LoyaltyProgramIn
from contracts.json_document import JsonDocument
from services.gateway.openapi_documents import document_schemas
from services.journey.domain.model import Journey
from services.referral.domain.program import Program
from services.sales.domain.lead_score import LeadRules
from services.sales.domain.pipeline import Pipeline


class Inner(JsonDocument):
    count: Annotated[int, Field(ge=0)] = 0
    at: dt.datetime | None = None


class Document(JsonDocument):
    inner: Inner = Inner()
    share: float = 0.0
    amount: Decimal = Decimal(0)
    day: dt.date | None = None
    hour: dt.time | None = None
    counts: list[int] = []
    by_name: dict[str, float] = {}
    either: int | str | None = None
    nodes: list[Document] = []
    active: bool = False
    trigger: dict[str, str] = {"type": "date"}  # a default shaped like a schema node is a value all the same


def _errors(doc: dict[str, Any]) -> list[dict[str, str]]:
    with pytest.raises(ValidationError) as refused:
        Document.model_validate(doc)
    return field_errors(refused.value)


@pytest.mark.parametrize(
    ("doc", "field"),
    [
        ({"inner": {"count": False}}, "inner.count"),
        ({"share": True}, "share"),
        ({"amount": True}, "amount"),
        ({"counts": [1, True]}, "counts.1"),
        ({"by_name": {"a": False}}, "by_name.a"),
        ({"nodes": [{"inner": {"count": True}}]}, "nodes.0.inner.count"),
    ],
)
def test_a_boolean_is_refused_for_a_number_wherever_it_is(doc: dict[str, Any], field: str) -> None:
    assert _errors(doc) == [{"field": field, "message": "Value error, must be a " + _number_kind(field)}]


def _number_kind(field: str) -> str:
    return "JSON number or a decimal string" if field == "amount" else "JSON number"


def test_text_is_refused_for_an_integer_and_a_float_but_a_decimal_keeps_its_string_form() -> None:
    assert _errors({"inner": {"count": "5"}, "share": "0.5"}) == [
        {"field": "inner.count", "message": "Value error, must be a JSON number"},
        {"field": "share", "message": "Value error, must be a JSON number"},
    ]
    assert Document.model_validate({"amount": "12.50"}).amount == Decimal("12.50")


@pytest.mark.parametrize("value", [0, 1, "true", "yes", 1.0])
def test_a_boolean_is_true_or_false(value: object) -> None:
    assert _errors({"active": value}) == [{"field": "active", "message": "Value error, must be a JSON boolean"}]
    assert Document.model_validate({"active": True}).active is True


def test_an_integral_float_is_an_integer_as_in_json_schema() -> None:
    read = Document.model_validate({"inner": {"count": 3.0}, "counts": [1.0, 2], "share": 1})
    assert (read.inner.count, read.counts, read.share) == (3, [1, 2], 1.0)
    assert isinstance(read.inner.count, int)
    assert _errors({"inner": {"count": 1.5}})[0]["field"] == "inner.count"  # not integral: pydantic's own refusal


@pytest.mark.parametrize(
    ("doc", "field"),
    [({"inner": {"at": 0}}, "inner.at"), ({"day": 20260501}, "day"), ({"hour": 3600.0}, "hour")],
)
def test_a_number_is_refused_for_a_time(doc: dict[str, Any], field: str) -> None:
    assert _errors(doc) == [{"field": field, "message": "Value error, must be a string"}]


def test_times_as_strings_and_unions_read_as_before() -> None:
    read = Document.model_validate(
        {"inner": {"at": "2026-05-01T00:00:00Z"}, "day": "2026-05-01", "hour": "09:30", "either": "five"}
    )
    assert read.inner.at == dt.datetime(2026, 5, 1, tzinfo=dt.UTC)
    assert (read.day, read.hour, read.either) == (dt.date(2026, 5, 1), dt.time(9, 30), "five")
    assert Document.model_validate({"either": 5}).either == 5
    assert {e["field"] for e in _errors({"either": True})} == {"either.int", "either.str"}


def test_defaults_are_values_not_schemas() -> None:
    assert Document().trigger == {"type": "date"}


def test_the_message_names_the_field_and_never_the_value() -> None:
    message = _errors({"inner": {"count": True}, "share": "12345"})
    assert all("True" not in e["message"] and "12345" not in e["message"] for e in message)


def test_the_documented_schema_is_unchanged() -> None:
    properties = Document.model_json_schema()["$defs"]["Inner"]["properties"]
    assert properties["count"] == {"default": 0, "minimum": 0, "title": "Count", "type": "integer"}
    assert properties["at"]["anyOf"][0] == {"format": "date-time", "type": "string"}


# --- the services' documents ---------------------------------------------------------------------


def _refused_fields(model: type[JsonDocument], doc: dict[str, Any]) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        model.model_validate(doc)
    return [error["field"] for error in field_errors(refused.value)]


def test_the_fuzzers_findings_are_refused_by_the_services_models() -> None:
    trigger = {"type": "date", "trait": "A", "offset_days": False}
    assert "trigger.date.offset_days" in _refused_fields(Journey, {"trigger": trigger})
    rules = {
        "rules": [{"id": "0", "description": "0", "points": False, "when": {"kind": "visits_at_least", "count": 1}}]
    }
    assert _refused_fields(LeadRules, rules) == ["rules.0.points"]
    pipeline = {"name": "p", "stages": [{"id": "qualify", "name": "Qualify", "probability": False}]}
    assert _refused_fields(Pipeline, pipeline) == ["stages.0.probability"]
    program = {**EXAMPLE_PROGRAM, "tiers": {**EXAMPLE_PROGRAM["tiers"], "grace_days": False}}
    assert _refused_fields(LoyaltyProgramIn, program) == ["tiers.grace_days"]
    assert "valid_from" in _refused_fields(Program, {"name": "n", "valid_from": 0})


def test_a_simulations_version_takes_an_integral_float_and_refuses_a_boolean() -> None:
    assert SimulationIn.model_validate({"version": 1000000.0}).version == 1_000_000
    assert _refused_fields(SimulationIn, {"version": True}) == ["version"]


def test_every_documented_document_model_is_a_json_document() -> None:
    """The models behind /openapi.json's typed documents (services/gateway/openapi_documents.py)."""
    for model in (Journey, Program, Pipeline, LeadRules, LoyaltyProgramIn):
        assert issubclass(model, JsonDocument), model
    assert "JourneyIn" in document_schemas({})
