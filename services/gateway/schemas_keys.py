"""Documents of the API-key and audit-log routes."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, cast, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from contracts.json_document import JsonDocument
from services.gateway.audit import ACTIONS
from services.gateway.domain import (
    ALL_SCOPES,
    DEFAULT_KEY_SCOPES,
    OWNER_MAX,
    PRIVILEGED_SCOPES,
    SALES_APPROVE,
    AdminError,
    validate_owner,
)

# The scopes a key may carry, as the document lists them (a unit test keeps them equal to ALL_SCOPES).
Scope = Literal[
    "events:write",
    "customers:read",
    "customers:erase",
    "attributes:write",
    "segments:write",
    "journeys:write",
    "referrals:write",
    "sales:write",
    "sales:approve",
    "reports:write",
    "loyalty:write",
    "admin",
]
# Every scope may be listed once. The bound only limits requests, so it grows with the scopes
# (contracts.compatibility lets a request-only bound grow).
MAX_LISTED_SCOPES = len(get_args(Scope))


class KeyIn(JsonDocument):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(
        min_length=1,
        max_length=100,
        description="What the key is for: printable text (422 otherwise).",
        examples=["shop-web"],
    )
    scopes: list[Scope] = Field(
        default_factory=lambda: [cast(Scope, scope) for scope in DEFAULT_KEY_SCOPES],
        min_length=1,
        max_length=MAX_LISTED_SCOPES,
        description=f"Some of {', '.join(ALL_SCOPES)}; default: all but {' and '.join(PRIVILEGED_SCOPES)}, "
        "which are given only when asked for. `sales:approve` decides quotes' discounts and sets the sales "
        "settings (the approval policy); `admin` implies every scope. At most as many listed as there are scopes.",
        examples=[["events:write", "customers:read"]],
    )
    owner: str | None = Field(
        None,
        min_length=1,
        max_length=OWNER_MAX,
        description="The person or system the key acts for, e.g. an e-mail address; approvals made with the key "
        "record it. Printable, no surrounding spaces, not `key:...`. Never changes. Default: the key itself, "
        "`key:<id>`; required with `sales:approve`.",
        examples=["maria@shop.example"],
    )

    @field_validator("owner")
    @classmethod
    def _owner(cls, owner: str | None) -> str | None:
        try:
            return owner if owner is None else validate_owner(owner)
        except AdminError as exc:
            raise ValueError(str(exc)) from None

    @model_validator(mode="after")
    def _approvers_are_named(self) -> KeyIn:
        if SALES_APPROVE in self.scopes and self.owner is None:
            raise ValueError(f"a key with {SALES_APPROVE} must name its `owner`, the person whose approvals it records")
        return self


class Key(BaseModel):
    """An API key as listed: never its secret, only the public prefix."""

    id: str = Field(examples=["3f1c0a9e-8d47-4a38-9a4e-0c2b8e6c1f52"])
    name: str = Field(examples=["shop-web"])
    prefix: str = Field(description="The key starts `fw_<prefix>_`.", examples=["1a2b3c4d"])
    scopes: list[Scope] = Field(examples=[["events:write"]])
    owner: str = Field(
        description="Who the key acts for (never changes); `key:<id>` for a key made without one.",
        examples=["maria@shop.example"],
    )
    created_at: datetime
    revoked_at: datetime | None = Field(None, description="Set once revoked: the key no longer works.")
    rotated_at: datetime | None = Field(None, description="When the secret was last replaced.")
    previous_expires_at: datetime | None = Field(
        None, description="Until when the secret before the last rotation still works."
    )


class KeyWithSecret(Key):
    key: str = Field(
        description="The secret: shown only in this answer, never again (only its hash is stored).",
        examples=["fw_1a2b3c4d_Qm9vZ2xlLWlzLW5vdC1hLXNlY3JldC1rZXk"],
    )


class CurrentKey(BaseModel):
    """The API key a request was made with, as its holder may see it (never its secret): what a client such as the
    console needs to know what it may do and for whom."""

    id: str = Field(examples=["3f1c0a9e-8d47-4a38-9a4e-0c2b8e6c1f52"])
    name: str = Field(examples=["shop-web"])
    workspace: str = Field(description="The workspace the key belongs to: every request acts in it.", examples=["demo"])
    prefix: str = Field(description="The key starts `fw_<prefix>_`.", examples=["1a2b3c4d"])
    scopes: list[Scope] = Field(
        description="What the key may do; `admin` implies every scope.", examples=[["customers:read"]]
    )
    owner: str | None = Field(
        description="The person or system the key acts for, as named when it was made (e.g. the owner of the tasks "
        "and deals a sales inbox shows); null for a key made without one (it acts for itself, `key:<id>`).",
        examples=["maria@shop.example"],
    )
    created_at: datetime
    rotated_at: datetime | None = Field(None, description="When the key's secret was last replaced.")
    expires_at: datetime | None = Field(
        None,
        description="When the secret this request was made with stops working: set only for a rotated key's old "
        "secret during its grace period (switch to the new one before then); null for a current secret.",
    )


class KeyPage(BaseModel):
    items: list[Key]
    next_cursor: str | None = Field(None, description="Pass as `cursor` for the next page; null on the last.")


class AuditEntry(BaseModel):
    id: int = Field(examples=[42])
    actor_key_id: str | None = Field(
        description="The API key that did it; null when an operator used the command line.",
        examples=["3f1c0a9e-8d47-4a38-9a4e-0c2b8e6c1f52"],
    )
    actor_owner: str | None = Field(
        None,
        description="The owner of that key when it acted (e.g. the approving manager); null for an operator on the "
        "command line and for entries from before keys had owners.",
        examples=["maria@shop.example"],
    )
    action: str = Field(description=f"One of {', '.join(ACTIONS)}.", examples=["quote.approved"])
    target: str = Field(
        description="What was acted on: a key, customer, quote or journey id; for the channel, the webhook's "
        "origin (scheme, host and port; never its path or query); for a KPI target, `metric/period`.",
        examples=["q_4e1b0c9d2a7f3e58a1b2"],
    )
    outcome: Literal["requested", "done", "refused", "unknown"] = Field(
        "done",
        description="`done`; for a change made in another service: `refused` (it answered no, nothing changed), "
        "`unknown` (no clear answer: it may have happened), or `requested` (the gateway stopped before it could "
        "record the answer: it may have happened).",
    )
    at: datetime
    request_id: str | None = Field(None, description="The request's X-Request-ID header, when it sent one.")
    trace_id: str | None = Field(None, description="The request's trace id, when tracing is on.")


class AuditPage(BaseModel):
    items: list[AuditEntry]
    next_cursor: str | None = Field(None, description="Pass as `cursor` for the next page; null on the last.")
