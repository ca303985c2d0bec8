"""The journey service's HTTP documents (its internal API, and the public API's journey endpoints and 360
view section, which pass them through): journeys, their versions and numbers, templates, a customer's
enrolments and the outreach channel."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, JsonValue, Strict, StringConstraints

from contracts.http import CursorPage, Input, PeriodReport, View
from contracts.http.types import RequestTime

JourneyStatus = Literal["draft", "active", "paused", "archived"]

# The built-in `dormant_reactivation` template's document (POST /v1/journey-templates/dormant_reactivation).
EXAMPLE_JOURNEY: dict[str, Any] = {
    "name": "Dormant reactivation",
    "description": "Wins back dormant customers: value report, limited offer, then an advisor's call.",
    "trigger": {"type": "dormant"},
    "entry_step": "value_report",
    "steps": {
        "value_report": {
            "type": "action",
            "action": {
                "kind": "webhook",
                "channel": "email",
                "template": 'Hi {{traits.first_name | default: "there"}}, here is what you got from us so far.',
                "data": {"report": "value_report"},
            },
            "next": "wait_purchase",
        },
        "wait_purchase": {
            "type": "wait",
            "for_event": {"event": "purchase"},
            "timeout": "3d",
            "next": "done",
            "on_timeout": "limited_offer",
        },
        "limited_offer": {
            "type": "action",
            "action": {
                "kind": "webhook",
                "channel": "email",
                "template": 'Hi {{traits.first_name | default: "there"}}, for the next days only: 15% off.',
                "data": {"offer": "limited", "percent": 15},
            },
            "next": "wait_follow_up",
        },
        "wait_follow_up": {"type": "wait", "duration": "2d", "next": "advisor"},
        "advisor": {
            "type": "action",
            "action": {
                "kind": "sales_task",
                "title": 'Advisor follow-up: {{traits.first_name | default: "customer"}} went dormant',
                "assignee_rule": "customer_owner",
                "due_in": "2d",
                "reason": "Dormant customer did not respond to the value report or the limited offer.",
            },
            "next": "done",
        },
        "done": {"type": "exit"},
    },
    "goal": {"event": "purchase"},
    "settings": {
        "reentry": "after_cooldown",
        "timezone": "UTC",
        "quiet_hours": {"start": "21:00", "end": "08:00"},
        "frequency_cap": {"messages": 3, "per": "7d", "when_capped": "defer"},
        "cooldown": "90d",
    },
}


class JourneySummary(View):
    journey_id: str = Field(examples=["j_3f2a9c0d1e4b5a67"])
    name: str = Field(examples=["Dormant reactivation"])
    status: JourneyStatus = Field(examples=["active"])
    active_version: int | None = Field(
        None, description="The frozen version new enrolments get; null until activated.", examples=[1]
    )
    latest_version: int = Field(
        description="The version being edited (a draft when newer than active_version).", examples=[2]
    )
    versions: int = Field(description="How many versions the journey has.", examples=[2])
    template: str | None = Field(
        None, description="The built-in template it was created from, if any.", examples=["dormant_reactivation"]
    )
    created_at: datetime
    updated_at: datetime


class JourneyPage(CursorPage[JourneySummary]):
    pass


class Journey(View):
    """A journey and its latest version's document."""

    journey_id: str = Field(examples=["j_3f2a9c0d1e4b5a67"])
    name: str = Field(examples=["Dormant reactivation"])
    status: JourneyStatus = Field(examples=["draft"])
    active_version: int | None = Field(
        None, description="The frozen version new enrolments get; null until activated.", examples=[None]
    )
    latest_version: int = Field(
        description="The version being edited (a draft when newer than active_version).", examples=[1]
    )
    template: str | None = Field(None, examples=["dormant_reactivation"])
    document: dict[str, JsonValue] = Field(
        description="The latest version's document, normalised.", examples=[EXAMPLE_JOURNEY]
    )
    created_at: datetime
    updated_at: datetime


class JourneyValidity(View):
    valid: Literal[True] = Field(
        description="Always true: an invalid document answers 422 naming each problem.", examples=[True]
    )


class StepCount(View):
    step_id: str = Field(examples=["wait_purchase"])
    active: int = Field(examples=[0])
    waiting: int = Field(examples=[412])


class VariantStats(View):
    variant: str = Field(examples=["a"])
    entered: int = Field(examples=[600])
    converted: int = Field(examples=[54])
    conversion_rate: float | None = Field(None, examples=[0.09])


class HoldoutStats(View):
    holdout_entered: int = Field(examples=[120])
    holdout_converted: int = Field(examples=[7])
    holdout_rate: float | None = Field(None, examples=[0.058])
    treated_entered: int = Field(examples=[1080])
    treated_converted: int = Field(examples=[97])
    treated_rate: float | None = Field(None, examples=[0.09])
    lift: float | None = Field(
        None,
        description="(treated rate - holdout rate) / holdout rate; null without a holdout or at a holdout rate of 0.",
        examples=[0.55],
    )


class DeliveryCounts(View):
    delivered: int = Field(examples=[2310])
    pending: int = Field(examples=[12])
    failed: int = Field(examples=[3])
    suppressed: int = Field(
        0, description="Messages the consent check stopped right before sending (never sent).", examples=[41]
    )
    suppressed_reasons: dict[str, int] = Field(
        default_factory=dict,
        description="The suppressed messages by reason: `erased`, `suppressed` (the suppression list), "
        "`unsubscribed:<group>`, `no_consent:<group>` (an opt-in group without a subscription), "
        "`unknown_group:<group>` (a group the workspace does not define).",
        examples=[{"unsubscribed:newsletter": 38, "suppressed": 3}],
    )


class HeldBackCount(View):
    """Messages of the journey a frequency cap held back, by outcome and reason (each message counted once per
    outcome and reason, however often it was re-checked)."""

    outcome: Literal["deferred", "skipped"] = Field(examples=["skipped"])
    reason: str = Field(
        description="`frequency_cap` (the journey's own cap), `workspace_cap:<channel>` (the workspace's cap on the "
        "channel, taken by messages sent earlier in the window) or `priority: lost to journey <id>` (a journey of "
        "higher priority, or of equal priority and a lower id, took the last slot in the same pass).",
        examples=["priority: lost to journey j_welcome"],
    )
    messages: int = Field(examples=[37])


class JourneyStats(View):
    """A journey's funnel: enrolments, where those in flight are, conversions per variant and against the holdout."""

    journey_id: str = Field(examples=["j_3f2a9c0d1e4b5a67"])
    entered: int = Field(description="Enrolments ever, every version.", examples=[1200])
    in_flight: int = Field(description="Active or waiting now.", examples=[412])
    active: int = Field(examples=[0])
    waiting: int = Field(examples=[412])
    converted: int = Field(examples=[104])
    exited: int = Field(examples=[80])
    completed: int = Field(examples=[604])
    steps: list[StepCount] = Field(default_factory=list, description="Where enrolments in flight are now.")
    variants: list[VariantStats] = Field(default_factory=list)
    holdout: HoldoutStats
    deliveries: DeliveryCounts
    deferred_by_caps: int = Field(0, description="Messages a frequency cap deferred (they wait for a free slot).")
    skipped_by_caps: int = Field(0, description="Messages a frequency cap skipped.")
    held_back: list[HeldBackCount] = Field(
        default_factory=list, description="Messages deferred or skipped by frequency caps, by outcome and reason."
    )


class TemplateParameter(View):
    name: str = Field(examples=["purchase_wait"])
    type: str = Field(description='string, number, integer, duration, or "string?" (optional).', examples=["duration"])
    default: JsonValue = Field(None, examples=["3d"])
    description: str = Field("", examples=["how long to wait for a purchase after the report"])


class JourneyTemplate(View):
    name: str = Field(examples=["dormant_reactivation"])
    description: str = Field(
        "", examples=["Wins back dormant customers: value report, limited offer, then an advisor's call."]
    )
    parameters: list[TemplateParameter] = Field(default_factory=list)


class JourneyTemplateList(View):
    items: list[JourneyTemplate]


class CustomerJourney(View):
    """One enrolment of the customer in a journey (from the journey service)."""

    journey_id: str = Field(examples=["j_3f2a9c0d1e4b5a67"])
    version: int = Field(description="The journey version the customer was enrolled on.", examples=[2])
    status: Literal["active", "waiting", "converted", "exited", "completed"] = Field(examples=["waiting"])
    step_id: str | None = Field(None, description="The step the enrolment is at; null once it ended.")
    variant: str | None = Field(None, description="The A/B variant, if the journey splits.", examples=["b"])
    holdout: bool = Field(False, description="In the holdout (control) group: sent nothing, counted to measure lift.")
    entered_at: datetime
    ended_at: datetime | None = None
    end_reason: str | None = Field(None, examples=["completed"])


class CustomerJourneyList(View):
    items: list[CustomerJourney] = Field(description="The customer's enrolments, newest first.")


class ChannelIn(Input):
    """The workspace's outreach channel: journeys' webhook actions are POSTed here, signed with its secret."""

    webhook_url: str = Field(
        min_length=1,
        max_length=2000,
        description="An http(s) URL whose host resolves to public addresses only (422 otherwise: no loopback, "
        "private, link-local or other internal address).",
        examples=["https://hooks.example.com/flywheel"],
    )
    timezone: str = Field(
        "UTC",
        max_length=64,
        description="IANA time zone name for quiet hours (422 for an unknown one).",
        examples=["Europe/Berlin"],
    )
    rotate_secret: Annotated[bool, Strict()] = Field(  # true or false, never "yes", 1 or "true"
        False, description="Make a new signing secret (returned once, in this answer)."
    )


class ChannelView(View):
    webhook_url: str = Field(examples=["https://hooks.example.com/flywheel"])
    timezone: str = Field(examples=["Europe/Berlin"])
    has_secret: bool = Field(True, description="Deliveries are always signed.")
    secret: str | None = Field(
        None,
        description="The webhook signing secret: only in the PUT answer that made it (the first PUT, or one with "
        "`rotate_secret`); never shown again.",
    )
    updated_at: datetime


class JourneyReport(PeriodReport):
    """The workspace's journey numbers for a period [from, to), read by the public overview report."""

    entered: int = Field(description="Enrolments (holdouts left out) that entered in the period, every journey.")
    converted: int = Field(description="How many of them have converted (so far).")
    conversion_rate: float | None = Field(description="converted / entered.")
    journeys: int = Field(description="Journeys with an enrolment in the period.")


# --- dry runs (POST /journeys/{id}/simulate) and measured lift (GET /journeys/{id}/lift) ---------------------

MAX_SIMULATED_CUSTOMERS = 1000  # services/journey/domain/simulation.py keeps the same budget


class SimulationIn(Input):
    """Whom to run a journey for, from when and how far (exactly one of `customer_ids` and `segment_id`)."""

    # "Exactly one of" as a constraint, not prose only: a generated request naming both (or neither) is invalid
    # in the document as it is refused (422) by the service. A null counts as absent, as the service reads it.
    model_config = ConfigDict(
        json_schema_extra={
            "oneOf": [
                {"required": ["customer_ids"], "properties": {"customer_ids": {"type": "array"}}},
                {"required": ["segment_id"], "properties": {"segment_id": {"type": "string"}}},
            ],
            # Whole requests: examples of each field alone would be combined into one naming both.
            "examples": [{"customer_ids": ["c_01HZX3K9", "c_01HZX3KA"], "horizon": "30d"}, {"segment_id": "vip"}],
        }
    )

    customer_ids: list[Annotated[str, Field(min_length=1, max_length=64)]] | None = Field(
        None,
        min_length=1,
        max_length=MAX_SIMULATED_CUSTOMERS,
        description=f"The customers to run (at most {MAX_SIMULATED_CUSTOMERS}; ids this workspace's journeys do not "
        "know are listed in `unknown_customers`).",
        examples=[["c_01HZX3K9", "c_01HZX3KA"]],
    )
    segment_id: str | None = Field(
        None,
        min_length=1,
        max_length=64,
        description=f"Or a segment's current members (422 past {MAX_SIMULATED_CUSTOMERS}).",
        examples=["vip"],
    )
    start_at: RequestTime | None = Field(None, description="The moved clock: when they enter (default now).")
    horizon: str = Field(
        "30d",
        pattern=r"^[0-9]{1,5}[mhdw]$",
        description='How far to run: a duration up to "365d" (e.g. "30d", "12h", "8w").',
        examples=["30d"],
    )
    version: int | None = Field(
        None, ge=1, le=1_000_000, description="The version to run, draft or active (default the latest)."
    )


class SimulatedStep(View):
    step_id: str = Field(examples=["value_report"])
    at: datetime


class SimulatedWait(View):
    step_id: str = Field(examples=["wait_purchase"])
    since: datetime
    until: datetime
    why: str = Field(
        description='e.g. "wait 2d", "wait for purchase (none comes in a simulation: times out after 3d)", '
        '"quiet_hours", or the cap that deferred a message ("frequency_cap", "workspace_cap:email", "priority: ...").',
        examples=["wait 2d"],
    )


class SimulatedMessage(View):
    action_id: str = Field(examples=["sim_j_3f2a9c0d1e4b5a67_c_01HZX3K9:value_report:webhook-0"])
    step_id: str = Field(examples=["value_report"])
    kind: str = Field(description="webhook, survey or referral_invite.", examples=["webhook"])
    channel: str | None = Field(examples=["email"])
    at: datetime
    subject: str | None = Field(None, description="Rendered for the customer.")
    preview: str | None = Field(None, description="The rendered text, its first 500 characters.")


class SimulatedAction(View):
    """An action that is not a message (a tag, a sales task, a coupon, points...), as it would be requested."""

    action_id: str
    step_id: str
    kind: str = Field(examples=["sales_task"])
    at: datetime
    detail: dict[str, JsonValue] = Field(default_factory=dict)


class HeldBackMessage(View):
    action_id: str
    step_id: str
    kind: str = Field(examples=["webhook"])
    channel: str | None = Field(examples=["email"])
    at: datetime
    reason: str = Field(
        description="holdout; a cap that skipped it (frequency_cap, workspace_cap:<channel>, priority: lost to "
        "journey <id>); or consent:<why> (erased, suppressed, unsubscribed:<group>, no_consent:<group>, "
        "unknown_group:<group>).",
        examples=["consent:unsubscribed:email"],
    )


class CustomerSimulation(View):
    customer_id: str = Field(examples=["c_01HZX3K9"])
    holdout: bool
    variant: str | None = None
    ended: Literal["completed", "converted", "exited", "horizon", "step_budget"] = Field(
        description="How the run ended: the journey's end, the horizon, or the step budget (a journey that loops)."
    )
    ended_at: datetime
    steps_run: int
    path: list[SimulatedStep]
    waits: list[SimulatedWait]
    messages: list[SimulatedMessage] = Field(description="What it would send (nothing is sent).")
    actions: list[SimulatedAction]
    held_back: list[HeldBackMessage]


class SimulationSummary(View):
    ended: dict[str, int] = Field(description="Runs by how they ended.", examples=[{"completed": 1000}])
    messages: dict[str, int] = Field(description="Messages by channel.", examples=[{"email": 2000}])
    held_back: dict[str, int] = Field(description="Messages held back by reason.", examples=[{"holdout": 40}])


class JourneySimulation(View):
    """A dry run: nothing was sent, stored or published."""

    journey_id: str = Field(examples=["j_3f2a9c0d1e4b5a67"])
    version: int = Field(examples=[2])
    start_at: datetime
    until: datetime = Field(description="start_at + horizon.")
    step_budget: int = Field(description="Engine steps each customer may run.", examples=[100])
    assumptions: list[str] = Field(description="What a simulation cannot know, and what it assumes instead.")
    customers: list[CustomerSimulation]
    unknown_customers: list[str] = Field(
        default_factory=list, description="Ids asked for that this workspace's journeys do not know: not run."
    )
    summary: SimulationSummary


class GroupOutcome(View):
    customers: int = Field(description="Customers in the group (each counted once, by their first enrolment).")
    converted: int = Field(description="Of them, converted (the journey's goal).")
    conversion_rate: float | None = Field(description="converted / customers; null for an empty group.")
    revenue_per_customer: float | None = Field(
        description="Mean of each customer's purchases within the window after entry; null for an empty group."
    )


class Difference(View):
    """Enrolled minus held out, with its 95% confidence interval."""

    estimate: float
    low: float | None = Field(description="null when the group sizes allow no interval.")
    high: float | None
    method: str = Field(examples=["newcombe_wilson"])


class JourneyLift(View):
    """Enrolled against held-out customers (settings.holdout_percent): conversion rate and revenue per customer,
    their differences with 95% confidence intervals (null when a group is empty)."""

    journey_id: str = Field(examples=["j_3f2a9c0d1e4b5a67"])
    window: str = Field(
        description="Purchases count within this duration after entry: the goal's `within`, else 30d.",
        examples=["30d"],
    )
    as_of: datetime
    enrolled: GroupOutcome
    held_out: GroupOutcome
    conversion_rate_difference: Difference | None
    revenue_per_customer_difference: Difference | None


CapChannel = Literal["email", "sms", "push", "wechat", "other"]


class ChannelCapIn(Input):
    """At most `messages` messages per `per` to one customer on the channel, every journey together."""

    messages: int = Field(ge=1, le=1000, examples=[1])
    per: str = Field(
        pattern=r"^[1-9][0-9]{0,5}[mhdw]$",
        description='A window from "1m" to "31d" ("m" minutes, "h" hours, "d" days, "w" weeks; 422 beyond).',
        examples=["1d"],
    )


class MessagingSettingsIn(Input):
    """The workspace's messaging settings: a frequency cap per channel across all journeys (a channel left out
    is not capped; `{}` removes every cap). Journeys' own `settings.frequency_cap` still apply, and their
    `settings.priority` and `settings.when_capped` decide which message takes the last slot of a window."""

    caps: dict[CapChannel, ChannelCapIn] = Field(
        default_factory=dict, examples=[{"email": {"messages": 1, "per": "1d"}, "sms": {"messages": 2, "per": "7d"}}]
    )


class ChannelCapView(View):
    messages: int = Field(examples=[1])
    per: str = Field(examples=["1d"])


class MessagingSettings(View):
    """The workspace's messaging settings as they apply now: version 0 (no cap) until the first PUT."""

    caps: dict[str, ChannelCapView] = Field(default_factory=dict)
    version: int = Field(description="Every PUT writes the next version (the last 100 are kept).", examples=[3])
    updated_at: datetime | None = Field(None, description="When this version was written; null for version 0.")


# --- consent: subscription groups and the suppression list (journey keeps them; domain/consent.py decides)
GROUP_ID_PATTERN = r"^[A-Za-z0-9_.-]{1,64}$"
MAX_SUPPRESSIONS_PER_CALL = 1000
Channel = Literal["email", "sms", "push", "wechat", "other"]
Sha256 = Annotated[
    str,
    StringConstraints(pattern=r"^[0-9a-f]{64}$"),
    Field(description="Lower-case hex sha256 of a normalised email (trimmed, lower-cased) or phone (E.164)."),
]


class SubscriptionGroupIn(Input):
    """A subscription group: a channel's list (a newsletter by email, promotions by SMS) a journey message may
    name (`subscription_group`); `default` is what a customer with no known choice is: `opt_in` (nothing is sent
    until they subscribe) or `opt_out` (sent until they unsubscribe)."""

    name: Annotated[str, StringConstraints(min_length=1, max_length=200)] = Field(examples=["Newsletter"])
    channel: Channel = Field(examples=["email"])
    default: Literal["opt_in", "opt_out"] = Field(examples=["opt_in"])
    description: Annotated[str, StringConstraints(max_length=1000)] | None = None


class SubscriptionGroup(View):
    group_id: str = Field(examples=["newsletter"])
    name: str = Field(examples=["Newsletter"])
    channel: str = Field(examples=["email"])
    default: Literal["opt_in", "opt_out"] = Field(examples=["opt_in"])
    description: str | None = None
    updated_at: datetime


class SubscriptionGroupList(View):
    items: list[SubscriptionGroup]


class SuppressionsIn(Input):
    """Hashed identifiers to add to the workspace's suppression list: no journey message reaches a customer
    carrying one of them, transactional ones included."""

    hashes: list[Sha256] = Field(
        min_length=1,
        max_length=MAX_SUPPRESSIONS_PER_CALL,
        examples=[["b5fc85e55755f9e0d030a10ab4429b6b2944855f9a0d60077fe832becbc41d72"]],
    )


class SuppressionsChanged(View):
    changed: int = Field(
        description="Hashes added (or removed) by this call; those already so are not counted.", examples=[1]
    )
    total: int = Field(description="Hashes on the workspace's suppression list now.", examples=[212])


class ConsentRecord(View):
    group_id: str = Field(examples=["newsletter"])
    status: Literal["subscribed", "unsubscribed"] = Field(examples=["unsubscribed"])
    source: str = Field(examples=["unsubscribe_link"])
    occurred_at: datetime
    event_id: str = Field(examples=["unsubscribe-link-3f1c0e5a9b2d4c6e8f0a1b2c3d4e5f60"])


class CustomerConsent(View):
    """A customer's consent: the current status per group (the latest by event time) and every change, oldest
    first. A group without a status is its default (`opt_in`: not subscribed; `opt_out` and a channel's own group:
    subscribed)."""

    customer_id: str = Field(examples=["c_01HZX3K9"])
    current: list[ConsentRecord]
    history: list[ConsentRecord]
