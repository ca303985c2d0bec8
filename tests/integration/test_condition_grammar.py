"""One condition grammar (contracts/conditions.py, issue 17): the same condition gives the same members through
journey's evaluator (in memory) and scoring's SQL (on a real PostgreSQL, with scoring's migrations).

Customers and conditions are generated from a seed: traits of every JSON kind (numbers, decimal strings,
strings in several scripts and cases, booleans, null, lists, nested lists, objects), the typed columns
segments read (numbers, enums, the dormant flag, a timestamp; some missing), and condition trees of every
operator both uses have over the fields both have. Each customer is given to journeys as journeys hold it: the
values scoring holds, but money as the decimal strings journey's facts store ("120.50"), which must compare as
the amounts scoring's numeric columns hold (`stats.revenue eq 120.5`, `in [120.5]`, `lt 120.499`).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import asyncpg
import orjson
import pytest
from pydantic import TypeAdapter

from contracts.conditions import JOURNEY_OPERATORS, TIME_OPERATORS
from devstack.postgres import LocalPostgres
from runtime.db import migrate
from services.journey.domain.conditions import CustomerFacts, RootCondition, evaluate
from services.journey.domain.facts import FactsRecord
from services.scoring.domain.churn import RISK_NAMES
from services.scoring.domain.rfm import SEGMENTS
from services.scoring.domain.segment_sql import compile_membership_query
from services.scoring.domain.segments import OPERATORS, fields_catalogue, parse_condition
from tests.integration.conftest import fresh_database

NOW = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)
WORKSPACE = "grammar"
CUSTOMERS = 250
CONDITIONS = 600
PER_QUERY = 40

TEXTS = [
    "Berlin",
    "berlin-mitte",
    "BERLIN",
    "Straße",
    "STRASSE",
    "Ärger",
    "ärger",
    "ΟΔΟΣ",
    "οδος",
    "İstanbul",
    "istanbul",
    "x",
    "",
    "34",
    "2.50",
    "-1",
    "true",
]
NEEDLES = [
    "berl",
    "BERLIN",
    "ß",
    "SS",
    "ä",
    "Ä",
    "\u03bf\u03c3",
    "\u039f\u03a3",
    "\u03c2",
    "İ",
    "i",
    "34",
    "x",
    "e",
    "2.5",
]
NUMBERS: list[int | float] = [-3, 0, 1, 2, 2.5, 3, 34, 34.0, 50, 0.1, 1000000000000000]
SCALARS: list[Any] = [*TEXTS, *NUMBERS, True, False]
LISTS: list[Any] = [[1, 2.5], ["a", "B"], [], [None], [[1]], [True, "x"], [{"a": 1}], ["Berlin", 34], [None, 3]]
TRAIT_VALUES: list[Any] = [*SCALARS, *LISTS, None, {"x": 1}]
TRAIT_NAMES = ["city", "age", "tags", "vip", "note"]

MONEY_COLUMNS = {"stats.revenue": "revenue", "stats.refunded": "refunded"}
# Amounts around one another: equal with other trailing zeros, a tenth of a cent apart, a float's own 0.1.
MONEY = [Decimal("120.50"), Decimal("120.5"), Decimal("120.499"), Decimal("120.51"), Decimal("0.10"), Decimal("0.00")]
MONEY_BOUNDS: list[int | float] = [120.5, 120.499, 120.51, 120, 0.1, 0, 100]
NUMBER_COLUMNS = {
    **MONEY_COLUMNS,
    "stats.orders": "orders",
    "stats.visits": "visits",
    "stats.last_nps": "last_nps",
    "scores.r": "r",
    "scores.p_alive": "p_alive",
    "scores.predicted_clv": "predicted_clv",
}
ENUM_COLUMNS = {"scores.rfm_segment": ("rfm_segment", SEGMENTS), "scores.churn_risk": ("churn_risk", RISK_NAMES)}
# Loyalty's, as both hold them (scoring's loyalty_* columns, journey's loyalty facts): a text and a whole number.
TIERS = ["gold", "Gold", "GOLD", "silver", "Straße", "STRASSE", "34", ""]
BALANCES = [0, 1, 34, 1000, -5, 10**12]


def cents(rng: random.Random) -> Decimal:
    """An amount of money as a purchase carries it: two decimal places ("120.50")."""
    return (Decimal(rng.randrange(0, 40000)) / 100).quantize(Decimal("0.01"))


def customer(rng: random.Random, index: int) -> dict[str, Any]:
    """A row of scoring's `customers` (columns as named there)."""
    traits = {name: rng.choice(TRAIT_VALUES) for name in TRAIT_NAMES if rng.random() < 0.8}

    def maybe(value: Any) -> Any:
        return value if rng.random() < 0.75 else None

    return {
        "customer_id": f"c{index:04}",
        "traits": traits,
        "orders": rng.randrange(0, 6),
        "revenue": rng.choice([*MONEY, cents(rng)]),
        "refunded": rng.choice([*MONEY, cents(rng)]),
        "visits": rng.randrange(0, 4),
        "last_nps": maybe(rng.randrange(0, 11)),
        "r": maybe(rng.randrange(1, 6)),
        "p_alive": maybe(rng.choice([0.0, 0.1, 0.25, 0.3, 0.5, 0.9, 1.0])),
        "predicted_clv": maybe(Decimal(rng.randrange(0, 100000)) / 100),
        "rfm_segment": maybe(rng.choice(SEGMENTS)),
        "churn_risk": maybe(rng.choice(RISK_NAMES)),
        "dormant_since": maybe(NOW - dt.timedelta(days=rng.randrange(1, 90))),
        "last_purchase_at": maybe(NOW - dt.timedelta(days=rng.randrange(0, 400))),
        "loyalty_tier": maybe(rng.choice(TIERS)),
        "loyalty_balance": maybe(rng.choice(BALANCES)),
    }


def facts_of(row: dict[str, Any]) -> CustomerFacts:
    """The same customer as journeys see it: the same values under the same names, kept as journey's facts
    keep them (services/journey/domain/facts.py: money as a decimal string, JSON otherwise)."""

    def stored(name: str, value: Any) -> Any:
        if name in MONEY_COLUMNS:
            return str(value)
        return float(value) if isinstance(value, Decimal) else value

    stats: dict[str, Any] = {}
    scores: dict[str, Any] = {"dormant": row["dormant_since"] is not None}
    for name, column in NUMBER_COLUMNS.items():
        root, _, field = name.partition(".")
        if row[column] is not None:
            (stats if root == "stats" else scores)[field] = stored(name, row[column])
    for name, (column, _) in ENUM_COLUMNS.items():
        if row[column] is not None:
            scores[name.partition(".")[2]] = row[column]
    if row["last_purchase_at"] is not None:
        stats["last_purchase_at"] = row["last_purchase_at"].isoformat()
    loyalty = {name: row[f"loyalty_{name}"] for name in ("tier", "balance") if row[f"loyalty_{name}"] is not None}
    return FactsRecord(traits=row["traits"], stats=stats, scores=scores, loyalty=loyalty).facts(row["customer_id"])


def leaf(rng: random.Random) -> dict[str, Any]:
    op: str
    kind = rng.choice(["trait", "trait", "trait", "number", "enum", "boolean", "timestamp", "loyalty"])
    if kind == "trait":
        field = f"traits.{rng.choice(TRAIT_NAMES)}"
        op = rng.choice(JOURNEY_OPERATORS)
        values: dict[str, Any] = {
            "eq": rng.choice(SCALARS),
            "ne": rng.choice(SCALARS),
            "in": rng.sample(SCALARS, rng.randrange(1, 5)),
            "not_in": rng.sample(SCALARS, rng.randrange(1, 5)),
            "contains": rng.choice(NEEDLES),
        }
        value = values.get(op, rng.choice(NUMBERS))
    elif kind == "number":
        field = rng.choice([*NUMBER_COLUMNS, *MONEY_COLUMNS])  # money twice as often: it is what may differ
        op = rng.choice(OPERATORS["number"])
        if field in MONEY_COLUMNS:
            number, items = rng.choice(MONEY_BOUNDS), rng.sample(MONEY_BOUNDS, 3)
        else:
            number, items = rng.choice([*NUMBERS, 12.34, 0.3, 5, 100]), rng.sample([0, 1, 2, 3, 5, 0.3, 12.34], 3)
        value = items if op in ("in", "not_in") else number
    elif kind == "enum":
        field = rng.choice(list(ENUM_COLUMNS))
        names = ENUM_COLUMNS[field][1]
        op = rng.choice(OPERATORS["enum"])
        value = rng.sample(names, min(2, len(names))) if op in ("in", "not_in") else rng.choice(names)
    elif kind == "boolean":
        field, op, value = "scores.dormant", rng.choice(OPERATORS["boolean"]), rng.choice([True, False])
    elif kind == "loyalty" and rng.random() < 0.5:
        field, op = "loyalty.tier", rng.choice(OPERATORS["text"])
        needle = rng.choice(["gold", "GOLD", "ß", "SS", "3", "x"])
        value = rng.sample(TIERS, 2) if op in ("in", "not_in") else needle if op == "contains" else rng.choice(TIERS)
    elif kind == "loyalty":
        field, op = "loyalty.balance", rng.choice(OPERATORS["number"])
        value = rng.sample(BALANCES, 2) if op in ("in", "not_in") else rng.choice([*BALANCES, 33.5, 999.99])
    else:  # the time operators are segments' only: a timestamp both read is one that exists or not
        field, op, value = "stats.last_purchase_at", rng.choice(["exists", "not_exists"]), None
    if op in ("exists", "not_exists"):
        return {"field": field, "op": op}
    return {"field": field, "op": op, "value": value}


def condition(rng: random.Random, depth: int = 1) -> dict[str, Any]:
    if depth >= 4 or rng.random() < 0.45:
        return leaf(rng)
    kind = rng.choice(["all", "any", "not"])
    if kind == "not":
        return {"not": condition(rng, depth + 1)}
    return {kind: [condition(rng, depth + 1) for _ in range(rng.randrange(1, 4))]}


@pytest.fixture(scope="module")
async def dsn(postgres: LocalPostgres) -> AsyncIterator[str]:
    dsn = fresh_database(postgres, "scoring_grammar")
    await migrate(dsn, "scoring", Path("services/scoring/migrations"))
    yield dsn


async def test_the_same_condition_gives_the_same_members_in_journeys_and_in_segments(dsn: str) -> None:
    rng = random.Random(17)
    rows = [customer(rng, i) for i in range(CUSTOMERS)]
    conn = await asyncpg.connect(dsn)
    try:
        for row in rows:
            record = {
                **row,
                "workspace": WORKSPACE,
                "first_seen_at": NOW,
                "traits": orjson.dumps(row["traits"]).decode(),
            }
            columns = list(record)
            placeholders = ", ".join(f"${i}" for i in range(1, len(columns) + 1))
            await conn.execute(
                f"INSERT INTO customers ({', '.join(columns)}) VALUES ({placeholders})",  # noqa: S608
                *record.values(),
            )
        docs = [condition(rng) for _ in range(CONDITIONS)]
        journey_conditions = [TypeAdapter(RootCondition).validate_python(doc) for doc in docs]  # valid in both
        in_sql: dict[int, set[str]] = {n: set() for n in range(len(docs))}
        for start in range(0, len(docs), PER_QUERY):
            chunk = [(str(n), parse_condition(docs[n])) for n in range(start, min(start + PER_QUERY, len(docs)))]
            sql, values = compile_membership_query(chunk)
            for found in await conn.fetch(sql, WORKSPACE, None, NOW, *values):
                for segment_id in found["segment_ids"]:
                    in_sql[int(segment_id)].add(found["customer_id"])
    finally:
        await conn.close()

    facts = [facts_of(row) for row in rows]
    disagreements = []
    for n, parsed in enumerate(journey_conditions):
        in_memory = {f.customer_id for f in facts if evaluate(parsed, f)}
        if in_memory != in_sql[n]:
            disagreements.append((docs[n], sorted(in_memory ^ in_sql[n])[:3]))
    assert not disagreements, disagreements[:5]
    # The generated conditions are not trivial: some match nobody, some everybody, most some of them.
    sizes = [len(members) for members in in_sql.values()]
    assert 0 in sizes and CUSTOMERS in sizes and sum(0 < size < CUSTOMERS for size in sizes) > CONDITIONS // 3


def test_the_grammar_names_its_per_use_restriction() -> None:
    """Journeys have every operator but the time operators; a segment's catalogue may offer each operator."""
    assert set(JOURNEY_OPERATORS) | set(TIME_OPERATORS) == {
        op for entry in fields_catalogue() for op in entry["operators"]
    }
    assert not set(JOURNEY_OPERATORS) & set(TIME_OPERATORS)
