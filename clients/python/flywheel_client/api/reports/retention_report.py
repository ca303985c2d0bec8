import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.retention_report_out import RetentionReportOut
from ...models.retention_report_period import RetentionReportPeriod
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    period: RetentionReportPeriod | Unset = RetentionReportPeriod.MONTH,
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

    json_period: str | Unset = UNSET
    if not isinstance(period, Unset):
        json_period = period.value

    params["period"] = json_period

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/reports/retention",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | RetentionReportOut | None:
    if response.status_code == 200:
        response_200 = RetentionReportOut.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

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


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | RetentionReportOut]:
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
    period: RetentionReportPeriod | Unset = RetentionReportPeriod.MONTH,
) -> Response[Problem | RetentionReportOut]:
    """Retention cohorts by first purchase, per month or week

     Cohorts of the customers whose first purchase is in [`from`, `to`) (default: the last 30 days), by
    calendar month (`period=month`, the default) or ISO week (`period=week`), UTC, oldest first: `size`,
    and for each period k after the cohort's own (0: its own) `retained` (share with a purchase in it),
    `revenue_per_member` (decimal string) and `repurchase_rate` (share with a second purchase day by its
    end); a cell is null while its period has not ended. When scoring is down or slow, `cohorts` is null
    and `degraded` names it. With `Accept: text/csv`: one row per cohort and k (`cohort`, `start`,
    `size`, `k`, `retained`, `revenue_per_member`, `repurchase_rate`). Scope: `customers:read`.

    Args:
        from_ (datetime.datetime | Unset): Start, inclusive (default: 30 days before `to`): RFC
            3339 with a time zone, years 1901 to 2998, e.g. 2026-05-01T00:00:00Z.
        to (datetime.datetime | Unset): End, exclusive (default: now): RFC 3339 with a time zone,
            years 1901 to 2998, e.g. 2026-05-01T00:00:00Z.
        period (RetentionReportPeriod | Unset): The cohorts' period: calendar months or ISO weeks
            (UTC). Default: RetentionReportPeriod.MONTH.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RetentionReportOut]
    """

    kwargs = _get_kwargs(
        from_=from_,
        to=to,
        period=period,
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
    period: RetentionReportPeriod | Unset = RetentionReportPeriod.MONTH,
) -> Problem | RetentionReportOut | None:
    """Retention cohorts by first purchase, per month or week

     Cohorts of the customers whose first purchase is in [`from`, `to`) (default: the last 30 days), by
    calendar month (`period=month`, the default) or ISO week (`period=week`), UTC, oldest first: `size`,
    and for each period k after the cohort's own (0: its own) `retained` (share with a purchase in it),
    `revenue_per_member` (decimal string) and `repurchase_rate` (share with a second purchase day by its
    end); a cell is null while its period has not ended. When scoring is down or slow, `cohorts` is null
    and `degraded` names it. With `Accept: text/csv`: one row per cohort and k (`cohort`, `start`,
    `size`, `k`, `retained`, `revenue_per_member`, `repurchase_rate`). Scope: `customers:read`.

    Args:
        from_ (datetime.datetime | Unset): Start, inclusive (default: 30 days before `to`): RFC
            3339 with a time zone, years 1901 to 2998, e.g. 2026-05-01T00:00:00Z.
        to (datetime.datetime | Unset): End, exclusive (default: now): RFC 3339 with a time zone,
            years 1901 to 2998, e.g. 2026-05-01T00:00:00Z.
        period (RetentionReportPeriod | Unset): The cohorts' period: calendar months or ISO weeks
            (UTC). Default: RetentionReportPeriod.MONTH.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RetentionReportOut
    """

    return sync_detailed(
        client=client,
        from_=from_,
        to=to,
        period=period,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    period: RetentionReportPeriod | Unset = RetentionReportPeriod.MONTH,
) -> Response[Problem | RetentionReportOut]:
    """Retention cohorts by first purchase, per month or week

     Cohorts of the customers whose first purchase is in [`from`, `to`) (default: the last 30 days), by
    calendar month (`period=month`, the default) or ISO week (`period=week`), UTC, oldest first: `size`,
    and for each period k after the cohort's own (0: its own) `retained` (share with a purchase in it),
    `revenue_per_member` (decimal string) and `repurchase_rate` (share with a second purchase day by its
    end); a cell is null while its period has not ended. When scoring is down or slow, `cohorts` is null
    and `degraded` names it. With `Accept: text/csv`: one row per cohort and k (`cohort`, `start`,
    `size`, `k`, `retained`, `revenue_per_member`, `repurchase_rate`). Scope: `customers:read`.

    Args:
        from_ (datetime.datetime | Unset): Start, inclusive (default: 30 days before `to`): RFC
            3339 with a time zone, years 1901 to 2998, e.g. 2026-05-01T00:00:00Z.
        to (datetime.datetime | Unset): End, exclusive (default: now): RFC 3339 with a time zone,
            years 1901 to 2998, e.g. 2026-05-01T00:00:00Z.
        period (RetentionReportPeriod | Unset): The cohorts' period: calendar months or ISO weeks
            (UTC). Default: RetentionReportPeriod.MONTH.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RetentionReportOut]
    """

    kwargs = _get_kwargs(
        from_=from_,
        to=to,
        period=period,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    period: RetentionReportPeriod | Unset = RetentionReportPeriod.MONTH,
) -> Problem | RetentionReportOut | None:
    """Retention cohorts by first purchase, per month or week

     Cohorts of the customers whose first purchase is in [`from`, `to`) (default: the last 30 days), by
    calendar month (`period=month`, the default) or ISO week (`period=week`), UTC, oldest first: `size`,
    and for each period k after the cohort's own (0: its own) `retained` (share with a purchase in it),
    `revenue_per_member` (decimal string) and `repurchase_rate` (share with a second purchase day by its
    end); a cell is null while its period has not ended. When scoring is down or slow, `cohorts` is null
    and `degraded` names it. With `Accept: text/csv`: one row per cohort and k (`cohort`, `start`,
    `size`, `k`, `retained`, `revenue_per_member`, `repurchase_rate`). Scope: `customers:read`.

    Args:
        from_ (datetime.datetime | Unset): Start, inclusive (default: 30 days before `to`): RFC
            3339 with a time zone, years 1901 to 2998, e.g. 2026-05-01T00:00:00Z.
        to (datetime.datetime | Unset): End, exclusive (default: now): RFC 3339 with a time zone,
            years 1901 to 2998, e.g. 2026-05-01T00:00:00Z.
        period (RetentionReportPeriod | Unset): The cohorts' period: calendar months or ISO weeks
            (UTC). Default: RetentionReportPeriod.MONTH.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RetentionReportOut
    """

    return (
        await asyncio_detailed(
            client=client,
            from_=from_,
            to=to,
            period=period,
        )
    ).parsed
