"""Journey documents as a hostile workspace writes them, through the gateway with a key of its own workspace:
a validate of 20 templates of unclosed braces answers in under a second while journey keeps answering
others (the quadratic placeholder scan froze journey's event loop for ~10-30 s); the journeys and active
journeys quotas are refused with 409 naming the quota; numbers and durations beyond what journey holds
answer 422 naming the field, never a 500.

The gateway runs in front of the five real services on the session's PostgreSQL and broker, with small
journey quotas (FLYWHEEL_QUOTA_* set while the services start)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable
from typing import Any

import httpx
import pytest

from tests.integration.gateway_fakes import assert_problem
from tests.samples.journeys import hostile_document, journey

QUOTAS = {"journeys": 3, "active_journeys": 1}
SERVICES_SETTINGS = {f"quota_{name}": limit for name, limit in QUOTAS.items()}


async def timed(request: Awaitable[httpx.Response]) -> tuple[httpx.Response, float]:
    started = time.perf_counter()
    response = await request
    return response, time.perf_counter() - started


@pytest.mark.parametrize(
    ("template", "status"),
    [
        ("{" * 10_000, 200),  # the 200 KB body: unclosed braces are text, not placeholders
        ("{{" * 10_000, 200),  # 400 KB
        ("{{" * 9_999 + "}}", 422),  # one placeholder of 20,000 characters in each template
    ],
    ids=["10000 {", "10000 {{", "one huge placeholder"],
)
async def test_a_hostile_validate_answers_within_a_second_and_journey_keeps_answering(
    tenant: httpx.AsyncClient, template: str, status: int
) -> None:
    body = hostile_document(template)
    hostile = asyncio.create_task(timed(tenant.post("/v1/journeys/validate", json=body)))
    others = [await timed(tenant.get("/v1/journeys"))]
    while not hostile.done():
        others.append(await timed(tenant.get("/v1/journeys")))
    answer, took = await hostile
    assert answer.status_code == status, answer.text[:500]
    if status == 422:
        problem = assert_problem(answer, 422)
        assert problem["errors"][0]["field"] == "steps.s0.action.template"
        assert problem["errors"][0]["message"].startswith("unknown placeholder {{{{{{")
    assert took < 1, f"the hostile validate took {took:.1f} s"
    for listing, waited in others:
        assert listing.status_code == 200 and waited < 1, f"another journey request waited {waited:.1f} s"


async def test_journeys_beyond_the_quotas_are_refused_naming_the_quota(tenant: httpx.AsyncClient) -> None:
    made = [await tenant.post("/v1/journeys", json=journey()) for _ in range(QUOTAS["journeys"])]
    assert [m.status_code for m in made] == [201] * QUOTAS["journeys"]
    for refused in (
        await tenant.post("/v1/journeys", json=journey()),
        await tenant.post("/v1/journey-templates/churn_save", json={}),
    ):
        problem = assert_problem(refused, 409)
        assert (problem["type"], problem["quota"], problem["limit"], problem["used"]) == (
            "/problems/quota-exceeded",
            "journeys",
            3,
            3,
        )
        assert "quota 'journeys' reached" in problem["detail"] and "FLYWHEEL_QUOTA_JOURNEYS" in problem["detail"]
    assert len((await tenant.get("/v1/journeys")).json()["items"]) == QUOTAS["journeys"]

    first, second = (m.json()["journey_id"] for m in made[:2])
    assert (await tenant.post(f"/v1/journeys/{first}/activate")).status_code == 200
    problem = assert_problem(await tenant.post(f"/v1/journeys/{second}/activate"), 409)
    assert (problem["type"], problem["quota"], problem["used"]) == ("/problems/quota-exceeded", "active_journeys", 1)
    by_name = {q["name"]: q for q in (await tenant.get("/v1/quotas")).json()["quotas"]}
    assert (by_name["journeys"]["used"], by_name["journeys"]["limit"]) == (3, 3)
    assert (by_name["active_journeys"]["used"], by_name["active_journeys"]["limit"]) == (1, 1)

    assert (await tenant.delete(f"/v1/journeys/{first}")).status_code == 204  # archiving frees both places
    assert (await tenant.post(f"/v1/journeys/{second}/activate")).status_code == 200
    assert (await tenant.post("/v1/journey-templates/churn_save", json={})).status_code == 201


def with_step(step: dict[str, Any]) -> dict[str, Any]:
    doc = journey()
    doc["steps"]["offer"]["next"] = "extra"
    doc["steps"]["extra"] = {**step, "next": "done"} if step["type"] != "split" else step
    return doc


async def test_numbers_and_durations_beyond_what_journey_holds_answer_422_naming_the_field(
    tenant: httpx.AsyncClient,
) -> None:
    split = {"type": "split", "variants": [{"name": "a", "weight": 2**62, "next": "done"}]}
    data: dict[str, Any] = {"type": "action", "action": {"kind": "webhook", "channel": "sms", "template": "x"}}
    sent: list[tuple[str, dict[str, Any], str]] = [
        ("/v1/journeys", journey(steps={**journey()["steps"], "wait": {"type": "wait", "duration": f"{10**15}d",
                                                                       "next": "offer"}}), "steps.wait.duration"),
        ("/v1/journeys", with_step(split), "steps.extra.variants[0].weight"),
        ("/v1/journeys", journey(trigger={"type": "date", "trait": "birthday", "offset_days": 2**62}),
         "trigger.offset_days"),
        ("/v1/journeys", journey(settings={"frequency_cap": {"messages": 2**40, "per": "1d"}}),
         "settings.frequency_cap.messages"),
        ("/v1/journeys", journey(goal={"event": "purchase", "within": "9999999w"}), "goal.within"),
        ("/v1/journeys", with_step({**data, "action": {**data["action"], "data": {"total": 2**64}}}), "total"),
        ("/v1/journeys", journey(exit_on=[{"event": "refund", "conditions": {"field": "data.amount", "op": "gt",
                                                                             "value": -(2**70)}}]), "value"),
        ("/v1/journeys/validate", with_step(split), "steps.extra.variants[0].weight"),
        ("/v1/journey-templates/cross_sell", {"delay": f"{10**15}d"}, "steps.wait.duration"),
        ("/v1/journey-templates/churn_save", {"high_value_clv": 10**16}, "parameters.high_value_clv"),
        ("/v1/journey-templates/churn_save", {"high_value_clv": 2**64}, "high_value_clv"),
        ("/v1/journey-templates/referral_invite_to_promoters", {"min_nps": 10**18}, "parameters.min_nps"),
    ]  # fmt: skip
    for path, body, field in sent:
        problem = assert_problem(await tenant.post(path, json=body), 422)
        fields = [e["field"] for e in problem.get("errors") or []]
        assert any(f.endswith(field) for f in fields), (path, field, problem)
    assert all(j["name"] != "Hostile" for j in (await tenant.get("/v1/journeys")).json()["items"])
