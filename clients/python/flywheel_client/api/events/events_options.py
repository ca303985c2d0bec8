from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    webhook_request_origin: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(webhook_request_origin, Unset):
        headers["webhook-request-origin"] = webhook_request_origin

    _kwargs: dict[str, Any] = {
        "method": "options",
        "url": "/v1/events",
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | Problem | None:
    if response.status_code == 200:
        response_200 = cast(Any, None)
        return response_200

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    webhook_request_origin: str | Unset = UNSET,
) -> Response[Any | Problem]:
    """Methods of /v1/events, and the CloudEvents webhook validation

     Answers `Allow: OPTIONS, POST`. With `WebHook-Request-Origin` (the CloudEvents HTTP webhook's abuse
    protection handshake) it also grants the origin: `WebHook-Allowed-Origin` echoes it and `WebHook-
    Allowed-Rate` gives the requests a minute one API key may send. No API key needed (webhook senders
    validate without one; nothing of a workspace is shown); a `WebHook-Request-Callback` is not fetched,
    the answer itself grants.

    Args:
        webhook_request_origin (str | Unset): CloudEvents webhook validation (abuse protection):
            the sender asking to deliver here (a host name, or any printable ASCII without spaces).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
    """

    kwargs = _get_kwargs(
        webhook_request_origin=webhook_request_origin,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    webhook_request_origin: str | Unset = UNSET,
) -> Any | Problem | None:
    """Methods of /v1/events, and the CloudEvents webhook validation

     Answers `Allow: OPTIONS, POST`. With `WebHook-Request-Origin` (the CloudEvents HTTP webhook's abuse
    protection handshake) it also grants the origin: `WebHook-Allowed-Origin` echoes it and `WebHook-
    Allowed-Rate` gives the requests a minute one API key may send. No API key needed (webhook senders
    validate without one; nothing of a workspace is shown); a `WebHook-Request-Callback` is not fetched,
    the answer itself grants.

    Args:
        webhook_request_origin (str | Unset): CloudEvents webhook validation (abuse protection):
            the sender asking to deliver here (a host name, or any printable ASCII without spaces).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
    """

    return sync_detailed(
        client=client,
        webhook_request_origin=webhook_request_origin,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    webhook_request_origin: str | Unset = UNSET,
) -> Response[Any | Problem]:
    """Methods of /v1/events, and the CloudEvents webhook validation

     Answers `Allow: OPTIONS, POST`. With `WebHook-Request-Origin` (the CloudEvents HTTP webhook's abuse
    protection handshake) it also grants the origin: `WebHook-Allowed-Origin` echoes it and `WebHook-
    Allowed-Rate` gives the requests a minute one API key may send. No API key needed (webhook senders
    validate without one; nothing of a workspace is shown); a `WebHook-Request-Callback` is not fetched,
    the answer itself grants.

    Args:
        webhook_request_origin (str | Unset): CloudEvents webhook validation (abuse protection):
            the sender asking to deliver here (a host name, or any printable ASCII without spaces).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
    """

    kwargs = _get_kwargs(
        webhook_request_origin=webhook_request_origin,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    webhook_request_origin: str | Unset = UNSET,
) -> Any | Problem | None:
    """Methods of /v1/events, and the CloudEvents webhook validation

     Answers `Allow: OPTIONS, POST`. With `WebHook-Request-Origin` (the CloudEvents HTTP webhook's abuse
    protection handshake) it also grants the origin: `WebHook-Allowed-Origin` echoes it and `WebHook-
    Allowed-Rate` gives the requests a minute one API key may send. No API key needed (webhook senders
    validate without one; nothing of a workspace is shown); a `WebHook-Request-Callback` is not fetched,
    the answer itself grants.

    Args:
        webhook_request_origin (str | Unset): CloudEvents webhook validation (abuse protection):
            the sender asking to deliver here (a host name, or any printable ASCII without spaces).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            webhook_request_origin=webhook_request_origin,
        )
    ).parsed
