import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.sales_analytics import SalesAnalytics
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    pipeline_id: str | Unset = "repurchase_upsell",
    owner: str | Unset = UNSET,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["pipeline_id"] = pipeline_id

    params["owner"] = owner

    json_from_: str | Unset = UNSET
    if not isinstance(from_, Unset):
        json_from_ = from_.isoformat()
    params["from"] = json_from_

    json_to: str | Unset = UNSET
    if not isinstance(to, Unset):
        json_to = to.isoformat()
    params["to"] = json_to

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/sales-analytics",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | SalesAnalytics | None:
    if response.status_code == 200:
        response_200 = SalesAnalytics.from_dict(response.json())

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
) -> Response[Problem | SalesAnalytics]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    pipeline_id: str | Unset = "repurchase_upsell",
    owner: str | Unset = UNSET,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
) -> Response[Problem | SalesAnalytics]:
    """Pipeline analytics

     Over deals of one pipeline created in [`from`, `to`) (default: all), optionally of one owner: stage-
    to-stage conversion, average days per stage, cycle time, win rate, and open pipeline value per
    currency, total and weighted by stage probability. Scope: `customers:read`.

    Args:
        pipeline_id (str | Unset):  Default: 'repurchase_upsell'.
        owner (str | Unset):
        from_ (datetime.datetime | Unset): Deals created at or after: RFC 3339 with a time zone,
            years 1901 to 2998, e.g. 2026-05-01T00:00:00Z.
        to (datetime.datetime | Unset): Deals created before: RFC 3339 with a time zone, years
            1901 to 2998, e.g. 2026-05-01T00:00:00Z.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SalesAnalytics]
    """

    kwargs = _get_kwargs(
        pipeline_id=pipeline_id,
        owner=owner,
        from_=from_,
        to=to,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    pipeline_id: str | Unset = "repurchase_upsell",
    owner: str | Unset = UNSET,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
) -> Problem | SalesAnalytics | None:
    """Pipeline analytics

     Over deals of one pipeline created in [`from`, `to`) (default: all), optionally of one owner: stage-
    to-stage conversion, average days per stage, cycle time, win rate, and open pipeline value per
    currency, total and weighted by stage probability. Scope: `customers:read`.

    Args:
        pipeline_id (str | Unset):  Default: 'repurchase_upsell'.
        owner (str | Unset):
        from_ (datetime.datetime | Unset): Deals created at or after: RFC 3339 with a time zone,
            years 1901 to 2998, e.g. 2026-05-01T00:00:00Z.
        to (datetime.datetime | Unset): Deals created before: RFC 3339 with a time zone, years
            1901 to 2998, e.g. 2026-05-01T00:00:00Z.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SalesAnalytics
    """

    return sync_detailed(
        client=client,
        pipeline_id=pipeline_id,
        owner=owner,
        from_=from_,
        to=to,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    pipeline_id: str | Unset = "repurchase_upsell",
    owner: str | Unset = UNSET,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
) -> Response[Problem | SalesAnalytics]:
    """Pipeline analytics

     Over deals of one pipeline created in [`from`, `to`) (default: all), optionally of one owner: stage-
    to-stage conversion, average days per stage, cycle time, win rate, and open pipeline value per
    currency, total and weighted by stage probability. Scope: `customers:read`.

    Args:
        pipeline_id (str | Unset):  Default: 'repurchase_upsell'.
        owner (str | Unset):
        from_ (datetime.datetime | Unset): Deals created at or after: RFC 3339 with a time zone,
            years 1901 to 2998, e.g. 2026-05-01T00:00:00Z.
        to (datetime.datetime | Unset): Deals created before: RFC 3339 with a time zone, years
            1901 to 2998, e.g. 2026-05-01T00:00:00Z.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SalesAnalytics]
    """

    kwargs = _get_kwargs(
        pipeline_id=pipeline_id,
        owner=owner,
        from_=from_,
        to=to,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    pipeline_id: str | Unset = "repurchase_upsell",
    owner: str | Unset = UNSET,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
) -> Problem | SalesAnalytics | None:
    """Pipeline analytics

     Over deals of one pipeline created in [`from`, `to`) (default: all), optionally of one owner: stage-
    to-stage conversion, average days per stage, cycle time, win rate, and open pipeline value per
    currency, total and weighted by stage probability. Scope: `customers:read`.

    Args:
        pipeline_id (str | Unset):  Default: 'repurchase_upsell'.
        owner (str | Unset):
        from_ (datetime.datetime | Unset): Deals created at or after: RFC 3339 with a time zone,
            years 1901 to 2998, e.g. 2026-05-01T00:00:00Z.
        to (datetime.datetime | Unset): Deals created before: RFC 3339 with a time zone, years
            1901 to 2998, e.g. 2026-05-01T00:00:00Z.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SalesAnalytics
    """

    return (
        await asyncio_detailed(
            client=client,
            pipeline_id=pipeline_id,
            owner=owner,
            from_=from_,
            to=to,
        )
    ).parsed
