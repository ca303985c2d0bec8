"""The journey engine with a controllable `now`: steps, waits, goals and exits, quiet hours across DST,
frequency caps, re-entry, deterministic splits and holdout, and template rendering."""

from __future__ import annotations

import copy
import datetime as dt
from collections import Counter
from typing import Any

import pytest

from services.journey.domain.conditions import CustomerFacts, EventFacts
from services.journey.domain.document import Journey, parse_journey
from services.journey.domain.engine import (
    Advance,
    CapState,
    Counted,
    Enrolment,
    EnrolmentHistory,
    TriggerInput,
    advance,
    next_time_of_day,
    on_event,
    quiet_hours_end,
    render,
    should_enrol,
    start_enrolment,
)
from services.journey.domain.schedule import in_quiet_hours
from services.journey.domain.templates import dormant_reactivation
from services.journey.domain.triggers import DATE_EVENT_TYPE, next_date_fire, trigger_matches

UTC = dt.UTC
BERLIN = "Europe/Berlin"
T0 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # a Monday, 10:00 in Berlin
FACTS = CustomerFacts("cust-1", traits={"first_name": "Ada"})
WEBHOOK = {"kind": "webhook", "channel": "email", "template": "Hello {{traits.first_name}}"}


def enrol(journey: Journey, now: dt.datetime = T0, customer_id: str = "cust-1") -> Enrolment:
    return start_enrolment(
        journey, enrolment_id=f"enr-{customer_id}", journey_id="j-1", version=3, customer_id=customer_id, now=now
    )


def event(type_: str, at: dt.datetime, **data: Any) -> EventFacts:
    return EventFacts(f"evt-{type_}-{at.isoformat()}", type_, at, data)


def two_messages(**settings: Any) -> Journey:
    return parse_journey(
        {
            "name": "Two messages",
            "trigger": {"type": "event", "event": "purchase"},
            "entry_step": "first",
            "steps": {
                "first": {"type": "action", "action": WEBHOOK, "next": "second"},
                "second": {"type": "action", "action": {**WEBHOOK, "channel": "sms"}, "next": "tag"},
                "tag": {"type": "action", "action": {"kind": "tag", "tag": "messaged"}, "next": "done"},
                "done": {"type": "exit"},
            },
            "settings": {"timezone": BERLIN, **settings},
        }
    )


# --- dormant reactivation, step by step ----------------------------------------------------------


def test_dormant_reactivation_walks_report_wait_offer_wait_task_and_completes() -> None:
    journey = parse_journey(dormant_reactivation(timezone=BERLIN, team="advisors"))
    start = enrol(journey)

    report = advance(journey, start, FACTS, T0)
    [message] = report.actions
    assert message.step_id == "value_report"
    assert message.payload["body"] == "Hi Ada, here is what you got from us so far."
    assert message.action_id == "enr-cust-1:value_report:webhook-0"
    state = report.enrolment
    assert (state.step_id, state.status, state.due_at) == ("wait_purchase", "waiting", T0 + dt.timedelta(days=3))
    assert state.waiting_for is not None and state.waiting_for.event == "purchase"
    assert advance(journey, start, FACTS, T0) == report  # a retry plans the same action ids

    assert advance(journey, state, FACTS, T0 + dt.timedelta(days=2)).enrolment == state  # not due yet

    offer = advance(journey, state, FACTS, T0 + dt.timedelta(days=3), sent_at(T0))
    [message] = offer.actions
    assert message.step_id == "limited_offer"
    assert message.payload["data"] == {"offer": "limited", "percent": 15}
    state = offer.enrolment
    assert (state.step_id, state.status, state.due_at) == ("wait_follow_up", "waiting", T0 + dt.timedelta(days=5))
    assert state.waiting_for is None

    follow_up = advance(journey, state, FACTS, T0 + dt.timedelta(days=5))
    [task] = follow_up.actions
    assert task.kind == "sales_task"
    assert task.payload["team"] == "advisors"
    assert task.payload["assignee_rule"] == "round_robin"
    assert task.payload["due_at"] == (T0 + dt.timedelta(days=7)).isoformat()
    assert follow_up.enrolment.status == "completed"
    assert follow_up.enrolment.step_id == "done"
    assert follow_up.steps == ("advisor", "done")
    assert advance(journey, follow_up.enrolment, FACTS, T0 + dt.timedelta(days=9)).actions == ()


def test_a_purchase_while_waiting_converts_with_attribution() -> None:
    journey = parse_journey(dormant_reactivation(timezone=BERLIN))
    waiting = advance(journey, enrol(journey), FACTS, T0).enrolment
    bought = on_event(journey, waiting, event("purchase", T0 + dt.timedelta(days=1)), FACTS, T0 + dt.timedelta(days=1))
    assert bought is not None
    assert bought.enrolment.status == "converted"
    assert bought.enrolment.due_at is None
    assert bought.conversion is not None
    assert (bought.conversion.journey_id, bought.conversion.version, bought.conversion.variant) == ("j-1", 3, None)
    assert bought.actions == ()
    assert on_event(journey, bought.enrolment, event("purchase", T0 + dt.timedelta(days=2)), FACTS, T0) is None


def test_events_before_entry_or_of_other_types_are_ignored() -> None:
    journey = parse_journey(dormant_reactivation())
    waiting = advance(journey, enrol(journey), FACTS, T0).enrolment
    assert on_event(journey, waiting, event("purchase", T0 - dt.timedelta(seconds=1)), FACTS, T0) is None
    assert on_event(journey, waiting, event("visit", T0 + dt.timedelta(hours=1)), FACTS, T0) is None


# --- waiting for events, goals, exits ------------------------------------------------------------


def waiting_journey(**extra: Any) -> Journey:
    return parse_journey(
        {
            "name": "Review",
            "trigger": {"type": "event", "event": "purchase"},
            "entry_step": "wait",
            "steps": {
                "wait": {
                    "type": "wait",
                    "for_event": {
                        "event": "visit",
                        "conditions": {"field": "data.channel", "op": "eq", "value": "app"},
                    },
                    "timeout": "2d",
                    "next": "thanks",
                    "on_timeout": "done",
                },
                "thanks": {"type": "action", "action": WEBHOOK, "next": "done"},
                "done": {"type": "exit"},
            },
            **extra,
        }
    )


def test_a_waited_for_event_resumes_and_a_late_one_leaves_it_to_the_timeout() -> None:
    journey = waiting_journey()
    waiting = advance(journey, enrol(journey), FACTS, T0).enrolment
    assert on_event(journey, waiting, event("visit", T0 + dt.timedelta(hours=1), channel="web"), FACTS, T0) is None
    resumed = on_event(journey, waiting, event("visit", T0 + dt.timedelta(hours=1), channel="app"), FACTS, T0)
    assert resumed is not None
    assert [a.step_id for a in resumed.actions] == ["thanks"]
    assert resumed.enrolment.status == "completed"
    late = event("visit", T0 + dt.timedelta(days=2, seconds=1), channel="app")
    assert on_event(journey, waiting, late, FACTS, T0 + dt.timedelta(days=3)) is None
    timed_out = advance(journey, waiting, FACTS, T0 + dt.timedelta(days=3))
    assert (timed_out.actions, timed_out.enrolment.status) == ((), "completed")


def test_goal_within_and_exit_on() -> None:
    journey = waiting_journey(
        goal={"event": "purchase", "within": "1d"},
        exit_on=[{"event": "refund", "conditions": {"field": "data.amount", "op": "gte", "value": 100}}],
    )
    waiting = advance(journey, enrol(journey), FACTS, T0).enrolment
    assert on_event(journey, waiting, event("purchase", T0 + dt.timedelta(days=2)), FACTS, T0) is None
    assert on_event(journey, waiting, event("refund", T0, amount="99.99"), FACTS, T0) is None
    exited = on_event(journey, waiting, event("refund", T0, amount="150.00"), FACTS, T0)
    assert exited is not None and exited.enrolment.status == "exited" and exited.conversion is None


def test_until_time_waits_for_the_next_wall_clock_time() -> None:
    journey = parse_journey(
        {
            "name": "Morning",
            "trigger": {"type": "dormant"},
            "entry_step": "nine",
            "steps": {"nine": {"type": "wait", "until_time": "09:00", "next": "done"}, "done": {"type": "exit"}},
            "settings": {"timezone": BERLIN},
        }
    )
    waiting = advance(journey, enrol(journey), FACTS, T0).enrolment  # 10:00 in Berlin: tomorrow 09:00
    assert waiting.due_at == dt.datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


# --- quiet hours ---------------------------------------------------------------------------------


def test_quiet_hours_defer_a_message_to_the_morning_in_the_workspace_zone() -> None:
    journey = two_messages(quiet_hours={"start": "21:00", "end": "08:00"})
    night = dt.datetime(2026, 11, 23, 21, 30, tzinfo=UTC)  # 22:30 in Berlin
    deferred = advance(journey, enrol(journey, night), FACTS, night)
    assert deferred.actions == ()
    morning = dt.datetime(2026, 11, 24, 7, 0, tzinfo=UTC)  # 08:00 in Berlin (UTC+1)
    assert (deferred.enrolment.step_id, deferred.enrolment.status) == ("first", "waiting")
    assert deferred.enrolment.due_at == morning
    assert advance(journey, deferred.enrolment, FACTS, morning - dt.timedelta(minutes=1)).actions == ()
    sent = advance(journey, deferred.enrolment, FACTS, morning)
    assert [a.action_id for a in sent.actions] == [
        "enr-cust-1:first:webhook-0",
        "enr-cust-1:second:webhook-1",
        "enr-cust-1:tag:tag-2",
    ]
    assert sent.enrolment.status == "completed"


@pytest.mark.parametrize(
    ("evening", "morning"),
    [
        # spring forward (29 March 2026): 22:00 CET the night before, 08:00 CEST = 06:00 UTC
        (dt.datetime(2026, 3, 28, 21, 0, tzinfo=UTC), dt.datetime(2026, 3, 29, 6, 0, tzinfo=UTC)),
        # fall back (25 October 2026): 22:00 CEST the night before, 08:00 CET = 07:00 UTC
        (dt.datetime(2026, 10, 24, 20, 0, tzinfo=UTC), dt.datetime(2026, 10, 25, 7, 0, tzinfo=UTC)),
    ],
)
def test_quiet_hours_end_across_dst(evening: dt.datetime, morning: dt.datetime) -> None:
    assert in_quiet_hours("21:00", "08:00", BERLIN, evening)
    assert quiet_hours_end("21:00", "08:00", BERLIN, evening) == morning
    journey = two_messages(quiet_hours={"start": "21:00", "end": "08:00"})
    assert advance(journey, enrol(journey, evening), FACTS, evening).enrolment.due_at == morning


def test_quiet_hours_within_a_day_and_outside() -> None:
    noon = dt.datetime(2026, 11, 23, 11, 30, tzinfo=UTC)  # 12:30 in Berlin
    assert in_quiet_hours("12:00", "14:00", BERLIN, noon)
    assert quiet_hours_end("12:00", "14:00", BERLIN, noon) == dt.datetime(2026, 11, 23, 13, 0, tzinfo=UTC)
    assert quiet_hours_end("21:00", "08:00", BERLIN, noon) == noon


def test_next_time_of_day_in_a_skipped_hour_runs_just_after_the_jump() -> None:
    before = dt.datetime(2026, 3, 29, 0, 0, tzinfo=UTC)  # 01:00 CET; 02:00-03:00 does not exist that night
    assert next_time_of_day("02:30", BERLIN, before) == dt.datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # 03:30 CEST
    assert next_time_of_day("10:00", BERLIN, T0) == T0  # at the time itself: now
    with pytest.raises(ValueError, match="aware"):
        next_time_of_day("10:00", BERLIN, T0.replace(tzinfo=None))


# --- frequency cap -------------------------------------------------------------------------------


def sent_at(*times: dt.datetime) -> CapState:
    """Messages counted at these times (channel and journey not known: they count against every cap)."""
    return CapState(tuple(Counted(t) for t in times))


def test_frequency_cap_defers_until_the_window_frees_up() -> None:
    journey = two_messages(frequency_cap={"messages": 2, "per": "1d"})
    caps = sent_at(T0 - dt.timedelta(hours=20), T0 - dt.timedelta(days=3))
    first = advance(journey, enrol(journey), FACTS, T0, caps)
    assert [a.step_id for a in first.actions] == ["first"]  # one in the window, this makes two
    assert (first.enrolment.step_id, first.enrolment.status) == ("second", "waiting")
    assert first.enrolment.due_at == T0 + dt.timedelta(hours=4)  # the message of T0-20h leaves the window
    caps_later = CapState((*caps.sent, Counted(T0)))
    later = advance(journey, first.enrolment, FACTS, T0 + dt.timedelta(hours=4), caps_later)
    assert [a.step_id for a in later.actions] == ["second", "tag"]
    assert later.actions[0].action_id == "enr-cust-1:second:webhook-1"


def test_frequency_cap_skip_drops_the_message_and_goes_on() -> None:
    journey = two_messages(frequency_cap={"messages": 1, "per": "1d", "when_capped": "skip"})
    result = advance(journey, enrol(journey), FACTS, T0, CapState())
    assert [a.step_id for a in result.actions] == ["first", "tag"]
    assert [(s.step_id, s.reason) for s in result.skipped] == [("second", "frequency_cap")]
    assert result.enrolment.status == "completed"


def test_frequency_cap_counts_only_messages_and_the_window() -> None:
    journey = two_messages(frequency_cap={"messages": 2, "per": "12h"})
    old = sent_at(T0 - dt.timedelta(hours=12))  # exactly a window ago: out
    assert len(advance(journey, enrol(journey), FACTS, T0, old).actions) == 3


# --- re-entry ------------------------------------------------------------------------------------


def reentry_journey(**settings: Any) -> Journey:
    doc = copy.deepcopy(
        {
            "name": "Any purchase",
            "trigger": {
                "type": "event",
                "event": "purchase",
                "conditions": {"field": "data.amount", "op": "gt", "value": 0},
            },
            "entry_step": "done",
            "steps": {"done": {"type": "exit"}},
            "settings": settings,
        }
    )
    return parse_journey(doc)


PURCHASE = TriggerInput(event("purchase", T0, amount="10.00"), FACTS)
FIRST = EnrolmentHistory()
ENDED = EnrolmentHistory(
    enrolments=1, last_entered_at=T0 - dt.timedelta(days=40), last_ended_at=T0 - dt.timedelta(days=10)
)


@pytest.mark.parametrize(
    ("settings", "history", "expected"),
    [
        ({"reentry": "never"}, FIRST, True),
        ({"reentry": "never"}, ENDED, False),
        ({"reentry": "always"}, ENDED, True),
        ({"reentry": "always"}, EnrolmentHistory(active=True, enrolments=1, last_entered_at=T0), False),
        ({"reentry": "after_cooldown", "cooldown": "7d"}, ENDED, True),
        ({"reentry": "after_cooldown", "cooldown": "30d"}, ENDED, False),
        (
            {"reentry": "after_cooldown", "cooldown": "30d"},
            EnrolmentHistory(enrolments=2, last_entered_at=T0 - dt.timedelta(days=31)),
            True,
        ),
        ({"reentry": "after_cooldown", "cooldown": "30d"}, FIRST, True),
    ],
)
def test_reentry_policies(settings: dict[str, Any], history: EnrolmentHistory, expected: bool) -> None:
    assert should_enrol(reentry_journey(**settings), PURCHASE, history, T0) is expected


def test_should_enrol_needs_the_trigger() -> None:
    journey = reentry_journey(reentry="always")
    assert not should_enrol(journey, TriggerInput(event("purchase", T0, amount="0"), FACTS), FIRST, T0)
    assert not should_enrol(journey, TriggerInput(event("visit", T0), FACTS), FIRST, T0)


def test_triggers_of_scoring_changes_and_dates() -> None:
    doc = dormant_reactivation()
    doc["trigger"] = {
        "type": "any",
        "triggers": [
            {"type": "score_changed", "score": "churn_risk", "from": "medium", "to": "high"},
            {"type": "segment_entered", "segment_id": "vip"},
            {"type": "date", "trait": "birthday"},
        ],
    }
    trigger = parse_journey(doc).trigger
    assert trigger_matches(trigger, event("churn.risk_changed", T0, previous="medium", current="high"), FACTS)
    assert not trigger_matches(trigger, event("churn.risk_changed", T0, previous="low", current="high"), FACTS)
    assert trigger_matches(trigger, event("segment.entered", T0, segment_id="vip"), FACTS)
    assert not trigger_matches(trigger, event("segment.exited", T0, segment_id="vip"), FACTS)
    assert trigger_matches(trigger, event(DATE_EVENT_TYPE, T0, trait="birthday", date="2026-11-23"), FACTS)


def test_date_triggers_fire_yearly_or_once_with_an_offset() -> None:
    doc = dormant_reactivation()
    doc["trigger"] = {"type": "date", "trait": "birthday", "offset_days": -1, "at": "09:00"}
    birthday = parse_journey(doc).trigger
    assert birthday.type == "date"
    facts = CustomerFacts("c", traits={"birthday": "1992-02-29", "renewal": "2026-01-10"})
    # 29 February falls on the 28th in 2027, one day earlier: 27 February 09:00 Berlin
    assert next_date_fire(birthday, facts, BERLIN, T0) == dt.datetime(2027, 2, 27, 8, 0, tzinfo=UTC)
    once = birthday.model_copy(update={"trait": "renewal", "repeat": "once", "offset_days": 0})
    assert next_date_fire(once, facts, BERLIN, T0) is None  # already past
    assert next_date_fire(once, facts, BERLIN, dt.datetime(2026, 1, 1, tzinfo=UTC)) == dt.datetime(
        2026, 1, 10, 8, 0, tzinfo=UTC
    )
    assert next_date_fire(birthday, CustomerFacts("c", traits={"birthday": "soon"}), BERLIN, T0) is None


# --- splits and holdout --------------------------------------------------------------------------


def split_journey(holdout_percent: float = 0) -> Journey:
    return parse_journey(
        {
            "name": "A/B",
            "trigger": {"type": "dormant"},
            "entry_step": "split",
            "steps": {
                "split": {
                    "type": "split",
                    "variants": [
                        {"name": "a", "weight": 70, "next": "send"},
                        {"name": "b", "weight": 30, "next": "done"},
                    ],
                },
                "send": {"type": "action", "action": WEBHOOK, "next": "done"},
                "done": {"type": "exit"},
            },
            "settings": {"holdout_percent": holdout_percent},
        }
    )


def run_many(journey: Journey, n: int) -> list[Advance]:
    return [advance(journey, enrol(journey, customer_id=f"c{i}"), FACTS, T0) for i in range(n)]


def test_splits_are_deterministic_and_respect_weights() -> None:
    journey = split_journey()
    results = run_many(journey, 10_000)
    variants = Counter(r.enrolment.variant for r in results)
    assert abs(variants["a"] / 10_000 - 0.7) < 0.02
    assert results[:50] == run_many(journey, 50)
    assert all(bool(r.actions) == (r.enrolment.variant == "a") for r in results)


def test_holdout_is_deterministic_gets_no_outreach_and_does_not_skew_variants() -> None:
    journey = split_journey(holdout_percent=10)
    results = run_many(journey, 10_000)
    held = [r for r in results if r.enrolment.holdout]
    assert abs(len(held) / 10_000 - 0.1) < 0.015
    assert all(r.actions == () for r in held)
    assert all(s.reason == "holdout" for r in held for s in r.skipped)
    assert any(r.skipped for r in held)
    treated = [r for r in results if not r.enrolment.holdout]
    assert abs(sum(r.enrolment.variant == "a" for r in treated) / len(treated) - 0.7) < 0.025
    assert [r.enrolment.holdout for r in run_many(journey, 200)] == [r.enrolment.holdout for r in results[:200]]
    assert not any(r.enrolment.holdout for r in run_many(split_journey(0), 500))


# --- actions and rendering -----------------------------------------------------------------------


def test_coupon_codes_are_deterministic_per_enrolment() -> None:
    journey = parse_journey(
        {
            "name": "Coupon",
            "trigger": {"type": "dormant"},
            "entry_step": "coupon",
            "steps": {
                "coupon": {
                    "type": "action",
                    "action": {"kind": "coupon", "code_prefix": "BACK-", "percent": 10, "valid_for": "7d"},
                    "next": "done",
                },
                "done": {"type": "exit"},
            },
        }
    )
    [one] = advance(journey, enrol(journey), FACTS, T0).actions
    [again] = advance(journey, enrol(journey), FACTS, T0 + dt.timedelta(hours=1)).actions
    [other] = advance(journey, enrol(journey, customer_id="c2"), FACTS, T0).actions
    assert one.payload["code"] == again.payload["code"] != other.payload["code"]
    assert one.payload["code"].startswith("BACK-")
    assert one.payload["valid_until"] == (T0 + dt.timedelta(days=7)).isoformat()


def test_render_fills_placeholders_and_never_raises_on_missing_data() -> None:
    facts = CustomerFacts("c-9", traits={"name": "Ada", "empty": "", "tier": None}, stats={"orders": 3.0, "aov": 12.5})
    assert render('Hi {{traits.name | default: "there"}}', facts) == "Hi Ada"
    assert render('Hi {{ traits.nickname | default: "there" }}!', facts) == "Hi there!"
    assert render("Hi {{traits.nickname}}!", facts) == "Hi !"
    assert render('{{traits.empty | default: "x"}}{{traits.tier | default: "y"}}', facts) == "xy"
    assert render("{{stats.orders}} orders, {{stats.aov}} each, {{customer_id}}", facts) == "3 orders, 12.5 each, c-9"
    assert render('{{scores.churn_risk | default: "say \\"hi\\""}}', facts) == 'say "hi"'
    assert render("{{ __import__('os') }} {{traits.name.__class__}} {{", facts) == (
        "{{ __import__('os') }} {{traits.name.__class__}} {{"
    )


def test_the_holdout_group_is_global_the_same_customers_in_every_journey() -> None:
    from services.journey.domain.assignment import in_holdout

    customers = [f"c{i}" for i in range(2000)]
    first = {c for c in customers if in_holdout("j_a", c, 10)}
    assert first == {c for c in customers if in_holdout("j_b", c, 10)}
    assert first <= {c for c in customers if in_holdout("j_c", c, 20)}  # a larger holdout contains the smaller
    assert 150 < len(first) < 250
