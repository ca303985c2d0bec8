from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.customer_view import CustomerView
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    email: str | Unset = UNSET,
    phone: str | Unset = UNSET,
    external_id: str | Unset = UNSET,
    anonymous_id: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["email"] = email

    params["phone"] = phone

    params["external_id"] = external_id

    params["anonymous_id"] = anonymous_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/customers",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> CustomerView | Problem | None:
    if response.status_code == 200:
        response_200 = CustomerView.from_dict(response.json())

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
) -> Response[CustomerView | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    email: str | Unset = UNSET,
    phone: str | Unset = UNSET,
    external_id: str | Unset = UNSET,
    anonymous_id: str | Unset = UNSET,
) -> Response[CustomerView | Problem]:
    """Find a customer by an identifier

     Give exactly one of `email`, `phone`, `external_id`, `anonymous_id`. Emails match case-
    insensitively. Scope: `customers:read`.

    Args:
        email (str | Unset):
        phone (str | Unset):
        external_id (str | Unset):
        anonymous_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CustomerView | Problem]
    """

    kwargs = _get_kwargs(
        email=email,
        phone=phone,
        external_id=external_id,
        anonymous_id=anonymous_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    email: str | Unset = UNSET,
    phone: str | Unset = UNSET,
    external_id: str | Unset = UNSET,
    anonymous_id: str | Unset = UNSET,
) -> CustomerView | Problem | None:
    """Find a customer by an identifier

     Give exactly one of `email`, `phone`, `external_id`, `anonymous_id`. Emails match case-
    insensitively. Scope: `customers:read`.

    Args:
        email (str | Unset):
        phone (str | Unset):
        external_id (str | Unset):
        anonymous_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CustomerView | Problem
    """

    return sync_detailed(
        client=client,
        email=email,
        phone=phone,
        external_id=external_id,
        anonymous_id=anonymous_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    email: str | Unset = UNSET,
    phone: str | Unset = UNSET,
    external_id: str | Unset = UNSET,
    anonymous_id: str | Unset = UNSET,
) -> Response[CustomerView | Problem]:
    """Find a customer by an identifier

     Give exactly one of `email`, `phone`, `external_id`, `anonymous_id`. Emails match case-
    insensitively. Scope: `customers:read`.

    Args:
        email (str | Unset):
        phone (str | Unset):
        external_id (str | Unset):
        anonymous_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CustomerView | Problem]
    """

    kwargs = _get_kwargs(
        email=email,
        phone=phone,
        external_id=external_id,
        anonymous_id=anonymous_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    email: str | Unset = UNSET,
    phone: str | Unset = UNSET,
    external_id: str | Unset = UNSET,
    anonymous_id: str | Unset = UNSET,
) -> CustomerView | Problem | None:
    """Find a customer by an identifier

     Give exactly one of `email`, `phone`, `external_id`, `anonymous_id`. Emails match case-
    insensitively. Scope: `customers:read`.

    Args:
        email (str | Unset):
        phone (str | Unset):
        external_id (str | Unset):
        anonymous_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CustomerView | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            email=email,
            phone=phone,
            external_id=external_id,
            anonymous_id=anonymous_id,
        )
    ).parsed
