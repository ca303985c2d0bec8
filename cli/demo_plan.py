"""What `flywheel demo` sets up beside the events, as data (pure: no I/O; the time comes in as a value).

Every console screen needs something to show: KPI targets, marketing spend per acquisition channel, named
segments, journeys from templates, a referral program whose rewards above a threshold wait for review, a loyalty
program, and a sales pipeline whose rules block some moves, with deals, tasks and quotes. `cli/demo_setup.py`
sends these documents through the public API (and the events of `cli/demo_setup_events.py`); they are built
here so they can be checked without a stack.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

DEFAULT_OWNER = "sam@demo.test"
"""Who the devstack's demo key acts for; the demo's deals and tasks are assigned to the key's owner, whoever it is."""
COLLEAGUES = ("ana@demo.test", "ben@demo.test")
REPORT_CURRENCY = "EUR"
PIPELINE_ID = "repurchase_upsell"
"""The built-in pipeline, replaced in the workspace by the demo's: the overview's sales KPIs are read from it."""
REFERRAL_PROGRAM = "Friends of the roastery"
LOYALTY_PROGRAM = "Roastery club"
# The acquisition sources the generated events carry (utm_source of visits, else the first purchase's channel).
SPEND_CHANNELS: dict[str, Decimal] = {  # a month's budget
    "ads": Decimal("900.00"),
    "newsletter": Decimal("150.00"),
    "web": Decimal("400.00"),
    "app": Decimal("250.00"),
}
SPEND_MONTHS = 18
JOURNEYS: tuple[tuple[str, dict[str, Any], str], ...] = (
    # (template, parameters, the status the demo leaves it in)
    ("welcome_and_second_purchase", {}, "active"),
    ("dormant_reactivation", {}, "active"),
    ("cross_sell", {"category": "coffee", "recommend_category": "equipment"}, "paused"),
    ("churn_save", {}, "draft"),
)


def _month_start(day: date, back: int) -> date:
    month = day.year * 12 + day.month - 1 - back
    return date(month // 12, month % 12 + 1, 1)


def kpi_targets(now: datetime) -> list[dict[str, Any]]:
    """Targets for this year, this quarter and this month, so the KPI tree shows progress whatever the period."""
    year = f"{now.year}"
    quarter = f"{now.year}-Q{(now.month - 1) // 3 + 1}"
    month = f"{now.year}-{now.month:02d}"
    targets: list[tuple[str, str, float]] = []
    for period, scale in ((year, 12.0), (quarter, 3.0), (month, 1.0)):
        targets += [
            ("revenue", period, 6000.0 * scale),
            ("new_customers", period, 12.0 * scale),
            ("repurchase_rate", period, 0.35),
            ("retention_90d", period, 0.4),
            ("nps", period, 40.0),
            ("average_order_value", period, 45.0),
            ("ltv_to_cac", period, 3.0),
            ("cac", period, 40.0),
            ("referral_share", period, 0.1),
            ("active", period, 120.0),
        ]
    return [{"metric": metric, "period": period, "target": target} for metric, period, target in targets]


def spend_rows(now: datetime) -> list[dict[str, Any]]:
    """A budget per channel over the events' ~18 months, booked on the 1st and the 15th of each month (so any
    30-day period has spend), up to today; the same rows on every run in the same half-month."""
    rows = []
    for back in range(SPEND_MONTHS):
        month = _month_start(now.date(), back)
        for day in (month, month.replace(day=15)):
            if day > now.date():
                continue
            for channel, amount in SPEND_CHANNELS.items():
                # A little variation from one booking to the next, the same on every run.
                varied = amount * Decimal(90 + (day.toordinal() + len(channel) * 3) % 21) / Decimal(200)
                rows.append(
                    {
                        "date": day.isoformat(),
                        "channel": channel,
                        "campaign": None,
                        "amount": str(varied.quantize(Decimal("0.01"))),
                        "currency": REPORT_CURRENCY,
                    }
                )
    return rows


SEGMENTS: tuple[tuple[str, str, dict[str, Any]], ...] = (
    (
        "VIP customers",
        "Champions, and anyone who spent 300 or more.",
        {
            "any": [
                {"field": "scores.rfm_segment", "op": "eq", "value": "Champions"},
                {"field": "stats.revenue", "op": "gte", "value": 300},
            ]
        },
    ),
    (
        "At risk",
        "Customers whose churn risk is high.",
        {"field": "scores.churn_risk", "op": "eq", "value": "high"},
    ),
    (
        "Dormant 120 days",
        "Bought before, but not in the last 120 days.",
        {
            "all": [
                {"field": "stats.orders", "op": "gte", "value": 1},
                {"field": "stats.last_purchase_at", "op": "not_within_last", "value": "120d"},
            ]
        },
    ),
    (
        "New this quarter",
        "First purchase within the last 90 days.",
        {"field": "stats.first_purchase_at", "op": "within_last", "value": "90d"},
    ),
)


def segments() -> list[dict[str, Any]]:
    return [{"name": name, "description": text, "condition": condition} for name, text, condition in SEGMENTS]


def referral_program() -> dict[str, Any]:
    """Friends get 5.00 at sign-up (granted); referrers 20.00 on the friend's first purchase, which is above the
    review threshold of 10.00, so each waits for someone to approve or reject it."""
    return {
        "name": REFERRAL_PROGRAM,
        "active": True,
        "code_prefix": "ROAST",
        "referrer_reward": {"kind": "amount", "value": "20.00", "trigger": "first_purchase", "min_purchase": "10.00"},
        "friend_reward": {"kind": "amount", "value": "5.00", "trigger": "signup"},
        "tiers": [{"friends": 3, "name": "ambassador", "reward": {"kind": "points", "value": "500"}}],
        "limits": {"rewards_per_referrer_per_month": 10, "budget": "5000.00"},
        "attribution_window_days": 30,
        "review": {"hold_amount_above": "10.00"},
    }


def loyalty_program() -> dict[str, Any]:
    """Points on every euro, double on coffee; tiers by the last 12 months' spend, low enough that the demo's
    regulars reach silver and gold."""
    return {
        "name": LOYALTY_PROGRAM,
        "currency": REPORT_CURRENCY,
        "time_zone": "Europe/Berlin",
        "earn": {
            "points_per_unit": "1",
            "multipliers": [{"category": "coffee", "multiplier": "2"}],
            "bonuses": [{"on": "first_purchase", "points": 100}, {"on": "survey_answer", "points": 20}],
            "max_points_per_order": 5000,
            "max_points_per_day": 10000,
        },
        "tiers": {
            "basis": "spend",
            "window_months": 12,
            "grace_days": 30,
            "ladder": [
                {"name": "member", "threshold": "0", "earn_multiplier": "1"},
                {"name": "silver", "threshold": "150", "earn_multiplier": "1.25", "benefits": ["free shipping"]},
                {"name": "gold", "threshold": "400", "earn_multiplier": "1.5", "benefits": ["free shipping", "gifts"]},
            ],
        },
        "expiry": {"months": 24, "notice_days": 30},
        "redemption": {"point_value": "0.01", "min_points": 500, "max_share_of_order": "0.5", "hold_minutes": 30},
        "refunds": {"shortfall": "negative_balance"},
    }


STAGES = ("lead", "qualified", "proposal", "negotiation")


def pipeline() -> dict[str, Any]:
    """Leaving `qualified` needs the deal's `budget` field; leaving `proposal` needs its quote sent (a required
    checklist item, a task for the deal's owner made on entering the stage)."""
    return {
        "name": "Wholesale and office coffee",
        "stages": [
            {
                "id": "lead",
                "name": "Lead",
                "probability": 0.1,
                "checklist": [
                    {"id": "research", "title": "Look at their order history", "due_in_days": 2, "required": False}
                ],
            },
            {"id": "qualified", "name": "Qualified", "probability": 0.3, "required_fields": ["budget"]},
            {
                "id": "proposal",
                "name": "Proposal sent",
                "probability": 0.6,
                "checklist": [{"id": "send_quote", "title": "Send the quote", "due_in_days": 3, "required": True}],
            },
            {"id": "negotiation", "name": "Negotiation", "probability": 0.8},
        ],
    }


@dataclass(frozen=True)
class DealPlan:
    title: str
    stage: str
    amount: str
    fields: dict[str, Any]
    owner_index: int  # 0: the key's owner; 1, 2: the colleagues
    outcome: str = "open"  # open, won or lost
    quote_discount: str | None = None  # a quote with this discount (above 15: waits for approval)


DEAL_PRODUCTS = ("office beans subscription", "espresso machine lease", "barista training", "gift boxes")


def deal_plans(count: int = 20) -> list[DealPlan]:
    """`count` deals over the pipeline's stages, most owned by the key's owner: some in every stage, a qualified
    one without a budget (its move is blocked) and one with it (it can move), proposals waiting on their quote,
    quotes above the approval threshold, and a few won and lost for the analytics."""
    plans = []
    for n in range(count):
        stage = STAGES[n % len(STAGES)]
        product = DEAL_PRODUCTS[n % len(DEAL_PRODUCTS)]
        amount = Decimal(400 + (n * 137) % 2600).quantize(Decimal("0.01"))
        fields: dict[str, Any] = {}
        if stage != "lead" and n % 8 != 1:  # deal 1 is qualified without a budget: blocked
            fields["budget"] = str(amount)
        outcome = "won" if n in (3, 11) else "lost" if n == 7 else "open"
        discount = None
        if stage == "negotiation" and outcome == "open":
            discount = "20" if n == 15 else "10"  # deal 16's quote waits for approval, deal 20's does not
        if n in (2, 6):
            discount = "25"  # proposals quoted above the threshold: awaiting approval
        plans.append(
            DealPlan(
                title=f"Demo deal {n + 1:02d}: {product}",
                stage=stage,
                amount=str(amount),
                fields=fields,
                owner_index=0 if n % 5 else 1 + (n // 5) % 2,
                outcome=outcome,
                quote_discount=discount,
            )
        )
    return plans


def blocked_and_movable(plans: list[DealPlan]) -> tuple[str, str]:
    """Titles of an open deal whose next move is blocked (qualified without a budget) and one that can move
    (a lead: its checklist item is not required)."""
    blocked = next(p for p in plans if p.stage == "qualified" and "budget" not in p.fields and p.outcome == "open")
    movable = next(p for p in plans if p.stage == "lead" and p.outcome == "open")
    return blocked.title, movable.title


@dataclass(frozen=True)
class TaskPlan:
    title: str
    due_in_hours: float  # negative: overdue
    done: bool = False


TASKS = (
    TaskPlan("Call back about the espresso machine lease", 4),
    TaskPlan("Send the office beans price list", 20),
    TaskPlan("Book a barista training date", 46),
    TaskPlan("Check in after the first delivery", 70),
    TaskPlan("Follow up on the gift box order", -6),
    TaskPlan("Confirm the wholesale delivery address", 30, done=True),
)


def task_body(plan: TaskPlan, owner: str, customer_id: str | None, now: datetime) -> dict[str, Any]:
    due = (now + timedelta(hours=plan.due_in_hours)).replace(microsecond=0)
    body: dict[str, Any] = {"title": plan.title, "due_at": due.isoformat(), "assignee": owner}
    body["reason"] = "Demo task for the console's inbox."
    if customer_id:
        body["customer_id"] = customer_id
    return body


def quote_body(plan: DealPlan) -> dict[str, Any]:
    amount = Decimal(plan.amount)
    return {
        "lines": [{"sku": "OFFICE-BEANS", "quantity": 1, "unit_price": str(amount)}],
        "discount_percent": plan.quote_discount or "0",
    }
