import datetime
from http import HTTPStatus
from typing import Any, Literal

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.nps_report import NpsReport
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    by: Literal["channel"] | Unset = UNSET,
    segment_id: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_from_: str | Unset = UNSET
    if not isinstance(from_, Unset):
        json_from_ = from_.isoformat()
    params["from"] = json_from_

    json_to: str | Unset = UNSET
    if not isinstance(to, Unset):
        json_to = to.isoformat()
    params["to"] = json_to

    params["by"] = by

    params["segment_id"] = segment_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/reports/nps",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> NpsReport | Problem | None:
    if response.status_code == 200:
        response_200 = NpsReport.from_dict(response.json())

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

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[NpsReport | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    by: Literal["channel"] | Unset = UNSET,
    segment_id: str | Unset = UNSET,
) -> Response[NpsReport | Problem]:
    """Net Promoter Score of a period, by month, per channel or for a segment

     NPS = % promoters (9-10) - % detractors (0-6) over each customer's latest answer in [`from`, `to`)
    (default: the last 30 days; answers from `survey` events and tickets' `nps`), with the counts and
    the same per calendar month (`by_month`). `by=channel` adds the same per acquisition channel
    (`by_channel`); `segment_id` counts only the segment's current members (404 for a segment the
    workspace does not have; not with `by=channel`: 422). When the service the figures come from
    (profile, or scoring for a segment) is down or slow, they are null and it is named in `degraded`.
    With `Accept: text/csv`: a row for the period, then one per month, then one per channel (`level`,
    `key`). Scope: `customers:read`.

    Args:
        from_ (datetime.datetime | Unset): Start, inclusive (default: 30 days before `to`): RFC
            3339 with a time zone, years 1901 to 2998, e.g. 2026-05-01T00:00:00Z.
        to (datetime.datetime | Unset): End, exclusive (default: now): RFC 3339 with a time zone,
            years 1901 to 2998, e.g. 2026-05-01T00:00:00Z.
        by (Literal['channel'] | Unset): `channel`: the figures per acquisition channel too (not
            with `segment_id`).
        segment_id (str | Unset): Count only the current members of this segment (404 for a
            segment the workspace lacks).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[NpsReport | Problem]
    """

    kwargs = _get_kwargs(
        from_=from_,
        to=to,
        by=by,
        segment_id=segment_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    by: Literal["channel"] | Unset = UNSET,
    segment_id: str | Unset = UNSET,
) -> NpsReport | Problem | None:
    """Net Promoter Score of a period, by month, per channel or for a segment

     NPS = % promoters (9-10) - % detractors (0-6) over each customer's latest answer in [`from`, `to`)
    (default: the last 30 days; answers from `survey` events and tickets' `nps`), with the counts and
    the same per calendar month (`by_month`). `by=channel` adds the same per acquisition channel
    (`by_channel`); `segment_id` counts only the segment's current members (404 for a segment the
    workspace does not have; not with `by=channel`: 422). When the service the figures come from
    (profile, or scoring for a segment) is down or slow, they are null and it is named in `degraded`.
    With `Accept: text/csv`: a row for the period, then one per month, then one per channel (`level`,
    `key`). Scope: `customers:read`.

    Args:
        from_ (datetime.datetime | Unset): Start, inclusive (default: 30 days before `to`): RFC
            3339 with a time zone, years 1901 to 2998, e.g. 2026-05-01T00:00:00Z.
        to (datetime.datetime | Unset): End, exclusive (default: now): RFC 3339 with a time zone,
            years 1901 to 2998, e.g. 2026-05-01T00:00:00Z.
        by (Literal['channel'] | Unset): `channel`: the figures per acquisition channel too (not
            with `segment_id`).
        segment_id (str | Unset): Count only the current members of this segment (404 for a
            segment the workspace lacks).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        NpsReport | Problem
    """

    return sync_detailed(
        client=client,
        from_=from_,
        to=to,
        by=by,
        segment_id=segment_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    by: Literal["channel"] | Unset = UNSET,
    segment_id: str | Unset = UNSET,
) -> Response[NpsReport | Problem]:
    """Net Promoter Score of a period, by month, per channel or for a segment

     NPS = % promoters (9-10) - % detractors (0-6) over each customer's latest answer in [`from`, `to`)
    (default: the last 30 days; answers from `survey` events and tickets' `nps`), with the counts and
    the same per calendar month (`by_month`). `by=channel` adds the same per acquisition channel
    (`by_channel`); `segment_id` counts only the segment's current members (404 for a segment the
    workspace does not have; not with `by=channel`: 422). When the service the figures come from
    (profile, or scoring for a segment) is down or slow, they are null and it is named in `degraded`.
    With `Accept: text/csv`: a row for the period, then one per month, then one per channel (`level`,
    `key`). Scope: `customers:read`.

    Args:
        from_ (datetime.datetime | Unset): Start, inclusive (default: 30 days before `to`): RFC
            3339 with a time zone, years 1901 to 2998, e.g. 2026-05-01T00:00:00Z.
        to (datetime.datetime | Unset): End, exclusive (default: now): RFC 3339 with a time zone,
            years 1901 to 2998, e.g. 2026-05-01T00:00:00Z.
        by (Literal['channel'] | Unset): `channel`: the figures per acquisition channel too (not
            with `segment_id`).
        segment_id (str | Unset): Count only the current members of this segment (404 for a
            segment the workspace lacks).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[NpsReport | Problem]
    """

    kwargs = _get_kwargs(
        from_=from_,
        to=to,
        by=by,
        segment_id=segment_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    by: Literal["channel"] | Unset = UNSET,
    segment_id: str | Unset = UNSET,
) -> NpsReport | Problem | None:
    """Net Promoter Score of a period, by month, per channel or for a segment

     NPS = % promoters (9-10) - % detractors (0-6) over each customer's latest answer in [`from`, `to`)
    (default: the last 30 days; answers from `survey` events and tickets' `nps`), with the counts and
    the same per calendar month (`by_month`). `by=channel` adds the same per acquisition channel
    (`by_channel`); `segment_id` counts only the segment's current members (404 for a segment the
    workspace does not have; not with `by=channel`: 422). When the service the figures come from
    (profile, or scoring for a segment) is down or slow, they are null and it is named in `degraded`.
    With `Accept: text/csv`: a row for the period, then one per month, then one per channel (`level`,
    `key`). Scope: `customers:read`.

    Args:
        from_ (datetime.datetime | Unset): Start, inclusive (default: 30 days before `to`): RFC
            3339 with a time zone, years 1901 to 2998, e.g. 2026-05-01T00:00:00Z.
        to (datetime.datetime | Unset): End, exclusive (default: now): RFC 3339 with a time zone,
            years 1901 to 2998, e.g. 2026-05-01T00:00:00Z.
        by (Literal['channel'] | Unset): `channel`: the figures per acquisition channel too (not
            with `segment_id`).
        segment_id (str | Unset): Count only the current members of this segment (404 for a
            segment the workspace lacks).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        NpsReport | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            from_=from_,
            to=to,
            by=by,
            segment_id=segment_id,
        )
    ).parsed
