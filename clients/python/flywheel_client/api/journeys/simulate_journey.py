from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.journey_simulation import JourneySimulation
from ...models.problem import Problem
from ...models.simulation_in import SimulationIn
from ...types import UNSET, Response, Unset


def _get_kwargs(
    journey_id: str,
    *,
    body: SimulationIn,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/journeys/{journey_id}/simulate".format(
            journey_id=quote(str(journey_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> JourneySimulation | Problem | None:
    if response.status_code == 200:
        response_200 = JourneySimulation.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

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
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if response.status_code == 502:
        response_502 = Problem.from_dict(response.json())

        return response_502

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[JourneySimulation | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    journey_id: str,
    *,
    client: AuthenticatedClient,
    body: SimulationIn,
    idempotency_key: str | Unset = UNSET,
) -> Response[JourneySimulation | Problem]:
    """A dry run of a journey

     Runs a version of the journey (draft or active; `version`, default the latest) for chosen customers
    (`customer_ids`, at most 1,000) or a segment's current members (`segment_id`; 422 past 1,000),
    entering at `start_at` (the moved clock, default now), with the clock jumping from one due time to
    the next until the journey ends or `horizon` (at most 365d) passes. Nothing is sent, stored or
    published. Each customer's answer holds the path (steps with times), the waits (since, until, why),
    the messages it would send (rendered subject and preview), other actions (tags, tasks, coupons...)
    and the messages held back with the reason: holdout, quiet hours, the journey's cap, the workspace's
    cap with priority (counting the customer's real recent messages), consent (erased, suppression list,
    unsubscribed, no consent). No event arrives in a simulation: waits for an event time out and goals
    never convert. Each customer runs at most `step_budget` steps (a journey that loops stops there:
    `ended: step_budget`). Ids the workspace's journeys do not know are listed in `unknown_customers`.
    409 while the workspace already runs 2 simulations (per replica of the journey service): retry when
    one has answered. Scope: `customers:read`.

    Args:
        journey_id (str):
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.
        body (SimulationIn): Whom to run a journey for, from when and how far (exactly one of
            `customer_ids` and `segment_id`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[JourneySimulation | Problem]
    """

    kwargs = _get_kwargs(
        journey_id=journey_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    journey_id: str,
    *,
    client: AuthenticatedClient,
    body: SimulationIn,
    idempotency_key: str | Unset = UNSET,
) -> JourneySimulation | Problem | None:
    """A dry run of a journey

     Runs a version of the journey (draft or active; `version`, default the latest) for chosen customers
    (`customer_ids`, at most 1,000) or a segment's current members (`segment_id`; 422 past 1,000),
    entering at `start_at` (the moved clock, default now), with the clock jumping from one due time to
    the next until the journey ends or `horizon` (at most 365d) passes. Nothing is sent, stored or
    published. Each customer's answer holds the path (steps with times), the waits (since, until, why),
    the messages it would send (rendered subject and preview), other actions (tags, tasks, coupons...)
    and the messages held back with the reason: holdout, quiet hours, the journey's cap, the workspace's
    cap with priority (counting the customer's real recent messages), consent (erased, suppression list,
    unsubscribed, no consent). No event arrives in a simulation: waits for an event time out and goals
    never convert. Each customer runs at most `step_budget` steps (a journey that loops stops there:
    `ended: step_budget`). Ids the workspace's journeys do not know are listed in `unknown_customers`.
    409 while the workspace already runs 2 simulations (per replica of the journey service): retry when
    one has answered. Scope: `customers:read`.

    Args:
        journey_id (str):
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.
        body (SimulationIn): Whom to run a journey for, from when and how far (exactly one of
            `customer_ids` and `segment_id`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        JourneySimulation | Problem
    """

    return sync_detailed(
        journey_id=journey_id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    journey_id: str,
    *,
    client: AuthenticatedClient,
    body: SimulationIn,
    idempotency_key: str | Unset = UNSET,
) -> Response[JourneySimulation | Problem]:
    """A dry run of a journey

     Runs a version of the journey (draft or active; `version`, default the latest) for chosen customers
    (`customer_ids`, at most 1,000) or a segment's current members (`segment_id`; 422 past 1,000),
    entering at `start_at` (the moved clock, default now), with the clock jumping from one due time to
    the next until the journey ends or `horizon` (at most 365d) passes. Nothing is sent, stored or
    published. Each customer's answer holds the path (steps with times), the waits (since, until, why),
    the messages it would send (rendered subject and preview), other actions (tags, tasks, coupons...)
    and the messages held back with the reason: holdout, quiet hours, the journey's cap, the workspace's
    cap with priority (counting the customer's real recent messages), consent (erased, suppression list,
    unsubscribed, no consent). No event arrives in a simulation: waits for an event time out and goals
    never convert. Each customer runs at most `step_budget` steps (a journey that loops stops there:
    `ended: step_budget`). Ids the workspace's journeys do not know are listed in `unknown_customers`.
    409 while the workspace already runs 2 simulations (per replica of the journey service): retry when
    one has answered. Scope: `customers:read`.

    Args:
        journey_id (str):
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.
        body (SimulationIn): Whom to run a journey for, from when and how far (exactly one of
            `customer_ids` and `segment_id`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[JourneySimulation | Problem]
    """

    kwargs = _get_kwargs(
        journey_id=journey_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    journey_id: str,
    *,
    client: AuthenticatedClient,
    body: SimulationIn,
    idempotency_key: str | Unset = UNSET,
) -> JourneySimulation | Problem | None:
    """A dry run of a journey

     Runs a version of the journey (draft or active; `version`, default the latest) for chosen customers
    (`customer_ids`, at most 1,000) or a segment's current members (`segment_id`; 422 past 1,000),
    entering at `start_at` (the moved clock, default now), with the clock jumping from one due time to
    the next until the journey ends or `horizon` (at most 365d) passes. Nothing is sent, stored or
    published. Each customer's answer holds the path (steps with times), the waits (since, until, why),
    the messages it would send (rendered subject and preview), other actions (tags, tasks, coupons...)
    and the messages held back with the reason: holdout, quiet hours, the journey's cap, the workspace's
    cap with priority (counting the customer's real recent messages), consent (erased, suppression list,
    unsubscribed, no consent). No event arrives in a simulation: waits for an event time out and goals
    never convert. Each customer runs at most `step_budget` steps (a journey that loops stops there:
    `ended: step_budget`). Ids the workspace's journeys do not know are listed in `unknown_customers`.
    409 while the workspace already runs 2 simulations (per replica of the journey service): retry when
    one has answered. Scope: `customers:read`.

    Args:
        journey_id (str):
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.
        body (SimulationIn): Whom to run a journey for, from when and how far (exactly one of
            `customer_ids` and `segment_id`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        JourneySimulation | Problem
    """

    return (
        await asyncio_detailed(
            journey_id=journey_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
