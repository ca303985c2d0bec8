"""Profile's read queries: the customer view, the timeline pages, the listing and the report (the data-subject
export reads through export_store).

They answer the documents of contracts/http/profile.py themselves: this store is the service's read side, and
what it reads is exactly what the public API shows, so a second copy of the shape would only be a chance to drift."""

from __future__ import annotations

import datetime as dt
from typing import Any

import asyncpg

from contracts.http.profile import (
    Acquisition,
    CustomerPage,
    CustomerQuery,
    CustomerReport,
    CustomerStats,
    CustomerView,
    Identifiers,
    NewCustomersItem,
    NewCustomersReport,
    NewCustomersSource,
    TimelineItem,
    TimelinePage,
)
from runtime.db import Connection
from runtime.pagination import BadCursor, decode_cursor, encode_cursor
from services.profile.domain import (
    DIRECT,
    IDENTIFIER_KINDS,
    REFERRAL,
    Touches,
    UtmTouch,
    acquisition_of,
    average_order_value,
)


async def find_by_identifier(conn: Connection, workspace: str, kind: str, value: str) -> str | None:
    customer_id: str | None = await conn.fetchval(
        "SELECT customer_id FROM identifiers WHERE workspace = $1 AND kind = $2 AND value = $3", workspace, kind, value
    )
    return customer_id


# A customer row with its identifiers (oldest first) and the ids merged into it.
_VIEW_COLUMNS = """c.*,
    (SELECT coalesce(json_agg(json_build_array(i.kind, i.value) ORDER BY i.created_at), '[]')
       FROM identifiers i WHERE i.workspace = c.workspace AND i.customer_id = c.customer_id) AS ids,
    (SELECT coalesce(array_agg(m.customer_id ORDER BY m.customer_id), '{}')
       FROM customers m WHERE m.workspace = c.workspace AND m.merged_into = c.customer_id) AS merged_ids"""


async def customer_view(conn: Connection, workspace: str, customer_id: str) -> CustomerView | None:
    # The id's live profile (itself, or the survivor it was merged into) in the same round trip: the gateway
    # reads this for every 360 view. An erased profile is not shown.
    row = await conn.fetchrow(
        f"""SELECT {_VIEW_COLUMNS} FROM customers c
             WHERE c.workspace = $1 AND c.erased_at IS NULL
               AND c.customer_id = (SELECT COALESCE(merged_into, customer_id) FROM customers
                                     WHERE workspace = $1 AND customer_id = $2)""",  # noqa: S608 (constants)
        workspace,
        customer_id,
    )
    return None if row is None else _view_of(row)


def _view_of(row: asyncpg.Record) -> CustomerView:
    """A customers row with its aggregated `ids` and `merged_ids` as the customer view."""
    identifiers: dict[str, list[str]] = {kind: [] for kind in IDENTIFIER_KINDS}
    for kind, value in row["ids"]:
        identifiers[kind].append(value)
    return CustomerView(
        customer_id=row["customer_id"],
        identifiers=Identifiers(**identifiers),
        traits=row["traits"],
        tags=list(row["tags"]),
        stats=CustomerStats(
            orders=row["orders"],
            revenue=row["revenue"],
            average_order_value=average_order_value(row["revenue"], row["orders"]),
            first_purchase_at=row["first_purchase_at"],
            last_purchase_at=row["last_purchase_at"],
            visits=row["visits"],
            last_visit_at=row["last_visit_at"],
            open_tickets=row["open_tickets"],
            last_nps=row["last_nps"],
            average_csat=round(row["csat_sum"] / row["csat_count"], 2) if row["csat_count"] else None,
        ),
        acquisition=_acquisition_view(row),
        merged_ids=list(row["merged_ids"]),
        first_seen_at=row["first_seen_at"],
        last_event_at=row["last_event_at"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def touches_of(row: asyncpg.Record) -> Touches:
    utm = row["first_utm_at"]
    return Touches(
        first_utm=UtmTouch(utm, row["first_utm_source"], row["first_utm_campaign"]) if utm is not None else None,
        first_purchase_at=row["first_purchase_at"],
        first_purchase_channel=row["first_purchase_channel"],
        referral_program_id=row["referral_program_id"],
        referral_at=row["referral_at"],
    )


def _acquisition_view(row: asyncpg.Record) -> Acquisition:
    found = acquisition_of(touches_of(row))
    return Acquisition(source=found.source, campaign=found.campaign, program_id=found.program_id, at=found.at)


def timeline_key(cursor: str) -> tuple[dt.datetime, str]:
    """The (occurred_at, event_id) after which a timeline page starts."""
    occurred_at, event_id = decode_cursor(cursor, 2)
    try:
        return dt.datetime.fromisoformat(occurred_at), event_id
    except ValueError:
        raise BadCursor() from None


async def timeline_page(
    conn: Connection, workspace: str, customer_id: str, limit: int, cursor: str | None
) -> TimelinePage:
    params: list[Any] = [workspace, customer_id, limit + 1]
    condition = ""
    if cursor:
        params.extend(timeline_key(cursor))
        condition = "AND (occurred_at, event_id) < ($4, $5)"
    rows = await conn.fetch(
        f"""SELECT event_id, type, occurred_at, source, event -> 'data' AS data, received_at FROM timeline
             WHERE workspace = $1 AND customer_id = $2 {condition}
             ORDER BY occurred_at DESC, event_id DESC LIMIT $3""",  # noqa: S608 - condition is a fixed string
        *params,
    )
    last = rows[limit - 1] if len(rows) > limit else None
    return TimelinePage(
        items=[TimelineItem.model_validate(dict(r)) for r in rows[:limit]],
        next_cursor=encode_cursor(last["occurred_at"].isoformat(), last["event_id"]) if last else None,
    )


# The customer listing's sort fields (contracts' CustomerSort, without the `-`): the SQL expression and its type
# (the cursor carries the key as text).
# Customers without a purchase sort as if their last purchase was at the beginning of time.
LIST_SORTS: dict[str, tuple[str, str]] = {
    "created_at": ("c.created_at", "timestamptz"),
    "first_seen_at": ("c.first_seen_at", "timestamptz"),
    "revenue": ("c.revenue", "numeric"),
    "orders": ("c.orders", "integer"),
    "last_purchase_at": ("coalesce(c.last_purchase_at, '-infinity')", "timestamptz"),
}


async def list_customers(conn: Connection, workspace: str, query: CustomerQuery) -> CustomerPage:
    """A page of live customers (not merged away, not erased) matching every filter, in `sort` order
    (`-` first: descending), ties broken by id. Traits match on their text form (`true`, `42`)."""
    traits, limit, sort = query.traits, query.limit, query.sort
    field, descending = sort.removeprefix("-"), sort.startswith("-")
    expression, sql_type = LIST_SORTS[field]
    direction, beyond = ("DESC", "<") if descending else ("ASC", ">")
    params: list[Any] = [
        workspace,
        query.tags or None,
        list(traits),
        list(traits.values()),
        query.customer_ids,
        limit + 1,
    ]
    keyset = ""
    if query.cursor:
        cursor_sort, key, after_id = decode_cursor(query.cursor, 3)
        if cursor_sort != sort:
            raise BadCursor()
        params += [key, after_id]
        keyset = f"AND ({expression}, c.customer_id) {beyond} ($7::text::{sql_type}, $8)"
    sql = f"""SELECT {_VIEW_COLUMNS}, ({expression})::text AS sort_key FROM customers c
               WHERE c.workspace = $1 AND c.merged_into IS NULL AND c.erased_at IS NULL
                 AND ($2::text[] IS NULL OR c.tags @> $2::text[])
                 AND NOT EXISTS (SELECT 1 FROM unnest($3::text[], $4::text[]) AS f(name, value)
                                  WHERE c.traits ->> f.name IS DISTINCT FROM f.value)
                 AND ($5::text[] IS NULL OR c.customer_id = ANY($5::text[]))
                 {keyset}
               ORDER BY {expression} {direction}, c.customer_id {direction} LIMIT $6"""  # noqa: S608 - fixed parts
    try:
        rows = await conn.fetch(sql, *params)
    except asyncpg.DataError:  # a forged cursor whose key is not of the sort's type
        raise BadCursor() from None
    last = rows[limit - 1] if len(rows) > limit else None
    return CustomerPage(
        items=[_view_of(r) for r in rows[:limit]],
        next_cursor=encode_cursor(sort, last["sort_key"], last["customer_id"]) if last else None,
    )


async def workspace_report(conn: Connection, workspace: str, since: dt.datetime, until: dt.datetime) -> CustomerReport:
    """The workspace's customer numbers for the period [since, until): live customers by then, new ones (first
    seen in the period), first purchasers (first purchase in it), purchasers and orders in the period, and the
    repurchase rate by then (customers whose second order came before `until` among those whose first did).
    One pass over the customers (their first and second order times), one over the period's orders."""
    customers = await conn.fetchrow(
        """SELECT count(*) FILTER (WHERE first_seen_at < $3) AS customers,
                  count(*) FILTER (WHERE first_seen_at >= $2 AND first_seen_at < $3) AS new_customers,
                  count(*) FILTER (WHERE first_purchase_at >= $2 AND first_purchase_at < $3) AS first_purchasers,
                  count(*) FILTER (WHERE first_purchase_at < $3) AS purchasers,
                  count(*) FILTER (WHERE second_purchase_at < $3) AS repeat_purchasers
             FROM customers WHERE workspace = $1 AND merged_into IS NULL AND erased_at IS NULL""",
        workspace,
        since,
        until,
    )
    orders = await conn.fetchrow(
        """SELECT count(*) AS orders, coalesce(sum(amount), 0) AS revenue, count(DISTINCT customer_id) AS purchasers
             FROM orders WHERE workspace = $1 AND occurred_at >= $2 AND occurred_at < $3""",
        workspace,
        since,
        until,
    )
    assert customers is not None and orders is not None
    purchasers, repeat = customers["purchasers"], customers["repeat_purchasers"]
    return CustomerReport(
        from_=since,
        to=until,
        customers=customers["customers"],
        new_customers=customers["new_customers"],
        first_purchasers=customers["first_purchasers"],
        purchasers=purchasers,
        repeat_purchasers=repeat,
        repurchase_rate=repeat / purchasers if purchasers else None,
        purchasers_in_period=orders["purchasers"],
        orders_in_period=orders["orders"],
        revenue_in_period=orders["revenue"],
    )


# domain.acquisition_of in SQL, over a customers row `c`, for reports that count customers by source (the
# integration tests check both give the same source for the same profiles).
ACQUISITION_SOURCE_SQL = f"""CASE WHEN c.referral_program_id IS NOT NULL THEN '{REFERRAL}'
         WHEN c.first_utm_at IS NOT NULL THEN c.first_utm_source
         WHEN coalesce(c.first_purchase_channel, '') <> '' THEN c.first_purchase_channel
         ELSE '{DIRECT}' END"""
ACQUISITION_CAMPAIGN_SQL = """CASE WHEN c.referral_program_id IS NULL AND c.first_utm_at IS NOT NULL
         THEN c.first_utm_campaign END"""
REPURCHASE_WINDOW = dt.timedelta(days=90)


async def acquisition_report(
    conn: Connection, workspace: str, since: dt.datetime, until: dt.datetime
) -> NewCustomersReport:
    """The period's new customers (live, first purchase in [since, until)) by acquisition source and campaign:
    how many, their first orders (the earliest order, ties by order id), and how many ordered again within 90
    days of the first (two or more orders in [first, first + 90 days]); each source's cohort in total too. One
    set-based statement (grouping sets), reading each new customer's orders by its index."""
    rows = await conn.fetch(
        f"""WITH cohort AS (
               SELECT c.customer_id, c.first_purchase_at, {ACQUISITION_SOURCE_SQL} AS source,
                      {ACQUISITION_CAMPAIGN_SQL} AS campaign
                 FROM customers c
                WHERE c.workspace = $1 AND c.merged_into IS NULL AND c.erased_at IS NULL
                  AND c.first_purchase_at >= $2 AND c.first_purchase_at < $3),
           per_customer AS (
               SELECT k.source, k.campaign, f.amount AS first_order,
                      (SELECT count(*) FROM orders o
                        WHERE o.workspace = $1 AND o.customer_id = k.customer_id
                          AND o.occurred_at >= k.first_purchase_at AND o.occurred_at <= k.first_purchase_at + $4
                      ) >= 2 AS repurchased
                 FROM cohort k
                 LEFT JOIN LATERAL (
                      SELECT o.amount FROM orders o WHERE o.workspace = $1 AND o.customer_id = k.customer_id
                       ORDER BY o.occurred_at, o.order_id LIMIT 1) f ON true)
           SELECT source, campaign, GROUPING(campaign) = 1 AS whole_source, count(*) AS new_customers,
                  coalesce(sum(first_order), 0) AS first_order_total,
                  count(*) FILTER (WHERE repurchased) AS repurchasers
             FROM per_customer
            GROUP BY GROUPING SETS ((source, campaign), (source))
            ORDER BY source, campaign NULLS FIRST""",  # noqa: S608 (constants)
        workspace,
        since,
        until,
        REPURCHASE_WINDOW,
    )
    items, sources = [], []
    for r in rows:
        count, repurchasers = r["new_customers"], r["repurchasers"]
        rate = repurchasers / count if count else None
        if r["whole_source"]:
            sources.append(
                NewCustomersSource(
                    source=r["source"], new_customers=count, repurchasers_90d=repurchasers, repurchase_rate_90d=rate
                )
            )
        else:
            items.append(
                NewCustomersItem(
                    source=r["source"],
                    campaign=r["campaign"],
                    new_customers=count,
                    first_order_total=r["first_order_total"],
                    avg_first_order=average_order_value(r["first_order_total"], count),
                    repurchasers_90d=repurchasers,
                    repurchase_rate_90d=rate,
                )
            )
    return NewCustomersReport(from_=since, to=until, items=items, sources=sources)
