"""What scoring holds on a customer, table by table: its export sections (contracts/export.py) and what an
erasure does (runtime/personal_data.py; checked by tests/integration/test_personal_data_coverage.py)."""

from __future__ import annotations

from runtime.export_sections import Section
from runtime.personal_data import RUNTIME_TABLES, Coverage, Erasure

SECTIONS: dict[str, Section] = {
    "inputs": Section("*", "customers", ("customer_id",), ("text",)),
    "purchase_days": Section("day, amount, purchases", "purchase_days", ("day",), ("date",)),
    "visit_days": Section("day, visits", "visit_days", ("day",), ("date",)),
    "orders": Section("order_id", "orders", ("order_id",), ("text",)),
    "tickets": Section("ticket_id, status, updated_at", "tickets", ("ticket_id",), ("text",)),
    "nps_answers": Section("event_id, answered_at, nps", "nps_answers", ("event_id",), ("text",)),
    "segments": Section(
        "m.segment_id, s.name AS segment_name, m.entered_at",
        "segment_members m JOIN segments s ON s.workspace = m.workspace AND s.segment_id = m.segment_id",
        ("segment_id",),
        ("text",),
        where="m.workspace = $1 AND m.customer_id = $2",
        key_expressions=("m.segment_id",),
    ),
    "reactivations": Section("dormant_since, reactivated_at", "reactivations", ("dormant_since",), ("timestamptz",)),
    "event_counts": Section("type, hour, events", "event_counts", ("type", "hour"), ("text", "timestamptz")),
}

TABLES: dict[str, Coverage] = {
    **RUNTIME_TABLES,
    "customers": Coverage(
        {"customer_id", "traits", "trait_times"}
        | {"acquisition_source", "acquisition_campaign", "acquisition_program_id"},
        "scoring.inputs",
        Erasure.DELETED,
    ),
    "purchase_days": Coverage({"customer_id"}, "scoring.purchase_days", Erasure.DELETED),
    "visit_days": Coverage({"customer_id"}, "scoring.visit_days", Erasure.DELETED),
    "orders": Coverage({"customer_id"}, "scoring.orders", Erasure.DELETED),
    "tickets": Coverage({"customer_id"}, "scoring.tickets", Erasure.DELETED),
    "nps_answers": Coverage({"customer_id"}, "scoring.nps_answers", Erasure.DELETED),
    "reactivations": Coverage({"customer_id"}, "scoring.reactivations", Erasure.DELETED),
    "event_counts": Coverage({"customer_id"}, "scoring.event_counts", Erasure.DELETED),
    "segment_members": Coverage({"customer_id"}, "scoring.segments", Erasure.DELETED),
    "segments": Coverage(
        {"failure_reason"}, None, Erasure.NOT_PERSONAL, "why a segment's condition failed: the workspace's definition"
    ),
}
