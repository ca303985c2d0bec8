"""The data-subject export (the gateway's GET /v1/customers/{id}/export): which service answers which section.

Profile's sections are the document's top-level `timeline`, `orders`, `refunds`, `tickets` and `survey_answers`;
every other service's are gathered under its name, e.g. `"sales": {"quotes": [...], ...}`. Each service
answers its own through GET /internal/v1/workspaces/{w}/customers/{id}/export/{section} (runtime.export_sections),
and declares in services/<service>/personal_data.py which of its tables each section exports.
"""

from __future__ import annotations

PROFILE_SECTIONS: tuple[str, ...] = ("timeline", "orders", "refunds", "tickets", "survey_answers")

SERVICE_SECTIONS: dict[str, tuple[str, ...]] = {
    "scoring": (
        "inputs",
        "purchase_days",
        "visit_days",
        "orders",
        "tickets",
        "nps_answers",
        "segments",
        "reactivations",
    ),
    "journey": ("enrolments", "messages", "messages_sent", "facts", "consent"),
    "referral": ("identifiers", "touches", "sign_ups", "purchases", "segments"),
    "sales": ("deals", "stage_history", "quotes", "tasks", "owner", "signals", "categories"),
    "loyalty": ("member", "entries", "lots", "orders", "redemptions"),
}

# The document's other top-level keys: the profile view, and the single-answer parts of the 360 view.
HEAD_KEYS: tuple[str, ...] = ("customer", "scores", "journeys", "referrals", "deals", "tasks")


def export_keys() -> set[str]:
    """Every key of the export document a table's declaration may name: top-level ones, and `<service>.<section>`."""
    nested = {f"{service}.{section}" for service, sections in SERVICE_SECTIONS.items() for section in sections}
    return {*HEAD_KEYS, *PROFILE_SECTIONS, *nested}
