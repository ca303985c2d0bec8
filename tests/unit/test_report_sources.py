"""How every report asks the services and shows figures: an answer that fails, breaks the contract or is missing
(404) degrades the report and, where two periods are compared, is dropped from both; one rounding (half up) for
all reports; the 422 for a bad period."""

from __future__ import annotations

import asyncio
import datetime as dt
from decimal import Decimal
from typing import Any, cast

import pytest
from pydantic import BaseModel

from runtime.problems import ProblemError
from services.gateway.report_figures import four, in_currency, money, ratio, relative_change, shown
from services.gateway.report_sources import Call, ask, ask_periods, degraded, no_spend, periods_or_422, spend_params
from services.gateway.service_client import ServiceClient


class Counts(BaseModel):
    n: int


class FakeClient(ServiceClient):
    """A service answering by path: a document, None (its 404), an exception, or never (past the budget)."""

    def __init__(self, name: str, answers: dict[str, Any]) -> None:
        super().__init__(name, cast(Any, None))
        self.answers = answers

    async def get_held(self, path: str, *, params: dict[str, Any] | None = None) -> Any:
        answer = self.answers[path]
        if answer == "hang":
            await asyncio.sleep(60)
        if isinstance(answer, Exception):
            raise answer
        return answer


def test_an_answer_is_the_model_or_says_why_not() -> None:
    client = FakeClient(
        "profile",
        {"/ok": {"n": 3}, "/404": None, "/down": ProblemError(503, "down"), "/bad": {"n": "x"}, "/slow": "hang"},
    )

    def asked(path: str) -> Any:
        return asyncio.run(ask(client, path, None, Counts, 0.05))

    assert asked("/ok").value == Counts(n=3) and not asked("/ok").degrades
    assert asked("/404").missing and asked("/404").value is None and asked("/404").degrades
    for path in ("/down", "/bad", "/slow"):
        assert asked(path).failed and asked(path).value is None
    assert degraded({"scoring": asked("/down"), "profile": asked("/ok"), "referral": asked("/404")}) == [
        "referral",
        "scoring",
    ]


def test_an_answer_failing_in_one_period_is_dropped_from_both() -> None:
    profile = FakeClient("profile", {"/report/now": {"n": 1}, "/report/before": None, "/kpis": {"n": 2}})
    scoring = FakeClient("scoring", {"/snapshot": {"n": 9}})
    calls = [
        Call("report", "profile", 0, profile, "/report/now", None, Counts),
        Call("report", "profile", 1, profile, "/report/before", None, Counts),
        Call("kpis", "profile", 0, profile, "/kpis", None, Counts),
        Call("kpis", "profile", 1, profile, "/kpis", None, Counts),
        Call("distribution", "scoring", 0, scoring, "/snapshot", None, Counts),
    ]
    current, previous, failed = asyncio.run(ask_periods(calls, 1.0))
    assert current == {"report": None, "kpis": Counts(n=2), "distribution": Counts(n=9)}
    assert previous == {"report": None, "kpis": Counts(n=2)}
    assert failed == ["profile"]


def test_spend_is_asked_for_the_whole_days_of_the_period() -> None:
    start = dt.datetime(2026, 5, 1, 8, tzinfo=dt.UTC)
    assert spend_params(start, dt.datetime(2026, 5, 3, 1, tzinfo=dt.UTC)) == {"from": "2026-05-02", "to": "2026-05-04"}
    assert spend_params(start, dt.datetime(2026, 5, 1, 20, tzinfo=dt.UTC)) is None
    assert no_spend(start).items == []


def test_a_bad_period_is_a_422_naming_from() -> None:
    now = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
    with pytest.raises(ProblemError) as raised:
        periods_or_422(now, now - dt.timedelta(days=1), now)
    assert raised.value.status == 422
    assert periods_or_422(None, None, now)[0] == (now - dt.timedelta(days=30), now)


def test_every_report_rounds_half_up_from_the_exact_value() -> None:
    # The overview showed money half even before (2.675 -> 2.67, 0.125 -> 0.12): now as every report.
    assert shown(Decimal("2.675"), "money") == "2.68" and shown(Decimal("0.125"), "money") == "0.13"
    assert shown(Decimal("-0.125"), "money") == "-0.13" and money(Decimal("1E+3")) == "1000.00"
    assert shown(2.675, "days") == 2.68 and shown(0.00005, "ratio") == 0.0001 and shown(7 / 3, "number") == 2.3333
    assert four(Decimal("0.00015")) == 0.0002 and ratio(1, 8) == 0.125 and ratio(1, 0) is None
    assert relative_change(Decimal("100.005"), 100) == 0.0001  # 0.00005 exactly: half up


def test_spend_counts_in_the_report_currency_when_it_has_none_or_the_same() -> None:
    assert in_currency("EUR", "EUR") and in_currency(None, "EUR") and in_currency("USD", None)
    assert not in_currency("USD", "EUR")
