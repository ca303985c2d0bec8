"""What journey holds on a customer, table by table: its export sections (contracts/export.py) and what an
erasure does (runtime/personal_data.py; checked by tests/integration/test_personal_data_coverage.py)."""

from __future__ import annotations

from runtime.export_sections import Section
from runtime.personal_data import RUNTIME_TABLES, Coverage, Erasure

SECTIONS: dict[str, Section] = {
    "enrolments": Section(
        "enrolment_id, journey_id, version, step_id, status, variant, holdout, entered_at, ended_at, end_reason",
        "enrolments",
        ("entered_at", "enrolment_id"),
        ("timestamptz", "text"),
    ),
    # The messages journeys sent (or will send) the customer: the rendered webhook bodies and their outcome.
    "messages": Section(
        "delivery_id, journey_id, enrolment_id, body, status, attempts, last_status, created_at, finished_at",
        "webhook_deliveries",
        ("created_at", "delivery_id"),
        ("timestamptz", "text"),
    ),
    "messages_sent": Section("action_id, sent_at", "messages_sent", ("sent_at", "action_id"), ("timestamptz", "text")),
    "facts": Section(
        "customer_id, traits, trait_times, stats, scores, segments, event_counts, loyalty, updated_at",
        "customer_facts",
        ("customer_id",),
        ("text",),
    ),
    # Consent: every choice the customer made about a subscription group (the history; the latest by time rules).
    "consent": Section(
        "group_id, status, source, occurred_at, event_id",
        "consent_history",
        ("occurred_at", "event_id"),
        ("timestamptz", "text"),
    ),
}

TABLES: dict[str, Coverage] = {
    **RUNTIME_TABLES,
    "enrolments": Coverage({"customer_id", "end_reason"}, "journey.enrolments", Erasure.PSEUDONYMISED),
    "webhook_deliveries": Coverage({"customer_id", "body"}, "journey.messages", Erasure.DELETED),
    "messages_sent": Coverage({"customer_id"}, "journey.messages_sent", Erasure.DELETED),
    "consent_history": Coverage({"customer_id", "source"}, "journey.consent", Erasure.DELETED),
    "consent_state": Coverage({"customer_id", "source"}, "journey.consent", Erasure.DELETED),
    "customer_identifier_hashes": Coverage(
        {"customer_id", "hash"},
        None,
        Erasure.DELETED,
        "sha256 of the email and phone the profile export shows, kept only to match the suppression list",
    ),
    "customer_facts": Coverage({"customer_id", "traits", "trait_times"}, "journey.facts", Erasure.DELETED),
    "journey_purchases": Coverage(
        {"customer_id"},
        None,
        Erasure.DELETED,
        "the amounts and times of the purchases the profile export shows (orders), kept to measure journeys' lift",
    ),
    "message_decisions": Coverage(
        {"reason"},
        None,
        Erasure.NOT_PERSONAL,
        "why a frequency cap held a journey's message back: a cap's name or another journey's id, never the customer",
    ),
}
