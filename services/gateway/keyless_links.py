"""The request path the gateway's keyless signed links share (POST /v1/survey-answers, /v1/unsubscribe): no API
key, the signed token (runtime/signed_links.py) is the authorisation.

1. `verified`: the token's signature (401) and then its expiry (410), before anything else is looked at;
2. `customer_of`: the link's customer, from profile in the link's own workspace, by the strongest identifier
   profile holds for them (the partition key rule's); 410 when erased or unknown;
3. `publish`: the inbound event, published as POST /v1/events publishes (trace context, acks), or a 503 (the link
   works again: its event id derives from the token).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import TypeVar

from aiokafka.errors import KafkaError

from contracts.envelope import CONTENT_TYPE
from contracts.http.profile import CustomerView
from contracts.partition import IDENTIFIER_ORDER
from contracts.topics import INBOUND
from runtime.problems import ProblemError
from runtime.secrets_at_rest import Keyring
from runtime.signed_links import ExpiredLink, InvalidLink
from runtime.telemetry import inject_headers
from services.gateway.deps import GatewayContext
from services.gateway.service_client import parse, segment, workspace_path

log = logging.getLogger(__name__)

Link = TypeVar("Link")


def verified(
    state: GatewayContext,
    verify: Callable[[Keyring, str, dt.datetime], Link],
    token: str,
    invalid: str,
    expired: str,
) -> Link:
    """The link `token` carries, or a 401 (`invalid`) / 410 (`expired`) problem."""
    try:
        return verify(state.survey_keyring, token, state.clock())
    except InvalidLink:
        raise ProblemError(401, invalid) from None
    except ExpiredLink:
        raise ProblemError(410, expired) from None


async def customer_of(state: GatewayContext, workspace: str, customer_id: str, gone: str) -> dict[str, str]:
    """The inbound event's `customer`: the strongest identifier profile holds for the link's customer in the link's
    workspace, or a 410 (`gone`) when profile does not know them (erased, merged away, another workspace's)."""
    path = workspace_path(workspace, f"/customers/{segment(customer_id)}")
    try:
        doc = await state.profile.get(path, not_found=gone)
    except ProblemError as exc:
        if exc.status == 404:
            raise ProblemError(410, gone) from None
        raise
    identifiers = parse(CustomerView, doc).identifiers
    customer = next(
        ({kind: values[0]} for kind in IDENTIFIER_ORDER if (values := getattr(identifiers, kind))),
        None,
    )
    if customer is None:
        raise ProblemError(410, gone)
    return customer


async def publish(state: GatewayContext, key: bytes, value: bytes, what: str, unconfirmed: str) -> None:
    """Published and acknowledged, or a 503 saying `unconfirmed` (logged as `<what> not published`)."""
    headers = inject_headers([("content-type", CONTENT_TYPE.encode())])
    try:
        future = await state.runtime.producer.send(INBOUND, value, key=key, headers=headers)
        await future
    except (TimeoutError, KafkaError) as exc:
        log.warning("%s not published", what, extra={"error": repr(exc)})
        raise ProblemError(503, unconfirmed, headers={"Retry-After": "1"}) from None
