"""Acceptance of the growth reports in the running stack (Apache Kafka, every service a process): a newsletter
visit, that newsletter's spend, then a purchase put the customer in the acquisition report with the CAC; a survey
answer of 10 moves the NPS and enrols the promoter in a journey made from the referral invite template, whose
invite gives them a referral code."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import RunningStack
from tests.helpers import event, wait_for, zone_where_it_is_midday

pytestmark = pytest.mark.kafka

PROGRAM = {
    "name": "Promoters bring friends",
    "referrer_reward": {"kind": "amount", "value": "5.00", "trigger": "first_purchase"},
}


async def test_a_newsletter_customer_shows_with_its_cac_and_a_promoter_is_invited(stack: RunningStack) -> None:
    run = uuid.uuid4().hex[:8]
    cleo = {"email": f"cleo-{run}@example.com"}
    campaign = f"e2e-{run}"
    now = dt.datetime.now(dt.UTC)
    today = dt.datetime.combine(now.date(), dt.time(), dt.UTC)
    period = {"from": today.isoformat(), "to": (today + dt.timedelta(days=1)).isoformat()}
    async with httpx.AsyncClient(base_url=stack.gateway, headers=stack.headers(), timeout=30) as gateway:
        spend = {"date": today.date().isoformat(), "channel": "newsletter", "campaign": campaign, "amount": "30.00"}
        assert (await gateway.post("/v1/marketing-spend", json={"rows": [spend]})).status_code == 200
        visit = event("visit", "demo", cleo, {"channel": "web", "utm_source": "newsletter", "utm_campaign": campaign},
                      time=now - dt.timedelta(minutes=5))  # fmt: skip
        purchase = event("purchase", "demo", cleo, {"order_id": f"o-{run}", "amount": "50.00"}, time=now)
        assert (await gateway.post("/v1/events", json=[visit, purchase])).status_code == 202

        item = await wait_for(
            lambda: _acquisition_item(gateway, period, campaign), within=60, what="the customer in the report"
        )
        assert (item["new_customers"], item["spend"], item["cac"], item["avg_first_order"]) == (
            1, "30.00", "30.00", "50.00"
        )  # fmt: skip
        cleo_id = (await gateway.get("/v1/customers", params=cleo)).json()["customer_id"]
        view = (await gateway.get(f"/v1/customers/{cleo_id}")).json()
        assert (view["acquisition"]["source"], view["acquisition"]["campaign"]) == ("newsletter", campaign)

        # The promoters' referral invite, live; then Cleo answers 10.
        program = await gateway.post("/v1/referral-programs", json={**PROGRAM, "name": f"{PROGRAM['name']} {run}"})
        assert program.status_code == 201, program.text
        journey = await gateway.post(
            "/v1/journey-templates/referral_invite_to_promoters",
            # Quiet hours (21:00 to 08:00 in the template's zone) would hold the invite back when the suite runs at
            # night in UTC: a zone where it is about noon.
            json={"program_id": program.json()["program_id"], "timezone": zone_where_it_is_midday(now)},
        )
        assert journey.status_code == 201, journey.text
        journey_id = journey.json()["journey_id"]
        assert (await gateway.post(f"/v1/journeys/{journey_id}/activate")).status_code == 200
        week = {"from": (now - dt.timedelta(days=7)).isoformat(), "to": (now + dt.timedelta(minutes=10)).isoformat()}
        before = (await gateway.get("/v1/reports/nps", params=week)).json()
        answered = now + dt.timedelta(seconds=1)
        answer = event("survey", "demo", cleo, {"nps": 10, "survey_id": f"nps-{run}"}, time=answered)
        assert (await gateway.post("/v1/events", json=[answer])).status_code == 202

        after = await wait_for(
            lambda: _nps_when(gateway, week, lambda n: n["promoters"] == before["promoters"] + 1),
            within=60,
            what="the answer in the NPS",
        )
        assert after["responses"] == before["responses"] + 1
        assert after["score"] != before["score"] or before["score"] == 100.0
        enrolled = await wait_for(lambda: _enrolment(gateway, cleo_id, journey_id), within=60, what="the enrolment")
        assert enrolled["journey_id"] == journey_id
        codes = await wait_for(
            lambda: _view_when(gateway, cleo_id, lambda v: bool(v["referral_codes"])), within=60, what="the invite"
        )
        assert codes["referral_codes"][0]["program_id"] == program.json()["program_id"]


async def _acquisition_item(gateway: httpx.AsyncClient, period: dict[str, str], campaign: str) -> Any:
    report = (await gateway.get("/v1/reports/acquisition", params=period)).json()
    found = [i for i in report.get("items", []) if (i["channel"], i["campaign"]) == ("newsletter", campaign)]
    return found[0] if found and found[0]["new_customers"] == 1 else None


async def _nps_when(gateway: httpx.AsyncClient, period: dict[str, str], ready: Any) -> Any:
    nps = (await gateway.get("/v1/reports/nps", params=period)).json()
    return nps if ready(nps) else None


async def _enrolment(gateway: httpx.AsyncClient, customer_id: str, journey_id: str) -> Any:
    response = await gateway.get(f"/v1/customers/{customer_id}/journeys")
    items = response.json().get("items", []) if response.status_code == 200 else []
    return next((e for e in items if e["journey_id"] == journey_id), None)


async def _view_when(gateway: httpx.AsyncClient, customer_id: str, ready: Any) -> Any:
    response = await gateway.get(f"/v1/customers/{customer_id}")
    view = response.json()
    return view if response.status_code == 200 and ready(view) else None
