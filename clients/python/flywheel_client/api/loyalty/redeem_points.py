from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.points_short import PointsShort
from ...models.problem import Problem
from ...models.redemption import Redemption
from ...models.redemption_in import RedemptionIn
from ...types import UNSET, Response, Unset


def _get_kwargs(
    customer_id: str,
    *,
    body: RedemptionIn,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/customers/{customer_id}/points/redemptions".format(
            customer_id=quote(str(customer_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PointsShort | Problem | Redemption | None:
    if response.status_code == 200:
        response_200 = Redemption.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = Redemption.from_dict(response.json())

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
        response_409 = PointsShort.from_dict(response.json())

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
) -> Response[PointsShort | Problem | Redemption]:
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
    body: RedemptionIn,
    idempotency_key: str | Unset = UNSET,
) -> Response[PointsShort | Problem | Redemption]:
    """Spend a customer's points on an order

     Holds `points` for the order `order_id` (201): they leave `available` at once and are redeemed when
    the order's purchase arrives, or released if it has not arrived within the program's `hold_minutes`.
    One redemption per order: asking again for the same order answers the existing one (200), so a retry
    is safe even without an `Idempotency-Key`. Too few points free: 409 with `available`, the points
    that could be spent instead; concurrent requests for one customer never spend more than the balance.
    Below the program's minimum, above its share of `order_total` (needed when the program caps the
    share; a decimal of at most 20 digits, 6 after the point) or without an active program: 422 or 409
    naming why. An id of no live customer of the workspace answers 404; a merged-away id spends the
    survivor's points. Scope: `loyalty:write`.

    Args:
        customer_id (str): A customer id (merged-away ids answer the survivor).
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.
        body (RedemptionIn): Points to spend on an order: held now, redeemed when the order's
            purchase arrives, released otherwise.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PointsShort | Problem | Redemption]
    """

    kwargs = _get_kwargs(
        customer_id=customer_id,
        body=body,
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
    body: RedemptionIn,
    idempotency_key: str | Unset = UNSET,
) -> PointsShort | Problem | Redemption | None:
    """Spend a customer's points on an order

     Holds `points` for the order `order_id` (201): they leave `available` at once and are redeemed when
    the order's purchase arrives, or released if it has not arrived within the program's `hold_minutes`.
    One redemption per order: asking again for the same order answers the existing one (200), so a retry
    is safe even without an `Idempotency-Key`. Too few points free: 409 with `available`, the points
    that could be spent instead; concurrent requests for one customer never spend more than the balance.
    Below the program's minimum, above its share of `order_total` (needed when the program caps the
    share; a decimal of at most 20 digits, 6 after the point) or without an active program: 422 or 409
    naming why. An id of no live customer of the workspace answers 404; a merged-away id spends the
    survivor's points. Scope: `loyalty:write`.

    Args:
        customer_id (str): A customer id (merged-away ids answer the survivor).
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.
        body (RedemptionIn): Points to spend on an order: held now, redeemed when the order's
            purchase arrives, released otherwise.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PointsShort | Problem | Redemption
    """

    return sync_detailed(
        customer_id=customer_id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    customer_id: str,
    *,
    client: AuthenticatedClient,
    body: RedemptionIn,
    idempotency_key: str | Unset = UNSET,
) -> Response[PointsShort | Problem | Redemption]:
    """Spend a customer's points on an order

     Holds `points` for the order `order_id` (201): they leave `available` at once and are redeemed when
    the order's purchase arrives, or released if it has not arrived within the program's `hold_minutes`.
    One redemption per order: asking again for the same order answers the existing one (200), so a retry
    is safe even without an `Idempotency-Key`. Too few points free: 409 with `available`, the points
    that could be spent instead; concurrent requests for one customer never spend more than the balance.
    Below the program's minimum, above its share of `order_total` (needed when the program caps the
    share; a decimal of at most 20 digits, 6 after the point) or without an active program: 422 or 409
    naming why. An id of no live customer of the workspace answers 404; a merged-away id spends the
    survivor's points. Scope: `loyalty:write`.

    Args:
        customer_id (str): A customer id (merged-away ids answer the survivor).
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.
        body (RedemptionIn): Points to spend on an order: held now, redeemed when the order's
            purchase arrives, released otherwise.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PointsShort | Problem | Redemption]
    """

    kwargs = _get_kwargs(
        customer_id=customer_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    customer_id: str,
    *,
    client: AuthenticatedClient,
    body: RedemptionIn,
    idempotency_key: str | Unset = UNSET,
) -> PointsShort | Problem | Redemption | None:
    """Spend a customer's points on an order

     Holds `points` for the order `order_id` (201): they leave `available` at once and are redeemed when
    the order's purchase arrives, or released if it has not arrived within the program's `hold_minutes`.
    One redemption per order: asking again for the same order answers the existing one (200), so a retry
    is safe even without an `Idempotency-Key`. Too few points free: 409 with `available`, the points
    that could be spent instead; concurrent requests for one customer never spend more than the balance.
    Below the program's minimum, above its share of `order_total` (needed when the program caps the
    share; a decimal of at most 20 digits, 6 after the point) or without an active program: 422 or 409
    naming why. An id of no live customer of the workspace answers 404; a merged-away id spends the
    survivor's points. Scope: `loyalty:write`.

    Args:
        customer_id (str): A customer id (merged-away ids answer the survivor).
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.
        body (RedemptionIn): Points to spend on an order: held now, redeemed when the order's
            purchase arrives, released otherwise.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PointsShort | Problem | Redemption
    """

    return (
        await asyncio_detailed(
            customer_id=customer_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
