"""Consent (services/journey/domain/consent.py): the pure decision every journey message passes right before it is
sent, what events give, and the signed one-click unsubscribe links (runtime/unsubscribe_links.py) every delivery
carries: signature before expiry, tampering, foreign keys and other workspaces' tokens refused."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib

import orjson
import pytest

from contracts.envelope import Envelope
from contracts.inbound import ConsentEvent, IdentifyEvent, PurchaseEvent
from runtime.secrets_at_rest import Keyring, keyring_of
from runtime.unsubscribe_links import (
    ExpiredLink,
    InvalidLink,
    UnsubscribeLink,
    sign_link,
    token_id_of,
    unsubscribe_event_id,
    verify_link,
)
from services.journey.deliveries import with_links
from services.journey.delivery_store import ClaimedDelivery, StoredSecrets
from services.journey.domain.consent import (
    ConsentGroup,
    ConsentState,
    MessageConsent,
    consent_changes,
    decide,
    identifier_hashes,
    message_consent,
    statuses_in_traits,
)
from services.journey.domain.document import parse_journey
from tests.samples.journeys import journey

NOW = dt.datetime(2026, 12, 6, 10, tzinfo=dt.UTC)
KEYRING = keyring_of("")
OTHER_KEYRING = Keyring.parse("other:" + base64.b64encode(b"k" * 32).decode())
GROUPS = {
    "newsletter": ConsentGroup("newsletter", "email", "opt_in"),
    "tips": ConsentGroup("tips", "email", "opt_out"),
}
EMAIL = MessageConsent("email")
NEWSLETTER = MessageConsent("email", "newsletter")
TIPS = MessageConsent("email", "tips")
RECEIPT = MessageConsent("email", None, transactional=True)


def reason(message: MessageConsent, state: ConsentState) -> str | None:
    decision = decide(message, state, GROUPS)
    assert decision.send is (decision.reason is None)
    return decision.reason


def test_no_group_is_the_channels_own_group_opt_out() -> None:
    assert reason(EMAIL, ConsentState()) is None
    assert reason(EMAIL, ConsentState({"email": "unsubscribed"})) == "unsubscribed:email"
    assert reason(MessageConsent("sms"), ConsentState({"email": "unsubscribed"})) is None


def test_opt_in_needs_a_subscription_and_opt_out_an_unsubscription() -> None:
    assert reason(NEWSLETTER, ConsentState()) == "no_consent:newsletter"
    assert reason(NEWSLETTER, ConsentState({"newsletter": "subscribed"})) is None
    assert reason(NEWSLETTER, ConsentState({"newsletter": "unsubscribed"})) == "unsubscribed:newsletter"
    assert reason(TIPS, ConsentState()) is None
    assert reason(TIPS, ConsentState({"tips": "unsubscribed"})) == "unsubscribed:tips"


def test_the_channel_group_is_the_umbrella_of_the_channels_groups() -> None:
    state = ConsentState({"email": "unsubscribed", "newsletter": "subscribed"})
    assert reason(NEWSLETTER, state) == "unsubscribed:email"
    assert reason(TIPS, state) == "unsubscribed:email"


def test_an_undefined_named_group_sends_nothing() -> None:
    assert reason(MessageConsent("email", "newsleter"), ConsentState()) == "unknown_group:newsleter"
    assert reason(MessageConsent("email", "newsleter"), ConsentState({"newsleter": "subscribed"})) is None


def test_transactional_skips_consent_but_not_suppression_or_erasure() -> None:
    unsubscribed = ConsentState({"email": "unsubscribed", "newsletter": "unsubscribed"})
    assert reason(RECEIPT, unsubscribed) is None
    assert reason(MessageConsent("email", "newsletter", True), unsubscribed) is None
    assert reason(RECEIPT, ConsentState(suppressed=True)) == "suppressed"
    assert reason(RECEIPT, ConsentState(erased=True)) == "erased"
    assert reason(TIPS, ConsentState({"tips": "subscribed"}, suppressed=True)) == "suppressed"


def test_subscriptions_trait_keeps_only_valid_groups_and_statuses() -> None:
    trait = {"newsletter": "subscribed", "sms": "unsubscribed", "bad group": "subscribed", "tips": "maybe", "x": 1}
    assert statuses_in_traits(trait) == {"newsletter": "subscribed", "sms": "unsubscribed"}
    assert statuses_in_traits("subscribed") == {}
    assert statuses_in_traits(None) == {}


def _event(kind: type[Envelope], type_: str, data: dict[str, object]) -> Envelope:
    return kind.model_validate(
        {"specversion": "1.0", "id": f"e-{type_}", "source": "t", "type": type_, "time": NOW.isoformat(),
         "workspace": "acme", "data": data}
    )  # fmt: skip


def test_consent_changes_of_events() -> None:
    consent = _event(ConsentEvent, "consent", {"customer": {"email": "a@x.io"}, "group": "newsletter",
                                               "status": "unsubscribed", "source": "preference_center"})  # fmt: skip
    traits = {"subscriptions": {"tips": "subscribed"}, "name": "A"}
    identify = _event(IdentifyEvent, "identify", {"customer": {"email": "a@x.io"}, "traits": traits})
    purchase = _event(PurchaseEvent, "purchase", {"customer": {"email": "a@x.io"}, "order_id": "o", "amount": "1"})
    (change,) = consent_changes(consent, "c_1")
    assert (change.group_id, change.status, change.source, change.occurred_at) == (
        "newsletter", "unsubscribed", "preference_center", NOW
    )  # fmt: skip
    (change,) = consent_changes(identify, "c_1")
    assert (change.group_id, change.status, change.source) == ("tips", "subscribed", "identify")
    assert consent_changes(purchase, "c_1") == []


def test_identifier_hashes_normalise_email_and_phone() -> None:
    event = _event(PurchaseEvent, "purchase", {"customer": {"email": " Ada@Example.COM ", "phone": "+49 30 1234567"},
                                               "order_id": "o", "amount": "1"})  # fmt: skip
    hashes = identifier_hashes([(event, "c_1")])
    assert hashes == {
        ("c_1", hashlib.sha256(b"ada@example.com").hexdigest()),
        ("c_1", hashlib.sha256(b"+49301234567").hexdigest()),
    }


def test_actions_take_a_group_and_transactional_and_the_body_carries_them() -> None:
    doc = journey()
    doc["steps"]["offer"]["action"] |= {"subscription_group": "newsletter"}
    action = parse_journey(doc).steps["offer"].action  # type: ignore[union-attr]
    assert action.subscription_group == "newsletter" and action.transactional is False  # type: ignore[union-attr]
    body = {"channel": "sms", "subscription_group": "promos", "transactional": True}
    assert message_consent(body) == MessageConsent("sms", "promos", True)
    assert message_consent({"channel": "email"}) == MessageConsent("email")


# --- the one-click unsubscribe link ------------------------------------------------------------------------------

LINK = UnsubscribeLink("acme", "c_1", "newsletter", token_id_of("acme", "d-1"), NOW + dt.timedelta(days=365))


def test_a_link_round_trips_and_is_deterministic() -> None:
    token = sign_link(KEYRING, LINK)
    assert sign_link(KEYRING, LINK) == token
    assert verify_link(KEYRING, token, NOW) == LINK
    assert unsubscribe_event_id(LINK.token_id) == f"unsubscribe-link-{LINK.token_id}"


def test_tampered_foreign_and_malformed_tokens_are_invalid_before_expiry_is_looked_at() -> None:
    token = sign_link(KEYRING, LINK)
    prefix, kid, payload, mac = token.split(".")
    other_workspace = (
        base64.urlsafe_b64encode(
            orjson.dumps(["globex", "c_1", "newsletter", LINK.token_id, int(LINK.expires_at.timestamp())])
        )
        .rstrip(b"=")
        .decode()
    )
    late = NOW + dt.timedelta(days=400)
    for bad in (
        f"{prefix}.{kid}.{other_workspace}.{mac}",  # another workspace's customer: the signature fails
        sign_link(OTHER_KEYRING, LINK),  # another deployment
        f"{prefix}.{kid}.{payload}.{mac[:-2]}AA",
        "fwsurvey1.x.y.z",
        "",
        "x" * 5000,
    ):
        with pytest.raises(InvalidLink):
            verify_link(KEYRING, bad, late)  # invalid even though it would also have expired
    with pytest.raises(ExpiredLink):
        verify_link(KEYRING, token, late)


def _claimed(body: dict[str, object]) -> ClaimedDelivery:
    return ClaimedDelivery(
        "acme", "d-1", body, 1, NOW, "https://hooks.example.com", "hooks.example.com:443",
        StoredSecrets("acme", None, None, None, None),
    )  # fmt: skip


def test_every_delivery_body_gets_its_signed_unsubscribe_link() -> None:
    body = with_links(_claimed({"customer_id": "c_1", "channel": "email"}), KEYRING, "https://fw.example.com/")
    link = body["unsubscribe"]
    assert link["group"] == "email" and link["url"].startswith("https://fw.example.com/v1/unsubscribe?token=")
    token = link["url"].split("token=", 1)[1].replace("%2E", ".")
    verified = verify_link(KEYRING, token, NOW)
    assert (verified.workspace, verified.customer_id, verified.group) == ("acme", "c_1", "email")
    assert verified.expires_at == NOW + dt.timedelta(days=365)
    grouped = with_links(_claimed({"customer_id": "c_1", "channel": "email", "subscription_group": "newsletter"}),
                         KEYRING, "https://fw.example.com")  # fmt: skip
    assert grouped["unsubscribe"]["group"] == "newsletter"
    assert (
        with_links(_claimed({"customer_id": "c_1"}), KEYRING, "https://x")["unsubscribe"]["url"]
        == (with_links(_claimed({"customer_id": "c_1"}), KEYRING, "https://x")["unsubscribe"]["url"])
    )
