from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.messaging_settings import MessagingSettings
from ...models.messaging_settings_in import MessagingSettingsIn
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: MessagingSettingsIn,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/v1/messaging-settings",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> MessagingSettings | Problem | None:
    if response.status_code == 200:
        response_200 = MessagingSettings.from_dict(response.json())

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


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[MessagingSettings | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: MessagingSettingsIn,
    idempotency_key: str | Unset = UNSET,
) -> Response[MessagingSettings | Problem]:
    """Set the workspace's frequency caps across journeys

     One cap per channel (`email`, `sms`, `push`, `wechat`, `other`): `messages` 1 to 1000 per `per`
    window from "1m" to "31d" (422 naming the field otherwise); `{"caps": {}}` removes them. Every PUT
    writes a new version (the last 100 are kept) and goes to the audit log
    (`messaging_settings.changed`, target `messaging`). A journey's own `settings.frequency_cap` still
    applies too. When messages due for the same customer and channel in the same pass (one event
    triggering several journeys, timers due together) compete for the last slot of a window, the journey
    with the higher `settings.priority` (0-100, default 50; ties: the lower journey id) sends, and the
    other is deferred until a slot frees or skipped, as its `settings.when_capped` says; a message sent
    earlier in the window kept its slot whatever its priority. Each such decision is counted in the
    journeys' stats. Scope: `journeys:write`.

    Args:
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.
        body (MessagingSettingsIn): The workspace's messaging settings: a frequency cap per
            channel across all journeys (a channel left out
            is not capped; `{}` removes every cap). Journeys' own `settings.frequency_cap` still
            apply, and their
            `settings.priority` and `settings.when_capped` decide which message takes the last slot of
            a window.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MessagingSettings | Problem]
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
    body: MessagingSettingsIn,
    idempotency_key: str | Unset = UNSET,
) -> MessagingSettings | Problem | None:
    """Set the workspace's frequency caps across journeys

     One cap per channel (`email`, `sms`, `push`, `wechat`, `other`): `messages` 1 to 1000 per `per`
    window from "1m" to "31d" (422 naming the field otherwise); `{"caps": {}}` removes them. Every PUT
    writes a new version (the last 100 are kept) and goes to the audit log
    (`messaging_settings.changed`, target `messaging`). A journey's own `settings.frequency_cap` still
    applies too. When messages due for the same customer and channel in the same pass (one event
    triggering several journeys, timers due together) compete for the last slot of a window, the journey
    with the higher `settings.priority` (0-100, default 50; ties: the lower journey id) sends, and the
    other is deferred until a slot frees or skipped, as its `settings.when_capped` says; a message sent
    earlier in the window kept its slot whatever its priority. Each such decision is counted in the
    journeys' stats. Scope: `journeys:write`.

    Args:
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.
        body (MessagingSettingsIn): The workspace's messaging settings: a frequency cap per
            channel across all journeys (a channel left out
            is not capped; `{}` removes every cap). Journeys' own `settings.frequency_cap` still
            apply, and their
            `settings.priority` and `settings.when_capped` decide which message takes the last slot of
            a window.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MessagingSettings | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: MessagingSettingsIn,
    idempotency_key: str | Unset = UNSET,
) -> Response[MessagingSettings | Problem]:
    """Set the workspace's frequency caps across journeys

     One cap per channel (`email`, `sms`, `push`, `wechat`, `other`): `messages` 1 to 1000 per `per`
    window from "1m" to "31d" (422 naming the field otherwise); `{"caps": {}}` removes them. Every PUT
    writes a new version (the last 100 are kept) and goes to the audit log
    (`messaging_settings.changed`, target `messaging`). A journey's own `settings.frequency_cap` still
    applies too. When messages due for the same customer and channel in the same pass (one event
    triggering several journeys, timers due together) compete for the last slot of a window, the journey
    with the higher `settings.priority` (0-100, default 50; ties: the lower journey id) sends, and the
    other is deferred until a slot frees or skipped, as its `settings.when_capped` says; a message sent
    earlier in the window kept its slot whatever its priority. Each such decision is counted in the
    journeys' stats. Scope: `journeys:write`.

    Args:
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.
        body (MessagingSettingsIn): The workspace's messaging settings: a frequency cap per
            channel across all journeys (a channel left out
            is not capped; `{}` removes every cap). Journeys' own `settings.frequency_cap` still
            apply, and their
            `settings.priority` and `settings.when_capped` decide which message takes the last slot of
            a window.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MessagingSettings | Problem]
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
    body: MessagingSettingsIn,
    idempotency_key: str | Unset = UNSET,
) -> MessagingSettings | Problem | None:
    """Set the workspace's frequency caps across journeys

     One cap per channel (`email`, `sms`, `push`, `wechat`, `other`): `messages` 1 to 1000 per `per`
    window from "1m" to "31d" (422 naming the field otherwise); `{"caps": {}}` removes them. Every PUT
    writes a new version (the last 100 are kept) and goes to the audit log
    (`messaging_settings.changed`, target `messaging`). A journey's own `settings.frequency_cap` still
    applies too. When messages due for the same customer and channel in the same pass (one event
    triggering several journeys, timers due together) compete for the last slot of a window, the journey
    with the higher `settings.priority` (0-100, default 50; ties: the lower journey id) sends, and the
    other is deferred until a slot frees or skipped, as its `settings.when_capped` says; a message sent
    earlier in the window kept its slot whatever its priority. Each such decision is counted in the
    journeys' stats. Scope: `journeys:write`.

    Args:
        idempotency_key (str | Unset): Client-chosen key (1-255 printable ASCII characters) making
            a retried write safe: the same key with the same method, path and body within 24 h answers
            the first answer again (with `Idempotent-Replayed: true`) without doing the write twice;
            with a different body it answers 422, and while the first request is still running 409.
            Answers 5xx are not kept, so a retry tries again.
        body (MessagingSettingsIn): The workspace's messaging settings: a frequency cap per
            channel across all journeys (a channel left out
            is not capped; `{}` removes every cap). Journeys' own `settings.frequency_cap` still
            apply, and their
            `settings.priority` and `settings.when_capped` decide which message takes the last slot of
            a window.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MessagingSettings | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
