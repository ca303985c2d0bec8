"""The 360 view spliced from its sections' bytes is the very answer Customer360 wrote when it was parsed and
written whole: the public contract's bytes do not depend on which sections came from the cache."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from pydantic import TypeAdapter, ValidationError

from bench.gateway_360_cpu import DEALS, ENROLMENTS, POINTS, PROFILE, REFERRALS, SCORES, TASKS
from contracts.http.journey import CustomerJourney
from contracts.http.loyalty import MemberPoints
from contracts.http.referral import CustomerReferrals
from contracts.http.sales.deals import CustomerDeal, CustomerTask
from contracts.http.scoring import CustomerScores
from services.gateway.customer_360 import EMPTY_SECTIONS, answer, read_profile, read_section
from services.gateway.schemas import Customer360
from services.gateway.view_cache import SECTIONS

SALES = {"deals": DEALS, "tasks": TASKS}
ANSWERS: dict[str, Any] = {"scoring": SCORES, "journey": ENROLMENTS, "referral": REFERRALS, "sales": SALES,
                           "loyalty": POINTS}  # fmt: skip
REFERRED_BY = {"referrer_id": "c-0", "program_id": "p_1", "code": "ZED-1", "status": "purchased", "reason": None,
               "attributed_at": "2025-01-01T00:00:00Z"}  # fmt: skip


def _written_whole(profile: Any, answers: dict[str, Any], degraded: list[str]) -> bytes:
    """What the gateway answered before sections: profile's answer parsed as Customer360, the sections put in,
    the whole written by pydantic (a degraded section empty)."""
    answers = {name: doc for name, doc in answers.items() if name not in degraded}
    scores = CustomerScores.model_validate(answers["scoring"]) if answers.get("scoring") is not None else None
    referrals = CustomerReferrals.model_validate(answers["referral"]) if answers.get("referral") else None
    sales = answers.get("sales") or {}
    points = answers.get("loyalty")
    view = Customer360.model_validate(profile).model_copy(
        update={
            "scores": scores,
            "segments": scores.segments if scores is not None else [],
            "journeys": TypeAdapter(list[CustomerJourney]).validate_python(answers.get("journey") or []),
            "referrals": referrals.links() if referrals else [],
            "referral_codes": referrals.codes if referrals else [],
            "referral_rewards": referrals.rewards if referrals else [],
            "deals": TypeAdapter(list[CustomerDeal]).validate_python(sales.get("deals", {}).get("items", [])),
            "tasks": TypeAdapter(list[CustomerTask]).validate_python(sales.get("tasks", {}).get("items", [])),
            "loyalty": MemberPoints.model_validate(points) if points is not None else None,
            "degraded": degraded,
        }
    )
    return view.model_dump_json().encode()


def _spliced(profile: Any, answers: dict[str, Any], degraded: list[str]) -> bytes:
    live_id, profile_section = read_profile(profile)
    assert live_id == profile["customer_id"]
    sections = {"profile": profile_section}
    for name in SECTIONS[1:]:
        sections[name] = EMPTY_SECTIONS[name] if name in degraded else read_section(name, answers.get(name))
    return answer(sections, degraded)


@pytest.mark.parametrize(
    ("answers", "degraded"),
    [
        (ANSWERS, []),
        ({**ANSWERS, "referral": {**REFERRALS, "referred_by": REFERRED_BY}}, []),
        ({}, []),  # a new customer no other service holds anything of yet
        ({**ANSWERS, "sales": None, "loyalty": None}, ["scoring", "referral"]),
    ],
)
def test_the_spliced_view_is_byte_identical_to_the_whole_one(answers: dict[str, Any], degraded: list[str]) -> None:
    assert _spliced(PROFILE, answers, degraded) == _written_whole(PROFILE, answers, degraded)


def test_a_minimal_profile_answer_writes_as_before() -> None:
    profile = {"customer_id": "c_1", "traits": {"name": "Zoë ✓", "n": 1.5, "nested": {"a": [1, None]}}}
    assert _spliced(profile, {}, []) == _written_whole(profile, {}, [])
    assert orjson.loads(_spliced(profile, {}, []))["traits"]["name"] == "Zoë ✓"


def test_a_section_breaking_its_contract_is_refused() -> None:
    with pytest.raises(ValidationError):
        read_section("loyalty", {"customer_id": "c_1", "balance": "many"})
