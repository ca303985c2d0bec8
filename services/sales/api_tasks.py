"""Sales' internal HTTP API, part two: tasks (created by hand, listed, completed), customer owners and
teams (who tasks are assigned to)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, status
from pydantic import BaseModel

from contracts.http.sales import deals as http
from runtime.db import Connection
from runtime.pagination import decode_cursor, encode_cursor
from runtime.problems import PROBLEM_RESPONSES, ProblemError
from services.sales import deal_store, service, task_store
from services.sales.api_common import (
    Cursor,
    IdempotencyKey,
    IdPath,
    Limit,
    WorkspacePath,
    new_id,
    not_found,
    now_of,
    pool_of,
    transaction,
)
from services.sales.api_deals import deal_page
from services.sales.domain.assignment import Assigner
from services.sales.task_store import NewTask

router = APIRouter(prefix="/internal/v1/workspaces/{workspace}", tags=["sales"], responses=PROBLEM_RESPONSES)


def task_page(rows: list[task_store.Task], limit: int) -> http.TaskPage:
    items = [http.Task.model_validate(r, from_attributes=True) for r in rows[:limit]]
    last = rows[limit - 1] if len(rows) > limit else None
    cursor = encode_cursor(last.status, last.due_at.isoformat(), last.task_id) if last else None
    return http.TaskPage(items=items, next_cursor=cursor)


def task_after(cursor: str | None) -> tuple[bool, dt.datetime, str] | None:
    if not cursor:
        return None
    task_status, due_at, task_id = decode_cursor(cursor, 3)
    try:
        return task_status == "done", dt.datetime.fromisoformat(due_at), task_id
    except ValueError:
        raise ProblemError(422, "cursor is not one this API returned") from None


async def task_detail(conn: Connection, workspace: str, task_id: str) -> http.TaskDetail:
    task = await task_store.get_task(conn, workspace, task_id)
    if task is None:
        raise not_found("task", task_id)
    return http.TaskDetail.model_validate(task, from_attributes=True)


@router.post("/tasks", response_model=http.TaskDetail, status_code=status.HTTP_201_CREATED, summary="Create a task")
async def create_task(
    request: Request, workspace: WorkspacePath, body: http.TaskIn, idempotency_key: IdempotencyKey = None
) -> http.TaskDetail:
    task_id = new_id("t", workspace, idempotency_key)
    now = now_of(request)
    async with transaction(request) as work:
        conn = work.conn
        if body.deal_id and await deal_store.get_deal(conn, workspace, body.deal_id) is None:
            raise not_found("deal", body.deal_id)
        assignee = body.assignee
        round_robin = assignee is None and body.assignee_rule == "round_robin"
        if assignee is None:
            owners = await task_store.owners_of(conn, workspace, [body.customer_id] if body.customer_id else [])
            turns = await task_store.lock_teams(conn, workspace, [body.team] if body.team else [])
            assignee = Assigner(owners, turns).assignee(body.assignee_rule, body.customer_id, body.team)
            await task_store.save_turns(conn, workspace, turns)
        task = NewTask(
            task_id=task_id,
            title=body.title,
            reason=body.reason,
            due_at=body.due_at,
            source="manual",
            assignee=assignee,
            team=body.team if round_robin else None,
            customer_id=body.customer_id,
            deal_id=body.deal_id,
        )
        await service.add_tasks(work, workspace, [task], now)
        return await task_detail(conn, workspace, task_id)


@router.get("/tasks", response_model=http.TaskPage, summary="Tasks, open first by due date, filtered")
async def list_tasks(
    request: Request,
    workspace: WorkspacePath,
    limit: Limit = 50,
    cursor: Cursor = None,
    assignee: Annotated[str | None, Query(max_length=100)] = None,
    status_: Annotated[Literal["open", "done"] | None, Query(alias="status")] = None,
    deal_id: Annotated[str | None, Query(max_length=64)] = None,
) -> http.TaskPage:
    async with pool_of(request).acquire() as conn:
        rows = await task_store.list_tasks(
            conn, workspace, limit, task_after(cursor), assignee=assignee, status=status_, deal_id=deal_id
        )
    return task_page(rows, limit)


@router.get("/customers/{customer_id}/tasks", response_model=http.TaskPage, summary="A customer's tasks, open first")
async def customer_tasks(
    request: Request, workspace: WorkspacePath, customer_id: IdPath, limit: Limit = 50, cursor: Cursor = None
) -> http.TaskPage:
    async with pool_of(request).acquire() as conn:
        rows = await task_store.list_tasks(conn, workspace, limit, task_after(cursor), customer_id=customer_id)
    return task_page(rows, limit)


class CustomerSales(BaseModel):
    deals: http.DealPage
    tasks: http.TaskPage


@router.get(
    "/customers/{customer_id}/sales",
    response_model=CustomerSales,
    summary="A customer's deals and tasks, the first page of each (the gateway's 360 view: one call, not two)",
)
async def customer_sales(
    request: Request, workspace: WorkspacePath, customer_id: IdPath, limit: Limit = 50
) -> CustomerSales:
    async with pool_of(request).acquire() as conn:
        deal_rows = await deal_store.list_deals(conn, workspace, limit, None, customer_id=customer_id)
        task_rows = await task_store.list_tasks(conn, workspace, limit, None, customer_id=customer_id)
    return CustomerSales(deals=deal_page(deal_rows, limit), tasks=task_page(task_rows, limit))


@router.get("/tasks/{task_id}", response_model=http.TaskDetail, summary="One task")
async def get_task(request: Request, workspace: WorkspacePath, task_id: IdPath) -> http.TaskDetail:
    async with pool_of(request).acquire() as conn:
        return await task_detail(conn, workspace, task_id)


@router.post("/tasks/{task_id}/complete", response_model=http.TaskDetail, summary="Complete a task (again: no change)")
async def complete_task(
    request: Request, workspace: WorkspacePath, task_id: IdPath, body: http.CompleteIn
) -> http.TaskDetail:
    now = now_of(request)
    async with transaction(request) as work:
        await service.complete_task(work, workspace, task_id, body.completed_by, now)
        return await task_detail(work.conn, workspace, task_id)


# --- owners and teams -------------------------------------------------------------------------------


@router.put("/customers/{customer_id}/owner", response_model=http.Owner, summary="Set (or remove) a customer's owner")
async def put_owner(request: Request, workspace: WorkspacePath, customer_id: IdPath, body: http.OwnerIn) -> http.Owner:
    async with pool_of(request).acquire() as conn:
        await task_store.set_owner(conn, workspace, customer_id, body.owner)
    return http.Owner(customer_id=customer_id, owner=body.owner)


@router.get("/customers/{customer_id}/owner", response_model=http.Owner, summary="A customer's owner")
async def get_owner(request: Request, workspace: WorkspacePath, customer_id: IdPath) -> http.Owner:
    async with pool_of(request).acquire() as conn:
        owners = await task_store.owners_of(conn, workspace, [customer_id])
    return http.Owner(customer_id=customer_id, owner=owners.get(customer_id))


def _team_out(team: task_store.Team) -> http.TeamView:
    members = list(team.members)
    return http.TeamView(
        team=team.team, members=members, next_member=members[team.next_index % len(members)] if members else None
    )


@router.put("/teams/{team}", response_model=http.TeamView, summary="Create or replace a team (members in turn order)")
async def put_team(request: Request, workspace: WorkspacePath, team: IdPath, body: http.TeamIn) -> http.TeamView:
    if len(set(body.members)) != len(body.members):
        raise ProblemError(422, "team members must be unique", errors=[{"field": "members", "message": "repeated"}])
    async with pool_of(request).acquire() as conn:
        return _team_out(await task_store.put_team(conn, workspace, team, body.members))


@router.get("/teams/{team}", response_model=http.TeamView, summary="A team")
async def get_team(request: Request, workspace: WorkspacePath, team: IdPath) -> http.TeamView:
    async with pool_of(request).acquire() as conn:
        row = await task_store.get_team(conn, workspace, team)
    if row is None:
        raise not_found("team", team)
    return _team_out(row)
