from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.customer_360 import Customer360
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    customer_id: str,
    *,
    cache_control: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(cache_control, Unset):
        headers["cache-control"] = cache_control

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/customers/{customer_id}".format(
            customer_id=quote(str(customer_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Customer360 | Problem | None:
    if response.status_code == 200:
        response_200 = Customer360.from_dict(response.json())

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
) -> Response[Customer360 | Problem]:
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
    cache_control: str | Unset = UNSET,
) -> Response[Customer360 | Problem]:
    """The 360° view of a customer

     Identity, traits, tags and stats from profile, plus the sections other services own, fetched
    concurrently: scores and segments from scoring, journey enrolments from journey, referrals (with the
    customer's codes and rewards) from referral, deals and tasks (the first 50 of each) from sales,
    `loyalty` (points, lots, tier and progress, as GET /v1/customers/{id}/points; null without a loyalty
    program) from loyalty. A service that is down or slower than the gateway's per-call budget leaves
    its sections empty and is named in `degraded`; if profile is down the answer is 503. Complete views
    are cached and dropped as soon as a service reports a change to the customer
    (`flywheel.customer.changes`), so a change shows as fast as in an uncached view, within about a
    second of its commit; a write through this API shows at once. Scope: `customers:read`.

    Args:
        customer_id (str): A customer id (merged-away ids answer the survivor).
        cache_control (str | Unset): `no-cache`: assemble the view from the services now rather
            than serve a cached one.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Customer360 | Problem]
    """

    kwargs = _get_kwargs(
        customer_id=customer_id,
        cache_control=cache_control,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    customer_id: str,
    *,
    client: AuthenticatedClient,
    cache_control: str | Unset = UNSET,
) -> Customer360 | Problem | None:
    """The 360° view of a customer

     Identity, traits, tags and stats from profile, plus the sections other services own, fetched
    concurrently: scores and segments from scoring, journey enrolments from journey, referrals (with the
    customer's codes and rewards) from referral, deals and tasks (the first 50 of each) from sales,
    `loyalty` (points, lots, tier and progress, as GET /v1/customers/{id}/points; null without a loyalty
    program) from loyalty. A service that is down or slower than the gateway's per-call budget leaves
    its sections empty and is named in `degraded`; if profile is down the answer is 503. Complete views
    are cached and dropped as soon as a service reports a change to the customer
    (`flywheel.customer.changes`), so a change shows as fast as in an uncached view, within about a
    second of its commit; a write through this API shows at once. Scope: `customers:read`.

    Args:
        customer_id (str): A customer id (merged-away ids answer the survivor).
        cache_control (str | Unset): `no-cache`: assemble the view from the services now rather
            than serve a cached one.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Customer360 | Problem
    """

    return sync_detailed(
        customer_id=customer_id,
        client=client,
        cache_control=cache_control,
    ).parsed


async def asyncio_detailed(
    customer_id: str,
    *,
    client: AuthenticatedClient,
    cache_control: str | Unset = UNSET,
) -> Response[Customer360 | Problem]:
    """The 360° view of a customer

     Identity, traits, tags and stats from profile, plus the sections other services own, fetched
    concurrently: scores and segments from scoring, journey enrolments from journey, referrals (with the
    customer's codes and rewards) from referral, deals and tasks (the first 50 of each) from sales,
    `loyalty` (points, lots, tier and progress, as GET /v1/customers/{id}/points; null without a loyalty
    program) from loyalty. A service that is down or slower than the gateway's per-call budget leaves
    its sections empty and is named in `degraded`; if profile is down the answer is 503. Complete views
    are cached and dropped as soon as a service reports a change to the customer
    (`flywheel.customer.changes`), so a change shows as fast as in an uncached view, within about a
    second of its commit; a write through this API shows at once. Scope: `customers:read`.

    Args:
        customer_id (str): A customer id (merged-away ids answer the survivor).
        cache_control (str | Unset): `no-cache`: assemble the view from the services now rather
            than serve a cached one.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Customer360 | Problem]
    """

    kwargs = _get_kwargs(
        customer_id=customer_id,
        cache_control=cache_control,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    customer_id: str,
    *,
    client: AuthenticatedClient,
    cache_control: str | Unset = UNSET,
) -> Customer360 | Problem | None:
    """The 360° view of a customer

     Identity, traits, tags and stats from profile, plus the sections other services own, fetched
    concurrently: scores and segments from scoring, journey enrolments from journey, referrals (with the
    customer's codes and rewards) from referral, deals and tasks (the first 50 of each) from sales,
    `loyalty` (points, lots, tier and progress, as GET /v1/customers/{id}/points; null without a loyalty
    program) from loyalty. A service that is down or slower than the gateway's per-call budget leaves
    its sections empty and is named in `degraded`; if profile is down the answer is 503. Complete views
    are cached and dropped as soon as a service reports a change to the customer
    (`flywheel.customer.changes`), so a change shows as fast as in an uncached view, within about a
    second of its commit; a write through this API shows at once. Scope: `customers:read`.

    Args:
        customer_id (str): A customer id (merged-away ids answer the survivor).
        cache_control (str | Unset): `no-cache`: assemble the view from the services now rather
            than serve a cached one.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Customer360 | Problem
    """

    return (
        await asyncio_detailed(
            customer_id=customer_id,
            client=client,
            cache_control=cache_control,
        )
    ).parsed
