"""Referral's quota and budgets on the real service and PostgreSQL: the `referral_programs` quota (a replay
or a replacement never counts again), program documents beyond their budgets answered 422 naming the field,
and boundary numbers and strings on every write never answering 500."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from contracts.http.referral import EXAMPLE_PROGRAM
from devstack.postgres import LocalPostgres
from services.referral.wiring import create_app
from tests.integration.boundary_probe import probe
from tests.integration.conftest import RunningService, running_app, token_auth

NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
PROGRAMS = 2


@pytest.fixture(scope="module")
async def referral(postgres: LocalPostgres, topics: str, broker_kind: str) -> AsyncIterator[RunningService]:
    async with running_app(
        "referral",
        create_app,
        postgres,
        topics,
        broker_kind,
        app_kwargs={"clock": lambda: NOW},
        quota_referral_programs=PROGRAMS,
    ) as service:
        yield service


@pytest.fixture
async def client(referral: RunningService) -> AsyncIterator[httpx.AsyncClient]:
    """The service as the gateway reaches it: an unhandled error is a 500 answer, not an exception."""
    assert referral.app is not None
    transport = httpx.ASGITransport(app=referral.app, raise_app_exceptions=False)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://referral", auth=token_auth(referral.settings)
    ) as http:
        yield http


def base() -> str:
    return f"/internal/v1/workspaces/ws-{uuid.uuid4().hex[:10]}"


async def test_a_program_beyond_the_quota_is_refused_and_replays_and_replacements_are_not(
    client: httpx.AsyncClient,
) -> None:
    path = base()
    first = await client.post(f"{path}/programs", json=EXAMPLE_PROGRAM, headers={"Idempotency-Key": "k1"})
    assert first.status_code == 201
    assert (await client.put(f"{path}/programs/summer", json=EXAMPLE_PROGRAM)).status_code == 201

    refused_post = await client.post(f"{path}/programs", json=EXAMPLE_PROGRAM)
    refused_put = await client.put(f"{path}/programs/winter", json=EXAMPLE_PROGRAM)
    replay = await client.post(f"{path}/programs", json=EXAMPLE_PROGRAM, headers={"Idempotency-Key": "k1"})
    replaced = await client.put(f"{path}/programs/summer", json={**EXAMPLE_PROGRAM, "name": "Summer"})

    for refused in (refused_post, refused_put):
        assert refused.status_code == 409, refused.text
        problem = refused.json()
        assert (problem["type"], problem["quota"], problem["limit"], problem["used"]) == (
            "/problems/quota-exceeded",
            "referral_programs",
            PROGRAMS,
            PROGRAMS,
        )
        assert "FLYWHEEL_QUOTA_REFERRAL_PROGRAMS" in problem["detail"]
    assert replay.status_code == 201 and replay.json()["program_id"] == first.json()["program_id"]
    assert replaced.status_code == 200 and replaced.json()["version"] == 2
    assert (await client.get(f"{path}/quotas")).json() == [
        {"name": "referral_programs", "limit": PROGRAMS, "used": PROGRAMS, "description": "referral programs"}
    ]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"tiers": [{"friends": i + 1, "name": f"t{i}"} for i in range(21)]}, "tiers"),
        ({"tiers": [{"friends": 2**31, "name": "gold"}]}, "tiers.0.friends"),
        ({"limits": {"budget": "1e15"}}, "limits.budget"),
        ({"limits": {"rewards_per_referrer_per_month": 2**63 - 1}}, "limits.rewards_per_referrer_per_month"),
        ({"fraud": {"ignored_email_domains": ["d.example"] * 101}}, "fraud.ignored_email_domains"),
        ({"valid_until": "9999-12-31T23:59:59-01:00"}, "valid_until"),
        ({"name": "n" * 201}, "name"),
    ],
)
async def test_a_program_over_its_budget_is_a_422_naming_the_field(
    client: httpx.AsyncClient, change: dict[str, Any], field: str
) -> None:
    path = base()
    for answer in (
        await client.post(f"{path}/programs", json={**EXAMPLE_PROGRAM, **change}),
        await client.put(f"{path}/programs/p1", json={**EXAMPLE_PROGRAM, **change}),
    ):
        assert answer.status_code == 422, answer.text
        assert [e["field"] for e in answer.json()["errors"]] == [field]


async def test_boundary_numbers_and_strings_never_answer_500(client: httpx.AsyncClient) -> None:
    path = base()
    program_id = (await client.post(f"{path}/programs", json=EXAMPLE_PROGRAM)).json()["program_id"]
    full = {
        **EXAMPLE_PROGRAM,
        "valid_until": "2027-01-01T00:00:00+00:00",
        "review": {"hold_amount_above": "50.00", "hold_percent_above": "50", "hold_points_above": "100"},
        "fraud": {"window_hours": 24, "max_signups_per_device": 3, "max_signups_per_email_domain": 20,
                  "ignored_email_domains": ["gmail.com"]},
    }  # fmt: skip
    writes = [
        ("POST", "/programs", full),
        ("PUT", "/programs/p2", full),
        ("POST", f"/programs/{program_id}/codes", {"customer_id": "c1"}),
        ("POST", "/rewards/r1/approve", {"comment": "c"}),
    ]
    failures = [f for method, suffix, body in writes for f in await probe(client, method, f"{path}{suffix}", body)]
    assert not failures, "\n".join(map(str, failures))
    for query in (
        {"from": "0001-01-01T00:00:00+01:00", "to": "0001-01-02T00:00:00+01:00"},
        {"to": "9999-12-31T23:59:59-01:00"},
        {"from": "2026-01-01T00:00:00"},
    ):
        for suffix in (f"/programs/{program_id}/stats", "/report"):
            answer = await client.get(f"{path}{suffix}", params=query)
            assert answer.status_code == 422, (suffix, query, answer.text)
