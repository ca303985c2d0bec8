from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.unsubscribed import Unsubscribed
from ...types import UNSET, Response


def _get_kwargs(
    *,
    token: str,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["token"] = token

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/unsubscribe",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | Unsubscribed | None:
    if response.status_code == 202:
        response_202 = Unsubscribed.from_dict(response.json())

        return response_202

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 410:
        response_410 = Problem.from_dict(response.json())

        return response_410

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | Unsubscribed]:
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
) -> Response[Problem | Unsubscribed]:
    """Unsubscribe through a message's one-click link (no API key)

     Every journey message's payload carries `unsubscribe.url`: this endpoint with a signed token naming
    the workspace, the customer and the subscription group (the message's, else its channel's own
    group), valid for a year. A POST unsubscribes at once (RFC 8058 one-click: put it in `List-
    Unsubscribe` with `List-Unsubscribe-Post: List-Unsubscribe=One-Click`; any small body is ignored):
    the token's signature is checked first (401), then its expiry (410), then the customer (410 when
    erased); an inbound `consent` event (`unsubscribed`, source `unsubscribe_link`) is published with an
    id derived from the token, so clicking twice counts once. From then on no journey message of that
    group (of any group of the channel, for a channel's own group) reaches the customer, and the
    journeys' stats count them under `deliveries.suppressed_reasons`. Each client address may call
    `FLYWHEEL_SURVEY_ANSWERS_PER_MINUTE` times a minute (429 beyond).

    Args:
        token (str): The link's signed token.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Unsubscribed]
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
) -> Problem | Unsubscribed | None:
    """Unsubscribe through a message's one-click link (no API key)

     Every journey message's payload carries `unsubscribe.url`: this endpoint with a signed token naming
    the workspace, the customer and the subscription group (the message's, else its channel's own
    group), valid for a year. A POST unsubscribes at once (RFC 8058 one-click: put it in `List-
    Unsubscribe` with `List-Unsubscribe-Post: List-Unsubscribe=One-Click`; any small body is ignored):
    the token's signature is checked first (401), then its expiry (410), then the customer (410 when
    erased); an inbound `consent` event (`unsubscribed`, source `unsubscribe_link`) is published with an
    id derived from the token, so clicking twice counts once. From then on no journey message of that
    group (of any group of the channel, for a channel's own group) reaches the customer, and the
    journeys' stats count them under `deliveries.suppressed_reasons`. Each client address may call
    `FLYWHEEL_SURVEY_ANSWERS_PER_MINUTE` times a minute (429 beyond).

    Args:
        token (str): The link's signed token.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Unsubscribed
    """

    return sync_detailed(
        client=client,
        token=token,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    token: str,
) -> Response[Problem | Unsubscribed]:
    """Unsubscribe through a message's one-click link (no API key)

     Every journey message's payload carries `unsubscribe.url`: this endpoint with a signed token naming
    the workspace, the customer and the subscription group (the message's, else its channel's own
    group), valid for a year. A POST unsubscribes at once (RFC 8058 one-click: put it in `List-
    Unsubscribe` with `List-Unsubscribe-Post: List-Unsubscribe=One-Click`; any small body is ignored):
    the token's signature is checked first (401), then its expiry (410), then the customer (410 when
    erased); an inbound `consent` event (`unsubscribed`, source `unsubscribe_link`) is published with an
    id derived from the token, so clicking twice counts once. From then on no journey message of that
    group (of any group of the channel, for a channel's own group) reaches the customer, and the
    journeys' stats count them under `deliveries.suppressed_reasons`. Each client address may call
    `FLYWHEEL_SURVEY_ANSWERS_PER_MINUTE` times a minute (429 beyond).

    Args:
        token (str): The link's signed token.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Unsubscribed]
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
) -> Problem | Unsubscribed | None:
    """Unsubscribe through a message's one-click link (no API key)

     Every journey message's payload carries `unsubscribe.url`: this endpoint with a signed token naming
    the workspace, the customer and the subscription group (the message's, else its channel's own
    group), valid for a year. A POST unsubscribes at once (RFC 8058 one-click: put it in `List-
    Unsubscribe` with `List-Unsubscribe-Post: List-Unsubscribe=One-Click`; any small body is ignored):
    the token's signature is checked first (401), then its expiry (410), then the customer (410 when
    erased); an inbound `consent` event (`unsubscribed`, source `unsubscribe_link`) is published with an
    id derived from the token, so clicking twice counts once. From then on no journey message of that
    group (of any group of the channel, for a channel's own group) reaches the customer, and the
    journeys' stats count them under `deliveries.suppressed_reasons`. Each client address may call
    `FLYWHEEL_SURVEY_ANSWERS_PER_MINUTE` times a minute (429 beyond).

    Args:
        token (str): The link's signed token.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Unsubscribed
    """

    return (
        await asyncio_detailed(
            client=client,
            token=token,
        )
    ).parsed
