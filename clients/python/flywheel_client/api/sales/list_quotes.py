from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.list_quotes_status import ListQuotesStatus
from ...models.problem import Problem
from ...models.quote_page import QuotePage
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    status: ListQuotesStatus | Unset = UNSET,
    deal_id: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    params["cursor"] = cursor

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status.value

    params["status"] = json_status

    params["deal_id"] = deal_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/quotes",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | QuotePage | None:
    if response.status_code == 200:
        response_200 = QuotePage.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | QuotePage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    status: ListQuotesStatus | Unset = UNSET,
    deal_id: str | Unset = UNSET,
) -> Response[Problem | QuotePage]:
    """Quotes

     Oldest first, without their lines, each with its deal's title, owner and customer; optionally of one
    `status` (`pending_approval`: the quotes waiting for a manager's decision) or deal. Scope:
    `customers:read`.

    Args:
        limit (int | Unset): Page size (default 50; a larger one than 500 is taken as 500).
        cursor (str | Unset): The `next_cursor` of the previous page, as given (opaque: any other
            value is 422); empty or absent for the first page.
        status (ListQuotesStatus | Unset):
        deal_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | QuotePage]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
        status=status,
        deal_id=deal_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    status: ListQuotesStatus | Unset = UNSET,
    deal_id: str | Unset = UNSET,
) -> Problem | QuotePage | None:
    """Quotes

     Oldest first, without their lines, each with its deal's title, owner and customer; optionally of one
    `status` (`pending_approval`: the quotes waiting for a manager's decision) or deal. Scope:
    `customers:read`.

    Args:
        limit (int | Unset): Page size (default 50; a larger one than 500 is taken as 500).
        cursor (str | Unset): The `next_cursor` of the previous page, as given (opaque: any other
            value is 422); empty or absent for the first page.
        status (ListQuotesStatus | Unset):
        deal_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | QuotePage
    """

    return sync_detailed(
        client=client,
        limit=limit,
        cursor=cursor,
        status=status,
        deal_id=deal_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    status: ListQuotesStatus | Unset = UNSET,
    deal_id: str | Unset = UNSET,
) -> Response[Problem | QuotePage]:
    """Quotes

     Oldest first, without their lines, each with its deal's title, owner and customer; optionally of one
    `status` (`pending_approval`: the quotes waiting for a manager's decision) or deal. Scope:
    `customers:read`.

    Args:
        limit (int | Unset): Page size (default 50; a larger one than 500 is taken as 500).
        cursor (str | Unset): The `next_cursor` of the previous page, as given (opaque: any other
            value is 422); empty or absent for the first page.
        status (ListQuotesStatus | Unset):
        deal_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | QuotePage]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
        status=status,
        deal_id=deal_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    status: ListQuotesStatus | Unset = UNSET,
    deal_id: str | Unset = UNSET,
) -> Problem | QuotePage | None:
    """Quotes

     Oldest first, without their lines, each with its deal's title, owner and customer; optionally of one
    `status` (`pending_approval`: the quotes waiting for a manager's decision) or deal. Scope:
    `customers:read`.

    Args:
        limit (int | Unset): Page size (default 50; a larger one than 500 is taken as 500).
        cursor (str | Unset): The `next_cursor` of the previous page, as given (opaque: any other
            value is 422); empty or absent for the first page.
        status (ListQuotesStatus | Unset):
        deal_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | QuotePage
    """

    return (
        await asyncio_detailed(
            client=client,
            limit=limit,
            cursor=cursor,
            status=status,
            deal_id=deal_id,
        )
    ).parsed
