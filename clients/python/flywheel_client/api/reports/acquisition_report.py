import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.acquisition_report import AcquisitionReport
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
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

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/reports/acquisition",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AcquisitionReport | Problem | None:
    if response.status_code == 200:
        response_200 = AcquisitionReport.from_dict(response.json())

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
) -> Response[AcquisitionReport | Problem]:
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
) -> Response[AcquisitionReport | Problem]:
    """New customers, spend, CAC and LTV:CAC per acquisition channel and campaign

     The period's new customers (first purchase in [`from`, `to`); default: the last 30 days; `from`
    before `to`, at most 3660 days apart, else 422) by acquisition source (`referral`, else the earliest
    `utm_source`, else the first purchase's `channel`, else `direct`) and campaign, beside the marketing
    spend of the days that start in the period (`POST /v1/marketing-spend`; for `referral`, plus the
    reward cost granted in the period): `spend`, `cac` (spend / new customers), `avg_first_order`,
    `avg_predicted_clv` (scoring's 12-month CLV of those customers), `ltv_to_cac` and
    `repurchase_rate_90d` (a second order within 90 days of the first). `items` per channel and
    campaign, `channels` per channel, `total` over all (channel `all`). Money is in the workspace's
    report currency (`PUT /v1/report-settings`): spend in another currency is left out of `spend` and
    CAC and listed in `unconverted_spend`; amounts are summed exactly and rounded to the cent (half up)
    once, ratios to 4 decimals. Profile, scoring and referral are asked concurrently, each within the
    gateway's per-call budget; a service that is down or slow leaves its figures null and is named in
    `degraded`. With `Accept: text/csv`, the same as CSV: a row per item, per channel and the total
    (`level` item, channel, total), then one per currency of unconverted spend (`level` unconverted).
    Scope: `customers:read`.

    Args:
        from_ (datetime.datetime | Unset): Start, inclusive (default: 30 days before `to`): RFC
            3339 with a time zone, years 1901 to 2998, e.g. 2026-05-01T00:00:00Z.
        to (datetime.datetime | Unset): End, exclusive (default: now): RFC 3339 with a time zone,
            years 1901 to 2998, e.g. 2026-05-01T00:00:00Z.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AcquisitionReport | Problem]
    """

    kwargs = _get_kwargs(
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
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
) -> AcquisitionReport | Problem | None:
    """New customers, spend, CAC and LTV:CAC per acquisition channel and campaign

     The period's new customers (first purchase in [`from`, `to`); default: the last 30 days; `from`
    before `to`, at most 3660 days apart, else 422) by acquisition source (`referral`, else the earliest
    `utm_source`, else the first purchase's `channel`, else `direct`) and campaign, beside the marketing
    spend of the days that start in the period (`POST /v1/marketing-spend`; for `referral`, plus the
    reward cost granted in the period): `spend`, `cac` (spend / new customers), `avg_first_order`,
    `avg_predicted_clv` (scoring's 12-month CLV of those customers), `ltv_to_cac` and
    `repurchase_rate_90d` (a second order within 90 days of the first). `items` per channel and
    campaign, `channels` per channel, `total` over all (channel `all`). Money is in the workspace's
    report currency (`PUT /v1/report-settings`): spend in another currency is left out of `spend` and
    CAC and listed in `unconverted_spend`; amounts are summed exactly and rounded to the cent (half up)
    once, ratios to 4 decimals. Profile, scoring and referral are asked concurrently, each within the
    gateway's per-call budget; a service that is down or slow leaves its figures null and is named in
    `degraded`. With `Accept: text/csv`, the same as CSV: a row per item, per channel and the total
    (`level` item, channel, total), then one per currency of unconverted spend (`level` unconverted).
    Scope: `customers:read`.

    Args:
        from_ (datetime.datetime | Unset): Start, inclusive (default: 30 days before `to`): RFC
            3339 with a time zone, years 1901 to 2998, e.g. 2026-05-01T00:00:00Z.
        to (datetime.datetime | Unset): End, exclusive (default: now): RFC 3339 with a time zone,
            years 1901 to 2998, e.g. 2026-05-01T00:00:00Z.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AcquisitionReport | Problem
    """

    return sync_detailed(
        client=client,
        from_=from_,
        to=to,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
) -> Response[AcquisitionReport | Problem]:
    """New customers, spend, CAC and LTV:CAC per acquisition channel and campaign

     The period's new customers (first purchase in [`from`, `to`); default: the last 30 days; `from`
    before `to`, at most 3660 days apart, else 422) by acquisition source (`referral`, else the earliest
    `utm_source`, else the first purchase's `channel`, else `direct`) and campaign, beside the marketing
    spend of the days that start in the period (`POST /v1/marketing-spend`; for `referral`, plus the
    reward cost granted in the period): `spend`, `cac` (spend / new customers), `avg_first_order`,
    `avg_predicted_clv` (scoring's 12-month CLV of those customers), `ltv_to_cac` and
    `repurchase_rate_90d` (a second order within 90 days of the first). `items` per channel and
    campaign, `channels` per channel, `total` over all (channel `all`). Money is in the workspace's
    report currency (`PUT /v1/report-settings`): spend in another currency is left out of `spend` and
    CAC and listed in `unconverted_spend`; amounts are summed exactly and rounded to the cent (half up)
    once, ratios to 4 decimals. Profile, scoring and referral are asked concurrently, each within the
    gateway's per-call budget; a service that is down or slow leaves its figures null and is named in
    `degraded`. With `Accept: text/csv`, the same as CSV: a row per item, per channel and the total
    (`level` item, channel, total), then one per currency of unconverted spend (`level` unconverted).
    Scope: `customers:read`.

    Args:
        from_ (datetime.datetime | Unset): Start, inclusive (default: 30 days before `to`): RFC
            3339 with a time zone, years 1901 to 2998, e.g. 2026-05-01T00:00:00Z.
        to (datetime.datetime | Unset): End, exclusive (default: now): RFC 3339 with a time zone,
            years 1901 to 2998, e.g. 2026-05-01T00:00:00Z.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AcquisitionReport | Problem]
    """

    kwargs = _get_kwargs(
        from_=from_,
        to=to,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
) -> AcquisitionReport | Problem | None:
    """New customers, spend, CAC and LTV:CAC per acquisition channel and campaign

     The period's new customers (first purchase in [`from`, `to`); default: the last 30 days; `from`
    before `to`, at most 3660 days apart, else 422) by acquisition source (`referral`, else the earliest
    `utm_source`, else the first purchase's `channel`, else `direct`) and campaign, beside the marketing
    spend of the days that start in the period (`POST /v1/marketing-spend`; for `referral`, plus the
    reward cost granted in the period): `spend`, `cac` (spend / new customers), `avg_first_order`,
    `avg_predicted_clv` (scoring's 12-month CLV of those customers), `ltv_to_cac` and
    `repurchase_rate_90d` (a second order within 90 days of the first). `items` per channel and
    campaign, `channels` per channel, `total` over all (channel `all`). Money is in the workspace's
    report currency (`PUT /v1/report-settings`): spend in another currency is left out of `spend` and
    CAC and listed in `unconverted_spend`; amounts are summed exactly and rounded to the cent (half up)
    once, ratios to 4 decimals. Profile, scoring and referral are asked concurrently, each within the
    gateway's per-call budget; a service that is down or slow leaves its figures null and is named in
    `degraded`. With `Accept: text/csv`, the same as CSV: a row per item, per channel and the total
    (`level` item, channel, total), then one per currency of unconverted spend (`level` unconverted).
    Scope: `customers:read`.

    Args:
        from_ (datetime.datetime | Unset): Start, inclusive (default: 30 days before `to`): RFC
            3339 with a time zone, years 1901 to 2998, e.g. 2026-05-01T00:00:00Z.
        to (datetime.datetime | Unset): End, exclusive (default: now): RFC 3339 with a time zone,
            years 1901 to 2998, e.g. 2026-05-01T00:00:00Z.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AcquisitionReport | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            from_=from_,
            to=to,
        )
    ).parsed
