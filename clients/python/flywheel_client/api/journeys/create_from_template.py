from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.create_from_template_body_type_0 import CreateFromTemplateBodyType0
from ...models.journey import Journey
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    name: str,
    *,
    body: CreateFromTemplateBodyType0 | None | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/journey-templates/{name}".format(
            name=quote(str(name), safe=""),
        ),
    }

    if isinstance(body, CreateFromTemplateBodyType0):
        _kwargs["json"] = body.to_dict()
    else:
        _kwargs["json"] = body

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Journey | Problem | None:
    if response.status_code == 201:
        response_201 = Journey.from_dict(response.json())

        return response_201

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Journey | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    name: str,
    *,
    client: AuthenticatedClient,
    body: CreateFromTemplateBodyType0 | None | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[Journey | Problem]:
    """Create a draft journey from a template

     The template's document with the given parameters, stored as a new draft (activate it to start
    enrolling). The parameters are checked against the template (a 422 names each bad one). 409
    `/problems/quota-exceeded` when the workspace holds its quota of journeys. Scope: `journeys:write`.

    Args:
        name (str):
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.
        body (CreateFromTemplateBodyType0 | None | Unset): Template parameters; those left out
            take their defaults.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Journey | Problem]
    """

    kwargs = _get_kwargs(
        name=name,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    name: str,
    *,
    client: AuthenticatedClient,
    body: CreateFromTemplateBodyType0 | None | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Journey | Problem | None:
    """Create a draft journey from a template

     The template's document with the given parameters, stored as a new draft (activate it to start
    enrolling). The parameters are checked against the template (a 422 names each bad one). 409
    `/problems/quota-exceeded` when the workspace holds its quota of journeys. Scope: `journeys:write`.

    Args:
        name (str):
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.
        body (CreateFromTemplateBodyType0 | None | Unset): Template parameters; those left out
            take their defaults.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Journey | Problem
    """

    return sync_detailed(
        name=name,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    name: str,
    *,
    client: AuthenticatedClient,
    body: CreateFromTemplateBodyType0 | None | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[Journey | Problem]:
    """Create a draft journey from a template

     The template's document with the given parameters, stored as a new draft (activate it to start
    enrolling). The parameters are checked against the template (a 422 names each bad one). 409
    `/problems/quota-exceeded` when the workspace holds its quota of journeys. Scope: `journeys:write`.

    Args:
        name (str):
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.
        body (CreateFromTemplateBodyType0 | None | Unset): Template parameters; those left out
            take their defaults.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Journey | Problem]
    """

    kwargs = _get_kwargs(
        name=name,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    name: str,
    *,
    client: AuthenticatedClient,
    body: CreateFromTemplateBodyType0 | None | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Journey | Problem | None:
    """Create a draft journey from a template

     The template's document with the given parameters, stored as a new draft (activate it to start
    enrolling). The parameters are checked against the template (a 422 names each bad one). 409
    `/problems/quota-exceeded` when the workspace holds its quota of journeys. Scope: `journeys:write`.

    Args:
        name (str):
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.
        body (CreateFromTemplateBodyType0 | None | Unset): Template parameters; those left out
            take their defaults.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Journey | Problem
    """

    return (
        await asyncio_detailed(
            name=name,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
