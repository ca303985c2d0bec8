"""Profile's internal API around the erasure ledger (services/profile/ledger.py): a re-consent that lifts it
for one identifier, and the check `flywheel deadletter replay` makes before re-publishing letters."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from pydantic import AwareDatetime, BaseModel, Field, JsonValue

from contracts.http import profile as http
from contracts.json_document import JsonDocument
from runtime.context import Runtime
from runtime.problems import PROBLEM_RESPONSES, ProblemError
from services.profile import ledger_store
from services.profile.api_common import WorkspacePath, context_of
from services.profile.domain import IDENTIFIER_KINDS, Identifier, InvalidIdentifier, identifiers_of
from services.profile.ledger import hasher_of, is_erased, loose_customer_ref, recognisable_identifiers
from services.profile.settings import ProfileServiceSettings

router = APIRouter(prefix="/internal/v1/workspaces/{workspace}", tags=["profile"], responses=PROBLEM_RESPONSES)

MAX_CHECKED = 500  # subjects in one erasure check


class ReconsentIn(http.ReconsentIn):
    """The public document (contracts/http/profile.py), read as this service reads identifiers."""

    def identifier(self, default_region: str | None) -> Identifier:
        """The identifier, normalised as events' identifiers are; ProblemError 422 when it does not normalise."""
        ref = loose_customer_ref({kind: getattr(self, kind) for kind in IDENTIFIER_KINDS})
        try:
            (identifier,) = identifiers_of(ref, default_region)
        except InvalidIdentifier as exc:
            kind = next(k for k in IDENTIFIER_KINDS if getattr(self, k) is not None)
            raise ProblemError(422, str(exc), errors=[{"field": kind, "message": str(exc)}]) from None
        return identifier


class Reconsent(http.Reconsented):
    """The public answer (contracts/http/profile.py) plus the ledger entry, which the gateway's audit log names."""

    ledger_entry: str = Field(description="The ledger's keyed hash of the identifier (what an audit log may name).")


class CheckedSubject(JsonDocument):
    """Who an event (or a dead letter) is about: its identifiers (`data.customer` of an inbound event) or a
    customer id (other topics), and when it happened."""

    time: AwareDatetime
    customer: dict[str, JsonValue] | None = Field(None, max_length=8)
    customer_id: str | None = Field(None, max_length=64)


class ErasureCheckIn(JsonDocument):
    subjects: list[CheckedSubject] = Field(max_length=MAX_CHECKED)


class ErasureCheck(BaseModel):
    erased: list[bool] = Field(description="Per subject, in order: whether its event would be dropped as erased.")


def _runtime(request: Request) -> Runtime[ProfileServiceSettings]:
    return context_of(request).runtime


@router.post(
    "/reconsents",
    response_model=Reconsent,
    summary="Lift the erasure ledger for one identifier: its events from now on are accepted again",
)
async def reconsent(request: Request, workspace: WorkspacePath, body: ReconsentIn) -> Reconsent:
    runtime = _runtime(request)
    identifier = body.identifier(runtime.settings.default_phone_region)
    identifier_hash = hasher_of(runtime.settings).hash(workspace, identifier)
    async with runtime.pool.acquire() as conn:
        entry = await ledger_store.reconsent(conn, workspace, identifier_hash, dt.datetime.now(dt.UTC))
    if entry is None or entry.reconsented_at is None:
        raise ProblemError(404, f"no erased customer had that {identifier[0]} in this workspace: nothing to lift")
    return Reconsent(
        identifier=identifier[0],
        erased_at=entry.erased_at,
        reconsented_at=entry.reconsented_at,
        ledger_entry=identifier_hash,
    )


@router.post(
    "/erasure-checks",
    response_model=ErasureCheck,
    summary=f"Which of these events (at most {MAX_CHECKED}) are about erased customers (they would be dropped)",
)
async def check_erasures(request: Request, workspace: WorkspacePath, body: ErasureCheckIn) -> ErasureCheck:
    runtime = _runtime(request)
    hasher, region = hasher_of(runtime.settings), runtime.settings.default_phone_region
    hashes = []
    for subject in body.subjects:
        ref = loose_customer_ref(subject.customer or {})
        hashes.append(hasher.hashes(workspace, recognisable_identifiers(ref, region)))
    ids = {s.customer_id for s in body.subjects if s.customer_id}
    async with runtime.pool.acquire() as conn:
        entries = await ledger_store.entries(conn, workspace, {h for found in hashes for h in found})
        erased_ids = await ledger_store.erased_customer_ids(conn, workspace, ids)
    return ErasureCheck(
        erased=[
            is_erased(entries, found, subject.time) or subject.customer_id in erased_ids
            for subject, found in zip(body.subjects, hashes, strict=True)
        ]
    )
