"""What loyalty holds on a customer, table by table: its export sections (contracts/export.py) and what an erasure
does (services/loyalty/service.py erase_members; checked by tests/integration/test_personal_data_coverage.py).
An erasure deletes every row; only the anonymous daily totals (no customer) stay, with the member's outstanding
points written off there as `erased`."""

from __future__ import annotations

from runtime.export_sections import Section
from runtime.personal_data import RUNTIME_TABLES, Coverage, Erasure

SECTIONS: dict[str, Section] = {
    "member": Section(
        "customer_id, balance, debt, held, tier, tier_since, tier_anniversary, tier_grace_until, birthday_month, "
        "birthday_bonus_year, first_order_id, created_at, updated_at",
        "members",
        ("customer_id",),
        ("text",),
    ),
    "entries": Section(
        "entry_id, kind, points, reason, rule, order_id, program_version, at",
        "entries",
        ("at", "entry_id"),
        ("timestamptz", "text"),
    ),
    "lots": Section(
        "lot_id, earned, remaining, earned_at, expires_at, notified_at",
        "lots",
        ("earned_at", "lot_id"),
        ("timestamptz", "text"),
    ),
    "orders": Section(
        "order_id, amount, currency, points, refunded, reversed, at",
        "orders",
        ("at", "order_id"),
        ("timestamptz", "text"),
    ),
    "redemptions": Section(
        "redemption_id, order_id, points, value, currency, status, created_at, expires_at, settled_at",
        "redemptions",
        ("created_at", "redemption_id"),
        ("timestamptz", "text"),
    ),
}

TABLES: dict[str, Coverage] = {
    **RUNTIME_TABLES,
    "members": Coverage({"customer_id"}, "loyalty.member", Erasure.DELETED),
    "entries": Coverage(
        {"customer_id", "reason"}, "loyalty.entries", Erasure.DELETED, "reasons are the service's own words"
    ),
    "lots": Coverage({"customer_id"}, "loyalty.lots", Erasure.DELETED),
    "orders": Coverage({"customer_id"}, "loyalty.orders", Erasure.DELETED),
    "redemptions": Coverage({"customer_id"}, "loyalty.redemptions", Erasure.DELETED),
    "pending_refunds": Coverage(
        {"customer_id"},
        None,
        Erasure.DELETED,
        "a refund waits here only until its order's purchase arrives; then it is an entry (exported)",
    ),
}
