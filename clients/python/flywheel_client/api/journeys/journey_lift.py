from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.journey_lift import JourneyLift
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    journey_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/journeys/{journey_id}/lift".format(
            journey_id=quote(str(journey_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> JourneyLift | Problem | None:
    if response.status_code == 200:
        response_200 = JourneyLift.from_dict(response.json())

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
) -> Response[JourneyLift | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    journey_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[JourneyLift | Problem]:
    """A journey's measured lift

     Enrolled against held-out customers (the journey's `holdout_percent`), each customer counted once by
    their first enrolment: conversion rate (the goal) and revenue per customer (purchases within the
    goal's `within` after entry, else 30 days; gross of refunds), and the differences (enrolled minus
    held out) with 95% confidence intervals: Newcombe's hybrid score interval for the conversion rates,
    Welch's t interval for revenue per customer. A difference is null while a group is empty; its bounds
    are null when the groups are too small to say. Scope: `customers:read`. group, and webhook
    deliveries; and the messages frequency caps held back (`deferred_by_caps`, `skipped_by_caps`, and
    `held_back` by outcome and reason: `frequency_cap`, `workspace_cap:<channel>`, or `priority: lost to
    journey <id>`). Scope: `customers:read`.

    Args:
        journey_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[JourneyLift | Problem]
    """

    kwargs = _get_kwargs(
        journey_id=journey_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    journey_id: str,
    *,
    client: AuthenticatedClient,
) -> JourneyLift | Problem | None:
    """A journey's measured lift

     Enrolled against held-out customers (the journey's `holdout_percent`), each customer counted once by
    their first enrolment: conversion rate (the goal) and revenue per customer (purchases within the
    goal's `within` after entry, else 30 days; gross of refunds), and the differences (enrolled minus
    held out) with 95% confidence intervals: Newcombe's hybrid score interval for the conversion rates,
    Welch's t interval for revenue per customer. A difference is null while a group is empty; its bounds
    are null when the groups are too small to say. Scope: `customers:read`. group, and webhook
    deliveries; and the messages frequency caps held back (`deferred_by_caps`, `skipped_by_caps`, and
    `held_back` by outcome and reason: `frequency_cap`, `workspace_cap:<channel>`, or `priority: lost to
    journey <id>`). Scope: `customers:read`.

    Args:
        journey_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        JourneyLift | Problem
    """

    return sync_detailed(
        journey_id=journey_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    journey_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[JourneyLift | Problem]:
    """A journey's measured lift

     Enrolled against held-out customers (the journey's `holdout_percent`), each customer counted once by
    their first enrolment: conversion rate (the goal) and revenue per customer (purchases within the
    goal's `within` after entry, else 30 days; gross of refunds), and the differences (enrolled minus
    held out) with 95% confidence intervals: Newcombe's hybrid score interval for the conversion rates,
    Welch's t interval for revenue per customer. A difference is null while a group is empty; its bounds
    are null when the groups are too small to say. Scope: `customers:read`. group, and webhook
    deliveries; and the messages frequency caps held back (`deferred_by_caps`, `skipped_by_caps`, and
    `held_back` by outcome and reason: `frequency_cap`, `workspace_cap:<channel>`, or `priority: lost to
    journey <id>`). Scope: `customers:read`.

    Args:
        journey_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[JourneyLift | Problem]
    """

    kwargs = _get_kwargs(
        journey_id=journey_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    journey_id: str,
    *,
    client: AuthenticatedClient,
) -> JourneyLift | Problem | None:
    """A journey's measured lift

     Enrolled against held-out customers (the journey's `holdout_percent`), each customer counted once by
    their first enrolment: conversion rate (the goal) and revenue per customer (purchases within the
    goal's `within` after entry, else 30 days; gross of refunds), and the differences (enrolled minus
    held out) with 95% confidence intervals: Newcombe's hybrid score interval for the conversion rates,
    Welch's t interval for revenue per customer. A difference is null while a group is empty; its bounds
    are null when the groups are too small to say. Scope: `customers:read`. group, and webhook
    deliveries; and the messages frequency caps held back (`deferred_by_caps`, `skipped_by_caps`, and
    `held_back` by outcome and reason: `frequency_cap`, `workspace_cap:<channel>`, or `priority: lost to
    journey <id>`). Scope: `customers:read`.

    Args:
        journey_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        JourneyLift | Problem
    """

    return (
        await asyncio_detailed(
            journey_id=journey_id,
            client=client,
        )
    ).parsed
