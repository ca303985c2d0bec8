"""Consent's HTTP documents (journey's internal API; the public API passes them through): a workspace's
subscription groups and its suppression list of hashed identifiers."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from contracts.http import Input, View

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

    hashes: list[Sha256] = Field(min_length=1, max_length=MAX_SUPPRESSIONS_PER_CALL)


class SuppressionsChanged(View):
    changed: int = Field(description="Hashes added (or removed) by this call; those already so are not counted.")
    total: int = Field(description="Hashes on the workspace's suppression list now.")
