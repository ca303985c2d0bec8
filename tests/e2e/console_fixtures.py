"""The console browser tests' data: a fresh workspace filled by `flywheel demo` (the same code, in-process, ~200
customers), its keys, and another workspace with customers of its own (registered in tests/e2e/conftest.py).

`console_demo` is what the browser tests use (its interface is fixed: other tests are written on it);
`console_demo_run` adds what the demo reported (segment and journey ids, quotes awaiting approval...) for the test
that checks the demo fills every screen. The fixture waits, polling the public API, until the services have taken
the demo in: a review waits, the customer has scores, points, a referral code and a deal, a journey has enrolled
someone, segments have members.
"""

from __future__ import annotations

import asyncio
import io
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from rich.console import Console

from cli.demo import run as run_demo
from cli.demo_setup import SetupReport
from services.gateway.store import ensure_workspace_with_key
from tests.helpers import event, wait_for

if TYPE_CHECKING:
    from tests.e2e.conftest import RunningStack

CONSOLE_OWNER = "sam@console.test"
DEMO_CUSTOMERS = 200
DEMO_SEED = 7
SETTLE_S = 420.0  # the services take in ~6,000 events, scoring sweeps, referral attributes


@dataclass(frozen=True)
class ConsoleDemo:
    gateway: str  # the running stack's gateway base URL
    workspace: str  # a fresh workspace just for the console tests
    key: str  # every scope, with an owner
    owner: str  # that key's owner; demo tasks are assigned to it
    read_key: str  # only customers:read, same workspace
    other_key: str  # every scope, ANOTHER workspace holding a few customers of its own
    customer_email: str  # a customer with orders, scores, a referral, points and a deal
    blocked_deal_id: str  # a deal whose move to the next stage is refused with blockers
    movable_deal_id: str  # a deal that can move to its next stage
    pending_reward_id: str  # a referral reward waiting for review
    open_task_id: str  # an open task of `owner`


@dataclass(frozen=True)
class ConsoleDemoRun:
    demo: ConsoleDemo
    setup: SetupReport
    other_emails: tuple[str, ...]  # the other workspace's customers


async def _new_key(gateway: httpx.AsyncClient, name: str, scopes: list[str], owner: str | None = None) -> str:
    body: dict[str, Any] = {"name": name, "scopes": scopes}
    if owner:
        body["owner"] = owner
    made = await gateway.post("/v1/keys", json=body)
    assert made.status_code == 201, made.text
    return str(made.json()["key"])


async def _other_workspace(stack: RunningStack) -> tuple[str, tuple[str, ...]]:
    """Another workspace, with an admin key and three customers who bought something."""
    workspace = f"console-other-{uuid.uuid4().hex[:6]}"
    admin = await ensure_workspace_with_key(stack.dsn("gateway"), workspace, stack.home / f"{workspace}-key")
    emails = tuple(f"other-{n}@elsewhere.test" for n in range(3))
    async with httpx.AsyncClient(base_url=stack.gateway, headers=stack.headers(admin), timeout=30) as gateway:
        key = await _new_key(gateway, "console other workspace", ["admin"], "olga@elsewhere.test")
        events = [
            event("purchase", workspace, {"email": email}, {"order_id": f"o-other-{n}", "amount": "12.00"})
            for n, email in enumerate(emails)
        ]
        posted = await gateway.post("/v1/events", json=events)
        assert posted.status_code == 202, posted.text

        async def seen() -> bool:
            found = await gateway.get("/v1/customers", params={"email": emails[-1]})
            return found.status_code == 200

        await wait_for(seen, within=60, interval=0.5, what="the other workspace's customers")
    return key, emails


async def _settled(gateway: httpx.AsyncClient, setup: SetupReport) -> str:
    """Poll until the services have taken the demo in; the id of a reward waiting for review."""

    async def check(what: str, probe: Callable[[], Awaitable[Any]]) -> Any:
        return await wait_for(probe, within=SETTLE_S, interval=1.0, what=what)

    async def reviews() -> str | None:
        items = (await gateway.get("/v1/referral-reviews")).json()["items"]
        return str(items[0]["reward_id"]) if items else None

    async def customer_complete() -> bool:
        found = await gateway.get("/v1/customers", params={"email": setup.customer_email})
        view = (await gateway.get(f"/v1/customers/{found.json()['customer_id']}")).json()
        loyalty = view.get("loyalty") or {}
        return bool(view.get("scores") and loyalty.get("balance") and view["referral_codes"] and view["deals"])

    async def journeys_enrolled() -> bool:
        for journey_id, status in setup.journeys.values():
            if status == "active":
                stats = (await gateway.get(f"/v1/journeys/{journey_id}/stats")).json()
                if stats["entered"] > 0:
                    return True
        return False

    async def segments_filled() -> bool:
        items = (await gateway.get("/v1/segments")).json()["items"]
        return sum(1 for s in items if s["members"] > 0) >= 3

    reward_id = str(await check("a referral reward waiting for review", reviews))
    await check("the demo customer's scores, points, referral code and deal", customer_complete)
    await check("an active journey's first enrolment", journeys_enrolled)
    await check("three segments with members", segments_filled)
    return reward_id


@pytest.fixture(scope="session")
async def console_demo_run(stack: RunningStack) -> ConsoleDemoRun:
    workspace = f"console-{uuid.uuid4().hex[:6]}"
    bootstrap = await ensure_workspace_with_key(stack.dsn("gateway"), workspace, stack.home / f"{workspace}-key")
    async with httpx.AsyncClient(base_url=stack.gateway, headers=stack.headers(bootstrap), timeout=30) as gateway:
        key = await _new_key(gateway, "console tests", ["admin"], CONSOLE_OWNER)
        read_key = await _new_key(gateway, "console read-only", ["customers:read"])
    other_key, other_emails = await _other_workspace(stack)
    log = io.StringIO()
    demo = await asyncio.to_thread(
        run_demo, stack.gateway, key, workspace, DEMO_CUSTOMERS, DEMO_SEED, Console(file=log, width=160)
    )
    (stack.home / f"{workspace}-demo.log").write_text(log.getvalue())
    assert not demo.rejected, f"the demo's events were refused: {demo.rejected[:5]}"
    setup = demo.setup
    assert setup is not None
    async with httpx.AsyncClient(base_url=stack.gateway, headers=stack.headers(key), timeout=30) as gateway:
        reward_id = await _settled(gateway, setup)
    console_demo = ConsoleDemo(
        gateway=stack.gateway,
        workspace=workspace,
        key=key,
        owner=setup.owner,
        read_key=read_key,
        other_key=other_key,
        customer_email=setup.customer_email,
        blocked_deal_id=setup.blocked_deal_id,
        movable_deal_id=setup.movable_deal_id,
        pending_reward_id=reward_id,
        open_task_id=setup.open_task_ids[0],
    )
    return ConsoleDemoRun(console_demo, setup, other_emails)


@pytest.fixture(scope="session")
def console_demo(console_demo_run: ConsoleDemoRun) -> ConsoleDemo:
    return console_demo_run.demo
