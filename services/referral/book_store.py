"""Loading and saving the engine's `Book` for one workspace's batch: a fixed number of set-based queries
whatever the batch size (no query per event)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from runtime.db import Connection
from services.referral.domain.engine import Attribution, Book, BookChanges, Customer, Purchase, RewardEntry
from services.referral.domain.program import parse_program
from services.referral.domain.rules import Touch, email_domain

COUNTED = ("granted", "held")


@dataclass
class Needs:
    """What a batch touches: its actors, the codes it names and the orders it buys or refunds."""

    customers: set[str] = field(default_factory=set)
    codes: set[str] = field(default_factory=set)
    orders: set[str] = field(default_factory=set)
    identifiers: set[tuple[str, str]] = field(default_factory=set)
    since: dt.datetime | None = None


def identifier_texts(identifiers: Iterable[tuple[str, str]]) -> list[str]:
    return sorted(f"{kind}:{value}" for kind, value in identifiers)


def identifiers_of(texts: Iterable[str]) -> set[tuple[str, str]]:
    return {(t.split(":", 1)[0], t.split(":", 1)[1]) for t in texts if ":" in t}


async def load_book(conn: Connection, workspace: str, needs: Needs) -> Book:
    book = Book()
    for row in await conn.fetch("SELECT program_id, document FROM programs WHERE workspace = $1", workspace):
        book.programs[row["program_id"]] = parse_program(row["document"])
    for row in await conn.fetch(
        "SELECT code, program_id, customer_id FROM codes WHERE workspace = $1 AND code = ANY($2::text[])",
        workspace,
        sorted(needs.codes),
    ):
        book.codes[row["code"]] = (row["program_id"], row["customer_id"])
    orders = await conn.fetch(
        """SELECT order_id, customer_id, amount, refunded, purchased_at FROM purchases
            WHERE workspace = $1 AND order_id = ANY($2::text[])""",
        workspace,
        sorted(needs.orders),
    )
    for row in orders:
        book.purchases[row["order_id"]] = Purchase(
            row["order_id"], row["customer_id"], row["amount"], row["refunded"], row["purchased_at"]
        )
    friends = needs.customers | {p.customer_id for p in book.purchases.values()}
    for row in await conn.fetch(
        "SELECT * FROM attributions WHERE workspace = $1 AND friend_id = ANY($2::text[])", workspace, sorted(friends)
    ):
        book.attributions[row["friend_id"]] = _attribution(row)
    referrers = {r for _, r in book.codes.values()} | {a.referrer_id for a in book.attributions.values()}
    for row in await conn.fetch(
        """SELECT customer_id, first_purchase_at, identifiers FROM customers
            WHERE workspace = $1 AND customer_id = ANY($2::text[])""",
        workspace,
        sorted(friends | referrers),
    ):
        book.customers[row["customer_id"]] = Customer(row["first_purchase_at"], identifiers_of(row["identifiers"]))
    for row in await conn.fetch(
        """SELECT customer_id, action, code, at, program_id, referrer_id FROM touches
            WHERE workspace = $1 AND customer_id = ANY($2::text[]) AND action <> 'invite_sent'""",
        workspace,
        sorted(friends),
    ):
        touch = Touch(row["customer_id"], row["program_id"], row["code"], row["referrer_id"], row["action"], row["at"])
        book.touches[touch.friend_id].append(touch)
    await _load_rewards(conn, workspace, book, friends, referrers)
    await _load_signups(conn, workspace, book, needs)
    for row in await conn.fetch(
        """SELECT segment_id, segment_name, customer_id FROM segment_members
            WHERE workspace = $1 AND customer_id = ANY($2::text[])""",
        workspace,
        sorted(referrers),
    ):
        book.segments |= {(row["segment_id"], row["customer_id"]), (row["segment_name"], row["customer_id"])}
    return book


async def _load_rewards(conn: Connection, workspace: str, book: Book, friends: set[str], referrers: set[str]) -> None:
    for row in await conn.fetch(
        """SELECT * FROM rewards WHERE workspace = $1
              AND (friend_id = ANY($2::text[]) OR (trigger = 'tier' AND referrer_id = ANY($3::text[])))""",
        workspace,
        sorted(friends),
        sorted(referrers),
    ):
        book.rewards[row["reward_id"]] = reward_of(row)
    for row in await conn.fetch(
        """SELECT program_id, sum(value) AS used FROM rewards
            WHERE workspace = $1 AND kind = 'amount' AND status = ANY($2::text[]) GROUP BY program_id""",
        workspace,
        list(COUNTED),
    ):
        book.budget_used[row["program_id"]] = row["used"]
    for row in await conn.fetch(
        """SELECT program_id, referrer_id, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, count(*) AS n
             FROM rewards
            WHERE workspace = $1 AND referrer_id = ANY($2::text[]) AND role = 'referrer' AND trigger <> 'tier'
              AND status = ANY($3::text[])
            GROUP BY 1, 2, 3""",
        workspace,
        sorted(referrers),
        list(COUNTED),
    ):
        book.monthly[(row["program_id"], row["referrer_id"], row["month"])] = row["n"]
    for row in await conn.fetch(
        """SELECT program_id, referrer_id, count(*) AS n FROM attributions
            WHERE workspace = $1 AND referrer_id = ANY($2::text[]) AND qualified AND status <> 'rejected'
            GROUP BY 1, 2""",
        workspace,
        sorted(referrers),
    ):
        book.successful[(row["program_id"], row["referrer_id"])] = row["n"]


async def _load_signups(conn: Connection, workspace: str, book: Book, needs: Needs) -> None:
    """Recent sign-ups sharing a device id or an email domain with the batch's customers (fraud counts)."""
    identifiers = {i for c in needs.customers if c in book.customers for i in book.customers[c].identifiers}
    identifiers |= needs.identifiers
    devices = sorted({v for k, v in identifiers if k == "anonymous_id"})
    domains = sorted({d for k, v in identifiers if k == "email" and (d := email_domain(v))})
    if needs.since is None or not (devices or domains):
        return
    hours = max((p.fraud.window_hours for p in book.programs.values()), default=24.0)
    for row in await conn.fetch(
        """SELECT program_id, device_id, email_domain, attributed_at FROM attributions
            WHERE workspace = $1 AND attributed_at >= $2 AND friend_id <> ALL($5::text[])
              AND (device_id = ANY($3::text[]) OR email_domain = ANY($4::text[]))""",
        workspace,
        needs.since - dt.timedelta(hours=hours),
        devices,
        domains,
        sorted(needs.customers),
    ):
        if row["device_id"]:
            book.device_signups[(row["program_id"], row["device_id"])].append(row["attributed_at"])
        if row["email_domain"]:
            book.domain_signups[(row["program_id"], row["email_domain"])].append(row["attributed_at"])


def _attribution(row: object) -> Attribution:
    fields = Attribution.__dataclass_fields__
    return Attribution(**{name: row[name] for name in fields})  # type: ignore[index]


def reward_of(row: object) -> RewardEntry:
    fields = RewardEntry.__dataclass_fields__
    return RewardEntry(**{name: row[name] for name in fields})  # type: ignore[index]


ATTRIBUTION_COLUMNS = list(Attribution.__dataclass_fields__)
REWARD_COLUMNS = list(RewardEntry.__dataclass_fields__)


async def save_book(conn: Connection, workspace: str, book: Book, changes: BookChanges) -> None:
    if changes.customers:
        ids = sorted(changes.customers)
        await conn.execute(
            """INSERT INTO customers (workspace, customer_id, first_purchase_at, identifiers)
               SELECT $1, c, f, string_to_array(i, E'\\x1f')
                 FROM unnest($2::text[], $3::timestamptz[], $4::text[]) AS t (c, f, i)
               ON CONFLICT (workspace, customer_id) DO UPDATE SET
                 first_purchase_at = LEAST(customers.first_purchase_at, excluded.first_purchase_at),
                 identifiers = ARRAY(SELECT DISTINCT unnest(customers.identifiers || excluded.identifiers))""",
            workspace,
            ids,
            [book.customers[c].first_purchase_at for c in ids],
            ["\x1f".join(identifier_texts(book.customers[c].identifiers)) for c in ids],
        )
    touches = changes.touches + changes.invites
    if touches:
        await conn.execute(
            """INSERT INTO touches (workspace, customer_id, action, code, at, program_id, referrer_id)
               SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::text[])
               ON CONFLICT DO NOTHING""",
            workspace,
            [t.friend_id for t in touches],
            [t.action for t in touches],
            [t.code for t in touches],
            [t.at for t in touches],
            [t.program_id for t in touches],
            [t.referrer_id for t in touches],
        )
    if changes.purchases:
        rows = [book.purchases[o] for o in sorted(changes.purchases)]
        await conn.executemany(
            """INSERT INTO purchases (workspace, order_id, customer_id, amount, refunded, purchased_at)
               VALUES ($1, $2, $3, $4, $5, $6)
               ON CONFLICT (workspace, order_id) DO UPDATE SET refunded = excluded.refunded""",
            [(workspace, p.order_id, p.customer_id, p.amount, p.refunded, p.purchased_at) for p in rows],
        )
    if changes.attributions:
        columns = ", ".join(ATTRIBUTION_COLUMNS)
        values = ", ".join(f"${i + 2}" for i in range(len(ATTRIBUTION_COLUMNS)))
        updates = ", ".join(f"{c} = excluded.{c}" for c in ATTRIBUTION_COLUMNS[1:])
        await conn.executemany(
            f"""INSERT INTO attributions (workspace, {columns}) VALUES ($1, {values})
                ON CONFLICT (workspace, friend_id) DO UPDATE SET {updates}""",  # noqa: S608 (constant columns)
            [
                (workspace, *(getattr(book.attributions[f], c) for c in ATTRIBUTION_COLUMNS))
                for f in sorted(changes.attributions)
            ],
        )
    if changes.rewards:
        await save_rewards(conn, workspace, [book.rewards[r] for r in sorted(changes.rewards)])


async def save_rewards(conn: Connection, workspace: str, rewards: list[RewardEntry]) -> None:
    columns = ", ".join(REWARD_COLUMNS)
    values = ", ".join(f"${i + 2}" for i in range(len(REWARD_COLUMNS)))
    await conn.executemany(
        f"""INSERT INTO rewards (workspace, {columns}) VALUES ($1, {values})
            ON CONFLICT (workspace, reward_id) DO UPDATE SET
              status = excluded.status, reason = excluded.reason, updated_at = now()""",  # noqa: S608 (constant)
        [(workspace, *(getattr(r, c) for c in REWARD_COLUMNS)) for r in rewards],
    )


async def lock_rewarding(conn: Connection, workspace: str) -> None:
    """Budgets, monthly limits and fraud counts span customers on other partitions: batches that can reward
    take turns per workspace (until their transaction ends), so two consumer loops cannot both spend the last
    of a budget."""
    await conn.execute("SELECT pg_advisory_xact_lock(hashtext('referral:' || $1))", workspace)
