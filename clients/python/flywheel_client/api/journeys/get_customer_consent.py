from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.customer_consent import CustomerConsent
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    customer_id: str,
    *,
    limit: int | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/customers/{customer_id}/consent".format(
            customer_id=quote(str(customer_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CustomerConsent | Problem | None:
    if response.status_code == 200:
        response_200 = CustomerConsent.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

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
) -> Response[CustomerConsent | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    customer_id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
) -> Response[CustomerConsent | Problem]:
    """A customer's consent

     The customer's current status per subscription group (the latest by event time, whatever the order
    events arrived in) and their changes, oldest first (at most `limit`, default 100): from `identify`
    traits (`subscriptions`), `consent` events and the one-click unsubscribe link (`source:
    unsubscribe_link`). A group with no status is its default. Scope: `customers:read`.

    Args:
        customer_id (str): A customer id.
        limit (int | Unset): Changes (default 100).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CustomerConsent | Problem]
    """

    kwargs = _get_kwargs(
        customer_id=customer_id,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    customer_id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
) -> CustomerConsent | Problem | None:
    """A customer's consent

     The customer's current status per subscription group (the latest by event time, whatever the order
    events arrived in) and their changes, oldest first (at most `limit`, default 100): from `identify`
    traits (`subscriptions`), `consent` events and the one-click unsubscribe link (`source:
    unsubscribe_link`). A group with no status is its default. Scope: `customers:read`.

    Args:
        customer_id (str): A customer id.
        limit (int | Unset): Changes (default 100).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CustomerConsent | Problem
    """

    return sync_detailed(
        customer_id=customer_id,
        client=client,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    customer_id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
) -> Response[CustomerConsent | Problem]:
    """A customer's consent

     The customer's current status per subscription group (the latest by event time, whatever the order
    events arrived in) and their changes, oldest first (at most `limit`, default 100): from `identify`
    traits (`subscriptions`), `consent` events and the one-click unsubscribe link (`source:
    unsubscribe_link`). A group with no status is its default. Scope: `customers:read`.

    Args:
        customer_id (str): A customer id.
        limit (int | Unset): Changes (default 100).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CustomerConsent | Problem]
    """

    kwargs = _get_kwargs(
        customer_id=customer_id,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    customer_id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
) -> CustomerConsent | Problem | None:
    """A customer's consent

     The customer's current status per subscription group (the latest by event time, whatever the order
    events arrived in) and their changes, oldest first (at most `limit`, default 100): from `identify`
    traits (`subscriptions`), `consent` events and the one-click unsubscribe link (`source:
    unsubscribe_link`). A group with no status is its default. Scope: `customers:read`.

    Args:
        customer_id (str): A customer id.
        limit (int | Unset): Changes (default 100).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CustomerConsent | Problem
    """

    return (
        await asyncio_detailed(
            customer_id=customer_id,
            client=client,
            limit=limit,
        )
    ).parsed
