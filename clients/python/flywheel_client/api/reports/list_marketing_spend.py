import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.spend_page import SpendPage
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    from_: datetime.date | Unset = UNSET,
    to: datetime.date | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_from_: str | Unset = UNSET
    if not isinstance(from_, Unset):
        json_from_ = from_.isoformat()
    params["from"] = json_from_

    json_to: str | Unset = UNSET
    if not isinstance(to, Unset):
        json_to = to.isoformat()
    params["to"] = json_to

    params["limit"] = limit

    params["cursor"] = cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/marketing-spend",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | SpendPage | None:
    if response.status_code == 200:
        response_200 = SpendPage.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | SpendPage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    from_: datetime.date | Unset = UNSET,
    to: datetime.date | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> Response[Problem | SpendPage]:
    """The marketing spend sent, by date

     The workspace's spend rows with dates in [`from`, `to`) (either may be left out), by date, channel
    and campaign, page by page (`limit`, `cursor`), as stored: what a client sent, after replacements.
    Scope: `customers:read`.

    Args:
        from_ (datetime.date | Unset): First day, inclusive (YYYY-MM-DD).
        to (datetime.date | Unset): Last day, exclusive (YYYY-MM-DD).
        limit (int | Unset): Page size (default 50; a larger one than 500 is taken as 500).
        cursor (str | Unset): The `next_cursor` of the previous page, as given (opaque: any other
            value is 422); empty or absent for the first page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SpendPage]
    """

    kwargs = _get_kwargs(
        from_=from_,
        to=to,
        limit=limit,
        cursor=cursor,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    from_: datetime.date | Unset = UNSET,
    to: datetime.date | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> Problem | SpendPage | None:
    """The marketing spend sent, by date

     The workspace's spend rows with dates in [`from`, `to`) (either may be left out), by date, channel
    and campaign, page by page (`limit`, `cursor`), as stored: what a client sent, after replacements.
    Scope: `customers:read`.

    Args:
        from_ (datetime.date | Unset): First day, inclusive (YYYY-MM-DD).
        to (datetime.date | Unset): Last day, exclusive (YYYY-MM-DD).
        limit (int | Unset): Page size (default 50; a larger one than 500 is taken as 500).
        cursor (str | Unset): The `next_cursor` of the previous page, as given (opaque: any other
            value is 422); empty or absent for the first page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SpendPage
    """

    return sync_detailed(
        client=client,
        from_=from_,
        to=to,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    from_: datetime.date | Unset = UNSET,
    to: datetime.date | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> Response[Problem | SpendPage]:
    """The marketing spend sent, by date

     The workspace's spend rows with dates in [`from`, `to`) (either may be left out), by date, channel
    and campaign, page by page (`limit`, `cursor`), as stored: what a client sent, after replacements.
    Scope: `customers:read`.

    Args:
        from_ (datetime.date | Unset): First day, inclusive (YYYY-MM-DD).
        to (datetime.date | Unset): Last day, exclusive (YYYY-MM-DD).
        limit (int | Unset): Page size (default 50; a larger one than 500 is taken as 500).
        cursor (str | Unset): The `next_cursor` of the previous page, as given (opaque: any other
            value is 422); empty or absent for the first page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SpendPage]
    """

    kwargs = _get_kwargs(
        from_=from_,
        to=to,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    from_: datetime.date | Unset = UNSET,
    to: datetime.date | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> Problem | SpendPage | None:
    """The marketing spend sent, by date

     The workspace's spend rows with dates in [`from`, `to`) (either may be left out), by date, channel
    and campaign, page by page (`limit`, `cursor`), as stored: what a client sent, after replacements.
    Scope: `customers:read`.

    Args:
        from_ (datetime.date | Unset): First day, inclusive (YYYY-MM-DD).
        to (datetime.date | Unset): Last day, exclusive (YYYY-MM-DD).
        limit (int | Unset): Page size (default 50; a larger one than 500 is taken as 500).
        cursor (str | Unset): The `next_cursor` of the previous page, as given (opaque: any other
            value is 422); empty or absent for the first page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SpendPage
    """

    return (
        await asyncio_detailed(
            client=client,
            from_=from_,
            to=to,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
