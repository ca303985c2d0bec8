from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.consent_event import ConsentEvent
from ...models.custom_event import CustomEvent
from ...models.events_accepted import EventsAccepted
from ...models.events_rejected import EventsRejected
from ...models.identify_event import IdentifyEvent
from ...models.problem import Problem
from ...models.purchase_event import PurchaseEvent
from ...models.referral_event import ReferralEvent
from ...models.refund_event import RefundEvent
from ...models.survey_event import SurveyEvent
from ...models.ticket_event import TicketEvent
from ...models.visit_event import VisitEvent
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: ConsentEvent
    | CustomEvent
    | IdentifyEvent
    | list[
        ConsentEvent
        | CustomEvent
        | IdentifyEvent
        | PurchaseEvent
        | ReferralEvent
        | RefundEvent
        | SurveyEvent
        | TicketEvent
        | VisitEvent
    ]
    | list[
        ConsentEvent
        | IdentifyEvent
        | PurchaseEvent
        | ReferralEvent
        | RefundEvent
        | SurveyEvent
        | TicketEvent
        | VisitEvent
    ]
    | PurchaseEvent
    | ReferralEvent
    | RefundEvent
    | SurveyEvent
    | TicketEvent
    | VisitEvent,
    idempotency_key: str | Unset = UNSET,
    ce_specversion: str | Unset = UNSET,
    ce_id: str | Unset = UNSET,
    ce_source: str | Unset = UNSET,
    ce_type: str | Unset = UNSET,
    ce_time: str | Unset = UNSET,
    ce_workspace: str | Unset = UNSET,
    ce_subject: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    if not isinstance(ce_specversion, Unset):
        headers["ce-specversion"] = ce_specversion

    if not isinstance(ce_id, Unset):
        headers["ce-id"] = ce_id

    if not isinstance(ce_source, Unset):
        headers["ce-source"] = ce_source

    if not isinstance(ce_type, Unset):
        headers["ce-type"] = ce_type

    if not isinstance(ce_time, Unset):
        headers["ce-time"] = ce_time

    if not isinstance(ce_workspace, Unset):
        headers["ce-workspace"] = ce_workspace

    if not isinstance(ce_subject, Unset):
        headers["ce-subject"] = ce_subject

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/events",
    }

    if isinstance(body, PurchaseEvent):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, RefundEvent):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, VisitEvent):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, TicketEvent):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, ReferralEvent):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, IdentifyEvent):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, SurveyEvent):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, ConsentEvent):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, list):
        _kwargs["json"] = []
        for componentsschemas_events_body_type_1_item_data in body:
            componentsschemas_events_body_type_1_item: dict[str, Any]
            if isinstance(componentsschemas_events_body_type_1_item_data, PurchaseEvent):
                componentsschemas_events_body_type_1_item = componentsschemas_events_body_type_1_item_data.to_dict()
            elif isinstance(componentsschemas_events_body_type_1_item_data, RefundEvent):
                componentsschemas_events_body_type_1_item = componentsschemas_events_body_type_1_item_data.to_dict()
            elif isinstance(componentsschemas_events_body_type_1_item_data, VisitEvent):
                componentsschemas_events_body_type_1_item = componentsschemas_events_body_type_1_item_data.to_dict()
            elif isinstance(componentsschemas_events_body_type_1_item_data, TicketEvent):
                componentsschemas_events_body_type_1_item = componentsschemas_events_body_type_1_item_data.to_dict()
            elif isinstance(componentsschemas_events_body_type_1_item_data, ReferralEvent):
                componentsschemas_events_body_type_1_item = componentsschemas_events_body_type_1_item_data.to_dict()
            elif isinstance(componentsschemas_events_body_type_1_item_data, IdentifyEvent):
                componentsschemas_events_body_type_1_item = componentsschemas_events_body_type_1_item_data.to_dict()
            elif isinstance(componentsschemas_events_body_type_1_item_data, SurveyEvent):
                componentsschemas_events_body_type_1_item = componentsschemas_events_body_type_1_item_data.to_dict()
            else:
                componentsschemas_events_body_type_1_item = componentsschemas_events_body_type_1_item_data.to_dict()

            _kwargs["json"].append(componentsschemas_events_body_type_1_item)

    elif isinstance(body, CustomEvent):
        _kwargs["json"] = body.to_dict()
    else:
        _kwargs["json"] = []
        for componentsschemas_events_body_type_3_item_data in body:
            componentsschemas_events_body_type_3_item: dict[str, Any]
            if isinstance(componentsschemas_events_body_type_3_item_data, PurchaseEvent):
                componentsschemas_events_body_type_3_item = componentsschemas_events_body_type_3_item_data.to_dict()
            elif isinstance(componentsschemas_events_body_type_3_item_data, RefundEvent):
                componentsschemas_events_body_type_3_item = componentsschemas_events_body_type_3_item_data.to_dict()
            elif isinstance(componentsschemas_events_body_type_3_item_data, VisitEvent):
                componentsschemas_events_body_type_3_item = componentsschemas_events_body_type_3_item_data.to_dict()
            elif isinstance(componentsschemas_events_body_type_3_item_data, TicketEvent):
                componentsschemas_events_body_type_3_item = componentsschemas_events_body_type_3_item_data.to_dict()
            elif isinstance(componentsschemas_events_body_type_3_item_data, ReferralEvent):
                componentsschemas_events_body_type_3_item = componentsschemas_events_body_type_3_item_data.to_dict()
            elif isinstance(componentsschemas_events_body_type_3_item_data, IdentifyEvent):
                componentsschemas_events_body_type_3_item = componentsschemas_events_body_type_3_item_data.to_dict()
            elif isinstance(componentsschemas_events_body_type_3_item_data, SurveyEvent):
                componentsschemas_events_body_type_3_item = componentsschemas_events_body_type_3_item_data.to_dict()
            elif isinstance(componentsschemas_events_body_type_3_item_data, ConsentEvent):
                componentsschemas_events_body_type_3_item = componentsschemas_events_body_type_3_item_data.to_dict()
            else:
                componentsschemas_events_body_type_3_item = componentsschemas_events_body_type_3_item_data.to_dict()

            _kwargs["json"].append(componentsschemas_events_body_type_3_item)

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> EventsAccepted | EventsRejected | Problem | None:
    if response.status_code == 202:
        response_202 = EventsAccepted.from_dict(response.json())

        return response_202

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())

        return response_415

    if response.status_code == 422:
        response_422 = EventsRejected.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[EventsAccepted | EventsRejected | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: ConsentEvent
    | CustomEvent
    | IdentifyEvent
    | list[
        ConsentEvent
        | CustomEvent
        | IdentifyEvent
        | PurchaseEvent
        | ReferralEvent
        | RefundEvent
        | SurveyEvent
        | TicketEvent
        | VisitEvent
    ]
    | list[
        ConsentEvent
        | IdentifyEvent
        | PurchaseEvent
        | ReferralEvent
        | RefundEvent
        | SurveyEvent
        | TicketEvent
        | VisitEvent
    ]
    | PurchaseEvent
    | ReferralEvent
    | RefundEvent
    | SurveyEvent
    | TicketEvent
    | VisitEvent,
    idempotency_key: str | Unset = UNSET,
    ce_specversion: str | Unset = UNSET,
    ce_id: str | Unset = UNSET,
    ce_source: str | Unset = UNSET,
    ce_type: str | Unset = UNSET,
    ce_time: str | Unset = UNSET,
    ce_workspace: str | Unset = UNSET,
    ce_subject: str | Unset = UNSET,
) -> Response[EventsAccepted | EventsRejected | Problem]:
    """Ingest one CloudEvent or a batch

     Validates each event against the contract (events.md) and publishes the valid ones to
    `flywheel.events.inbound`; answers once the broker has them durably. Every event's `workspace` must
    be the API key's. A batch holds at most `FLYWHEEL_MAX_BATCH_EVENTS` (default 1000) events. When any
    event is invalid the answer is 422, listing each bad field of each bad event; the valid events of
    the batch are still published and listed in `accepted`. Event ids are de-duplicated downstream, so
    retrying a batch is safe. Types: `purchase`, `refund`, `visit`, `ticket`, `referral`, `identify`,
    `survey` (a survey answer: `nps` 0-10 and/or `csat` 1-5, with optional `survey_id`, `comment` and
    `channel`) and `consent` (a customer `subscribed` or `unsubscribed` from a subscription group, or a
    channel's own group, with an optional `source`), and the workspace's own types (`PUT /v1/event-
    types/{name}`), each checked against its JSON Schema (an undeclared type or invalid data: a 422
    naming the field). Scope: `events:write`.
    Every CloudEvents HTTP mode: structured (`application/cloudevents+json`: one event), batch
    (`application/cloudevents-batch+json`: a JSON array), plain `application/json` (one event or an
    array), and binary mode: the attributes as `ce-*` headers (`ce-specversion`, `ce-id`, `ce-source`,
    `ce-type`, `ce-time`, `ce-workspace`, `ce-subject`..., values percent-encoded as the HTTP binding
    says), `Content-Type: application/json` and the event's `data` as the body; a request is binary when
    it carries `ce-specversion` and its Content-Type is no `application/cloudevents` one. Media types
    may carry parameters; a charset other than UTF-8 is refused (415). `workspace` may be left out (the
    API key names it); `time` may be left out: the gateway's receipt time is used and the event carries
    `timesource: received`.

    Args:
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.
        ce_specversion (str | Unset):
        ce_id (str | Unset):
        ce_source (str | Unset):
        ce_type (str | Unset):
        ce_time (str | Unset):
        ce_workspace (str | Unset):
        ce_subject (str | Unset):
        body (ConsentEvent | CustomEvent | IdentifyEvent | list[ConsentEvent | CustomEvent |
            IdentifyEvent | PurchaseEvent | ReferralEvent | RefundEvent | SurveyEvent | TicketEvent |
            VisitEvent] | list[ConsentEvent | IdentifyEvent | PurchaseEvent | ReferralEvent |
            RefundEvent | SurveyEvent | TicketEvent | VisitEvent] | PurchaseEvent | ReferralEvent |
            RefundEvent | SurveyEvent | TicketEvent | VisitEvent):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EventsAccepted | EventsRejected | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
        ce_specversion=ce_specversion,
        ce_id=ce_id,
        ce_source=ce_source,
        ce_type=ce_type,
        ce_time=ce_time,
        ce_workspace=ce_workspace,
        ce_subject=ce_subject,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: ConsentEvent
    | CustomEvent
    | IdentifyEvent
    | list[
        ConsentEvent
        | CustomEvent
        | IdentifyEvent
        | PurchaseEvent
        | ReferralEvent
        | RefundEvent
        | SurveyEvent
        | TicketEvent
        | VisitEvent
    ]
    | list[
        ConsentEvent
        | IdentifyEvent
        | PurchaseEvent
        | ReferralEvent
        | RefundEvent
        | SurveyEvent
        | TicketEvent
        | VisitEvent
    ]
    | PurchaseEvent
    | ReferralEvent
    | RefundEvent
    | SurveyEvent
    | TicketEvent
    | VisitEvent,
    idempotency_key: str | Unset = UNSET,
    ce_specversion: str | Unset = UNSET,
    ce_id: str | Unset = UNSET,
    ce_source: str | Unset = UNSET,
    ce_type: str | Unset = UNSET,
    ce_time: str | Unset = UNSET,
    ce_workspace: str | Unset = UNSET,
    ce_subject: str | Unset = UNSET,
) -> EventsAccepted | EventsRejected | Problem | None:
    """Ingest one CloudEvent or a batch

     Validates each event against the contract (events.md) and publishes the valid ones to
    `flywheel.events.inbound`; answers once the broker has them durably. Every event's `workspace` must
    be the API key's. A batch holds at most `FLYWHEEL_MAX_BATCH_EVENTS` (default 1000) events. When any
    event is invalid the answer is 422, listing each bad field of each bad event; the valid events of
    the batch are still published and listed in `accepted`. Event ids are de-duplicated downstream, so
    retrying a batch is safe. Types: `purchase`, `refund`, `visit`, `ticket`, `referral`, `identify`,
    `survey` (a survey answer: `nps` 0-10 and/or `csat` 1-5, with optional `survey_id`, `comment` and
    `channel`) and `consent` (a customer `subscribed` or `unsubscribed` from a subscription group, or a
    channel's own group, with an optional `source`), and the workspace's own types (`PUT /v1/event-
    types/{name}`), each checked against its JSON Schema (an undeclared type or invalid data: a 422
    naming the field). Scope: `events:write`.
    Every CloudEvents HTTP mode: structured (`application/cloudevents+json`: one event), batch
    (`application/cloudevents-batch+json`: a JSON array), plain `application/json` (one event or an
    array), and binary mode: the attributes as `ce-*` headers (`ce-specversion`, `ce-id`, `ce-source`,
    `ce-type`, `ce-time`, `ce-workspace`, `ce-subject`..., values percent-encoded as the HTTP binding
    says), `Content-Type: application/json` and the event's `data` as the body; a request is binary when
    it carries `ce-specversion` and its Content-Type is no `application/cloudevents` one. Media types
    may carry parameters; a charset other than UTF-8 is refused (415). `workspace` may be left out (the
    API key names it); `time` may be left out: the gateway's receipt time is used and the event carries
    `timesource: received`.

    Args:
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.
        ce_specversion (str | Unset):
        ce_id (str | Unset):
        ce_source (str | Unset):
        ce_type (str | Unset):
        ce_time (str | Unset):
        ce_workspace (str | Unset):
        ce_subject (str | Unset):
        body (ConsentEvent | CustomEvent | IdentifyEvent | list[ConsentEvent | CustomEvent |
            IdentifyEvent | PurchaseEvent | ReferralEvent | RefundEvent | SurveyEvent | TicketEvent |
            VisitEvent] | list[ConsentEvent | IdentifyEvent | PurchaseEvent | ReferralEvent |
            RefundEvent | SurveyEvent | TicketEvent | VisitEvent] | PurchaseEvent | ReferralEvent |
            RefundEvent | SurveyEvent | TicketEvent | VisitEvent):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EventsAccepted | EventsRejected | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
        ce_specversion=ce_specversion,
        ce_id=ce_id,
        ce_source=ce_source,
        ce_type=ce_type,
        ce_time=ce_time,
        ce_workspace=ce_workspace,
        ce_subject=ce_subject,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ConsentEvent
    | CustomEvent
    | IdentifyEvent
    | list[
        ConsentEvent
        | CustomEvent
        | IdentifyEvent
        | PurchaseEvent
        | ReferralEvent
        | RefundEvent
        | SurveyEvent
        | TicketEvent
        | VisitEvent
    ]
    | list[
        ConsentEvent
        | IdentifyEvent
        | PurchaseEvent
        | ReferralEvent
        | RefundEvent
        | SurveyEvent
        | TicketEvent
        | VisitEvent
    ]
    | PurchaseEvent
    | ReferralEvent
    | RefundEvent
    | SurveyEvent
    | TicketEvent
    | VisitEvent,
    idempotency_key: str | Unset = UNSET,
    ce_specversion: str | Unset = UNSET,
    ce_id: str | Unset = UNSET,
    ce_source: str | Unset = UNSET,
    ce_type: str | Unset = UNSET,
    ce_time: str | Unset = UNSET,
    ce_workspace: str | Unset = UNSET,
    ce_subject: str | Unset = UNSET,
) -> Response[EventsAccepted | EventsRejected | Problem]:
    """Ingest one CloudEvent or a batch

     Validates each event against the contract (events.md) and publishes the valid ones to
    `flywheel.events.inbound`; answers once the broker has them durably. Every event's `workspace` must
    be the API key's. A batch holds at most `FLYWHEEL_MAX_BATCH_EVENTS` (default 1000) events. When any
    event is invalid the answer is 422, listing each bad field of each bad event; the valid events of
    the batch are still published and listed in `accepted`. Event ids are de-duplicated downstream, so
    retrying a batch is safe. Types: `purchase`, `refund`, `visit`, `ticket`, `referral`, `identify`,
    `survey` (a survey answer: `nps` 0-10 and/or `csat` 1-5, with optional `survey_id`, `comment` and
    `channel`) and `consent` (a customer `subscribed` or `unsubscribed` from a subscription group, or a
    channel's own group, with an optional `source`), and the workspace's own types (`PUT /v1/event-
    types/{name}`), each checked against its JSON Schema (an undeclared type or invalid data: a 422
    naming the field). Scope: `events:write`.
    Every CloudEvents HTTP mode: structured (`application/cloudevents+json`: one event), batch
    (`application/cloudevents-batch+json`: a JSON array), plain `application/json` (one event or an
    array), and binary mode: the attributes as `ce-*` headers (`ce-specversion`, `ce-id`, `ce-source`,
    `ce-type`, `ce-time`, `ce-workspace`, `ce-subject`..., values percent-encoded as the HTTP binding
    says), `Content-Type: application/json` and the event's `data` as the body; a request is binary when
    it carries `ce-specversion` and its Content-Type is no `application/cloudevents` one. Media types
    may carry parameters; a charset other than UTF-8 is refused (415). `workspace` may be left out (the
    API key names it); `time` may be left out: the gateway's receipt time is used and the event carries
    `timesource: received`.

    Args:
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.
        ce_specversion (str | Unset):
        ce_id (str | Unset):
        ce_source (str | Unset):
        ce_type (str | Unset):
        ce_time (str | Unset):
        ce_workspace (str | Unset):
        ce_subject (str | Unset):
        body (ConsentEvent | CustomEvent | IdentifyEvent | list[ConsentEvent | CustomEvent |
            IdentifyEvent | PurchaseEvent | ReferralEvent | RefundEvent | SurveyEvent | TicketEvent |
            VisitEvent] | list[ConsentEvent | IdentifyEvent | PurchaseEvent | ReferralEvent |
            RefundEvent | SurveyEvent | TicketEvent | VisitEvent] | PurchaseEvent | ReferralEvent |
            RefundEvent | SurveyEvent | TicketEvent | VisitEvent):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EventsAccepted | EventsRejected | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
        ce_specversion=ce_specversion,
        ce_id=ce_id,
        ce_source=ce_source,
        ce_type=ce_type,
        ce_time=ce_time,
        ce_workspace=ce_workspace,
        ce_subject=ce_subject,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: ConsentEvent
    | CustomEvent
    | IdentifyEvent
    | list[
        ConsentEvent
        | CustomEvent
        | IdentifyEvent
        | PurchaseEvent
        | ReferralEvent
        | RefundEvent
        | SurveyEvent
        | TicketEvent
        | VisitEvent
    ]
    | list[
        ConsentEvent
        | IdentifyEvent
        | PurchaseEvent
        | ReferralEvent
        | RefundEvent
        | SurveyEvent
        | TicketEvent
        | VisitEvent
    ]
    | PurchaseEvent
    | ReferralEvent
    | RefundEvent
    | SurveyEvent
    | TicketEvent
    | VisitEvent,
    idempotency_key: str | Unset = UNSET,
    ce_specversion: str | Unset = UNSET,
    ce_id: str | Unset = UNSET,
    ce_source: str | Unset = UNSET,
    ce_type: str | Unset = UNSET,
    ce_time: str | Unset = UNSET,
    ce_workspace: str | Unset = UNSET,
    ce_subject: str | Unset = UNSET,
) -> EventsAccepted | EventsRejected | Problem | None:
    """Ingest one CloudEvent or a batch

     Validates each event against the contract (events.md) and publishes the valid ones to
    `flywheel.events.inbound`; answers once the broker has them durably. Every event's `workspace` must
    be the API key's. A batch holds at most `FLYWHEEL_MAX_BATCH_EVENTS` (default 1000) events. When any
    event is invalid the answer is 422, listing each bad field of each bad event; the valid events of
    the batch are still published and listed in `accepted`. Event ids are de-duplicated downstream, so
    retrying a batch is safe. Types: `purchase`, `refund`, `visit`, `ticket`, `referral`, `identify`,
    `survey` (a survey answer: `nps` 0-10 and/or `csat` 1-5, with optional `survey_id`, `comment` and
    `channel`) and `consent` (a customer `subscribed` or `unsubscribed` from a subscription group, or a
    channel's own group, with an optional `source`), and the workspace's own types (`PUT /v1/event-
    types/{name}`), each checked against its JSON Schema (an undeclared type or invalid data: a 422
    naming the field). Scope: `events:write`.
    Every CloudEvents HTTP mode: structured (`application/cloudevents+json`: one event), batch
    (`application/cloudevents-batch+json`: a JSON array), plain `application/json` (one event or an
    array), and binary mode: the attributes as `ce-*` headers (`ce-specversion`, `ce-id`, `ce-source`,
    `ce-type`, `ce-time`, `ce-workspace`, `ce-subject`..., values percent-encoded as the HTTP binding
    says), `Content-Type: application/json` and the event's `data` as the body; a request is binary when
    it carries `ce-specversion` and its Content-Type is no `application/cloudevents` one. Media types
    may carry parameters; a charset other than UTF-8 is refused (415). `workspace` may be left out (the
    API key names it); `time` may be left out: the gateway's receipt time is used and the event carries
    `timesource: received`.

    Args:
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.
        ce_specversion (str | Unset):
        ce_id (str | Unset):
        ce_source (str | Unset):
        ce_type (str | Unset):
        ce_time (str | Unset):
        ce_workspace (str | Unset):
        ce_subject (str | Unset):
        body (ConsentEvent | CustomEvent | IdentifyEvent | list[ConsentEvent | CustomEvent |
            IdentifyEvent | PurchaseEvent | ReferralEvent | RefundEvent | SurveyEvent | TicketEvent |
            VisitEvent] | list[ConsentEvent | IdentifyEvent | PurchaseEvent | ReferralEvent |
            RefundEvent | SurveyEvent | TicketEvent | VisitEvent] | PurchaseEvent | ReferralEvent |
            RefundEvent | SurveyEvent | TicketEvent | VisitEvent):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EventsAccepted | EventsRejected | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
            ce_specversion=ce_specversion,
            ce_id=ce_id,
            ce_source=ce_source,
            ce_type=ce_type,
            ce_time=ce_time,
            ce_workspace=ce_workspace,
            ce_subject=ce_subject,
        )
    ).parsed
