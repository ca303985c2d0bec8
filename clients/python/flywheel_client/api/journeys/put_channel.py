from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.channel_in import ChannelIn
from ...models.channel_view import ChannelView
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: ChannelIn,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/v1/channel",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ChannelView | Problem | None:
    if response.status_code == 200:
        response_200 = ChannelView.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())

        return response_415

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
) -> Response[ChannelView | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: ChannelIn,
    idempotency_key: str | Unset = UNSET,
) -> Response[ChannelView | Problem]:
    """Set the workspace's outreach channel

     Deliveries are POSTed to `webhook_url`, signed with the workspace's secret. The secret is in this
    answer only when it was just made (the first PUT, or `rotate_secret: true`); keep it then, it is
    never shown again, nor replayed for a retry with the same `Idempotency-Key` (409). After a rotation
    the secret before it keeps signing for 24 hours: each delivery carries two `v1=` signatures in
    `Flywheel-Signature` (the new secret's first), so a receiver verifying with either accepts it and
    can switch at any time in the overlap; rotating again within it ends the older secret at once. The
    secret is stored encrypted. Every change goes to the audit log (`channel.changed`,
    `channel.secret_rotated`). Scope: `admin`.

    Args:
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.
        body (ChannelIn): The workspace's outreach channel: journeys' webhook actions are POSTed
            here, signed with its secret.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ChannelView | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: ChannelIn,
    idempotency_key: str | Unset = UNSET,
) -> ChannelView | Problem | None:
    """Set the workspace's outreach channel

     Deliveries are POSTed to `webhook_url`, signed with the workspace's secret. The secret is in this
    answer only when it was just made (the first PUT, or `rotate_secret: true`); keep it then, it is
    never shown again, nor replayed for a retry with the same `Idempotency-Key` (409). After a rotation
    the secret before it keeps signing for 24 hours: each delivery carries two `v1=` signatures in
    `Flywheel-Signature` (the new secret's first), so a receiver verifying with either accepts it and
    can switch at any time in the overlap; rotating again within it ends the older secret at once. The
    secret is stored encrypted. Every change goes to the audit log (`channel.changed`,
    `channel.secret_rotated`). Scope: `admin`.

    Args:
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.
        body (ChannelIn): The workspace's outreach channel: journeys' webhook actions are POSTed
            here, signed with its secret.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ChannelView | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ChannelIn,
    idempotency_key: str | Unset = UNSET,
) -> Response[ChannelView | Problem]:
    """Set the workspace's outreach channel

     Deliveries are POSTed to `webhook_url`, signed with the workspace's secret. The secret is in this
    answer only when it was just made (the first PUT, or `rotate_secret: true`); keep it then, it is
    never shown again, nor replayed for a retry with the same `Idempotency-Key` (409). After a rotation
    the secret before it keeps signing for 24 hours: each delivery carries two `v1=` signatures in
    `Flywheel-Signature` (the new secret's first), so a receiver verifying with either accepts it and
    can switch at any time in the overlap; rotating again within it ends the older secret at once. The
    secret is stored encrypted. Every change goes to the audit log (`channel.changed`,
    `channel.secret_rotated`). Scope: `admin`.

    Args:
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.
        body (ChannelIn): The workspace's outreach channel: journeys' webhook actions are POSTed
            here, signed with its secret.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ChannelView | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: ChannelIn,
    idempotency_key: str | Unset = UNSET,
) -> ChannelView | Problem | None:
    """Set the workspace's outreach channel

     Deliveries are POSTed to `webhook_url`, signed with the workspace's secret. The secret is in this
    answer only when it was just made (the first PUT, or `rotate_secret: true`); keep it then, it is
    never shown again, nor replayed for a retry with the same `Idempotency-Key` (409). After a rotation
    the secret before it keeps signing for 24 hours: each delivery carries two `v1=` signatures in
    `Flywheel-Signature` (the new secret's first), so a receiver verifying with either accepts it and
    can switch at any time in the overlap; rotating again within it ends the older secret at once. The
    secret is stored encrypted. Every change goes to the audit log (`channel.changed`,
    `channel.secret_rotated`). Scope: `admin`.

    Args:
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.
        body (ChannelIn): The workspace's outreach channel: journeys' webhook actions are POSTed
            here, signed with its secret.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ChannelView | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
