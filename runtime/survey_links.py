"""Signed one-time survey answer links: journey's `survey` action signs them, the gateway verifies them.

A link is `<gateway>/v1/survey-answers?token=<token>`; the token is the answer's only authorisation:
    fwsurvey1.<kid>.<payload>.<mac>                 (payload and mac base64url, without padding)
- payload: compact JSON `[workspace, customer_id, survey_id, question, channel, token_id, expires_at unix s]`:
  opaque ids only, never an identifier of the customer (email, phone...);
- mac: HMAC-SHA256 over `fwsurvey1.<kid>.<payload>` with a key derived (HKDF-SHA256, info SURVEY_KEY_INFO) from
  the master key `kid` of FLYWHEEL_SECRETS_KEYS: the keyring every service already holds (runtime/
  secrets_at_rest.py), so no new secret; the first key signs, every listed key verifies, so a key rotation keeps
  links already sent working while the old key stays listed. A derived key is never the master key itself, so a
  token reveals nothing usable to open sealed secrets.
`verify_link` checks the form and the signature before anything else (InvalidLink: 401), then the expiry
(ExpiredLink: 410). The gateway spends each `token_id` once (services/gateway/survey_store.py).
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
from typing import Literal
from urllib.parse import quote

import orjson
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from runtime.secrets_at_rest import Keyring

FORMAT = "fwsurvey1"
SURVEY_KEY_INFO = b"flywheel survey answer link v1"
ANSWER_PATH = "/v1/survey-answers"
MAX_TOKEN_CHARS = 2048
"""The longest token looked at: a longer one is refused before any work (ids are bounded well below)."""
Question = Literal["nps", "csat", "both"]
QUESTIONS: tuple[Question, ...] = ("nps", "csat", "both")
_KID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_B64 = re.compile(r"^[A-Za-z0-9_-]+$")


class InvalidLink(ValueError):
    """Not a token this deployment signed (malformed, altered, signed with an unknown key): a 401."""


class ExpiredLink(ValueError):
    """A genuine token past its expiry: a 410."""


@dataclass(frozen=True)
class SurveyLink:
    """What a token carries: whose answer it is (workspace, customer), to which survey, until when."""

    workspace: str
    customer_id: str
    survey_id: str
    question: Question
    channel: str
    token_id: str
    expires_at: dt.datetime  # whole seconds, UTC


def token_id_of(workspace: str, delivery_id: str) -> str:
    """The token id of a delivery's link: the same on every attempt of the delivery, unique per delivery."""
    return hashlib.sha256(f"{workspace}\x00{delivery_id}".encode()).hexdigest()[:32]


def answer_event_id(token_id: str) -> str:
    """The id of the inbound `survey` event an answer becomes: one per token, so a retry cannot make two."""
    return f"survey-link-{token_id}"


def answer_url(public_url: str, token: str) -> str:
    return f"{public_url.rstrip('/')}{ANSWER_PATH}?token={quote(token, safe='')}"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    if not _B64.match(text):
        raise InvalidLink("not a survey answer token")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise InvalidLink("not a survey answer token") from None


@lru_cache(maxsize=32)
def _derived(master: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=SURVEY_KEY_INFO).derive(master)


def _mac(key: bytes, signed: str) -> bytes:
    return hmac.new(key, signed.encode("ascii"), hashlib.sha256).digest()


def sign_link(keyring: Keyring, link: SurveyLink) -> str:
    """The token of `link`, signed with the keyring's primary key (deterministic: the same link, the same token)."""
    expires = int(link.expires_at.timestamp())
    fields = [
        link.workspace,
        link.customer_id,
        link.survey_id,
        link.question,
        link.channel,
        link.token_id,
        expires,
    ]
    signed = f"{FORMAT}.{keyring.primary}.{_b64(orjson.dumps(fields))}"
    return f"{signed}.{_b64(_mac(_derived(keyring.keys[keyring.primary]), signed))}"


def verify_link(keyring: Keyring, token: str, now: dt.datetime) -> SurveyLink:
    """The link `token` carries: InvalidLink unless this deployment's keys signed exactly it, ExpiredLink when
    it is genuine but past its expiry at `now`."""
    if not token or len(token) > MAX_TOKEN_CHARS or not token.isascii():
        raise InvalidLink("not a survey answer token")
    parts = token.split(".")
    if len(parts) != 4 or parts[0] != FORMAT or not _KID.match(parts[1]):
        raise InvalidLink("not a survey answer token")
    master = keyring.keys.get(parts[1])
    if master is None:
        raise InvalidLink("the answer link is not signed by this deployment")
    signed = ".".join(parts[:3])
    if not hmac.compare_digest(_mac(_derived(master), signed), _unb64(parts[3])):
        raise InvalidLink("the answer link is not signed by this deployment")
    try:
        fields = orjson.loads(_unb64(parts[2]))
    except orjson.JSONDecodeError:
        raise InvalidLink("not a survey answer token") from None
    if (
        not isinstance(fields, list)
        or len(fields) != 7
        or not all(isinstance(f, str) for f in fields[:6])
        or fields[3] not in QUESTIONS
        or not isinstance(fields[6], int)
    ):
        raise InvalidLink("not a survey answer token")
    workspace, customer_id, survey_id, question, channel, token_id, expires = fields
    link = SurveyLink(
        workspace, customer_id, survey_id, question, channel, token_id, dt.datetime.fromtimestamp(expires, dt.UTC)
    )
    if now >= link.expires_at:
        raise ExpiredLink("this answer link has expired")
    return link
