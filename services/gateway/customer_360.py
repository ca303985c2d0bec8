"""The 360 view (`GET /v1/customers/{id}`), assembled section by section.

Each service's answer is read into its contract and written once, as the bytes it contributes to the answer
(its fields of `Customer360`, serialised by pydantic as `Customer360` would serialise them). An answer is those
sections spliced into one JSON object, whether they come from the cache (services.gateway.view_cache) or were
just fetched: a view is never parsed and written again whole, and a read that misses some sections fetches
only those.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from prometheus_client import Counter
from pydantic import BaseModel, TypeAdapter, ValidationError, create_model

from contracts.http.journey import CustomerJourney
from contracts.http.loyalty import MemberPoints
from contracts.http.profile import CustomerView
from contracts.http.referral import CustomerReferrals
from contracts.http.sales.deals import CustomerDeal, CustomerTask
from contracts.http.scoring import CustomerScores
from runtime.problems import ProblemError
from services.gateway.api_journeys import enrolments_path
from services.gateway.api_loyalty import points_path
from services.gateway.api_segments import scores_path
from services.gateway.deps import GatewayContext
from services.gateway.domain import Principal
from services.gateway.schemas import Customer360
from services.gateway.service_client import ServiceClient, parse, segment, workspace_path
from services.gateway.view_cache import RESOLVING_SECTION, SECTIONS, Cached

log = logging.getLogger(__name__)

SECTIONS_FETCHED = Counter(
    "flywheel_gateway_view_sections_fetched",
    "Sections of 360 views fetched from their services (the others came from the cache), by section.",
    ["section"],
)

SECTION_PAGE = 50  # the 360 view shows the first page of deals and tasks; their own lists page further
NOT_FOUND = "no such customer in this workspace"
OPTIONAL_SECTIONS = tuple(name for name in SECTIONS if name != RESOLVING_SECTION)

# Each section's fields of Customer360, in the answer's order (checked below against the model).
SECTION_FIELDS: dict[str, tuple[str, ...]] = {
    "profile": tuple(CustomerView.model_fields),
    "scoring": ("scores", "segments"),
    "journey": ("journeys",),
    "referral": ("referrals", "referral_codes", "referral_rewards"),
    "sales": ("deals", "tasks"),
    "loyalty": ("loyalty",),
}
_ANSWER_FIELDS = (*(f for name in SECTIONS for f in SECTION_FIELDS[name]), "degraded")
if tuple(Customer360.model_fields) != _ANSWER_FIELDS:
    raise RuntimeError(f"the 360 view's sections {_ANSWER_FIELDS} are not Customer360's fields")


def _section_model(name: str) -> type[BaseModel]:
    """A model of one section's fields, declared as Customer360 declares them, so it writes them identically."""
    declared = Customer360.model_fields
    fields: Any = {f: (declared[f].annotation, declared[f]) for f in SECTION_FIELDS[name]}
    return create_model(f"Customer360_{name}", __config__=Customer360.model_config, **fields)


_SECTION_MODELS = {name: _section_model(name) for name in OPTIONAL_SECTIONS}
_PROFILE = TypeAdapter(CustomerView)
_JOURNEYS = TypeAdapter(list[CustomerJourney])
_DEALS = TypeAdapter(list[CustomerDeal])
_TASKS = TypeAdapter(list[CustomerTask])


def _fields_of(model_json: bytes) -> bytes:
    """`{"a":1,"b":2}` -> `"a":1,"b":2`: a section's part of the answer's object."""
    return model_json[1:-1]


def read_section(name: str, doc: Any) -> bytes:
    """An optional section's part of the answer from its service's answer (None: it holds nothing of the
    customer); raises ValidationError when the answer breaks the service's contract."""
    return _section_bytes(name, _SECTION_PARSERS[name](doc))


def read_profile(doc: Any) -> tuple[str, bytes]:
    """The live customer's id and profile's part of the answer; a contract breach is the gateway's 502."""
    profile = parse(CustomerView, doc)
    return profile.customer_id, _fields_of(_PROFILE.dump_json(profile))


def _section_bytes(name: str, values: dict[str, Any]) -> bytes:
    """A section's part of the answer; its values are validated models already (constructed, not validated again)."""
    model = _SECTION_MODELS[name]
    return _fields_of(model.__pydantic_serializer__.to_json(model.model_construct(**values)))


EMPTY_SECTIONS = {name: _section_bytes(name, {}) for name in OPTIONAL_SECTIONS}  # a failed service's section


def answer(sections: Mapping[str, bytes], degraded: list[str]) -> bytes:
    """The 360 view's JSON from its sections' bytes (every one of SECTIONS), as Customer360 writes it."""
    parts = [sections[name] for name in SECTIONS]
    parts.append(b'"degraded":' + orjson.dumps(degraded))
    return b"{" + b",".join(parts) + b"}"


@dataclass(frozen=True)
class Assembled:
    body: bytes
    live_id: str  # the customer shown: the id asked for, or the survivor it was merged into
    fetched: dict[str, bytes]  # the sections read from their services in full (not those degraded)


async def assemble(
    state: GatewayContext, principal: Principal, customer_id: str, path: str, cached: Cached | None
) -> Assembled:
    """The view of `customer_id` (profile's `path`): the `cached` sections, and the others fetched, all at once.
    A merged id shows its survivor: every section is then the survivor's."""
    have = dict(cached.sections) if cached is not None else {}
    live_id = cached.live_id if cached is not None else customer_id  # a guess until profile answers
    wanted = [name for name in OPTIONAL_SECTIONS if name not in have]
    # The optional sections are fetched while profile answers; each may fail alone (the view is then degraded).
    others = asyncio.create_task(_optional_sections(state, principal, live_id, wanted)) if wanted else None
    fetched: dict[str, bytes] = {}
    if RESOLVING_SECTION not in have:
        try:
            resolved, fetched[RESOLVING_SECTION] = read_profile(await state.profile.get(path, not_found=NOT_FOUND))
        except BaseException:
            if others is not None:
                others.cancel()
            raise
        if resolved != live_id:  # merged (or unmerged) meanwhile: every section is the survivor's
            if others is not None:
                others.cancel()
            live_id, have = resolved, {}
            others = asyncio.create_task(_optional_sections(state, principal, live_id, list(OPTIONAL_SECTIONS)))
    found = await others if others is not None else {}
    for name in (*fetched, *found):
        SECTIONS_FETCHED.labels(name).inc()
    degraded = [name for name in OPTIONAL_SECTIONS if name in found and found[name] is None]
    for name, body in found.items():
        if body is not None:
            fetched[name] = body
    sections = {**have, **{name: EMPTY_SECTIONS[name] for name in degraded}, **fetched}
    return Assembled(answer(sections, degraded), live_id, fetched)


async def _optional_sections(
    state: GatewayContext, principal: Principal, customer_id: str, names: list[str]
) -> dict[str, bytes | None]:
    """The named sections' bytes, by name (None: the service failed, or broke its contract)."""
    ws, customer = principal.workspace, segment(customer_id)
    calls: dict[str, tuple[ServiceClient, str, dict[str, Any] | None]] = {
        "scoring": (state.scoring, scores_path(principal, customer_id), None),
        "journey": (state.journey, enrolments_path(principal, customer_id), None),
        "referral": (state.referral, workspace_path(ws, f"/customers/{customer}/referrals"), None),
        "sales": (state.sales, workspace_path(ws, f"/customers/{customer}/sales"), {"limit": SECTION_PAGE}),
        "loyalty": (state.loyalty, points_path(ws, customer_id), None),
    }
    answers = await asyncio.gather(*(_held(*calls[name], state.budget_s) for name in names))
    found: dict[str, bytes | None] = {}
    for name, (doc, down) in zip(names, answers, strict=True):
        if down:
            found[name] = None
            continue
        try:
            found[name] = read_section(name, doc)
        except ValidationError:  # a contract breach of an optional section degrades it rather than the view
            log.error("section breaks the contract", extra={"service": name})
            found[name] = None
    return found


async def _held(client: ServiceClient, path: str, params: dict[str, Any] | None, budget_s: float) -> tuple[Any, bool]:
    """(the answer or None, whether the service failed) within the budget: a slow or failing service
    leaves its section empty rather than failing the view."""
    try:
        async with asyncio.timeout(budget_s):
            return await client.get_held(path, params=params), False
    except ProblemError:
        return None, True
    except TimeoutError:
        return None, True


# Each service's answer (None: it holds nothing of the customer) as its section's fields.


def _scoring_section(doc: Any) -> dict[str, Any]:
    if doc is None:
        return {}
    scores = CustomerScores.model_validate(doc)
    return {"scores": scores, "segments": scores.segments}


def _journey_section(enrolments: Any) -> dict[str, Any]:
    return {"journeys": _JOURNEYS.validate_python(enrolments or [])}


def _referral_section(doc: Any) -> dict[str, Any]:
    if doc is None:
        return {}
    referrals = CustomerReferrals.model_validate(doc)
    return {"referrals": referrals.links(), "referral_codes": referrals.codes, "referral_rewards": referrals.rewards}


def _sales_section(doc: Any) -> dict[str, Any]:
    doc = doc or {}
    return {
        "deals": _DEALS.validate_python(doc.get("deals", {}).get("items", [])),
        "tasks": _TASKS.validate_python(doc.get("tasks", {}).get("items", [])),
    }


def _loyalty_section(doc: Any) -> dict[str, Any]:
    return {"loyalty": MemberPoints.model_validate(doc)} if doc is not None else {}


_SECTION_PARSERS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "scoring": _scoring_section,
    "journey": _journey_section,
    "referral": _referral_section,
    "sales": _sales_section,
    "loyalty": _loyalty_section,
}
