"""POST /v1/survey-answers: a customer answers a survey through the signed one-time link journey's `survey` action
sent (runtime/survey_links.py). No API key: the token is the authorisation (the request path unsubscribe links
share: keyless_links.py).

In order:
1. the body, within MAX_ANSWER_BYTES (413), JSON or an HTML form (415 otherwise; 400 unreadable);
2. the token (the `token` query parameter, checked before the body is parsed, or the body's field): its
   signature (401: malformed, altered, of another deployment or workspace) and then its expiry (410), before
   anything else is looked at;
3. the answer: the score(s) the link asked for (`nps` 0-10, `csat` 1-5) and an optional `comment` within the
   survey type's budget (422 naming the field);
4. the customer, from profile (410 when erased or unknown: nobody to record the answer for);
5. the token id spent once in the gateway's database (409 once answered; the same answer again after a failure to
   publish goes through, its event id being the token's);
6. an inbound `survey` event for the link's workspace and customer (the customer's strongest identifier, as the
   partition key rule wants), published as POST /v1/events publishes (trace context, acks): 202 with its id.
The protection middleware limits how often one client address may call (FLYWHEEL_SURVEY_ANSWERS_PER_MINUTE).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import re
from collections.abc import AsyncIterator
from typing import Annotated, Any
from urllib.parse import parse_qsl

import asyncpg
import orjson
from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from contracts.codec import encode, field_errors, validate_typed
from contracts.inbound import INBOUND_EVENT_TYPES, MAX_SURVEY_COMMENT
from contracts.json_document import JsonDocument
from contracts.partition import event_partition_key
from runtime.problems import ProblemError
from runtime.survey_links import (
    MAX_TOKEN_CHARS,
    SurveyLink,
    answer_event_id,
    verify_link,
)
from services.gateway import keyless_links, survey_store
from services.gateway.deps import GatewayContext, gateway_context
from services.gateway.passthrough import described
from services.gateway.request_body import read_bounded_body
from services.gateway.schemas import problems

log = logging.getLogger(__name__)

ANSWER_PATH = "/v1/survey-answers"
SOURCE = "flywheel.gateway.survey-answers"
MAX_ANSWER_BYTES = 16_384
"""The largest answer body: a token, two scores and a comment of MAX_SURVEY_COMMENT characters fit many times."""
FORM = "application/x-www-form-urlencoded"
SCORES = ("nps", "csat")
INVALID = "this answer link is not valid"
EXPIRED = "this answer link has expired"
USED = "this answer link was already used"
GONE = "the customer this answer link was sent to is no longer known"

survey_router = APIRouter(tags=["surveys"])


class SurveyAnswerIn(JsonDocument):
    """An answer to the survey a link asked: the score(s) asked for, and optionally the customer's own words."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    token: Annotated[str, StringConstraints(min_length=1, max_length=MAX_TOKEN_CHARS)] | None = Field(
        None, description="The link's token, when not given as the `token` query parameter."
    )
    nps: Annotated[int, Field(ge=0, le=10)] | None = Field(None, description="0-10 (an `nps` or `both` survey).")
    csat: Annotated[int, Field(ge=1, le=5)] | None = Field(None, description="1-5 (a `csat` or `both` survey).")
    comment: Annotated[str, StringConstraints(max_length=MAX_SURVEY_COMMENT)] | None = Field(
        None, description=f"The customer's own words, at most {MAX_SURVEY_COMMENT} characters."
    )


class SurveyAnswerAccepted(BaseModel):
    event_id: str = Field(
        description="The id of the `survey` event the answer became (one per link).",
        examples=["survey-link-3f1c0e5a9b2d4c6e8f0a1b2c3d4e5f60"],
    )
    survey_id: str = Field(examples=["nps-q4"])


_EXAMPLE = {"nps": 9, "comment": "Quick delivery, friendly help."}
_BODY = {
    "required": False,
    "content": {
        media: {"schema": {"$ref": "#/components/schemas/SurveyAnswerIn"}, "example": _EXAMPLE}
        for media in ("application/json", FORM)
    },
}


@survey_router.post(
    ANSWER_PATH,
    status_code=202,
    **described("post_survey_answer"),
    response_model=SurveyAnswerAccepted,
    responses=problems(400, 401, 409, 410, 413, 415, 422, 429, 503),
    openapi_extra={"requestBody": _BODY, "security": []},
)
async def post_survey_answer(
    request: Request,
    token: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=MAX_TOKEN_CHARS,
            description="The link's token (as the answer link carries it), when not in the body.",
        ),
    ] = None,
) -> Response:
    state = gateway_context(request)
    body = await read_bounded_body(request, MAX_ANSWER_BYTES, f"the answer is larger than {MAX_ANSWER_BYTES} bytes")
    # The token first: from the query before the body is even parsed; else the body's `token` field.
    link = _verified(state, token) if token is not None else None
    fields = _fields_of(request.headers.get("content-type", ""), body)
    given = fields.get("token")
    if link is None:
        link = _verified(state, given)
    elif given is not None and given != token:
        raise ProblemError(400, "the token is given twice, differently (query and body): give it once")
    answer = _answer_of(fields, link)
    event_doc = await _event_of(state, link, answer)
    digest = hashlib.sha256(orjson.dumps([answer.nps, answer.csat, answer.comment])).hexdigest()
    async with _database_guard():
        spent, spent_at = await survey_store.spend(
            state.runtime.pool, link.token_id, link.workspace, digest, link.expires_at, state.clock()
        )
    if spent == "used":
        raise ProblemError(409, USED)
    event_doc["time"] = spent_at.isoformat()  # the first attempt's: a retry publishes the same event
    event = validate_typed(event_doc, INBOUND_EVENT_TYPES)
    await _publish(state, event_partition_key(event), encode(event))
    async with _database_guard():
        await survey_store.mark_published(state.runtime.pool, link.token_id, state.clock())
    accepted = SurveyAnswerAccepted(event_id=event.id, survey_id=link.survey_id)
    return Response(accepted.model_dump_json().encode(), 202, media_type="application/json")


def _fields_of(content_type: str, body: bytes) -> dict[str, Any]:
    """The body's fields: a JSON object or an HTML form's (an empty body: none)."""
    if not body.strip():
        return {}
    media = content_type.split(";", 1)[0].strip().lower()
    if media == FORM:
        try:
            pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=False, strict_parsing=True)
        except (UnicodeDecodeError, ValueError):
            raise ProblemError(400, "the form is not readable (application/x-www-form-urlencoded, UTF-8)") from None
        fields: dict[str, Any] = {}
        for name, value in pairs:
            if name in fields:
                raise ProblemError(422, f"{name} is given twice", type_="validation")
            fields[name] = value
        return _form_scores(fields)
    if media != "application/json" and not (media.startswith("application/") and media.endswith("+json")):
        raise ProblemError(415, f"send JSON (application/json) or an HTML form ({FORM})")
    try:
        doc = orjson.loads(body)
    except orjson.JSONDecodeError:
        raise ProblemError(400, "the body is not valid JSON") from None
    if not isinstance(doc, dict):
        raise ProblemError(422, "the body must be a JSON object", type_="validation")
    return doc


def _form_scores(fields: dict[str, Any]) -> dict[str, Any]:
    """An HTML form's values are text: its scores spelt in digits become the numbers SurveyAnswerIn takes (as JSON
    numbers, its schema's); any other text stays text, which the model refuses naming the field."""
    return {
        name: int(value) if name in SCORES and re.fullmatch(r"[0-9]{1,2}", value) else value
        for name, value in fields.items()
    }


def _verified(state: GatewayContext, token: Any) -> SurveyLink:
    if not isinstance(token, str) or not token:
        raise ProblemError(401, "send the answer link's token (the `token` query parameter or body field)")
    return keyless_links.verified(state, verify_link, token, INVALID, EXPIRED)


def _answer_of(fields: dict[str, Any], link: SurveyLink) -> SurveyAnswerIn:
    try:
        answer = SurveyAnswerIn.model_validate(fields)
    except ValidationError as exc:
        errors = field_errors(exc)
        raise ProblemError(422, f"{len(errors)} invalid field(s)", type_="validation", errors=errors) from None
    asked = {"nps": ("nps",), "csat": ("csat",), "both": ("nps", "csat")}[link.question]
    errors = [
        {"field": name, "message": f"this survey does not ask for {name}"}
        for name in ("nps", "csat")
        if getattr(answer, name) is not None and name not in asked
    ]
    if all(getattr(answer, name) is None for name in asked):
        errors.append({"field": asked[0], "message": f"the answer needs {' or '.join(asked)}"})
    if errors:
        raise ProblemError(422, f"{len(errors)} invalid field(s)", type_="validation", errors=errors)
    return answer


async def _event_of(state: GatewayContext, link: SurveyLink, answer: SurveyAnswerIn) -> dict[str, Any]:
    """The inbound event's document (its time set by the caller)."""
    data = {
        "customer": await keyless_links.customer_of(state, link.workspace, link.customer_id, GONE),
        "survey_id": link.survey_id,
        "channel": link.channel,
        "nps": answer.nps,
        "csat": answer.csat,
        "comment": answer.comment,
    }
    return {
        "specversion": "1.0",
        "id": answer_event_id(link.token_id),
        "source": SOURCE,
        "type": "survey",
        "workspace": link.workspace,
        "data": {name: value for name, value in data.items() if value is not None},
    }


async def _publish(state: GatewayContext, key: bytes, value: bytes) -> None:
    """Published and acknowledged, or a 503 (the link stays answerable with the same answer)."""
    unconfirmed = "the event broker did not confirm the answer; send it again"
    await keyless_links.publish(state, key, value, "survey answer", unconfirmed)


@contextlib.asynccontextmanager
async def _database_guard() -> AsyncIterator[None]:
    """The gateway's own database failing answers 503, never a 500."""
    try:
        yield
    except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError, TimeoutError) as exc:
        log.warning("gateway database unavailable", extra={"error": repr(exc)})
        raise ProblemError(503, "the gateway's database is unavailable; retry", headers={"Retry-After": "1"}) from None
