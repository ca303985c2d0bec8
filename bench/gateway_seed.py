"""Data for the gateway load: customers with purchases (profile, scoring), a referral code and a deal with
its tasks (referral, sales) each, so every section of the 360 view has something to fetch and show."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from bench.events import batches, generate

PROGRAM = {
    "name": "Bench friends",
    "code_prefix": "BENCH",
    "referrer_reward": {"kind": "amount", "value": "10.00", "trigger": "first_purchase", "min_purchase": "20.00"},
    "friend_reward": {"kind": "percent", "value": "15", "trigger": "signup"},
}
PARALLEL = 8
WAIT_S = 120.0
POLL_S = 0.2
RETRY_STATUSES = frozenset({429, 502, 503, 504})


@dataclass
class Seeded:
    customer_ids: list[str]
    events: int
    seconds: float = 0.0
    with_scores: int = 0
    sample_360: bytes = b""
    sample_events_answer: bytes = b""
    sections_filled: list[str] = field(default_factory=list)

    def facts(self) -> dict[str, Any]:
        return {
            "customers": len(self.customer_ids),
            "events": self.events,
            "customers_with_scores": self.with_scores,
            "sections_filled_in_sample": self.sections_filled,
            "customer_360_bytes": len(self.sample_360),
            "events_answer_bytes": len(self.sample_events_answer),
            "seed_seconds": round(self.seconds, 1),
        }


async def seed(gateway: str, key: str, workspace: str, customers: int) -> Seeded:
    """Post about three purchases per customer, wait until profile knows them, then give each a referral code
    and a deal; wait for their scores; keep one 360 answer and one events answer (the ceiling's bodies)."""
    started = time.perf_counter()
    docs = generate(workspace, customers * 3, repeat_share=2 / 3, prefix="seed")
    externals = sorted({d["data"]["customer"]["external_id"] for d in docs})
    headers = {"Authorization": f"Bearer {key}"}
    async with httpx.AsyncClient(base_url=gateway, headers=headers, timeout=30) as client:
        for chunk in batches(docs, 500):
            await _posted(client, "/v1/events", chunk, {})
        limit = asyncio.Semaphore(PARALLEL)
        ids = await asyncio.gather(*(_resolved(client, limit, external) for external in externals))
        program = (await _posted(client, "/v1/referral-programs", PROGRAM, {"Idempotency-Key": "bench-program"})).json()
        await asyncio.gather(*(_growth(client, limit, program["program_id"], cid) for cid in ids))
        scores_by = time.monotonic() + WAIT_S / 4  # one deadline for all: a customer without scores still loads
        with_scores = sum(await asyncio.gather(*(_scored(client, limit, cid, scores_by) for cid in ids)))
        sample = (await client.get(f"/v1/customers/{ids[0]}")).raise_for_status()
        answer = await client.post("/v1/events", json=generate(workspace, 1, prefix="seed-sample")[0])
    filled = [name for name, value in sample.json().items() if isinstance(value, list | dict) and value]
    return Seeded(
        list(ids), len(docs) + 1, time.perf_counter() - started, with_scores, sample.content, answer.content, filled
    )


async def _resolved(client: httpx.AsyncClient, limit: asyncio.Semaphore, external_id: str) -> str:
    """The customer id profile gave this external id, once profile has ingested it."""
    deadline = time.monotonic() + WAIT_S
    async with limit:
        while True:
            found = await client.get("/v1/customers", params={"external_id": external_id})
            if found.status_code == 200:
                customer_id: str = found.json()["customer_id"]
                return customer_id
            if time.monotonic() > deadline:
                raise TimeoutError(f"profile did not ingest {external_id} within {WAIT_S} s ({found.status_code})")
            await asyncio.sleep(POLL_S)


async def _growth(client: httpx.AsyncClient, limit: asyncio.Semaphore, program_id: str, customer_id: str) -> None:
    deal = {"customer_id": customer_id, "title": "Refill subscription upgrade", "amount": "120.00", "currency": "EUR"}
    once = {"Idempotency-Key": f"bench-deal-{customer_id}"}  # a retried create answers the first deal
    async with limit:
        await _posted(client, f"/v1/referral-programs/{program_id}/codes", {"customer_id": customer_id}, {})
        await _posted(client, "/v1/deals", deal, once)


async def _posted(client: httpx.AsyncClient, path: str, body: Any, headers: dict[str, str]) -> httpx.Response:
    """POST until it succeeds: on a busy machine a service can miss the gateway's per-call timeout (503)
    while the data is set up; this is not measured, and every POST here is idempotent (event ids are
    de-duplicated, a customer has one code per program, the deal and program carry an Idempotency-Key)."""
    deadline = time.monotonic() + WAIT_S
    while (answer := await client.post(path, json=body, headers=headers)).status_code in RETRY_STATUSES:
        if time.monotonic() > deadline:
            break
        await asyncio.sleep(POLL_S * 5)
    return answer.raise_for_status()


async def _scored(client: httpx.AsyncClient, limit: asyncio.Semaphore, customer_id: str, deadline: float) -> bool:
    """Whether scoring has scored the customer by the deadline."""
    async with limit:
        while time.monotonic() < deadline:
            if (await client.get(f"/v1/customers/{customer_id}/scores")).status_code == 200:
                return True
            await asyncio.sleep(POLL_S)
    return False
