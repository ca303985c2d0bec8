from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.survey_answer_accepted import SurveyAnswerAccepted
from ...models.survey_answer_in import SurveyAnswerIn
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: SurveyAnswerIn | SurveyAnswerIn | Unset = UNSET,
    token: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    params["token"] = token

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/survey-answers",
        "params": params,
    }

    if isinstance(body, SurveyAnswerIn):
        if not isinstance(body, Unset):
            _kwargs["json"] = body.to_dict()

        headers["Content-Type"] = "application/json"
    if isinstance(body, SurveyAnswerIn):
        if not isinstance(body, Unset):
            _kwargs["data"] = body.to_dict()
        headers["Content-Type"] = "application/x-www-form-urlencoded"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | SurveyAnswerAccepted | None:
    if response.status_code == 202:
        response_202 = SurveyAnswerAccepted.from_dict(response.json())

        return response_202

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 410:
        response_410 = Problem.from_dict(response.json())

        return response_410

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

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | SurveyAnswerAccepted]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: SurveyAnswerIn | SurveyAnswerIn | Unset = UNSET,
    token: str | Unset = UNSET,
) -> Response[Problem | SurveyAnswerAccepted]:
    """Answer a survey through its one-time link (no API key)

     The answer link a journey's `survey` action delivers (`survey.answer_url`) is this endpoint with a
    signed `token` (query parameter, or a `token` field of the body); the token is the only
    authorisation, so no API key is sent. The body is JSON or an HTML form (`application/x-www-form-
    urlencoded`) of at most 16,384 bytes (413): `nps` (0-10) and/or `csat` (1-5), as the survey asks
    (`question` nps, csat or both: at least one asked score, none not asked; else 422 naming the field),
    and an optional `comment` of at most 2,000 characters. The token is checked first: malformed,
    altered or not signed by this deployment answers 401, past its expiry (the action's `link_ttl`, 14
    days by default) 410. A link answers once: again, 409 `this answer link was already used` (the same
    answer sent again after a 503 goes through, and makes no second answer). A customer erased since
    answers 410. The answer becomes an inbound `survey` event of the link's workspace and customer (id
    `survey-link-<token id>`, answered with 202), which moves the NPS and may trigger journeys (the
    `referral_invite_to_promoters` template invites promoters). Each client address may send
    `FLYWHEEL_SURVEY_ANSWERS_PER_MINUTE` answers a minute (429 with `Retry-After`).

    Args:
        token (str | Unset): The link's token (as the answer link carries it), when not in the
            body.
        body (SurveyAnswerIn | Unset): An answer to the survey a link asked: the score(s) asked
            for, and optionally the customer's own words.
        body (SurveyAnswerIn | Unset): An answer to the survey a link asked: the score(s) asked
            for, and optionally the customer's own words.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SurveyAnswerAccepted]
    """

    kwargs = _get_kwargs(
        body=body,
        token=token,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: SurveyAnswerIn | SurveyAnswerIn | Unset = UNSET,
    token: str | Unset = UNSET,
) -> Problem | SurveyAnswerAccepted | None:
    """Answer a survey through its one-time link (no API key)

     The answer link a journey's `survey` action delivers (`survey.answer_url`) is this endpoint with a
    signed `token` (query parameter, or a `token` field of the body); the token is the only
    authorisation, so no API key is sent. The body is JSON or an HTML form (`application/x-www-form-
    urlencoded`) of at most 16,384 bytes (413): `nps` (0-10) and/or `csat` (1-5), as the survey asks
    (`question` nps, csat or both: at least one asked score, none not asked; else 422 naming the field),
    and an optional `comment` of at most 2,000 characters. The token is checked first: malformed,
    altered or not signed by this deployment answers 401, past its expiry (the action's `link_ttl`, 14
    days by default) 410. A link answers once: again, 409 `this answer link was already used` (the same
    answer sent again after a 503 goes through, and makes no second answer). A customer erased since
    answers 410. The answer becomes an inbound `survey` event of the link's workspace and customer (id
    `survey-link-<token id>`, answered with 202), which moves the NPS and may trigger journeys (the
    `referral_invite_to_promoters` template invites promoters). Each client address may send
    `FLYWHEEL_SURVEY_ANSWERS_PER_MINUTE` answers a minute (429 with `Retry-After`).

    Args:
        token (str | Unset): The link's token (as the answer link carries it), when not in the
            body.
        body (SurveyAnswerIn | Unset): An answer to the survey a link asked: the score(s) asked
            for, and optionally the customer's own words.
        body (SurveyAnswerIn | Unset): An answer to the survey a link asked: the score(s) asked
            for, and optionally the customer's own words.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SurveyAnswerAccepted
    """

    return sync_detailed(
        client=client,
        body=body,
        token=token,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: SurveyAnswerIn | SurveyAnswerIn | Unset = UNSET,
    token: str | Unset = UNSET,
) -> Response[Problem | SurveyAnswerAccepted]:
    """Answer a survey through its one-time link (no API key)

     The answer link a journey's `survey` action delivers (`survey.answer_url`) is this endpoint with a
    signed `token` (query parameter, or a `token` field of the body); the token is the only
    authorisation, so no API key is sent. The body is JSON or an HTML form (`application/x-www-form-
    urlencoded`) of at most 16,384 bytes (413): `nps` (0-10) and/or `csat` (1-5), as the survey asks
    (`question` nps, csat or both: at least one asked score, none not asked; else 422 naming the field),
    and an optional `comment` of at most 2,000 characters. The token is checked first: malformed,
    altered or not signed by this deployment answers 401, past its expiry (the action's `link_ttl`, 14
    days by default) 410. A link answers once: again, 409 `this answer link was already used` (the same
    answer sent again after a 503 goes through, and makes no second answer). A customer erased since
    answers 410. The answer becomes an inbound `survey` event of the link's workspace and customer (id
    `survey-link-<token id>`, answered with 202), which moves the NPS and may trigger journeys (the
    `referral_invite_to_promoters` template invites promoters). Each client address may send
    `FLYWHEEL_SURVEY_ANSWERS_PER_MINUTE` answers a minute (429 with `Retry-After`).

    Args:
        token (str | Unset): The link's token (as the answer link carries it), when not in the
            body.
        body (SurveyAnswerIn | Unset): An answer to the survey a link asked: the score(s) asked
            for, and optionally the customer's own words.
        body (SurveyAnswerIn | Unset): An answer to the survey a link asked: the score(s) asked
            for, and optionally the customer's own words.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SurveyAnswerAccepted]
    """

    kwargs = _get_kwargs(
        body=body,
        token=token,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: SurveyAnswerIn | SurveyAnswerIn | Unset = UNSET,
    token: str | Unset = UNSET,
) -> Problem | SurveyAnswerAccepted | None:
    """Answer a survey through its one-time link (no API key)

     The answer link a journey's `survey` action delivers (`survey.answer_url`) is this endpoint with a
    signed `token` (query parameter, or a `token` field of the body); the token is the only
    authorisation, so no API key is sent. The body is JSON or an HTML form (`application/x-www-form-
    urlencoded`) of at most 16,384 bytes (413): `nps` (0-10) and/or `csat` (1-5), as the survey asks
    (`question` nps, csat or both: at least one asked score, none not asked; else 422 naming the field),
    and an optional `comment` of at most 2,000 characters. The token is checked first: malformed,
    altered or not signed by this deployment answers 401, past its expiry (the action's `link_ttl`, 14
    days by default) 410. A link answers once: again, 409 `this answer link was already used` (the same
    answer sent again after a 503 goes through, and makes no second answer). A customer erased since
    answers 410. The answer becomes an inbound `survey` event of the link's workspace and customer (id
    `survey-link-<token id>`, answered with 202), which moves the NPS and may trigger journeys (the
    `referral_invite_to_promoters` template invites promoters). Each client address may send
    `FLYWHEEL_SURVEY_ANSWERS_PER_MINUTE` answers a minute (429 with `Retry-After`).

    Args:
        token (str | Unset): The link's token (as the answer link carries it), when not in the
            body.
        body (SurveyAnswerIn | Unset): An answer to the survey a link asked: the score(s) asked
            for, and optionally the customer's own words.
        body (SurveyAnswerIn | Unset): An answer to the survey a link asked: the score(s) asked
            for, and optionally the customer's own words.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SurveyAnswerAccepted
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            token=token,
        )
    ).parsed
