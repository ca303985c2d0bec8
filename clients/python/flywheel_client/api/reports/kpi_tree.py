import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.kpi_tree import KpiTree
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    period: str | Unset = UNSET,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["period"] = period

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
        "url": "/v1/reports/kpi-tree",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> KpiTree | Problem | None:
    if response.status_code == 200:
        response_200 = KpiTree.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[KpiTree | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    period: str | Unset = UNSET,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
) -> Response[KpiTree | Problem]:
    """The KPI tree (scale, behaviour, financial) measured against the workspace's targets

     The growth KPIs in three levels, each over the period beside the previous period (with the relative
    change) and, where the workspace set a target for the metric and exactly this period (`PUT /v1/kpi-
    targets`), the target, the bar, progress and status. Ask either for a target period,
    `period=2026-Q4` (a year `2026`, a quarter or a month `2026-12`: its days in UTC, cut at now while
    it runs; 422 before it starts; the previous period is the year, quarter or month before, as far into
    it as the period is), or for [`from`, `to`) as the overview takes it (default: the last 30 days; the
    previous period is as long and ends at `from`; the targets that apply are those of the year, quarter
    or month whose days are exactly [`from`, `to`), named in `target_period`, else none). Both `period`
    and `from`/`to`: 422. A metric's `status` is `no_target`, `unknown` (no value), `on_track` (at or
    beyond the bar in its direction: lower is better for `dormant`, `cac` and `reward_cost`) or
    `behind`; the bar is the target, but for a flow (`new_customers`, `reactivated`, `revenue`,
    `reward_cost`) in a running period the target times the share of the period elapsed; `progress` is
    value / bar (bar / value where lower is better). Money is in the workspace's report currency
    (`currency`; spend rows in another one are left out of CAC), a decimal string to the cent rounded
    half up; ratios and numbers to 4 decimals; snapshots (scores as of now) have no previous value. The
    services are asked concurrently, each within the gateway's per-call budget; a metric computed from
    one that is down, slow or out of contract is null (status `unknown`), the service is named in
    `degraded`, and the answer is still 200. `Accept: text/csv` gives one row per metric (level, metric,
    unit, value, previous, change, target, progress, status). Scope: `customers:read`.

    Metrics:
    - scale: `customers` (count, profile): live customers first seen before the period's end;
    `new_customers` (count, profile, flow): customers whose first purchase is in the period; `active`
    (count, scoring, snapshot): purchasers not dormant; `dormant` (count, scoring, snapshot, lower is
    better): customers dormant now; `reactivated` (count, scoring, flow): customers back from dormancy
    in the period
    - behaviour: `repurchase_rate` (ratio, profile): customers with two or more orders among those with
    any, by the period's end; `retention_90d` (ratio, scoring): of the customers with a purchase in the
    90 days before the period, the share with one in the 90 days before its end; `visit_frequency`
    (number, scoring): visits per visiting customer; `nps` (number, profile): % promoters - % detractors
    over each customer's latest answer in the period
    - financial: `revenue` (money, profile, flow): order amounts in the period, before refunds;
    `average_order_value` (money, profile): revenue / orders; `ltv` (money, scoring, snapshot): average
    historical LTV of purchasers; `cac` (money, profile and referral, lower is better): (marketing spend
    of the days (UTC) starting in the period + referral reward cost granted in the period) / new
    customers; `ltv_to_cac` (number): the new customers' average predicted 12-month CLV (scoring) / CAC;
    `referral_share` (ratio, referral): share of the period's new customers a referral brought;
    `reward_cost` (money, referral, flow, lower is better): referral rewards granted in the period and
    not reversed

    Args:
        period (str | Unset): A year (`2026`), quarter (`2026-Q4`) or month (`2026-12`), instead
            of `from`/`to`: its targets apply.
        from_ (datetime.datetime | Unset): Start, inclusive (default: 30 days before `to`): RFC
            3339 with a time zone, years 1901 to 2998, e.g. 2026-05-01T00:00:00Z.
        to (datetime.datetime | Unset): End, exclusive (default: now): RFC 3339 with a time zone,
            years 1901 to 2998, e.g. 2026-05-01T00:00:00Z.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[KpiTree | Problem]
    """

    kwargs = _get_kwargs(
        period=period,
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
    period: str | Unset = UNSET,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
) -> KpiTree | Problem | None:
    """The KPI tree (scale, behaviour, financial) measured against the workspace's targets

     The growth KPIs in three levels, each over the period beside the previous period (with the relative
    change) and, where the workspace set a target for the metric and exactly this period (`PUT /v1/kpi-
    targets`), the target, the bar, progress and status. Ask either for a target period,
    `period=2026-Q4` (a year `2026`, a quarter or a month `2026-12`: its days in UTC, cut at now while
    it runs; 422 before it starts; the previous period is the year, quarter or month before, as far into
    it as the period is), or for [`from`, `to`) as the overview takes it (default: the last 30 days; the
    previous period is as long and ends at `from`; the targets that apply are those of the year, quarter
    or month whose days are exactly [`from`, `to`), named in `target_period`, else none). Both `period`
    and `from`/`to`: 422. A metric's `status` is `no_target`, `unknown` (no value), `on_track` (at or
    beyond the bar in its direction: lower is better for `dormant`, `cac` and `reward_cost`) or
    `behind`; the bar is the target, but for a flow (`new_customers`, `reactivated`, `revenue`,
    `reward_cost`) in a running period the target times the share of the period elapsed; `progress` is
    value / bar (bar / value where lower is better). Money is in the workspace's report currency
    (`currency`; spend rows in another one are left out of CAC), a decimal string to the cent rounded
    half up; ratios and numbers to 4 decimals; snapshots (scores as of now) have no previous value. The
    services are asked concurrently, each within the gateway's per-call budget; a metric computed from
    one that is down, slow or out of contract is null (status `unknown`), the service is named in
    `degraded`, and the answer is still 200. `Accept: text/csv` gives one row per metric (level, metric,
    unit, value, previous, change, target, progress, status). Scope: `customers:read`.

    Metrics:
    - scale: `customers` (count, profile): live customers first seen before the period's end;
    `new_customers` (count, profile, flow): customers whose first purchase is in the period; `active`
    (count, scoring, snapshot): purchasers not dormant; `dormant` (count, scoring, snapshot, lower is
    better): customers dormant now; `reactivated` (count, scoring, flow): customers back from dormancy
    in the period
    - behaviour: `repurchase_rate` (ratio, profile): customers with two or more orders among those with
    any, by the period's end; `retention_90d` (ratio, scoring): of the customers with a purchase in the
    90 days before the period, the share with one in the 90 days before its end; `visit_frequency`
    (number, scoring): visits per visiting customer; `nps` (number, profile): % promoters - % detractors
    over each customer's latest answer in the period
    - financial: `revenue` (money, profile, flow): order amounts in the period, before refunds;
    `average_order_value` (money, profile): revenue / orders; `ltv` (money, scoring, snapshot): average
    historical LTV of purchasers; `cac` (money, profile and referral, lower is better): (marketing spend
    of the days (UTC) starting in the period + referral reward cost granted in the period) / new
    customers; `ltv_to_cac` (number): the new customers' average predicted 12-month CLV (scoring) / CAC;
    `referral_share` (ratio, referral): share of the period's new customers a referral brought;
    `reward_cost` (money, referral, flow, lower is better): referral rewards granted in the period and
    not reversed

    Args:
        period (str | Unset): A year (`2026`), quarter (`2026-Q4`) or month (`2026-12`), instead
            of `from`/`to`: its targets apply.
        from_ (datetime.datetime | Unset): Start, inclusive (default: 30 days before `to`): RFC
            3339 with a time zone, years 1901 to 2998, e.g. 2026-05-01T00:00:00Z.
        to (datetime.datetime | Unset): End, exclusive (default: now): RFC 3339 with a time zone,
            years 1901 to 2998, e.g. 2026-05-01T00:00:00Z.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        KpiTree | Problem
    """

    return sync_detailed(
        client=client,
        period=period,
        from_=from_,
        to=to,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    period: str | Unset = UNSET,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
) -> Response[KpiTree | Problem]:
    """The KPI tree (scale, behaviour, financial) measured against the workspace's targets

     The growth KPIs in three levels, each over the period beside the previous period (with the relative
    change) and, where the workspace set a target for the metric and exactly this period (`PUT /v1/kpi-
    targets`), the target, the bar, progress and status. Ask either for a target period,
    `period=2026-Q4` (a year `2026`, a quarter or a month `2026-12`: its days in UTC, cut at now while
    it runs; 422 before it starts; the previous period is the year, quarter or month before, as far into
    it as the period is), or for [`from`, `to`) as the overview takes it (default: the last 30 days; the
    previous period is as long and ends at `from`; the targets that apply are those of the year, quarter
    or month whose days are exactly [`from`, `to`), named in `target_period`, else none). Both `period`
    and `from`/`to`: 422. A metric's `status` is `no_target`, `unknown` (no value), `on_track` (at or
    beyond the bar in its direction: lower is better for `dormant`, `cac` and `reward_cost`) or
    `behind`; the bar is the target, but for a flow (`new_customers`, `reactivated`, `revenue`,
    `reward_cost`) in a running period the target times the share of the period elapsed; `progress` is
    value / bar (bar / value where lower is better). Money is in the workspace's report currency
    (`currency`; spend rows in another one are left out of CAC), a decimal string to the cent rounded
    half up; ratios and numbers to 4 decimals; snapshots (scores as of now) have no previous value. The
    services are asked concurrently, each within the gateway's per-call budget; a metric computed from
    one that is down, slow or out of contract is null (status `unknown`), the service is named in
    `degraded`, and the answer is still 200. `Accept: text/csv` gives one row per metric (level, metric,
    unit, value, previous, change, target, progress, status). Scope: `customers:read`.

    Metrics:
    - scale: `customers` (count, profile): live customers first seen before the period's end;
    `new_customers` (count, profile, flow): customers whose first purchase is in the period; `active`
    (count, scoring, snapshot): purchasers not dormant; `dormant` (count, scoring, snapshot, lower is
    better): customers dormant now; `reactivated` (count, scoring, flow): customers back from dormancy
    in the period
    - behaviour: `repurchase_rate` (ratio, profile): customers with two or more orders among those with
    any, by the period's end; `retention_90d` (ratio, scoring): of the customers with a purchase in the
    90 days before the period, the share with one in the 90 days before its end; `visit_frequency`
    (number, scoring): visits per visiting customer; `nps` (number, profile): % promoters - % detractors
    over each customer's latest answer in the period
    - financial: `revenue` (money, profile, flow): order amounts in the period, before refunds;
    `average_order_value` (money, profile): revenue / orders; `ltv` (money, scoring, snapshot): average
    historical LTV of purchasers; `cac` (money, profile and referral, lower is better): (marketing spend
    of the days (UTC) starting in the period + referral reward cost granted in the period) / new
    customers; `ltv_to_cac` (number): the new customers' average predicted 12-month CLV (scoring) / CAC;
    `referral_share` (ratio, referral): share of the period's new customers a referral brought;
    `reward_cost` (money, referral, flow, lower is better): referral rewards granted in the period and
    not reversed

    Args:
        period (str | Unset): A year (`2026`), quarter (`2026-Q4`) or month (`2026-12`), instead
            of `from`/`to`: its targets apply.
        from_ (datetime.datetime | Unset): Start, inclusive (default: 30 days before `to`): RFC
            3339 with a time zone, years 1901 to 2998, e.g. 2026-05-01T00:00:00Z.
        to (datetime.datetime | Unset): End, exclusive (default: now): RFC 3339 with a time zone,
            years 1901 to 2998, e.g. 2026-05-01T00:00:00Z.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[KpiTree | Problem]
    """

    kwargs = _get_kwargs(
        period=period,
        from_=from_,
        to=to,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    period: str | Unset = UNSET,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
) -> KpiTree | Problem | None:
    """The KPI tree (scale, behaviour, financial) measured against the workspace's targets

     The growth KPIs in three levels, each over the period beside the previous period (with the relative
    change) and, where the workspace set a target for the metric and exactly this period (`PUT /v1/kpi-
    targets`), the target, the bar, progress and status. Ask either for a target period,
    `period=2026-Q4` (a year `2026`, a quarter or a month `2026-12`: its days in UTC, cut at now while
    it runs; 422 before it starts; the previous period is the year, quarter or month before, as far into
    it as the period is), or for [`from`, `to`) as the overview takes it (default: the last 30 days; the
    previous period is as long and ends at `from`; the targets that apply are those of the year, quarter
    or month whose days are exactly [`from`, `to`), named in `target_period`, else none). Both `period`
    and `from`/`to`: 422. A metric's `status` is `no_target`, `unknown` (no value), `on_track` (at or
    beyond the bar in its direction: lower is better for `dormant`, `cac` and `reward_cost`) or
    `behind`; the bar is the target, but for a flow (`new_customers`, `reactivated`, `revenue`,
    `reward_cost`) in a running period the target times the share of the period elapsed; `progress` is
    value / bar (bar / value where lower is better). Money is in the workspace's report currency
    (`currency`; spend rows in another one are left out of CAC), a decimal string to the cent rounded
    half up; ratios and numbers to 4 decimals; snapshots (scores as of now) have no previous value. The
    services are asked concurrently, each within the gateway's per-call budget; a metric computed from
    one that is down, slow or out of contract is null (status `unknown`), the service is named in
    `degraded`, and the answer is still 200. `Accept: text/csv` gives one row per metric (level, metric,
    unit, value, previous, change, target, progress, status). Scope: `customers:read`.

    Metrics:
    - scale: `customers` (count, profile): live customers first seen before the period's end;
    `new_customers` (count, profile, flow): customers whose first purchase is in the period; `active`
    (count, scoring, snapshot): purchasers not dormant; `dormant` (count, scoring, snapshot, lower is
    better): customers dormant now; `reactivated` (count, scoring, flow): customers back from dormancy
    in the period
    - behaviour: `repurchase_rate` (ratio, profile): customers with two or more orders among those with
    any, by the period's end; `retention_90d` (ratio, scoring): of the customers with a purchase in the
    90 days before the period, the share with one in the 90 days before its end; `visit_frequency`
    (number, scoring): visits per visiting customer; `nps` (number, profile): % promoters - % detractors
    over each customer's latest answer in the period
    - financial: `revenue` (money, profile, flow): order amounts in the period, before refunds;
    `average_order_value` (money, profile): revenue / orders; `ltv` (money, scoring, snapshot): average
    historical LTV of purchasers; `cac` (money, profile and referral, lower is better): (marketing spend
    of the days (UTC) starting in the period + referral reward cost granted in the period) / new
    customers; `ltv_to_cac` (number): the new customers' average predicted 12-month CLV (scoring) / CAC;
    `referral_share` (ratio, referral): share of the period's new customers a referral brought;
    `reward_cost` (money, referral, flow, lower is better): referral rewards granted in the period and
    not reversed

    Args:
        period (str | Unset): A year (`2026`), quarter (`2026-Q4`) or month (`2026-12`), instead
            of `from`/`to`: its targets apply.
        from_ (datetime.datetime | Unset): Start, inclusive (default: 30 days before `to`): RFC
            3339 with a time zone, years 1901 to 2998, e.g. 2026-05-01T00:00:00Z.
        to (datetime.datetime | Unset): End, exclusive (default: now): RFC 3339 with a time zone,
            years 1901 to 2998, e.g. 2026-05-01T00:00:00Z.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        KpiTree | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            period=period,
            from_=from_,
            to=to,
        )
    ).parsed
