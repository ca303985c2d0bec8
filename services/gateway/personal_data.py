"""What the gateway holds on a customer, table by table (runtime/personal_data.py; checked by
tests/integration/test_personal_data_coverage.py)."""

from __future__ import annotations

from runtime.personal_data import RUNTIME_TABLES, Coverage, Erasure

TABLES: dict[str, Coverage] = {
    **RUNTIME_TABLES,
    "idempotency_keys": Coverage(
        {"body"},
        None,
        Erasure.REDACTED,
        "a stored answer naming an erased customer loses its body (services/gateway/idempotency.py)",
    ),
}
