from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.quotas import Quotas
from ...types import Response


def _get_kwargs() -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/quotas",
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | Quotas | None:
    if response.status_code == 200:
        response_200 = Quotas.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | Quotas]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
) -> Response[Problem | Quotas]:
    """The workspace's quotas: limits and use

     How many segments, journeys, active journeys, referral programs, pipelines, API keys, stored
    Idempotency-Key answers, custom attributes, marketing spend rows, KPI targets and loyalty program
    versions the workspace may hold and holds, how many open redemption holds one member may have
    (`loyalty_holds`: `used` is the most any member has), and the largest trait value it may store. A
    write that would pass a quota answers 409 (429 for stored Idempotency-Key answers, which free
    themselves as they expire) with a problem naming the quota (`type: /problems/quota-exceeded`,
    `quota`, `limit`, `used`). The operator sets the limits (`FLYWHEEL_QUOTA_<NAME>`). A service that
    does not answer is named in `degraded`. Scope: `customers:read`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Quotas]
    """

    kwargs = _get_kwargs()

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
) -> Problem | Quotas | None:
    """The workspace's quotas: limits and use

     How many segments, journeys, active journeys, referral programs, pipelines, API keys, stored
    Idempotency-Key answers, custom attributes, marketing spend rows, KPI targets and loyalty program
    versions the workspace may hold and holds, how many open redemption holds one member may have
    (`loyalty_holds`: `used` is the most any member has), and the largest trait value it may store. A
    write that would pass a quota answers 409 (429 for stored Idempotency-Key answers, which free
    themselves as they expire) with a problem naming the quota (`type: /problems/quota-exceeded`,
    `quota`, `limit`, `used`). The operator sets the limits (`FLYWHEEL_QUOTA_<NAME>`). A service that
    does not answer is named in `degraded`. Scope: `customers:read`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Quotas
    """

    return sync_detailed(
        client=client,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
) -> Response[Problem | Quotas]:
    """The workspace's quotas: limits and use

     How many segments, journeys, active journeys, referral programs, pipelines, API keys, stored
    Idempotency-Key answers, custom attributes, marketing spend rows, KPI targets and loyalty program
    versions the workspace may hold and holds, how many open redemption holds one member may have
    (`loyalty_holds`: `used` is the most any member has), and the largest trait value it may store. A
    write that would pass a quota answers 409 (429 for stored Idempotency-Key answers, which free
    themselves as they expire) with a problem naming the quota (`type: /problems/quota-exceeded`,
    `quota`, `limit`, `used`). The operator sets the limits (`FLYWHEEL_QUOTA_<NAME>`). A service that
    does not answer is named in `degraded`. Scope: `customers:read`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Quotas]
    """

    kwargs = _get_kwargs()

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
) -> Problem | Quotas | None:
    """The workspace's quotas: limits and use

     How many segments, journeys, active journeys, referral programs, pipelines, API keys, stored
    Idempotency-Key answers, custom attributes, marketing spend rows, KPI targets and loyalty program
    versions the workspace may hold and holds, how many open redemption holds one member may have
    (`loyalty_holds`: `used` is the most any member has), and the largest trait value it may store. A
    write that would pass a quota answers 409 (429 for stored Idempotency-Key answers, which free
    themselves as they expire) with a problem naming the quota (`type: /problems/quota-exceeded`,
    `quota`, `limit`, `used`). The operator sets the limits (`FLYWHEEL_QUOTA_<NAME>`). A service that
    does not answer is named in `degraded`. Scope: `customers:read`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Quotas
    """

    return (
        await asyncio_detailed(
            client=client,
        )
    ).parsed
