from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.customer_journey_list import CustomerJourneyList
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    customer_id: str,
    *,
    limit: int | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/customers/{customer_id}/journeys".format(
            customer_id=quote(str(customer_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CustomerJourneyList | Problem | None:
    if response.status_code == 200:
        response_200 = CustomerJourneyList.from_dict(response.json())

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
) -> Response[CustomerJourneyList | Problem]:
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
    limit: int | Unset = UNSET,
) -> Response[CustomerJourneyList | Problem]:
    """A customer's journey enrolments

     Every enrolment of the customer, newest first: the journey and version, its state and step, the A/B
    variant or holdout, and how it ended. A merged-away id answers the survivor's. Scope:
    `customers:read`.

    Args:
        customer_id (str): A customer id (merged-away ids answer the survivor).
        limit (int | Unset): Most enrolments (default 50; a larger one than 500 is taken as 500).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CustomerJourneyList | Problem]
    """

    kwargs = _get_kwargs(
        customer_id=customer_id,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    customer_id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
) -> CustomerJourneyList | Problem | None:
    """A customer's journey enrolments

     Every enrolment of the customer, newest first: the journey and version, its state and step, the A/B
    variant or holdout, and how it ended. A merged-away id answers the survivor's. Scope:
    `customers:read`.

    Args:
        customer_id (str): A customer id (merged-away ids answer the survivor).
        limit (int | Unset): Most enrolments (default 50; a larger one than 500 is taken as 500).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CustomerJourneyList | Problem
    """

    return sync_detailed(
        customer_id=customer_id,
        client=client,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    customer_id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
) -> Response[CustomerJourneyList | Problem]:
    """A customer's journey enrolments

     Every enrolment of the customer, newest first: the journey and version, its state and step, the A/B
    variant or holdout, and how it ended. A merged-away id answers the survivor's. Scope:
    `customers:read`.

    Args:
        customer_id (str): A customer id (merged-away ids answer the survivor).
        limit (int | Unset): Most enrolments (default 50; a larger one than 500 is taken as 500).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CustomerJourneyList | Problem]
    """

    kwargs = _get_kwargs(
        customer_id=customer_id,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    customer_id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
) -> CustomerJourneyList | Problem | None:
    """A customer's journey enrolments

     Every enrolment of the customer, newest first: the journey and version, its state and step, the A/B
    variant or holdout, and how it ended. A merged-away id answers the survivor's. Scope:
    `customers:read`.

    Args:
        customer_id (str): A customer id (merged-away ids answer the survivor).
        limit (int | Unset): Most enrolments (default 50; a larger one than 500 is taken as 500).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CustomerJourneyList | Problem
    """

    return (
        await asyncio_detailed(
            customer_id=customer_id,
            client=client,
            limit=limit,
        )
    ).parsed
