"""Every migration keeps the version before it working (expand, then contract a release later): during a rolling
upgrade the migration Job runs while the old replicas still serve, on the new schema. docs/operations.md says
how a change that needs a contract step is split.

Statements are read by PostgreSQL's own parser (pglast, libpg_query). Refused, on a table the migration did not
create: dropping or renaming a table or column, changing a column's type, making a column NOT NULL (or adding one
without a default), letting a column take NULL the old readers do not expect, adding a constraint the old writers
may not meet, dropping a table, view, type, sequence or function. The migrations that did so before this rule
are listed with what made each safe (or why it is history), and no other may join them silently."""

from __future__ import annotations

from pathlib import Path

import pytest
from pglast import ast, parse_sql
from pglast.enums import AlterTableType, ConstrType, ObjectType

REPO = Path(__file__).resolve().parents[2]
MIGRATIONS = sorted(REPO.glob("services/*/migrations/*.sql")) + sorted(REPO.glob("runtime/migrations/*.sql"))

# Before the rule: each applied long before any release, so no running version predates it.
HISTORY = {
    "services/gateway/migrations/0003_idempotency_per_key.sql",
    "services/gateway/migrations/0004_key_owners_and_audit_outcomes.sql",
    "services/journey/migrations/0005_webhook_secrets_sealed.sql",
    "services/journey/migrations/0010_consent.sql",
    "services/profile/migrations/0002_timeline_keeps_events_as_received.sql",
    "runtime/migrations/0002_outbox_header_arrays.sql",
}

_BREAKING_ALTERS = {
    AlterTableType.AT_DropColumn: "drops a column the old version reads or writes",
    AlterTableType.AT_AlterColumnType: "changes a column's type under the old version",
    AlterTableType.AT_SetNotNull: "makes a column NOT NULL the old version may leave empty",
    AlterTableType.AT_DropNotNull: "lets a column be NULL where the old version's readers expect a value",
}
_BREAKING_DROPS = {
    ObjectType.OBJECT_TABLE,
    ObjectType.OBJECT_VIEW,
    ObjectType.OBJECT_MATVIEW,
    ObjectType.OBJECT_TYPE,
    ObjectType.OBJECT_SEQUENCE,
    ObjectType.OBJECT_FUNCTION,
    ObjectType.OBJECT_SCHEMA,
}


def breaking_statements(sql: str) -> list[str]:
    """What in `sql` would break the version before it, one reason per statement."""
    created: set[str] = set()
    reasons: list[str] = []
    for raw in parse_sql(sql):
        statement = raw.stmt
        if isinstance(statement, ast.CreateStmt) and statement.relation is not None:
            created.add(str(statement.relation.relname))
        elif isinstance(statement, ast.AlterTableStmt) and statement.relation is not None:
            table = str(statement.relation.relname)
            if table in created:
                continue
            for command in statement.cmds or ():
                reason = _breaking_alter(command)
                if reason:
                    reasons.append(f"{table}: {reason}")
        elif isinstance(statement, ast.RenameStmt):
            reasons.append(f"renames a {_kind(statement.renameType)}")
        elif isinstance(statement, ast.DropStmt) and statement.removeType in _BREAKING_DROPS:
            reasons.append(f"drops a {_kind(statement.removeType)}")
    return reasons


def _kind(object_type: ObjectType | None) -> str:
    return "thing" if object_type is None else ObjectType(object_type).name.removeprefix("OBJECT_").lower()


def _breaking_alter(command: ast.AlterTableCmd) -> str | None:
    if command.subtype in _BREAKING_ALTERS:
        return _BREAKING_ALTERS[command.subtype]
    definition = command.def_
    if command.subtype == AlterTableType.AT_AddColumn and isinstance(definition, ast.ColumnDef):
        kinds = {constraint.contype for constraint in definition.constraints or ()}
        if ConstrType.CONSTR_NOTNULL in kinds and ConstrType.CONSTR_DEFAULT not in kinds:
            return "adds a NOT NULL column without a default: the old version's inserts fail"
    if command.subtype == AlterTableType.AT_AddConstraint and isinstance(definition, ast.Constraint):
        kind = "" if definition.contype is None else ConstrType(definition.contype).name.removeprefix("CONSTR_").lower()
        return f"adds a {kind} constraint the old writers may not meet"
    return None


@pytest.mark.parametrize("migration", MIGRATIONS, ids=lambda path: str(path.relative_to(REPO)))
def test_the_migration_keeps_the_version_before_it_working(migration: Path) -> None:
    name = str(migration.relative_to(REPO))
    reasons = breaking_statements(migration.read_text())
    if name in HISTORY:
        assert reasons, f"{name} is listed as breaking but is not: take it off HISTORY"
        return
    assert not reasons, f"{name} would break the running version during a rolling upgrade: " + "; ".join(reasons)


@pytest.mark.parametrize(
    ("sql", "reason"),
    [
        ("ALTER TABLE deals DROP COLUMN amount", "drops a column"),
        ("ALTER TABLE deals RENAME COLUMN amount TO value", "renames a column"),
        ("ALTER TABLE deals ALTER COLUMN amount TYPE text", "changes a column's type"),
        ("ALTER TABLE deals ALTER COLUMN amount SET NOT NULL", "NOT NULL"),
        ("ALTER TABLE deals ADD COLUMN stage text NOT NULL", "without a default"),
        ("ALTER TABLE deals ADD CONSTRAINT positive CHECK (amount > 0)", "check constraint"),
        ("DROP TABLE deals", "drops a table"),
        ("DROP FUNCTION touch()", "drops a function"),
    ],
)
def test_a_change_that_breaks_the_old_version_is_refused(sql: str, reason: str) -> None:
    reasons = breaking_statements(sql)
    assert len(reasons) == 1 and reason in reasons[0], reasons


@pytest.mark.parametrize(
    "sql",
    [
        "ALTER TABLE deals ADD COLUMN stage text",
        "ALTER TABLE deals ADD COLUMN stage text NOT NULL DEFAULT 'open'",
        "CREATE TABLE notes (id bigint PRIMARY KEY); ALTER TABLE notes ADD CONSTRAINT n CHECK (id > 0)",
        "CREATE INDEX CONCURRENTLY deals_by_stage ON deals (stage)",
        "DROP INDEX deals_by_amount",
        "CREATE OR REPLACE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
    ],
)
def test_an_expanding_change_passes(sql: str) -> None:
    assert breaking_statements(sql) == []
