"""Signed one-click unsubscribe links: journey signs one into every webhook payload, the gateway verifies it.

A link is `<gateway>/v1/unsubscribe?token=<token>` (RFC 8058: a `POST` to it unsubscribes at once, a `GET` shows
a confirmation); the token is its only authorisation, in the signed link form survey answer links have too
(runtime/signed_links.py):
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

import datetime as dt
import hashlib
from dataclasses import dataclass
from urllib.parse import quote

from runtime.secrets_at_rest import Keyring
from runtime.signed_links import MAX_TOKEN_CHARS, ExpiredLink, InvalidLink, LinkSigner

__all__ = [
    "LINK_TTL",
    "MAX_TOKEN_CHARS",
    "UNSUBSCRIBE_PATH",
    "ExpiredLink",
    "InvalidLink",
    "UnsubscribeLink",
    "sign_link",
    "token_id_of",
    "unsubscribe_event_id",
    "unsubscribe_url",
    "verify_link",
]

FORMAT = "fwunsub1"
UNSUBSCRIBE_KEY_INFO = b"flywheel one-click unsubscribe link v1"
UNSUBSCRIBE_PATH = "/v1/unsubscribe"
LINK_TTL = dt.timedelta(days=365)
"""How long a link works after its message was made: far out, as a mail may be read a year later."""
_INVALID = "not an unsubscribe token"
_SIGNER = LinkSigner(FORMAT, UNSUBSCRIBE_KEY_INFO, _INVALID, "the unsubscribe link is not signed by this deployment")


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


def sign_link(keyring: Keyring, link: UnsubscribeLink) -> str:
    """The token of `link`, signed with the keyring's primary key (deterministic)."""
    fields: list[str | int] = [
        link.workspace, link.customer_id, link.group, link.token_id, int(link.expires_at.timestamp())
    ]  # fmt: skip
    return _SIGNER.sign(keyring, fields)


def verify_link(keyring: Keyring, token: str, now: dt.datetime) -> UnsubscribeLink:
    """The link `token` carries: InvalidLink unless this deployment's keys signed exactly it (checked before
    anything in it is read), ExpiredLink when genuine but past its expiry at `now`."""
    fields = _SIGNER.verify(keyring, token)
    if len(fields) != 5 or not all(isinstance(f, str) and f for f in fields[:4]) or not isinstance(fields[4], int):
        raise InvalidLink(_INVALID)
    workspace, customer_id, group, token_id, expires = fields
    link = UnsubscribeLink(workspace, customer_id, group, token_id, dt.datetime.fromtimestamp(expires, dt.UTC))
    if now >= link.expires_at:
        raise ExpiredLink("this unsubscribe link has expired")
    return link
