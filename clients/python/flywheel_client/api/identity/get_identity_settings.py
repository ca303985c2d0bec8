from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.identity_settings import IdentitySettings
from ...models.problem import Problem
from ...types import Response


def _get_kwargs() -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/identity-settings",
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> IdentitySettings | Problem | None:
    if response.status_code == 200:
        response_200 = IdentitySettings.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

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
) -> Response[IdentitySettings | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
) -> Response[IdentitySettings | Problem]:
    """The shared-identifier limits

     The workspace's guard against shared devices: an identifier seen with more than `max_distinct`
    distinct identifiers of `other_kind` within `window_days` (by event time) is shared and stops
    merging customers; and a join made only through an identifier of a `weak_identifier_kinds` kind
    never gives a customer a second value of a stronger kind (external_id > email > phone >
    anonymous_id), so a device whose owner has one email does not join a second email, while an
    anonymous-only profile still joins the email it signs up with. `default` is true while the workspace
    has set nothing: weak kinds `anonymous_id` (a phone is strong), and an `anonymous_id` with 5 emails,
    5 phones or 5 external ids, a `phone` with 5 emails or 5 external ids, each in 30 days. Scope:
    `customers:read`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[IdentitySettings | Problem]
    """

    kwargs = _get_kwargs()

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
) -> IdentitySettings | Problem | None:
    """The shared-identifier limits

     The workspace's guard against shared devices: an identifier seen with more than `max_distinct`
    distinct identifiers of `other_kind` within `window_days` (by event time) is shared and stops
    merging customers; and a join made only through an identifier of a `weak_identifier_kinds` kind
    never gives a customer a second value of a stronger kind (external_id > email > phone >
    anonymous_id), so a device whose owner has one email does not join a second email, while an
    anonymous-only profile still joins the email it signs up with. `default` is true while the workspace
    has set nothing: weak kinds `anonymous_id` (a phone is strong), and an `anonymous_id` with 5 emails,
    5 phones or 5 external ids, a `phone` with 5 emails or 5 external ids, each in 30 days. Scope:
    `customers:read`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        IdentitySettings | Problem
    """

    return sync_detailed(
        client=client,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
) -> Response[IdentitySettings | Problem]:
    """The shared-identifier limits

     The workspace's guard against shared devices: an identifier seen with more than `max_distinct`
    distinct identifiers of `other_kind` within `window_days` (by event time) is shared and stops
    merging customers; and a join made only through an identifier of a `weak_identifier_kinds` kind
    never gives a customer a second value of a stronger kind (external_id > email > phone >
    anonymous_id), so a device whose owner has one email does not join a second email, while an
    anonymous-only profile still joins the email it signs up with. `default` is true while the workspace
    has set nothing: weak kinds `anonymous_id` (a phone is strong), and an `anonymous_id` with 5 emails,
    5 phones or 5 external ids, a `phone` with 5 emails or 5 external ids, each in 30 days. Scope:
    `customers:read`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[IdentitySettings | Problem]
    """

    kwargs = _get_kwargs()

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
) -> IdentitySettings | Problem | None:
    """The shared-identifier limits

     The workspace's guard against shared devices: an identifier seen with more than `max_distinct`
    distinct identifiers of `other_kind` within `window_days` (by event time) is shared and stops
    merging customers; and a join made only through an identifier of a `weak_identifier_kinds` kind
    never gives a customer a second value of a stronger kind (external_id > email > phone >
    anonymous_id), so a device whose owner has one email does not join a second email, while an
    anonymous-only profile still joins the email it signs up with. `default` is true while the workspace
    has set nothing: weak kinds `anonymous_id` (a phone is strong), and an `anonymous_id` with 5 emails,
    5 phones or 5 external ids, a `phone` with 5 emails or 5 external ids, each in 30 days. Scope:
    `customers:read`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        IdentitySettings | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
        )
    ).parsed
