"""Journey's `survey` action (document, engine, delivery body) and its signed one-time answer links: signed with
the keyring every service holds, verified signature first and expiry second, tampering and foreign keys refused."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

import orjson
import pytest

from runtime.secrets_at_rest import Keyring, keyring_of
from runtime.survey_links import (
    ExpiredLink,
    InvalidLink,
    SurveyLink,
    answer_event_id,
    answer_url,
    sign_link,
    token_id_of,
    verify_link,
)
from services.journey.deliveries import with_answer_link
from services.journey.delivery_store import ClaimedDelivery, StoredSecrets
from services.journey.domain.conditions import CustomerFacts
from services.journey.domain.document import InvalidJourney, parse_journey
from services.journey.domain.engine import advance, start_enrolment
from services.journey.domain.model import ActionStep, SurveyAction
from services.journey.events import webhook_body
from services.journey.settings import JourneyServiceSettings
from tests.samples.journeys import journey

NOW = dt.datetime(2026, 12, 6, 10, tzinfo=dt.UTC)
KEYRING = keyring_of("")
OTHER_KEYRING = Keyring.parse("other:" + base64.b64encode(b"k" * 32).decode())
LINK = SurveyLink("acme", "c_1", "nps-q4", "nps", "email", token_id_of("acme", "d-1"), NOW + dt.timedelta(days=14))
SURVEY = {"kind": "survey", "channel": "email", "survey_id": "nps-q4", "question": "nps", "template": "Hi!"}


def _survey_journey(action: dict[str, Any]) -> dict[str, Any]:
    doc = journey()
    doc["steps"]["offer"]["action"] = action
    return doc


def _fields(doc: dict[str, Any]) -> list[str]:
    with pytest.raises(InvalidJourney) as raised:
        parse_journey(doc)
    return [e["field"] for e in raised.value.errors]


# --- the document ----------------------------------------------------------------------------------


def test_a_survey_action_is_validated_with_its_defaults() -> None:
    parsed = parse_journey(_survey_journey({"kind": "survey", "survey_id": "nps-q4"}))
    step = parsed.steps["offer"]
    assert isinstance(step, ActionStep) and isinstance(step.action, SurveyAction)
    action = step.action
    assert (action.kind, action.channel, action.question, action.link_ttl) == ("survey", "email", "nps", "14d")
    assert parse_journey(_survey_journey({**SURVEY, "question": "both", "link_ttl": "90d"}))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"question": "ces"}, "steps.offer.action.question"),
        ({"survey_id": ""}, "steps.offer.action.survey_id"),
        ({"survey_id": "a b"}, "steps.offer.action.survey_id"),
        ({"survey_id": "x" * 65}, "steps.offer.action.survey_id"),
        ({"link_ttl": "30m"}, "steps.offer.action.link_ttl"),
        ({"link_ttl": "91d"}, "steps.offer.action.link_ttl"),
        ({"channel": "fax"}, "steps.offer.action.channel"),
        ({"template": "Hi {{ eval('x') }}"}, "steps.offer.action.template"),
        ({"answer_url": "https://evil.example"}, "steps.offer.action.answer_url"),
    ],
)
def test_a_bad_survey_action_names_its_field(change: dict[str, Any], field: str) -> None:
    assert _fields(_survey_journey({**SURVEY, **change})) == [field]


def test_a_survey_action_without_survey_id_is_refused() -> None:
    assert _fields(_survey_journey({"kind": "survey"})) == ["steps.offer.action.survey_id"]


# --- the engine and the delivery --------------------------------------------------------------------


def _planned() -> tuple[Any, Any]:
    doc = parse_journey(_survey_journey({**SURVEY, "template": "Hi {{traits.first_name}}", "link_ttl": "3d"}))
    enrolment = start_enrolment(doc, enrolment_id="en_1", journey_id="j_1", version=1, customer_id="c_1", now=NOW)
    result = advance(doc, enrolment, CustomerFacts("c_1", traits={"first_name": "Ada"}), NOW)
    (action,) = result.actions
    return action, result.enrolment


def test_the_engine_plans_a_survey_as_a_message_with_its_expiry() -> None:
    action, _ = _planned()
    assert action.kind == "survey"
    assert action.payload["body"] == "Hi Ada"
    assert action.payload["survey"] == {
        "survey_id": "nps-q4",
        "question": "nps",
        "expires_at": (NOW + dt.timedelta(days=3)).isoformat(),
    }


def test_a_survey_is_held_back_for_the_holdout_and_in_quiet_hours() -> None:
    doc = _survey_journey(SURVEY)
    doc["settings"] = {"timezone": "UTC", "quiet_hours": {"start": "09:00", "end": "11:00"}}
    parsed = parse_journey(doc)
    enrolment = start_enrolment(parsed, enrolment_id="en_1", journey_id="j_1", version=1, customer_id="c_1", now=NOW)
    deferred = advance(parsed, enrolment, CustomerFacts("c_1"), NOW)
    assert deferred.actions == () and deferred.enrolment.due_at == NOW.replace(hour=11)


def _claimed(body: dict[str, Any]) -> ClaimedDelivery:
    secrets = StoredSecrets("acme", "whsec", None, None, None)
    return ClaimedDelivery("acme", "d-1", body, 1, NOW, "https://hooks.example/x", "hooks.example:443", secrets)


def test_the_delivered_payload_carries_a_signed_answer_link_the_database_never_holds() -> None:
    action, enrolment = _planned()
    stored = orjson.loads(webhook_body("acme", action, enrolment))
    assert "answer_url" not in stored["survey"] and "token" not in orjson.dumps(stored).decode()
    sent = with_answer_link(_claimed(stored), KEYRING, "https://api.example.com/")
    survey = sent["survey"]
    assert survey["survey_id"] == "nps-q4" and survey["question"] == "nps"
    assert survey["expires_at"] == (NOW + dt.timedelta(days=3)).isoformat()
    prefix = "https://api.example.com/v1/survey-answers?token="
    assert survey["answer_url"].startswith(prefix)
    token = survey["answer_url"].removeprefix(prefix)
    link = verify_link(KEYRING, token, NOW)
    assert (link.workspace, link.customer_id, link.survey_id, link.question) == ("acme", "c_1", "nps-q4", "nps")
    assert link.token_id == token_id_of("acme", "d-1") and link.channel == "email"
    assert with_answer_link(_claimed(stored), KEYRING, "https://api.example.com") == sent, "the same on a retry"
    assert with_answer_link(_claimed({"message": "hi"}), KEYRING, "https://x") == {"message": "hi"}


def test_the_token_holds_no_personal_data() -> None:
    token = sign_link(KEYRING, LINK)
    payload = orjson.loads(base64.urlsafe_b64decode(token.split(".")[2] + "=="))
    assert payload[:5] == ["acme", "c_1", "nps-q4", "nps", "email"] and "@" not in token


def test_public_url_must_be_https_in_production() -> None:
    unfit = JourneyServiceSettings(env="production", public_url="http://gateway.example.com")
    assert any("FLYWHEEL_PUBLIC_URL" in p for p in unfit.service_production_problems())
    fit = JourneyServiceSettings(env="production", public_url="https://gateway.example.com")
    assert not any("FLYWHEEL_PUBLIC_URL" in p for p in fit.service_production_problems())


# --- signing and verifying ---------------------------------------------------------------------------


def test_a_signed_link_verifies_until_it_expires() -> None:
    token = sign_link(KEYRING, LINK)
    assert verify_link(KEYRING, token, NOW) == LINK
    assert sign_link(KEYRING, LINK) == token, "deterministic"
    with pytest.raises(ExpiredLink):
        verify_link(KEYRING, token, LINK.expires_at)


def test_a_tampered_token_is_invalid_even_when_expired() -> None:
    token = sign_link(KEYRING, LINK)
    form, kid, payload, mac = token.split(".")
    fields = orjson.loads(base64.urlsafe_b64decode(payload + "=="))
    fields[0] = "someone_else"  # another workspace
    forged = base64.urlsafe_b64encode(orjson.dumps(fields)).rstrip(b"=").decode()
    for bad in (
        f"{form}.{kid}.{forged}.{mac}",
        f"{form}.{kid}.{payload}.{mac[:-2]}AA",
        f"{form}.{kid}.{payload}",
        f"fwsurvey2.{kid}.{payload}.{mac}",
        f"{form}.nokey.{payload}.{mac}",
        f"{form}.{kid}.{payload}.{mac}!",
        "",
        "x" * 5000,
        "é" * 10,
    ):
        with pytest.raises(InvalidLink):
            verify_link(KEYRING, bad, LINK.expires_at + dt.timedelta(days=1))  # signature before expiry


def test_a_token_signed_with_a_key_this_deployment_does_not_hold_is_invalid() -> None:
    with pytest.raises(InvalidLink):
        verify_link(KEYRING, sign_link(OTHER_KEYRING, LINK), NOW)
    # After a rotation (new key first, old key kept) links signed with the old key still verify.
    rotated = Keyring.parse(f"other:{base64.b64encode(b'k' * 32).decode()},{KEYRING.primary}:"
                            f"{base64.b64encode(KEYRING.keys[KEYRING.primary]).decode()}")  # fmt: skip
    assert verify_link(rotated, sign_link(KEYRING, LINK), NOW) == LINK


def test_ids_and_urls() -> None:
    assert token_id_of("acme", "d-1") != token_id_of("other", "d-1")
    assert len(token_id_of("acme", "d-1")) == 32
    assert answer_event_id("abc") == "survey-link-abc"
    assert answer_url("https://a.example/", "x.y+z") == "https://a.example/v1/survey-answers?token=x.y%2Bz"
