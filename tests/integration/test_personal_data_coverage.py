"""The contract over every table of every service: each table naming a customer or holding a personal column
(runtime/personal_data.py) is declared in its service's services/<service>/personal_data.py as exported in the
data-subject export or erased, and the declarations match the migrated schema. A new personal column or table
without coverage fails it (proved on a scratch database)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import asyncpg
import pytest

from contracts.export import PROFILE_SECTIONS, SERVICE_SECTIONS, export_keys
from devstack.postgres import LocalPostgres
from runtime import export_sections
from runtime.db import migrate
from runtime.pagination import encode_cursor
from runtime.personal_data import Coverage, uncovered
from services.gateway import personal_data as gateway_data
from services.gateway.store import MIGRATIONS as GATEWAY_MIGRATIONS
from services.journey import personal_data as journey_data
from services.journey.wiring import MIGRATIONS as JOURNEY_MIGRATIONS
from services.loyalty import personal_data as loyalty_data
from services.loyalty.wiring import MIGRATIONS as LOYALTY_MIGRATIONS
from services.profile import export_store
from services.profile import personal_data as profile_data
from services.profile.wiring import MIGRATIONS as PROFILE_MIGRATIONS
from services.referral import personal_data as referral_data
from services.referral.wiring import MIGRATIONS as REFERRAL_MIGRATIONS
from services.sales import personal_data as sales_data
from services.sales.wiring import MIGRATIONS as SALES_MIGRATIONS
from services.scoring import personal_data as scoring_data
from services.scoring.wiring import MIGRATIONS as SCORING_MIGRATIONS
from tests.integration.conftest import fresh_database

SERVICES: dict[str, tuple[Path, dict[str, Coverage]]] = {
    "profile": (PROFILE_MIGRATIONS, profile_data.TABLES),
    "scoring": (SCORING_MIGRATIONS, scoring_data.TABLES),
    "journey": (JOURNEY_MIGRATIONS, journey_data.TABLES),
    "referral": (REFERRAL_MIGRATIONS, referral_data.TABLES),
    "sales": (SALES_MIGRATIONS, sales_data.TABLES),
    "loyalty": (LOYALTY_MIGRATIONS, loyalty_data.TABLES),
    "gateway": (GATEWAY_MIGRATIONS, gateway_data.TABLES),
}
SECTIONS = {
    "scoring": scoring_data.SECTIONS,
    "journey": journey_data.SECTIONS,
    "referral": referral_data.SECTIONS,
    "sales": sales_data.SECTIONS,
    "loyalty": loyalty_data.SECTIONS,
}
Schema = dict[str, list[tuple[str, str]]]


async def schema_of(dsn: str) -> Schema:
    """Every table of the database's public schema with its (column, data type) pairs."""
    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch(
            """SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c
                 JOIN information_schema.tables t USING (table_schema, table_name)
                WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
                ORDER BY c.table_name, c.ordinal_position"""
        )
    finally:
        await conn.close()
    tables: Schema = defaultdict(list)
    for r in rows:
        tables[r["table_name"]].append((r["column_name"], r["data_type"]))
    return dict(tables)


@pytest.fixture(scope="module")
async def databases(postgres: LocalPostgres) -> dict[str, str]:
    """Each service's database, migrated as the service migrates it at start-up."""
    dsns = {}
    for name, (migrations, _) in SERVICES.items():
        dsns[name] = fresh_database(postgres, f"coverage_{name}")
        await migrate(dsns[name], name, migrations)
    return dsns


@pytest.mark.parametrize("service", sorted(SERVICES))
async def test_every_personal_column_is_exported_or_erased(databases: dict[str, str], service: str) -> None:
    schema = await schema_of(databases[service])
    assert uncovered(schema, SERVICES[service][1], export_keys()) == []


async def test_a_new_personal_column_or_table_without_coverage_fails(postgres: LocalPostgres) -> None:
    scratch = fresh_database(postgres, "coverage_scratch")
    await migrate(scratch, "sales", SALES_MIGRATIONS)
    assert uncovered(await schema_of(scratch), sales_data.TABLES, export_keys()) == []
    conn = await asyncpg.connect(scratch)
    try:
        await conn.execute("ALTER TABLE deals ADD COLUMN contact_email text")
        await conn.execute("ALTER TABLE teams ADD COLUMN manager_phone text")
        await conn.execute("CREATE TABLE call_notes (workspace text, customer_id text, note text)")
        await conn.execute("CREATE TABLE deal_contacts (workspace text, deal_id text, full_name text)")
    finally:
        await conn.close()

    problems = uncovered(await schema_of(scratch), sales_data.TABLES, export_keys())

    assert problems == [
        "call_notes: personal columns ['customer_id', 'note'] are declared nowhere",
        "deal_contacts: personal columns ['full_name'] are declared nowhere",
        "deals: personal columns ['contact_email'] are not in its declaration",
        "teams: personal columns ['manager_phone'] are declared nowhere",
    ]


async def test_declarations_that_promise_what_is_not_there_fail(databases: dict[str, str]) -> None:
    schema = await schema_of(databases["sales"])
    declared = {
        **sales_data.TABLES,
        "tasks": Coverage(
            {"customer_id", "title", "reason", "churn_reasons", "predicted_clv", "notes"}, "sales.tasks", None
        ),
        "customer_owners": Coverage({"customer_id"}, "sales.owners", None),
        "archived_deals": Coverage({"customer_id"}, None, None),
    }
    assert uncovered(schema, declared, export_keys()) == [
        "customer_owners: exported as 'sales.owners', which the export document has no key for",
        "tasks: declares columns ['notes'] it does not have",
        "archived_deals: declared, but there is no such table",
    ]


def test_every_service_answers_the_export_sections_the_contract_lists() -> None:
    assert tuple(export_store.SECTIONS) == PROFILE_SECTIONS
    assert {service: tuple(sections) for service, sections in SECTIONS.items()} == SERVICE_SECTIONS


@pytest.mark.parametrize("service", sorted(SECTIONS))
async def test_every_export_section_reads_its_migrated_tables(databases: dict[str, str], service: str) -> None:
    conn = await asyncpg.connect(databases[service])
    try:
        for name, section in SECTIONS[service].items():
            items, cursor = await export_sections.page(conn, section, "ws", "c_nobody", 10, None)
            assert (items, cursor) == ([], None), name
            after = encode_cursor(*("1" if t == "integer" else "2026-01-01" for t in section.key_types))
            assert await export_sections.page(conn, section, "ws", "c_nobody", 10, after) == ([], None), name
    finally:
        await conn.close()
