from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.merge_undo_in import MergeUndoIn
from ...models.merge_undone import MergeUndone
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    merge_id: str,
    *,
    body: MergeUndoIn | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/merges/{merge_id}/undo".format(
            merge_id=quote(str(merge_id), safe=""),
        ),
    }

    if not isinstance(body, Unset):
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> MergeUndone | Problem | None:
    if response.status_code == 200:
        response_200 = MergeUndone.from_dict(response.json())

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
) -> Response[MergeUndone | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    merge_id: str,
    *,
    client: AuthenticatedClient,
    body: MergeUndoIn | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[MergeUndone | Problem]:
    """Undo a merge (split the two customers again)

     Splits the profiles a merge joined: the identifiers the merged profile owned go back to it, every
    event goes to the side of the identifiers it carried (the event that joined them stays with the
    customer of its strongest identifier: external_id, then email, phone, anonymous_id), and both
    customers' traits, orders, refunds, tickets, survey answers, acquisition and stats are computed
    again from their own facts. The merged id resolves to itself again, and the two are kept apart from
    then on: a later event carrying identifiers of both attaches to the customer of its strongest
    identifier. Every service is told (`profile.unmerged`) and gives the restored customer back what it
    held. Body (optional): `{"reason": "..."}`. 404 for a merge unknown in this workspace; 409 when it
    was already undone, when it is older than the services keep what merges changed
    (`FLYWHEEL_MERGE_UNDO_RETENTION_DAYS`, 90 days), when a later merge folded the survivor into another
    customer (undo that one first), when either customer was erased, or when more events than
    `profile.unmerged` can name would go back. Recorded in the audit log (`merge.undone`). Scope:
    `customers:erase`.

    Args:
        merge_id (str):
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.
        body (MergeUndoIn | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MergeUndone | Problem]
    """

    kwargs = _get_kwargs(
        merge_id=merge_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    merge_id: str,
    *,
    client: AuthenticatedClient,
    body: MergeUndoIn | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> MergeUndone | Problem | None:
    """Undo a merge (split the two customers again)

     Splits the profiles a merge joined: the identifiers the merged profile owned go back to it, every
    event goes to the side of the identifiers it carried (the event that joined them stays with the
    customer of its strongest identifier: external_id, then email, phone, anonymous_id), and both
    customers' traits, orders, refunds, tickets, survey answers, acquisition and stats are computed
    again from their own facts. The merged id resolves to itself again, and the two are kept apart from
    then on: a later event carrying identifiers of both attaches to the customer of its strongest
    identifier. Every service is told (`profile.unmerged`) and gives the restored customer back what it
    held. Body (optional): `{"reason": "..."}`. 404 for a merge unknown in this workspace; 409 when it
    was already undone, when it is older than the services keep what merges changed
    (`FLYWHEEL_MERGE_UNDO_RETENTION_DAYS`, 90 days), when a later merge folded the survivor into another
    customer (undo that one first), when either customer was erased, or when more events than
    `profile.unmerged` can name would go back. Recorded in the audit log (`merge.undone`). Scope:
    `customers:erase`.

    Args:
        merge_id (str):
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.
        body (MergeUndoIn | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MergeUndone | Problem
    """

    return sync_detailed(
        merge_id=merge_id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    merge_id: str,
    *,
    client: AuthenticatedClient,
    body: MergeUndoIn | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[MergeUndone | Problem]:
    """Undo a merge (split the two customers again)

     Splits the profiles a merge joined: the identifiers the merged profile owned go back to it, every
    event goes to the side of the identifiers it carried (the event that joined them stays with the
    customer of its strongest identifier: external_id, then email, phone, anonymous_id), and both
    customers' traits, orders, refunds, tickets, survey answers, acquisition and stats are computed
    again from their own facts. The merged id resolves to itself again, and the two are kept apart from
    then on: a later event carrying identifiers of both attaches to the customer of its strongest
    identifier. Every service is told (`profile.unmerged`) and gives the restored customer back what it
    held. Body (optional): `{"reason": "..."}`. 404 for a merge unknown in this workspace; 409 when it
    was already undone, when it is older than the services keep what merges changed
    (`FLYWHEEL_MERGE_UNDO_RETENTION_DAYS`, 90 days), when a later merge folded the survivor into another
    customer (undo that one first), when either customer was erased, or when more events than
    `profile.unmerged` can name would go back. Recorded in the audit log (`merge.undone`). Scope:
    `customers:erase`.

    Args:
        merge_id (str):
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.
        body (MergeUndoIn | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MergeUndone | Problem]
    """

    kwargs = _get_kwargs(
        merge_id=merge_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    merge_id: str,
    *,
    client: AuthenticatedClient,
    body: MergeUndoIn | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> MergeUndone | Problem | None:
    """Undo a merge (split the two customers again)

     Splits the profiles a merge joined: the identifiers the merged profile owned go back to it, every
    event goes to the side of the identifiers it carried (the event that joined them stays with the
    customer of its strongest identifier: external_id, then email, phone, anonymous_id), and both
    customers' traits, orders, refunds, tickets, survey answers, acquisition and stats are computed
    again from their own facts. The merged id resolves to itself again, and the two are kept apart from
    then on: a later event carrying identifiers of both attaches to the customer of its strongest
    identifier. Every service is told (`profile.unmerged`) and gives the restored customer back what it
    held. Body (optional): `{"reason": "..."}`. 404 for a merge unknown in this workspace; 409 when it
    was already undone, when it is older than the services keep what merges changed
    (`FLYWHEEL_MERGE_UNDO_RETENTION_DAYS`, 90 days), when a later merge folded the survivor into another
    customer (undo that one first), when either customer was erased, or when more events than
    `profile.unmerged` can name would go back. Recorded in the audit log (`merge.undone`). Scope:
    `customers:erase`.

    Args:
        merge_id (str):
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.
        body (MergeUndoIn | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MergeUndone | Problem
    """

    return (
        await asyncio_detailed(
            merge_id=merge_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
