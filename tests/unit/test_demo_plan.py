"""What `flywheel demo` sets up (cli/demo_plan.py): every document passes the model its service validates it
with, the deals give the console a blocked and a movable move and quotes to approve, and the setup events are
valid inbound events whose ids stay the same from run to run."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import orjson
import pytest

from cli import demo_plan as plan
from cli import demo_setup_events as setup_events
from contracts.codec import decode_inbound
from contracts.http.loyalty import LoyaltyProgramIn
from contracts.http.profile import SpendIn
from services.gateway.schemas_targets import KpiTargetsIn
from services.journey.domain.templates import TEMPLATES, instantiate
from services.referral.domain.program import Program
from services.sales.domain.moves import blockers
from services.sales.domain.pipeline import Pipeline
from services.scoring.domain.segments import parse_condition

NOW = datetime(2026, 12, 7, 5, 0, tzinfo=UTC)


def test_every_document_is_valid_for_its_service() -> None:
    LoyaltyProgramIn.model_validate(plan.loyalty_program())
    program = Program.model_validate(plan.referral_program())
    assert program.review.hold_amount_above is not None and program.referrer_reward is not None
    assert program.referrer_reward.value > program.review.hold_amount_above, "referrer rewards wait for review"
    assert program.friend_reward is not None and program.friend_reward.value <= program.review.hold_amount_above
    Pipeline.model_validate(plan.pipeline())
    for segment in plan.segments():
        parse_condition(segment["condition"])
    for template, params, status in plan.JOURNEYS:
        assert template in TEMPLATES and status in ("active", "paused", "draft")
        instantiate(template, params)
    assert {status for _, _, status in plan.JOURNEYS} >= {"active", "paused", "draft"}


def test_targets_cover_this_year_quarter_and_month() -> None:
    targets = KpiTargetsIn.model_validate({"targets": plan.kpi_targets(NOW)}).targets
    assert {t.period for t in targets} == {"2026", "2026-Q4", "2026-12"}
    assert len({(t.metric, t.period) for t in targets}) == len(targets)


def test_spend_covers_every_30_days_of_the_history_on_each_channel_and_is_stable() -> None:
    rows = plan.spend_rows(NOW)
    SpendIn.model_validate({"rows": rows})
    assert rows == plan.spend_rows(NOW + timedelta(days=1))  # the same rows within a half-month
    days = sorted({date.fromisoformat(r["date"]) for r in rows})
    assert days[-1] <= NOW.date() and NOW.date() - days[-1] < timedelta(days=30)
    assert all(b - a <= timedelta(days=17) for a, b in itertools.pairwise(days))
    assert {r["channel"] for r in rows} == set(plan.SPEND_CHANNELS)
    assert len({(r["date"], r["channel"]) for r in rows}) == len(rows)


def test_deals_span_the_stages_with_a_blocked_and_a_movable_move_and_quotes_to_approve() -> None:
    plans = plan.deal_plans()
    pipeline = Pipeline.model_validate(plan.pipeline())
    assert len(plans) == 20 and len({p.title for p in plans}) == 20
    assert {p.stage for p in plans if p.outcome == "open"} == set(plan.STAGES)
    assert {p.outcome for p in plans} == {"open", "won", "lost"}
    blocked_title, movable_title = plan.blocked_and_movable(plans)
    blocked = next(p for p in plans if p.title == blocked_title)
    movable = next(p for p in plans if p.title == movable_title)
    # A deal entering a stage gets its checklist as open tasks: what blocks it right after creation.
    open_items = {stage.id: {i.id for i in stage.checklist} for stage in pipeline.stages}
    assert blockers(pipeline, blocked.stage, open_items[blocked.stage], blocked.fields) == ["field budget"]
    assert blockers(pipeline, movable.stage, open_items[movable.stage], movable.fields) == []
    pending = [p for p in plans if p.quote_discount is not None and Decimal(p.quote_discount) > 15]
    assert len(pending) >= 2 and all(p.outcome == "open" for p in pending)
    assert any(p.owner_index == 0 for p in plans) and {p.owner_index for p in plans} == {0, 1, 2}


def test_tasks_include_open_ones_due_soon_an_overdue_one_and_a_done_one() -> None:
    bodies = [plan.task_body(t, "sam@demo.test", "c_1", NOW) for t in plan.TASKS]
    due = [datetime.fromisoformat(b["due_at"]) for b in bodies]
    assert all(b["assignee"] == "sam@demo.test" for b in bodies)
    assert any(NOW < d < NOW + timedelta(days=1) for d in due) and any(d < NOW for d in due)
    assert any(t.done for t in plan.TASKS) and sum(not t.done for t in plan.TASKS) >= 3


@pytest.mark.parametrize("friends", [1, 6])
def test_referral_events_are_valid_stable_and_make_new_customers_of_the_friends(friends: int) -> None:
    referrers = [("u-1", "ROAST-AAAAAA"), ("u-2", "ROAST-BBBBBB")]
    events = setup_events.referral_events("demo", 42, NOW, referrers, friends)
    again = setup_events.referral_events("demo", 42, NOW + timedelta(hours=1), referrers, friends)
    assert [e["id"] for e in again] == [e["id"] for e in events]  # a later run's events are de-duplicated
    assert len({e["id"] for e in events}) == len(events)
    assert {e["id"] for e in events}.isdisjoint(
        e["id"] for e in setup_events.referral_events("other", 42, NOW, referrers)
    )
    for event in events:
        decode_inbound(orjson.dumps(event))
        assert datetime.fromisoformat(event["time"].replace("Z", "+00:00")) <= NOW
    purchases = [e for e in events if e["type"] == "purchase"]
    signups = [e for e in events if e["data"].get("action") == "signed_up"]
    assert len(purchases) == len(signups) == max(friends - 1, 0)
    for signup, purchase in zip(signups, purchases, strict=True):
        assert signup["time"] < purchase["time"] and purchase["data"]["referral_code"] == signup["data"]["code"]
        assert Decimal(purchase["data"]["amount"]) >= 10  # the referrer reward's minimum purchase


def test_survey_events_are_valid_nps_answers() -> None:
    events = setup_events.survey_events("demo", 42, NOW, ["u-1", "u-2", "u-3"])
    assert len(events) == 3 and all(0 <= e["data"]["nps"] <= 10 for e in events)
    for event in events:
        decode_inbound(orjson.dumps(event))
