"""The journey document's models: one JSON document per journey and workspace, as front ends edit it.

    {"name": "Dormant reactivation", "trigger": {"type": "dormant"}, "entry_step": "report",
     "steps": {"report": {"type": "action", "action": {"kind": "webhook", ...}, "next": "wait"}, ...},
     "goal": {"event": "purchase"}, "exit_on": [{"event": "refund"}], "settings": {"timezone": "Europe/Berlin"}}

Triggers (`type`): event, segment_entered, segment_exited, score_changed, score_crossed (p_alive or predicted CLV
crossing a threshold, once per crossing: {"type": "score_crossed", "score": "p_alive", "op": "lt", "value": 0.3}),
dormant, date, and any (one of up to 10 of the others, e.g. an NPS answer or becoming a Champion). Steps (`type`): wait
(duration, until_time or for_event with timeout / on_timeout), branch, split, action, exit. Actions
(`kind`): webhook, sales_task, tag, set_attribute, coupon, referral_invite, survey (an NPS/CSAT question with
a signed one-time answer link, delivered through the webhook), points (loyalty points credited to the member).
Conditions use the segment shape (conditions.py). Durations are "30m", "12h", "3d", "2w" (1 minute to 3650 days);
times of day "HH:MM".

Limits: every size, count and number has a budget (budgets.py): 100 steps, step ids of 1-64 letters,
digits, _ or -, 20 branches, 10 variants, 20 exit_on conditions, 10 alternatives in an `any` trigger,
templates of 20,000 characters with at most 100 placeholders, names of 200...

`parse_journey` (document.py) validates a document, its graph too, and reports every problem with its path.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, TypeAlias, get_args

from pydantic import (
    AfterValidator,
    ConfigDict,
    Field,
    JsonValue,
    StringConstraints,
    model_validator,
)

from contracts.json_document import JsonDocument
from contracts.scoring import ChurnRisk, RfmSegment
from services.journey.domain.budgets import (
    MAX_ANY_TRIGGERS,
    MAX_ATTRIBUTE_VALUE_CHARS,
    MAX_BRANCHES,
    MAX_DATA_CHARS,
    MAX_DESCRIPTION_LENGTH,
    MAX_EXIT_ON,
    MAX_NAME_LENGTH,
    MAX_OFFSET_DAYS,
    MAX_POINTS,
    MAX_POINTS_REASON_LENGTH,
    MAX_REASON_LENGTH,
    MAX_SCORE_THRESHOLD,
    MAX_SUBJECT_LENGTH,
    MAX_SURVEY_LINK_TTL,
    MAX_TEMPLATE_LENGTH,
    MAX_VARIANT_WEIGHT,
    MAX_VARIANTS,
    MIN_SURVEY_LINK_TTL,
    json_chars,
    shown,
)
from services.journey.domain.caps import DEFAULT_PRIORITY, PRIORITY_MAX, PRIORITY_MIN
from services.journey.domain.conditions import RootCondition
from services.journey.domain.placeholders import template_problems
from services.journey.domain.schedule import parse_duration, parse_time_of_day, zone

_FROZEN = ConfigDict(frozen=True, extra="forbid")


def _duration(text: str) -> str:
    if parse_duration(text) is None:
        raise ValueError(
            f'must be a duration like "30m", "12h", "3d" or "2w" (1 minute to 3650 days) (got {shown(text)})'
        )
    return text


def _time_of_day(text: str) -> str:
    if parse_time_of_day(text) is None:
        raise ValueError(f'must be a time of day "HH:MM" (got {shown(text)})')
    return text


def _timezone(name: str) -> str:
    zone(name)
    return name


def _template(text: str) -> str:
    problems = template_problems(text)
    if problems:
        raise ValueError("; ".join(problems))
    return text


def _json_within(limit: int) -> AfterValidator:
    """A JSON value of at most `limit` characters (measured no further than just past it)."""

    def check(value: Any) -> Any:
        if json_chars(value, limit) > limit:
            raise ValueError(f"is more than {limit} characters of JSON")
        return value

    return AfterValidator(check)


Duration: TypeAlias = Annotated[str, AfterValidator(_duration)]
TimeOfDay: TypeAlias = Annotated[str, AfterValidator(_time_of_day)]
StepId: TypeAlias = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
Text: TypeAlias = Annotated[str, StringConstraints(min_length=1, max_length=MAX_NAME_LENGTH)]
Template: TypeAlias = Annotated[str, StringConstraints(max_length=MAX_TEMPLATE_LENGTH), AfterValidator(_template)]
EventType: TypeAlias = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_.]{0,63}$")]
TraitName: TypeAlias = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")]


class EventCondition(JsonDocument):
    """An event of a type whose data (and the customer) meet optional conditions."""

    model_config = _FROZEN

    event: EventType
    conditions: RootCondition | None = None


# --- triggers ------------------------------------------------------------------------------------


class EventTrigger(JsonDocument):
    model_config = _FROZEN

    type: Literal["event"]
    event: EventType
    conditions: RootCondition | None = None


class SegmentTrigger(JsonDocument):
    model_config = _FROZEN

    type: Literal["segment_entered", "segment_exited"]
    segment_id: Annotated[str, StringConstraints(min_length=1, max_length=64)]


class ScoreChangedTrigger(JsonDocument):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    type: Literal["score_changed"]
    score: Literal["churn_risk", "rfm_segment"]
    to: RfmSegment | ChurnRisk
    from_: RfmSegment | ChurnRisk | None = Field(None, alias="from")

    @model_validator(mode="after")
    def _values_of_score(self) -> ScoreChangedTrigger:
        allowed: tuple[str, ...] = get_args(RfmSegment if self.score == "rfm_segment" else ChurnRisk)
        for key, value in (("to", self.to), ("from", self.from_)):
            if value is not None and value not in allowed:
                raise ValueError(f"@{key} must be one of {', '.join(allowed)} for {self.score} (got {value!r})")
        return self


class ScoreCrossedTrigger(JsonDocument):
    """Fires when the customer's p_alive or predicted CLV crosses a threshold: scoring's `scores.changed` whose
    previous value did not meet `op value` (or was not known) and whose current value does. Once per crossing: a
    customer staying below does not fire again; going above and below again does."""

    model_config = _FROZEN

    type: Literal["score_crossed"]
    score: Literal["p_alive", "predicted_clv"]
    op: Literal["lt", "lte", "gt", "gte"]
    value: Annotated[float, Field(ge=-MAX_SCORE_THRESHOLD, le=MAX_SCORE_THRESHOLD, allow_inf_nan=False)]

    @model_validator(mode="after")
    def _probability(self) -> ScoreCrossedTrigger:
        if self.score == "p_alive" and not 0 <= self.value <= 1:
            raise ValueError(f"@value must be from 0 to 1 for p_alive (got {self.value})")
        return self


class DormantTrigger(JsonDocument):
    model_config = _FROZEN

    type: Literal["dormant"]
    conditions: RootCondition | None = None


class DateTrigger(JsonDocument):
    """Fires on a date held in a trait (birthday, membership_renewal), offset by days, at a time of day."""

    model_config = _FROZEN

    type: Literal["date"]
    trait: TraitName
    offset_days: Annotated[int, Field(ge=-MAX_OFFSET_DAYS, le=MAX_OFFSET_DAYS)] = 0
    at: TimeOfDay = "09:00"
    repeat: Literal["yearly", "once"] = "yearly"


SingleTrigger: TypeAlias = Annotated[
    EventTrigger | SegmentTrigger | ScoreChangedTrigger | ScoreCrossedTrigger | DormantTrigger | DateTrigger,
    Field(discriminator="type"),
]


class AnyTrigger(JsonDocument):
    """Any one of several triggers (e.g. a promoter's NPS answer, or becoming a Champion)."""

    model_config = _FROZEN

    type: Literal["any"]
    triggers: tuple[SingleTrigger, ...] = Field(min_length=1, max_length=MAX_ANY_TRIGGERS)


Trigger: TypeAlias = Annotated[
    EventTrigger
    | SegmentTrigger
    | ScoreChangedTrigger
    | ScoreCrossedTrigger
    | DormantTrigger
    | DateTrigger
    | AnyTrigger,
    Field(discriminator="type"),
]


# --- actions -------------------------------------------------------------------------------------


SubscriptionGroupId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]{1,64}$")]


class WebhookAction(JsonDocument):
    """A message sent through the workspace's webhook for its channel; template rendered per customer."""

    model_config = _FROZEN

    kind: Literal["webhook"]
    channel: Literal["email", "sms", "push", "wechat", "other"]
    template: Template
    subject: Annotated[str, StringConstraints(max_length=MAX_SUBJECT_LENGTH), AfterValidator(_template)] | None = None
    data: Annotated[dict[str, JsonValue], _json_within(MAX_DATA_CHARS)] = Field(default_factory=dict)
    subscription_group: SubscriptionGroupId | None = None  # None: the channel's own group (domain/consent.py)
    transactional: bool = False  # needs no consent (an order confirmation); the suppression list still stops it


class SalesTaskAction(JsonDocument):
    """Work for a salesperson: the customer's owner, or the next of a team in turn."""

    model_config = _FROZEN

    kind: Literal["sales_task"]
    title: Annotated[Text, AfterValidator(_template)]
    assignee_rule: Literal["customer_owner", "round_robin"] = "customer_owner"
    team: Text | None = None
    due_in: Duration = "2d"
    reason: Annotated[str, StringConstraints(max_length=MAX_REASON_LENGTH), AfterValidator(_template)] | None = None


class TagAction(JsonDocument):
    model_config = _FROZEN

    kind: Literal["tag"]
    op: Literal["add", "remove"] = "add"
    tag: Annotated[str, StringConstraints(min_length=1, max_length=100)]


class SetAttributeAction(JsonDocument):
    model_config = _FROZEN

    kind: Literal["set_attribute"]
    name: TraitName
    value: Annotated[JsonValue, _json_within(MAX_ATTRIBUTE_VALUE_CHARS)]


class CouponAction(JsonDocument):
    """A coupon: a fixed code, or a prefix the engine completes per enrolment (the same on a retry)."""

    model_config = _FROZEN

    kind: Literal["coupon"]
    code: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,64}$")] | None = None
    code_prefix: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,40}$")] | None = None
    value: Annotated[float, Field(gt=0, le=1_000_000)] | None = None
    percent: Annotated[float, Field(gt=0, le=100)] | None = None
    valid_for: Duration = "14d"

    @model_validator(mode="after")
    def _one_of_each(self) -> CouponAction:
        if (self.code is None) == (self.code_prefix is None):
            raise ValueError("@code give exactly one of code and code_prefix")
        if (self.value is None) == (self.percent is None):
            raise ValueError("@value give exactly one of value and percent")
        return self


class ReferralInviteAction(JsonDocument):
    model_config = _FROZEN

    kind: Literal["referral_invite"]
    program_id: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    channel: Literal["email", "sms", "push", "wechat", "other"] = "email"


class PointsAction(JsonDocument):
    """Credits loyalty points to the customer: published as `loyalty.points_requested` (its id the action id, so
    loyalty credits them once), which the loyalty service books as a `journey:<action id>` entry."""

    model_config = _FROZEN

    kind: Literal["points"]
    points: Annotated[int, Field(ge=1, le=MAX_POINTS)]
    reason: Annotated[str, StringConstraints(max_length=MAX_POINTS_REASON_LENGTH)] = ""


def _link_ttl(text: str) -> str:
    ttl = parse_duration(text)
    if ttl is None or not MIN_SURVEY_LINK_TTL <= ttl <= MAX_SURVEY_LINK_TTL:
        raise ValueError(f'must be a duration from "1h" to "90d" (got {shown(text)})')
    return text


class SurveyAction(JsonDocument):
    """Asks for an NPS and/or CSAT answer through the workspace's webhook, as a `webhook` action sends a message:
    the delivery carries `survey` (survey_id, question, answer_url, expires_at), the answer URL a signed one-time
    link to the gateway's POST /v1/survey-answers (runtime/survey_links.py), valid for `link_ttl`."""

    model_config = _FROZEN

    kind: Literal["survey"]
    channel: Literal["email", "sms", "push", "wechat", "other"] = "email"
    survey_id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.:-]{1,64}$")]
    question: Literal["nps", "csat", "both"] = "nps"
    template: Template | None = None
    subject: Annotated[str, StringConstraints(max_length=MAX_SUBJECT_LENGTH), AfterValidator(_template)] | None = None
    link_ttl: Annotated[str, AfterValidator(_link_ttl)] = "14d"
    subscription_group: SubscriptionGroupId | None = None
    transactional: bool = False


Action: TypeAlias = Annotated[
    WebhookAction
    | SalesTaskAction
    | TagAction
    | SetAttributeAction
    | CouponAction
    | ReferralInviteAction
    | SurveyAction
    | PointsAction,
    Field(discriminator="kind"),
]
# Actions that reach the customer (or reward them): skipped for the holdout group.
OUTREACH_KINDS = frozenset({"webhook", "sales_task", "coupon", "referral_invite", "survey", "points"})
# Actions that are messages: held back in quiet hours and counted against the frequency cap.
MESSAGE_KINDS = frozenset({"webhook", "referral_invite", "survey"})
# Actions sent as deliveries through the workspace's webhook (the others are events).
DELIVERED_KINDS = frozenset({"webhook", "survey"})


# --- steps ---------------------------------------------------------------------------------------


class WaitStep(JsonDocument):
    """Wait a duration, until a time of day, or for an event (with a timeout)."""

    model_config = _FROZEN

    type: Literal["wait"]
    duration: Duration | None = None
    until_time: TimeOfDay | None = None
    for_event: EventCondition | None = None
    timeout: Duration | None = None
    next: StepId
    on_timeout: StepId | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> WaitStep:
        kinds = [k for k in ("duration", "until_time", "for_event") if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError("a wait has exactly one of duration, until_time or for_event")
        if self.for_event is not None:
            if self.timeout is None:
                raise ValueError("@timeout required when waiting for an event")
            if self.on_timeout is None:
                raise ValueError("@on_timeout required when waiting for an event")
        elif self.timeout is not None or self.on_timeout is not None:
            raise ValueError("timeout and on_timeout apply only to a wait for_event")
        return self


class BranchCase(JsonDocument):
    model_config = _FROZEN

    condition: RootCondition
    next: StepId


class BranchStep(JsonDocument):
    """The first branch whose condition holds for the customer, else `default`."""

    model_config = _FROZEN

    type: Literal["branch"]
    branches: tuple[BranchCase, ...] = Field(min_length=1, max_length=MAX_BRANCHES)
    default: StepId


class Variant(JsonDocument):
    model_config = _FROZEN

    name: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
    weight: float
    next: StepId

    @model_validator(mode="after")
    def _positive(self) -> Variant:
        if not self.weight > 0:
            raise ValueError("@weight weights must be positive")
        if not self.weight <= MAX_VARIANT_WEIGHT:
            raise ValueError(f"@weight weights are at most {MAX_VARIANT_WEIGHT} (only their proportions matter)")
        return self


class SplitStep(JsonDocument):
    """An A/B(/n) split: each customer always lands in the same variant (a hash), in proportion to weights."""

    model_config = _FROZEN

    type: Literal["split"]
    variants: tuple[Variant, ...] = Field(min_length=1, max_length=MAX_VARIANTS)

    @model_validator(mode="after")
    def _unique(self) -> SplitStep:
        names = [v.name for v in self.variants]
        if len(set(names)) != len(names):
            raise ValueError("variant names must be unique")
        return self


class ActionStep(JsonDocument):
    model_config = _FROZEN

    type: Literal["action"]
    action: Action
    next: StepId


class ExitStep(JsonDocument):
    """The end of a path: the enrolment completes."""

    model_config = _FROZEN

    type: Literal["exit"]


Step: TypeAlias = Annotated[WaitStep | BranchStep | SplitStep | ActionStep | ExitStep, Field(discriminator="type")]


# --- the journey ---------------------------------------------------------------------------------


class Goal(EventCondition):
    """The event that counts as success: the enrolment ends converted (if within `within` of entry)."""

    within: Duration | None = None


class FrequencyCap(JsonDocument):
    """At most `messages` messages per `per` to a customer across all journeys; `when_capped` decides."""

    model_config = _FROZEN

    messages: Annotated[int, Field(ge=1, le=1000)]
    per: Duration
    when_capped: Literal["defer", "skip"] = "defer"


class QuietHours(JsonDocument):
    model_config = _FROZEN

    start: TimeOfDay = "21:00"
    end: TimeOfDay = "08:00"

    @model_validator(mode="after")
    def _not_empty(self) -> QuietHours:
        if self.start == self.end:
            raise ValueError("@end quiet hours must not start and end at the same time")
        return self


class JourneySettings(JsonDocument):
    model_config = _FROZEN

    reentry: Literal["never", "after_cooldown", "always"] = "never"
    cooldown: Duration | None = None
    frequency_cap: FrequencyCap | None = None
    quiet_hours: QuietHours | None = None
    timezone: Annotated[str, AfterValidator(_timezone)] = "UTC"
    holdout_percent: Annotated[float, Field(ge=0, le=50)] = 0
    # Against the workspace's per-channel caps (domain/caps.py): a higher priority takes the last slot of a window
    # from messages competing in the same pass; the message that loses is deferred or skipped.
    priority: Annotated[int, Field(ge=PRIORITY_MIN, le=PRIORITY_MAX)] = DEFAULT_PRIORITY
    when_capped: Literal["defer", "skip"] = "defer"

    @model_validator(mode="after")
    def _cooldown(self) -> JourneySettings:
        if self.reentry == "after_cooldown" and self.cooldown is None:
            raise ValueError("@cooldown required when reentry is after_cooldown")
        if self.reentry != "after_cooldown" and self.cooldown is not None:
            raise ValueError("@cooldown applies only when reentry is after_cooldown")
        return self


class Journey(JsonDocument):
    model_config = _FROZEN

    name: Text
    description: Annotated[str, StringConstraints(max_length=MAX_DESCRIPTION_LENGTH)] | None = None
    trigger: Trigger
    entry_step: StepId
    steps: dict[StepId, Step] = Field(min_length=1)
    goal: Goal | None = None
    exit_on: tuple[EventCondition, ...] = Field(default=(), max_length=MAX_EXIT_ON)
    settings: JourneySettings = Field(default_factory=JourneySettings)


def journey_json(journey: Journey) -> dict[str, Any]:
    """The JSON document of a journey; `parse_journey(journey_json(j)) == j`."""
    doc: dict[str, Any] = journey.model_dump(mode="json", by_alias=True, exclude_none=True)
    return doc
