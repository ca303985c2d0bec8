import datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.segment_report_out import SegmentReportOut
from ...types import UNSET, Response, Unset


def _get_kwargs(
    segment_id: str,
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
        "url": "/v1/reports/segments/{segment_id}".format(
            segment_id=quote(str(segment_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | SegmentReportOut | None:
    if response.status_code == 200:
        response_200 = SegmentReportOut.from_dict(response.json())

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

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | SegmentReportOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    segment_id: str,
    *,
    client: AuthenticatedClient,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
) -> Response[Problem | SegmentReportOut]:
    """One segment's size over time, revenue, predicted CLV, churn mix, repurchase rate and NPS

     For [`from`, `to`) (default: the last 30 days): the segment's members per UTC day (`sizes`) and now
    (`members`), its current members' `revenue` and `orders` in the period and `average_order_value`,
    their average predicted 12-month CLV, churn-risk mix, repurchase rate (two or more purchase days
    among purchasers) and NPS over their latest answer in the period (`nps`, `nps_by_month`). Money in
    the workspace's report currency, to the cent. A segment the workspace does not have is 404; the
    report is all scoring's, so when scoring is down or slow the answer is 503 (with `Retry-After`).
    With `Accept: text/csv`: one row per day of sizes (`level` day), then the figures on one `summary`
    row (churn bands as `churn_low`, `churn_medium`, `churn_high`). Scope: `customers:read`.

    Args:
        segment_id (str): A segment's id.
        from_ (datetime.datetime | Unset): Start, inclusive (default: 30 days before `to`): RFC
            3339 with a time zone, years 1901 to 2998, e.g. 2026-05-01T00:00:00Z.
        to (datetime.datetime | Unset): End, exclusive (default: now): RFC 3339 with a time zone,
            years 1901 to 2998, e.g. 2026-05-01T00:00:00Z.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SegmentReportOut]
    """

    kwargs = _get_kwargs(
        segment_id=segment_id,
        from_=from_,
        to=to,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    segment_id: str,
    *,
    client: AuthenticatedClient,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
) -> Problem | SegmentReportOut | None:
    """One segment's size over time, revenue, predicted CLV, churn mix, repurchase rate and NPS

     For [`from`, `to`) (default: the last 30 days): the segment's members per UTC day (`sizes`) and now
    (`members`), its current members' `revenue` and `orders` in the period and `average_order_value`,
    their average predicted 12-month CLV, churn-risk mix, repurchase rate (two or more purchase days
    among purchasers) and NPS over their latest answer in the period (`nps`, `nps_by_month`). Money in
    the workspace's report currency, to the cent. A segment the workspace does not have is 404; the
    report is all scoring's, so when scoring is down or slow the answer is 503 (with `Retry-After`).
    With `Accept: text/csv`: one row per day of sizes (`level` day), then the figures on one `summary`
    row (churn bands as `churn_low`, `churn_medium`, `churn_high`). Scope: `customers:read`.

    Args:
        segment_id (str): A segment's id.
        from_ (datetime.datetime | Unset): Start, inclusive (default: 30 days before `to`): RFC
            3339 with a time zone, years 1901 to 2998, e.g. 2026-05-01T00:00:00Z.
        to (datetime.datetime | Unset): End, exclusive (default: now): RFC 3339 with a time zone,
            years 1901 to 2998, e.g. 2026-05-01T00:00:00Z.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SegmentReportOut
    """

    return sync_detailed(
        segment_id=segment_id,
        client=client,
        from_=from_,
        to=to,
    ).parsed


async def asyncio_detailed(
    segment_id: str,
    *,
    client: AuthenticatedClient,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
) -> Response[Problem | SegmentReportOut]:
    """One segment's size over time, revenue, predicted CLV, churn mix, repurchase rate and NPS

     For [`from`, `to`) (default: the last 30 days): the segment's members per UTC day (`sizes`) and now
    (`members`), its current members' `revenue` and `orders` in the period and `average_order_value`,
    their average predicted 12-month CLV, churn-risk mix, repurchase rate (two or more purchase days
    among purchasers) and NPS over their latest answer in the period (`nps`, `nps_by_month`). Money in
    the workspace's report currency, to the cent. A segment the workspace does not have is 404; the
    report is all scoring's, so when scoring is down or slow the answer is 503 (with `Retry-After`).
    With `Accept: text/csv`: one row per day of sizes (`level` day), then the figures on one `summary`
    row (churn bands as `churn_low`, `churn_medium`, `churn_high`). Scope: `customers:read`.

    Args:
        segment_id (str): A segment's id.
        from_ (datetime.datetime | Unset): Start, inclusive (default: 30 days before `to`): RFC
            3339 with a time zone, years 1901 to 2998, e.g. 2026-05-01T00:00:00Z.
        to (datetime.datetime | Unset): End, exclusive (default: now): RFC 3339 with a time zone,
            years 1901 to 2998, e.g. 2026-05-01T00:00:00Z.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SegmentReportOut]
    """

    kwargs = _get_kwargs(
        segment_id=segment_id,
        from_=from_,
        to=to,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    segment_id: str,
    *,
    client: AuthenticatedClient,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
) -> Problem | SegmentReportOut | None:
    """One segment's size over time, revenue, predicted CLV, churn mix, repurchase rate and NPS

     For [`from`, `to`) (default: the last 30 days): the segment's members per UTC day (`sizes`) and now
    (`members`), its current members' `revenue` and `orders` in the period and `average_order_value`,
    their average predicted 12-month CLV, churn-risk mix, repurchase rate (two or more purchase days
    among purchasers) and NPS over their latest answer in the period (`nps`, `nps_by_month`). Money in
    the workspace's report currency, to the cent. A segment the workspace does not have is 404; the
    report is all scoring's, so when scoring is down or slow the answer is 503 (with `Retry-After`).
    With `Accept: text/csv`: one row per day of sizes (`level` day), then the figures on one `summary`
    row (churn bands as `churn_low`, `churn_medium`, `churn_high`). Scope: `customers:read`.

    Args:
        segment_id (str): A segment's id.
        from_ (datetime.datetime | Unset): Start, inclusive (default: 30 days before `to`): RFC
            3339 with a time zone, years 1901 to 2998, e.g. 2026-05-01T00:00:00Z.
        to (datetime.datetime | Unset): End, exclusive (default: now): RFC 3339 with a time zone,
            years 1901 to 2998, e.g. 2026-05-01T00:00:00Z.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SegmentReportOut
    """

    return (
        await asyncio_detailed(
            segment_id=segment_id,
            client=client,
            from_=from_,
            to=to,
        )
    ).parsed
