"""Signed one-time survey answer links: journey's `survey` action signs them, the gateway verifies them.

A link is `<gateway>/v1/survey-answers?token=<token>`; the token is the answer's only authorisation, in the
signed link form of runtime/signed_links.py:
    fwsurvey1.<kid>.<payload>.<mac>                 (payload and mac base64url, without padding)
- payload: compact JSON `[workspace, customer_id, survey_id, question, channel, token_id, expires_at unix s]`:
  opaque ids only, never an identifier of the customer (email, phone...);
- mac: HMAC-SHA256 with a key derived (HKDF-SHA256, info SURVEY_KEY_INFO) from the master key `kid` of
  FLYWHEEL_SECRETS_KEYS (runtime/signed_links.py).
`verify_link` checks the form and the signature before anything else (InvalidLink: 401), then the expiry
(ExpiredLink: 410). The gateway spends each `token_id` once (services/gateway/survey_store.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Literal
from urllib.parse import quote

from runtime.secrets_at_rest import Keyring
from runtime.signed_links import MAX_TOKEN_CHARS, ExpiredLink, InvalidLink, LinkSigner

__all__ = [
    "ANSWER_PATH",
    "MAX_TOKEN_CHARS",
    "QUESTIONS",
    "ExpiredLink",
    "InvalidLink",
    "Question",
    "SurveyLink",
    "answer_event_id",
    "answer_url",
    "sign_link",
    "token_id_of",
    "verify_link",
]

FORMAT = "fwsurvey1"
SURVEY_KEY_INFO = b"flywheel survey answer link v1"
ANSWER_PATH = "/v1/survey-answers"
Question = Literal["nps", "csat", "both"]
QUESTIONS: tuple[Question, ...] = ("nps", "csat", "both")
_INVALID = "not a survey answer token"
_SIGNER = LinkSigner(FORMAT, SURVEY_KEY_INFO, _INVALID, "the answer link is not signed by this deployment")


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


def sign_link(keyring: Keyring, link: SurveyLink) -> str:
    """The token of `link`, signed with the keyring's primary key (deterministic: the same link, the same token)."""
    expires = int(link.expires_at.timestamp())
    fields: list[str | int] = [
        link.workspace,
        link.customer_id,
        link.survey_id,
        link.question,
        link.channel,
        link.token_id,
        expires,
    ]
    return _SIGNER.sign(keyring, fields)


def verify_link(keyring: Keyring, token: str, now: dt.datetime) -> SurveyLink:
    """The link `token` carries: InvalidLink unless this deployment's keys signed exactly it, ExpiredLink when
    it is genuine but past its expiry at `now`."""
    fields = _SIGNER.verify(keyring, token)
    if (
        len(fields) != 7
        or not all(isinstance(f, str) for f in fields[:6])
        or fields[3] not in QUESTIONS
        or not isinstance(fields[6], int)
    ):
        raise InvalidLink(_INVALID)
    workspace, customer_id, survey_id, question, channel, token_id, expires = fields
    link = SurveyLink(
        workspace, customer_id, survey_id, question, channel, token_id, dt.datetime.fromtimestamp(expires, dt.UTC)
    )
    if now >= link.expires_at:
        raise ExpiredLink("this answer link has expired")
    return link
