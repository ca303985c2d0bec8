"""What the gateway takes is what its OpenAPI document says it takes.

Found by Schemathesis with every check on (positive_data_acceptance, negative_data_rejection): decimals were
documented as any string or any number but refused exponents, long fractions and large numbers; times took a
Unix timestamp (`to=0`) and refused years the document admitted; numbers and flags were taken from text or
booleans (`"reminder_lead_hours": false` was 0 hours). Each sample is judged by the documented JSON Schema
(jsonschema_rs, as Schemathesis judges it: a multipleOf is exact, 0.07 is a multiple of 0.01) and by the
gateway's validation of the parsed JSON, and both must agree.
"""

from __future__ import annotations

from typing import Any, get_args

import jsonschema_rs
import pytest
from pydantic import TypeAdapter, ValidationError

from contracts.http.types import JsonBoolean, JsonInteger, JsonNumber, Money, Percent, RequestTime, UnitPrice
from services.gateway.domain import ALL_SCOPES
from services.gateway.schemas_keys import KeyIn, Scope

SAMPLES: list[tuple[str, Any, list[Any]]] = [
    (
        "Money",
        Money,
        ["0", "12.50", "1200", "9999999999999999.99", "12.505", "1e3", "1E3", " 1", "-1", "", "1.", ".5", "\u0661",
         "12345678901234567", 0, 5, 0.07, 1234.56, 10**13, 10**13 + 1, 1e13, 0.30000000000000004, 1e-5, -1, -0.5,
         True, None, "abc", [], {}],
    ),
    ("UnitPrice", UnitPrice, ["12.5", "12.5001", "12.50001", 0.0001, 0.00001, 10**11, 10**11 + 1]),
    ("Percent", Percent, ["100", "100.0000", "100.0001", "99.9999", "0", "101", 100, 100.5, 50.25, 0.00005, -1]),
    (
        "RequestTime",
        RequestTime,
        ["2026-05-01T00:00:00Z", "2026-05-01t00:00:00z", "1901-01-01T00:00:00+23:59", "2998-12-31T23:59:59-23:59",
         "2026-05-01T00:00:00.123456+02:00", "1900-12-31T23:00:00Z", "2999-01-01T00:00:00Z", "0001-01-01T00:00:00Z",
         "9999-12-31T23:59:59Z", "0", "0.5", 0, 1714521600, "2026-05-01", "2026-05-01T00:00:00",
         "2026-05-01T00:00:00.1234567Z", "2026-02-31T00:00:00Z", "2026-05-01 00:00:00Z", "2026-05-01T24:00:00Z"],
    ),
    ("JsonInteger", JsonInteger, [5, 5.0, 5.5, "5", True, None]),
    ("JsonNumber", JsonNumber, [1, 1.5, "1", "1.5", False, None]),
    ("JsonBoolean", JsonBoolean, [True, False, 1, 0, "true", None]),
]  # fmt: skip


def _accepted(adapter: TypeAdapter[Any], value: Any) -> bool:
    try:
        adapter.validate_python(value)  # as FastAPI validates a parsed JSON body or a query string
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize(
    ("name", "type_", "value"),
    [(name, type_, value) for name, type_, values in SAMPLES for value in values],
    ids=lambda item: repr(item)[:40],
)
def test_the_documented_schema_admits_exactly_what_the_gateway_takes(name: str, type_: Any, value: Any) -> None:
    adapter: TypeAdapter[Any] = TypeAdapter(type_)
    documented = jsonschema_rs.validator_for(adapter.json_schema(), validate_formats=True)
    assert documented.is_valid(value) == _accepted(adapter, value), (name, value)


def test_a_time_is_kept_as_sent() -> None:
    moment = TypeAdapter(RequestTime).validate_python("2026-05-01T00:00:00.5+02:00")
    assert moment.isoformat() == "2026-05-01T00:00:00.500000+02:00"


def test_the_documented_scopes_are_the_gateways() -> None:
    assert set(get_args(Scope)) == set(ALL_SCOPES)


def test_a_key_may_list_every_scope_but_no_more_than_there_are() -> None:
    every = list(get_args(Scope))
    owner = "ada@example.com"  # sales:approve names the person whose approvals the key records
    assert KeyIn(name="everything", scopes=every, owner=owner).scopes == every
    with pytest.raises(ValidationError, match="at most"):
        KeyIn(name="too many", scopes=[*every, "admin"], owner=owner)
