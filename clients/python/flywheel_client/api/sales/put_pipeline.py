from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.pipeline import Pipeline
from ...models.pipeline_in import PipelineIn
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    pipeline_id: str,
    *,
    body: PipelineIn,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/v1/pipelines/{pipeline_id}".format(
            pipeline_id=quote(str(pipeline_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Pipeline | Problem | None:
    if response.status_code == 200:
        response_200 = Pipeline.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Pipeline | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    pipeline_id: str,
    *,
    client: AuthenticatedClient,
    body: PipelineIn,
    idempotency_key: str | Unset = UNSET,
) -> Response[Pipeline | Problem]:
    """Create or replace a sales pipeline

     Stores the workspace's own pipeline under this id; under a built-in's id it replaces the built-in in
    this workspace. Open deals keep their stage; the new rules apply to their next move. A new pipeline
    beyond the workspace's quota `pipelines` (the built-ins count) is a 409. Scope: `sales:write`.

    Args:
        pipeline_id (str):
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.
        body (PipelineIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Pipeline | Problem]
    """

    kwargs = _get_kwargs(
        pipeline_id=pipeline_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    pipeline_id: str,
    *,
    client: AuthenticatedClient,
    body: PipelineIn,
    idempotency_key: str | Unset = UNSET,
) -> Pipeline | Problem | None:
    """Create or replace a sales pipeline

     Stores the workspace's own pipeline under this id; under a built-in's id it replaces the built-in in
    this workspace. Open deals keep their stage; the new rules apply to their next move. A new pipeline
    beyond the workspace's quota `pipelines` (the built-ins count) is a 409. Scope: `sales:write`.

    Args:
        pipeline_id (str):
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.
        body (PipelineIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Pipeline | Problem
    """

    return sync_detailed(
        pipeline_id=pipeline_id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    pipeline_id: str,
    *,
    client: AuthenticatedClient,
    body: PipelineIn,
    idempotency_key: str | Unset = UNSET,
) -> Response[Pipeline | Problem]:
    """Create or replace a sales pipeline

     Stores the workspace's own pipeline under this id; under a built-in's id it replaces the built-in in
    this workspace. Open deals keep their stage; the new rules apply to their next move. A new pipeline
    beyond the workspace's quota `pipelines` (the built-ins count) is a 409. Scope: `sales:write`.

    Args:
        pipeline_id (str):
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.
        body (PipelineIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Pipeline | Problem]
    """

    kwargs = _get_kwargs(
        pipeline_id=pipeline_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    pipeline_id: str,
    *,
    client: AuthenticatedClient,
    body: PipelineIn,
    idempotency_key: str | Unset = UNSET,
) -> Pipeline | Problem | None:
    """Create or replace a sales pipeline

     Stores the workspace's own pipeline under this id; under a built-in's id it replaces the built-in in
    this workspace. Open deals keep their stage; the new rules apply to their next move. A new pipeline
    beyond the workspace's quota `pipelines` (the built-ins count) is a 409. Scope: `sales:write`.

    Args:
        pipeline_id (str):
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.
        body (PipelineIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Pipeline | Problem
    """

    return (
        await asyncio_detailed(
            pipeline_id=pipeline_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
