"""Every service keeps one shape (docs/architecture.md): SQL is written only in its stores (`store.py`,
`<what>_store.py`), which hand out typed values; handlers, APIs, jobs and use cases never run a statement
nor touch a raw `asyncpg.Record`. runtime/ (the consumer loop, the outbox, the unit of work) is shared
machinery and may."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ROOT / "services"

# asyncpg's statement methods (Connection and Pool); `copy_*` are its COPY methods.
SQL_METHODS = {
    "execute",
    "executemany",
    "fetch",
    "fetchrow",
    "fetchval",
    "copy_from_query",
    "copy_from_table",
    "copy_records_to_table",
    "copy_to_table",
}


def is_store(path: Path) -> bool:
    return path.name.endswith("store.py")


def service_modules() -> list[Path]:
    return sorted(p for p in SERVICES.rglob("*.py") if not is_store(p))


def offences(source: str) -> list[str]:
    """Where a module's source runs SQL or names asyncpg's Record, as `line: what`."""
    tree = ast.parse(source)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in SQL_METHODS:
            found.append(f"{node.lineno}: SQL call .{node.func.attr}()")
        elif (
            isinstance(node, ast.Attribute)
            and node.attr == "Record"
            and isinstance(node.value, ast.Name)
            and node.value.id == "asyncpg"
        ):
            found.append(f"{node.lineno}: asyncpg.Record")
        elif (
            isinstance(node, ast.ImportFrom)
            and node.module == "asyncpg"
            and any(a.name == "Record" for a in node.names)
        ):
            found.append(f"{node.lineno}: imports asyncpg's Record")
    return found


def test_sql_and_raw_records_stay_in_stores() -> None:
    leaks = {}
    for path in service_modules():
        if found := offences(path.read_text()):
            leaks[path.relative_to(ROOT).as_posix()] = found
    assert leaks == {}, "SQL or asyncpg.Record outside a store (move it into a store*.py returning typed values)"


def test_the_check_reads_every_service_and_leaves_out_only_stores() -> None:
    names = {path.relative_to(SERVICES).as_posix() for path in service_modules()}
    for service in ("gateway", "profile", "scoring", "journey", "referral", "sales"):
        assert f"{service}/wiring.py" in names
        assert any(p.name.endswith("store.py") for p in (SERVICES / service).glob("*.py"))
    assert not any(name.endswith("store.py") for name in names)


def test_the_check_sees_sql_and_records() -> None:
    source = (
        "import asyncpg\nfrom asyncpg import Record\n"
        "async def f(conn, pool):\n"
        "    row: asyncpg.Record = await conn.fetchrow('SELECT 1')\n"
        "    await pool.execute('SELECT 1')\n"
        "    await conn.copy_records_to_table('t', records=[])\n"
        "    text.copy_abs()\n"
    )
    assert sorted(offences(source)) == [
        "2: imports asyncpg's Record",
        "4: SQL call .fetchrow()",
        "4: asyncpg.Record",
        "5: SQL call .execute()",
        "6: SQL call .copy_records_to_table()",
    ]
