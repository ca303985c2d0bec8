from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.current_key import CurrentKey
from ...models.problem import Problem
from ...types import Response


def _get_kwargs() -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/keys/current",
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> CurrentKey | Problem | None:
    if response.status_code == 200:
        response_200 = CurrentKey.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[CurrentKey | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
) -> Response[CurrentKey | Problem]:
    """The API key of this request

     The key the request is made with, never its secret: its id, name, workspace, scopes and owner (null
    when it was made without one), and, when the request used a rotated key's old secret, when that
    secret stops working (`expires_at`). Any valid key may read itself, whatever its scopes; no key
    reads another. Clients such as the console use it to learn what the key may do (hide what it may
    not) and whom it acts for.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CurrentKey | Problem]
    """

    kwargs = _get_kwargs()

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
) -> CurrentKey | Problem | None:
    """The API key of this request

     The key the request is made with, never its secret: its id, name, workspace, scopes and owner (null
    when it was made without one), and, when the request used a rotated key's old secret, when that
    secret stops working (`expires_at`). Any valid key may read itself, whatever its scopes; no key
    reads another. Clients such as the console use it to learn what the key may do (hide what it may
    not) and whom it acts for.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CurrentKey | Problem
    """

    return sync_detailed(
        client=client,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
) -> Response[CurrentKey | Problem]:
    """The API key of this request

     The key the request is made with, never its secret: its id, name, workspace, scopes and owner (null
    when it was made without one), and, when the request used a rotated key's old secret, when that
    secret stops working (`expires_at`). Any valid key may read itself, whatever its scopes; no key
    reads another. Clients such as the console use it to learn what the key may do (hide what it may
    not) and whom it acts for.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CurrentKey | Problem]
    """

    kwargs = _get_kwargs()

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
) -> CurrentKey | Problem | None:
    """The API key of this request

     The key the request is made with, never its secret: its id, name, workspace, scopes and owner (null
    when it was made without one), and, when the request used a rotated key's old secret, when that
    secret stops working (`expires_at`). Any valid key may read itself, whatever its scopes; no key
    reads another. Clients such as the console use it to learn what the key may do (hide what it may
    not) and whom it acts for.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CurrentKey | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
        )
    ).parsed
