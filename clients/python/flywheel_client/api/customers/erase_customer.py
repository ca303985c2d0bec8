from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.erasure_accepted import ErasureAccepted
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    customer_id: str,
    *,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/v1/customers/{customer_id}".format(
            customer_id=quote(str(customer_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErasureAccepted | Problem | None:
    if response.status_code == 202:
        response_202 = ErasureAccepted.from_dict(response.json())

        return response_202

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
) -> Response[ErasureAccepted | Problem]:
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
    idempotency_key: str | Unset = UNSET,
) -> Response[ErasureAccepted | Problem]:
    """Erase a customer everywhere (right to be forgotten)

     Erases the customer and every id merged into it; other services follow from the erasure event. The
    erasure lasts: later events carrying any identifier the customer had (replayed, re-sent, or new) are
    dropped and bring nobody back, until `POST /v1/customers/reconsent` lifts it for an identifier.
    Answers stored for Idempotency-Key retries that name the customer are redacted (a retry answers
    409). Scope: `customers:erase`.

    Args:
        customer_id (str): A customer id (merged-away ids answer the survivor).
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErasureAccepted | Problem]
    """

    kwargs = _get_kwargs(
        customer_id=customer_id,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    customer_id: str,
    *,
    client: AuthenticatedClient,
    idempotency_key: str | Unset = UNSET,
) -> ErasureAccepted | Problem | None:
    """Erase a customer everywhere (right to be forgotten)

     Erases the customer and every id merged into it; other services follow from the erasure event. The
    erasure lasts: later events carrying any identifier the customer had (replayed, re-sent, or new) are
    dropped and bring nobody back, until `POST /v1/customers/reconsent` lifts it for an identifier.
    Answers stored for Idempotency-Key retries that name the customer are redacted (a retry answers
    409). Scope: `customers:erase`.

    Args:
        customer_id (str): A customer id (merged-away ids answer the survivor).
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErasureAccepted | Problem
    """

    return sync_detailed(
        customer_id=customer_id,
        client=client,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    customer_id: str,
    *,
    client: AuthenticatedClient,
    idempotency_key: str | Unset = UNSET,
) -> Response[ErasureAccepted | Problem]:
    """Erase a customer everywhere (right to be forgotten)

     Erases the customer and every id merged into it; other services follow from the erasure event. The
    erasure lasts: later events carrying any identifier the customer had (replayed, re-sent, or new) are
    dropped and bring nobody back, until `POST /v1/customers/reconsent` lifts it for an identifier.
    Answers stored for Idempotency-Key retries that name the customer are redacted (a retry answers
    409). Scope: `customers:erase`.

    Args:
        customer_id (str): A customer id (merged-away ids answer the survivor).
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErasureAccepted | Problem]
    """

    kwargs = _get_kwargs(
        customer_id=customer_id,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    customer_id: str,
    *,
    client: AuthenticatedClient,
    idempotency_key: str | Unset = UNSET,
) -> ErasureAccepted | Problem | None:
    """Erase a customer everywhere (right to be forgotten)

     Erases the customer and every id merged into it; other services follow from the erasure event. The
    erasure lasts: later events carrying any identifier the customer had (replayed, re-sent, or new) are
    dropped and bring nobody back, until `POST /v1/customers/reconsent` lifts it for an identifier.
    Answers stored for Idempotency-Key retries that name the customer are redacted (a retry answers
    409). Scope: `customers:erase`.

    Args:
        customer_id (str): A customer id (merged-away ids answer the survivor).
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErasureAccepted | Problem
    """

    return (
        await asyncio_detailed(
            customer_id=customer_id,
            client=client,
            idempotency_key=idempotency_key,
        )
    ).parsed
