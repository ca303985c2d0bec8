from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.quote import Quote
from ...models.quote_in import QuoteIn
from ...types import UNSET, Response, Unset


def _get_kwargs(
    deal_id: str,
    *,
    body: QuoteIn,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/deals/{deal_id}/quotes".format(
            deal_id=quote(str(deal_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | Quote | None:
    if response.status_code == 201:
        response_201 = Quote.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | Quote]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    deal_id: str,
    *,
    client: AuthenticatedClient,
    body: QuoteIn,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | Quote]:
    """Quote a deal

     Subtotal and total are computed (rounded to cents; lines adding up to more than 18 digits before the
    point are a 422). A discount above the workspace's threshold makes the quote `pending_approval`
    until a manager approves it. 409 for a closed deal. `requested_by` is the owner of the API key
    making the request (never taken from the body). A retry with the same `Idempotency-Key` answers the
    quote the first request made. Scope: `sales:write`.

    Args:
        deal_id (str):
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.
        body (QuoteIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Quote]
    """

    kwargs = _get_kwargs(
        deal_id=deal_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    deal_id: str,
    *,
    client: AuthenticatedClient,
    body: QuoteIn,
    idempotency_key: str | Unset = UNSET,
) -> Problem | Quote | None:
    """Quote a deal

     Subtotal and total are computed (rounded to cents; lines adding up to more than 18 digits before the
    point are a 422). A discount above the workspace's threshold makes the quote `pending_approval`
    until a manager approves it. 409 for a closed deal. `requested_by` is the owner of the API key
    making the request (never taken from the body). A retry with the same `Idempotency-Key` answers the
    quote the first request made. Scope: `sales:write`.

    Args:
        deal_id (str):
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.
        body (QuoteIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Quote
    """

    return sync_detailed(
        deal_id=deal_id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    deal_id: str,
    *,
    client: AuthenticatedClient,
    body: QuoteIn,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | Quote]:
    """Quote a deal

     Subtotal and total are computed (rounded to cents; lines adding up to more than 18 digits before the
    point are a 422). A discount above the workspace's threshold makes the quote `pending_approval`
    until a manager approves it. 409 for a closed deal. `requested_by` is the owner of the API key
    making the request (never taken from the body). A retry with the same `Idempotency-Key` answers the
    quote the first request made. Scope: `sales:write`.

    Args:
        deal_id (str):
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.
        body (QuoteIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Quote]
    """

    kwargs = _get_kwargs(
        deal_id=deal_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    deal_id: str,
    *,
    client: AuthenticatedClient,
    body: QuoteIn,
    idempotency_key: str | Unset = UNSET,
) -> Problem | Quote | None:
    """Quote a deal

     Subtotal and total are computed (rounded to cents; lines adding up to more than 18 digits before the
    point are a 422). A discount above the workspace's threshold makes the quote `pending_approval`
    until a manager approves it. 409 for a closed deal. `requested_by` is the owner of the API key
    making the request (never taken from the body). A retry with the same `Idempotency-Key` answers the
    quote the first request made. Scope: `sales:write`.

    Args:
        deal_id (str):
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.
        body (QuoteIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Quote
    """

    return (
        await asyncio_detailed(
            deal_id=deal_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
