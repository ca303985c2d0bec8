"""Which dead letters are about erased customers, for `flywheel deadletter replay`: those are not replayed.

A letter names its customer by the identifiers of an inbound event (`data.customer`) or by a customer id (a
resolved event's `customerid`, other topics' `data.customer_id`). Profile answers for both: its erasure ledger
holds the erased identifiers (hashed with a key only profile has, after normalising them as it does) and its
tombstones the erased ids; so the command asks profile (POST .../erasure-checks at FLYWHEEL_PROFILE_URL, signed
with FLYWHEEL_INTERNAL_TOKEN_KEYS) rather than reading its database. Profile would drop such an event anyway;
skipping it keeps the person's data off the topics a second time and tells the operator how many there were.
If profile cannot answer, nothing is replayed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import httpx
import orjson

from cli.deadletter_read import DeadLetterError
from cli.deadletter_select import DeadLetter
from contracts.envelope import is_valid_workspace
from runtime.service_tokens import ServiceTokenAuth
from services.gateway.settings import GatewayServiceSettings

IDENTIFIER_KINDS = ("external_id", "email", "phone", "anonymous_id")
CHECK_BATCH = 500  # subjects in one request (profile's limit)
TIMEOUT_S = 15.0
LONG_AGO = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)  # a letter with no readable time: checked as if before any re-consent


class ErasureCheckError(DeadLetterError):
    """Profile could not say which letters are erased; the message says why (no letter was replayed)."""


def subject_of(letter: DeadLetter) -> tuple[str, dict[str, Any]] | None:
    """(workspace, subject) of a letter whose event names a customer; None for one that names nobody (it
    cannot bring anyone back)."""
    try:
        doc = orjson.loads(letter.value or b"")
    except orjson.JSONDecodeError:
        return None
    if not isinstance(doc, dict) or not is_valid_workspace(str(doc.get("workspace"))):
        return None  # no service would take it either
    given = doc.get("data")
    data: dict[str, Any] = given if isinstance(given, dict) else {}
    subject: dict[str, Any] = {"time": _time_of(doc.get("time")).isoformat()}
    customer = data.get("customer")
    if isinstance(customer, dict):
        subject["customer"] = {k: v for k in IDENTIFIER_KINDS if isinstance(v := customer.get(k), str)}
    customer_id = doc.get("customerid") or data.get("customer_id")
    if isinstance(customer_id, str) and 0 < len(customer_id) <= 64:
        subject["customer_id"] = customer_id
    if "customer" not in subject and "customer_id" not in subject:
        return None
    return doc["workspace"], subject


def _time_of(value: Any) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return LONG_AGO
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


async def erased_letters(
    settings: GatewayServiceSettings, letters: Sequence[DeadLetter], transport: httpx.AsyncBaseTransport | None = None
) -> set[str]:
    """The positions of the letters whose event profile would drop as about an erased customer."""
    by_workspace: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    for letter in letters:
        found = subject_of(letter)
        if found is not None:
            by_workspace[found[0]].append((letter.position, found[1]))
    erased: set[str] = set()
    if not by_workspace:
        return erased
    # Signed as any caller of an internal API (FLYWHEEL_INTERNAL_TOKEN_KEYS): the operator's environment has them.
    auth = ServiceTokenAuth.for_settings(settings, "deadletter")
    async with httpx.AsyncClient(
        base_url=settings.profile_url, timeout=TIMEOUT_S, transport=transport, auth=auth
    ) as client:
        for workspace, subjects in sorted(by_workspace.items()):
            for start in range(0, len(subjects), CHECK_BATCH):
                chunk = subjects[start : start + CHECK_BATCH]
                answer = await _ask(client, workspace, [s for _, s in chunk])
                erased.update(position for (position, _), gone in zip(chunk, answer, strict=True) if gone)
    return erased


async def _ask(client: httpx.AsyncClient, workspace: str, subjects: list[dict[str, Any]]) -> list[bool]:
    path = f"/internal/v1/workspaces/{workspace}/erasure-checks"
    try:
        response = await client.post(path, json={"subjects": subjects})
    except httpx.HTTPError as exc:
        raise ErasureCheckError(
            f"cannot ask profile at {client.base_url} which letters are of erased customers: "
            f"{str(exc) or type(exc).__name__}"
        ) from exc
    try:
        answer = response.json() if response.status_code == 200 else None
    except ValueError:
        answer = None
    erased = answer.get("erased") if isinstance(answer, dict) else None
    if not isinstance(erased, list) or len(erased) != len(subjects):
        raise ErasureCheckError(
            f"profile at {client.base_url} did not say which letters of workspace {workspace} are of erased "
            f"customers (HTTP {response.status_code})"
        )
    return [bool(gone) for gone in erased]
