"""Documents of the API-key and audit-log routes."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, cast

from pydantic import BaseModel, ConfigDict, Field

from services.gateway.domain import ALL_SCOPES, DEFAULT_KEY_SCOPES

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
    "admin",
]


class KeyIn(BaseModel):
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
        max_length=len(ALL_SCOPES),
        description=f"Some of {', '.join(ALL_SCOPES)}; default: all but admin.",
        examples=[["events:write", "customers:read"]],
    )


class Key(BaseModel):
    """An API key as listed: never its secret, only the public prefix."""

    id: str = Field(examples=["3f1c0a9e-8d47-4a38-9a4e-0c2b8e6c1f52"])
    name: str = Field(examples=["shop-web"])
    prefix: str = Field(description="The key starts `fw_<prefix>_`.", examples=["1a2b3c4d"])
    scopes: list[Scope] = Field(examples=[["events:write"]])
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


class KeyPage(BaseModel):
    items: list[Key]
    next_cursor: str | None = Field(None, description="Pass as `cursor` for the next page; null on the last.")


class AuditEntry(BaseModel):
    id: int = Field(examples=[42])
    actor_key_id: str | None = Field(
        description="The API key that did it; null when an operator used the command line.",
        examples=["3f1c0a9e-8d47-4a38-9a4e-0c2b8e6c1f52"],
    )
    action: str = Field(
        description="key.created, key.rotated, key.revoked or customer.erased.", examples=["key.rotated"]
    )
    target: str = Field(description="The key id or customer id acted on.", examples=["c_01HZX3K9"])
    at: datetime
    request_id: str | None = Field(None, description="The request's X-Request-ID header, when it sent one.")
    trace_id: str | None = Field(None, description="The request's trace id, when tracing is on.")


class AuditPage(BaseModel):
    items: list[AuditEntry]
    next_cursor: str | None = Field(None, description="Pass as `cursor` for the next page; null on the last.")
