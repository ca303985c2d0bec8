"""Built-in journeys: documents a workspace creates in one call and then edits like any other.

Each template is a function of a few parameters (all with defaults) returning a journey document
(a dict, valid for `parse_journey`). `TEMPLATES` describes them for the API; `instantiate(name,
params)` checks the parameters and builds the document.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from services.journey.domain.budgets import MAX_PARAMETER_LENGTH, MAX_PARAMETER_NUMBER, cut
from services.journey.domain.document import InvalidJourney

JsonDoc = dict[str, Any]
_HELLO = 'Hi {{traits.first_name | default: "there"}}'


def _webhook(channel: str, template: str, next_step: str, subject: str | None = None, **data: Any) -> JsonDoc:
    action: JsonDoc = {"kind": "webhook", "channel": channel, "template": template, "data": data}
    if subject is not None:
        action["subject"] = subject
    return {"type": "action", "action": action, "next": next_step}


def _settings(timezone: str, reentry: str, cooldown: str | None = None, **extra: Any) -> JsonDoc:
    settings: JsonDoc = {
        "reentry": reentry,
        "timezone": timezone,
        "quiet_hours": {"start": "21:00", "end": "08:00"},
        "frequency_cap": {"messages": 3, "per": "7d", "when_capped": "defer"},
        **extra,
    }
    if cooldown is not None:
        settings["cooldown"] = cooldown
    return settings


def welcome_and_second_purchase(
    channel: str = "email", second_purchase_wait: str = "14d", coupon_percent: float = 10, timezone: str = "UTC"
) -> JsonDoc:
    """A first purchase: thank them; no second purchase after a while: a coupon and a nudge."""
    return {
        "name": "Welcome and second purchase",
        "description": "Thanks first-time buyers, then nudges a second purchase with a coupon.",
        "trigger": {
            "type": "event",
            "event": "purchase",
            "conditions": {"field": "events.purchase.count", "op": "eq", "value": 1},
        },
        "entry_step": "welcome",
        "steps": {
            "welcome": _webhook(channel, f"{_HELLO}, welcome and thank you for your first order!", "wait_second"),
            "wait_second": {
                "type": "wait",
                "for_event": {"event": "purchase"},
                "timeout": second_purchase_wait,
                "next": "done",
                "on_timeout": "coupon",
            },
            "coupon": {
                "type": "action",
                "action": {"kind": "coupon", "code_prefix": "WELCOME2-", "percent": coupon_percent, "valid_for": "14d"},
                "next": "nudge",
            },
            "nudge": _webhook(
                channel, f"{_HELLO}, here is {coupon_percent:g}% off your next order.", "done", offer="second_purchase"
            ),
            "done": {"type": "exit"},
        },
        "goal": {"event": "purchase", "conditions": {"field": "events.purchase.count", "op": "gte", "value": 2}},
        "settings": _settings(timezone, "never"),
    }


def dormant_reactivation(
    channel: str = "email",
    purchase_wait: str = "3d",
    follow_up_after: str = "2d",
    offer_percent: float = 15,
    team: str | None = None,
    timezone: str = "UTC",
) -> JsonDoc:
    """A dormant customer: a value report; no purchase in 3 days: a limited offer; then a salesperson."""
    task: JsonDoc = {
        "kind": "sales_task",
        "title": 'Advisor follow-up: {{traits.first_name | default: "customer"}} went dormant',
        "assignee_rule": "round_robin" if team else "customer_owner",
        "due_in": "2d",
        "reason": "Dormant customer did not respond to the value report or the limited offer.",
    }
    if team:
        task["team"] = team
    return {
        "name": "Dormant reactivation",
        "description": "Wins back dormant customers: value report, limited offer, then an advisor's call.",
        "trigger": {"type": "dormant"},
        "entry_step": "value_report",
        "steps": {
            "value_report": _webhook(
                channel, f"{_HELLO}, here is what you got from us so far.", "wait_purchase", report="value_report"
            ),
            "wait_purchase": {
                "type": "wait",
                "for_event": {"event": "purchase"},
                "timeout": purchase_wait,
                "next": "done",
                "on_timeout": "limited_offer",
            },
            "limited_offer": _webhook(
                channel,
                f"{_HELLO}, for the next days only: {offer_percent:g}% off.",
                "wait_follow_up",
                offer="limited",
                percent=offer_percent,
            ),
            "wait_follow_up": {"type": "wait", "duration": follow_up_after, "next": "advisor"},
            "advisor": {"type": "action", "action": task, "next": "done"},
            "done": {"type": "exit"},
        },
        "goal": {"event": "purchase"},
        "settings": _settings(timezone, "after_cooldown", "90d"),
    }


def churn_save(
    channel: str = "email", team: str = "retention", high_value_clv: float = 500, timezone: str = "UTC"
) -> JsonDoc:
    """Churn risk became high: valuable customers get a call, the others an offer."""
    valuable = {"field": "scores.predicted_clv", "op": "gte", "value": high_value_clv}
    return {
        "name": "Churn save",
        "description": "When churn risk turns high: a retention call for valuable customers, an offer for others.",
        "trigger": {"type": "score_changed", "score": "churn_risk", "to": "high"},
        "entry_step": "by_value",
        "steps": {
            "by_value": {
                "type": "branch",
                "branches": [{"condition": valuable, "next": "call"}],
                "default": "coupon",
            },
            "call": {
                "type": "action",
                "action": {
                    "kind": "sales_task",
                    "title": "Retention call: high churn risk",
                    "assignee_rule": "round_robin",
                    "team": team,
                    "due_in": "1d",
                    "reason": "Churn risk turned high for a customer with predicted value {{scores.predicted_clv}}.",
                },
                "next": "done",
            },
            "coupon": {
                "type": "action",
                "action": {"kind": "coupon", "code_prefix": "COMEBACK-", "percent": 10, "valid_for": "14d"},
                "next": "miss_you",
            },
            "miss_you": _webhook(channel, f"{_HELLO}, we miss you: 10% off your next order.", "done", offer="save"),
            "done": {"type": "exit"},
        },
        "goal": {"event": "purchase", "within": "30d"},
        "exit_on": [
            {"event": "churn.risk_changed", "conditions": {"field": "data.current", "op": "eq", "value": "low"}}
        ],
        "settings": _settings(timezone, "after_cooldown", "30d"),
    }


def cross_sell(
    category: str = "shoes",
    recommend_category: str = "socks",
    delay: str = "2d",
    channel: str = "email",
    timezone: str = "UTC",
) -> JsonDoc:
    """A purchase in one category: recommend a complementary category a little later."""
    return {
        "name": f"Cross-sell {recommend_category} after {category}",
        "description": f"Recommends {recommend_category} to customers who bought {category}.",
        "trigger": {
            "type": "event",
            "event": "purchase",
            "conditions": {"field": "data.items.category", "op": "eq", "value": category},
        },
        "entry_step": "wait",
        "steps": {
            "wait": {"type": "wait", "duration": delay, "next": "at_nine"},
            "at_nine": {"type": "wait", "until_time": "09:00", "next": "recommend"},
            "recommend": _webhook(
                channel,
                f"{_HELLO}, {recommend_category} that go with your {category}.",
                "done",
                recommend_category=recommend_category,
            ),
            "done": {"type": "exit"},
        },
        "goal": {
            "event": "purchase",
            "conditions": {"field": "data.items.category", "op": "eq", "value": recommend_category},
            "within": "14d",
        },
        "settings": _settings(timezone, "after_cooldown", "30d"),
    }


def referral_invite_to_promoters(
    program_id: str = "default", channel: str = "email", min_nps: int = 9, timezone: str = "UTC"
) -> JsonDoc:
    """Promoters (an NPS of 9+ in a survey answer or on a closed ticket, or becoming Champions) are invited to refer
    friends."""
    return {
        "name": "Referral invite to promoters",
        "description": "Invites promoters and Champions to the referral programme, with one reminder.",
        "trigger": {
            "type": "any",
            "triggers": [
                {
                    "type": "event",
                    "event": "ticket",
                    "conditions": {
                        "all": [
                            {"field": "data.nps", "op": "gte", "value": min_nps},
                            {"field": "data.status", "op": "eq", "value": "closed"},
                        ]
                    },
                },
                {
                    "type": "event",
                    "event": "survey",
                    "conditions": {"field": "data.nps", "op": "gte", "value": min_nps},
                },
                {"type": "score_changed", "score": "rfm_segment", "to": "Champions"},
            ],
        },
        "entry_step": "invite",
        "steps": {
            "invite": {
                "type": "action",
                "action": {"kind": "referral_invite", "program_id": program_id, "channel": channel},
                "next": "wait",
            },
            "wait": {"type": "wait", "duration": "7d", "next": "reminder"},
            "reminder": _webhook(
                channel, f"{_HELLO}, your friends are still welcome: share your invite.", "done", program_id=program_id
            ),
            "done": {"type": "exit"},
        },
        "goal": {"event": "referral", "conditions": {"field": "data.action", "op": "eq", "value": "signed_up"}},
        "settings": _settings(timezone, "after_cooldown", "180d"),
    }


def membership_tier_upgrade_nudge(
    trait: str | None = None,
    current_tier: str = "silver",
    next_tier: str = "gold",
    revenue_from: float = 400,
    revenue_threshold: float = 500,
    channel: str = "email",
    timezone: str = "UTC",
) -> JsonDoc:
    """A member close to the next tier's spend is told how close they are, and reminded once. The tier is the
    member's loyalty tier (`loyalty.tier`; the goal: `loyalty.tier_changed` to the next tier), or, when `trait`
    names one, a trait of the profile as before loyalty tiers (the goal: an identify setting it)."""
    tier_field = "loyalty.tier" if trait is None else f"traits.{trait}"
    close = {
        "all": [
            {"field": tier_field, "op": "eq", "value": current_tier},
            {"field": "stats.revenue", "op": "gte", "value": revenue_from},
            {"field": "stats.revenue", "op": "lt", "value": revenue_threshold},
        ]
    }
    upgraded = {"field": tier_field, "op": "eq", "value": next_tier}
    reached = {"field": "data.current" if trait is None else f"data.traits.{trait}", "op": "eq", "value": next_tier}
    goal = {"event": "loyalty.tier_changed" if trait is None else "identify", "conditions": reached}
    return {
        "name": f"Upgrade nudge to {next_tier}",
        "description": f"Nudges {current_tier} members who are close to {next_tier}.",
        "trigger": {"type": "event", "event": "purchase", "conditions": close},
        "entry_step": "nudge",
        "steps": {
            "nudge": _webhook(
                channel,
                f"{_HELLO}, you are close to {next_tier}: spend {revenue_threshold:g} in total to upgrade.",
                "wait",
                tier=next_tier,
            ),
            "wait": {"type": "wait", "duration": "7d", "next": "check"},
            "check": {"type": "branch", "branches": [{"condition": upgraded, "next": "done"}], "default": "reminder"},
            "reminder": _webhook(channel, f"{_HELLO}, {next_tier} is still within reach.", "done", tier=next_tier),
            "done": {"type": "exit"},
        },
        "goal": goal,
        "settings": _settings(timezone, "after_cooldown", "30d"),
    }


def points_expiring_reminder(
    channel: str = "email",
    reminder_after: str = "3d",
    min_points: int = 1,
    cooldown: str = "7d",
    timezone: str = "UTC",
) -> JsonDoc:
    """Loyalty points about to expire (`loyalty.points_expiring`): tell the member how many expire when, and remind
    them a few days later unless they redeemed (the goal) or purchased (an exit) in between."""
    expiring = "{{loyalty.expiring_points}} of your points expire on {{loyalty.expiring_at}}"
    return {
        "name": "Points expiring reminder",
        "description": "Tells members their loyalty points are about to expire, and reminds them once.",
        "trigger": {
            "type": "event",
            "event": "loyalty.points_expiring",
            "conditions": {"field": "data.points", "op": "gte", "value": min_points},
        },
        "entry_step": "notice",
        "steps": {
            "notice": _webhook(
                channel, f"{_HELLO}, {expiring}: use them on your next order.", "wait", reminder="points_expiring"
            ),
            "wait": {"type": "wait", "duration": reminder_after, "next": "reminder"},
            "reminder": _webhook(
                channel,
                f"{_HELLO}, a reminder: {expiring}. Your balance: {{{{loyalty.balance}}}} points.",
                "done",
                reminder="points_expiring",
            ),
            "done": {"type": "exit"},
        },
        "goal": {"event": "loyalty.points_redeemed"},
        "exit_on": [{"event": "purchase"}],
        "settings": _settings(timezone, "after_cooldown", cooldown),
    }


def cart_abandonment(
    event: str = "cart_abandoned",
    channel: str = "email",
    reminder_after: str = "1h",
    offer_after: str = "1d",
    offer_percent: float = 10,
    cooldown: str = "7d",
    timezone: str = "UTC",
) -> JsonDoc:
    """A cart abandoned (a custom event type of the workspace's tracking plan, `PUT /v1/event-types/{name}`): a
    reminder an hour later, an offer with a coupon a day after that; a purchase meanwhile ends it (and converts)."""
    return {
        "name": "Cart abandonment",
        "description": "Reminds customers of the cart they left, then offers a coupon; a purchase ends it.",
        "trigger": {"type": "event", "event": event},
        "entry_step": "wait_reminder",
        "steps": {
            "wait_reminder": {"type": "wait", "duration": reminder_after, "next": "remind"},
            "remind": _webhook(channel, f"{_HELLO}, you left something in your cart.", "wait_offer", reminder="cart"),
            "wait_offer": {"type": "wait", "duration": offer_after, "next": "coupon"},
            "coupon": {
                "type": "action",
                "action": {"kind": "coupon", "code_prefix": "CART-", "percent": offer_percent, "valid_for": "7d"},
                "next": "offer",
            },
            "offer": _webhook(
                channel,
                f"{_HELLO}, your cart is still waiting: {offer_percent:g}% off if you order now.",
                "done",
                offer="cart",
                percent=offer_percent,
            ),
            "done": {"type": "exit"},
        },
        "goal": {"event": "purchase"},
        "exit_on": [{"event": "purchase"}],
        "settings": _settings(timezone, "after_cooldown", cooldown),
    }


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str  # "string" | "number" | "integer" | "duration" | "string?" (optional)
    default: Any
    description: str


@dataclass(frozen=True)
class Template:
    name: str
    description: str
    parameters: tuple[Parameter, ...]
    build: Callable[..., JsonDoc]


def _p(name: str, type_: str, default: Any, description: str) -> Parameter:
    return Parameter(name, type_, default, description)


_CHANNEL = _p("channel", "string", "email", "email, sms, push, wechat or other")
_TZ = _p("timezone", "string", "UTC", "IANA time zone of the workspace (quiet hours, times of day)")

TEMPLATES: dict[str, Template] = {
    t.name: t
    for t in (
        Template(
            "welcome_and_second_purchase",
            "Thanks first-time buyers; without a second purchase, a coupon and a nudge.",
            (
                _CHANNEL,
                _p("second_purchase_wait", "duration", "14d", "how long to wait for a second purchase"),
                _p("coupon_percent", "number", 10, "discount of the coupon, in percent"),
                _TZ,
            ),
            welcome_and_second_purchase,
        ),
        Template(
            "dormant_reactivation",
            "Dormant customers: a value report, a limited offer if they do not buy, then an advisor follow-up.",
            (
                _CHANNEL,
                _p("purchase_wait", "duration", "3d", "how long to wait for a purchase after the report"),
                _p("follow_up_after", "duration", "2d", "how long after the offer the advisor follows up"),
                _p("offer_percent", "number", 15, "discount of the limited offer, in percent"),
                _p("team", "string?", None, "sales team for round-robin assignment (default: the customer's owner)"),
                _TZ,
            ),
            dormant_reactivation,
        ),
        Template(
            "churn_save",
            "Churn risk turned high: a retention call for valuable customers, an offer for the others.",
            (
                _CHANNEL,
                _p("team", "string", "retention", "sales team of the retention calls"),
                _p("high_value_clv", "number", 500, "predicted CLV from which a customer gets a call"),
                _TZ,
            ),
            churn_save,
        ),
        Template(
            "cross_sell",
            "A purchase in one category: recommend a complementary one.",
            (
                _p("category", "string", "shoes", "category bought (data.items.category)"),
                _p("recommend_category", "string", "socks", "category to recommend"),
                _p("delay", "duration", "2d", "how long after the purchase"),
                _CHANNEL,
                _TZ,
            ),
            cross_sell,
        ),
        Template(
            "referral_invite_to_promoters",
            "Promoters (NPS 9+ in a survey answer or on a closed ticket) and new Champions are invited to refer "
            "friends.",
            (
                _p("program_id", "string", "default", "referral programme"),
                _CHANNEL,
                _p("min_nps", "integer", 9, "lowest NPS answer of a promoter"),
                _TZ,
            ),
            referral_invite_to_promoters,
        ),
        Template(
            "membership_tier_upgrade_nudge",
            "Members close to the next tier's spend are nudged to upgrade.",
            (
                _p(
                    "trait",
                    "string?",
                    None,
                    "none: the member's loyalty tier (loyalty.tier); else a trait holding the tier, as before loyalty",
                ),
                _p("current_tier", "string", "silver", "tier of the customers nudged"),
                _p("next_tier", "string", "gold", "the tier they can reach"),
                _p("revenue_from", "number", 400, "spend from which a member is close"),
                _p("revenue_threshold", "number", 500, "spend of the next tier"),
                _CHANNEL,
                _TZ,
            ),
            membership_tier_upgrade_nudge,
        ),
        Template(
            "points_expiring_reminder",
            "Loyalty points about to expire: the member is told how many expire when, and reminded once unless they "
            "redeem or purchase.",
            (
                _CHANNEL,
                _p("reminder_after", "duration", "3d", "how long after the notice the reminder goes"),
                _p("min_points", "integer", 1, "fewest expiring points worth a notice"),
                _p("cooldown", "duration", "7d", "least time between two notices to a member (several lots)"),
                _TZ,
            ),
            points_expiring_reminder,
        ),
        Template(
            "cart_abandonment",
            "A cart abandoned (a custom event type, e.g. `cart_abandoned`): a reminder after an hour, a coupon offer "
            "a day later; a purchase ends it.",
            (
                _p("event", "string", "cart_abandoned", "the custom event type that says a cart was abandoned"),
                _CHANNEL,
                _p("reminder_after", "duration", "1h", "how long after the abandonment the reminder goes"),
                _p("offer_after", "duration", "1d", "how long after the reminder the offer goes"),
                _p("offer_percent", "number", 10, "discount of the offer's coupon, in percent"),
                _p("cooldown", "duration", "7d", "least time between two enrolments of a customer"),
                _TZ,
            ),
            cart_abandonment,
        ),
    )
}


def _type_ok(type_: str, value: object) -> bool:
    if type_ == "string?":
        return value is None or isinstance(value, str)
    if type_ == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if type_ == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, str)


def _parameter_problem(type_: str, value: object) -> str | None:
    """Why a value cannot be this parameter: its type, or its budget (text of at most MAX_PARAMETER_LENGTH
    characters, numbers within +-MAX_PARAMETER_NUMBER: they land in names, messages and conditions)."""
    if not _type_ok(type_, value):
        return f"must be a {type_.rstrip('?')}"
    if isinstance(value, str) and len(value) > MAX_PARAMETER_LENGTH:
        return f"is {len(value)} characters long; at most {MAX_PARAMETER_LENGTH}"
    if isinstance(value, int | float) and not -MAX_PARAMETER_NUMBER <= value <= MAX_PARAMETER_NUMBER:
        return f"must be between -{MAX_PARAMETER_NUMBER:.0e} and {MAX_PARAMETER_NUMBER:.0e}"
    return None


def instantiate(name: str, params: Mapping[str, object] | None = None) -> JsonDoc:
    """The document of a template with these parameters (others default). Raises KeyError for an
    unknown template and InvalidJourney for unknown, mistyped or oversized parameters (`parameters.<name>`);
    the result still goes through `parse_journey`, which checks the values (e.g. durations)."""
    template = TEMPLATES[name]
    params = dict(params or {})
    known = {p.name: p for p in template.parameters}
    errors = [{"field": cut(f"parameters.{key}"), "message": "unknown parameter"} for key in params if key not in known]
    errors += [
        {"field": f"parameters.{key}", "message": problem}
        for key, value in params.items()
        if key in known and (problem := _parameter_problem(known[key].type, value)) is not None
    ]
    if errors:
        raise InvalidJourney(errors)
    return template.build(**params)
