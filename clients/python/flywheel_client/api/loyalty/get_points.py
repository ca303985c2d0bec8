from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.member_points import MemberPoints
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    customer_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/customers/{customer_id}/points".format(
            customer_id=quote(str(customer_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> MemberPoints | Problem | None:
    if response.status_code == 200:
        response_200 = MemberPoints.from_dict(response.json())

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
) -> Response[MemberPoints | Problem]:
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
) -> Response[MemberPoints | Problem]:
    """A customer's loyalty points, lots, tier and progress

     The member's `balance` (the sum of the open lots; below zero after a refund under the
    `negative_balance` policy), `available` (what can be redeemed now: the balance less open holds and
    debt), `debt`, the balance's `value` in the program's currency, the open `lots` oldest first with
    when each expires (the order redemption and expiry take them in), open `holds`, and the `tier` with
    its anniversary, grace, benefits, qualifying value and progress to the next tier. A customer who has
    earned nothing shows zeros. An id of no live customer of the workspace (another workspace's, an
    erased one) answers 404, as does a workspace without a loyalty program; a merged-away id answers the
    survivor's points. Scope: `customers:read`.

    Args:
        customer_id (str): A customer id (merged-away ids answer the survivor).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MemberPoints | Problem]
    """

    kwargs = _get_kwargs(
        customer_id=customer_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    customer_id: str,
    *,
    client: AuthenticatedClient,
) -> MemberPoints | Problem | None:
    """A customer's loyalty points, lots, tier and progress

     The member's `balance` (the sum of the open lots; below zero after a refund under the
    `negative_balance` policy), `available` (what can be redeemed now: the balance less open holds and
    debt), `debt`, the balance's `value` in the program's currency, the open `lots` oldest first with
    when each expires (the order redemption and expiry take them in), open `holds`, and the `tier` with
    its anniversary, grace, benefits, qualifying value and progress to the next tier. A customer who has
    earned nothing shows zeros. An id of no live customer of the workspace (another workspace's, an
    erased one) answers 404, as does a workspace without a loyalty program; a merged-away id answers the
    survivor's points. Scope: `customers:read`.

    Args:
        customer_id (str): A customer id (merged-away ids answer the survivor).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MemberPoints | Problem
    """

    return sync_detailed(
        customer_id=customer_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    customer_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[MemberPoints | Problem]:
    """A customer's loyalty points, lots, tier and progress

     The member's `balance` (the sum of the open lots; below zero after a refund under the
    `negative_balance` policy), `available` (what can be redeemed now: the balance less open holds and
    debt), `debt`, the balance's `value` in the program's currency, the open `lots` oldest first with
    when each expires (the order redemption and expiry take them in), open `holds`, and the `tier` with
    its anniversary, grace, benefits, qualifying value and progress to the next tier. A customer who has
    earned nothing shows zeros. An id of no live customer of the workspace (another workspace's, an
    erased one) answers 404, as does a workspace without a loyalty program; a merged-away id answers the
    survivor's points. Scope: `customers:read`.

    Args:
        customer_id (str): A customer id (merged-away ids answer the survivor).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MemberPoints | Problem]
    """

    kwargs = _get_kwargs(
        customer_id=customer_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    customer_id: str,
    *,
    client: AuthenticatedClient,
) -> MemberPoints | Problem | None:
    """A customer's loyalty points, lots, tier and progress

     The member's `balance` (the sum of the open lots; below zero after a refund under the
    `negative_balance` policy), `available` (what can be redeemed now: the balance less open holds and
    debt), `debt`, the balance's `value` in the program's currency, the open `lots` oldest first with
    when each expires (the order redemption and expiry take them in), open `holds`, and the `tier` with
    its anniversary, grace, benefits, qualifying value and progress to the next tier. A customer who has
    earned nothing shows zeros. An id of no live customer of the workspace (another workspace's, an
    erased one) answers 404, as does a workspace without a loyalty program; a merged-away id answers the
    survivor's points. Scope: `customers:read`.

    Args:
        customer_id (str): A customer id (merged-away ids answer the survivor).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MemberPoints | Problem
    """

    return (
        await asyncio_detailed(
            customer_id=customer_id,
            client=client,
        )
    ).parsed
