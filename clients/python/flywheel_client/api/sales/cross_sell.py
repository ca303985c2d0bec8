from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.cross_sell import CrossSell
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    category: str | Unset = UNSET,
    min_support: float | Unset = 0.01,
    min_customers: int | Unset = 2,
    limit: int | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["category"] = category

    params["min_support"] = min_support

    params["min_customers"] = min_customers

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/cross-sell-suggestions",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> CrossSell | Problem | None:
    if response.status_code == 200:
        response_200 = CrossSell.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[CrossSell | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    category: str | Unset = UNSET,
    min_support: float | Unset = 0.01,
    min_customers: int | Unset = 2,
    limit: int | Unset = UNSET,
) -> Response[CrossSell | Problem]:
    """Cross-sell suggestions

     Association rules A → B over the categories each customer bought: support, confidence and lift, best
    lift first; optionally only those starting from one `category`. Scope: `customers:read`.

    Args:
        category (str | Unset): Only suggestions for buyers of this.
        min_support (float | Unset): Least share of buyers with both. Default: 0.01.
        min_customers (int | Unset): Least customers with both. Default: 2.
        limit (int | Unset): Most suggestions (default 50; a larger one than 500 is taken as 500).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CrossSell | Problem]
    """

    kwargs = _get_kwargs(
        category=category,
        min_support=min_support,
        min_customers=min_customers,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    category: str | Unset = UNSET,
    min_support: float | Unset = 0.01,
    min_customers: int | Unset = 2,
    limit: int | Unset = UNSET,
) -> CrossSell | Problem | None:
    """Cross-sell suggestions

     Association rules A → B over the categories each customer bought: support, confidence and lift, best
    lift first; optionally only those starting from one `category`. Scope: `customers:read`.

    Args:
        category (str | Unset): Only suggestions for buyers of this.
        min_support (float | Unset): Least share of buyers with both. Default: 0.01.
        min_customers (int | Unset): Least customers with both. Default: 2.
        limit (int | Unset): Most suggestions (default 50; a larger one than 500 is taken as 500).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CrossSell | Problem
    """

    return sync_detailed(
        client=client,
        category=category,
        min_support=min_support,
        min_customers=min_customers,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    category: str | Unset = UNSET,
    min_support: float | Unset = 0.01,
    min_customers: int | Unset = 2,
    limit: int | Unset = UNSET,
) -> Response[CrossSell | Problem]:
    """Cross-sell suggestions

     Association rules A → B over the categories each customer bought: support, confidence and lift, best
    lift first; optionally only those starting from one `category`. Scope: `customers:read`.

    Args:
        category (str | Unset): Only suggestions for buyers of this.
        min_support (float | Unset): Least share of buyers with both. Default: 0.01.
        min_customers (int | Unset): Least customers with both. Default: 2.
        limit (int | Unset): Most suggestions (default 50; a larger one than 500 is taken as 500).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CrossSell | Problem]
    """

    kwargs = _get_kwargs(
        category=category,
        min_support=min_support,
        min_customers=min_customers,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    category: str | Unset = UNSET,
    min_support: float | Unset = 0.01,
    min_customers: int | Unset = 2,
    limit: int | Unset = UNSET,
) -> CrossSell | Problem | None:
    """Cross-sell suggestions

     Association rules A → B over the categories each customer bought: support, confidence and lift, best
    lift first; optionally only those starting from one `category`. Scope: `customers:read`.

    Args:
        category (str | Unset): Only suggestions for buyers of this.
        min_support (float | Unset): Least share of buyers with both. Default: 0.01.
        min_customers (int | Unset): Least customers with both. Default: 2.
        limit (int | Unset): Most suggestions (default 50; a larger one than 500 is taken as 500).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CrossSell | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            category=category,
            min_support=min_support,
            min_customers=min_customers,
            limit=limit,
        )
    ).parsed
