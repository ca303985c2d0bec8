from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.reconsent_in import ReconsentIn
from ...models.reconsented import Reconsented
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: ReconsentIn,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/customers/reconsent",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | Reconsented | None:
    if response.status_code == 200:
        response_200 = Reconsented.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())

        return response_415

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
) -> Response[Problem | Reconsented]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: ReconsentIn,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | Reconsented]:
    """Lift an erasure for one identifier (the person consented again)

     After an erasure, events carrying any identifier the erased customer had are dropped. When that
    person gives their consent again, name one identifier (exactly one of `email`, `phone`,
    `external_id`, `anonymous_id`, as events carry it): events that happen from `reconsented_at` on are
    accepted again and make a new profile; events from before (old ones replayed or re-sent) stay
    dropped, and so do events carrying another identifier of the erased customer that was not re-
    consented. Repeating it answers the first re-consent. 404 when no erased customer of the workspace
    had the identifier. An erasure of the new profile erases the identifier again. Recorded in the audit
    log (never the identifier's value). Scope: `customers:erase`.

    Args:
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.
        body (ReconsentIn): Exactly one identifier of the person who gave their consent again, as
            events carry it (an email must be
            an email address, a phone number a valid one: 422 otherwise).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Reconsented]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: ReconsentIn,
    idempotency_key: str | Unset = UNSET,
) -> Problem | Reconsented | None:
    """Lift an erasure for one identifier (the person consented again)

     After an erasure, events carrying any identifier the erased customer had are dropped. When that
    person gives their consent again, name one identifier (exactly one of `email`, `phone`,
    `external_id`, `anonymous_id`, as events carry it): events that happen from `reconsented_at` on are
    accepted again and make a new profile; events from before (old ones replayed or re-sent) stay
    dropped, and so do events carrying another identifier of the erased customer that was not re-
    consented. Repeating it answers the first re-consent. 404 when no erased customer of the workspace
    had the identifier. An erasure of the new profile erases the identifier again. Recorded in the audit
    log (never the identifier's value). Scope: `customers:erase`.

    Args:
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.
        body (ReconsentIn): Exactly one identifier of the person who gave their consent again, as
            events carry it (an email must be
            an email address, a phone number a valid one: 422 otherwise).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Reconsented
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ReconsentIn,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | Reconsented]:
    """Lift an erasure for one identifier (the person consented again)

     After an erasure, events carrying any identifier the erased customer had are dropped. When that
    person gives their consent again, name one identifier (exactly one of `email`, `phone`,
    `external_id`, `anonymous_id`, as events carry it): events that happen from `reconsented_at` on are
    accepted again and make a new profile; events from before (old ones replayed or re-sent) stay
    dropped, and so do events carrying another identifier of the erased customer that was not re-
    consented. Repeating it answers the first re-consent. 404 when no erased customer of the workspace
    had the identifier. An erasure of the new profile erases the identifier again. Recorded in the audit
    log (never the identifier's value). Scope: `customers:erase`.

    Args:
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.
        body (ReconsentIn): Exactly one identifier of the person who gave their consent again, as
            events carry it (an email must be
            an email address, a phone number a valid one: 422 otherwise).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Reconsented]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: ReconsentIn,
    idempotency_key: str | Unset = UNSET,
) -> Problem | Reconsented | None:
    """Lift an erasure for one identifier (the person consented again)

     After an erasure, events carrying any identifier the erased customer had are dropped. When that
    person gives their consent again, name one identifier (exactly one of `email`, `phone`,
    `external_id`, `anonymous_id`, as events carry it): events that happen from `reconsented_at` on are
    accepted again and make a new profile; events from before (old ones replayed or re-sent) stay
    dropped, and so do events carrying another identifier of the erased customer that was not re-
    consented. Repeating it answers the first re-consent. 404 when no erased customer of the workspace
    had the identifier. An erasure of the new profile erases the identifier again. Recorded in the audit
    log (never the identifier's value). Scope: `customers:erase`.

    Args:
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.
        body (ReconsentIn): Exactly one identifier of the person who gave their consent again, as
            events carry it (an email must be
            an email address, a phone number a valid one: 422 otherwise).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Reconsented
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
