from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.subscription_group import SubscriptionGroup
from ...models.subscription_group_in import SubscriptionGroupIn
from ...types import UNSET, Response, Unset


def _get_kwargs(
    group_id: str,
    *,
    body: SubscriptionGroupIn,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/v1/subscription-groups/{group_id}".format(
            group_id=quote(str(group_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | SubscriptionGroup | None:
    if response.status_code == 200:
        response_200 = SubscriptionGroup.from_dict(response.json())

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
) -> Response[Problem | SubscriptionGroup]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    group_id: str,
    *,
    client: AuthenticatedClient,
    body: SubscriptionGroupIn,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | SubscriptionGroup]:
    """Define or change a subscription group

     `default: opt_in`: a customer gets the group's messages only once they subscribed (identify trait
    `subscriptions: {"<group>": "subscribed"}`, or a `consent` event); `opt_out`: until they unsubscribe
    (the same, `unsubscribed`, or the one-click link every message carries). A new group beyond the
    workspace's quota `subscription_groups` is a 409. Scope: `journeys:write`.

    Args:
        group_id (str):
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.
        body (SubscriptionGroupIn): A subscription group: a channel's list (a newsletter by email,
            promotions by SMS) a journey message may
            name (`subscription_group`); `default` is what a customer with no known choice is:
            `opt_in` (nothing is sent
            until they subscribe) or `opt_out` (sent until they unsubscribe).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SubscriptionGroup]
    """

    kwargs = _get_kwargs(
        group_id=group_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    group_id: str,
    *,
    client: AuthenticatedClient,
    body: SubscriptionGroupIn,
    idempotency_key: str | Unset = UNSET,
) -> Problem | SubscriptionGroup | None:
    """Define or change a subscription group

     `default: opt_in`: a customer gets the group's messages only once they subscribed (identify trait
    `subscriptions: {"<group>": "subscribed"}`, or a `consent` event); `opt_out`: until they unsubscribe
    (the same, `unsubscribed`, or the one-click link every message carries). A new group beyond the
    workspace's quota `subscription_groups` is a 409. Scope: `journeys:write`.

    Args:
        group_id (str):
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.
        body (SubscriptionGroupIn): A subscription group: a channel's list (a newsletter by email,
            promotions by SMS) a journey message may
            name (`subscription_group`); `default` is what a customer with no known choice is:
            `opt_in` (nothing is sent
            until they subscribe) or `opt_out` (sent until they unsubscribe).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SubscriptionGroup
    """

    return sync_detailed(
        group_id=group_id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    group_id: str,
    *,
    client: AuthenticatedClient,
    body: SubscriptionGroupIn,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | SubscriptionGroup]:
    """Define or change a subscription group

     `default: opt_in`: a customer gets the group's messages only once they subscribed (identify trait
    `subscriptions: {"<group>": "subscribed"}`, or a `consent` event); `opt_out`: until they unsubscribe
    (the same, `unsubscribed`, or the one-click link every message carries). A new group beyond the
    workspace's quota `subscription_groups` is a 409. Scope: `journeys:write`.

    Args:
        group_id (str):
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.
        body (SubscriptionGroupIn): A subscription group: a channel's list (a newsletter by email,
            promotions by SMS) a journey message may
            name (`subscription_group`); `default` is what a customer with no known choice is:
            `opt_in` (nothing is sent
            until they subscribe) or `opt_out` (sent until they unsubscribe).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SubscriptionGroup]
    """

    kwargs = _get_kwargs(
        group_id=group_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    group_id: str,
    *,
    client: AuthenticatedClient,
    body: SubscriptionGroupIn,
    idempotency_key: str | Unset = UNSET,
) -> Problem | SubscriptionGroup | None:
    """Define or change a subscription group

     `default: opt_in`: a customer gets the group's messages only once they subscribed (identify trait
    `subscriptions: {"<group>": "subscribed"}`, or a `consent` event); `opt_out`: until they unsubscribe
    (the same, `unsubscribed`, or the one-click link every message carries). A new group beyond the
    workspace's quota `subscription_groups` is a 409. Scope: `journeys:write`.

    Args:
        group_id (str):
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.
        body (SubscriptionGroupIn): A subscription group: a channel's list (a newsletter by email,
            promotions by SMS) a journey message may
            name (`subscription_group`); `default` is what a customer with no known choice is:
            `opt_in` (nothing is sent
            until they subscribe) or `opt_out` (sent until they unsubscribe).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SubscriptionGroup
    """

    return (
        await asyncio_detailed(
            group_id=group_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
