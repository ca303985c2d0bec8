"""What profile holds on a customer, table by table: where the export shows it and what an erasure does
(runtime/personal_data.py; checked against the migrated schema by tests/integration/test_personal_data_coverage.py).
Its export sections are in services/profile/export_store.py."""

from __future__ import annotations

from runtime.personal_data import RUNTIME_TABLES, Coverage, Erasure

TABLES: dict[str, Coverage] = {
    **RUNTIME_TABLES,
    "customers": Coverage(
        {"customer_id", "merged_into", "traits", "trait_times"},
        "customer",
        Erasure.TOMBSTONE,
        "traits, tags, stats and acquisition touches cleared; the id stays so that a late event or request answers 404",
    ),
    "identifiers": Coverage({"customer_id", "value"}, "customer", Erasure.DELETED),
    "timeline": Coverage({"customer_id", "event"}, "timeline", Erasure.DELETED),
    "orders": Coverage({"customer_id"}, "orders", Erasure.DELETED),
    "refunds": Coverage({"customer_id"}, "refunds", Erasure.DELETED),
    "tickets": Coverage({"customer_id"}, "tickets", Erasure.DELETED),
    "survey_answers": Coverage({"customer_id", "comment"}, "survey_answers", Erasure.DELETED),
    "merges": Coverage(
        {"survivor_id", "merged_id", "reason", "joined_identifiers", "merged_identifiers", "undo_reason"},
        "merges",
        Erasure.REDACTED,
        "identifiers, snapshots (traits, tags) and the undo's reason cleared; the ids stay so that an undo answers "
        "that it is erased",
    ),
    "kept_apart": Coverage({"customer_id"}, None, Erasure.DELETED),
    "identifier_sightings": Coverage(
        {"identifier_hash"},
        None,
        Erasure.DELETED,
        "keyed digests of identifiers seen together (the shared-device guard, services/profile/guard.py), never "
        "their values: not readable into a person without the key, so not exported; an erasure deletes every row "
        "naming an erased identifier's digest, on either side",
    ),
    "identity_conflicts": Coverage(
        {"customer_id", "other_customer_ids", "identifier_kind", "identifier_hash", "masked_identifier"},
        None,
        Erasure.DELETED,
        "events the shared-device guard kept from merging customers, for operators to review (a digest and a masked "
        "value, never the identifier); an erasure deletes every conflict naming the customer on either side",
    ),
    "erasure_ledger": Coverage(
        {"identifier_hash"},
        None,
        Erasure.TOMBSTONE,
        "keyed hashes of an erased customer's identifiers: what keeps the erasure lasting (services/profile/ledger.py)",
    ),
}
