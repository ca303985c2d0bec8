"""Signed links a customer follows without an API key (survey answers, one-click unsubscribe): one token form.

    <format>.<kid>.<payload>.<mac>                  (payload and mac base64url, without padding)
- payload: compact JSON list of the link's fields (opaque ids and a unix expiry: never an identifier of the
  customer);
- mac: HMAC-SHA256 over `<format>.<kid>.<payload>` with a key derived (HKDF-SHA256, info: the link kind's own, so
  one kind's token never verifies as another's) from the master key `kid` of FLYWHEEL_SECRETS_KEYS: the keyring
  every service already holds (runtime/secrets_at_rest.py), so no new secret; the first key signs, every listed
  key verifies, so a key rotation keeps links already sent working while the old key stays listed. A derived key
  is never the master key itself, so a token reveals nothing usable to open sealed secrets.
`LinkSigner.verify` checks the form and the signature before anything in the payload is read (InvalidLink: 401);
each link kind then checks its fields and its expiry (ExpiredLink: 410). Users: runtime/survey_links.py and
runtime/unsubscribe_links.py.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import orjson
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from runtime.secrets_at_rest import Keyring

MAX_TOKEN_CHARS = 2048
"""The longest token looked at: a longer one is refused before any work (ids are bounded well below)."""
_KID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_B64 = re.compile(r"^[A-Za-z0-9_-]+$")


class InvalidLink(ValueError):
    """Not a token this deployment signed (malformed, altered, signed with an unknown key): a 401."""


class ExpiredLink(ValueError):
    """A genuine token past its expiry: a 410."""


@dataclass(frozen=True)
class LinkSigner:
    """One kind of signed link: its token prefix, its key derivation info and the words of its refusals."""

    format: str
    key_info: bytes
    malformed: str  # "not a survey answer token"
    foreign: str  # "the answer link is not signed by this deployment"

    def sign(self, keyring: Keyring, fields: list[str | int]) -> str:
        """The token of `fields`, signed with the keyring's primary key (deterministic: same fields, same token)."""
        signed = f"{self.format}.{keyring.primary}.{_b64(orjson.dumps(fields))}"
        return f"{signed}.{_b64(_mac(_derived(keyring.keys[keyring.primary], self.key_info), signed))}"

    def verify(self, keyring: Keyring, token: str) -> list[Any]:
        """The payload list `token` carries: InvalidLink unless this deployment's keys signed exactly it (checked
        before the payload is read). The caller checks the fields' types and the expiry."""
        if not token or len(token) > MAX_TOKEN_CHARS or not token.isascii():
            raise InvalidLink(self.malformed)
        parts = token.split(".")
        if len(parts) != 4 or parts[0] != self.format or not _KID.match(parts[1]):
            raise InvalidLink(self.malformed)
        master = keyring.keys.get(parts[1])
        if master is None:
            raise InvalidLink(self.foreign)
        signed = ".".join(parts[:3])
        if not hmac.compare_digest(_mac(_derived(master, self.key_info), signed), self._unb64(parts[3])):
            raise InvalidLink(self.foreign)
        try:
            fields = orjson.loads(self._unb64(parts[2]))
        except orjson.JSONDecodeError:
            raise InvalidLink(self.malformed) from None
        if not isinstance(fields, list):
            raise InvalidLink(self.malformed)
        return fields

    def _unb64(self, text: str) -> bytes:
        if not _B64.match(text):
            raise InvalidLink(self.malformed)
        try:
            return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        except (binascii.Error, ValueError):
            raise InvalidLink(self.malformed) from None


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


@lru_cache(maxsize=32)
def _derived(master: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(master)


def _mac(key: bytes, signed: str) -> bytes:
    return hmac.new(key, signed.encode("ascii"), hashlib.sha256).digest()
