"""Whether a journey message may go to a customer: consent, the suppression list and erasure (pure; no I/O).

The delivery loop (services/journey/deliveries.py) asks this right before each attempt, with the state read at
that moment, so consent that changed while a message waited is honoured; a dry run (a simulation) asks it with
state held in memory. Rules, in order:
1. an **erased** customer gets nothing (reason `erased`);
2. a customer on the workspace's **suppression list** (a sha256 of a normalised email or phone they carry)
   gets nothing, transactional messages included (`suppressed`);
3. a **transactional** message (an order confirmation) needs no consent and goes;
4. the **channel's own group** (its id is the channel: `email`, `sms`, `push`, `wechat`, `other`) is the
   umbrella of every group of the channel: a customer unsubscribed from it gets no message of that channel
   (`unsubscribed:email`);
5. the message's **subscription group** (`subscription_group`; without one, the channel's own group): the
   customer's latest status in it decides (`unsubscribed:<group>`); with none known, the group's default:
   `opt_out` sends, `opt_in` does not (`no_consent:<group>`). A channel's own group that is not defined is
   `opt_out`; a named group that is not defined in the workspace sends nothing (`unknown_group:<group>`), so a
   typo never mails people who never agreed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from contracts.envelope import Envelope
from contracts.inbound import ConsentEvent, IdentifyEvent, customer_of
from contracts.partition import normalised_phone

ConsentStatus = Literal["subscribed", "unsubscribed"]
GroupDefault = Literal["opt_in", "opt_out"]
CONSENT_STATUSES: tuple[ConsentStatus, ...] = ("subscribed", "unsubscribed")
SUBSCRIPTIONS_TRAIT = "subscriptions"
"""The `identify` trait carrying consent: `{"subscriptions": {"newsletter": "subscribed", "email": "unsubscribed"}}`."""


@dataclass(frozen=True)
class ConsentGroup:
    group_id: str
    channel: str
    default: GroupDefault


@dataclass(frozen=True)
class MessageConsent:
    """What a message asks of consent: its channel, its group (None: the channel's own) and whether it is
    transactional."""

    channel: str
    group: str | None = None
    transactional: bool = False

    @property
    def group_id(self) -> str:
        return self.group or self.channel


@dataclass(frozen=True)
class ConsentState:
    """What is known of the customer now: their latest status per group, and whether suppressed or erased."""

    statuses: Mapping[str, ConsentStatus] = field(default_factory=dict)
    suppressed: bool = False
    erased: bool = False


@dataclass(frozen=True)
class ConsentChange:
    """One customer's choice about one group, from an event (kept as history; the latest by time wins)."""

    customer_id: str
    group_id: str
    status: ConsentStatus
    source: str
    occurred_at: dt.datetime
    event_id: str


@dataclass(frozen=True)
class ConsentDecision:
    send: bool
    reason: str | None = None  # why not (None when it goes): erased, suppressed, unsubscribed:<g>, ...


SEND = ConsentDecision(True)


def decide(message: MessageConsent, state: ConsentState, groups: Mapping[str, ConsentGroup]) -> ConsentDecision:
    """May `message` go to a customer in `state`, given the workspace's `groups`? (the module docstring's rules)"""
    if state.erased:
        return ConsentDecision(False, "erased")
    if state.suppressed:
        return ConsentDecision(False, "suppressed")
    if message.transactional:
        return SEND
    if state.statuses.get(message.channel) == "unsubscribed":
        return ConsentDecision(False, f"unsubscribed:{message.channel}")
    group_id = message.group_id
    status = state.statuses.get(group_id)
    if status == "unsubscribed":
        return ConsentDecision(False, f"unsubscribed:{group_id}")
    if status == "subscribed":
        return SEND
    group = groups.get(group_id)
    if group is None:
        return SEND if message.group is None else ConsentDecision(False, f"unknown_group:{group_id}")
    return SEND if group.default == "opt_out" else ConsentDecision(False, f"no_consent:{group_id}")


def message_consent(payload: Mapping[str, object]) -> MessageConsent:
    """What a message asks of consent, from its payload (a PlannedAction's, or a delivery's stored body): its
    `channel`, `subscription_group` and `transactional` (a body from before consent: the channel's own group)."""
    group = payload.get("subscription_group")
    return MessageConsent(
        channel=str(payload.get("channel") or "other"),
        group=group if isinstance(group, str) and group else None,
        transactional=payload.get("transactional") is True,
    )


def statuses_in_traits(value: object) -> dict[str, ConsentStatus]:
    """The consent an `identify` event's `subscriptions` trait gives: group id to status, anything else ignored
    (a value that is not one of CONSENT_STATUSES, a group id that is not a valid one)."""
    if not isinstance(value, Mapping):
        return {}
    return {
        group: status
        for group, status in value.items()
        if isinstance(group, str) and is_group_id(group) and status in CONSENT_STATUSES
    }


def is_group_id(text: str) -> bool:
    return 0 < len(text) <= 64 and all(c.isalnum() or c in "_.-" for c in text) and text.isascii()


def normalised_email(email: str) -> str:
    return email.strip().lower()


def identifier_hash(normalised: str) -> str:
    """The suppression list's form of an identifier: the lower-case hex sha256 of its normalised text (an email
    trimmed and lower-cased, a phone number in E.164)."""
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def consent_changes(event: Envelope, customer_id: str) -> list[ConsentChange]:
    """The consent an event gives: a `consent` event's choice (source as it says, else `consent`), or an
    `identify` event's `subscriptions` trait (source `identify`); none for anything else."""
    if isinstance(event, ConsentEvent):
        data = event.data
        return [ConsentChange(customer_id, data.group, data.status, data.source or "consent", event.time, event.id)]
    if isinstance(event, IdentifyEvent) and SUBSCRIPTIONS_TRAIT in event.data.traits:
        statuses = statuses_in_traits(event.data.traits[SUBSCRIPTIONS_TRAIT])
        return [
            ConsentChange(customer_id, group, status, "identify", event.time, event.id)
            for group, status in sorted(statuses.items())
        ]
    return []


def identifier_hashes(events: Iterable[tuple[Envelope, str]]) -> set[tuple[str, str]]:
    """(customer_id, hash) of each email and phone number the events carried, normalised as the suppression
    list's hashes are (an event without `data.customer` carries none)."""
    found: set[tuple[str, str]] = set()
    for event, customer_id in events:
        try:
            ref = customer_of(event)
        except AttributeError:
            continue
        if ref.email and ref.email.strip():
            found.add((customer_id, identifier_hash(normalised_email(ref.email))))
        if ref.phone and ref.phone.strip():
            found.add((customer_id, identifier_hash(normalised_phone(ref.phone))))
    return found
