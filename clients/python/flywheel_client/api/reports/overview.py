import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.overview import Overview
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
        "url": "/v1/reports/overview",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Overview | Problem | None:
    if response.status_code == 200:
        response_200 = Overview.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Overview | Problem]:
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
) -> Response[Overview | Problem]:
    """Headline KPIs over a period, beside the previous period

     The headline numbers of the workspace over the period [`from`, `to`) (default: the last 30 days;
    `from` before `to`, at most 3660 days apart, else 422), each beside the same number over the
    previous period of the same length, with the relative change. Snapshot KPIs (scores: activity, LTV,
    the RFM and churn-risk distributions) are as of now, so their `previous` is null. The services are
    asked concurrently, each within the gateway's per-call budget; a service that is down or slow leaves
    its KPIs null and is named in `degraded`. Scope: `customers:read`.

    KPIs:
    - `customers` (count, profile): live customers first seen before the period's end
    - `new_customers` (count, profile): customers first seen in the period
    - `purchasing_customers` (count, profile): customers with an order in the period
    - `orders` (count, profile): orders placed in the period
    - `revenue` (money, profile): order amounts in the period, before refunds
    - `repurchase_rate` (ratio, profile): customers with two or more orders among those with any, by the
    period's end
    - `active_customers` (count, scoring, snapshot): purchasers not dormant
    - `dormant_customers` (count, scoring, snapshot): customers now dormant
    - `average_ltv` (money, scoring, snapshot): average historical LTV of purchasers (net of refunds)
    - `average_predicted_ltv` (money, scoring, snapshot): average predicted 12-month LTV of purchasers
    - `referral_share` (ratio, referral): share of the period's new buyers (first purchase in the
    period) a referral brought
    - `referred_new_customers` (count, referral): new buyers in the period a referral brought
    - `journey_enrolments` (count, journey): journey enrolments (holdouts left out) entered in the
    period
    - `journey_conversions` (count, journey): how many of those enrolments have converted
    - `journey_conversion_rate` (ratio, journey): journey conversions / journey enrolments
    - `deals_won` (count, sales): deals created in the period and won
    - `sales_win_rate` (ratio, sales): won / (won + lost) of deals created in the period
    - `sales_cycle_days` (days, sales): average days from creation to won, deals created in the period
    - `loyalty_members` (count, loyalty, snapshot): customers with a points ledger
    - `points_outstanding` (count, loyalty, snapshot): points liability: every member's positive
    balance, summed
    - `points_liability` (money, loyalty, snapshot): what the outstanding points are worth, in the
    loyalty program's currency
    - `points_earned` (count, loyalty): points earned in the period (erased members' included)
    - `points_redeemed` (count, loyalty): points redeemed in the period
    - `points_expired` (count, loyalty): points expired in the period
    - `points_redemption_rate` (ratio, loyalty): points redeemed / points earned in the period

    `distributions.loyalty_tiers`: loyalty members per tier, now (loyalty; null when it is degraded).

    Args:
        from_ (datetime.datetime | Unset): Start, inclusive (default: 30 days before `to`): RFC
            3339 with a time zone, years 1901 to 2998, e.g. 2026-05-01T00:00:00Z.
        to (datetime.datetime | Unset): End, exclusive (default: now): RFC 3339 with a time zone,
            years 1901 to 2998, e.g. 2026-05-01T00:00:00Z.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Overview | Problem]
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
) -> Overview | Problem | None:
    """Headline KPIs over a period, beside the previous period

     The headline numbers of the workspace over the period [`from`, `to`) (default: the last 30 days;
    `from` before `to`, at most 3660 days apart, else 422), each beside the same number over the
    previous period of the same length, with the relative change. Snapshot KPIs (scores: activity, LTV,
    the RFM and churn-risk distributions) are as of now, so their `previous` is null. The services are
    asked concurrently, each within the gateway's per-call budget; a service that is down or slow leaves
    its KPIs null and is named in `degraded`. Scope: `customers:read`.

    KPIs:
    - `customers` (count, profile): live customers first seen before the period's end
    - `new_customers` (count, profile): customers first seen in the period
    - `purchasing_customers` (count, profile): customers with an order in the period
    - `orders` (count, profile): orders placed in the period
    - `revenue` (money, profile): order amounts in the period, before refunds
    - `repurchase_rate` (ratio, profile): customers with two or more orders among those with any, by the
    period's end
    - `active_customers` (count, scoring, snapshot): purchasers not dormant
    - `dormant_customers` (count, scoring, snapshot): customers now dormant
    - `average_ltv` (money, scoring, snapshot): average historical LTV of purchasers (net of refunds)
    - `average_predicted_ltv` (money, scoring, snapshot): average predicted 12-month LTV of purchasers
    - `referral_share` (ratio, referral): share of the period's new buyers (first purchase in the
    period) a referral brought
    - `referred_new_customers` (count, referral): new buyers in the period a referral brought
    - `journey_enrolments` (count, journey): journey enrolments (holdouts left out) entered in the
    period
    - `journey_conversions` (count, journey): how many of those enrolments have converted
    - `journey_conversion_rate` (ratio, journey): journey conversions / journey enrolments
    - `deals_won` (count, sales): deals created in the period and won
    - `sales_win_rate` (ratio, sales): won / (won + lost) of deals created in the period
    - `sales_cycle_days` (days, sales): average days from creation to won, deals created in the period
    - `loyalty_members` (count, loyalty, snapshot): customers with a points ledger
    - `points_outstanding` (count, loyalty, snapshot): points liability: every member's positive
    balance, summed
    - `points_liability` (money, loyalty, snapshot): what the outstanding points are worth, in the
    loyalty program's currency
    - `points_earned` (count, loyalty): points earned in the period (erased members' included)
    - `points_redeemed` (count, loyalty): points redeemed in the period
    - `points_expired` (count, loyalty): points expired in the period
    - `points_redemption_rate` (ratio, loyalty): points redeemed / points earned in the period

    `distributions.loyalty_tiers`: loyalty members per tier, now (loyalty; null when it is degraded).

    Args:
        from_ (datetime.datetime | Unset): Start, inclusive (default: 30 days before `to`): RFC
            3339 with a time zone, years 1901 to 2998, e.g. 2026-05-01T00:00:00Z.
        to (datetime.datetime | Unset): End, exclusive (default: now): RFC 3339 with a time zone,
            years 1901 to 2998, e.g. 2026-05-01T00:00:00Z.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Overview | Problem
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
) -> Response[Overview | Problem]:
    """Headline KPIs over a period, beside the previous period

     The headline numbers of the workspace over the period [`from`, `to`) (default: the last 30 days;
    `from` before `to`, at most 3660 days apart, else 422), each beside the same number over the
    previous period of the same length, with the relative change. Snapshot KPIs (scores: activity, LTV,
    the RFM and churn-risk distributions) are as of now, so their `previous` is null. The services are
    asked concurrently, each within the gateway's per-call budget; a service that is down or slow leaves
    its KPIs null and is named in `degraded`. Scope: `customers:read`.

    KPIs:
    - `customers` (count, profile): live customers first seen before the period's end
    - `new_customers` (count, profile): customers first seen in the period
    - `purchasing_customers` (count, profile): customers with an order in the period
    - `orders` (count, profile): orders placed in the period
    - `revenue` (money, profile): order amounts in the period, before refunds
    - `repurchase_rate` (ratio, profile): customers with two or more orders among those with any, by the
    period's end
    - `active_customers` (count, scoring, snapshot): purchasers not dormant
    - `dormant_customers` (count, scoring, snapshot): customers now dormant
    - `average_ltv` (money, scoring, snapshot): average historical LTV of purchasers (net of refunds)
    - `average_predicted_ltv` (money, scoring, snapshot): average predicted 12-month LTV of purchasers
    - `referral_share` (ratio, referral): share of the period's new buyers (first purchase in the
    period) a referral brought
    - `referred_new_customers` (count, referral): new buyers in the period a referral brought
    - `journey_enrolments` (count, journey): journey enrolments (holdouts left out) entered in the
    period
    - `journey_conversions` (count, journey): how many of those enrolments have converted
    - `journey_conversion_rate` (ratio, journey): journey conversions / journey enrolments
    - `deals_won` (count, sales): deals created in the period and won
    - `sales_win_rate` (ratio, sales): won / (won + lost) of deals created in the period
    - `sales_cycle_days` (days, sales): average days from creation to won, deals created in the period
    - `loyalty_members` (count, loyalty, snapshot): customers with a points ledger
    - `points_outstanding` (count, loyalty, snapshot): points liability: every member's positive
    balance, summed
    - `points_liability` (money, loyalty, snapshot): what the outstanding points are worth, in the
    loyalty program's currency
    - `points_earned` (count, loyalty): points earned in the period (erased members' included)
    - `points_redeemed` (count, loyalty): points redeemed in the period
    - `points_expired` (count, loyalty): points expired in the period
    - `points_redemption_rate` (ratio, loyalty): points redeemed / points earned in the period

    `distributions.loyalty_tiers`: loyalty members per tier, now (loyalty; null when it is degraded).

    Args:
        from_ (datetime.datetime | Unset): Start, inclusive (default: 30 days before `to`): RFC
            3339 with a time zone, years 1901 to 2998, e.g. 2026-05-01T00:00:00Z.
        to (datetime.datetime | Unset): End, exclusive (default: now): RFC 3339 with a time zone,
            years 1901 to 2998, e.g. 2026-05-01T00:00:00Z.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Overview | Problem]
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
) -> Overview | Problem | None:
    """Headline KPIs over a period, beside the previous period

     The headline numbers of the workspace over the period [`from`, `to`) (default: the last 30 days;
    `from` before `to`, at most 3660 days apart, else 422), each beside the same number over the
    previous period of the same length, with the relative change. Snapshot KPIs (scores: activity, LTV,
    the RFM and churn-risk distributions) are as of now, so their `previous` is null. The services are
    asked concurrently, each within the gateway's per-call budget; a service that is down or slow leaves
    its KPIs null and is named in `degraded`. Scope: `customers:read`.

    KPIs:
    - `customers` (count, profile): live customers first seen before the period's end
    - `new_customers` (count, profile): customers first seen in the period
    - `purchasing_customers` (count, profile): customers with an order in the period
    - `orders` (count, profile): orders placed in the period
    - `revenue` (money, profile): order amounts in the period, before refunds
    - `repurchase_rate` (ratio, profile): customers with two or more orders among those with any, by the
    period's end
    - `active_customers` (count, scoring, snapshot): purchasers not dormant
    - `dormant_customers` (count, scoring, snapshot): customers now dormant
    - `average_ltv` (money, scoring, snapshot): average historical LTV of purchasers (net of refunds)
    - `average_predicted_ltv` (money, scoring, snapshot): average predicted 12-month LTV of purchasers
    - `referral_share` (ratio, referral): share of the period's new buyers (first purchase in the
    period) a referral brought
    - `referred_new_customers` (count, referral): new buyers in the period a referral brought
    - `journey_enrolments` (count, journey): journey enrolments (holdouts left out) entered in the
    period
    - `journey_conversions` (count, journey): how many of those enrolments have converted
    - `journey_conversion_rate` (ratio, journey): journey conversions / journey enrolments
    - `deals_won` (count, sales): deals created in the period and won
    - `sales_win_rate` (ratio, sales): won / (won + lost) of deals created in the period
    - `sales_cycle_days` (days, sales): average days from creation to won, deals created in the period
    - `loyalty_members` (count, loyalty, snapshot): customers with a points ledger
    - `points_outstanding` (count, loyalty, snapshot): points liability: every member's positive
    balance, summed
    - `points_liability` (money, loyalty, snapshot): what the outstanding points are worth, in the
    loyalty program's currency
    - `points_earned` (count, loyalty): points earned in the period (erased members' included)
    - `points_redeemed` (count, loyalty): points redeemed in the period
    - `points_expired` (count, loyalty): points expired in the period
    - `points_redemption_rate` (ratio, loyalty): points redeemed / points earned in the period

    `distributions.loyalty_tiers`: loyalty members per tier, now (loyalty; null when it is degraded).

    Args:
        from_ (datetime.datetime | Unset): Start, inclusive (default: 30 days before `to`): RFC
            3339 with a time zone, years 1901 to 2998, e.g. 2026-05-01T00:00:00Z.
        to (datetime.datetime | Unset): End, exclusive (default: now): RFC 3339 with a time zone,
            years 1901 to 2998, e.g. 2026-05-01T00:00:00Z.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Overview | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            from_=from_,
            to=to,
        )
    ).parsed
