from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.merge_page import MergePage
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    customer_id: str,
    *,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    params["cursor"] = cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/customers/{customer_id}/merges".format(
            customer_id=quote(str(customer_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> MergePage | Problem | None:
    if response.status_code == 200:
        response_200 = MergePage.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[MergePage | Problem]:
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
    cursor: str | Unset = UNSET,
) -> Response[MergePage | Problem]:
    """A customer's merge history, newest first

     Every merge of two profiles this customer took part in (as the survivor or as the profile merged
    away; any id that resolves to the customer names the same history): the merge id, the cause (the
    event that carried identifiers of both, those identifiers, the reason), when it happened and whether
    it was undone (when, why). Cursor pagination: `limit` (default 50; values above 500 are treated as
    500) and the `next_cursor` of the previous page. Scope: `customers:read`.

    Args:
        customer_id (str): A customer id (merged-away ids answer the survivor).
        limit (int | Unset): Page size (default 50; a larger one than 500 is taken as 500).
        cursor (str | Unset): The `next_cursor` of the previous page, as given (opaque: any other
            value is 422); empty or absent for the first page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MergePage | Problem]
    """

    kwargs = _get_kwargs(
        customer_id=customer_id,
        limit=limit,
        cursor=cursor,
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
    cursor: str | Unset = UNSET,
) -> MergePage | Problem | None:
    """A customer's merge history, newest first

     Every merge of two profiles this customer took part in (as the survivor or as the profile merged
    away; any id that resolves to the customer names the same history): the merge id, the cause (the
    event that carried identifiers of both, those identifiers, the reason), when it happened and whether
    it was undone (when, why). Cursor pagination: `limit` (default 50; values above 500 are treated as
    500) and the `next_cursor` of the previous page. Scope: `customers:read`.

    Args:
        customer_id (str): A customer id (merged-away ids answer the survivor).
        limit (int | Unset): Page size (default 50; a larger one than 500 is taken as 500).
        cursor (str | Unset): The `next_cursor` of the previous page, as given (opaque: any other
            value is 422); empty or absent for the first page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MergePage | Problem
    """

    return sync_detailed(
        customer_id=customer_id,
        client=client,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    customer_id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> Response[MergePage | Problem]:
    """A customer's merge history, newest first

     Every merge of two profiles this customer took part in (as the survivor or as the profile merged
    away; any id that resolves to the customer names the same history): the merge id, the cause (the
    event that carried identifiers of both, those identifiers, the reason), when it happened and whether
    it was undone (when, why). Cursor pagination: `limit` (default 50; values above 500 are treated as
    500) and the `next_cursor` of the previous page. Scope: `customers:read`.

    Args:
        customer_id (str): A customer id (merged-away ids answer the survivor).
        limit (int | Unset): Page size (default 50; a larger one than 500 is taken as 500).
        cursor (str | Unset): The `next_cursor` of the previous page, as given (opaque: any other
            value is 422); empty or absent for the first page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MergePage | Problem]
    """

    kwargs = _get_kwargs(
        customer_id=customer_id,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    customer_id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> MergePage | Problem | None:
    """A customer's merge history, newest first

     Every merge of two profiles this customer took part in (as the survivor or as the profile merged
    away; any id that resolves to the customer names the same history): the merge id, the cause (the
    event that carried identifiers of both, those identifiers, the reason), when it happened and whether
    it was undone (when, why). Cursor pagination: `limit` (default 50; values above 500 are treated as
    500) and the `next_cursor` of the previous page. Scope: `customers:read`.

    Args:
        customer_id (str): A customer id (merged-away ids answer the survivor).
        limit (int | Unset): Page size (default 50; a larger one than 500 is taken as 500).
        cursor (str | Unset): The `next_cursor` of the previous page, as given (opaque: any other
            value is 422); empty or absent for the first page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MergePage | Problem
    """

    return (
        await asyncio_detailed(
            customer_id=customer_id,
            client=client,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
