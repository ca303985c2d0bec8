"""What every service declares about the personal data its tables hold, and the check that nothing is left out.

Each service lists, in services/<service>/personal_data.py, every table that names a customer or holds a
personal column: which of those columns it has, where the data-subject export shows them (`exported`: a key of
the export document, contracts/export.py) and what an erasure does to them (`erased`). The contract test
(tests/integration/test_personal_data_coverage.py) reads the migrated database of each service and fails on a
personal column no declaration covers: a new table or column holding personal data must be exported and erased,
or be declared, with the reason, as something else (a transient queue, configuration).

A column is personal by its name: a customer reference (`customer_id`, `friend_id`...) or a kind of value that
identifies or describes a person (traits, identifiers, emails, phones, device ids, message bodies, free text
such as reasons, comments, titles and notes). The list errs on the side of asking.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


class Erasure(enum.Enum):
    DELETED = "the customer's rows are deleted"
    PSEUDONYMISED = "the rows stay for the numbers, their customer replaced by an untraceable pseudonym"
    REDACTED = "the rows stay, their personal columns cleared or replaced"
    TOMBSTONE = "an id-only record that the customer was erased (what keeps the erasure lasting)"
    TRANSIENT = "held for seconds on the way to Kafka, where the topics' retention removes it"
    NOT_PERSONAL = "matches the column names but holds no customer's data"


@dataclass(frozen=True)
class Coverage:
    """A table's personal columns, where the export shows them and what an erasure does to them."""

    columns: frozenset[str]
    exported: str | None
    erased: Erasure | None
    why: str = ""

    def __init__(self, columns: Iterable[str], exported: str | None, erased: Erasure | None, why: str = "") -> None:
        object.__setattr__(self, "columns", frozenset(columns))
        object.__setattr__(self, "exported", exported)
        object.__setattr__(self, "erased", erased)
        object.__setattr__(self, "why", why)


CUSTOMER_REFERENCE = re.compile(r"^(customer_id|merged_into|\w*(friend|referrer|beneficiary|merged|survivor)_id)$")
PERSONAL_VALUE = re.compile(
    r"(trait|identifier|email|phone|device|address|birth|ip_addr|(^|_)(first|last|full|display)_?name$"
    r"|^body$|^event$|^payload$|^value$|reason|comment|^title$|^fields$|note|message)"
)
TEXT_TYPES = frozenset({"text", "character varying", "jsonb", "json", "bytea", "ARRAY"})

# Every service database holds the shared runtime's tables (runtime/migrations).
RUNTIME_TABLES: dict[str, Coverage] = {
    "flywheel_outbox": Coverage(
        {"value"}, None, Erasure.TRANSIENT, "messages wait here only until the relay publishes them"
    ),
    "flywheel_outbox_packed": Coverage(
        {"messages"}, None, Erasure.TRANSIENT, "messages wait here only until the relay publishes them"
    ),
    "flywheel_merged_customers": Coverage({"merged_id", "survivor_id"}, None, Erasure.DELETED),
    "flywheel_erased_customers": Coverage({"customer_id"}, None, Erasure.TOMBSTONE),
    # What a merge's fold changed (runtime/merge_undo.py): copies of the service's own rows, exported there;
    # deleted with either customer (and after FLYWHEEL_MERGE_UNDO_RETENTION_DAYS).
    "flywheel_merge_snapshots": Coverage({"survivor_id", "merged_id"}, None, Erasure.DELETED),
}


def personal_columns(columns: Iterable[tuple[str, str]]) -> set[str]:
    """The personal ones among (name, data type) columns."""
    return {
        name
        for name, data_type in columns
        if CUSTOMER_REFERENCE.match(name) or (data_type in TEXT_TYPES and PERSONAL_VALUE.search(name))
    }


def uncovered(
    schema: Mapping[str, Iterable[tuple[str, str]]], declared: Mapping[str, Coverage], export_keys: Iterable[str]
) -> list[str]:
    """What the declarations leave out, one line each: a table with personal columns and no declaration, a
    personal column its table's declaration does not name, a declaration exporting to no key of the export
    document, a personal table neither exported nor erased; and declarations of tables or columns that do not
    exist (a stale declaration is a false assurance)."""
    keys = set(export_keys)
    problems = []
    for table, given in sorted(schema.items()):
        columns = list(given)
        personal = personal_columns(columns)
        coverage = declared.get(table)
        if coverage is None:
            if personal:
                problems.append(f"{table}: personal columns {sorted(personal)} are declared nowhere")
            continue
        missing = personal - coverage.columns
        if missing:
            problems.append(f"{table}: personal columns {sorted(missing)} are not in its declaration")
        unknown = coverage.columns - {name for name, _ in columns}
        if unknown:
            problems.append(f"{table}: declares columns {sorted(unknown)} it does not have")
        if coverage.exported is not None and coverage.exported not in keys:
            problems.append(f"{table}: exported as {coverage.exported!r}, which the export document has no key for")
        if coverage.exported is None and coverage.erased is None:
            problems.append(f"{table}: neither exported nor erased")
        if coverage.erased in (Erasure.NOT_PERSONAL, Erasure.TRANSIENT) and not coverage.why:
            problems.append(f"{table}: declared {coverage.erased.name.lower()} without saying why")
    for table in sorted(set(declared) - set(schema)):
        problems.append(f"{table}: declared, but there is no such table")
    return problems
