"""Acting on predictions (no I/O): scoring announces p_alive and predicted CLV when they move past an epsilon
(`scores.changed`), a journey's `score_crossed` trigger fires once per crossing of its threshold, and a journey's
sales task carries the customer's churn reasons and predicted CLV."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from itertools import pairwise
from typing import Any

import numpy as np
import pytest

from contracts.codec import Decoder
from contracts.journey import JOURNEY_ACTION_TYPES, SalesTaskRequestedData
from contracts.scoring import SCORING_CHANGE_TYPES
from services.journey.domain.conditions import CustomerFacts, EventFacts, evaluate
from services.journey.domain.document import InvalidJourney, journey_json, parse_journey
from services.journey.domain.engine import advance, start_enrolment
from services.journey.domain.facts import FactsRecord, fold
from services.journey.domain.model import ScoreCrossedTrigger
from services.journey.domain.triggers import trigger_matches
from services.journey.events import JourneyEvents
from services.scoring.domain.scoring import moved_mask, scores_moved
from services.scoring.events import ScoreChanges
from tests.samples.journeys import journey

NOW = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)
FACTS = CustomerFacts("c1")
BELOW = {"type": "score_crossed", "score": "p_alive", "op": "lt", "value": 0.3}


def changed(previous: Any, current: Any, score: str = "p_alive") -> EventFacts:
    return EventFacts("e", "scores.changed", NOW, {"customer_id": "c1", f"previous_{score}": previous, score: current})


def errors_of(trigger: dict[str, Any]) -> list[str]:
    with pytest.raises(InvalidJourney) as raised:
        parse_journey(journey(trigger=trigger))
    return [e["field"] for e in raised.value.errors]


def test_a_score_crossed_trigger_is_validated_and_round_trips() -> None:
    parsed = parse_journey(journey(trigger=BELOW))
    assert isinstance(parsed.trigger, ScoreCrossedTrigger)
    assert journey_json(parsed)["trigger"] == BELOW
    clv = {"type": "score_crossed", "score": "predicted_clv", "op": "gte", "value": 500}
    parse_journey(journey(trigger={"type": "any", "triggers": [clv, BELOW]}))
    assert errors_of({**BELOW, "value": 1.5}) == ["trigger.value"]  # p_alive is a probability
    assert errors_of({**BELOW, "score": "churn_risk"}) == ["trigger.score"]
    assert errors_of({**BELOW, "op": "eq"}) == ["trigger.op"]
    assert errors_of({**clv, "value": 10**13}) == ["trigger.value"]  # budget
    assert errors_of({"type": "score_crossed", "score": "p_alive", "op": "lt"}) == ["trigger.value"]


def test_it_fires_once_per_crossing() -> None:
    trigger = parse_journey(journey(trigger=BELOW)).trigger
    walk = [None, 0.8, 0.5, 0.29, 0.25, 0.2, 0.45, 0.28, 0.1]
    fired = [trigger_matches(trigger, changed(before, now), FACTS) for before, now in pairwise(walk)]
    # 0.5 -> 0.29 crosses; staying below does not fire again; back above and below again fires again
    assert fired == [False, False, True, False, False, False, True, False]
    assert trigger_matches(trigger, changed(None, 0.1), FACTS)  # first known already below: a crossing
    assert not trigger_matches(trigger, changed(0.5, None), FACTS)  # unknown never matches
    assert not trigger_matches(trigger, EventFacts("e", "churn.risk_changed", NOW, {"p_alive": 0.1}), FACTS)


def test_predicted_clv_crosses_as_an_exact_amount() -> None:
    trigger = parse_journey(
        journey(trigger={"type": "score_crossed", "score": "predicted_clv", "op": "gte", "value": 500})
    ).trigger
    assert trigger_matches(trigger, changed("499.99", "500.00", "predicted_clv"), FACTS)
    assert not trigger_matches(trigger, changed("500.00", "612.40", "predicted_clv"), FACTS)
    assert not trigger_matches(trigger, changed("612.40", "499.99", "predicted_clv"), FACTS)
    assert not trigger_matches(trigger, changed("1", "not money", "predicted_clv"), FACTS)


def test_scoring_announces_only_moves_past_the_epsilon() -> None:
    known = (0.5, Decimal("100.00"))
    assert scores_moved((None, None), (0.9, Decimal("12.00")))  # first purchase: first announcement
    assert not scores_moved((None, None), (None, Decimal("0.00")))  # no purchases: nothing to announce
    assert not scores_moved(known, (0.509, Decimal("100.90")))  # both within epsilon
    assert scores_moved(known, (0.489, Decimal("100.00")))  # p_alive by more than 0.01
    assert scores_moved(known, (0.5, Decimal("101.01")))  # CLV by more than 1%
    assert scores_moved((0.5, Decimal("0.00")), (0.5, Decimal("0.02")))  # at least a cent
    assert scores_moved(known, (None, Decimal("0.00")))  # the purchases are gone


def test_the_array_form_agrees_with_the_rule() -> None:
    rng = np.random.default_rng(3)
    n = 20_000
    announced_p = np.where(rng.random(n) < 0.1, np.nan, rng.random(n))
    p_alive = np.where(rng.random(n) < 0.05, np.nan, np.clip(announced_p + rng.normal(0, 0.01, n), 0, 1))
    announced_cents = np.where(np.isnan(announced_p), np.nan, np.round(rng.gamma(2, 50, n) * 100))
    cents = np.nan_to_num(np.round(announced_cents * (1 + rng.normal(0, 0.01, n))), nan=1234.0)
    announced_cents[:100], cents[:100], announced_p[:100], p_alive[:100] = 10_000, 10_100, 0.5, 0.5  # exactly 1%
    mask = moved_mask(announced_p, announced_cents, p_alive, cents)

    def known(x: float) -> float | None:
        return None if np.isnan(x) else float(x)

    def money(x: float) -> Decimal | None:
        return None if np.isnan(x) else Decimal(int(x)).scaleb(-2)

    expected = [
        scores_moved((known(announced_p[i]), money(announced_cents[i])), (known(p_alive[i]), money(cents[i])))
        for i in range(n)
    ]
    assert mask.tolist() == expected and not mask[:100].any() and 0 < mask.sum() < n


def test_scores_changed_is_a_valid_event_and_journey_facts_carry_it() -> None:
    changes = ScoreChanges("demo", NOW)
    changes.scores("c1", (0.5, Decimal("100.00")), (0.25, Decimal("80.50")))
    changes.churn_risk("c1", "medium", "high", 0.25, ["no purchase for 94 days"], Decimal("80.50"))
    decode = Decoder(SCORING_CHANGE_TYPES)
    scores_changed, churn = (decode(m.value) for m in changes.messages)
    assert scores_changed.type == "scores.changed"
    assert scores_changed.data.model_dump() == {
        "customer_id": "c1",
        "previous_p_alive": 0.5,
        "p_alive": 0.25,
        "previous_predicted_clv": "100.00",
        "predicted_clv": "80.50",
    }
    assert churn.data.predicted_clv == "80.50"
    assert {m.key for m in changes.messages} == {b"demo:c1"}

    record = FactsRecord()
    fold(record, scores_changed)
    fold(record, churn)
    facts = record.facts("c1")
    assert facts.scores["p_alive"] == 0.25 and facts.scores["predicted_clv"] == Decimal("80.50")
    assert facts.scores["churn_reasons"] == ["no purchase for 94 days"]
    rich = {"all": [{"field": "scores.predicted_clv", "op": "gt", "value": 80}]}
    condition = parse_journey(journey(trigger={"type": "event", "event": "purchase", "conditions": rich})).trigger
    assert condition.type == "event" and condition.conditions is not None
    assert evaluate(condition.conditions, facts, None)


def test_a_journeys_sales_task_carries_the_churn_reasons_and_predicted_clv() -> None:
    task_step = {"type": "action", "action": {"kind": "sales_task", "title": "Call {{customer_id}}"}, "next": "done"}
    doc = journey(
        trigger=BELOW,
        entry_step="task",
        steps={"task": task_step, "done": {"type": "exit"}},
        settings={"timezone": "UTC"},
    )
    parsed = parse_journey(doc)
    enrolment = start_enrolment(parsed, enrolment_id="en-1", journey_id="j-1", version=1, customer_id="c1", now=NOW)
    record = FactsRecord(scores={"churn_reasons": ["no purchase for 94 days"] * 30, "predicted_clv": "80.50"})
    [task] = advance(parsed, enrolment, record.facts("c1"), NOW).actions
    assert task.payload["churn_reasons"] == ["no purchase for 94 days"] * 20  # the contract's budget
    assert task.payload["predicted_clv"] == "80.50"
    events = JourneyEvents("demo", NOW)
    events.action(task, enrolment)  # validated by the contract
    data = Decoder(JOURNEY_ACTION_TYPES)(events.messages[0].value).data
    assert isinstance(data, SalesTaskRequestedData) and data.predicted_clv == "80.50"
    [plain] = advance(parsed, enrolment, FactsRecord().facts("c1"), NOW).actions
    assert "churn_reasons" not in plain.payload and "predicted_clv" not in plain.payload
