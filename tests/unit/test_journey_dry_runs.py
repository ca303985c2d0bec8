"""Dry runs (services/journey/domain/simulation.py): the real engine with a jumping clock, nothing performed;
paths, waits, messages and what holds them back (holdout, quiet hours, caps with the customer's real recent
messages, consent through the rules' seam), the horizon and the step budget of a journey that loops."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from services.journey.domain.caps import ChannelCap, Counted
from services.journey.domain.conditions import CustomerFacts
from services.journey.domain.consent import ConsentGroup, ConsentState
from services.journey.domain.document import Journey, parse_journey
from services.journey.domain.simulation import (
    STEP_BUDGET,
    Rules,
    RunningSimulations,
    SimCustomer,
    SimulationsBusy,
    simulate,
    summary,
)
from services.journey.domain.templates import instantiate

T0 = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)  # a Monday, daytime
DAY = dt.timedelta(days=1)


def customer(customer_id: str = "c-1", *sent: Counted, consent: ConsentState | None = None) -> SimCustomer:
    return SimCustomer(customer_id, CustomerFacts(customer_id, traits={"first_name": "Ada"}), tuple(sent), consent)


def dormant() -> Journey:
    return parse_journey(instantiate("dormant_reactivation", {}))


def document(steps: dict[str, Any], entry: str = "a", **settings: Any) -> Journey:
    return parse_journey(
        {"name": "t", "trigger": {"type": "dormant"}, "entry_step": entry, "steps": steps, "settings": settings}
    )


def message(next_: str, text: str = "Hi {{traits.first_name}}", channel: str = "email") -> dict[str, Any]:
    return {
        "type": "action",
        "action": {"kind": "webhook", "channel": channel, "template": text, "subject": "For {{traits.first_name}}"},
        "next": next_,
    }


def test_the_dormant_template_runs_to_its_end_with_the_clock_jumping_from_due_time_to_due_time() -> None:
    [run] = simulate(dormant(), "j-1", 2, [customer()], T0, 30 * DAY)
    assert run.ended == "completed"
    assert [(p.step_id, p.at) for p in run.path] == [
        ("value_report", T0),
        ("wait_purchase", T0),
        ("limited_offer", T0 + 3 * DAY),
        ("wait_follow_up", T0 + 3 * DAY),
        ("advisor", T0 + 5 * DAY),
        ("done", T0 + 5 * DAY),
    ]
    assert [(w.step_id, w.since, w.until) for w in run.waits] == [
        ("wait_purchase", T0, T0 + 3 * DAY),
        ("wait_follow_up", T0 + 3 * DAY, T0 + 5 * DAY),
    ]
    assert "times out after 3d" in run.waits[0].why and run.waits[1].why == "wait 2d"
    assert [(m.step_id, m.kind, m.channel, m.at) for m in run.messages] == [
        ("value_report", "webhook", "email", T0),
        ("limited_offer", "webhook", "email", T0 + 3 * DAY),
    ]
    assert run.messages[0].preview == "Hi Ada, here is what you got from us so far."
    assert run.messages[0].action_id == "sim_j-1_c-1:value_report:webhook-0"
    assert [(a.kind, a.at) for a in run.actions] == [("sales_task", T0 + 5 * DAY)]
    assert run.held_back == ()


def test_the_horizon_stops_a_run_at_a_wait_that_ends_after_it() -> None:
    [run] = simulate(dormant(), "j-1", 1, [customer()], T0, 2 * DAY)
    assert run.ended == "horizon" and run.ended_at == T0
    assert [m.step_id for m in run.messages] == ["value_report"]
    assert run.waits[-1].until == T0 + 3 * DAY


def test_a_journey_that_loops_forever_stops_at_the_step_budget() -> None:
    never = {"all": [{"field": "stats.orders", "op": "lt", "value": 0}]}
    looping = document(
        {
            "a": message("w"),
            "w": {"type": "wait", "duration": "1m", "next": "b"},
            "b": {"type": "branch", "branches": [{"condition": never, "next": "done"}], "default": "a"},
            "done": {"type": "exit"},
        }
    )
    [run] = simulate(looping, "j-1", 1, [customer()], T0, 365 * DAY)
    assert run.ended == "step_budget"
    assert STEP_BUDGET <= run.steps_run < STEP_BUDGET + 3
    assert len(run.messages) == pytest.approx(STEP_BUDGET / 3, abs=2)


def test_quiet_hours_defer_a_message_to_their_end_and_say_so() -> None:
    quiet = document({"a": message("done"), "done": {"type": "exit"}}, quiet_hours={"start": "21:00", "end": "08:00"})
    night = dt.datetime(2026, 11, 23, 23, 0, tzinfo=dt.UTC)
    [run] = simulate(quiet, "j-1", 1, [customer()], night, DAY)
    assert [(w.why, w.until) for w in run.waits] == [("quiet_hours", night + dt.timedelta(hours=9))]
    assert [m.at for m in run.messages] == [night + dt.timedelta(hours=9)]


def test_the_journey_cap_counts_the_customers_real_recent_messages() -> None:
    capped = document(
        {"a": message("done"), "done": {"type": "exit"}},
        frequency_cap={"messages": 1, "per": "1d", "when_capped": "skip"},
    )
    sent_an_hour_ago = Counted(T0 - dt.timedelta(hours=1), "email", "other-journey")
    fresh, reached = simulate(capped, "j-1", 1, [customer("c-1"), customer("c-2", sent_an_hour_ago)], T0, DAY)
    assert len(fresh.messages) == 1 and fresh.held_back == ()
    assert reached.messages == () and [(h.reason, h.channel) for h in reached.held_back] == [("frequency_cap", "email")]


def test_a_deferring_cap_is_a_wait_until_the_window_frees() -> None:
    capped = document({"a": message("done"), "done": {"type": "exit"}}, frequency_cap={"messages": 1, "per": "1d"})
    sent = Counted(T0 - dt.timedelta(hours=1), "email")
    [run] = simulate(capped, "j-1", 1, [customer("c-1", sent)], T0, 2 * DAY)
    assert [(w.why, w.until) for w in run.waits] == [("frequency_cap", sent.at + DAY)]
    assert [m.at for m in run.messages] == [sent.at + DAY] and run.ended == "completed"


def test_holdout_customers_walk_the_path_but_their_outreach_is_held_back() -> None:
    held = dormant().model_copy(update={"settings": dormant().settings.model_copy(update={"holdout_percent": 50})})
    runs = simulate(held, "j-1", 1, [customer(f"c-{i}") for i in range(200)], T0, 30 * DAY)
    out = [r for r in runs if r.holdout]
    assert 50 < len(out) < 150
    assert all(r.messages == () and {h.reason for h in r.held_back} == {"holdout"} for r in out)
    assert all(len(r.messages) == 2 for r in runs if not r.holdout)
    assert all(r.ended == "completed" for r in runs)


def test_consent_holds_a_message_back_and_a_held_message_does_not_count_against_the_cap() -> None:
    two = document(
        {
            "a": message("w", channel="email"),
            "w": {"type": "wait", "duration": "1h", "next": "b"},
            "b": message("done", channel="sms"),
            "done": {"type": "exit"},
        },
        frequency_cap={"messages": 1, "per": "1d", "when_capped": "skip"},
    )
    unsubscribed = ConsentState({"email": "unsubscribed"})
    # (messages of one engine call count together, as in the service: the wait puts them in two passes)
    out, fine = simulate(two, "j-1", 1, [customer("c-1", consent=unsubscribed), customer("c-2")], T0, DAY, Rules())
    assert [(h.step_id, h.reason) for h in out.held_back] == [("a", "consent:unsubscribed:email")]
    assert [m.channel for m in out.messages] == ["sms"]  # the email did not count: the sms had a slot
    assert [m.channel for m in fine.messages] == ["email"]
    assert [(h.step_id, h.reason) for h in fine.held_back] == [("b", "frequency_cap")]


def test_erasure_suppression_and_opt_in_groups_stop_messages_transactional_ones_need_no_consent() -> None:
    steps = {
        "a": {
            "type": "action",
            "action": {"kind": "webhook", "channel": "email", "template": "Order", "transactional": True},
            "next": "b",
        },
        "b": {
            "type": "action",
            "action": {"kind": "webhook", "channel": "email", "template": "News", "subscription_group": "news"},
            "next": "done",
        },
        "done": {"type": "exit"},
    }
    rules = Rules(consent_groups={"news": ConsentGroup("news", "email", "opt_in")})
    states = {
        "erased": ConsentState(erased=True),
        "suppressed": ConsentState(suppressed=True),
        "silent": ConsentState(),
        "agreed": ConsentState({"news": "subscribed"}),
    }
    runs = simulate(document(steps), "j-1", 1, [customer(c, consent=s) for c, s in states.items()], T0, DAY, rules)
    held = {r.customer_id: [(h.step_id, h.reason) for h in r.held_back] for r in runs}
    sent = {r.customer_id: [m.step_id for m in r.messages] for r in runs}
    assert held == {
        "erased": [("a", "consent:erased"), ("b", "consent:erased")],
        "suppressed": [("a", "consent:suppressed"), ("b", "consent:suppressed")],
        "silent": [("b", "consent:no_consent:news")],
        "agreed": [],
    }
    assert sent == {"erased": [], "suppressed": [], "silent": ["a"], "agreed": ["a", "b"]}


def test_the_workspace_cap_counts_every_journeys_real_messages_and_defers_with_its_reason() -> None:
    hello = document({"a": message("done"), "done": {"type": "exit"}})
    rules = Rules(workspace_caps={"email": ChannelCap(1, DAY)})
    earlier = Counted(T0 - dt.timedelta(hours=3), "email", "another-journey")
    sms_earlier = Counted(T0 - dt.timedelta(hours=3), "sms", "another-journey")
    capped, other_channel = simulate(
        hello, "j-1", 1, [customer("c-1", earlier), customer("c-2", sms_earlier)], T0, 2 * DAY, rules
    )
    assert [(w.why, w.until) for w in capped.waits] == [("workspace_cap:email", earlier.at + DAY)]
    assert [m.at for m in capped.messages] == [earlier.at + DAY]
    assert [m.at for m in other_channel.messages] == [T0] and other_channel.waits == ()


def test_the_summary_counts_endings_messages_and_reasons() -> None:
    runs = simulate(dormant(), "j-1", 1, [customer("c-1"), customer("c-2")], T0, 30 * DAY)
    assert summary(runs) == {"ended": {"completed": 2}, "messages": {"email": 4}, "held_back": {}}


def test_a_simulation_is_deterministic() -> None:
    customers = [customer(f"c-{i}") for i in range(20)]
    assert simulate(dormant(), "j-1", 1, customers, T0, 30 * DAY) == simulate(
        dormant(), "j-1", 1, customers, T0, 30 * DAY
    )


def test_a_workspace_runs_a_bounded_number_of_simulations_at_once_others_are_not_held() -> None:
    running = RunningSimulations(per_workspace=2)
    with running.slot("ws-a"), running.slot("ws-a"):
        with pytest.raises(SimulationsBusy, match="already runs 2 simulations"), running.slot("ws-a"):
            pass
        with running.slot("ws-b"):
            assert running.running == {"ws-a": 2, "ws-b": 1}
    assert running.running == {}
    with pytest.raises(ValueError), running.slot("ws-a"):
        raise ValueError("a failing simulation gives its slot back")
    assert running.running == {}
