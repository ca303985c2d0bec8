from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.suppressions_changed import SuppressionsChanged
from ...models.suppressions_in import SuppressionsIn
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: SuppressionsIn,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/suppressions",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | SuppressionsChanged | None:
    if response.status_code == 200:
        response_200 = SuppressionsChanged.from_dict(response.json())

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
) -> Response[Problem | SuppressionsChanged]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: SuppressionsIn,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | SuppressionsChanged]:
    """Add hashed identifiers to the suppression list

     Lower-case hex sha256 of a normalised email (trimmed, lower-cased) or phone number (E.164), at most
    1000 a call. No journey message reaches a customer whose events carried one of them, transactional
    messages included; a message waiting to be sent is stopped (its journey's stats count it
    `suppressed`). Hashes already listed change nothing. Beyond the workspace's quota `suppressions`:
    409. Scope: `journeys:write`.

    Args:
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.
        body (SuppressionsIn): Hashed identifiers to add to the workspace's suppression list: no
            journey message reaches a customer
            carrying one of them, transactional ones included.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SuppressionsChanged]
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
    body: SuppressionsIn,
    idempotency_key: str | Unset = UNSET,
) -> Problem | SuppressionsChanged | None:
    """Add hashed identifiers to the suppression list

     Lower-case hex sha256 of a normalised email (trimmed, lower-cased) or phone number (E.164), at most
    1000 a call. No journey message reaches a customer whose events carried one of them, transactional
    messages included; a message waiting to be sent is stopped (its journey's stats count it
    `suppressed`). Hashes already listed change nothing. Beyond the workspace's quota `suppressions`:
    409. Scope: `journeys:write`.

    Args:
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.
        body (SuppressionsIn): Hashed identifiers to add to the workspace's suppression list: no
            journey message reaches a customer
            carrying one of them, transactional ones included.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SuppressionsChanged
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: SuppressionsIn,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | SuppressionsChanged]:
    """Add hashed identifiers to the suppression list

     Lower-case hex sha256 of a normalised email (trimmed, lower-cased) or phone number (E.164), at most
    1000 a call. No journey message reaches a customer whose events carried one of them, transactional
    messages included; a message waiting to be sent is stopped (its journey's stats count it
    `suppressed`). Hashes already listed change nothing. Beyond the workspace's quota `suppressions`:
    409. Scope: `journeys:write`.

    Args:
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.
        body (SuppressionsIn): Hashed identifiers to add to the workspace's suppression list: no
            journey message reaches a customer
            carrying one of them, transactional ones included.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SuppressionsChanged]
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
    body: SuppressionsIn,
    idempotency_key: str | Unset = UNSET,
) -> Problem | SuppressionsChanged | None:
    """Add hashed identifiers to the suppression list

     Lower-case hex sha256 of a normalised email (trimmed, lower-cased) or phone number (E.164), at most
    1000 a call. No journey message reaches a customer whose events carried one of them, transactional
    messages included; a message waiting to be sent is stopped (its journey's stats count it
    `suppressed`). Hashes already listed change nothing. Beyond the workspace's quota `suppressions`:
    409. Scope: `journeys:write`.

    Args:
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.
        body (SuppressionsIn): Hashed identifiers to add to the workspace's suppression list: no
            journey message reaches a customer
            carrying one of them, transactional ones included.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SuppressionsChanged
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
