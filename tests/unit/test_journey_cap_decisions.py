"""One frequency cap across journeys, with priority: the pure decision (services/journey/domain/caps.py) and the
engine calling it (services/journey/domain/engine.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from services.journey.domain.caps import (
    ChannelCap,
    Counted,
    JourneyCap,
    Message,
    allocate,
    decide,
    priority_order,
)
from services.journey.domain.document import InvalidJourney, parse_journey
from services.journey.domain.engine import CapState, advance, start_enrolment
from services.journey.domain.facts import FactsRecord

UTC = dt.UTC
T0 = dt.datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
DAY = dt.timedelta(days=1)
EMAIL_1_PER_DAY = {"email": ChannelCap(1, DAY)}


def test_under_the_cap_sends_and_other_channels_are_not_counted() -> None:
    sms_earlier = [Counted(T0 - dt.timedelta(hours=1), "sms", "j_other")]
    assert decide(EMAIL_1_PER_DAY, Message("j_a", "email"), sms_earlier, T0).outcome == "send"
    assert decide(EMAIL_1_PER_DAY, Message("j_a", "sms"), [], T0).outcome == "send"  # sms is not capped


def test_a_message_sent_earlier_in_the_window_holds_the_slot() -> None:
    earlier = [Counted(T0 - dt.timedelta(hours=3), "email", "j_low")]
    deferred = decide(EMAIL_1_PER_DAY, Message("j_high", "email", priority=90), earlier, T0)
    assert (deferred.outcome, deferred.reason) == ("defer", "workspace_cap:email")
    assert deferred.until == T0 + dt.timedelta(hours=21)  # when the earlier message leaves the window
    skipped = decide(EMAIL_1_PER_DAY, Message("j_high", "email", when_capped="skip"), earlier, T0)
    assert (skipped.outcome, skipped.reason, skipped.until) == ("skip", "workspace_cap:email", None)
    out_of_window = [Counted(T0 - DAY, "email", "j_low")]  # exactly a window ago: out
    assert decide(EMAIL_1_PER_DAY, Message("j_a", "email"), out_of_window, T0).outcome == "send"


def test_a_message_of_unknown_channel_counts_against_every_channel() -> None:
    legacy = [Counted(T0 - dt.timedelta(hours=1))]
    assert decide(EMAIL_1_PER_DAY, Message("j_a", "email"), legacy, T0).reason == "workspace_cap:email"


def test_the_journey_cap_applies_first_with_its_own_when_capped() -> None:
    own = JourneyCap(1, dt.timedelta(hours=12), "skip")
    earlier = [Counted(T0 - dt.timedelta(hours=1), "sms", "j_other")]
    decision = decide(EMAIL_1_PER_DAY, Message("j_a", "email", when_capped="defer", journey_cap=own), earlier, T0)
    assert (decision.outcome, decision.reason) == ("skip", "frequency_cap")


def test_priority_order_is_higher_first_then_journey_id() -> None:
    keys = [(50, "j_b"), (90, "j_z"), (50, "j_a"), (0, "j_0")]
    assert sorted(keys, key=lambda k: priority_order(*k)) == [(90, "j_z"), (50, "j_a"), (50, "j_b"), (0, "j_0")]


def test_competing_messages_the_higher_priority_takes_the_last_slot() -> None:
    low = Message("j_a_low", "email", priority=10, when_capped="skip")
    high = Message("j_z_high", "email", priority=80)
    decided = allocate(EMAIL_1_PER_DAY, [], [low, high], T0)  # given in any order
    assert [(m.journey_id, d.outcome, d.reason) for m, d in decided] == [
        ("j_z_high", "send", None),
        ("j_a_low", "skip", "priority: lost to journey j_z_high"),
    ]


def test_ties_go_to_the_lower_journey_id_and_the_loser_defers_per_its_setting() -> None:
    first, second = Message("j_1", "email"), Message("j_2", "email", when_capped="defer")
    decided = allocate(EMAIL_1_PER_DAY, [], [second, first], T0)
    assert [(m.journey_id, d.outcome) for m, d in decided] == [("j_1", "send"), ("j_2", "defer")]
    assert decided[1][1].reason == "priority: lost to journey j_1"
    assert decided[1][1].until == T0 + DAY


def test_a_full_window_before_the_pass_is_not_a_lost_priority() -> None:
    earlier = [Counted(T0 - dt.timedelta(hours=2), "email", "j_old")]
    decided = allocate(EMAIL_1_PER_DAY, earlier, [Message("j_a", "email"), Message("j_b", "email")], T0)
    assert [d.reason for _, d in decided] == ["workspace_cap:email", "workspace_cap:email"]


def test_two_slots_both_competitors_go() -> None:
    caps = {"sms": ChannelCap(2, 7 * DAY)}
    decided = allocate(caps, [], [Message("j_a", "sms"), Message("j_b", "sms"), Message("j_c", "sms")], T0)
    assert [d.outcome for _, d in decided] == ["send", "send", "defer"]
    assert decided[2][1].reason == "priority: lost to journey j_a"


# --- the engine --------------------------------------------------------------------------------------


def journey(**settings: Any) -> Any:
    return parse_journey(
        {
            "name": "Welcome",
            "trigger": {"type": "event", "event": "signup"},
            "entry_step": "hello",
            "steps": {
                "hello": {
                    "type": "action",
                    "action": {"kind": "webhook", "channel": "email", "template": "Hi"},
                    "next": "done",
                },
                "done": {"type": "exit"},
            },
            "settings": settings,
        }
    )


def run(parsed: Any, caps: CapState, journey_id: str = "j_a") -> Any:
    enrolment = start_enrolment(parsed, enrolment_id="en-1", journey_id=journey_id, version=1, customer_id="c", now=T0)
    return advance(parsed, enrolment, FactsRecord().facts("c"), T0, caps)


def test_the_engine_defers_a_capped_message_and_reports_why() -> None:
    in_pass = (Counted(T0, "email", "j_b", in_pass=True),)
    result = run(journey(), CapState(in_pass, EMAIL_1_PER_DAY))
    assert result.actions == ()
    [deferred] = result.deferred
    assert (deferred.step_id, deferred.reason, deferred.until) == ("hello", "priority: lost to journey j_b", T0 + DAY)
    assert (result.enrolment.status, result.enrolment.due_at) == ("waiting", T0 + DAY)
    # The timer fires: the slot is free again, and the same action id goes.
    later = advance(journey(), result.enrolment, FactsRecord().facts("c"), T0 + DAY, CapState((), EMAIL_1_PER_DAY))
    assert [a.action_id for a in later.actions] == ["en-1:hello:webhook-0"]


def test_the_engine_skips_per_the_journey_setting() -> None:
    earlier = (Counted(T0 - dt.timedelta(hours=1), "email", "j_b"),)
    result = run(journey(when_capped="skip", priority=100), CapState(earlier, EMAIL_1_PER_DAY))
    assert [(s.step_id, s.reason) for s in result.skipped] == [("hello", "workspace_cap:email")]
    assert result.enrolment.status == "completed"


def test_without_workspace_caps_nothing_changes() -> None:
    earlier = (Counted(T0 - dt.timedelta(hours=1), "email", "j_b"),)
    assert len(run(journey(), CapState(earlier)).actions) == 1


@pytest.mark.parametrize(
    ("settings", "field"),
    [
        ({"priority": 101}, "settings.priority"),
        ({"priority": -1}, "settings.priority"),
        ({"priority": "90"}, "settings.priority"),
        ({"when_capped": "drop"}, "settings.when_capped"),
    ],
)
def test_priority_and_when_capped_are_validated(settings: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidJourney) as caught:
        journey(**settings)
    assert [e["field"] for e in caught.value.errors] == [field]
