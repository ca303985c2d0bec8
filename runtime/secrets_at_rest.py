"""Secrets at rest: envelope encryption with keys from FLYWHEEL_SECRETS_KEYS (AES-256-GCM, `cryptography`).

A secret a service must read back (a webhook signing secret: it signs with it) is stored sealed, never plain:
    fwsealed1.<kid>.<wrapped data key>.<ciphertext>        (the last two base64url, without padding)
- a fresh 256-bit data key per sealed value encrypts the secret (AES-GCM, 96-bit random nonce);
- the data key is encrypted ("wrapped") with the master key `kid` of FLYWHEEL_SECRETS_KEYS (AES-GCM too);
- both carry the caller's `context` (e.g. "journey.webhook_secret:<workspace>") as associated data, so a
  sealed value copied to another row or workspace does not open there.
A database dump (or a backup, or a replica) without the master keys holds no usable secret.

FLYWHEEL_SECRETS_KEYS is `kid:base64 of 32 bytes,...`: the first key seals, every key opens. Rotation without
downtime: put the new key first (keep the old one after it) and restart; services re-seal what the old key
sealed (`needs_reseal`, `reseal`: only the small data key is re-encrypted); once they have, drop the old key.
Empty: DEVELOPMENT_KEY (public, so development only), which the production guard refuses.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from runtime.settings import RuntimeSettings

FORMAT = "fwsealed1"
"""The first field of every sealed value: a format version, so a later scheme can be told apart."""
KEY_BYTES = 32
NONCE_BYTES = 12
DEVELOPMENT_KEY_ID = "development"
DEVELOPMENT_KEY_BYTES = hashlib.sha256(b"flywheel development-only secrets key, never in production").digest()
DEVELOPMENT_KEY = f"{DEVELOPMENT_KEY_ID}:{base64.b64encode(DEVELOPMENT_KEY_BYTES).decode()}"
"""The key used when FLYWHEEL_SECRETS_KEYS is empty. Public: it protects nothing, it only keeps the code path
the same. To move secrets sealed with it under a real key, list it after the real one until they are re-sealed."""

_KID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_SETTING = "FLYWHEEL_SECRETS_KEYS"


class SecretsKeyError(ValueError):
    """FLYWHEEL_SECRETS_KEYS is malformed; the message names the entry, never a key."""


class UnsealError(ValueError):
    """A sealed value that does not open: its key id is not configured, or it was altered or moved to another
    context. The message names the key id only."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class Keyring:
    """Master keys by id; `primary` (the first of the setting) seals."""

    primary: str
    keys: dict[str, bytes] = field(repr=False)

    @classmethod
    def parse(cls, text: str) -> Keyring:
        """`kid:base64,...` (empty: the development key). Raises SecretsKeyError naming the bad entry."""
        keys: dict[str, bytes] = {}
        for position, entry in enumerate((text.strip() or DEVELOPMENT_KEY).split(","), start=1):
            kid, colon, encoded = (part.strip() for part in entry.partition(":"))
            if not colon or not _KID.match(kid):
                raise SecretsKeyError(
                    f"{_SETTING}: entry {position} is not `kid:base64` (a key id of letters, digits, '-' or '_', "
                    "a colon, the key)"
                )
            if kid in keys:
                raise SecretsKeyError(f"{_SETTING}: key id {kid!r} is given twice")
            try:
                key = base64.b64decode(encoded.replace("-", "+").replace("_", "/"), validate=True)
            except (binascii.Error, ValueError):
                raise SecretsKeyError(f"{_SETTING}: key {kid!r} is not base64") from None
            if len(key) != KEY_BYTES:
                raise SecretsKeyError(
                    f"{_SETTING}: key {kid!r} is {len(key)} bytes; it must be {KEY_BYTES} "
                    "(e.g. `openssl rand -base64 32`)"
                )
            keys[kid] = key
        return cls(primary=next(iter(keys)), keys=keys)

    @classmethod
    def from_settings(cls, settings: RuntimeSettings) -> Keyring:
        return keyring_of(settings.secrets_keys)

    @property
    def is_development(self) -> bool:
        """True when the development key seals or opens anything (the production guard refuses it)."""
        return DEVELOPMENT_KEY_ID in self.keys or DEVELOPMENT_KEY_BYTES in self.keys.values()

    def seal(self, secret: str | bytes, context: str) -> str:
        """`secret` sealed under a new data key, wrapped by the primary key; opens only with the same `context`."""
        plain = secret.encode() if isinstance(secret, str) else secret
        data_key = AESGCM.generate_key(bit_length=KEY_BYTES * 8)
        nonce = os.urandom(NONCE_BYTES)
        ciphertext = AESGCM(data_key).encrypt(nonce, plain, context.encode())
        return f"{FORMAT}.{self.primary}.{self._wrap(self.primary, data_key, context)}.{_b64(nonce + ciphertext)}"

    def unseal(self, sealed: str, context: str) -> bytes:
        """The secret in `sealed`; UnsealError when it does not open with these keys and `context`."""
        kid, wrapped, payload = _fields(sealed)
        data_key = self._unwrap(kid, wrapped, context)
        raw = _unb64(payload)
        try:
            return AESGCM(data_key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode())
        except InvalidTag:
            raise UnsealError(f"a secret sealed with key {kid!r} does not open: altered or of another owner") from None

    def needs_reseal(self, sealed: str) -> bool:
        """True when `sealed` was sealed with a key other than the primary one (re-seal it before dropping that key)."""
        return _fields(sealed)[0] != self.primary

    def reseal(self, sealed: str, context: str) -> str:
        """`sealed` with its data key re-wrapped by the primary key; the ciphertext itself is kept."""
        kid, wrapped, payload = _fields(sealed)
        if kid == self.primary:
            return sealed
        data_key = self._unwrap(kid, wrapped, context)
        return f"{FORMAT}.{self.primary}.{self._wrap(self.primary, data_key, context)}.{payload}"

    def _wrap(self, kid: str, data_key: bytes, context: str) -> str:
        nonce = os.urandom(NONCE_BYTES)
        return _b64(nonce + AESGCM(self.keys[kid]).encrypt(nonce, data_key, _wrap_context(kid, context)))

    def _unwrap(self, kid: str, wrapped: str, context: str) -> bytes:
        master = self.keys.get(kid)
        if master is None:
            raise UnsealError(f"a secret is sealed with key {kid!r}, which {_SETTING} does not list")
        raw = _unb64(wrapped)
        try:
            return AESGCM(master).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], _wrap_context(kid, context))
        except InvalidTag:
            raise UnsealError(f"a secret sealed with key {kid!r} does not open: altered or of another owner") from None


def _wrap_context(kid: str, context: str) -> bytes:
    return f"{FORMAT}.{kid}.{context}".encode()


def is_sealed(value: str) -> bool:
    return value.startswith(FORMAT + ".")


def _fields(sealed: str) -> tuple[str, str, str]:
    parts = sealed.split(".")
    if len(parts) != 4 or parts[0] != FORMAT or not _KID.match(parts[1]):
        raise UnsealError("not a sealed secret")
    try:
        wrapped, payload = _unb64(parts[2]), _unb64(parts[3])
    except (binascii.Error, ValueError):
        raise UnsealError("not a sealed secret") from None
    if len(wrapped) != NONCE_BYTES + KEY_BYTES + 16 or len(payload) < NONCE_BYTES + 16:
        raise UnsealError("not a sealed secret")
    return parts[1], parts[2], parts[3]


@lru_cache(maxsize=8)
def keyring_of(setting: str) -> Keyring:
    """The keyring of a FLYWHEEL_SECRETS_KEYS value, parsed once per process."""
    return Keyring.parse(setting)
