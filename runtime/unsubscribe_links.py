"""Signed one-click unsubscribe links: journey signs one into every webhook payload, the gateway verifies it.

A link is `<gateway>/v1/unsubscribe?token=<token>` (RFC 8058: a `POST` to it unsubscribes at once, a `GET` shows
a confirmation); the token is its only authorisation, as survey answer links' are (runtime/survey_links.py):
    fwunsub1.<kid>.<payload>.<mac>                  (payload and mac base64url, without padding)
- payload: compact JSON `[workspace, customer_id, group, token_id, expires_at unix s]`: opaque ids only, never
  an identifier of the customer;
- mac: HMAC-SHA256 over `fwunsub1.<kid>.<payload>` with a key derived (HKDF-SHA256, info UNSUBSCRIBE_KEY_INFO,
  not the survey links' key) from the master key `kid` of FLYWHEEL_SECRETS_KEYS; the first key signs, every
  listed key verifies.
Signed at each attempt of a delivery from what its body holds (the same token every time), never stored. The
token id derives from the workspace and the delivery, and the `consent` event the gateway publishes takes its id
from it, so a link used twice unsubscribes once.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote

import orjson
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from runtime.secrets_at_rest import Keyring
from runtime.survey_links import ExpiredLink, InvalidLink  # the same two refusals: 401 and 410

__all__ = ["ExpiredLink", "InvalidLink", "UnsubscribeLink", "sign_link", "verify_link"]

FORMAT = "fwunsub1"
UNSUBSCRIBE_KEY_INFO = b"flywheel one-click unsubscribe link v1"
UNSUBSCRIBE_PATH = "/v1/unsubscribe"
LINK_TTL = dt.timedelta(days=365)
"""How long a link works after its message was made: far out, as a mail may be read a year later."""
MAX_TOKEN_CHARS = 2048
_KID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_B64 = re.compile(r"^[A-Za-z0-9_-]+$")
_INVALID = "not an unsubscribe token"


@dataclass(frozen=True)
class UnsubscribeLink:
    workspace: str
    customer_id: str
    group: str  # a subscription group's id, or a channel's own group
    token_id: str
    expires_at: dt.datetime  # whole seconds, UTC


def token_id_of(workspace: str, delivery_id: str) -> str:
    return hashlib.sha256(f"unsubscribe\x00{workspace}\x00{delivery_id}".encode()).hexdigest()[:32]


def unsubscribe_event_id(token_id: str) -> str:
    """The id of the inbound `consent` event a link becomes: one per token, so a second click counts once."""
    return f"unsubscribe-link-{token_id}"


def unsubscribe_url(public_url: str, token: str) -> str:
    return f"{public_url.rstrip('/')}{UNSUBSCRIBE_PATH}?token={quote(token, safe='')}"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    if not _B64.match(text):
        raise InvalidLink(_INVALID)
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise InvalidLink(_INVALID) from None


@lru_cache(maxsize=32)
def _derived(master: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=UNSUBSCRIBE_KEY_INFO).derive(master)


def _mac(key: bytes, signed: str) -> bytes:
    return hmac.new(key, signed.encode("ascii"), hashlib.sha256).digest()


def sign_link(keyring: Keyring, link: UnsubscribeLink) -> str:
    """The token of `link`, signed with the keyring's primary key (deterministic)."""
    fields = [link.workspace, link.customer_id, link.group, link.token_id, int(link.expires_at.timestamp())]
    signed = f"{FORMAT}.{keyring.primary}.{_b64(orjson.dumps(fields))}"
    return f"{signed}.{_b64(_mac(_derived(keyring.keys[keyring.primary]), signed))}"


def verify_link(keyring: Keyring, token: str, now: dt.datetime) -> UnsubscribeLink:
    """The link `token` carries: InvalidLink unless this deployment's keys signed exactly it (checked before
    anything in it is read), ExpiredLink when genuine but past its expiry at `now`."""
    if not token or len(token) > MAX_TOKEN_CHARS or not token.isascii():
        raise InvalidLink(_INVALID)
    parts = token.split(".")
    if len(parts) != 4 or parts[0] != FORMAT or not _KID.match(parts[1]):
        raise InvalidLink(_INVALID)
    master = keyring.keys.get(parts[1])
    if master is None:
        raise InvalidLink("the unsubscribe link is not signed by this deployment")
    signed = ".".join(parts[:3])
    if not hmac.compare_digest(_mac(_derived(master), signed), _unb64(parts[3])):
        raise InvalidLink("the unsubscribe link is not signed by this deployment")
    try:
        fields = orjson.loads(_unb64(parts[2]))
    except orjson.JSONDecodeError:
        raise InvalidLink(_INVALID) from None
    if (
        not isinstance(fields, list)
        or len(fields) != 5
        or not all(isinstance(f, str) and f for f in fields[:4])
        or not isinstance(fields[4], int)
    ):
        raise InvalidLink(_INVALID)
    workspace, customer_id, group, token_id, expires = fields
    link = UnsubscribeLink(workspace, customer_id, group, token_id, dt.datetime.fromtimestamp(expires, dt.UTC))
    if now >= link.expires_at:
        raise ExpiredLink("this unsubscribe link has expired")
    return link
