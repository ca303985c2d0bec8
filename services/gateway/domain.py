"""The gateway's rules, free of I/O: API keys and scopes, event batches, subjects, pagination, KPI targets."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Literal, get_args

from contracts.codec import InvalidEvent, encode, validate_typed
from contracts.envelope import is_valid_workspace
from contracts.inbound import INBOUND_EVENT_TYPES, CustomEvent, custom_model
from contracts.partition import event_partition_key
from contracts.tracking_plan import UNDECLARED, EventType

# --- scopes -------------------------------------------------------------------------------------

EVENTS_WRITE = "events:write"
CUSTOMERS_READ = "customers:read"
CUSTOMERS_ERASE = "customers:erase"
ATTRIBUTES_WRITE = "attributes:write"
SEGMENTS_WRITE = "segments:write"
JOURNEYS_WRITE = "journeys:write"
REFERRALS_WRITE = "referrals:write"
SALES_WRITE = "sales:write"
SALES_APPROVE = "sales:approve"  # decide quotes' discounts and set the approval policy (the sales settings)
REPORTS_WRITE = "reports:write"  # what the reports measure against: marketing spend and KPI targets
LOYALTY_WRITE = "loyalty:write"  # the loyalty program document, and spending a customer's points (redemptions)
ADMIN = "admin"
ALL_SCOPES: tuple[str, ...] = (
    EVENTS_WRITE,
    CUSTOMERS_READ,
    CUSTOMERS_ERASE,
    ATTRIBUTES_WRITE,
    SEGMENTS_WRITE,
    JOURNEYS_WRITE,
    REFERRALS_WRITE,
    SALES_WRITE,
    SALES_APPROVE,
    REPORTS_WRITE,
    LOYALTY_WRITE,
    ADMIN,
)
# Scopes a key carries only when asked for: admin is for operators, sales:approve for the people who decide.
PRIVILEGED_SCOPES: tuple[str, ...] = (SALES_APPROVE, ADMIN)
# What a new key gets unless told otherwise: everything but the privileged scopes.
DEFAULT_KEY_SCOPES: tuple[str, ...] = tuple(s for s in ALL_SCOPES if s not in PRIVILEGED_SCOPES)


class AdminError(ValueError):
    """A workspace or key operation that cannot be done as asked; the message is for a person."""


class UnknownWorkspace(AdminError):
    pass


class UnknownKey(AdminError):
    pass


@dataclass(frozen=True)
class Principal:
    """Who a request acts as: one workspace, the scopes its API key carries and the key's owner."""

    workspace: str
    scopes: frozenset[str]
    key_id: str
    # Set when the request used a rotated key's old secret: it stops working then.
    expires_at: datetime | None = None
    # The person or system the key acts for (fixed when the key was made): what approvals record.
    owner: str = ""

    def allows(self, scope: str) -> bool:
        return ADMIN in self.scopes or scope in self.scopes

    def live_at(self, now: datetime) -> bool:
        return self.expires_at is None or now < self.expires_at


def validate_workspace_name(name: str) -> str:
    if not is_valid_workspace(name):
        raise AdminError(
            f"invalid workspace name {name!r}: use 1-63 lowercase letters, digits, '-' or '_', "
            "starting with a letter or digit"
        )
    return name


def validate_key_name(name: str) -> str:
    cleaned = name.strip()
    if not 1 <= len(cleaned) <= 100 or not cleaned.isprintable():
        raise AdminError(f"invalid key name {name!r}: use 1-100 printable characters")
    return cleaned


OWNER_MAX = 100
KEYS_OWN_PREFIX = "key:"
"""A key made without an owner acts for itself: its owner is `key:<its id>` (keys from before owners too)."""


def default_owner(key_id: str) -> str:
    return f"{KEYS_OWN_PREFIX}{key_id}"


def validate_owner(owner: str) -> str:
    """A named owner: 1-100 printable characters, no surrounding spaces, and not `key:...` (a key's own identity,
    which another key must not be able to claim)."""
    if not 1 <= len(owner) <= OWNER_MAX or not owner.isprintable() or owner != owner.strip():
        raise AdminError(f"invalid owner {owner!r}: use 1-{OWNER_MAX} printable characters, no surrounding spaces")
    if owner.lower().startswith(KEYS_OWN_PREFIX):
        raise AdminError(f"invalid owner {owner!r}: `{KEYS_OWN_PREFIX}...` is reserved for keys made without an owner")
    return owner


def validate_scopes(scopes: Iterable[str]) -> list[str]:
    chosen = sorted(set(scopes))
    unknown = [s for s in chosen if s not in ALL_SCOPES]
    if unknown:
        raise AdminError(f"unknown scope(s) {', '.join(unknown)}; expected some of: {', '.join(ALL_SCOPES)}")
    if not chosen:
        raise AdminError("a key needs at least one scope")
    return chosen


# --- API keys -----------------------------------------------------------------------------------

KEY_PREFIX = "fw"
_KEY_RE = re.compile(r"^fw_([0-9a-f]{8})_([A-Za-z0-9_-]{20,128})$")


@dataclass(frozen=True)
class NewKey:
    """A freshly generated key: `plain` is shown once and never stored; `key_hash` is stored."""

    plain: str
    prefix: str
    key_hash: str


def hash_key(plain: str) -> str:
    # A fast hash is enough: the secret is 256 random bits, so there is nothing to brute-force.
    return hashlib.sha256(plain.encode()).hexdigest()


def generate_key() -> NewKey:
    prefix = secrets.token_hex(4)
    plain = f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    return NewKey(plain=plain, prefix=prefix, key_hash=hash_key(plain))


def key_prefix(plain: str) -> str | None:
    """The public prefix of a well-formed key, or None: malformed keys never reach the database."""
    match = _KEY_RE.match(plain)
    return match.group(1) if match else None


# --- events -------------------------------------------------------------------------------------


class BatchShapeError(ValueError):
    """The body is not one event or a list of 1..max events; `status` is the HTTP status to answer."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


@dataclass(frozen=True)
class OutboundEvent:
    index: int
    event_id: str
    key: bytes
    value: bytes


@dataclass
class BatchPlan:
    """What to publish and what to reject, in body order."""

    publish: list[OutboundEvent] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    invalid_count: int = 0
    refused_custom: Counter[str] = field(default_factory=Counter)  # events of declared custom types refused, per type


def events_of(body: Any, max_events: int) -> list[Any]:
    """The body as a list of event documents: one object or a JSON array of 1..max_events."""
    if isinstance(body, dict):
        return [body]
    if not isinstance(body, list):
        raise BatchShapeError(422, "the body must be one CloudEvent object or a JSON array of them")
    if not body:
        raise BatchShapeError(422, "the batch is empty; send at least one event")
    if len(body) > max_events:
        raise BatchShapeError(413, f"the batch has {len(body)} events; at most {max_events} are accepted")
    return body


def number_errors_by_event(problems: list[dict[str, str]], is_batch: bool) -> dict[int, list[dict[str, str]]]:
    """runtime.json_limits' field errors of a whole body (`body.3.data.amount`), by event index, with the
    field named within its event (`data.amount`)."""
    by_event: dict[int, list[dict[str, str]]] = {}
    for problem in problems:
        parts = problem["field"].split(".")[1:]  # without "body"
        index = int(parts.pop(0)) if is_batch and parts and parts[0].isdigit() else 0
        by_event.setdefault(index, []).append({"field": ".".join(parts) or "(event)", "message": problem["message"]})
    return by_event


def custom_types_in(docs: list[Any]) -> set[str]:
    """The names of custom types (a workspace's tracking plan) the documents claim to be."""
    types = (doc.get("type") for doc in docs if isinstance(doc, dict))
    return {t for t in types if isinstance(t, str) and custom_model(t) is not None}


def plan_batch(
    docs: list[Any],
    workspace: str,
    number_errors: dict[int, list[dict[str, str]]] | None = None,
    tracking_plan: Mapping[str, EventType] | None = None,
) -> BatchPlan:
    """Validate each document against the contract and the key's workspace; `number_errors` (from
    `number_errors_by_event`) refuses events holding numbers no encoder keeps (the JSON parser turned them
    into floats, so the contract alone would not see them). A custom event (a type of the workspace's own) is
    checked against `tracking_plan` (its types by name, at their current version): an undeclared type, or data
    the type's schema refuses, is an error naming the field."""
    plan = BatchPlan()
    for index, doc in enumerate(docs):
        event_id = doc.get("id") if isinstance(doc, dict) and isinstance(doc.get("id"), str) else None
        errors: list[dict[str, str]] = list((number_errors or {}).get(index, []))
        event = None
        try:
            event = validate_typed(doc, INBOUND_EVENT_TYPES, custom_model)
        except InvalidEvent as exc:
            errors += exc.errors or [{"field": "(event)", "message": exc.reason}]
        if isinstance(event, CustomEvent):
            errors += _plan_errors(tracking_plan or {}, event)
        claimed = doc.get("workspace") if isinstance(doc, dict) else None
        if isinstance(claimed, str) and claimed != workspace:
            errors.append(
                {
                    "field": "workspace",
                    "message": f"workspace {claimed!r} does not match the API key's workspace {workspace!r}",
                }
            )
        if errors or event is None:
            claimed_type = doc.get("type") if isinstance(doc, dict) else None
            if isinstance(claimed_type, str) and claimed_type in (tracking_plan or {}):
                plan.refused_custom[claimed_type] += 1  # declared types only: profile counts those
            plan.invalid_count += 1
            plan.errors.extend({"index": index, "id": event_id, **err} for err in errors)
            continue
        # The key is the contract's (contracts/partition.py), as for every other producer of inbound events.
        plan.publish.append(OutboundEvent(index, event.id, event_partition_key(event), encode(event)))
    return plan


def _plan_errors(tracking_plan: Mapping[str, EventType], event: CustomEvent) -> list[dict[str, str]]:
    declared = tracking_plan.get(event.type)
    if declared is None:
        return [{"field": "type", "message": UNDECLARED}]
    return declared.errors(event.data.model_dump(mode="json"))


# --- reads --------------------------------------------------------------------------------------

DEFAULT_PAGE = 50
MAX_PAGE = 500
# Ids are opaque to the gateway, but only harmless characters may reach the profile URL path.
_CUSTOMER_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")
IDENTIFIER_KINDS: tuple[str, ...] = ("email", "phone", "external_id", "anonymous_id")


def clamp_limit(limit: int | None) -> int:
    """Page size: default 50, at most 500 (larger asks get 500 rather than an error), at least 1."""
    if limit is None:
        return DEFAULT_PAGE
    return max(1, min(limit, MAX_PAGE))


def is_plausible_customer_id(customer_id: str) -> bool:
    return bool(_CUSTOMER_ID_RE.match(customer_id))


def single_identifier(given: dict[str, str | None]) -> tuple[str, str]:
    """The one identifier of a lookup; raises ValueError naming the problem otherwise."""
    present = [(k, v.strip()) for k, v in given.items() if v is not None and v.strip()]
    if len(present) != 1:
        raise ValueError(f"give exactly one of {', '.join(IDENTIFIER_KINDS)} (got {len(present)})")
    return present[0]


# --- KPI targets --------------------------------------------------------------------------------
# A workspace's targets for the KPI tree (GET /v1/reports/kpi-tree): a metric of the tree, a period, a number.

KpiMetric = Literal[
    # scale of the customer base
    "customers",
    "new_customers",
    "active",
    "dormant",
    "reactivated",
    # behaviour
    "repurchase_rate",
    "retention_90d",
    "visit_frequency",
    "nps",
    # financial contribution
    "revenue",
    "average_order_value",
    "ltv",
    "cac",
    "ltv_to_cac",
    "referral_share",
    "reward_cost",
]
KPI_METRICS: tuple[str, ...] = get_args(KpiMetric)
KpiLevel = Literal["scale", "behaviour", "financial"]
KPI_LEVELS: tuple[str, ...] = get_args(KpiLevel)
TreeUnit = Literal["count", "ratio", "money", "number"]
"""count; ratio (a share from 0 to 1, 4 decimals); money (workspace currency, a decimal string to the cent);
number (a plain number to 4 decimals: visits per visitor, NPS from -100 to 100, LTV:CAC as a multiple)."""


@dataclass(frozen=True)
class KpiMetricSpec:
    """What the KPI tree knows of a metric: its level, unit, whether lower is better (CAC, dormant customers,
    reward cost), whether it is a flow adding up over time (so a running period's bar is the target's elapsed
    share), and whether it is a snapshot (a number as of now: no previous value)."""

    metric: KpiMetric
    level: KpiLevel
    unit: TreeUnit
    description: str
    lower_is_better: bool = False
    additive: bool = False
    snapshot: bool = False


KPI_TREE: tuple[KpiMetricSpec, ...] = (
    KpiMetricSpec("customers", "scale", "count", "live customers first seen before the period's end"),
    KpiMetricSpec("new_customers", "scale", "count", "customers whose first purchase is in the period", additive=True),
    KpiMetricSpec("active", "scale", "count", "purchasers not dormant, now", snapshot=True),
    KpiMetricSpec("dormant", "scale", "count", "customers dormant now", lower_is_better=True, snapshot=True),
    KpiMetricSpec("reactivated", "scale", "count", "customers back from dormancy in the period", additive=True),
    KpiMetricSpec(
        "repurchase_rate", "behaviour", "ratio", "customers with two or more orders among those with any, by the "
        "period's end",
    ),
    KpiMetricSpec(
        "retention_90d", "behaviour", "ratio", "of the customers with a purchase in the 90 days before the period, "
        "the share with one in the 90 days before its end",
    ),
    KpiMetricSpec("visit_frequency", "behaviour", "number", "visits per visiting customer in the period"),
    KpiMetricSpec(
        "nps", "behaviour", "number", "% promoters - % detractors over each customer's latest answer in the period"
    ),
    KpiMetricSpec("revenue", "financial", "money", "order amounts in the period, before refunds", additive=True),
    KpiMetricSpec("average_order_value", "financial", "money", "revenue / orders in the period"),
    KpiMetricSpec("ltv", "financial", "money", "average historical LTV of purchasers, now", snapshot=True),
    KpiMetricSpec(
        "cac", "financial", "money", "(marketing spend in the workspace currency + referral reward cost) / new "
        "customers, over the period", lower_is_better=True,
    ),
    KpiMetricSpec(
        "ltv_to_cac", "financial", "number", "the new customers' average predicted 12-month CLV / CAC"
    ),
    KpiMetricSpec("referral_share", "financial", "ratio", "share of the period's new customers a referral brought"),
    KpiMetricSpec(
        "reward_cost", "financial", "money", "referral rewards granted in the period and not reversed",
        lower_is_better=True, additive=True,
    ),
)  # fmt: skip
# A year (2026), a quarter (2026-Q4) or a month (2026-12); years 1900 to 2999, as every time the services hold.
PERIOD_PATTERN = r"^(19[0-9]{2}|2[0-9]{3})(-Q[1-4]|-(0[1-9]|1[0-2]))?$"
_PERIOD = re.compile(PERIOD_PATTERN)


@dataclass(frozen=True)
class KpiPeriod:
    """A KPI target's period: the days [start, end) of a year, quarter or month."""

    text: str
    kind: str  # "year", "quarter" or "month"
    start: date
    end: date


def parse_period(text: str) -> KpiPeriod:
    """`2026`, `2026-Q4` or `2026-12` as the days it spans; ValueError for anything else."""
    if not _PERIOD.fullmatch(text):
        raise ValueError("a period is a year (2026), a quarter (2026-Q4) or a month (2026-12), years 1900 to 2999")
    year = int(text[:4])
    if len(text) == 4:
        return KpiPeriod(text, "year", date(year, 1, 1), date(year + 1, 1, 1))
    if text[5] == "Q":
        first = 3 * (int(text[6]) - 1) + 1
        return KpiPeriod(text, "quarter", date(year, first, 1), _month_after(year, first + 2))
    month = int(text[5:7])
    return KpiPeriod(text, "month", date(year, month, 1), _month_after(year, month))


def _month_after(year: int, month: int) -> date:
    return date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)


def previous_period(period: KpiPeriod) -> KpiPeriod:
    """The year, quarter or month before `period` (ValueError before the year 1900)."""
    year = int(period.text[:4])
    if period.kind == "year":
        return parse_period(f"{year - 1}")
    if period.kind == "quarter":
        quarter = int(period.text[6])
        return parse_period(f"{year - 1}-Q4" if quarter == 1 else f"{year}-Q{quarter - 1}")
    month = int(period.text[5:7])
    return parse_period(f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}")


def period_spanning(start: datetime, end: datetime) -> str | None:
    """The year, quarter or month whose days are exactly [start, end) (UTC midnights), or None: with `from` and
    `to` given, the targets that apply are those of this period."""
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    if (start.hour, start.minute, start.second, start.microsecond) != (0, 0, 0, 0) or start.day != 1:
        return None
    if not 1900 <= start.year <= 2999:
        return None
    month = start.month
    quarter = f"-Q{(month - 1) // 3 + 1}" if (month - 1) % 3 == 0 else None
    for text in (
        ([str(start.year)] if month == 1 else [])
        + ([f"{start.year}{quarter}"] if quarter else [])
        + [f"{start.year}-{month:02d}"]
    ):
        span = parse_period(text)
        if (midnight(span.start), midnight(span.end)) == (start, end):
            return text
    return None


def midnight(day: date) -> datetime:
    """The first instant (UTC) of a day."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC)
