from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.key_with_secret import KeyWithSecret
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    key_id: str,
    *,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/keys/{key_id}/rotate".format(
            key_id=quote(str(key_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> KeyWithSecret | Problem | None:
    if response.status_code == 200:
        response_200 = KeyWithSecret.from_dict(response.json())

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

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

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
) -> Response[KeyWithSecret | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    key_id: str,
    *,
    client: AuthenticatedClient,
    idempotency_key: str | Unset = UNSET,
) -> Response[KeyWithSecret | Problem]:
    """Rotate an API key

     A new secret for the key, same id and scopes; the answer holds it, once. The old secret keeps
    working for `FLYWHEEL_KEY_ROTATION_GRACE_HOURS` (default 24 h) so clients can switch over, then
    stops. Only one old secret is kept: rotating again ends the previous one's grace at once. A revoked
    key cannot be rotated (409), nor can the workspace's last live admin key (409: create a second admin
    key first, so a lost answer cannot lock the workspace out). The new secret is never stored, so a
    retry with the same `Idempotency-Key` answers 409. Scope: `admin`.

    Args:
        key_id (str): The key's id.
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[KeyWithSecret | Problem]
    """

    kwargs = _get_kwargs(
        key_id=key_id,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    key_id: str,
    *,
    client: AuthenticatedClient,
    idempotency_key: str | Unset = UNSET,
) -> KeyWithSecret | Problem | None:
    """Rotate an API key

     A new secret for the key, same id and scopes; the answer holds it, once. The old secret keeps
    working for `FLYWHEEL_KEY_ROTATION_GRACE_HOURS` (default 24 h) so clients can switch over, then
    stops. Only one old secret is kept: rotating again ends the previous one's grace at once. A revoked
    key cannot be rotated (409), nor can the workspace's last live admin key (409: create a second admin
    key first, so a lost answer cannot lock the workspace out). The new secret is never stored, so a
    retry with the same `Idempotency-Key` answers 409. Scope: `admin`.

    Args:
        key_id (str): The key's id.
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        KeyWithSecret | Problem
    """

    return sync_detailed(
        key_id=key_id,
        client=client,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    key_id: str,
    *,
    client: AuthenticatedClient,
    idempotency_key: str | Unset = UNSET,
) -> Response[KeyWithSecret | Problem]:
    """Rotate an API key

     A new secret for the key, same id and scopes; the answer holds it, once. The old secret keeps
    working for `FLYWHEEL_KEY_ROTATION_GRACE_HOURS` (default 24 h) so clients can switch over, then
    stops. Only one old secret is kept: rotating again ends the previous one's grace at once. A revoked
    key cannot be rotated (409), nor can the workspace's last live admin key (409: create a second admin
    key first, so a lost answer cannot lock the workspace out). The new secret is never stored, so a
    retry with the same `Idempotency-Key` answers 409. Scope: `admin`.

    Args:
        key_id (str): The key's id.
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[KeyWithSecret | Problem]
    """

    kwargs = _get_kwargs(
        key_id=key_id,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    key_id: str,
    *,
    client: AuthenticatedClient,
    idempotency_key: str | Unset = UNSET,
) -> KeyWithSecret | Problem | None:
    """Rotate an API key

     A new secret for the key, same id and scopes; the answer holds it, once. The old secret keeps
    working for `FLYWHEEL_KEY_ROTATION_GRACE_HOURS` (default 24 h) so clients can switch over, then
    stops. Only one old secret is kept: rotating again ends the previous one's grace at once. A revoked
    key cannot be rotated (409), nor can the workspace's last live admin key (409: create a second admin
    key first, so a lost answer cannot lock the workspace out). The new secret is never stored, so a
    retry with the same `Idempotency-Key` answers 409. Scope: `admin`.

    Args:
        key_id (str): The key's id.
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        KeyWithSecret | Problem
    """

    return (
        await asyncio_detailed(
            key_id=key_id,
            client=client,
            idempotency_key=idempotency_key,
        )
    ).parsed
