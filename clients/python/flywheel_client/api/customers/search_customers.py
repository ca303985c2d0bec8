from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.customer_page import CustomerPage
from ...models.problem import Problem
from ...models.search_customers_churn_risk import SearchCustomersChurnRisk
from ...models.search_customers_rfm_segment import SearchCustomersRfmSegment
from ...models.search_customers_sort import SearchCustomersSort
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    tag: list[str] | Unset = UNSET,
    segment: str | Unset = UNSET,
    rfm_segment: SearchCustomersRfmSegment | Unset = UNSET,
    churn_risk: SearchCustomersChurnRisk | Unset = UNSET,
    sort: SearchCustomersSort | Unset = SearchCustomersSort.VALUE_1,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    trait_city: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_tag: list[str] | Unset = UNSET
    if not isinstance(tag, Unset):
        json_tag = tag

    params["tag"] = json_tag

    params["segment"] = segment

    json_rfm_segment: str | Unset = UNSET
    if not isinstance(rfm_segment, Unset):
        json_rfm_segment = rfm_segment.value

    params["rfm_segment"] = json_rfm_segment

    json_churn_risk: str | Unset = UNSET
    if not isinstance(churn_risk, Unset):
        json_churn_risk = churn_risk.value

    params["churn_risk"] = json_churn_risk

    json_sort: str | Unset = UNSET
    if not isinstance(sort, Unset):
        json_sort = sort.value

    params["sort"] = json_sort

    params["limit"] = limit

    params["cursor"] = cursor

    params["trait.city"] = trait_city

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/customers/search",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> CustomerPage | Problem | None:
    if response.status_code == 200:
        response_200 = CustomerPage.from_dict(response.json())

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
) -> Response[CustomerPage | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    tag: list[str] | Unset = UNSET,
    segment: str | Unset = UNSET,
    rfm_segment: SearchCustomersRfmSegment | Unset = UNSET,
    churn_risk: SearchCustomersChurnRisk | Unset = UNSET,
    sort: SearchCustomersSort | Unset = SearchCustomersSort.VALUE_1,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    trait_city: str | Unset = UNSET,
) -> Response[CustomerPage | Problem]:
    """List customers: filter by traits, tags, segment and scores; sort; paginate

     Live customers of the workspace (merged-away and erased ones are left out) matching every filter
    given, as 360-less customer objects (identifiers, traits, tags, stats). Filters:
    `trait.<name>=value` (repeat for several traits), `tag` (repeat: every tag must be present),
    `segment` (members of a saved segment), `rfm_segment`, `churn_risk`. Sort with `sort` (a leading `-`
    sorts descending; ties by id; customers without a purchase sort as the oldest `last_purchase_at`).
    Cursor pagination: `limit` (default 50, values above 500 are treated as 500) and the `next_cursor`
    of the previous page, with the same filters and sort. Segment and score filters may match at most
    10000 customers (422 beyond: list by tag or trait, or page the segment's members at
    `/v1/segments/{id}/members`). Scope: `customers:read`.

    Args:
        tag (list[str] | Unset): A tag every listed customer carries; repeat for several.
        segment (str | Unset): A saved segment's id: its members only.
        rfm_segment (SearchCustomersRfmSegment | Unset): Customers in this RFM segment now.
        churn_risk (SearchCustomersChurnRisk | Unset): Customers in this churn-risk band now.
        sort (SearchCustomersSort | Unset): Order of the list; `-` first for descending. Default:
            SearchCustomersSort.VALUE_1.
        limit (int | Unset): Page size (default 50; a larger one than 500 is taken as 500).
        cursor (str | Unset): The `next_cursor` of the previous page, as given (opaque: any other
            value is 422); empty or absent for the first page.
        trait_city (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CustomerPage | Problem]
    """

    kwargs = _get_kwargs(
        tag=tag,
        segment=segment,
        rfm_segment=rfm_segment,
        churn_risk=churn_risk,
        sort=sort,
        limit=limit,
        cursor=cursor,
        trait_city=trait_city,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    tag: list[str] | Unset = UNSET,
    segment: str | Unset = UNSET,
    rfm_segment: SearchCustomersRfmSegment | Unset = UNSET,
    churn_risk: SearchCustomersChurnRisk | Unset = UNSET,
    sort: SearchCustomersSort | Unset = SearchCustomersSort.VALUE_1,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    trait_city: str | Unset = UNSET,
) -> CustomerPage | Problem | None:
    """List customers: filter by traits, tags, segment and scores; sort; paginate

     Live customers of the workspace (merged-away and erased ones are left out) matching every filter
    given, as 360-less customer objects (identifiers, traits, tags, stats). Filters:
    `trait.<name>=value` (repeat for several traits), `tag` (repeat: every tag must be present),
    `segment` (members of a saved segment), `rfm_segment`, `churn_risk`. Sort with `sort` (a leading `-`
    sorts descending; ties by id; customers without a purchase sort as the oldest `last_purchase_at`).
    Cursor pagination: `limit` (default 50, values above 500 are treated as 500) and the `next_cursor`
    of the previous page, with the same filters and sort. Segment and score filters may match at most
    10000 customers (422 beyond: list by tag or trait, or page the segment's members at
    `/v1/segments/{id}/members`). Scope: `customers:read`.

    Args:
        tag (list[str] | Unset): A tag every listed customer carries; repeat for several.
        segment (str | Unset): A saved segment's id: its members only.
        rfm_segment (SearchCustomersRfmSegment | Unset): Customers in this RFM segment now.
        churn_risk (SearchCustomersChurnRisk | Unset): Customers in this churn-risk band now.
        sort (SearchCustomersSort | Unset): Order of the list; `-` first for descending. Default:
            SearchCustomersSort.VALUE_1.
        limit (int | Unset): Page size (default 50; a larger one than 500 is taken as 500).
        cursor (str | Unset): The `next_cursor` of the previous page, as given (opaque: any other
            value is 422); empty or absent for the first page.
        trait_city (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CustomerPage | Problem
    """

    return sync_detailed(
        client=client,
        tag=tag,
        segment=segment,
        rfm_segment=rfm_segment,
        churn_risk=churn_risk,
        sort=sort,
        limit=limit,
        cursor=cursor,
        trait_city=trait_city,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    tag: list[str] | Unset = UNSET,
    segment: str | Unset = UNSET,
    rfm_segment: SearchCustomersRfmSegment | Unset = UNSET,
    churn_risk: SearchCustomersChurnRisk | Unset = UNSET,
    sort: SearchCustomersSort | Unset = SearchCustomersSort.VALUE_1,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    trait_city: str | Unset = UNSET,
) -> Response[CustomerPage | Problem]:
    """List customers: filter by traits, tags, segment and scores; sort; paginate

     Live customers of the workspace (merged-away and erased ones are left out) matching every filter
    given, as 360-less customer objects (identifiers, traits, tags, stats). Filters:
    `trait.<name>=value` (repeat for several traits), `tag` (repeat: every tag must be present),
    `segment` (members of a saved segment), `rfm_segment`, `churn_risk`. Sort with `sort` (a leading `-`
    sorts descending; ties by id; customers without a purchase sort as the oldest `last_purchase_at`).
    Cursor pagination: `limit` (default 50, values above 500 are treated as 500) and the `next_cursor`
    of the previous page, with the same filters and sort. Segment and score filters may match at most
    10000 customers (422 beyond: list by tag or trait, or page the segment's members at
    `/v1/segments/{id}/members`). Scope: `customers:read`.

    Args:
        tag (list[str] | Unset): A tag every listed customer carries; repeat for several.
        segment (str | Unset): A saved segment's id: its members only.
        rfm_segment (SearchCustomersRfmSegment | Unset): Customers in this RFM segment now.
        churn_risk (SearchCustomersChurnRisk | Unset): Customers in this churn-risk band now.
        sort (SearchCustomersSort | Unset): Order of the list; `-` first for descending. Default:
            SearchCustomersSort.VALUE_1.
        limit (int | Unset): Page size (default 50; a larger one than 500 is taken as 500).
        cursor (str | Unset): The `next_cursor` of the previous page, as given (opaque: any other
            value is 422); empty or absent for the first page.
        trait_city (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CustomerPage | Problem]
    """

    kwargs = _get_kwargs(
        tag=tag,
        segment=segment,
        rfm_segment=rfm_segment,
        churn_risk=churn_risk,
        sort=sort,
        limit=limit,
        cursor=cursor,
        trait_city=trait_city,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    tag: list[str] | Unset = UNSET,
    segment: str | Unset = UNSET,
    rfm_segment: SearchCustomersRfmSegment | Unset = UNSET,
    churn_risk: SearchCustomersChurnRisk | Unset = UNSET,
    sort: SearchCustomersSort | Unset = SearchCustomersSort.VALUE_1,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    trait_city: str | Unset = UNSET,
) -> CustomerPage | Problem | None:
    """List customers: filter by traits, tags, segment and scores; sort; paginate

     Live customers of the workspace (merged-away and erased ones are left out) matching every filter
    given, as 360-less customer objects (identifiers, traits, tags, stats). Filters:
    `trait.<name>=value` (repeat for several traits), `tag` (repeat: every tag must be present),
    `segment` (members of a saved segment), `rfm_segment`, `churn_risk`. Sort with `sort` (a leading `-`
    sorts descending; ties by id; customers without a purchase sort as the oldest `last_purchase_at`).
    Cursor pagination: `limit` (default 50, values above 500 are treated as 500) and the `next_cursor`
    of the previous page, with the same filters and sort. Segment and score filters may match at most
    10000 customers (422 beyond: list by tag or trait, or page the segment's members at
    `/v1/segments/{id}/members`). Scope: `customers:read`.

    Args:
        tag (list[str] | Unset): A tag every listed customer carries; repeat for several.
        segment (str | Unset): A saved segment's id: its members only.
        rfm_segment (SearchCustomersRfmSegment | Unset): Customers in this RFM segment now.
        churn_risk (SearchCustomersChurnRisk | Unset): Customers in this churn-risk band now.
        sort (SearchCustomersSort | Unset): Order of the list; `-` first for descending. Default:
            SearchCustomersSort.VALUE_1.
        limit (int | Unset): Page size (default 50; a larger one than 500 is taken as 500).
        cursor (str | Unset): The `next_cursor` of the previous page, as given (opaque: any other
            value is 422); empty or absent for the first page.
        trait_city (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CustomerPage | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            tag=tag,
            segment=segment,
            rfm_segment=rfm_segment,
            churn_risk=churn_risk,
            sort=sort,
            limit=limit,
            cursor=cursor,
            trait_city=trait_city,
        )
    ).parsed
