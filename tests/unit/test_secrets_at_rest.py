"""Secrets at rest (runtime/secrets_at_rest.py): sealing, opening, key rotation and what is refused."""

from __future__ import annotations

import base64
import os

import pytest

from runtime.secrets_at_rest import (
    DEVELOPMENT_KEY,
    Keyring,
    SecretsKeyError,
    UnsealError,
    is_sealed,
    keyring_of,
)

CONTEXT = "journey.webhook_secret:acme"
SECRET = "whsec-Qm9vZ2xlLWlzLW5vdC1hLXNlY3JldA"  # noqa: S105 - a test secret


def key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


def test_a_sealed_secret_opens_with_its_context_and_holds_no_plain_text() -> None:
    ring = Keyring.parse(f"k1:{key()}")
    sealed = ring.seal(SECRET, CONTEXT)
    assert is_sealed(sealed) and sealed.startswith("fwsealed1.k1.")
    assert SECRET not in sealed and base64.urlsafe_b64encode(SECRET.encode()).decode()[:20] not in sealed
    assert ring.unseal(sealed, CONTEXT) == SECRET.encode()
    assert ring.seal(SECRET, CONTEXT) != sealed  # a fresh data key and nonce every time


def test_a_sealed_secret_does_not_open_elsewhere_altered_or_without_its_key() -> None:
    ring = Keyring.parse(f"k1:{key()}")
    sealed = ring.seal(SECRET, CONTEXT)
    with pytest.raises(UnsealError, match="of another owner"):
        ring.unseal(sealed, "journey.webhook_secret:globex")  # copied to another workspace's row
    fmt, kid, wrapped, payload = sealed.split(".")
    flipped = payload[:-2] + ("A" if payload[-2] != "A" else "B") + payload[-1]
    with pytest.raises(UnsealError):
        ring.unseal(".".join((fmt, kid, wrapped, flipped)), CONTEXT)
    with pytest.raises(UnsealError, match="'k1', which FLYWHEEL_SECRETS_KEYS does not list"):
        Keyring.parse(f"k2:{key()}").unseal(sealed, CONTEXT)
    with pytest.raises(UnsealError, match="k1"):
        Keyring.parse(f"k1:{key()}").unseal(sealed, CONTEXT)  # same id, another key
    for junk in ("", "plain-secret", "fwsealed1.k1.x.y", "fwsealed1.k1", "fwsealed1.bad kid.a.b"):
        with pytest.raises(UnsealError, match="not a sealed secret"):
            ring.unseal(junk, CONTEXT)


def test_rotation_the_first_key_seals_every_key_opens_and_reseal_moves_to_the_first() -> None:
    old_key, new_key = key(), key()
    old = Keyring.parse(f"old:{old_key}")
    sealed_before = old.seal(SECRET, CONTEXT)
    both = Keyring.parse(f"new:{new_key},old:{old_key}")
    assert both.primary == "new" and both.unseal(sealed_before, CONTEXT) == SECRET.encode()
    assert both.needs_reseal(sealed_before) and both.seal(SECRET, CONTEXT).startswith("fwsealed1.new.")
    resealed = both.reseal(sealed_before, CONTEXT)
    assert not both.needs_reseal(resealed) and resealed.split(".")[3] == sealed_before.split(".")[3]
    assert both.reseal(resealed, CONTEXT) == resealed
    only_new = Keyring.parse(f"new:{new_key}")  # the old key dropped once everything was re-sealed
    assert only_new.unseal(resealed, CONTEXT) == SECRET.encode()


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("k1", "entry 1 is not `kid:base64`"),
        ("k1:{0},:AAAA", "entry 2 is not"),
        ("bad kid:AAAA", "entry 1 is not"),
        ("k1:%%%notbase64", "key 'k1' is not base64"),
        (f"k1:{base64.b64encode(b'short').decode()}", "key 'k1' is 5 bytes; it must be 32"),
        ("k1:{0},k1:{0}", "key id 'k1' is given twice"),
    ],
)
def test_a_malformed_setting_is_refused_naming_the_entry_never_the_key(setting: str, message: str) -> None:
    setting = setting.format(key())
    with pytest.raises(SecretsKeyError, match=message) as refused:
        Keyring.parse(setting)
    for part in setting.replace(",", ":").split(":")[1::2]:
        assert len(part) < 8 or part not in str(refused.value)


def test_empty_means_the_public_development_key_which_is_marked_as_such() -> None:
    development = keyring_of("")
    assert development.is_development and development.primary == "development"
    assert Keyring.parse(DEVELOPMENT_KEY).is_development
    assert not Keyring.parse(f"k1:{key()}").is_development
    assert Keyring.parse(f"k1:{key()},{DEVELOPMENT_KEY}").is_development  # still opens with a public key
    urlsafe = base64.urlsafe_b64encode(b"\xfb" * 32).decode()
    assert Keyring.parse(f"k1:{urlsafe}").keys["k1"] == b"\xfb" * 32
