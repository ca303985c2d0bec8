from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.list_tasks_status import ListTasksStatus
from ...models.problem import Problem
from ...models.task_page import TaskPage
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    assignee: str | Unset = UNSET,
    status: ListTasksStatus | Unset = UNSET,
    deal_id: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    params["cursor"] = cursor

    params["assignee"] = assignee

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status.value

    params["status"] = json_status

    params["deal_id"] = deal_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/tasks",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | TaskPage | None:
    if response.status_code == 200:
        response_200 = TaskPage.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | TaskPage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    assignee: str | Unset = UNSET,
    status: ListTasksStatus | Unset = UNSET,
    deal_id: str | Unset = UNSET,
) -> Response[Problem | TaskPage]:
    """Sales tasks

     Open tasks first, by due date; optionally of one assignee, status or deal. Scope: `customers:read`.

    Args:
        limit (int | Unset): Page size (default 50; a larger one than 500 is taken as 500).
        cursor (str | Unset): The `next_cursor` of the previous page, as given (opaque: any other
            value is 422); empty or absent for the first page.
        assignee (str | Unset):
        status (ListTasksStatus | Unset):
        deal_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TaskPage]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
        assignee=assignee,
        status=status,
        deal_id=deal_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    assignee: str | Unset = UNSET,
    status: ListTasksStatus | Unset = UNSET,
    deal_id: str | Unset = UNSET,
) -> Problem | TaskPage | None:
    """Sales tasks

     Open tasks first, by due date; optionally of one assignee, status or deal. Scope: `customers:read`.

    Args:
        limit (int | Unset): Page size (default 50; a larger one than 500 is taken as 500).
        cursor (str | Unset): The `next_cursor` of the previous page, as given (opaque: any other
            value is 422); empty or absent for the first page.
        assignee (str | Unset):
        status (ListTasksStatus | Unset):
        deal_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TaskPage
    """

    return sync_detailed(
        client=client,
        limit=limit,
        cursor=cursor,
        assignee=assignee,
        status=status,
        deal_id=deal_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    assignee: str | Unset = UNSET,
    status: ListTasksStatus | Unset = UNSET,
    deal_id: str | Unset = UNSET,
) -> Response[Problem | TaskPage]:
    """Sales tasks

     Open tasks first, by due date; optionally of one assignee, status or deal. Scope: `customers:read`.

    Args:
        limit (int | Unset): Page size (default 50; a larger one than 500 is taken as 500).
        cursor (str | Unset): The `next_cursor` of the previous page, as given (opaque: any other
            value is 422); empty or absent for the first page.
        assignee (str | Unset):
        status (ListTasksStatus | Unset):
        deal_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TaskPage]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
        assignee=assignee,
        status=status,
        deal_id=deal_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    assignee: str | Unset = UNSET,
    status: ListTasksStatus | Unset = UNSET,
    deal_id: str | Unset = UNSET,
) -> Problem | TaskPage | None:
    """Sales tasks

     Open tasks first, by due date; optionally of one assignee, status or deal. Scope: `customers:read`.

    Args:
        limit (int | Unset): Page size (default 50; a larger one than 500 is taken as 500).
        cursor (str | Unset): The `next_cursor` of the previous page, as given (opaque: any other
            value is 422); empty or absent for the first page.
        assignee (str | Unset):
        status (ListTasksStatus | Unset):
        deal_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TaskPage
    """

    return (
        await asyncio_detailed(
            client=client,
            limit=limit,
            cursor=cursor,
            assignee=assignee,
            status=status,
            deal_id=deal_id,
        )
    ).parsed
