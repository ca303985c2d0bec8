"""A rotated webhook secret overlaps the new one: deliveries are signed with both (two `v1=`), a receiver
verifying with either accepts them, and once the overlap ends only the new secret signs."""

from __future__ import annotations

import base64
import datetime as dt
import os
from typing import Any

import httpx
import pytest

from runtime.secrets_at_rest import Keyring, UnsealError
from services.journey.channel_secrets import context_of, signing_secrets
from services.journey.delivery_store import StoredSecrets
from services.journey.webhooks import (
    SECRET_ROTATION_OVERLAP,
    SIGNATURE_HEADER,
    WebhookDelivery,
    send,
    serialise,
    sign,
    verify,
)
from tests.unit.test_journey_webhooks import NOW, POLICY, Recorder, delivery

OLD = "whsec-old"
NEW = "whsec-new"


def test_signed_with_both_secrets_either_verifies() -> None:
    raw = serialise({"message": "hello"})
    ts = int(NOW.timestamp())
    header = sign(NEW, ts, raw, previous=OLD)
    assert header.count("v1=") == 2 and header.startswith(f"t={ts},v1=")
    assert header.split(",")[1] == sign(NEW, ts, raw).split(",")[1], "the new secret's signature comes first"
    assert verify(NEW, header, raw, NOW), "a receiver that switched already"
    assert verify(OLD, header, raw, NOW), "a receiver that has not switched yet"
    assert not verify("another", header, raw, NOW)
    assert not verify(OLD, header, raw + b" ", NOW), "either signature still covers the exact body"
    assert sign(NEW, ts, raw).count("v1=") == 1, "without a previous secret: one signature"


async def test_a_delivery_with_a_previous_secret_carries_both_signatures() -> None:
    recorder = Recorder(httpx.Response(200))
    d: WebhookDelivery = delivery(secret=NEW, previous_secret=OLD)
    async with recorder.client() as client:
        outcome = await send(client, d, NOW, policy=POLICY)
    assert outcome.status == "delivered"
    (request,) = recorder.requests
    header = request.headers[SIGNATURE_HEADER]
    assert header.count("v1=") == 2 and verify(OLD, header, request.content, NOW)
    assert verify(NEW, header, request.content, NOW)
    assert OLD not in repr(d) and NEW not in repr(d), "secrets stay out of logs and tracebacks"


def _row(ring: Keyring, workspace: str = "acme", **changes: Any) -> StoredSecrets:
    context = context_of(workspace)
    row: dict[str, Any] = {
        "workspace": workspace,
        "webhook_secret": None,
        "secret_sealed": ring.seal(NEW, context),
        "previous_secret_sealed": ring.seal(OLD, context),
        "previous_secret_until": NOW + SECRET_ROTATION_OVERLAP,
    }
    return StoredSecrets(**(row | changes))


def test_the_previous_secret_signs_only_while_its_overlap_lasts() -> None:
    ring = Keyring.parse(f"k1:{base64.b64encode(os.urandom(32)).decode()}")
    row = _row(ring)
    during = signing_secrets(ring, row, NOW + SECRET_ROTATION_OVERLAP - dt.timedelta(seconds=1))
    assert (during.current, during.previous) == (NEW.encode(), OLD.encode())
    after = signing_secrets(ring, row, NOW + SECRET_ROTATION_OVERLAP)
    assert (after.current, after.previous) == (NEW.encode(), None)
    never_rotated = signing_secrets(ring, _row(ring, previous_secret_sealed=None, previous_secret_until=None), NOW)
    assert never_rotated == type(never_rotated)(NEW.encode(), None)
    legacy_row = _row(ring, webhook_secret="plain-from-before")  # noqa: S106 - a test secret
    legacy = signing_secrets(ring, legacy_row, NOW)
    assert (legacy.current, legacy.previous) == (b"plain-from-before", None), "a row not sealed yet signs as before"


def test_a_secret_sealed_for_another_workspace_does_not_sign() -> None:
    ring = Keyring.parse(f"k1:{base64.b64encode(os.urandom(32)).decode()}")
    stolen = _row(ring, "globex").secret_sealed
    with pytest.raises(UnsealError):
        signing_secrets(ring, _row(ring, secret_sealed=stolen), NOW)
