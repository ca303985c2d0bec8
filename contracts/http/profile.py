"""The profile service's HTTP documents (its internal API, and the public API's customer endpoints, which pass
them through or build on them): the customer view and pages of it, a customer's timeline, an erasure's answer, a
re-consent and its answer, attribute definitions, the workspace's customer numbers for the overview report, and its
NPS figures for the NPS report."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, JsonValue, model_validator

from contracts.http import CursorPage, Input, NpsCounts, NpsMonth, PeriodReport, View
from contracts.http.types import Money, RequestDate
from contracts.json_document import JsonDocument

# --- the customer ---------------------------------------------------------------------------------
# The public API shows these as profile answers them (GET /v1/customers, the 360 view, search); the gateway reads
# them leniently (defaults, extra fields dropped) so a field profile adds later stays out until published.


class Identifiers(View):
    external_id: list[str] = Field(default_factory=list, examples=[["u-42"]])
    email: list[str] = Field(default_factory=list, examples=[["ada@example.com"]])
    phone: list[str] = Field(default_factory=list, examples=[["+4915112345678"]])
    anonymous_id: list[str] = Field(default_factory=list)


class CustomerStats(View):
    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)

    orders: int = 0
    revenue: str = Field("0", description="Decimal string.", examples=["129.90"])
    average_order_value: str | None = Field(None, description="Decimal string.", examples=["64.95"])
    first_purchase_at: datetime | None = None
    last_purchase_at: datetime | None = None
    visits: int = 0
    last_visit_at: datetime | None = None
    open_tickets: int = 0
    last_nps: int | None = Field(None, ge=0, le=10)
    average_csat: float | None = None


class Acquisition(View):
    """Where the customer came from: `referral` (with `program_id`) when a referral program attributed them; else
    the `utm_source` (and `utm_campaign`) of their earliest event carrying one; else the `channel` of their first
    purchase; else `direct`. Earliest by event time, so late events and merges do not change it."""

    source: str = Field("direct", examples=["newsletter"])
    campaign: str | None = Field(None, description="The utm_campaign of the deciding touch.", examples=["spring"])
    program_id: str | None = Field(None, description="The referral program, for `referral`.")
    at: datetime | None = Field(None, description="Event time of the touch that decided it (none for `direct`).")


class CustomerView(View):
    """A resolved customer: every identifier merged into one profile."""

    customer_id: str = Field(examples=["c_01HZX3K9"])
    identifiers: Identifiers = Field(default_factory=Identifiers)
    traits: dict[str, JsonValue] = Field(default_factory=dict, examples=[{"name": "Ada", "city": "Berlin"}])
    tags: list[str] = Field(default_factory=list, examples=[["vip"]])
    stats: CustomerStats = Field(default_factory=CustomerStats)
    acquisition: Acquisition = Field(default_factory=Acquisition)
    merged_ids: list[str] = Field(default_factory=list, description="Ids merged into this customer.")
    first_seen_at: datetime | None = Field(None, description="Time of the customer's earliest event.")
    last_event_at: datetime | None = Field(None, description="Time of the customer's latest event.")
    created_at: datetime | None = None
    updated_at: datetime | None = None


class CustomerPage(CursorPage[CustomerView]):
    # Required here, in the words the public API first published for this page.
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page.")


# --- the customer listing -------------------------------------------------------------------------------

# Orders of the listing (`-` first: descending): the public search's `sort`, and what profile sorts by.
CustomerSort = Literal[
    "created_at",
    "-created_at",
    "first_seen_at",
    "-first_seen_at",
    "revenue",
    "-revenue",
    "orders",
    "-orders",
    "last_purchase_at",
    "-last_purchase_at",
]
MAX_LISTED_IDS = 10_000  # how many customer ids a listing may be restricted to (a segment's or a score's members)
TraitName = Annotated[str, Field(min_length=1, max_length=128)]


class CustomerQuery(Input):
    """A listing of live customers (what the public search asks profile for): every filter must match;
    `customer_ids` restricts it to those ids."""

    traits: dict[TraitName, Annotated[str, Field(max_length=500)]] = Field(default_factory=dict, max_length=20)
    tags: list[Annotated[str, Field(min_length=1, max_length=128)]] = Field(default_factory=list, max_length=20)
    customer_ids: list[Annotated[str, Field(max_length=64)]] | None = Field(None, max_length=MAX_LISTED_IDS)
    sort: CustomerSort = "-created_at"
    limit: int = Field(50, ge=1, le=500)
    cursor: str | None = Field(None, max_length=500)


class CustomerReport(PeriodReport):
    """The workspace's customer numbers for a period [from, to), read by the public overview report."""

    customers: int = Field(description="Live customers first seen before `to`.")
    new_customers: int = Field(description="Customers first seen in the period.")
    first_purchasers: int = Field(
        0, description="Live customers whose first purchase falls in the period (the growth reports' new customers)."
    )
    purchasers: int = Field(description="Customers with an order before `to`.")
    repeat_purchasers: int = Field(description="Customers with two or more orders before `to`.")
    repurchase_rate: float | None = Field(description="repeat_purchasers / purchasers.")
    purchasers_in_period: int
    orders_in_period: int
    revenue_in_period: Decimal = Field(description="Order amounts in the period (before refunds).")


# --- NPS: survey answers (survey events, tickets' nps) --------------------------------------------------


class NpsFigures(PeriodReport, NpsCounts):
    """The workspace's NPS for a period [from, to) over each customer's latest answer in it (from `survey` events
    and tickets' `nps`), and the same per month of the period (months without answers left out)."""

    by_month: list[NpsMonth] = Field(default_factory=list)
    by_channel: list[NpsGroup] | None = Field(
        None,
        description="Asked for with `by=channel`: the same counts per acquisition channel (the customer's "
        "acquisition source now), in channel order; null when not asked for.",
    )


class NpsGroup(NpsCounts):
    key: str = Field(description="The group: an acquisition channel.", examples=["newsletter"])


class NewCustomersItem(View):
    """One acquisition source (and campaign) of a period's new customers."""

    source: str = Field(examples=["newsletter"])
    campaign: str | None = Field(None, description="Null: the source's customers without a campaign.")
    new_customers: int = Field(description="Customers of this source whose first purchase is in the period.")
    first_order_total: Decimal = Field(description="Sum of those customers' first orders.")
    avg_first_order: Decimal | None = Field(description="first_order_total / new_customers, to the cent.")
    repurchasers_90d: int = Field(description="Those with a second order within 90 days of their first.")
    repurchase_rate_90d: float | None = Field(description="repurchasers_90d / new_customers.")


class NewCustomersSource(View):
    """One source's cohort of the period (all its campaigns together)."""

    source: str
    new_customers: int
    repurchasers_90d: int
    repurchase_rate_90d: float | None


class NewCustomersReport(PeriodReport):
    """The period's new customers (first purchase in [from, to)) by acquisition source and campaign, read by the
    public acquisition report; items and sources in source, then campaign order (no campaign first)."""

    items: list[NewCustomersItem]
    sources: list[NewCustomersSource]


# --- timeline, erasure, re-consent, attributes ---------------------------------------------------------


class TimelineItem(View):
    event_id: str = Field(examples=["evt-1"])
    type: str = Field(examples=["purchase"])
    occurred_at: datetime
    source: str | None = Field(None, examples=["shop-web"])
    data: dict[str, JsonValue] = Field(default_factory=dict)
    received_at: datetime | None = None


class TimelinePage(CursorPage[TimelineItem]):
    pass


class ErasureAccepted(View):
    customer_id: str = Field(examples=["c_7f3a9b2e"])
    erased_ids: list[str] = Field(
        description="Every customer id erased (the customer and ids merged into it).",
        examples=[["c_7f3a9b2e", "c_01d44c80"]],
    )
    status: Literal["erased"] = "erased"


IdentifierName = Literal["external_id", "email", "phone", "anonymous_id"]


# --- merges: a customer's merge history, and undoing one ----------------------------------------------------------


class JoinedIdentifier(View):
    kind: IdentifierName
    value: str = Field(examples=["ada@example.com"])


class MergeCause(View):
    """What merged the two profiles: the event that carried identifiers of both, and those identifiers."""

    event_id: str | None = Field(None, description="The event that joined them.", examples=["evt-9"])
    identifiers: list[JoinedIdentifier] = Field(default_factory=list, description="The identifiers that event carried.")
    reason: str = Field(examples=["one event carried identifiers of both (email, anonymous_id)"])


class MergeRecord(View):
    """One merge of two profiles: `merged_id` was folded into `survivor_id` (and resolves to it until undone)."""

    merge_id: str = Field(examples=["m_5f0c1e2d3b4a59687766554433221100"])
    survivor_id: str = Field(examples=["c_01HZX3K9"])
    merged_id: str = Field(examples=["c_7f3a9b2e"])
    cause: MergeCause
    merged_at: datetime
    undone: bool = False
    undone_at: datetime | None = None
    undo_reason: str | None = None


class MergePage(CursorPage[MergeRecord]):
    """Newest first."""


class MergeUndoIn(Input):
    reason: str | None = Field(
        None,
        min_length=1,
        max_length=512,
        description="Why it is undone (kept with the merge and sent on).",
        examples=["a shared shop tablet joined two customers"],
    )


class MergeUndone(MergeRecord):
    """The merge, undone: `merged_id` resolves to itself again and is kept apart from `survivor_id` from now on."""

    restored_events: int = Field(
        0,
        description="Events taken in after the merge that went back to `merged_id` (by the identifiers they carried).",
    )


class ReconsentIn(Input):
    """Exactly one identifier of the person who gave their consent again, as events carry it (an email must be
    an email address, a phone number a valid one: 422 otherwise)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"minProperties": 1, "maxProperties": 1})

    external_id: str | None = Field(None, min_length=1, max_length=512)
    email: str | None = Field(None, min_length=3, max_length=320, examples=["ada@example.com"])
    phone: str | None = Field(None, min_length=3, max_length=40)
    anonymous_id: str | None = Field(None, min_length=1, max_length=512)

    @model_validator(mode="after")
    def _exactly_one(self) -> ReconsentIn:
        if len(self.model_dump(exclude_none=True)) != 1:
            raise ValueError("give exactly one of email, phone, external_id, anonymous_id")
        return self


class Reconsented(View):
    identifier: IdentifierName = Field(
        description="Which identifier was re-consented (never its value).", examples=["email"]
    )
    erased_at: datetime = Field(
        description="When the customer who had it was erased.", examples=["2026-11-02T09:30:00Z"]
    )
    reconsented_at: datetime = Field(
        description="Events that happen from this time on are accepted again (a new profile); events from "
        "before it (replayed, re-sent) stay dropped.",
        examples=["2026-12-06T10:00:00Z"],
    )
    status: Literal["reconsented"] = "reconsented"


MAX_ENUM_VALUES = 200  # values of one enum attribute
EnumValue = Annotated[str, Field(min_length=1, max_length=128)]


class EnumAttributeIn(JsonDocument):
    """An attribute taking one of the listed values."""

    model_config = ConfigDict(extra="forbid", title="EnumAttributeIn")

    type: Literal["enum"] = Field(examples=["enum"])
    enum_values: list[EnumValue] = Field(
        min_length=1,
        max_length=MAX_ENUM_VALUES,
        description=f"The allowed values (1 to {MAX_ENUM_VALUES}).",
        examples=[["gold", "silver"]],
    )
    description: str | None = Field(None, max_length=500, examples=["Membership tier"])


class PlainAttributeIn(JsonDocument):
    """An attribute of a plain type: any value of that type."""

    model_config = ConfigDict(extra="forbid", title="PlainAttributeIn")

    type: Literal["string", "number", "boolean", "date"] = Field(examples=["date"])
    enum_values: list[EnumValue] | None = Field(None, max_length=0, description="Only for type enum: none here.")
    description: str | None = Field(None, max_length=500, examples=["Membership tier"])


# The public PUT /v1/attributes/{name}: its `type` tells which (profile reads the same document flat, so that a
# refusal names `body.enum_values` rather than the branch, and refuses enum values on a plain attribute and an
# enum without any).
AttributeDefinitionIn = Annotated[EnumAttributeIn | PlainAttributeIn, Field(discriminator="type")]


class AttributeDefinition(View):
    name: str = Field(examples=["tier"])
    type: str = Field(description="string, number, boolean, date or enum", examples=["enum"])
    enum_values: list[str] | None = None
    description: str | None = None


class AttributeList(View):
    items: list[AttributeDefinition]


# --- marketing spend -----------------------------------------------------------------------------------------
# What a workspace spent per day, channel and campaign (POST /v1/marketing-spend, `flywheel import spend`), kept by
# profile beside the customers' first touches for the acquisition report's CAC.

MAX_SPEND_ROWS = 1000  # rows in one request (more: 413)
SPEND_TEXT_PATTERN = r"^[^\x00-\x1f\x7f]+$"  # channel and campaign: printable text, no control characters
CURRENCY_PATTERN = r"^[A-Z]{3}$"
SPEND_DATE = Field(description="The day the money was spent, YYYY-MM-DD (years 1900 to 2999).", examples=["2026-11-01"])


class SpendRowIn(Input):
    """One day's spend on a channel (and campaign): sending it again for the same date, channel and campaign
    replaces the amount sent before; a row without a campaign is a key of its own."""

    date: Annotated[RequestDate, SPEND_DATE]
    channel: str = Field(min_length=1, max_length=100, pattern=SPEND_TEXT_PATTERN, examples=["newsletter"])
    campaign: str | None = Field(
        None, min_length=1, max_length=200, pattern=SPEND_TEXT_PATTERN, examples=["black-friday"]
    )
    amount: Money
    currency: str | None = Field(
        None, pattern=CURRENCY_PATTERN, description="ISO 4217 code; absent: the workspace's currency.", examples=["EUR"]
    )


class SpendIn(Input):
    rows: list[SpendRowIn] = Field(
        min_length=1,
        max_length=MAX_SPEND_ROWS,
        description=f"1 to {MAX_SPEND_ROWS} rows (send more in several requests).",
    )


class SpendAccepted(View):
    stored: int = Field(description="Rows stored (new or replacing one sent before).", examples=[31])
    replaced: int = Field(description="Of them, rows that replaced one sent before.", examples=[0])


class SpendRow(View):
    date: Annotated[date, SPEND_DATE]
    channel: str = Field(examples=["newsletter"])
    campaign: str | None = Field(None, examples=["black-friday"])
    amount: str = Field(description="Decimal string.", examples=["1200.00"])
    currency: str | None = Field(None, examples=["EUR"])
    updated_at: datetime


class SpendPage(CursorPage[SpendRow]):
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page.")


class SpendTotal(View):
    channel: str
    campaign: str | None = None
    currency: str | None = None
    amount: str = Field(description="Decimal string: the spend of the period.")


class SpendTotals(View):
    """Spend per channel, campaign and currency over a period of days [from, to) (the acquisition report's)."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    from_: date = Field(alias="from")
    to: date
    items: list[SpendTotal]


# --- the shared-device guard of identity resolution (services/profile/guard.py) ----------------------------------

MAX_SHARED_LIMITS = 12  # every (kind, other kind) pair at most once


class SharedIdentifierLimit(Input):
    """`kind` seen with more than `max_distinct` distinct `other_kind` identifiers within `window_days` (by event
    time) is shared: it stops merging customers."""

    kind: IdentifierName = Field(examples=["anonymous_id"])
    other_kind: IdentifierName = Field(examples=["email"])
    max_distinct: int = Field(ge=1, le=100, examples=[5])
    window_days: int = Field(ge=1, le=365, examples=[30])


WeakIdentifierName = Literal["email", "phone", "anonymous_id"]  # nothing is stronger than an external_id


class IdentitySettingsIn(Input):
    """The workspace's whole guard: pairs left out are not limited (an empty list turns the count guard off)."""

    shared_identifier_limits: list[SharedIdentifierLimit] = Field(max_length=MAX_SHARED_LIMITS)
    weak_identifier_kinds: list[WeakIdentifierName] | None = Field(
        default=None,
        max_length=3,
        description="Identifier kinds that alone never join customers holding different values of a stronger kind "
        "(external_id > email > phone > anonymous_id): a join made only through one never gives a customer a second "
        'email, phone or external id. Left out: the default, `["anonymous_id"]`; an empty list turns the rule off.',
        examples=[["anonymous_id"]],
    )

    @model_validator(mode="after")
    def _pairs_once(self) -> IdentitySettingsIn:
        pairs = [(x.kind, x.other_kind) for x in self.shared_identifier_limits]
        if any(kind == other for kind, other in pairs):
            raise ValueError("a limit's other_kind must differ from its kind")
        if len(set(pairs)) != len(pairs):
            raise ValueError("each (kind, other_kind) pair may have one limit only")
        weak = self.weak_identifier_kinds or []
        if len(set(weak)) != len(weak):
            raise ValueError("each weak identifier kind may be given once")
        return self


class SharedIdentifierLimitView(View):
    kind: IdentifierName = Field(examples=["anonymous_id"])
    other_kind: IdentifierName = Field(examples=["email"])
    max_distinct: int = Field(examples=[5])
    window_days: int = Field(examples=[30])


def _default_weak_kinds() -> list[IdentifierName]:
    return ["anonymous_id"]


class IdentitySettings(View):
    shared_identifier_limits: list[SharedIdentifierLimitView]
    weak_identifier_kinds: list[IdentifierName] = Field(
        default_factory=_default_weak_kinds,
        description="Identifier kinds that alone never join customers holding different values of a stronger kind.",
        examples=[["anonymous_id"]],
    )
    default: bool = Field(description="True while the workspace has set nothing: these are the defaults.")


class IdentityConflict(View):
    """An event that would have merged customers through a shared identifier (`rule`: `shared_identifier`) or
    through a weak identifier alone while they hold different values of a stronger kind (`weak_identifier`): it
    went to `customer_id` (the customer of its strongest identifier), and the identifier stayed with its owner(s)
    `other_customer_ids`."""

    event_id: str
    identifier_kind: IdentifierName = Field(examples=["anonymous_id"])
    identifier_hash: str = Field(description="The identifier's keyed digest (the same in every conflict).")
    masked_identifier: str = Field(description="Enough of it to recognise it, never all of it.", examples=["dev…42"])
    customer_id: str = Field(examples=["c_7f3a9b2e"])
    other_customer_ids: list[str] = Field(examples=[["c_01d44c80"]])
    occurred_at: datetime = Field(description="The event's time.")
    recorded_at: datetime
    rule: Literal["shared_identifier", "weak_identifier"] = Field(
        default="shared_identifier",
        description="Which rule kept them apart: `shared_identifier`, the identifier was seen with more distinct "
        "others than its limit; `weak_identifier`, a weak identifier alone would have given a customer a second "
        "value of a stronger kind.",
    )


class IdentityConflictPage(CursorPage[IdentityConflict]):
    pass


# --- tracking plan: the workspace's own event types (PUT /v1/event-types/{name}, GET /v1/event-types) ----------

EventTypeSchema = Annotated[
    dict[str, JsonValue],
    Field(
        description="JSON Schema (Draft 2020-12) of the event's `data` beyond `customer` (every event carries "
        "`data.customer`; the schema may not describe it). Budgets: its size, depth and keyword count; references "
        "only within itself; `pattern` and `patternProperties` run on RE2 (linear time: no back-references or "
        "look-arounds); `uniqueItems` needs `maxItems` <= 100; `format` is an annotation only.",
        examples=[
            {
                "type": "object",
                "properties": {"cart_id": {"type": "string"}, "total": {"type": "number", "minimum": 0}},
                "required": ["cart_id", "total"],
            }
        ],
    ),
]


class EventTypeIn(Input):
    """One new version of a custom event type."""

    model_config = ConfigDict(extra="forbid", serialize_by_alias=True)  # `schema` on the wire
    description: str | None = Field(None, max_length=500)
    schema_: EventTypeSchema = Field(alias="schema")
    unknown_fields: Literal["keep", "refuse"] = Field(
        "keep",
        description="Top-level fields of `data` the schema's `properties` do not name: kept on the timeline, or "
        "the event is refused (422 at the gateway, dead-lettered from Kafka) naming them.",
    )


class EventTypeVersion(View):
    version: int = Field(ge=1, examples=[2])
    description: str | None = None
    unknown_fields: Literal["keep", "refuse"] = "keep"
    created_at: datetime


class EventTypeCounts(View):
    accepted: int = Field(0, description="Events of the type accepted (resolved and published).")
    rejected: int = Field(
        0,
        description="Events of the type refused: invalid against the plan (at the gateway or from Kafka) or "
        "refused by profile (an invalid identifier, ...).",
    )


class EventTypeInfo(View):
    """A built-in type (`builtin: true`, no schema: the contract, events.md, describes it) or a custom one with
    its current version's schema and every version."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True, serialize_by_alias=True)

    name: str = Field(examples=["cart_abandoned"])
    builtin: bool = False
    description: str | None = None
    version: int | None = Field(None, description="The current version (custom types).")
    schema_: dict[str, JsonValue] | None = Field(None, alias="schema", description="The current version's schema.")
    unknown_fields: Literal["keep", "refuse"] | None = None
    versions: list[EventTypeVersion] = Field(default_factory=list, description="Every version, oldest first.")
    counts: EventTypeCounts = Field(default_factory=EventTypeCounts)


class EventTypeList(View):
    items: list[EventTypeInfo]


class EventTypeRejections(Input):
    """Events the gateway refused against the plan (422), counted per type: profile adds them to `rejected`."""

    counts: dict[Annotated[str, Field(max_length=64)], Annotated[int, Field(ge=1, le=1_000_000)]] = Field(
        max_length=1000
    )
