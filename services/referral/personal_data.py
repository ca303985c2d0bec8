"""What referral holds on a customer, table by table: its export sections (contracts/export.py) and what an
erasure does (runtime/personal_data.py and services/referral/lifecycle.py; checked by
tests/integration/test_personal_data_coverage.py). Codes, attributions and rewards are also in the export's
`referrals` (the 360 view's part)."""

from __future__ import annotations

from runtime.export_sections import Section
from runtime.personal_data import RUNTIME_TABLES, Coverage, Erasure

SECTIONS: dict[str, Section] = {
    # What referral knows identifies the customer (for the self-referral check): emails, phones, device ids.
    "identifiers": Section("customer_id, identifiers, first_purchase_at", "customers", ("customer_id",), ("text",)),
    "touches": Section(
        "action, code, at, program_id, referrer_id",
        "touches",
        ("at", "action", "code"),
        ("timestamptz", "text", "text"),
    ),
    # Their own sign-up as a referred friend, with the device id and email domain the fraud checks read.
    "sign_ups": Section(
        "friend_id, program_id, referrer_id, code, first_touch_at, attributed_at, status, reason, fraud, "
        "signed_up_at, purchased_at, order_id, qualified, device_id, email_domain",
        "attributions",
        ("friend_id",),
        ("text",),
        where="workspace = $1 AND friend_id = $2",
    ),
    "purchases": Section("order_id, amount, refunded, purchased_at", "purchases", ("order_id",), ("text",)),
    "segments": Section("segment_id, segment_name", "segment_members", ("segment_id",), ("text",)),
}

TABLES: dict[str, Coverage] = {
    **RUNTIME_TABLES,
    "codes": Coverage({"customer_id"}, "referrals", Erasure.DELETED),
    "customers": Coverage({"customer_id", "identifiers"}, "referral.identifiers", Erasure.DELETED),
    "touches": Coverage({"customer_id", "referrer_id"}, "referral.touches", Erasure.PSEUDONYMISED),
    "attributions": Coverage(
        {"friend_id", "referrer_id", "reason", "device_id", "email_domain"},
        "referral.sign_ups",
        Erasure.PSEUDONYMISED,
        "device id and email domain cleared; reasons are the service's own words",
    ),
    "rewards": Coverage(
        {"beneficiary_id", "referrer_id", "friend_id", "reason", "review_comment"},
        "referrals",
        Erasure.PSEUDONYMISED,
        "a reviewer's comment is cleared; reasons are the service's own words",
    ),
    "purchases": Coverage({"customer_id"}, "referral.purchases", Erasure.PSEUDONYMISED),
    "segment_members": Coverage({"customer_id"}, "referral.segments", Erasure.DELETED),
}
