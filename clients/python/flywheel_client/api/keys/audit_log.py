from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.audit_page import AuditPage
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
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
        "url": "/v1/audit-log",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> AuditPage | Problem | None:
    if response.status_code == 200:
        response_200 = AuditPage.from_dict(response.json())

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

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[AuditPage | Problem]:
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
) -> Response[AuditPage | Problem]:
    """The audit log

     Newest first: key changes, customer erasures and exports, quote approvals and rejections, journey
    changes (created, updated, activated, paused, archived) and channel changes. Who (the acting key and
    its owner), what, on what, when, how it ended (`outcome`), and the request's id and trace id.
    Changes made in another service are logged before they are asked for and completed from the answer:
    `done`, `refused` (nothing changed), `unknown` (no clear answer: it may have happened) or, left
    `requested`, the gateway stopped before it could tell. Scope: `admin`.

    Args:
        limit (int | Unset): Page size (default 50; a larger one than 500 is taken as 500).
        cursor (str | Unset): The `next_cursor` of the previous page, as given (opaque: any other
            value is 422); empty or absent for the first page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AuditPage | Problem]
    """

    kwargs = _get_kwargs(
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
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> AuditPage | Problem | None:
    """The audit log

     Newest first: key changes, customer erasures and exports, quote approvals and rejections, journey
    changes (created, updated, activated, paused, archived) and channel changes. Who (the acting key and
    its owner), what, on what, when, how it ended (`outcome`), and the request's id and trace id.
    Changes made in another service are logged before they are asked for and completed from the answer:
    `done`, `refused` (nothing changed), `unknown` (no clear answer: it may have happened) or, left
    `requested`, the gateway stopped before it could tell. Scope: `admin`.

    Args:
        limit (int | Unset): Page size (default 50; a larger one than 500 is taken as 500).
        cursor (str | Unset): The `next_cursor` of the previous page, as given (opaque: any other
            value is 422); empty or absent for the first page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AuditPage | Problem
    """

    return sync_detailed(
        client=client,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> Response[AuditPage | Problem]:
    """The audit log

     Newest first: key changes, customer erasures and exports, quote approvals and rejections, journey
    changes (created, updated, activated, paused, archived) and channel changes. Who (the acting key and
    its owner), what, on what, when, how it ended (`outcome`), and the request's id and trace id.
    Changes made in another service are logged before they are asked for and completed from the answer:
    `done`, `refused` (nothing changed), `unknown` (no clear answer: it may have happened) or, left
    `requested`, the gateway stopped before it could tell. Scope: `admin`.

    Args:
        limit (int | Unset): Page size (default 50; a larger one than 500 is taken as 500).
        cursor (str | Unset): The `next_cursor` of the previous page, as given (opaque: any other
            value is 422); empty or absent for the first page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AuditPage | Problem]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> AuditPage | Problem | None:
    """The audit log

     Newest first: key changes, customer erasures and exports, quote approvals and rejections, journey
    changes (created, updated, activated, paused, archived) and channel changes. Who (the acting key and
    its owner), what, on what, when, how it ended (`outcome`), and the request's id and trace id.
    Changes made in another service are logged before they are asked for and completed from the answer:
    `done`, `refused` (nothing changed), `unknown` (no clear answer: it may have happened) or, left
    `requested`, the gateway stopped before it could tell. Scope: `admin`.

    Args:
        limit (int | Unset): Page size (default 50; a larger one than 500 is taken as 500).
        cursor (str | Unset): The `next_cursor` of the previous page, as given (opaque: any other
            value is 422); empty or absent for the first page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AuditPage | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
