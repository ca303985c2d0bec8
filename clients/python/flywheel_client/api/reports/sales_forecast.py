from http import HTTPStatus
from typing import Any, Literal

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.sales_forecast import SalesForecast
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    by: Literal["month"] | Unset = "month",
    from_: str | Unset = UNSET,
    months: int | Unset = 12,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["by"] = by

    params["from"] = from_

    params["months"] = months

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/sales-forecast",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | SalesForecast | None:
    if response.status_code == 200:
        response_200 = SalesForecast.from_dict(response.json())

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
) -> Response[Problem | SalesForecast]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    by: Literal["month"] | Unset = "month",
    from_: str | Unset = UNSET,
    months: int | Unset = 12,
) -> Response[Problem | SalesForecast]:
    """Sales forecast by month, from open deals and predicted repurchase

     For `months` months (1-24, default 12) from `from` (YYYY-MM, UTC; default this month), by calendar
    month (`by=month`, the only period): open deals expected to close in the month (`open_deals`,
    `pipeline_amount`) and their amounts weighted by their stage's win probability (`weighted_deals`);
    repurchase expected from the workspace's customers (scoring: `expected_purchases`,
    `repurchase_revenue` = expected purchases x expected spend, with its 80% interval
    `repurchase_revenue_p10` / `repurchase_revenue_p90`); and `expected_revenue`, their sum. A deal's
    expected close month is its custom field `expected_close` ("YYYY-MM" or "YYYY-MM-DD"), else its
    creation plus its pipeline's average cycle of won deals (30 days before any is won); one expected
    before the current month counts in it. Money is in the report currency (decimal strings, summed
    exactly and rounded to the cent half up); open deals in other currencies are listed in
    `other_currencies`, not converted. When sales or scoring is down or slow its figures are null and
    `degraded` names it. With `Accept: text/csv`: one row per month. Scope: `customers:read`.

    Args:
        by (Literal['month'] | Unset): The forecast's periods: calendar months (UTC). Default:
            'month'.
        from_ (str | Unset): First month, YYYY-MM (default: this month, UTC).
        months (int | Unset): How many months (1-24). Default: 12.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SalesForecast]
    """

    kwargs = _get_kwargs(
        by=by,
        from_=from_,
        months=months,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    by: Literal["month"] | Unset = "month",
    from_: str | Unset = UNSET,
    months: int | Unset = 12,
) -> Problem | SalesForecast | None:
    """Sales forecast by month, from open deals and predicted repurchase

     For `months` months (1-24, default 12) from `from` (YYYY-MM, UTC; default this month), by calendar
    month (`by=month`, the only period): open deals expected to close in the month (`open_deals`,
    `pipeline_amount`) and their amounts weighted by their stage's win probability (`weighted_deals`);
    repurchase expected from the workspace's customers (scoring: `expected_purchases`,
    `repurchase_revenue` = expected purchases x expected spend, with its 80% interval
    `repurchase_revenue_p10` / `repurchase_revenue_p90`); and `expected_revenue`, their sum. A deal's
    expected close month is its custom field `expected_close` ("YYYY-MM" or "YYYY-MM-DD"), else its
    creation plus its pipeline's average cycle of won deals (30 days before any is won); one expected
    before the current month counts in it. Money is in the report currency (decimal strings, summed
    exactly and rounded to the cent half up); open deals in other currencies are listed in
    `other_currencies`, not converted. When sales or scoring is down or slow its figures are null and
    `degraded` names it. With `Accept: text/csv`: one row per month. Scope: `customers:read`.

    Args:
        by (Literal['month'] | Unset): The forecast's periods: calendar months (UTC). Default:
            'month'.
        from_ (str | Unset): First month, YYYY-MM (default: this month, UTC).
        months (int | Unset): How many months (1-24). Default: 12.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SalesForecast
    """

    return sync_detailed(
        client=client,
        by=by,
        from_=from_,
        months=months,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    by: Literal["month"] | Unset = "month",
    from_: str | Unset = UNSET,
    months: int | Unset = 12,
) -> Response[Problem | SalesForecast]:
    """Sales forecast by month, from open deals and predicted repurchase

     For `months` months (1-24, default 12) from `from` (YYYY-MM, UTC; default this month), by calendar
    month (`by=month`, the only period): open deals expected to close in the month (`open_deals`,
    `pipeline_amount`) and their amounts weighted by their stage's win probability (`weighted_deals`);
    repurchase expected from the workspace's customers (scoring: `expected_purchases`,
    `repurchase_revenue` = expected purchases x expected spend, with its 80% interval
    `repurchase_revenue_p10` / `repurchase_revenue_p90`); and `expected_revenue`, their sum. A deal's
    expected close month is its custom field `expected_close` ("YYYY-MM" or "YYYY-MM-DD"), else its
    creation plus its pipeline's average cycle of won deals (30 days before any is won); one expected
    before the current month counts in it. Money is in the report currency (decimal strings, summed
    exactly and rounded to the cent half up); open deals in other currencies are listed in
    `other_currencies`, not converted. When sales or scoring is down or slow its figures are null and
    `degraded` names it. With `Accept: text/csv`: one row per month. Scope: `customers:read`.

    Args:
        by (Literal['month'] | Unset): The forecast's periods: calendar months (UTC). Default:
            'month'.
        from_ (str | Unset): First month, YYYY-MM (default: this month, UTC).
        months (int | Unset): How many months (1-24). Default: 12.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SalesForecast]
    """

    kwargs = _get_kwargs(
        by=by,
        from_=from_,
        months=months,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    by: Literal["month"] | Unset = "month",
    from_: str | Unset = UNSET,
    months: int | Unset = 12,
) -> Problem | SalesForecast | None:
    """Sales forecast by month, from open deals and predicted repurchase

     For `months` months (1-24, default 12) from `from` (YYYY-MM, UTC; default this month), by calendar
    month (`by=month`, the only period): open deals expected to close in the month (`open_deals`,
    `pipeline_amount`) and their amounts weighted by their stage's win probability (`weighted_deals`);
    repurchase expected from the workspace's customers (scoring: `expected_purchases`,
    `repurchase_revenue` = expected purchases x expected spend, with its 80% interval
    `repurchase_revenue_p10` / `repurchase_revenue_p90`); and `expected_revenue`, their sum. A deal's
    expected close month is its custom field `expected_close` ("YYYY-MM" or "YYYY-MM-DD"), else its
    creation plus its pipeline's average cycle of won deals (30 days before any is won); one expected
    before the current month counts in it. Money is in the report currency (decimal strings, summed
    exactly and rounded to the cent half up); open deals in other currencies are listed in
    `other_currencies`, not converted. When sales or scoring is down or slow its figures are null and
    `degraded` names it. With `Accept: text/csv`: one row per month. Scope: `customers:read`.

    Args:
        by (Literal['month'] | Unset): The forecast's periods: calendar months (UTC). Default:
            'month'.
        from_ (str | Unset): First month, YYYY-MM (default: this month, UTC).
        months (int | Unset): How many months (1-24). Default: 12.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SalesForecast
    """

    return (
        await asyncio_detailed(
            client=client,
            by=by,
            from_=from_,
            months=months,
        )
    ).parsed
