"""The shared-device guard of identity resolution (services/profile/guard.py), served from the profile service's
internal API (rows of services.gateway.passthrough): the workspace's shared-identifier limits
(GET/PUT /v1/identity-settings) and the conflicts recorded when the guard kept an event from merging customers
(GET /v1/identity-conflicts, GET /v1/customers/{customer_id}/identity-conflicts)."""

from __future__ import annotations

from fastapi import APIRouter

from contracts.http.profile import IdentityConflictPage, IdentitySettings, IdentitySettingsIn
from services.gateway.domain import ATTRIBUTES_WRITE, CUSTOMERS_READ
from services.gateway.passthrough import CUSTOMER, CUSTOMER_NOT_FOUND, PAGE, PassThrough, register

identity_router = APIRouter(tags=["identity"])

IDENTITY_ROWS = (
    PassThrough(
        "get_identity_settings", "GET", "/v1/identity-settings", "profile", "/identity-settings", CUSTOMERS_READ,
        IdentitySettings, "no such workspace",
    ),
    PassThrough(
        "put_identity_settings", "PUT", "/v1/identity-settings", "profile", "/identity-settings", ATTRIBUTES_WRITE,
        IdentitySettings, "no such workspace", body=IdentitySettingsIn, body_name="settings",
    ),
    PassThrough(
        "list_identity_conflicts", "GET", "/v1/identity-conflicts", "profile", "/identity-conflicts",
        CUSTOMERS_READ, IdentityConflictPage, "no such workspace", query=PAGE,
    ),
    PassThrough(
        "customer_identity_conflicts", "GET", "/v1/customers/{customer_id}/identity-conflicts", "profile",
        "/customers/{customer_id}/identity-conflicts", CUSTOMERS_READ, IdentityConflictPage, CUSTOMER_NOT_FOUND,
        CUSTOMER, PAGE, checks_customer_id=True,
    ),
)  # fmt: skip
register(identity_router, IDENTITY_ROWS)
