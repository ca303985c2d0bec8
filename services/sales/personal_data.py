"""What sales holds on a customer, table by table: its export sections (contracts/export.py) and what an
erasure does (runtime/personal_data.py and services/sales/signal_store.erase; checked by
tests/integration/test_personal_data_coverage.py). The export's top-level `deals` and `tasks` are the 360
view's summaries; these sections are the whole rows."""

from __future__ import annotations

from runtime.export_sections import Section
from runtime.personal_data import RUNTIME_TABLES, Coverage, Erasure

_OF_THE_CUSTOMERS_DEALS = "d.workspace = $1 AND d.customer_id = $2"
_DEALS = "JOIN deals d ON d.workspace = {t}.workspace AND d.deal_id = {t}.deal_id"

SECTIONS: dict[str, Section] = {
    "deals": Section("*", "deals", ("created_at", "deal_id"), ("timestamptz", "text")),
    "stage_history": Section(
        "h.*",
        f"deal_stage_history h {_DEALS.format(t='h')}",
        ("deal_id", "seq"),
        ("text", "integer"),
        where=_OF_THE_CUSTOMERS_DEALS,
        key_expressions=("h.deal_id", "h.seq"),
    ),
    "quotes": Section(
        "q.*",
        f"quotes q {_DEALS.format(t='q')}",
        ("quote_id",),
        ("text",),
        where=_OF_THE_CUSTOMERS_DEALS,
        key_expressions=("q.quote_id",),
    ),
    "tasks": Section("*", "tasks", ("task_id",), ("text",)),
    "owner": Section("customer_id, owner", "customer_owners", ("customer_id",), ("text",)),
    "signals": Section("*", "customer_signals", ("customer_id",), ("text",)),
    "categories": Section("category", "customer_categories", ("category",), ("text",)),
}

TABLES: dict[str, Coverage] = {
    **RUNTIME_TABLES,
    "deals": Coverage(
        {"customer_id", "title", "fields", "close_reason"},
        "sales.deals",
        Erasure.REDACTED,
        "the customer link, title, custom fields and close reason go; amounts, stages and times stay for the numbers",
    ),
    "deal_stage_history": Coverage({"override_reason"}, "sales.stage_history", Erasure.REDACTED),
    "quotes": Coverage({"decision_comment"}, "sales.quotes", Erasure.REDACTED),
    "tasks": Coverage(
        {"customer_id", "title", "reason", "churn_reasons", "predicted_clv"}, "sales.tasks", Erasure.DELETED
    ),
    "customer_owners": Coverage({"customer_id"}, "sales.owner", Erasure.DELETED),
    "customer_signals": Coverage({"customer_id", "traits", "trait_times"}, "sales.signals", Erasure.DELETED),
    "customer_categories": Coverage({"customer_id"}, "sales.categories", Erasure.DELETED),
}
