"""Tasks, customer owners and teams: SQL, a whole batch at a time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

import orjson

from runtime.db import Connection
from services.sales.domain.assignment import RoundRobin

TASK_COLUMNS = (
    "task_id, title, reason, status, assignee, team, due_at, source, customer_id, deal_id, stage_seq, "
    "checklist_item, required, created_at, completed_at, completed_by, churn_reasons, predicted_clv"
)


@dataclass(frozen=True)
class Task:
    task_id: str
    title: str
    reason: str
    status: Literal["open", "done"]
    assignee: str | None
    team: str | None
    due_at: dt.datetime
    source: Literal["journey", "sop", "manual", "signal"]
    customer_id: str | None
    deal_id: str | None
    stage_seq: int | None  # SOP tasks: the stage entry that created them
    checklist_item: str | None  # SOP tasks: the checklist item
    required: bool
    created_at: dt.datetime
    completed_at: dt.datetime | None
    completed_by: str | None
    churn_reasons: list[str] = field(default_factory=list)  # a churn signal's reasons, human-readable
    predicted_clv: Decimal | None = None  # the customer's predicted 12-month CLV when the signal came


@dataclass(frozen=True)
class Team:
    team: str
    members: list[str]
    next_index: int  # whose turn the round robin is (an index into members)


@dataclass(frozen=True)
class OwedReminder:
    """A task owing a reminder: `due` (within its workspace's lead of the due time) and/or `overdue`."""

    workspace: str
    task: Task
    owes_due: bool
    owes_overdue: bool


@dataclass(frozen=True)
class NewTask:
    task_id: str
    title: str
    due_at: dt.datetime
    source: str
    assignee: str | None = None
    team: str | None = None
    reason: str = ""
    customer_id: str | None = None
    deal_id: str | None = None
    stage_seq: int | None = None
    checklist_item: str | None = None
    required: bool = False
    churn_reasons: tuple[str, ...] = ()
    predicted_clv: Decimal | None = None


async def insert_tasks(conn: Connection, workspace: str, tasks: Sequence[NewTask], now: dt.datetime) -> list[Task]:
    """Insert tasks by their natural-key ids; returns only those that did not exist yet."""
    if not tasks:
        return []
    rows = await conn.fetch(
        f"""INSERT INTO tasks (workspace, task_id, title, reason, assignee, team, due_at, source, customer_id,
                               deal_id, stage_seq, checklist_item, required, created_at, churn_reasons, predicted_clv)
            SELECT $1, t.task_id, t.title, t.reason, t.assignee, t.team, t.due_at, t.source, t.customer_id,
                   t.deal_id, t.stage_seq, t.checklist_item, t.required, $14,
                   coalesce((SELECT array_agg(r ORDER BY n) FROM jsonb_array_elements_text(t.reasons)
                             WITH ORDINALITY AS e(r, n)), '{{}}'),
                   t.predicted_clv
              FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                   $7::timestamptz[], $8::text[], $9::text[], $10::text[], $11::int[], $12::text[], $13::bool[],
                   $15::jsonb[], $16::numeric[])
                   AS t(task_id, title, reason, assignee, team, due_at, source, customer_id, deal_id, stage_seq,
                        checklist_item, required, reasons, predicted_clv)
            ON CONFLICT (workspace, task_id) DO NOTHING
            RETURNING {TASK_COLUMNS}""",  # noqa: S608 (constants)
        workspace,
        [t.task_id for t in tasks],
        [t.title for t in tasks],
        [t.reason for t in tasks],
        [t.assignee for t in tasks],
        [t.team for t in tasks],
        [t.due_at for t in tasks],
        [t.source for t in tasks],
        [t.customer_id for t in tasks],
        [t.deal_id for t in tasks],
        [t.stage_seq for t in tasks],
        [t.checklist_item for t in tasks],
        [t.required for t in tasks],
        now,
        [orjson.dumps(list(t.churn_reasons)) for t in tasks],  # a JSON list per task (text[][] must be rectangular)
        [t.predicted_clv for t in tasks],
    )
    return [Task(**row) for row in rows]


async def get_task(conn: Connection, workspace: str, task_id: str, lock: bool = False) -> Task | None:
    row = await conn.fetchrow(
        f"SELECT {TASK_COLUMNS} FROM tasks WHERE workspace = $1 AND task_id = $2" + (" FOR UPDATE" if lock else ""),  # noqa: S608
        workspace,
        task_id,
    )
    return Task(**row) if row else None


async def complete_task(
    conn: Connection, workspace: str, task_id: str, by: str | None, now: dt.datetime
) -> Task | None:
    """Mark the task done; None when it was done already (or does not exist)."""
    row = await conn.fetchrow(
        f"""UPDATE tasks SET status = 'done', completed_at = $3, completed_by = $4
             WHERE workspace = $1 AND task_id = $2 AND status = 'open' RETURNING {TASK_COLUMNS}""",  # noqa: S608 (constants)
        workspace,
        task_id,
        now,
        by,
    )
    return Task(**row) if row else None


# Open first, by due date: the sort key is (done?, due_at, task_id).
_ORDER = "(status = 'done'), due_at, task_id"


async def list_tasks(
    conn: Connection,
    workspace: str,
    limit: int,
    after: tuple[bool, dt.datetime, str] | None,
    *,
    customer_id: str | None = None,
    assignee: str | None = None,
    status: str | None = None,
    deal_id: str | None = None,
) -> list[Task]:
    rows = await conn.fetch(
        f"""SELECT {TASK_COLUMNS} FROM tasks
             WHERE workspace = $1
               AND ($2::text IS NULL OR customer_id = $2) AND ($3::text IS NULL OR assignee = $3)
               AND ($4::text IS NULL OR status = $4) AND ($5::text IS NULL OR deal_id = $5)
               AND ($6::bool IS NULL OR ({_ORDER}) > ($6, $7::timestamptz, $8::text))
             ORDER BY {_ORDER} LIMIT $9""",  # noqa: S608 (constants)
        workspace,
        customer_id,
        assignee,
        status,
        deal_id,
        after[0] if after else None,
        after[1] if after else None,
        after[2] if after else None,
        limit + 1,
    )
    return [Task(**row) for row in rows]


async def open_required_items(conn: Connection, workspace: str, deal_id: str, stage_seq: int) -> set[str]:
    rows = await conn.fetch(
        """SELECT checklist_item FROM tasks
            WHERE workspace = $1 AND deal_id = $2 AND stage_seq = $3 AND required AND status = 'open'""",
        workspace,
        deal_id,
        stage_seq,
    )
    return {r["checklist_item"] for r in rows}


# --- owners and teams -------------------------------------------------------------------------------


async def owners_of(conn: Connection, workspace: str, customer_ids: Iterable[str]) -> dict[str, str]:
    rows = await conn.fetch(
        "SELECT customer_id, owner FROM customer_owners WHERE workspace = $1 AND customer_id = ANY($2::text[])",
        workspace,
        sorted(set(customer_ids)),
    )
    return {r["customer_id"]: r["owner"] for r in rows}


async def set_owner(conn: Connection, workspace: str, customer_id: str, owner: str | None) -> None:
    if owner is None:
        await conn.execute(
            "DELETE FROM customer_owners WHERE workspace = $1 AND customer_id = $2", workspace, customer_id
        )
        return
    await conn.execute(
        """INSERT INTO customer_owners (workspace, customer_id, owner) VALUES ($1, $2, $3)
           ON CONFLICT (workspace, customer_id) DO UPDATE SET owner = excluded.owner""",
        workspace,
        customer_id,
        owner,
    )


async def lock_teams(conn: Connection, workspace: str, teams: Iterable[str]) -> dict[str, RoundRobin]:
    """Teams' round-robin state, locked until commit (concurrent batches take turns, not the same member)."""
    rows = await conn.fetch(
        """SELECT team, members, next_index FROM teams WHERE workspace = $1 AND team = ANY($2::text[])
            ORDER BY team FOR UPDATE""",
        workspace,
        sorted(set(teams)),
    )
    return {r["team"]: RoundRobin(list(r["members"]), r["next_index"]) for r in rows}


async def save_turns(conn: Connection, workspace: str, teams: dict[str, RoundRobin]) -> None:
    if not teams:
        return
    await conn.execute(
        """UPDATE teams t SET next_index = u.next_index
             FROM unnest($2::text[], $3::int[]) AS u(team, next_index)
            WHERE t.workspace = $1 AND t.team = u.team""",
        workspace,
        list(teams),
        [turn.next_index for turn in teams.values()],
    )


async def put_team(conn: Connection, workspace: str, team: str, members: list[str]) -> Team:
    row = await conn.fetchrow(
        """INSERT INTO teams (workspace, team, members) VALUES ($1, $2, $3)
           ON CONFLICT (workspace, team) DO UPDATE SET members = excluded.members,
               next_index = CASE WHEN teams.members = excluded.members THEN teams.next_index ELSE 0 END
           RETURNING team, members, next_index""",
        workspace,
        team,
        members,
    )
    assert row is not None
    return Team(**row)


async def get_team(conn: Connection, workspace: str, team: str) -> Team | None:
    row = await conn.fetchrow(
        "SELECT team, members, next_index FROM teams WHERE workspace = $1 AND team = $2", workspace, team
    )
    return Team(**row) if row else None


# --- reminders --------------------------------------------------------------------------------------


async def claim_reminders(
    conn: Connection, now: dt.datetime, default_lead: dt.timedelta, limit: int
) -> list[OwedReminder]:
    """Open tasks owing a reminder, across workspaces, locked for this transaction: `due` once the task is
    within its workspace's reminder lead of its due time, `overdue` once that time has passed.

    Workspaces take turns: the round takes every workspace's earliest owed task, then each one's second...
    so a workspace with a backlog of thousands does not delay another's single reminder by a round."""
    rows = await conn.fetch(
        f"""WITH owed AS (
                SELECT t.workspace, t.task_id,
                       row_number() OVER (PARTITION BY t.workspace ORDER BY t.due_at, t.task_id) AS turn
                  FROM tasks t LEFT JOIN sales_settings s ON s.workspace = t.workspace
                 WHERE t.status = 'open' AND t.overdue_notified_at IS NULL
                   AND t.due_at <= $1::timestamptz
                                   + coalesce((s.settings->>'reminder_lead_hours')::float8 * interval '1 hour',
                                              $2::interval)
                   AND (t.due_notified_at IS NULL OR t.due_at <= $1))
            SELECT t.workspace, {", ".join("t." + c.strip() for c in TASK_COLUMNS.split(","))},
                   (t.due_notified_at IS NULL) AS owes_due, (t.due_at <= $1) AS owes_overdue
              FROM owed o JOIN tasks t ON t.workspace = o.workspace AND t.task_id = o.task_id
             WHERE t.status = 'open' AND t.overdue_notified_at IS NULL
             ORDER BY o.turn, t.due_at, t.workspace, t.task_id LIMIT $3 FOR UPDATE OF t SKIP LOCKED""",  # noqa: S608 (constants)
        now,
        default_lead,
        limit,
    )
    task_columns = list(Task.__dataclass_fields__)
    return [
        OwedReminder(r["workspace"], Task(**{c: r[c] for c in task_columns}), r["owes_due"], r["owes_overdue"])
        for r in rows
    ]


async def mark_reminded(
    conn: Connection, keys: Sequence[tuple[str, str]], overdue: Sequence[bool], now: dt.datetime
) -> None:
    await conn.execute(
        """UPDATE tasks t SET due_notified_at = coalesce(t.due_notified_at, $4),
                              overdue_notified_at = CASE WHEN u.overdue THEN $4 ELSE NULL END
             FROM unnest($1::text[], $2::text[], $3::bool[]) AS u(workspace, task_id, overdue)
            WHERE t.workspace = u.workspace AND t.task_id = u.task_id""",
        [k[0] for k in keys],
        [k[1] for k in keys],
        list(overdue),
        now,
    )
