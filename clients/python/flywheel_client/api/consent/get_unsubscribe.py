from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.unsubscribe_preview import UnsubscribePreview
from ...types import UNSET, Response


def _get_kwargs(
    *,
    token: str,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["token"] = token

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/unsubscribe",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | UnsubscribePreview | None:
    if response.status_code == 200:
        response_200 = UnsubscribePreview.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 410:
        response_410 = Problem.from_dict(response.json())

        return response_410

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


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | UnsubscribePreview]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    token: str,
) -> Response[Problem | UnsubscribePreview]:
    """What a one-click unsubscribe link does (no API key)

     Changes nothing (link scanners follow URLs): answers the group the link unsubscribes from, as JSON,
    or as a small HTML page with a button that POSTs to the same URL when the client asks for
    `text/html`. 401 for a token this deployment did not sign, 410 once expired.

    Args:
        token (str): The link's signed token.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | UnsubscribePreview]
    """

    kwargs = _get_kwargs(
        token=token,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    token: str,
) -> Problem | UnsubscribePreview | None:
    """What a one-click unsubscribe link does (no API key)

     Changes nothing (link scanners follow URLs): answers the group the link unsubscribes from, as JSON,
    or as a small HTML page with a button that POSTs to the same URL when the client asks for
    `text/html`. 401 for a token this deployment did not sign, 410 once expired.

    Args:
        token (str): The link's signed token.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | UnsubscribePreview
    """

    return sync_detailed(
        client=client,
        token=token,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    token: str,
) -> Response[Problem | UnsubscribePreview]:
    """What a one-click unsubscribe link does (no API key)

     Changes nothing (link scanners follow URLs): answers the group the link unsubscribes from, as JSON,
    or as a small HTML page with a button that POSTs to the same URL when the client asks for
    `text/html`. 401 for a token this deployment did not sign, 410 once expired.

    Args:
        token (str): The link's signed token.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | UnsubscribePreview]
    """

    kwargs = _get_kwargs(
        token=token,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    token: str,
) -> Problem | UnsubscribePreview | None:
    """What a one-click unsubscribe link does (no API key)

     Changes nothing (link scanners follow URLs): answers the group the link unsubscribes from, as JSON,
    or as a small HTML page with a button that POSTs to the same URL when the client asks for
    `text/html`. 401 for a token this deployment did not sign, 410 once expired.

    Args:
        token (str): The link's signed token.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | UnsubscribePreview
    """

    return (
        await asyncio_detailed(
            client=client,
            token=token,
        )
    ).parsed
