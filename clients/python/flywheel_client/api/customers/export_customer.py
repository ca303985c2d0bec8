from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.export_customer_response_200 import ExportCustomerResponse200
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    customer_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/customers/{customer_id}/export".format(
            customer_id=quote(str(customer_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ExportCustomerResponse200 | Problem | None:
    if response.status_code == 200:
        response_200 = ExportCustomerResponse200.from_dict(response.json())

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
) -> Response[ExportCustomerResponse200 | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    customer_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[ExportCustomerResponse200 | Problem]:
    """Everything held on a customer (data-subject access)

     A JSON document with every record every service holds on the customer: the profile (`customer`,
    `timeline`, `orders`, `refunds`, `tickets`, `survey_answers`: NPS and CSAT answers with their
    comments), the 360 view's `scores`, `journeys` (enrolments), `referrals` (codes, who referred them,
    whom they referred, rewards), `deals` and `tasks`, and, under each service's name, every row it
    holds: `scoring` (`inputs`: traits and stats as scoring folded them, `purchase_days`, `visit_days`,
    `orders`, `tickets`, `nps_answers`: the NPS answers a segment's NPS counts, `segments`,
    `reactivations`: the ends of their dormancies), `journey` (`enrolments`, `messages`: the messages
    sent or to be sent, with their bodies, `messages_sent`, `facts`), `referral` (`identifiers`,
    `touches`, `sign_ups` with device ids and email domains, `purchases`, `segments`), `sales` (`deals`,
    `stage_history`, `quotes`, `tasks`, `owner`, `signals`, `categories`) and `loyalty` (`member`:
    balance, debt, holds and tier, `entries`: the points ledger, `lots`, `orders`, `redemptions`).
    Streamed: long timelines are sent as they are read, never held whole in memory. Never partial: if a
    service does not answer before the document starts, the export fails with 503 naming it; if one
    fails while it is sent, the answer is cut off (incomplete JSON). An erased customer answers 404.
    Scope: `customers:read`.

    Args:
        customer_id (str): A customer id (merged-away ids answer the survivor).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ExportCustomerResponse200 | Problem]
    """

    kwargs = _get_kwargs(
        customer_id=customer_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    customer_id: str,
    *,
    client: AuthenticatedClient,
) -> ExportCustomerResponse200 | Problem | None:
    """Everything held on a customer (data-subject access)

     A JSON document with every record every service holds on the customer: the profile (`customer`,
    `timeline`, `orders`, `refunds`, `tickets`, `survey_answers`: NPS and CSAT answers with their
    comments), the 360 view's `scores`, `journeys` (enrolments), `referrals` (codes, who referred them,
    whom they referred, rewards), `deals` and `tasks`, and, under each service's name, every row it
    holds: `scoring` (`inputs`: traits and stats as scoring folded them, `purchase_days`, `visit_days`,
    `orders`, `tickets`, `nps_answers`: the NPS answers a segment's NPS counts, `segments`,
    `reactivations`: the ends of their dormancies), `journey` (`enrolments`, `messages`: the messages
    sent or to be sent, with their bodies, `messages_sent`, `facts`), `referral` (`identifiers`,
    `touches`, `sign_ups` with device ids and email domains, `purchases`, `segments`), `sales` (`deals`,
    `stage_history`, `quotes`, `tasks`, `owner`, `signals`, `categories`) and `loyalty` (`member`:
    balance, debt, holds and tier, `entries`: the points ledger, `lots`, `orders`, `redemptions`).
    Streamed: long timelines are sent as they are read, never held whole in memory. Never partial: if a
    service does not answer before the document starts, the export fails with 503 naming it; if one
    fails while it is sent, the answer is cut off (incomplete JSON). An erased customer answers 404.
    Scope: `customers:read`.

    Args:
        customer_id (str): A customer id (merged-away ids answer the survivor).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ExportCustomerResponse200 | Problem
    """

    return sync_detailed(
        customer_id=customer_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    customer_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[ExportCustomerResponse200 | Problem]:
    """Everything held on a customer (data-subject access)

     A JSON document with every record every service holds on the customer: the profile (`customer`,
    `timeline`, `orders`, `refunds`, `tickets`, `survey_answers`: NPS and CSAT answers with their
    comments), the 360 view's `scores`, `journeys` (enrolments), `referrals` (codes, who referred them,
    whom they referred, rewards), `deals` and `tasks`, and, under each service's name, every row it
    holds: `scoring` (`inputs`: traits and stats as scoring folded them, `purchase_days`, `visit_days`,
    `orders`, `tickets`, `nps_answers`: the NPS answers a segment's NPS counts, `segments`,
    `reactivations`: the ends of their dormancies), `journey` (`enrolments`, `messages`: the messages
    sent or to be sent, with their bodies, `messages_sent`, `facts`), `referral` (`identifiers`,
    `touches`, `sign_ups` with device ids and email domains, `purchases`, `segments`), `sales` (`deals`,
    `stage_history`, `quotes`, `tasks`, `owner`, `signals`, `categories`) and `loyalty` (`member`:
    balance, debt, holds and tier, `entries`: the points ledger, `lots`, `orders`, `redemptions`).
    Streamed: long timelines are sent as they are read, never held whole in memory. Never partial: if a
    service does not answer before the document starts, the export fails with 503 naming it; if one
    fails while it is sent, the answer is cut off (incomplete JSON). An erased customer answers 404.
    Scope: `customers:read`.

    Args:
        customer_id (str): A customer id (merged-away ids answer the survivor).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ExportCustomerResponse200 | Problem]
    """

    kwargs = _get_kwargs(
        customer_id=customer_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    customer_id: str,
    *,
    client: AuthenticatedClient,
) -> ExportCustomerResponse200 | Problem | None:
    """Everything held on a customer (data-subject access)

     A JSON document with every record every service holds on the customer: the profile (`customer`,
    `timeline`, `orders`, `refunds`, `tickets`, `survey_answers`: NPS and CSAT answers with their
    comments), the 360 view's `scores`, `journeys` (enrolments), `referrals` (codes, who referred them,
    whom they referred, rewards), `deals` and `tasks`, and, under each service's name, every row it
    holds: `scoring` (`inputs`: traits and stats as scoring folded them, `purchase_days`, `visit_days`,
    `orders`, `tickets`, `nps_answers`: the NPS answers a segment's NPS counts, `segments`,
    `reactivations`: the ends of their dormancies), `journey` (`enrolments`, `messages`: the messages
    sent or to be sent, with their bodies, `messages_sent`, `facts`), `referral` (`identifiers`,
    `touches`, `sign_ups` with device ids and email domains, `purchases`, `segments`), `sales` (`deals`,
    `stage_history`, `quotes`, `tasks`, `owner`, `signals`, `categories`) and `loyalty` (`member`:
    balance, debt, holds and tier, `entries`: the points ledger, `lots`, `orders`, `redemptions`).
    Streamed: long timelines are sent as they are read, never held whole in memory. Never partial: if a
    service does not answer before the document starts, the export fails with 503 naming it; if one
    fails while it is sent, the answer is cut off (incomplete JSON). An erased customer answers 404.
    Scope: `customers:read`.

    Args:
        customer_id (str): A customer id (merged-away ids answer the survivor).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ExportCustomerResponse200 | Problem
    """

    return (
        await asyncio_detailed(
            customer_id=customer_id,
            client=client,
        )
    ).parsed
