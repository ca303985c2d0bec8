from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.subscription_group_list import SubscriptionGroupList
from ...types import Response


def _get_kwargs() -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/subscription-groups",
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | SubscriptionGroupList | None:
    if response.status_code == 200:
        response_200 = SubscriptionGroupList.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

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
) -> Response[Problem | SubscriptionGroupList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
) -> Response[Problem | SubscriptionGroupList]:
    """Subscription groups

     The workspace's consent lists per channel (a newsletter by email, promotions by SMS), each opt-in or
    opt-out by default. A journey message names its group (`subscription_group`); without one it belongs
    to its channel's own group (`email`, `sms`, ...), opt-out unless a group of that id is defined.
    Scope: `customers:read`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SubscriptionGroupList]
    """

    kwargs = _get_kwargs()

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
) -> Problem | SubscriptionGroupList | None:
    """Subscription groups

     The workspace's consent lists per channel (a newsletter by email, promotions by SMS), each opt-in or
    opt-out by default. A journey message names its group (`subscription_group`); without one it belongs
    to its channel's own group (`email`, `sms`, ...), opt-out unless a group of that id is defined.
    Scope: `customers:read`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SubscriptionGroupList
    """

    return sync_detailed(
        client=client,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
) -> Response[Problem | SubscriptionGroupList]:
    """Subscription groups

     The workspace's consent lists per channel (a newsletter by email, promotions by SMS), each opt-in or
    opt-out by default. A journey message names its group (`subscription_group`); without one it belongs
    to its channel's own group (`email`, `sms`, ...), opt-out unless a group of that id is defined.
    Scope: `customers:read`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SubscriptionGroupList]
    """

    kwargs = _get_kwargs()

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
) -> Problem | SubscriptionGroupList | None:
    """Subscription groups

     The workspace's consent lists per channel (a newsletter by email, promotions by SMS), each opt-in or
    opt-out by default. A journey message names its group (`subscription_group`); without one it belongs
    to its channel's own group (`email`, `sms`, ...), opt-out unless a group of that id is defined.
    Scope: `customers:read`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SubscriptionGroupList
    """

    return (
        await asyncio_detailed(
            client=client,
        )
    ).parsed
