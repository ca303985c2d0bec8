import datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.program_stats import ProgramStats
from ...types import UNSET, Response, Unset


def _get_kwargs(
    program_id: str,
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
        "url": "/v1/referral-programs/{program_id}/stats".format(
            program_id=quote(str(program_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | ProgramStats | None:
    if response.status_code == 200:
        response_200 = ProgramStats.from_dict(response.json())

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
) -> Response[Problem | ProgramStats]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    program_id: str,
    *,
    client: AuthenticatedClient,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
) -> Response[Problem | ProgramStats]:
    """A referral program's numbers

     For the period [`from`, `to`) (default: the 30 days before `to`, which defaults to now): referral
    share of new customers, the funnel (invites, clicks, sign-ups, first purchases), K-factor, reward
    cost per acquired customer, and referred customers' LTV against the others'. `from` must be before
    `to` (422). Scope: `customers:read`.

    Args:
        program_id (str):
        from_ (datetime.datetime | Unset): Start, inclusive: RFC 3339 with a time zone, years 1901
            to 2998, e.g. 2026-05-01T00:00:00Z.
        to (datetime.datetime | Unset): End, exclusive: RFC 3339 with a time zone, years 1901 to
            2998, e.g. 2026-05-01T00:00:00Z.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ProgramStats]
    """

    kwargs = _get_kwargs(
        program_id=program_id,
        from_=from_,
        to=to,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    program_id: str,
    *,
    client: AuthenticatedClient,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
) -> Problem | ProgramStats | None:
    """A referral program's numbers

     For the period [`from`, `to`) (default: the 30 days before `to`, which defaults to now): referral
    share of new customers, the funnel (invites, clicks, sign-ups, first purchases), K-factor, reward
    cost per acquired customer, and referred customers' LTV against the others'. `from` must be before
    `to` (422). Scope: `customers:read`.

    Args:
        program_id (str):
        from_ (datetime.datetime | Unset): Start, inclusive: RFC 3339 with a time zone, years 1901
            to 2998, e.g. 2026-05-01T00:00:00Z.
        to (datetime.datetime | Unset): End, exclusive: RFC 3339 with a time zone, years 1901 to
            2998, e.g. 2026-05-01T00:00:00Z.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ProgramStats
    """

    return sync_detailed(
        program_id=program_id,
        client=client,
        from_=from_,
        to=to,
    ).parsed


async def asyncio_detailed(
    program_id: str,
    *,
    client: AuthenticatedClient,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
) -> Response[Problem | ProgramStats]:
    """A referral program's numbers

     For the period [`from`, `to`) (default: the 30 days before `to`, which defaults to now): referral
    share of new customers, the funnel (invites, clicks, sign-ups, first purchases), K-factor, reward
    cost per acquired customer, and referred customers' LTV against the others'. `from` must be before
    `to` (422). Scope: `customers:read`.

    Args:
        program_id (str):
        from_ (datetime.datetime | Unset): Start, inclusive: RFC 3339 with a time zone, years 1901
            to 2998, e.g. 2026-05-01T00:00:00Z.
        to (datetime.datetime | Unset): End, exclusive: RFC 3339 with a time zone, years 1901 to
            2998, e.g. 2026-05-01T00:00:00Z.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ProgramStats]
    """

    kwargs = _get_kwargs(
        program_id=program_id,
        from_=from_,
        to=to,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    program_id: str,
    *,
    client: AuthenticatedClient,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
) -> Problem | ProgramStats | None:
    """A referral program's numbers

     For the period [`from`, `to`) (default: the 30 days before `to`, which defaults to now): referral
    share of new customers, the funnel (invites, clicks, sign-ups, first purchases), K-factor, reward
    cost per acquired customer, and referred customers' LTV against the others'. `from` must be before
    `to` (422). Scope: `customers:read`.

    Args:
        program_id (str):
        from_ (datetime.datetime | Unset): Start, inclusive: RFC 3339 with a time zone, years 1901
            to 2998, e.g. 2026-05-01T00:00:00Z.
        to (datetime.datetime | Unset): End, exclusive: RFC 3339 with a time zone, years 1901 to
            2998, e.g. 2026-05-01T00:00:00Z.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ProgramStats
    """

    return (
        await asyncio_detailed(
            program_id=program_id,
            client=client,
            from_=from_,
            to=to,
        )
    ).parsed
