from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.event_type_in import EventTypeIn
from ...models.event_type_info import EventTypeInfo
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    name: str,
    *,
    body: EventTypeIn,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/v1/event-types/{name}".format(
            name=quote(str(name), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> EventTypeInfo | Problem | None:
    if response.status_code == 200:
        response_200 = EventTypeInfo.from_dict(response.json())

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
) -> Response[EventTypeInfo | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    name: str,
    *,
    client: AuthenticatedClient,
    body: EventTypeIn,
    idempotency_key: str | Unset = UNSET,
) -> Response[EventTypeInfo | Problem]:
    """Declare a custom event type (a new version)

     Declares an event type of the workspace's own (lower snake case, not a built-in name, e.g.
    `cart_abandoned`) with the JSON Schema (Draft 2020-12) of its `data` beyond `customer`, which every
    event carries; each PUT makes a new version, and events are checked against the latest.
    `unknown_fields`: `keep` or `refuse` top-level fields the schema does not name. A schema over its
    budgets (size, depth, keywords), with a remote `$ref`, or with a `pattern` RE2 cannot run in linear
    time is a 422 naming where. A new type beyond the workspace's quota `event_types`, or a version
    beyond `event_type_versions`, is a 409. Ingestion then refuses an event of an undeclared type, or
    one its schema refuses, with a 422 naming the field (`data.cart.total`); one published to Kafka
    directly is dead-lettered with that reason. Scope: `attributes:write`.

    Args:
        name (str): The custom event type's name: lower snake case, not a built-in type's.
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.
        body (EventTypeIn): One new version of a custom event type.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EventTypeInfo | Problem]
    """

    kwargs = _get_kwargs(
        name=name,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    name: str,
    *,
    client: AuthenticatedClient,
    body: EventTypeIn,
    idempotency_key: str | Unset = UNSET,
) -> EventTypeInfo | Problem | None:
    """Declare a custom event type (a new version)

     Declares an event type of the workspace's own (lower snake case, not a built-in name, e.g.
    `cart_abandoned`) with the JSON Schema (Draft 2020-12) of its `data` beyond `customer`, which every
    event carries; each PUT makes a new version, and events are checked against the latest.
    `unknown_fields`: `keep` or `refuse` top-level fields the schema does not name. A schema over its
    budgets (size, depth, keywords), with a remote `$ref`, or with a `pattern` RE2 cannot run in linear
    time is a 422 naming where. A new type beyond the workspace's quota `event_types`, or a version
    beyond `event_type_versions`, is a 409. Ingestion then refuses an event of an undeclared type, or
    one its schema refuses, with a 422 naming the field (`data.cart.total`); one published to Kafka
    directly is dead-lettered with that reason. Scope: `attributes:write`.

    Args:
        name (str): The custom event type's name: lower snake case, not a built-in type's.
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.
        body (EventTypeIn): One new version of a custom event type.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EventTypeInfo | Problem
    """

    return sync_detailed(
        name=name,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    name: str,
    *,
    client: AuthenticatedClient,
    body: EventTypeIn,
    idempotency_key: str | Unset = UNSET,
) -> Response[EventTypeInfo | Problem]:
    """Declare a custom event type (a new version)

     Declares an event type of the workspace's own (lower snake case, not a built-in name, e.g.
    `cart_abandoned`) with the JSON Schema (Draft 2020-12) of its `data` beyond `customer`, which every
    event carries; each PUT makes a new version, and events are checked against the latest.
    `unknown_fields`: `keep` or `refuse` top-level fields the schema does not name. A schema over its
    budgets (size, depth, keywords), with a remote `$ref`, or with a `pattern` RE2 cannot run in linear
    time is a 422 naming where. A new type beyond the workspace's quota `event_types`, or a version
    beyond `event_type_versions`, is a 409. Ingestion then refuses an event of an undeclared type, or
    one its schema refuses, with a 422 naming the field (`data.cart.total`); one published to Kafka
    directly is dead-lettered with that reason. Scope: `attributes:write`.

    Args:
        name (str): The custom event type's name: lower snake case, not a built-in type's.
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.
        body (EventTypeIn): One new version of a custom event type.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EventTypeInfo | Problem]
    """

    kwargs = _get_kwargs(
        name=name,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    name: str,
    *,
    client: AuthenticatedClient,
    body: EventTypeIn,
    idempotency_key: str | Unset = UNSET,
) -> EventTypeInfo | Problem | None:
    """Declare a custom event type (a new version)

     Declares an event type of the workspace's own (lower snake case, not a built-in name, e.g.
    `cart_abandoned`) with the JSON Schema (Draft 2020-12) of its `data` beyond `customer`, which every
    event carries; each PUT makes a new version, and events are checked against the latest.
    `unknown_fields`: `keep` or `refuse` top-level fields the schema does not name. A schema over its
    budgets (size, depth, keywords), with a remote `$ref`, or with a `pattern` RE2 cannot run in linear
    time is a 422 naming where. A new type beyond the workspace's quota `event_types`, or a version
    beyond `event_type_versions`, is a 409. Ingestion then refuses an event of an undeclared type, or
    one its schema refuses, with a 422 naming the field (`data.cart.total`); one published to Kafka
    directly is dead-lettered with that reason. Scope: `attributes:write`.

    Args:
        name (str): The custom event type's name: lower snake case, not a built-in type's.
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.
        body (EventTypeIn): One new version of a custom event type.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EventTypeInfo | Problem
    """

    return (
        await asyncio_detailed(
            name=name,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
